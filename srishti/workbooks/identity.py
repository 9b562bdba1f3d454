"""What a workbook says it is: tool, facility type, version, department groups, themes.

Told from the workbook's own content, never from its file name or an upload code:

* the **title rows** above each table ("National Quality Assurance Standards for District
  Hospitals", "Health & Wellness Centre - Sub Centre", "Version: DH/02/19-Rev -02");
* the **sheet names** and those titles for the programmes inside a workbook ("Labour
  Room (LaQshya)", "SNCU_MusQan"): each programme named on some but not all departments is
  a department group scored together (DH 2019: LaQshya, MusQan);
* the **layout** (Kayakalp tables are Kayakalp; a service column is AAM-SC);
* the **service-package list** ("Mandatory" beside a package) for the themes' mandatory
  flag: a theme is optional where the workbook lists it without "Mandatory".

A workbook made only of LaQshya departments (labour room, maternity OT) is a LaQshya
checklist; only of MusQan departments, a MusQan one. The user can always override the
tool (`--tool`, the upload page).

Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from srishti.workbooks.parsed import ParsedTheme, ParsedWorkbook

NQAS = "NQAS"
LAQSHYA = "LAQSHYA"
MUSQAN = "MUSQAN"
KAYAKALP = "KAYAKALP"
TOOL_NAMES = {NQAS: "NQAS", LAQSHYA: "LaQshya", MUSQAN: "MusQan", KAYAKALP: "Kayakalp"}

# Programme -> words naming it in a sheet name or title, and the departments that make
# it up when no department is named for it.
_PROGRAMME_WORDS = {LAQSHYA: ("laqshya", "lakshya"), MUSQAN: ("musqan", "muskan")}
_LAQSHYA_DEPARTMENTS = re.compile(
    r"labou?r\s*room|\blr\b|maternity\s*o\.?\s*t|\bm\s*-?\s*ot\b", re.IGNORECASE)
_MUSQAN_DEPARTMENTS = re.compile(
    r"pa?ed(iatric)?\w*\s*(opd|ward)|\bsncu\b|\bnrc\b|nutrition\s*rehab", re.IGNORECASE)

# Facility type from title text, most specific first.
_FACILITY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AAM-SC", re.compile(r"sub[\s-]*cent(re|er)|\bhwc\b|wellness\s*cent|arogya\s*mandir|"
                          r"\baam\b|\bsc\b|\bhsc\b", re.IGNORECASE)),
    ("UPHC", re.compile(r"\buphc\b|urban\s*primary", re.IGNORECASE)),
    ("PHC", re.compile(r"\bphc\b|primary\s*health", re.IGNORECASE)),
    ("CHC", re.compile(r"\bchc\b|community\s*health", re.IGNORECASE)),
    ("SDH", re.compile(r"\bsdh\b|sub[\s-]*divisional", re.IGNORECASE)),
    ("DH", re.compile(r"\bdh\b|district\s*hospital", re.IGNORECASE)),
)
# "Version: DH/02/19-Rev -02", "Version : DH/ 02/19-Rev -02"
_VERSION_RE = re.compile(
    r"version\s*:?\s*([a-z-]+)\s*/\s*(\d+)\s*/\s*(\d{2,4})\s*-?\s*rev\w*\s*[-.:]?\s*(\d+)",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"\b20[0-4]\d\b")
_VERSION_TYPES = {"DH": "DH", "CHC": "CHC", "PHC": "PHC", "UPHC": "UPHC", "SDH": "SDH",
                  "HWC": "AAM-SC", "SC": "AAM-SC", "HSC": "AAM-SC", "AAM": "AAM-SC"}

_STOP_WORDS = frozenset({"care", "for", "of", "and", "in", "the", "management", "services",
                         "service", "health", "common", "aids", "ailments", "diseases"})


def default_tool(parsed: ParsedWorkbook) -> str:
    """The tool the workbook says it is, else the one its layout implies."""
    if parsed.tool:
        return parsed.tool
    return KAYAKALP if parsed.layout == "kayakalp" else NQAS


def identify(
    parsed: ParsedWorkbook,
    notes: Mapping[str, Mapping[str, object]],
    *,
    department_sheets: Sequence[str],
) -> None:
    """Fill `parsed.tool`, `.facility_type`, `.version_name`, `.groups` and `.themes`
    from the notes of every sheet and the departments read.

    A sheet's notes (plain data, so that they cross processes): ``titles`` (texts above
    its table), ``packages`` ([name, mandatory] pairs of a service-package list),
    ``themes`` ([number, name, [ME codes]]).
    """
    titles = [t for sheet_notes in notes.values() for t in _strings(sheet_notes.get("titles"))]
    dept_titles = {
        d.name: " ".join([d.sheet, *_strings(notes.get(d.sheet, {}).get("titles"))])
        for d in parsed.departments
    }
    parsed.groups = _groups(parsed, dept_titles)
    parsed.tool = _tool(parsed, titles, dept_titles)
    version = _version(titles)
    parsed.facility_type = (version[0] if version else None) or _facility_type(parsed, titles)
    # "NQAS DH 2019 Rev-02"; without a version line, what the titles do say ("LaQshya",
    # "NQAS AAM-SC"), with a year if one is written there.
    words = [TOOL_NAMES[parsed.tool]]
    if parsed.facility_type and parsed.tool != LAQSHYA:
        words.append(parsed.facility_type)
    if version:
        words += [str(version[1]), f"Rev-{version[2]}"]
    else:
        year = next((m.group(0) for t in titles for m in [_YEAR_RE.search(t)] if m), None)
        if year:
            words.append(year)
    parsed.version_name = " ".join(words)
    packages = [p for sheet_notes in notes.values() for p in _pairs(sheet_notes.get("packages"))]
    themes: list[ParsedTheme] = []
    for sheet in department_sheets:
        for number, name, codes in _themes(notes.get(sheet, {}).get("themes")):
            themes.append(ParsedTheme(number=number, name=name,
                                      mandatory=_mandatory(name, packages),
                                      measurable_elements=tuple(codes)))
    parsed.themes = themes


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _pairs(value: object) -> list[tuple[str, bool]]:
    if not isinstance(value, list | tuple):
        return []
    return [(str(p[0]), bool(p[1])) for p in value if isinstance(p, list | tuple) and len(p) == 2]


def _themes(value: object) -> list[tuple[int, str, list[str]]]:
    if not isinstance(value, list | tuple):
        return []
    return [(int(t[0]), str(t[1]), [str(c) for c in t[2]]) for t in value]


def _named(text: str, programme: str) -> bool:
    low = text.lower()
    return any(word in low for word in _PROGRAMME_WORDS[programme])


def _groups(
    parsed: ParsedWorkbook, dept_titles: Mapping[str, str]
) -> list[tuple[str, list[str]]]:
    groups = []
    for programme in (LAQSHYA, MUSQAN):
        members = [d.name for d in parsed.departments if _named(dept_titles[d.name], programme)]
        if members and len(members) < len(parsed.departments):
            groups.append((TOOL_NAMES[programme], members))
    return groups


def _tool(parsed: ParsedWorkbook, titles: Iterable[str], dept_titles: Mapping[str, str]) -> str:
    if parsed.layout == "kayakalp" or any("kayakalp" in t.lower() for t in titles):
        return KAYAKALP
    names = list(dept_titles.values())
    if names:
        for programme, pattern in ((LAQSHYA, _LAQSHYA_DEPARTMENTS),
                                   (MUSQAN, _MUSQAN_DEPARTMENTS)):
            if all(_named(n, programme) or pattern.search(n) for n in names):
                return programme
    return NQAS


def _version(titles: Iterable[str]) -> tuple[str | None, int, str] | None:
    for text in titles:
        m = _VERSION_RE.search(text)
        if m:
            kind = _VERSION_TYPES.get(m.group(1).upper().strip("-"))
            year = int(m.group(3))
            return kind, (2000 + year if year < 100 else year), m.group(4)
    return None


def _facility_type(parsed: ParsedWorkbook, titles: Sequence[str]) -> str | None:
    if parsed.layout == "aam-sc":
        return "AAM-SC"
    # The first title naming a facility type decides: national titles come first.
    for text in titles:
        for kind, pattern in _FACILITY_PATTERNS:
            if pattern.search(text):
                return kind
    return None


def _words(name: str) -> frozenset[str]:
    tokens = re.findall(r"[a-z]+", name.lower().replace("-", ""))
    return frozenset(t for t in tokens if t not in _STOP_WORDS)


def _mandatory(name: str, packages: Sequence[tuple[str, bool]]) -> bool:
    """A theme is optional only where the workbook's package list names it without
    "Mandatory"; one the list does not name (AAM-SC "Drugs & Diagnostics") is not."""
    words = _words(name)
    best, best_score = None, 0.0
    for package, mandatory in packages:
        other = _words(package)
        if not words or not other:
            continue
        score = len(words & other) / len(words | other)
        if score > best_score:
            best, best_score = mandatory, score
    return True if best is None or best_score < 0.5 else best
