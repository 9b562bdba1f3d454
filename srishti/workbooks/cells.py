"""Cells of the official workbooks: what a reference, a compliance value, a method or
a piece of text in one cell means. Shared by every layout (`layouts/`).

Pure Python, no Django.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence

from srishti.workbooks.parsed import WorkbookError

METHOD_CODES = frozenset({"SI", "OB", "RR", "PI"})

Row = Sequence[object]
Rows = Sequence[Row]

_DASHES = "\\-\u2010-\u2015\u2212"


# "Area of Concern - A Service Provision", en/em dash, colon or no dash, any spacing.
# The letter must stand alone so that "Area of Concern wise Score" is not an area row.
_AREA_RE = re.compile(
    rf"^\W*area\s*of\s*concern\s*[{_DASHES}:.]*\s*([a-z])(?![a-z])[\s{_DASHES}:.]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)


# "Standard A1", "Standard G 5", "StandardD6", "Standard H1 .", "standard a1.",
# "Standards G10" (DH 2019, CHC 2019)
_STANDARD_RE = re.compile(
    r"^\W*standards?\s*([a-z])\s*[-.]?\s*(\d+)(?![\d.,]\d)[\W_]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)


# "ME A1.1", "ME A1.1.", "ME A 1.1", ".ME F1.5.", "ME C2..4", "ME D3,3", "MEA1.1" and the
# bare code "G1.1" (Kayakalp checkpoints; a bare code in an NQAS sheet is read as an ME).
_CODE_RE = re.compile(
    r"^[\W_]*(m\s*\.?\s*e\s*\.?\s*(?=[a-z]\s*\d))?([a-z])\s*(\d+)\s*[.,]+\s*(\d+)(?!\d)[\W_]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)


_METHOD_SPLIT_RE = re.compile(r"(?:[^A-Za-z]|\band\b)+", re.IGNORECASE)


METHOD_CELL_RE = re.compile(
    r"^\s*(?:SI|OB|RR|PI)(?:\s*(?:[/,&+;|?]|\band\b)?\s*(?:SI|OB|RR|PI))*\s*[/,.]?\s*$",
    re.IGNORECASE,
)


NON_WORD_RE = re.compile(r"[\W_]+")


# Labels of the score summaries that follow some tables, letters only, lower case.
_SUMMARY_WORDS = frozenset(
    {
        "obtained",
        "obtainedmarks",
        "obtainedscore",
        "maximum",
        "maximummarks",
        "maximumscore",
        "max",
        "percent",
        "percentage",
        "total",
        "grandtotal",
        "score",
        "marks",
    }
)


NA_WORDS = frozenset({"na", "notapplicable"})


# Words some assessors type instead of numbers -> index into the level tuple.
_TEXT_LEVELS = {
    "full": 2,
    "fully compliant": 2,
    "full compliance": 2,
    "fc": 2,
    "compliant": 2,
    "partial": 1,
    "partially compliant": 1,
    "partial compliance": 1,
    "pc": 1,
    "non compliant": 0,
    "non-compliant": 0,
    "noncompliant": 0,
    "non compliance": 0,
    "non-compliance": 0,
    "not compliant": 0,
    "nc": 0,
    "no": 0,
}


# Reference-cell kinds.
# Reference-cell kinds.
BLANK, AREA, STANDARD, CODE, OTHER = range(5)


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


METHOD_CACHE: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}


def parse_methods(cell: object) -> tuple[frozenset[str], tuple[str, ...]]:
    """Assessment-method cell -> (codes among SI/OB/RR/PI, unknown tokens).

    Any separator is accepted: "SI/OB ", "OB/RR/SI", "SI /RR", "SI, OB", "OB & SI".
    """
    if cell.__class__ is not str:
        if cell is None or cell == "":
            return frozenset(), ()
        cell = str(cell)
    hit = METHOD_CACHE.get(cell)
    if hit is not None:
        return hit
    known: set[str] = set()
    unknown: list[str] = []
    for token in _METHOD_SPLIT_RE.split(cell):
        if not token:
            continue
        upper = token.upper()
        if upper in METHOD_CODES:
            known.add(upper)
        else:
            unknown.append(token)
    result = (frozenset(known), tuple(unknown))
    if len(cell) <= 40 and len(METHOD_CACHE) < 4096:  # bounded: cells come from uploads
        METHOD_CACHE[cell] = result
    return result


REF_CACHE: dict[str, tuple[int, str, str, bool]] = {}


def classify_ref(cell: str) -> tuple[int, str, str, bool]:
    """Reference cell -> (kind, code, trailing text, had an "ME" prefix). Cached."""
    hit = REF_CACHE.get(cell)
    if hit is not None:
        return hit
    result: tuple[int, str, str, bool] = (OTHER, "", "", False)
    stripped = cell.strip()
    if not any(ch.isalnum() for ch in stripped):
        result = (BLANK, "", "", False)  # "", ".", "-"
    else:
        first = stripped.lstrip(".-_ *\u2013").lower()[:1]
        if first == "s":
            m = _STANDARD_RE.match(stripped)
            if m:
                code = f"{m.group(1).upper()}{int(m.group(2))}"
                result = (STANDARD, code, m.group(3).strip(), False)
        elif first == "a" and "oncern" in stripped.lower():
            m = _AREA_RE.match(stripped)
            if m:
                result = (AREA, m.group(1).upper(), m.group(2).strip(), False)
        if result[0] == OTHER:
            m = _CODE_RE.match(stripped)
            if m:
                code = f"{m.group(2).upper()}{int(m.group(3))}.{int(m.group(4))}"
                result = (CODE, code, m.group(5).strip(), m.group(1) is not None)
    if len(cell) <= 40 and len(REF_CACHE) < 65536:  # bounded: cells come from uploads
        REF_CACHE[cell] = result
    return result


def area_match(cell: object) -> re.Match[str] | None:
    if cell.__class__ is str and "oncern" in cell.lower():
        return _AREA_RE.match(cell.strip())
    return None


def is_summary_label(cell: object) -> bool:
    """A short label of the score summary after some tables ("Obtaned", "Maximum")."""
    if cell.__class__ is not str or len(cell) > 24:
        return False
    word = NON_WORD_RE.sub("", cell.lower())
    if not word:
        return False
    if word in _SUMMARY_WORDS:
        return True
    # Misspellings of "Obtained" ("Obtaned", "Obtatained", "Obtain").
    return word.startswith("obt") and len(word) <= 12


def ends_table(cell: object) -> bool:
    """Reference-column text that starts a score card or summary below the table."""
    if cell.__class__ is not str:
        return False
    low = cell.lower()
    return "score" in low or " card" in low or is_summary_label(cell)


def cell_number(cell: object) -> float | None:
    """Numeric cell or numeric string -> float; anything else (blank, #DIV/0!) -> None."""
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return float(cell)
    if isinstance(cell, str):
        text = cell.strip()
        if text:
            try:
                return float(text)
            except ValueError:
                return None
    return None


def cell_text(cell: object) -> str:
    if cell.__class__ is str:
        return cell.strip()
    if cell is None or cell == "":
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, _dt.datetime) and cell.time() == _dt.time():
        return cell.date().isoformat()  # a date typed into a date-time cell
    if isinstance(cell, _dt.date | _dt.time):
        return cell.isoformat()
    return str(cell).strip()


def has_text(cell: object) -> bool:
    """A cell that holds text: a string with at least one letter or digit."""
    if cell.__class__ is not str or not cell:
        return False
    if len(cell) > 2:
        return not cell.isspace()
    return any(ch.isalnum() for ch in cell)


class BadValue(Exception):
    pass


def compliance_value(
    cell: object, level_set: frozenset[float], levels: tuple[float, ...]
) -> float | None:
    """Compliance cell -> level, or None for not applicable. BadValue when not a level."""
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        value = float(cell)
        if value in level_set:
            return value
        raise BadValue(fmt_number(value))
    if isinstance(cell, str):
        text = cell.strip()
        if not any(ch.isalnum() for ch in text):
            return None  # blank, "-", "."
        low = " ".join(text.lower().split())
        if NON_WORD_RE.sub("", low) in NA_WORDS:  # NA, N/A, n.a., Not applicable
            return None
        try:
            value = float(text)
        except ValueError:
            index = _TEXT_LEVELS.get(low)
            if index is None:
                raise BadValue(repr(text)) from None
            return levels[min(index, len(levels) - 1)]
        if value in level_set:
            return value
        raise BadValue(repr(text))
    if cell is None:
        return None
    raise BadValue(repr(cell))  # booleans, dates


def fmt_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def fmt_levels(levels: tuple[float, ...]) -> str:
    return ", ".join(fmt_number(v) for v in levels)


def bad_value_error(
    bad: BadValue, levels: tuple[float, ...], file: str, sheet: str, index: int, column: str
) -> WorkbookError:
    return WorkbookError(
        f"compliance value {bad} is not one of {fmt_levels(levels)} "
        "(blank or NA = not applicable)",
        file=file,
        sheet=sheet,
        row=index + 1,
        column=column,
    )


def service_tag(cell: object) -> str | None:
    """A service column's cell -> its tag with spaces tidied ("SC Type B"); None if blank."""
    text = " ".join(cell_text(cell).split())
    return text or None


def area_title(title: str, row: Row, col: int) -> str:
    if title:
        return title
    for cell in row[col + 1 : col + 3]:
        if has_text(cell):
            return cell_text(cell)
    return ""


def method_warning(sheet: str, index: int, unknown: tuple[str, ...], cell: object) -> str:
    text = cell_text(cell)
    if len(text) > 40:
        text = text[:37] + "..."
    tokens = ", ".join(unknown[:4]) + (", ..." if len(unknown) > 4 else "")
    return (
        f"sheet '{sheet}' row {index + 1}: unknown assessment method {tokens} in {text!r} "
        "(known: SI, OB, RR, PI)"
    )
