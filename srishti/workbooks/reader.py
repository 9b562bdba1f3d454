"""Read the official NQAS / LaQshya / Kayakalp Excel checklists into `ParsedWorkbook`.

One reader for the whole family of workbooks. A department sheet holds an optional header
block (hospital, date, assessors), an optional score card (above or below the table) and
the checkpoint table. The table starts at its first "Area of Concern - X" row, found by
content, never by header text; its columns come from the header row when there is one
and from the cells themselves otherwise (`ParsedDepartment.columns` says which were used).

Two table layouts exist:

* ``nqas`` (NQAS and LaQshya): reference (``Standard A1``, ``ME A1.1``), measurable element,
  checkpoint, compliance (0/1/2, blank = NA), method, means of verification, remarks,
  obtained, maximum. A row with checkpoint text is a checkpoint, whatever else it holds;
  a row without is not, whatever its compliance cell holds. Continuation rows leave the
  reference blank (or ".") and belong to the current measurable element.
* ``kayakalp``: ``Standard G1`` rows and numbered checkpoints (``G1.1``) with their text
  next to the code, then method and means of verification. Levels are 0, 0.5 and 1; the
  blank tool has no compliance column, a filled one gets it found by header or by numbers.

Structure is kept unique for the database: a standard code that appears twice in a sheet
is read as one standard (the template's copy-paste slips), an ME code twice in a standard
as one ME, an area letter twice as one area; each case is reported in `warnings`.

The workbook's own totals (obtained/maximum on standard rows) are recorded but never
trusted; `srishti.workbooks.audit` compares them with the compliance cells.

Header facts (`ParsedWorkbook.header`, first sheet that has each): ``hospital``,
``date_of_assessment`` (ISO date when the cell is a date), ``assessors``, ``assessees``,
``assessment_type``, ``action_plan_submission_date``.

Pure Python, no Django.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Collection, Iterator, Sequence
from typing import NamedTuple

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from srishti.core.collector import collector_paused
from srishti.workbooks.forked import Forked
from srishti.workbooks.identity import identify
from srishti.workbooks.parsed import (
    ParsedArea,
    ParsedCheckpoint,
    ParsedDepartment,
    ParsedMeasurableElement,
    ParsedStandard,
    ParsedWorkbook,
    WorkbookError,
    department_from_plain,
    department_to_plain,
    error_from_plain,
    error_to_plain,
    make_checkpoint,
    make_element,
)
from srishti.workbooks.sheetxml import ExtentError, SheetFacts, WorkbookXml
from srishti.workbooks.zipsize import unzipped_size

__all__ = [
    "DEFAULT_MAX_BYTES",
    "KAYAKALP",
    "KAYAKALP_LEVELS",
    "AAM_SC",
    "METHOD_CODES",
    "NQAS",
    "NQAS_LEVELS",
    "WorkbookReading",
    "column_letter",
    "open_workbook",
    "parse_methods",
    "read_workbook",
]

NQAS = "nqas"
KAYAKALP = "kayakalp"
# NQAS department tables with a service column (AAM-SC, the former HWC-SC).
AAM_SC = "aam-sc"
NQAS_LEVELS: tuple[float, ...] = (0.0, 1.0, 2.0)
KAYAKALP_LEVELS: tuple[float, ...] = (0.0, 0.5, 1.0)
METHOD_CODES = frozenset({"SI", "OB", "RR", "PI"})

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# A zipped workbook (xlsx) may expand to this many times `max_bytes` (real ones: about 8x).
UNZIPPED_FACTOR = 16
# Below this many unzipped bytes a workbook is read in one process whatever `processes`
# says: forking and handing the departments back cost more than sharing its few sheets
# saves (a CHC workbook, 2.4 MB: 27 -> 22 ms with 2 processes).
FORK_FROM_BYTES = 2 * 1024 * 1024

# ----------------------------------------------------------------------------- patterns
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
_METHOD_CELL_RE = re.compile(
    r"^\s*(?:SI|OB|RR|PI)(?:\s*(?:[/,&+;|?]|\band\b)?\s*(?:SI|OB|RR|PI))*\s*[/,.]?\s*$",
    re.IGNORECASE,
)
_NON_WORD_RE = re.compile(r"[\W_]+")

# Header keywords -> column role (first match wins, checked in this order).
_HEADER_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("service", ("service",)),
    ("obtained", ("obtain", "obtaned", "obtatined")),
    ("maximum", ("maximum", "max marks", "max. marks", "max score")),
    ("compliance", ("complian", "score", "marks")),
    ("method", ("method",)),
    ("mov", ("verification", "means of", "audit support", "evidence")),
    ("remark", ("remark", "observation", "comment")),
    ("me_text", ("measurable", "me statement", "me text")),
    ("text", ("checkpoint", "check point", "check-point", "criteria", "criterion")),
    ("ref", ("reference", "ref no", "ref.", "standard", "s.no", "sl no", "sr no")),
)

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

# Labels of the assessment summary block -> header key.
_HEADER_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("assessees", ("names of assessee", "name of assessee", "assessee name", "assessees name")),
    ("assessors", ("names of assessor", "name of assessor", "assessor name", "assessors name")),
    ("action_plan_submission_date", ("action plan",)),
    ("date_of_assessment", ("date of assessment", "assessment date", "date of audit")),
    ("assessment_type", ("type of assessment", "assessment type", "type of audit")),
    (
        "hospital",
        (
            "name of the hospital",
            "name of hospital",
            "hospital name",
            "name of the facility",
            "name of facility",
            "facility name",
        ),
    ),
)

_NA_WORDS = frozenset({"na", "notapplicable"})
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

Row = Sequence[object]
Rows = Sequence[Row]

# Reference-cell kinds.
_BLANK, _AREA, _STANDARD, _CODE, _OTHER = range(5)


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# ------------------------------------------------------------------------------ methods
_METHOD_CACHE: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}


def parse_methods(cell: object) -> tuple[frozenset[str], tuple[str, ...]]:
    """Assessment-method cell -> (codes among SI/OB/RR/PI, unknown tokens).

    Any separator is accepted: "SI/OB ", "OB/RR/SI", "SI /RR", "SI, OB", "OB & SI".
    """
    if cell.__class__ is not str:
        if cell is None or cell == "":
            return frozenset(), ()
        cell = str(cell)
    hit = _METHOD_CACHE.get(cell)
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
    if len(cell) <= 40 and len(_METHOD_CACHE) < 4096:  # bounded: cells come from uploads
        _METHOD_CACHE[cell] = result
    return result


# ---------------------------------------------------------------------------- references
_REF_CACHE: dict[str, tuple[int, str, str, bool]] = {}


def _classify_ref(cell: str) -> tuple[int, str, str, bool]:
    """Reference cell -> (kind, code, trailing text, had an "ME" prefix). Cached."""
    hit = _REF_CACHE.get(cell)
    if hit is not None:
        return hit
    result: tuple[int, str, str, bool] = (_OTHER, "", "", False)
    stripped = cell.strip()
    if not any(ch.isalnum() for ch in stripped):
        result = (_BLANK, "", "", False)  # "", ".", "-"
    else:
        first = stripped.lstrip(".-_ *\u2013").lower()[:1]
        if first == "s":
            m = _STANDARD_RE.match(stripped)
            if m:
                code = f"{m.group(1).upper()}{int(m.group(2))}"
                result = (_STANDARD, code, m.group(3).strip(), False)
        elif first == "a" and "oncern" in stripped.lower():
            m = _AREA_RE.match(stripped)
            if m:
                result = (_AREA, m.group(1).upper(), m.group(2).strip(), False)
        if result[0] == _OTHER:
            m = _CODE_RE.match(stripped)
            if m:
                code = f"{m.group(2).upper()}{int(m.group(3))}.{int(m.group(4))}"
                result = (_CODE, code, m.group(5).strip(), m.group(1) is not None)
    if len(cell) <= 40 and len(_REF_CACHE) < 65536:  # bounded: cells come from uploads
        _REF_CACHE[cell] = result
    return result


def _area_match(cell: object) -> re.Match[str] | None:
    if cell.__class__ is str and "oncern" in cell.lower():
        return _AREA_RE.match(cell.strip())
    return None


def _is_summary_label(cell: object) -> bool:
    """A short label of the score summary after some tables ("Obtaned", "Maximum")."""
    if cell.__class__ is not str or len(cell) > 24:
        return False
    word = _NON_WORD_RE.sub("", cell.lower())
    if not word:
        return False
    if word in _SUMMARY_WORDS:
        return True
    # Misspellings of "Obtained" ("Obtaned", "Obtatained", "Obtain").
    return word.startswith("obt") and len(word) <= 12


def _ends_table(cell: object) -> bool:
    """Reference-column text that starts a score card or summary below the table."""
    if cell.__class__ is not str:
        return False
    low = cell.lower()
    return "score" in low or " card" in low or _is_summary_label(cell)


# ------------------------------------------------------------------------------- values
def _number(cell: object) -> float | None:
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


def _text(cell: object) -> str:
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


def _has_text(cell: object) -> bool:
    """A cell that holds text: a string with at least one letter or digit."""
    if cell.__class__ is not str or not cell:
        return False
    if len(cell) > 2:
        return not cell.isspace()
    return any(ch.isalnum() for ch in cell)


class _BadValue(Exception):
    pass


def _compliance(
    cell: object, level_set: frozenset[float], levels: tuple[float, ...]
) -> float | None:
    """Compliance cell -> level, or None for not applicable. _BadValue when not a level."""
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        value = float(cell)
        if value in level_set:
            return value
        raise _BadValue(_fmt_number(value))
    if isinstance(cell, str):
        text = cell.strip()
        if not any(ch.isalnum() for ch in text):
            return None  # blank, "-", "."
        low = " ".join(text.lower().split())
        if _NON_WORD_RE.sub("", low) in _NA_WORDS:  # NA, N/A, n.a., Not applicable
            return None
        try:
            value = float(text)
        except ValueError:
            index = _TEXT_LEVELS.get(low)
            if index is None:
                raise _BadValue(repr(text)) from None
            return levels[min(index, len(levels) - 1)]
        if value in level_set:
            return value
        raise _BadValue(repr(text))
    if cell is None:
        return None
    raise _BadValue(repr(cell))  # booleans, dates


def _fmt_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _fmt_levels(levels: tuple[float, ...]) -> str:
    return ", ".join(_fmt_number(v) for v in levels)


def _bad_value_error(
    bad: _BadValue, levels: tuple[float, ...], file: str, sheet: str, index: int, column: str
) -> WorkbookError:
    return WorkbookError(
        f"compliance value {bad} is not one of {_fmt_levels(levels)} "
        "(blank or NA = not applicable)",
        file=file,
        sheet=sheet,
        row=index + 1,
        column=column,
    )


# ------------------------------------------------------------------------------ columns
_ROLES = ("service", "ref", "me_text", "text", "compliance", "method", "mov", "remark",
          "obtained", "maximum")


class _Columns(NamedTuple):
    layout: str
    ref: int
    area: int
    text: int
    me_text: int | None
    compliance: int | None
    method: int | None
    mov: int | None
    remark: int | None
    obtained: int | None
    maximum: int | None
    # AAM-SC: the service package of each checkpoint ("All", "NCD", "SC Type B").
    service: int | None = None

    def letters(self) -> dict[str, str]:
        out = {}
        for role in _ROLES:
            index = getattr(self, role)
            if index is not None:
                out[role] = column_letter(index)
        return out

    def highest(self) -> int:
        return max(getattr(self, role) or 0 for role in (*_ROLES, "area"))


_SAMPLE_ROWS = 120


def _header_roles(rows: Rows, area_index: int) -> dict[str, int]:
    """Column roles named by a header row just above the first area row, if any."""
    for index in range(area_index - 1, max(-1, area_index - 4), -1):
        roles: dict[str, int] = {}
        for col, cell in enumerate(rows[index][:16]):
            if cell.__class__ is not str or len(cell) > 60:
                continue
            low = " ".join(cell.lower().split())
            for role, keys in _HEADER_ROLES:
                if role not in roles and any(k in low for k in keys):
                    roles[role] = col
                    break
        if len(roles) >= 3:
            return roles
    return {}


def _infer_columns(rows: Rows, area_index: int, area_col: int, width: int) -> _Columns | None:
    """Find the reference column, the layout and every other column of one table."""
    # The reference column holds the first "Standard X1" cell (A in every known variant;
    # B or C when a serial-number column comes first).
    first_cols = min(width, 4)
    ref = first_standard = -1
    for index in range(area_index, len(rows)):
        row = rows[index]
        for col in range(min(first_cols, len(row))):
            cell = row[col]
            if cell.__class__ is str and cell and _classify_ref(cell)[0] == _STANDARD:
                ref, first_standard = col, index
                break
        if ref >= 0:
            break
    if ref < 0:
        return None
    end = min(len(rows), first_standard + _SAMPLE_ROWS)

    prefixed = bare = 0
    code_rows: list[int] = []
    standard_rows: list[int] = []
    continuation_rows: list[int] = []
    for index in range(area_index, end):
        row = rows[index]
        cell = row[ref] if ref < len(row) else ""
        if cell.__class__ is not str or not cell:
            continuation_rows.append(index)
            continue
        kind, _code, _rest, had_prefix = _classify_ref(cell)
        if kind == _CODE:
            code_rows.append(index)
            if had_prefix:
                prefixed += 1
            else:
                bare += 1
        elif kind == _STANDARD:
            standard_rows.append(index)
        elif kind == _BLANK:
            continuation_rows.append(index)
    # NQAS rows carry checkpoint text two columns right of the reference; Kayakalp rows
    # carry the method there ("G1.1 | text | OB/SI"). The "ME" prefix decides a tie.
    beside = ref + 2
    methods_beside = texts_beside = 0
    for index in code_rows:
        cell = rows[index][beside] if beside < len(rows[index]) else ""
        if isinstance(cell, str) and _has_text(cell):
            if len(cell) < 24 and _METHOD_CELL_RE.match(cell):
                methods_beside += 1
            else:
                texts_beside += 1
    if methods_beside != texts_beside:
        layout = KAYAKALP if methods_beside > texts_beside else NQAS
    else:
        layout = KAYAKALP if bare > prefixed else NQAS
    header = _header_roles(rows, area_index)

    # Assessment methods are recognisable by content: the column where most cells read
    # like "SI/OB" on the table's rows.
    method_hits: dict[int, int] = {}
    for index in range(area_index, end):
        row = rows[index]
        for col in range(ref + 1, len(row)):
            cell = row[col]
            if cell.__class__ is str and 1 < len(cell) < 24 and _METHOD_CELL_RE.match(cell):
                method_hits[col] = method_hits.get(col, 0) + 1
    by_content = max(method_hits, key=method_hits.__getitem__) if method_hits else None
    if by_content is not None and method_hits[by_content] < 3:
        by_content = None
    method = header.get("method")
    if method is None or (
        by_content is not None and method_hits.get(method, 0) == 0 and method_hits[by_content] >= 5
    ):
        method = by_content

    if layout == NQAS:
        return _nqas_columns(
            rows, header, method, ref, area_col, width, continuation_rows, code_rows, standard_rows
        )
    return _kayakalp_columns(rows, header, method, ref, area_col, width, code_rows, standard_rows)


def _nqas_columns(
    rows: Rows,
    header: dict[str, int],
    method: int | None,
    ref: int,
    area_col: int,
    width: int,
    continuation_rows: list[int],
    code_rows: list[int],
    standard_rows: list[int],
) -> _Columns:
    layout = NQAS
    shift = 0 if method is None else method - (ref + 4)
    if method is None:
        method = ref + 4
    me_text = header.get("me_text", ref + 1)
    text = header.get("text")
    if text is None:
        text = _text_column(rows, continuation_rows, ref + 1, method, ref + 2 + shift)
    taken = {ref, me_text, text, method}
    compliance = header.get("compliance")
    if compliance is None:
        compliance = _numeric_column(rows, code_rows, width, exclude=taken, only_levels=True)
        if compliance is None:
            compliance = method - 1 if method - 1 not in taken else text + 1
    mov = header.get("mov", method + 1)
    remark = header.get("remark", max(mov, method) + 1)
    obtained = header.get("obtained")
    maximum = header.get("maximum")
    service = _service_column(rows, header, ref, text, continuation_rows + code_rows)
    if service is not None:
        layout = AAM_SC
    if obtained is None or maximum is None:
        last = max(remark, mov, method, compliance)
        found = _total_columns(rows, standard_rows, after=last)
        if len(found) < 2:
            found = [last + 1, last + 2]
        if obtained is None:
            obtained = found[0] if maximum is None or found[0] != maximum else found[1]
        if maximum is None:
            maximum = found[1] if found[1] != obtained else obtained + 1
    return _Columns(
        layout=layout,
        ref=ref,
        area=area_col,
        text=text,
        me_text=me_text,
        compliance=compliance,
        method=method,
        mov=mov,
        remark=remark,
        obtained=obtained,
        maximum=maximum,
        service=service,
    )


def _service_column(
    rows: Rows, header: dict[str, int], ref: int, text: int, table_rows: list[int]
) -> int | None:
    """The service-package column left of the reference (AAM-SC), if the sheet has one:
    named "Service..." by the header, or holding a short tag on most checkpoint rows."""
    named = header.get("service")
    if named is not None and named < ref:
        return named
    checkpoint_rows = [i for i in table_rows if text < len(rows[i]) and _has_text(rows[i][text])]
    if len(checkpoint_rows) < 10:
        return None
    for col in range(ref):
        tags = [rows[i][col] for i in checkpoint_rows]
        short = sum(1 for t in tags if t.__class__ is str and _has_text(t) and len(t) <= 30)
        if short >= 0.8 * len(checkpoint_rows):
            return col
    return None


def _kayakalp_columns(
    rows: Rows,
    header: dict[str, int],
    method: int | None,
    ref: int,
    area_col: int,
    width: int,
    code_rows: list[int],
    standard_rows: list[int],
) -> _Columns:
    layout = KAYAKALP
    # Kayakalp: code, text, method, means of verification; a compliance column only when
    # the workbook has one (named by its header, or holding numbers on checkpoint rows).
    text = header.get("text", ref + 1)
    if method is None:
        method = text + 1
    mov_default = method + 1 if method + 1 < width else None
    mov = header.get("mov", mov_default)
    remark = header.get("remark")
    compliance = header.get("compliance")
    obtained = header.get("obtained")
    maximum = header.get("maximum")
    if compliance is None:
        taken: set[int | None] = {ref, text, method, mov, remark, obtained, maximum}
        compliance = _numeric_column(rows, code_rows, width, exclude=taken, only_levels=False)
    if obtained is None and maximum is None:
        last = max(c for c in (method, mov, compliance, remark) if c is not None)
        found = _total_columns(rows, standard_rows, after=last)
        if len(found) >= 2:
            obtained, maximum = found[0], found[1]
    return _Columns(
        layout=layout,
        ref=ref,
        area=area_col,
        text=text,
        me_text=None,
        compliance=compliance,
        method=method,
        mov=mov,
        remark=remark,
        obtained=obtained,
        maximum=maximum,
    )


def _text_column(
    rows: Rows, continuation_rows: list[int], first: int, stop: int, default: int
) -> int:
    """The checkpoint column: where continuation rows (blank reference) hold their text."""
    best, best_hits = default, 0
    for col in range(first, stop):
        hits = sum(1 for i in continuation_rows if col < len(rows[i]) and _has_text(rows[i][col]))
        if hits > best_hits:
            best, best_hits = col, hits
    return best if best_hits >= 3 else default


def _total_columns(rows: Rows, standard_rows: list[int], *, after: int) -> list[int]:
    """Columns right of `after` that hold numbers on standard rows (obtained, maximum)."""
    hits: dict[int, int] = {}
    for index in standard_rows:
        row = rows[index]
        for col in range(after + 1, len(row)):
            if _number(row[col]) is not None:
                hits[col] = hits.get(col, 0) + 1
    return sorted(hits)[:2]


def _numeric_column(
    rows: Rows,
    code_rows: list[int],
    width: int,
    *,
    exclude: Collection[int | None],
    only_levels: bool,
) -> int | None:
    """The column that holds numbers (or NA) on checkpoint rows, if any."""
    best: int | None = None
    best_hits = 0
    for col in range(width):
        if col in exclude:
            continue
        hits = bad = 0
        for index in code_rows:
            row = rows[index]
            cell = row[col] if col < len(row) else ""
            if cell == "" or cell is None:
                continue
            number = _number(cell)
            if number is not None:
                if only_levels and number not in (0.0, 1.0, 2.0):
                    bad += 1
                else:
                    hits += 1
            elif cell.__class__ is str and _NON_WORD_RE.sub("", cell.lower()) in _NA_WORDS:
                hits += 1
            else:
                bad += 1
        if hits > best_hits and hits >= bad * 4:
            best, best_hits = col, hits
    return best


# ------------------------------------------------------------------------------- header
def _header_facts(rows: Rows, stop: int, header: dict[str, str]) -> None:
    """Add the assessment summary's facts found above the table (first value wins)."""
    for row in rows[:stop]:
        cells = row[:14]
        for col, cell in enumerate(cells):
            if cell.__class__ is not str or not cell or len(cell) > 80:
                continue
            key = _header_label(cell)
            if key is None or key in header:
                continue
            value = ""
            if ":" in cell:
                value = cell.split(":", 1)[1].strip()
            if not value:
                for other in cells[col + 1 :]:
                    if other == "" or other is None:
                        continue
                    if other.__class__ is str and _header_label(other) is not None:
                        break
                    value = _text(other)
                    break
            if value:
                header[key] = value


def _header_label(cell: str) -> str | None:
    low = " ".join(cell.lower().split())
    if len(low) > 60:
        return None
    for key, labels in _HEADER_LABELS:
        for label in labels:
            if label in low:
                return key
    return None


# ------------------------------------------------------------------------------ reading
def read_workbook(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str | None = None,
    processes: int = 1,
) -> ParsedWorkbook:
    """Read one official checklist workbook: every department sheet in it.

    `name` is how errors name the file (default: the path as given), e.g. the original
    name of an uploaded file. `processes` > 1 lets that many processes parse the sheets
    (see `open_workbook`). Raises `WorkbookError`, with a one-line message saying where,
    for anything it cannot read.
    """
    with (
        collector_paused(),
        open_workbook(path, max_bytes=max_bytes, name=name, processes=processes) as reading,
    ):
        for _ in reading:
            pass
    return reading.parsed


def open_workbook(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str | None = None,
    processes: int = 1,
    parent_weight: float = 1.0,
) -> WorkbookReading:
    """Open a workbook for reading department by department (see `WorkbookReading`).

    With `processes` > 1 and a workbook big enough to gain from it, `processes` - 1
    forked children parse shares of the sheets (`forked`) alongside this process, which
    takes `parent_weight` times a child's share: less than 1 when it has other work to
    do meanwhile (writing each department to the database as it comes), 0 for none.
    Same result whatever the split. Raises `WorkbookError` when the file cannot be
    opened.
    """
    fspath = os.fspath(path)
    file = name if name is not None else fspath
    try:
        size = os.stat(fspath).st_size
    except FileNotFoundError:
        raise WorkbookError("file not found", file=file) from None
    except OSError as exc:
        raise WorkbookError(f"cannot read the file ({exc.strerror or exc})", file=file) from None
    if not os.path.isfile(fspath):
        raise WorkbookError("not a file", file=file)
    if size > max_bytes:
        raise WorkbookError(
            f"file is {_size(size)}, larger than the limit of {_size(max_bytes)}", file=file
        )
    if size == 0:
        raise WorkbookError("not an Excel workbook (the file is empty)", file=file)
    expanded = _check_unzipped_size(fspath, file, max_bytes * UNZIPPED_FACTOR)
    children = processes - 1 if processes > 1 and expanded >= FORK_FROM_BYTES else 0
    return WorkbookReading(fspath, file, children=children, parent_weight=parent_weight)


# A sheet's outcome: (department or None if skipped, layout, warnings, header facts,
# notes for `identity`, error or None), from whichever process read it.
_Outcome = tuple[
    ParsedDepartment | None, str, list[str], dict[str, str], dict[str, list],
    WorkbookError | None,
]


class WorkbookReading:
    """A workbook being read: `with` it, iterate to get each department in sheet order
    as soon as it is read; `parsed` holds everything read so far (all of it once the
    iteration ends). Entering raises `WorkbookError` when the file is no workbook;
    iterating raises it at the first sheet that cannot be read, or at the end when no
    sheet held a checklist."""

    def __init__(self, fspath: str, file: str, *, children: int, parent_weight: float) -> None:
        self.file = file
        self.fspath = fspath
        self.sheets: list[str] = []
        self.hidden: Collection[str] = ()
        self.parsed = ParsedWorkbook(path=fspath, layout=NQAS, levels=NQAS_LEVELS)
        self._book: CalamineWorkbook | None = None
        self._xml: WorkbookXml | None = None
        # Every process opens the file itself, after the fork: at the same time, and
        # each with its own file offset.
        self._forked = Forked(self._open, self._read_one, children=children,
                              parent_weight=parent_weight, encode=_outcome_to_plain,
                              decode=_outcome_from_plain)
        self._outcomes: Iterator[_Outcome] | None = None

    def __enter__(self) -> WorkbookReading:
        self._outcomes = self._forked.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._forked.__exit__(*exc)
        if self._xml is not None:
            self._xml.close()

    def _open(self) -> list[str]:
        """Open the file; its worksheets, in order."""
        try:
            book = CalamineWorkbook.from_path(self.fspath)
            metadata = {m.name: m for m in book.sheets_metadata}
            sheets = [
                sheet for sheet in book.sheet_names
                # chart sheets and the like hold no cells
                if sheet not in metadata or metadata[sheet].typ == SheetTypeEnum.WorkSheet
            ]
        except Exception as exc:  # calamine raises several types; all mean "cannot open"
            raise WorkbookError(
                f"not an Excel workbook or the file is corrupt ({_one_line(exc)})",
                file=self.file,
            ) from None
        self._book, self.sheets = book, sheets
        self._xml = WorkbookXml(self.fspath)
        self.hidden = {
            sheet for sheet in sheets
            if sheet in metadata and metadata[sheet].visible != SheetVisibleEnum.Visible
        }
        return sheets

    def ready(self) -> bool:
        """Whether the next sheet's outcome is at hand, so that iterating on would not
        wait for a child process: a consumer with work of its own can do it meanwhile."""
        return self._forked.ready()

    def __iter__(self) -> Iterator[ParsedDepartment]:
        if self._outcomes is None:
            raise RuntimeError("use `with open_workbook(...) as reading:`")
        parsed = self.parsed
        layout: str | None = None
        first_sheet = ""
        notes: dict[str, dict[str, list]] = {}
        for sheet_name, outcome in zip(self.sheets, self._outcomes, strict=True):
            department, sheet_layout, warnings, header, sheet_notes, error = outcome
            if error is not None:
                raise error
            notes[sheet_name] = sheet_notes
            parsed.warnings.extend(warnings)
            for key, value in header.items():
                parsed.header.setdefault(key, value)
            if department is None:
                continue
            if layout is None:
                layout, first_sheet = sheet_layout, sheet_name
                parsed.layout = layout
                parsed.levels = KAYAKALP_LEVELS if layout == KAYAKALP else NQAS_LEVELS
            elif sheet_layout != layout:
                raise WorkbookError(
                    f"unknown layout: this sheet reads as a {sheet_layout} checklist but sheet "
                    f"'{first_sheet}' as {layout}; a workbook must hold one kind",
                    file=self.file,
                    sheet=sheet_name,
                )
            if sheet_name in self.hidden:
                parsed.warnings.append(f"sheet '{sheet_name}': the sheet is hidden in the workbook")
            parsed.departments.append(department)
            yield department
        if not parsed.departments:
            raise WorkbookError(
                "unknown layout: no sheet has an 'Area of Concern - X' row followed by standards",
                file=self.file,
            )
        identify(parsed, notes, department_sheets=[d.sheet for d in parsed.departments])

    def _read_one(self, sheet_name: str) -> _Outcome:
        local = ParsedWorkbook(path=self.fspath, layout=NQAS)
        notes: dict[str, list] = {}
        try:
            assert self._xml is not None  # opened by `_open` in this process
            try:
                # Before calamine builds the sheet's grid, which spans every cell to the
                # farthest one: refuse a sheet that reaches absurdly far.
                facts = self._xml.facts(sheet_name)
            except ExtentError as exc:
                raise WorkbookError(str(exc), file=self.file, sheet=sheet_name) from None
            try:
                assert self._book is not None  # opened by `_open` in this process
                rows = self._book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise WorkbookError(
                    f"cannot read the sheet ({_one_line(exc)})", file=self.file, sheet=sheet_name
                ) from None
            department, layout = _read_sheet(self.file, sheet_name, rows, local, facts, notes)
        except WorkbookError as error:
            return None, "", [], {}, {}, error
        return department, layout, local.warnings, local.header, notes, None


def _outcome_to_plain(outcome: _Outcome) -> tuple:
    department, layout, warnings, header, notes, error = outcome
    return (None if department is None else department_to_plain(department), layout,
            warnings, header, notes, None if error is None else error_to_plain(error))


def _outcome_from_plain(plain: tuple) -> _Outcome:
    department, layout, warnings, header, notes, error = plain
    return (None if department is None else department_from_plain(department), layout,
            warnings, header, notes, None if error is None else error_from_plain(error))


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n:,} bytes"


def _check_unzipped_size(fspath: str, file: str, limit: int) -> int:
    """Refuse a zipped workbook (xlsx, ods) that would expand beyond `limit` bytes; the
    size it expands to (0 when it is not a zip)."""
    expanded = unzipped_size(fspath)
    if expanded is None:
        return 0  # not a zip (xls) or a broken one: calamine says which
    if expanded > limit:
        raise WorkbookError(
            f"file expands to {_size(expanded)} when unzipped, more than the limit of "
            f"{_size(limit)}",
            file=file,
        )
    return expanded


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _table_start(rows: Rows) -> tuple[int, int]:
    """(row, column) of the table's first "Area of Concern - X" row, or (-1, -1).

    That is the last area row before the first standard row, so that a score card that
    labels its lines "Area of Concern - A ..." is not taken for the table.
    """
    found = (-1, -1)
    for index, row in enumerate(rows):
        for col in range(min(len(row), 4)):
            cell = row[col]
            if cell.__class__ is not str or not cell:
                continue
            if _area_match(cell):
                found = (index, col)
                break
            if found[0] >= 0 and _classify_ref(cell)[0] == _STANDARD:
                return found
    return found


def _read_sheet(
    file: str,
    sheet: str,
    rows: Rows,
    parsed: ParsedWorkbook,
    facts: SheetFacts | None = None,
    notes: dict[str, list] | None = None,
) -> tuple[ParsedDepartment | None, str]:
    area_index, area_col = _table_start(rows)
    if notes is not None:
        _sheet_notes(rows, area_index, notes)
    if area_index < 0:
        parsed.warnings.append(
            f"sheet '{sheet}': no 'Area of Concern - X' row, so no checklist table; skipped"
        )
        return None, ""
    width = max((len(r) for r in rows[area_index : area_index + 50]), default=0)
    columns = _infer_columns(rows, area_index, area_col, width)
    if columns is None:
        parsed.warnings.append(
            f"sheet '{sheet}': an 'Area of Concern' row (row {area_index + 1}) but no "
            "'Standard' rows; skipped"
        )
        return None, ""
    needed = columns.highest() + 1
    if min(map(len, rows[area_index:])) < needed:
        rows = [
            *rows[:area_index],
            *(
                [*r, *([""] * (needed - len(r)))] if len(r) < needed else r
                for r in rows[area_index:]
            ),
        ]
    not_checklist = _not_a_checklist(rows, area_index, columns)
    if not_checklist:
        parsed.warnings.append(f"sheet '{sheet}': {not_checklist}; skipped")
        return None, ""
    _header_facts(rows, area_index, parsed.header)
    skip: frozenset[int] = frozenset()
    if facts is not None and facts.hidden_rows:
        skip = _hidden_rows(sheet, rows, area_index, columns, facts, parsed.warnings)
    department = ParsedDepartment(name=sheet.strip(), sheet=sheet, columns=columns.letters(),
                                  not_present=_switched_off(rows, area_index))
    builder = _Builder(department, sheet, parsed.warnings)
    if columns.layout == KAYAKALP:
        _read_kayakalp_table(file, rows, area_index, columns, builder, skip)
    else:
        _read_nqas_table(file, rows, area_index, columns, builder, skip)
    if not builder.standards:
        parsed.warnings.append(f"sheet '{sheet}': a table without standards; skipped")
        return None, columns.layout
    if department.not_present:
        parsed.warnings.append(
            f"sheet '{sheet}': its NA switch says the facility has no such department; "
            "read, marked not present"
        )
    if notes is not None and facts is not None and columns.layout == AAM_SC:
        notes["themes"] = _theme_table(rows, department, facts)
    return department, columns.layout


_TITLE_ROWS = 15
_MAX_TITLES = 40


def _sheet_notes(rows: Rows, area_index: int, notes: dict[str, list]) -> None:
    """Texts above the table (titles, version) and a service-package list, for
    `identity`."""
    stop = min(area_index if area_index >= 0 else len(rows), _TITLE_ROWS)
    titles = [
        " ".join(cell.split())[:200]
        for row in rows[:stop]
        for cell in row[:16]
        if cell.__class__ is str and any(ch.isalpha() for ch in cell)
    ]
    notes["titles"] = titles[:_MAX_TITLES]
    packages: list[list[object]] = []
    scan = rows[: min(len(rows), 120)]
    if any(_is_mandatory(cell) for row in scan for cell in row[:16]):
        # "1 | Care in pregnancy & Childbirth | Mandatory | 7 | ... NCD | Mandatory"
        for row in scan:
            cells = [c for c in row[:16] if c != "" and c is not None]
            if not any(_is_mandatory(c) for c in cells):
                continue  # a score table further down lists the packages too
            for at, cell in enumerate(cells[:-1]):
                name = cells[at + 1]
                if _number(cell) is None or not _has_text(name) or _is_mandatory(name):
                    continue
                mandatory = at + 2 < len(cells) and _is_mandatory(cells[at + 2])
                packages.append([" ".join(str(name).split()), mandatory])
    notes["packages"] = packages


def _is_mandatory(cell: object) -> bool:
    return cell.__class__ is str and cell.strip().lower() == "mandatory"


_NA_SWITCH_OFF = frozenset({"0", "na", "no", "notapplicable", "notavailable", "absent", "n"})


def _switched_off(rows: Rows, area_index: int) -> bool:
    """Whether the sheet's "NA switch" (DH 2019) says the department is absent.

    The switch is a labelled cell above the table; its value sits right of the label or
    in the row below. Present unless that value reads 0, NA or No.
    """
    for index in range(min(area_index, _TITLE_ROWS)):
        row = rows[index]
        for col, cell in enumerate(row[:16]):
            if cell.__class__ is not str or _NON_WORD_RE.sub("", cell.lower()) != "naswitch":
                continue
            candidates = [c for c in row[col + 1 : col + 4] if c != "" and c is not None]
            if not candidates and index + 1 < len(rows):
                below = rows[index + 1]
                candidates = [c for c in below[col : col + 4] if c != "" and c is not None]
            if not candidates:
                return False
            value = candidates[0]
            word = _fmt_number(value) if isinstance(value, float) else str(value)
            return _NON_WORD_RE.sub("", word.lower()) in _NA_SWITCH_OFF
    return False


def _theme_table(
    rows: Rows, department: ParsedDepartment, facts: SheetFacts
) -> list[list[object]]:
    """The theme scores below an AAM-SC table: numbered rows whose formula pools chosen
    parts of the checklist (`(J15+J499+...)/(K15+K499+...)`). [number, name, [ME codes]].

    A formula names the totals of a standard row (all its measurable elements), of an ME
    row, or of a single checkpoint row (the measurable element it belongs to).
    """
    me_rows: dict[int, list[str]] = {}
    for a in department.areas:
        for s in a.standards:
            me_rows[s.row] = [me.code for me in s.measurable_elements]
            for me in s.measurable_elements:
                me_rows[me.row] = [me.code]
            for c in s.checkpoints:
                if c.me_code is not None:
                    me_rows.setdefault(c.row, [c.me_code])
    last = max(me_rows, default=0)
    # Only the totals count: a theme's formula may also read a switch cell elsewhere.
    totals = {department.columns.get("obtained"), department.columns.get("maximum")}
    themes: list[list[object]] = []
    for formula_row in sorted(facts.formula_spans):
        if formula_row <= last or formula_row > len(rows):
            continue
        codes: list[str] = []
        for first, end, column in facts.formula_spans[formula_row]:
            if column not in totals:
                continue
            for r in range(first, min(end, first + 400) + 1):
                codes.extend(c for c in me_rows.get(r, ()) if c not in codes)
        if not codes:
            continue
        row = rows[formula_row - 1]
        cells = [c for c in row[:8] if c != "" and c is not None]
        number = next((_number(c) for c in cells if _number(c) is not None), None)
        name = next((" ".join(c.split()) for c in cells if _has_text(c)), "")
        if number is None or not number.is_integer() or not name:
            continue
        themes.append([int(number), name, codes])
    return themes if len(themes) >= 2 else []


def _not_a_checklist(rows: Rows, start: int, cols: _Columns) -> str | None:
    """Why a sheet with an area-of-concern table is no department, or None if it is one.

    Workbooks carry, beside their department sheets, score cards and summaries that list
    areas and standards with their scores ("Department Wise", "Hospital Score") and
    reference lists that repeat the checklist with notes in place of answers (the AAM-SC
    `HWC-HSC_ME`). A summary has no measurable element (or numbered checkpoint) at all; a
    reference list has checkpoints but neither an assessment method nor a compliance
    number on any of them.
    """
    rc, tc, mc, dc = cols.ref, cols.text, cols.method, cols.compliance
    codes = answered = 0
    for index in range(start, len(rows)):
        row = rows[index]
        cell = row[rc] if rc < len(row) else ""
        if cell.__class__ is str and cell and _classify_ref(cell)[0] == _CODE:
            codes += 1
        if tc < len(row) and _has_text(row[tc]) and (
            (mc is not None and mc < len(row) and parse_methods(row[mc])[0])
            or (dc is not None and dc < len(row) and _number(row[dc]) is not None)
        ):
            answered += 1
        if codes and answered:
            return None
    if not codes:
        return "a score card or summary (standards without measurable elements), no department"
    return ("a reference list (checkpoints without an assessment method or a compliance "
            "value), no department")


def _row_list(indices: Collection[int]) -> str:
    """0-based row indices -> "12-20, 31" as Excel numbers them."""
    spans: list[list[int]] = []
    for n in sorted(i + 1 for i in indices):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _hidden_rows(
    sheet: str, rows: Rows, start: int, cols: _Columns, facts: SheetFacts, warnings: list[str]
) -> frozenset[int]:
    """The rows of the table to leave out under the hidden-row rule (0-based).

    Templates hide leftovers that no standard counts (a superseded standard, a pre-filled
    block); assessors hide rows they have answered, and the standard's formula still
    counts them. So a hidden checkpoint row that some standard row's formula range covers
    is read like any other, and one that none covers is no checkpoint; a hidden standard
    row goes with it when every checkpoint under it goes. Both are named in a warning.
    """
    rc = cols.ref
    covered: set[int] = set()
    for formula_row, spans in facts.formula_spans.items():
        index = formula_row - 1
        if not start <= index < len(rows):
            continue
        cell = rows[index][rc] if rc < len(rows[index]) else ""
        if cell.__class__ is str and cell and _classify_ref(cell)[0] == _STANDARD:
            for first, last, _column in spans:
                if last - first < MAX_SPAN:
                    covered.update(range(first - 1, last))
    hidden = {r - 1 for r in facts.hidden_rows if start <= r - 1 < len(rows)}
    tc = cols.text

    def has_checkpoint(index: int) -> bool:
        row = rows[index]
        return tc < len(row) and _has_text(row[tc])

    counted = sorted(i for i in hidden if i in covered and has_checkpoint(i))
    dropped = {i for i in hidden if i not in covered and has_checkpoint(i)}
    # A hidden standard row whose every checkpoint row is dropped (and any hidden ME rows
    # under it) goes too: the template's superseded copy of a standard.
    for index in sorted(hidden - covered):
        row = rows[index]
        cell = row[rc] if rc < len(row) else ""
        if not (cell.__class__ is str and cell and _classify_ref(cell)[0] == _STANDARD):
            continue
        block: list[int] = []
        for later in range(index + 1, len(rows)):
            later_cell = rows[later][rc] if rc < len(rows[later]) else ""
            if later_cell.__class__ is str and later_cell and _classify_ref(later_cell)[0] in (
                _STANDARD, _AREA
            ):
                break
            block.append(later)
        checkpoint_rows = [i for i in block if has_checkpoint(i)]
        if checkpoint_rows and all(i in dropped for i in checkpoint_rows):
            dropped.add(index)
            dropped.update(i for i in block if i in hidden and i not in covered)
    if counted:
        warnings.append(
            f"sheet '{sheet}': hidden rows {_row_list(counted)} are counted by their "
            "standard's formula; read as checkpoints"
        )
    if dropped:
        warnings.append(
            f"sheet '{sheet}': hidden rows {_row_list(dropped)} are outside every standard's "
            "formula range; not read as checkpoints"
        )
    return frozenset(dropped)


# A formula range longer than this is a total over the sheet, not one standard's rows.
MAX_SPAN = 400


class _Builder:
    """The sheet's hierarchy as it is read, kept unique by code."""

    __slots__ = (
        "department",
        "sheet",
        "warnings",
        "areas",
        "standards",
        "area",
        "standard",
        "mes",
        "merged",
    )

    def __init__(self, department: ParsedDepartment, sheet: str, warnings: list[str]) -> None:
        self.department = department
        self.sheet = sheet
        self.warnings = warnings
        self.areas: dict[str, ParsedArea] = {}
        self.standards: dict[str, ParsedStandard] = {}
        self.area: ParsedArea | None = None
        self.standard: ParsedStandard | None = None
        self.mes: dict[str, ParsedMeasurableElement] = {}
        self.merged = False  # the current standard repeats an earlier one

    def warn(self, index: int, message: str) -> None:
        self.warnings.append(f"sheet '{self.sheet}' row {index + 1}: {message}")

    def start_area(self, letter: str, title: str, index: int) -> None:
        area = self.areas.get(letter)
        if area is None:
            area = ParsedArea(letter=letter, title=title, row=index + 1)
            self.areas[letter] = area
            self.department.areas.append(area)
        else:
            self.warn(
                index, f"area of concern {letter} again (first at row {area.row}); read as one"
            )
        self.area = area
        self.standard = None
        self.mes = {}

    def start_standard(
        self, code: str, title: str, index: int, obtained: float | None, maximum: float | None
    ) -> ParsedStandard:
        if self.area is None:
            self.warn(index, f"standard {code} outside any area of concern; placed in {code[0]}")
            self.start_area(code[0], "", index)
        assert self.area is not None
        if code[0] != self.area.letter:
            self.warn(index, f"standard {code} is under area of concern {self.area.letter}")
        standard = self.standards.get(code)
        if standard is None:
            standard = ParsedStandard(
                code=code,
                title=title,
                row=index + 1,
                workbook_obtained=obtained,
                workbook_maximum=maximum,
            )
            self.standards[code] = standard
            self.area.standards.append(standard)
            self.mes = {}
            self.merged = False
        else:
            self.warn(
                index,
                f"standard {code} again (first at row {standard.row}); its checkpoints are "
                "added to the first",
            )
            standard.workbook_obtained = _add(standard.workbook_obtained, obtained)
            standard.workbook_maximum = _add(standard.workbook_maximum, maximum)
            self.mes = {me.code: me for me in standard.measurable_elements}
            self.merged = True
        self.standard = standard
        return standard

    def start_me(self, code: str, text: str, index: int) -> None:
        standard = self.standard
        assert standard is not None
        me = self.mes.get(code)
        if me is None:
            me = make_element((code, text, index + 1))
            standard.measurable_elements.append(me)
            self.mes[code] = me
            if not code.startswith(standard.code + "."):
                self.warn(index, f"ME {code} is under standard {standard.code}")
        elif not self.merged:  # a repeated standard repeats its MEs: said once already
            self.warn(
                index,
                f"ME {code} again (first at row {me.row}); its checkpoints are added to the first",
            )


def _add(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _method_warning(sheet: str, index: int, unknown: tuple[str, ...], cell: object) -> str:
    text = _text(cell)
    if len(text) > 40:
        text = text[:37] + "..."
    tokens = ", ".join(unknown[:4]) + (", ..." if len(unknown) > 4 else "")
    return (
        f"sheet '{sheet}' row {index + 1}: unknown assessment method {tokens} in {text!r} "
        "(known: SI, OB, RR, PI)"
    )


def _service_tag(cell: object) -> str | None:
    """A service column's cell -> its tag with spaces tidied ("SC Type B"); None if blank."""
    text = " ".join(_text(cell).split())
    return text or None


def _area_title(title: str, row: Row, col: int) -> str:
    if title:
        return title
    for cell in row[col + 1 : col + 3]:
        if _has_text(cell):
            return _text(cell)
    return ""


def _read_nqas_table(
    file: str, rows: Rows, start: int, cols: _Columns, builder: _Builder, skip: frozenset[int]
) -> None:
    rc, tc = cols.ref, cols.text
    bc = cols.me_text if cols.me_text is not None else rc + 1
    dc, mc, vc, gc = cols.compliance, cols.method, cols.mov, cols.remark
    hc, ic = cols.obtained, cols.maximum
    sc = cols.service
    sheet = builder.sheet
    levels = NQAS_LEVELS
    level_set = frozenset(levels)
    d_letter = column_letter(dc) if dc is not None else "?"
    t_letter = column_letter(tc)
    area_cols = tuple(sorted({cols.area, bc, tc} - {rc}))
    warnings = builder.warnings
    standard: ParsedStandard | None = None
    me_code: str | None = None
    ended = False  # inside a score summary that follows the table
    cached_ref = _REF_CACHE.get
    cached_methods = _METHOD_CACHE.get
    new_checkpoint = make_checkpoint

    for index in range(start, len(rows)):
        if index in skip:
            continue
        row = rows[index]
        a = row[rc]
        if a.__class__ is str and a:
            info = cached_ref(a) or _classify_ref(a)
            kind = info[0]
        else:
            kind = _BLANK  # blank or a number (serial numbers, the summary's 0/1/2 list)
        c = row[tc]
        if not (c.__class__ is str and c and (len(c) > 2 and not c.isspace() or _has_text(c))):
            # No checkpoint text: structure, an ME without checkpoints, or noise.
            if kind == _CODE:
                if builder.standard is None:
                    builder.warn(index, f"ME {info[1]} before any standard; ignored")
                    continue
                builder.start_me(info[1], _text(row[bc]) or info[2], index)
                me_code = info[1]
                ended = False
            elif kind == _STANDARD:
                standard = builder.start_standard(
                    info[1],
                    _text(row[bc]) or info[2],
                    index,
                    _number(row[hc]) if hc is not None else None,
                    _number(row[ic]) if ic is not None else None,
                )
                me_code = None
                ended = False
            elif kind == _AREA:
                builder.start_area(info[1], _area_title(info[2], row, rc), index)
                standard = me_code = None
                ended = False
            else:  # an area row with its title further right, a summary row, or noise
                for col in area_cols:
                    match = _area_match(row[col])
                    if match:
                        title = _area_title(match.group(2).strip(), row, col)
                        builder.start_area(match.group(1).upper(), title, index)
                        standard = me_code = None
                        ended = False
                        break
                else:
                    if not ended and (
                        _is_summary_label(row[bc]) if kind == _BLANK else _ends_table(a)
                    ):
                        ended = True
            continue

        # Checkpoint text. Structure on the same row comes first.
        if kind == _CODE:
            if standard is None:
                raise WorkbookError(
                    "checkpoint before any standard",
                    file=file,
                    sheet=sheet,
                    row=index + 1,
                    column=t_letter,
                )
            builder.start_me(info[1], _text(row[bc]) or info[2], index)
            me_code = info[1]
            ended = False
        elif kind == _BLANK:
            if "oncern" in c:
                match = _area_match(c)
                if match:  # an area row whose title sits in the checkpoint column
                    builder.start_area(match.group(1).upper(), match.group(2).strip(), index)
                    standard = me_code = None
                    ended = False
                    continue
            if ended:
                continue
            if len(c) < 25 and (_is_summary_label(c) or _is_summary_label(row[bc])):
                ended = True  # "Obtained | Maximum | Percent" below the table
                continue
        elif kind == _STANDARD:
            standard = builder.start_standard(
                info[1],
                _text(row[bc]) or info[2],
                index,
                _number(row[hc]) if hc is not None else None,
                _number(row[ic]) if ic is not None else None,
            )
            me_code = None
            ended = False
        elif kind == _AREA:
            builder.start_area(info[1], info[2], index)
            standard = me_code = None
            ended = False
            continue
        else:  # unrecognised text in the reference column
            if ended:
                continue
            if _ends_table(a) or _is_summary_label(c) or _is_summary_label(row[bc]):
                ended = True
                continue
            builder.warn(
                index,
                f"unrecognised reference {_text(a)!r} in column {column_letter(rc)}; "
                "read as a continuation row",
            )
        if standard is None:
            raise WorkbookError(
                "checkpoint before any standard",
                file=file,
                sheet=sheet,
                row=index + 1,
                column=t_letter,
            )

        value = None
        if dc is not None:
            d = row[dc]
            if d.__class__ is float and d in level_set:
                value = d
            elif d != "":
                try:
                    value = _compliance(d, level_set, levels)
                except _BadValue as bad:
                    raise _bad_value_error(bad, levels, file, sheet, index, d_letter) from None
        m = row[mc] if mc is not None else ""
        methods = cached_methods(m) if m.__class__ is str else None
        if methods is None:
            methods = parse_methods(m)
        if methods[1]:
            warnings.append(_method_warning(sheet, index, methods[1], m))
        mov = row[vc] if vc is not None else ""
        remark = row[gc] if gc is not None else ""
        standard.checkpoints.append(
            new_checkpoint((
                index + 1,
                c.strip(),
                None,
                me_code,
                methods[0],
                mov.strip() if mov.__class__ is str else _text(mov),
                value,
                remark.strip() if remark.__class__ is str else _text(remark),
                None if sc is None else _service_tag(row[sc]),
            ))
        )


def _read_kayakalp_table(
    file: str, rows: Rows, start: int, cols: _Columns, builder: _Builder, skip: frozenset[int]
) -> None:
    rc, tc = cols.ref, cols.text
    dc, mc, vc, gc = cols.compliance, cols.method, cols.mov, cols.remark
    hc, ic = cols.obtained, cols.maximum
    sheet = builder.sheet
    levels = KAYAKALP_LEVELS
    level_set = frozenset(levels)
    d_letter = column_letter(dc) if dc is not None else "?"
    area_cols = tuple(sorted({cols.area, tc} - {rc}))
    ended = False

    for index in range(start, len(rows)):
        if index in skip:
            continue
        row = rows[index]
        a = row[rc]
        if a.__class__ is str and a:
            kind, code, rest, _prefixed = _classify_ref(a)
        else:
            kind, code, rest = _BLANK, "", ""
        if kind == _AREA:
            builder.start_area(code, _area_title(rest, row, rc), index)
            ended = False
            continue
        if kind == _STANDARD:
            builder.start_standard(
                code,
                _text(row[tc]) or rest,
                index,
                _number(row[hc]) if hc is not None else None,
                _number(row[ic]) if ic is not None else None,
            )
            ended = False
            continue
        if kind == _OTHER:
            if not ended and _ends_table(a):
                ended = True
            continue
        text_cell = row[tc]
        checkpoint_code: str | None = code
        if kind == _BLANK:
            match = None
            for col in area_cols:
                match = _area_match(row[col])
                if match:
                    title = _area_title(match.group(2).strip(), row, col)
                    builder.start_area(match.group(1).upper(), title, index)
                    ended = False
                    break
            if match or ended or not _has_text(text_cell):
                continue
            if _is_summary_label(text_cell) or (mc is not None and _is_summary_label(row[mc])):
                ended = True
                continue
            # An unnumbered row is a checkpoint only if it is answered or has a method.
            has_method = mc is not None and _has_text(row[mc])
            has_value = dc is not None and row[dc] not in ("", None)
            if not (has_method or has_value):
                continue
            checkpoint_code = None
        else:  # a numbered checkpoint
            ended = False
            if not _has_text(text_cell) and not rest:
                continue  # a number without checkpoint text is not a checkpoint
        standard = builder.standard
        if standard is None:
            raise WorkbookError(
                "checkpoint before any standard",
                file=file,
                sheet=sheet,
                row=index + 1,
                column=column_letter(rc if checkpoint_code else tc),
            )
        if checkpoint_code is not None and not checkpoint_code.startswith(standard.code + "."):
            builder.warn(index, f"checkpoint {checkpoint_code} is under standard {standard.code}")
        value = None
        if dc is not None:
            try:
                value = _compliance(row[dc], level_set, levels)
            except _BadValue as bad:
                raise _bad_value_error(bad, levels, file, sheet, index, d_letter) from None
        methods, unknown = parse_methods(row[mc]) if mc is not None else (frozenset(), ())
        if unknown:
            builder.warnings.append(_method_warning(sheet, index, unknown, row[mc] if mc else ""))
        standard.checkpoints.append(
            ParsedCheckpoint(
                row=index + 1,
                text=_text(text_cell) or rest,
                code=checkpoint_code,
                me_code=None,
                methods=methods,
                means_of_verification=_text(row[vc]) if vc is not None else "",
                value=value,
                remark=_text(row[gc]) if gc is not None else "",
            )
        )
