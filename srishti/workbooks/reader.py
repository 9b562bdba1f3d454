"""Read the official NQAS / LaQshya / Kayakalp Excel checklists into `ParsedWorkbook`.

One reader for the whole family of workbooks. Each department sheet holds an optional
header block (hospital, date, assessors), an optional score card (above or below the
table) and the checkpoint table. The table is located by its first "Area of Concern - X"
row, never by its header text; its columns are located from the header row when there is
one and from the cells themselves otherwise.

Two table layouts exist:

* ``nqas`` (NQAS and LaQshya): reference (``Standard A1``, ``ME A1.1``), measurable element,
  checkpoint, compliance (0/1/2, blank = NA), method, means of verification, remarks,
  obtained, maximum. A row with checkpoint text is a checkpoint; continuation rows leave
  the reference blank and belong to the current measurable element.
* ``kayakalp``: ``Standard G1`` rows and numbered checkpoints (``G1.1``) with the text next
  to the code, then method and means of verification; a compliance column (0/0.5/1) is
  found by its header or by its numbers when the workbook is filled.

The workbook's own totals (obtained/maximum on standard rows) are recorded but never
trusted; see `srishti.workbooks.audit`. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import zipfile
from dataclasses import dataclass

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from srishti.workbooks.parsed import (
    ParsedArea,
    ParsedCheckpoint,
    ParsedDepartment,
    ParsedMeasurableElement,
    ParsedStandard,
    ParsedWorkbook,
    WorkbookError,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "KAYAKALP",
    "KAYAKALP_LEVELS",
    "NQAS",
    "NQAS_LEVELS",
    "METHOD_CODES",
    "read_workbook",
    "parse_methods",
    "column_letter",
]

NQAS = "nqas"
KAYAKALP = "kayakalp"
NQAS_LEVELS: tuple[float, ...] = (0.0, 1.0, 2.0)
KAYAKALP_LEVELS: tuple[float, ...] = (0.0, 0.5, 1.0)
METHOD_CODES = frozenset({"SI", "OB", "RR", "PI"})

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# A zipped workbook (xlsx) may expand to this many times `max_bytes` (real ones: about 8x).
UNZIPPED_FACTOR = 16

# ----------------------------------------------------------------------------- patterns
# "Area of Concern - A Service Provision", en/em dash, colon or no dash, any spacing.
# The letter must stand alone so that "Area of Concern wise Score" is not an area row.
_AREA_RE = re.compile(
    r"^\W*area\s*of\s*concern\s*[-\u2010-\u2015:.]*\s*([a-z])(?![a-z])[\s\-\u2010-\u2015:.]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "Standard A1", "Standard G 5", "StandardD6", "Standard H1 .", "standard a1."
_STANDARD_RE = re.compile(
    r"^\W*standard\s*([a-z])\s*[-.]?\s*(\d+)(?![\d.,]\d)[\W_]*(.*)$",
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

# Header labels of the assessment summary block -> header key.
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

_NA_STRINGS = frozenset({"na", "n/a", "n.a", "n.a.", "not applicable", "n a", "n. a."})
_TEXT_LEVELS = {
    # Text answers some assessors type instead of numbers; index into the level tuple.
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
    """Assessment-method cell -> (codes among SI/OB/RR/PI, unknown tokens)."""
    if not isinstance(cell, str):
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
    if len(_METHOD_CACHE) < 4096:
        _METHOD_CACHE[cell] = result
    return result


# ---------------------------------------------------------------------------- references
_REF_CACHE: dict[str, tuple[int, str, str, bool]] = {}


def _classify_ref(cell: str) -> tuple[int, str, str, bool]:
    """Reference cell -> (kind, code, trailing text, had an "ME" prefix)."""
    hit = _REF_CACHE.get(cell)
    if hit is not None:
        return hit
    result: tuple[int, str, str, bool]
    stripped = cell.strip()
    if not stripped or not any(ch.isalnum() for ch in stripped):
        result = (_BLANK, "", "", False)
    else:
        result = (_OTHER, "", "", False)
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
    if len(_REF_CACHE) < 65536:
        _REF_CACHE[cell] = result
    return result


def _area_match(cell: object) -> re.Match[str] | None:
    if cell.__class__ is str and "oncern" in cell.lower():  # type: ignore[attr-defined]
        return _AREA_RE.match(cell.strip())  # type: ignore[attr-defined]
    return None


def _is_summary_label(cell: object) -> bool:
    """A short label of the score summary that follows some tables ("Obtaned", "Total")."""
    if cell.__class__ is not str or len(cell) > 24:  # type: ignore[arg-type]
        return False
    word = _NON_WORD_RE.sub("", cell.lower())  # type: ignore[attr-defined]
    if not word:
        return False
    if word in _SUMMARY_WORDS:
        return True
    # Misspellings of "Obtained" ("Obtaned", "Obtatained", "Obtain").
    return word.startswith("obt") and len(word) <= 12


def _ends_table(cell: object) -> bool:
    """Text in the reference column that starts a score card or summary below a table."""
    if cell.__class__ is not str:
        return False
    low = cell.lower()  # type: ignore[attr-defined]
    return "score" in low or " card" in low or _is_summary_label(cell)


# ------------------------------------------------------------------------------- values
def _number(cell: object) -> float | None:
    """Numeric cell or numeric string -> float; anything else (blank, #DIV/0!) -> None."""
    cls = cell.__class__
    if cls is float or cls is int:
        return float(cell)  # type: ignore[arg-type]
    if cls is str:
        text = cell.strip()  # type: ignore[attr-defined]
        if text:
            try:
                return float(text)
            except ValueError:
                return None
    return None


def _text(cell: object) -> str:
    if cell.__class__ is str:
        return cell.strip()  # type: ignore[attr-defined]
    if cell is None or cell == "":
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, _dt.date | _dt.datetime | _dt.time):
        return cell.isoformat()
    return str(cell).strip()


def _has_text(cell: object) -> bool:
    """A cell that holds checkpoint text (a string with at least one letter or digit)."""
    if cell.__class__ is not str or not cell:
        return False
    if len(cell) > 2:  # type: ignore[arg-type]
        return not cell.isspace()  # type: ignore[attr-defined]
    return any(ch.isalnum() for ch in cell)  # type: ignore[attr-defined]


class _BadValue(Exception):
    pass


def _compliance(cell: object, level_set: frozenset[float], levels: tuple[float, ...]) -> float | None:
    """Compliance cell -> level or None (NA). Raises _BadValue when not an allowed level."""
    cls = cell.__class__
    if cls is float or cls is int:
        value = float(cell)  # type: ignore[arg-type]
        if value in level_set:
            return value
        raise _BadValue(_fmt_number(value))
    if cls is str:
        text = cell.strip()  # type: ignore[attr-defined]
        if not text or not any(ch.isalnum() for ch in text):
            return None
        low = " ".join(text.lower().split())
        if low in _NA_STRINGS or _NON_WORD_RE.sub("", low) in ("na", "notapplicable"):
            return None
        try:
            value = float(text)
        except ValueError:
            index = _TEXT_LEVELS.get(low)
            if index is None:
                raise _BadValue(repr(text)) from None
            return levels[index] if index < len(levels) else levels[-1]
        if value in level_set:
            return value
        raise _BadValue(repr(text))
    if cell is None:
        return None
    raise _BadValue(repr(cell))


def _fmt_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _fmt_levels(levels: tuple[float, ...]) -> str:
    return ", ".join(_fmt_number(v) for v in levels)


# ------------------------------------------------------------------------------ columns
@dataclass(slots=True)
class _Columns:
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

    def letters(self) -> dict[str, str]:
        out = {}
        for role in (
            "ref",
            "me_text",
            "text",
            "compliance",
            "method",
            "mov",
            "remark",
            "obtained",
            "maximum",
        ):
            index = getattr(self, role)
            if index is not None:
                out[role] = column_letter(index)
        return out

    def highest(self) -> int:
        return max(
            i
            for i in (
                self.ref,
                self.area,
                self.text,
                self.me_text,
                self.compliance,
                self.method,
                self.mov,
                self.remark,
                self.obtained,
                self.maximum,
            )
            if i is not None
        )


_SAMPLE_ROWS = 120


def _header_roles(rows: list[list[object]], area_index: int) -> dict[str, int]:
    """Column roles named by the header row just above the first area row, if any."""
    for index in range(area_index - 1, max(-1, area_index - 4), -1):
        roles: dict[str, int] = {}
        for col, cell in enumerate(rows[index][:16]):
            if cell.__class__ is not str or len(cell) > 60:  # type: ignore[arg-type]
                continue
            low = " ".join(cell.lower().split())  # type: ignore[attr-defined]
            for role, keys in _HEADER_ROLES:
                if role not in roles and any(k in low for k in keys):
                    roles[role] = col
                    break
        if len(roles) >= 3:
            return roles
    return {}


def _infer_columns(
    rows: list[list[object]], area_index: int, area_col: int, width: int
) -> _Columns | None:
    """Find the reference column, the layout and every other column of one table."""
    # The reference column is where the first "Standard X1" cell is (A in every known
    # variant; B or C when a serial-number column comes first).
    first_cols = min(width, 4)
    ref = -1
    first_standard = -1
    for index in range(area_index, len(rows)):
        row = rows[index]
        for col in range(first_cols):
            cell = row[col]
            if cell.__class__ is str and cell and _classify_ref(cell)[0] == _STANDARD:  # type: ignore[arg-type]
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
    for index in range(area_index, end):
        cell = rows[index][ref]
        if cell.__class__ is not str or not cell:
            continue
        kind, _code, _rest, had_prefix = _classify_ref(cell)  # type: ignore[arg-type]
        if kind == _CODE:
            code_rows.append(index)
            if had_prefix:
                prefixed += 1
            else:
                bare += 1
        elif kind == _STANDARD:
            standard_rows.append(index)
    layout = KAYAKALP if bare > prefixed else NQAS

    header = _header_roles(rows, area_index)
    # Assessment methods are recognisable by content: the column where most cells read
    # like "SI/OB" on the table's rows.
    method_hits: dict[int, int] = {}
    for index in range(area_index, end):
        row = rows[index]
        for col in range(ref + 1, width):
            cell = row[col]
            if (
                cell.__class__ is str
                and 1 < len(cell) < 24  # type: ignore[arg-type]
                and _METHOD_CELL_RE.match(cell)  # type: ignore[arg-type]
            ):
                method_hits[col] = method_hits.get(col, 0) + 1
    content_method = max(method_hits, key=lambda c: method_hits[c]) if method_hits else None
    if content_method is not None and method_hits[content_method] < 3:
        content_method = None

    def pick(role: str, default: int | None) -> int | None:
        return header.get(role, default)

    if layout == NQAS:
        method = header.get("method")
        if method is None or (
            content_method is not None
            and method_hits.get(method, 0) == 0
            and method_hits[content_method] >= 5
        ):
            method = content_method
        shift = 0 if method is None else method - (ref + 4)
        if method is None:
            method = ref + 4
        text = pick("text", ref + 2 + shift)
        me_text = pick("me_text", ref + 1)
        compliance = pick("compliance", method - 1)
        mov = pick("mov", method + 1)
        remark = pick("remark", (mov or method) + 1)
        obtained = header.get("obtained")
        maximum = header.get("maximum")
        if obtained is None or maximum is None:
            found = _total_columns(rows, standard_rows, after=max(remark or 0, mov or 0, method))
            if obtained is None:
                obtained = found[0] if found else ref + 7 + shift
            if maximum is None:
                maximum = (
                    found[1]
                    if len(found) > 1
                    else (obtained + 1 if obtained is not None else ref + 8 + shift)
                )
        return _Columns(
            layout, ref, area_col, text or ref + 2, me_text, compliance, method, mov, remark,
            obtained, maximum,
        )

    # Kayakalp: code, text, method, means of verification; a compliance column only when
    # the workbook has one (named by its header or holding numbers on checkpoint rows).
    method = header.get("method")
    if method is None or (
        content_method is not None
        and method_hits.get(method, 0) == 0
        and method_hits[content_method] >= 5
    ):
        method = content_method
    text = header.get("text", ref + 1)
    if method is None:
        method = text + 1
    mov = header.get("mov", method + 1 if method + 1 < width else None)
    remark = header.get("remark")
    compliance = header.get("compliance")
    taken = {ref, text, method, mov, remark, header.get("obtained"), header.get("maximum")}
    if compliance is None:
        compliance = _numeric_column(rows, code_rows, width, exclude=taken)
    obtained = header.get("obtained")
    maximum = header.get("maximum")
    if obtained is None and maximum is None:
        found = _total_columns(
            rows, standard_rows, after=max(c for c in (method, mov or 0, compliance or 0, remark or 0))
        )
        if len(found) >= 2:
            obtained, maximum = found[0], found[1]
    return _Columns(
        layout, ref, area_col, text, None, compliance, method, mov, remark, obtained, maximum
    )


def _total_columns(rows: list[list[object]], standard_rows: list[int], *, after: int) -> list[int]:
    """Columns right of `after` that hold numbers on standard rows (obtained, maximum)."""
    hits: dict[int, int] = {}
    for index in standard_rows:
        row = rows[index]
        for col in range(after + 1, len(row)):
            if _number(row[col]) is not None:
                hits[col] = hits.get(col, 0) + 1
    return sorted(hits)[:2]


def _numeric_column(
    rows: list[list[object]], code_rows: list[int], width: int, *, exclude: set[int | None]
) -> int | None:
    """The column that holds numbers (or NA) on checkpoint rows, if any."""
    best: int | None = None
    best_hits = 0
    for col in range(width):
        if col in exclude:
            continue
        hits = 0
        bad = 0
        for index in code_rows:
            cell = rows[index][col]
            if cell == "" or cell is None:
                continue
            if _number(cell) is not None:
                hits += 1
            elif cell.__class__ is str and cell.strip().lower() in _NA_STRINGS:  # type: ignore[attr-defined]
                hits += 1
            else:
                bad += 1
        if hits > best_hits and hits >= bad * 4:
            best, best_hits = col, hits
    return best


# ------------------------------------------------------------------------------- header
def _header_facts(rows: list[list[object]], stop: int, header: dict[str, str]) -> None:
    """Fill `header` with the assessment summary's facts found above the table."""
    for row in rows[:stop]:
        cells = row[:14]
        for col, cell in enumerate(cells):
            if cell.__class__ is not str or not cell or len(cell) > 80:  # type: ignore[arg-type]
                continue
            label_key = _header_label(cell)  # type: ignore[arg-type]
            if label_key is None or label_key in header:
                continue
            value = ""
            if ":" in cell:  # type: ignore[operator]
                value = cell.split(":", 1)[1].strip()  # type: ignore[attr-defined]
            if not value:
                for other in cells[col + 1 :]:
                    if other == "" or other is None:
                        continue
                    if other.__class__ is str and _header_label(other) is not None:  # type: ignore[arg-type]
                        break
                    value = _text(other)
                    break
            if value:
                header[label_key] = value


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
) -> ParsedWorkbook:
    """Read one official checklist workbook (every department sheet in it).

    `name` is how errors and warnings name the file (default: the path as given).
    Raises `WorkbookError` with a one-line message for anything it cannot read.
    """
    file = name if name is not None else os.fspath(path)
    fspath = os.fspath(path)
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
    _check_unzipped_size(fspath, file, max_bytes * UNZIPPED_FACTOR)
    try:
        book = CalamineWorkbook.from_path(fspath)
        sheet_names = list(book.sheet_names)
        kinds = {m.name: m for m in book.sheets_metadata}
    except Exception as exc:  # calamine raises several types; all mean "cannot open"
        raise WorkbookError(
            f"not an Excel workbook or the file is corrupt ({_one_line(exc)})", file=file
        ) from None

    parsed = ParsedWorkbook(path=fspath, layout=NQAS, levels=NQAS_LEVELS)
    layout: str | None = None
    first_layout_sheet = ""
    for sheet_name in sheet_names:
        meta = kinds.get(sheet_name)
        if meta is not None and meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart sheets and the like
        try:
            rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise WorkbookError(
                f"cannot read the sheet ({_one_line(exc)})", file=file, sheet=sheet_name
            ) from None
        department, sheet_layout = _read_sheet(file, sheet_name, rows, parsed, layout)
        if department is None:
            continue
        if layout is None:
            layout = sheet_layout
            first_layout_sheet = sheet_name
            parsed.layout = layout
            parsed.levels = KAYAKALP_LEVELS if layout == KAYAKALP else NQAS_LEVELS
        elif sheet_layout != layout:
            raise WorkbookError(
                f"unknown layout: the sheet reads as a {sheet_layout} checklist but sheet "
                f"'{first_layout_sheet}' reads as {layout}; mixed workbooks are not supported",
                file=file,
                sheet=sheet_name,
            )
        if meta is not None and meta.visible != SheetVisibleEnum.Visible:
            parsed.warnings.append(f"sheet '{sheet_name}': the sheet is hidden in the workbook")
        parsed.departments.append(department)
    if not parsed.departments:
        raise WorkbookError(
            "unknown layout: no sheet has an 'Area of Concern - X' row followed by standards",
            file=file,
        )
    return parsed


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n:,} bytes"


def _check_unzipped_size(fspath: str, file: str, limit: int) -> None:
    """Refuse a zip-based workbook (xlsx, ods) that would expand beyond `limit` bytes."""
    try:
        with zipfile.ZipFile(fspath) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip (xls) or a broken one: calamine reports it
    if expanded > limit:
        raise WorkbookError(
            f"file expands to {_size(expanded)} when unzipped, more than the limit of "
            f"{_size(limit)}",
            file=file,
        )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _read_sheet(
    file: str,
    sheet: str,
    rows: list[list[object]],
    parsed: ParsedWorkbook,
    layout: str | None,
) -> tuple[ParsedDepartment | None, str]:
    # Locate the first "Area of Concern - X" row in the first columns.
    area_index = -1
    area_col = 0
    for index, row in enumerate(rows):
        for col in range(min(len(row), 4)):
            cell = row[col]
            if cell.__class__ is str and _area_match(cell):
                area_index, area_col = index, col
                break
        if area_index >= 0:
            break
    if area_index < 0:
        parsed.warnings.append(
            f"sheet '{sheet}': no 'Area of Concern - X' row, so no checklist table; skipped"
        )
        return None, ""
    width = max((len(r) for r in rows[area_index : area_index + 50]), default=0)
    columns = _infer_columns(rows, area_index, area_col, width)
    if columns is None:
        parsed.warnings.append(
            f"sheet '{sheet}': an 'Area of Concern' row at row {area_index + 1} but no "
            "'Standard' rows; skipped"
        )
        return None, ""
    needed = columns.highest() + 1
    if any(len(r) < needed for r in rows[area_index:]):
        rows = rows[:area_index] + [
            list(r) + [""] * (needed - len(r)) if len(r) < needed else r for r in rows[area_index:]
        ]
    _header_facts(rows, area_index, parsed.header)
    department = ParsedDepartment(name=sheet.strip(), sheet=sheet)
    department.columns = columns.letters()
    if columns.layout == KAYAKALP:
        _read_kayakalp_table(file, sheet, rows, area_index, columns, department, parsed.warnings)
    else:
        _read_nqas_table(file, sheet, rows, area_index, columns, department, parsed.warnings)
    if not any(area.standards for area in department.areas):
        parsed.warnings.append(f"sheet '{sheet}': a table without standards; skipped")
        return None, columns.layout
    return department, columns.layout


def _new_area(match: re.Match[str], row: list[object], col: int, index: int) -> ParsedArea:
    title = match.group(2).strip()
    if not title:
        for cell in row[col + 1 : col + 3]:
            if _has_text(cell):
                title = _text(cell)
                break
    return ParsedArea(letter=match.group(1).upper(), title=title, row=index + 1)


def _read_nqas_table(
    file: str,
    sheet: str,
    rows: list[list[object]],
    start: int,
    cols: _Columns,
    department: ParsedDepartment,
    warnings: list[str],
) -> None:
    rc, ac, tc, bc = cols.ref, cols.area, cols.text, cols.me_text
    dc, mc, vc, gc = cols.compliance, cols.method, cols.mov, cols.remark
    hc, ic = cols.obtained, cols.maximum
    assert bc is not None
    levels = NQAS_LEVELS
    level_set = frozenset(levels)
    d_letter = column_letter(dc) if dc is not None else "?"
    t_letter = column_letter(tc)
    area_cols = tuple(sorted({ac, bc, tc} - {rc}))
    areas = department.areas
    area: ParsedArea | None = None
    standard: ParsedStandard | None = None
    me: ParsedMeasurableElement | None = None
    me_code: str | None = None
    me_by_code: dict[str, ParsedMeasurableElement] = {}
    me_prefix = ""
    standard_codes: set[str] = set()
    ended = False
    classify = _REF_CACHE.get
    new_checkpoint = ParsedCheckpoint
    method_cache = _METHOD_CACHE

    for index in range(start, len(rows)):
        row = rows[index]
        a = row[rc]
        c = row[tc]
        # Common case first: checkpoint text in the checkpoint column.
        if c.__class__ is str and c and (len(c) > 2 and not c.isspace() or _has_text(c)):
            if a.__class__ is str and a:
                info = classify(a) or _classify_ref(a)
                kind = info[0]
            else:
                kind = _BLANK
            if kind == _CODE:
                code = info[1]
                if standard is None:
                    raise WorkbookError(
                        "checkpoint before any standard", file=file, sheet=sheet, row=index + 1,
                        column=t_letter,
                    )
                ended = False
                me = me_by_code.get(code)
                if me is None:
                    text = _text(row[bc]) or info[2]
                    me = ParsedMeasurableElement(code=code, text=text, row=index + 1)
                    standard.measurable_elements.append(me)
                    me_by_code[code] = me
                    if not code.startswith(me_prefix):
                        _warn_me_code(code, standard, sheet, index, warnings)
                else:
                    warnings.append(
                        f"sheet '{sheet}' row {index + 1}: ME {code} appears again; its "
                        "checkpoints are added to the first ME " + code
                    )
                me_code = code
            elif kind == _BLANK:
                if "oncern" in c:
                    match = _area_match(c)
                    if match:  # the area row's title sits in the checkpoint column
                        area = _new_area(match, row, tc, index)
                        areas.append(area)
                        standard = None
                        me = None
                        me_code = None
                        ended = False
                        continue
                if ended:
                    continue
                if len(c) < 25 and (_is_summary_label(c) or _is_summary_label(row[bc])):
                    ended = True
                    continue
            elif kind == _STANDARD or kind == _AREA:
                # Structural row that also carries checkpoint text: structure first.
                if kind == _AREA:
                    area = ParsedArea(letter=info[1], title=info[2], row=index + 1)
                    areas.append(area)
                    standard = None
                    me = None
                    me_code = None
                    ended = False
                    continue
                if area is None:
                    area = _implicit_area(info[1], index, areas, sheet, warnings)
                standard, area = _start_standard(
                    info, row, index, bc, hc, ic, area, standard_codes, sheet, warnings
                )
                me_prefix = standard.code + "."
                me = None
                me_code = None
                me_by_code = {}
                ended = False
            else:  # _OTHER: unrecognised text in the reference column
                if ended:
                    continue
                if _ends_table(a) or _is_summary_label(c) or _is_summary_label(row[bc]):
                    ended = True
                    continue
                warnings.append(
                    f"sheet '{sheet}' row {index + 1}: unrecognised reference {a!r} in column "
                    f"{column_letter(rc)}; read as a continuation row"
                )
            if standard is None:
                raise WorkbookError(
                    "checkpoint before any standard", file=file, sheet=sheet, row=index + 1,
                    column=t_letter,
                )
            # The checkpoint itself.
            value = None
            if dc is not None:
                d = row[dc]
                if d.__class__ is float and d in level_set:
                    value = d
                elif d != "":
                    try:
                        value = _compliance(d, level_set, levels)
                    except _BadValue as bad:
                        raise WorkbookError(
                            f"compliance value {bad} is not one of {_fmt_levels(levels)} "
                            "(blank or NA = not applicable)",
                            file=file, sheet=sheet, row=index + 1, column=d_letter,
                        ) from None
            m = row[mc] if mc is not None else ""
            hit = method_cache.get(m) if m.__class__ is str else None
            if hit is None:
                hit = parse_methods(m)
            if hit[1]:
                warnings.append(_method_warning(sheet, index, hit[1], m))
            mov = row[vc] if vc is not None else ""
            remark = row[gc] if gc is not None else ""
            standard.checkpoints.append(
                new_checkpoint(
                    index + 1,
                    c.strip(),
                    None,
                    me_code,
                    hit[0],
                    mov.strip() if mov.__class__ is str else _text(mov),
                    value,
                    remark.strip() if remark.__class__ is str else _text(remark),
                )
            )
            continue

        # No checkpoint text: a structural row, an ME without checkpoints, or noise.
        if a.__class__ is str and a:
            info = classify(a) or _classify_ref(a)
            kind = info[0]
        else:
            kind = _BLANK
        if kind == _CODE:
            if standard is None:
                warnings.append(
                    f"sheet '{sheet}' row {index + 1}: ME {info[1]} before any standard; ignored"
                )
                continue
            ended = False
            code = info[1]
            me = me_by_code.get(code)
            if me is None:
                me = ParsedMeasurableElement(code=code, text=_text(row[bc]) or info[2], row=index + 1)
                standard.measurable_elements.append(me)
                me_by_code[code] = me
                if not code.startswith(me_prefix):
                    _warn_me_code(code, standard, sheet, index, warnings)
            me_code = code
        elif kind == _STANDARD:
            if area is None:
                area = _implicit_area(info[1], index, areas, sheet, warnings)
            standard, area = _start_standard(
                info, row, index, bc, hc, ic, area, standard_codes, sheet, warnings
            )
            me_prefix = standard.code + "."
            me = None
            me_code = None
            me_by_code = {}
            ended = False
        elif kind == _AREA:
            area = ParsedArea(letter=info[1], title=info[2] or _text(row[rc + 1]), row=index + 1)
            areas.append(area)
            standard = None
            me = None
            me_code = None
            ended = False
        else:  # blank or unrecognised reference: an area row with its text further right?
            match = None
            for col in area_cols:
                cell = row[col]
                if cell.__class__ is str and cell and "oncern" in cell.lower():
                    match = _area_match(cell)
                    if match:
                        area = _new_area(match, row, col, index)
                        areas.append(area)
                        standard = None
                        me = None
                        me_code = None
                        ended = False
                        break
            if not match and not ended and (
                _is_summary_label(row[bc]) if kind == _BLANK else _ends_table(a)
            ):
                ended = True


def _method_warning(sheet: str, index: int, unknown: tuple[str, ...], cell: object) -> str:
    text = _text(cell)
    if len(text) > 40:
        text = text[:37] + "..."
    tokens = ", ".join(unknown[:4]) + (", ..." if len(unknown) > 4 else "")
    return (
        f"sheet '{sheet}' row {index + 1}: unknown assessment method {tokens} in {text!r} "
        "(known: SI, OB, RR, PI)"
    )


def _implicit_area(
    code: str, index: int, areas: list[ParsedArea], sheet: str, warnings: list[str]
) -> ParsedArea:
    area = ParsedArea(letter=code[0], title="", row=index + 1)
    areas.append(area)
    warnings.append(
        f"sheet '{sheet}' row {index + 1}: standard {code} outside any area of concern; "
        f"placed in area {code[0]}"
    )
    return area


def _start_standard(
    info: tuple[int, str, str, bool],
    row: list[object],
    index: int,
    title_col: int,
    hc: int | None,
    ic: int | None,
    area: ParsedArea | None,
    seen: set[str],
    sheet: str,
    warnings: list[str],
) -> tuple[ParsedStandard, ParsedArea]:
    code = info[1]
    if area is None:
        raise AssertionError("area is set before any standard")  # pragma: no cover
    if code[0] != area.letter:
        warnings.append(
            f"sheet '{sheet}' row {index + 1}: standard {code} is under area of concern "
            f"{area.letter}"
        )
    if code in seen:
        warnings.append(f"sheet '{sheet}' row {index + 1}: standard {code} appears twice")
    seen.add(code)
    standard = ParsedStandard(
        code=code,
        title=_text(row[title_col]) or info[2],
        row=index + 1,
        workbook_obtained=_number(row[hc]) if hc is not None else None,
        workbook_maximum=_number(row[ic]) if ic is not None else None,
    )
    area.standards.append(standard)
    return standard, area


def _warn_me_code(
    code: str, standard: ParsedStandard, sheet: str, index: int, warnings: list[str]
) -> None:
    warnings.append(f"sheet '{sheet}' row {index + 1}: ME {code} is under standard {standard.code}")


def _read_kayakalp_table(
    file: str,
    sheet: str,
    rows: list[list[object]],
    start: int,
    cols: _Columns,
    department: ParsedDepartment,
    warnings: list[str],
) -> None:
    rc, tc = cols.ref, cols.text
    dc, mc, vc, gc = cols.compliance, cols.method, cols.mov, cols.remark
    hc, ic = cols.obtained, cols.maximum
    levels = KAYAKALP_LEVELS
    level_set = frozenset(levels)
    d_letter = column_letter(dc) if dc is not None else "?"
    areas = department.areas
    area: ParsedArea | None = None
    standard: ParsedStandard | None = None
    standard_codes: set[str] = set()
    ended = False

    for index in range(start, len(rows)):
        row = rows[index]
        a = row[rc]
        kind, code, rest, _prefix = (
            _classify_ref(a) if a.__class__ is str and a else (_BLANK, "", "", False)  # type: ignore[arg-type]
        )
        if kind == _BLANK:
            match = None
            for col in (cols.area, tc):
                match = _area_match(row[col])
                if match:
                    area = _new_area(match, row, col, index)
                    areas.append(area)
                    standard = None
                    ended = False
                    break
            if match or ended:
                continue
            t = row[tc]
            if not _has_text(t):
                continue
            if _is_summary_label(t) or (mc is not None and _is_summary_label(row[mc])):
                ended = True
                continue
            # An unnumbered row: a checkpoint only if it is answered or has a method.
            has_method = mc is not None and _has_text(row[mc])
            has_value = dc is not None and row[dc] not in ("", None)
            if not (has_method or has_value):
                continue
            code = None
        elif kind == _AREA:
            area = ParsedArea(letter=code, title=rest or _text(row[rc + 1]), row=index + 1)
            areas.append(area)
            standard = None
            ended = False
            continue
        elif kind == _STANDARD:
            if area is None:
                area = _implicit_area(code, index, areas, sheet, warnings)
            standard, area = _start_standard(
                (kind, code, rest, False), row, index, tc, hc, ic, area, standard_codes, sheet,
                warnings,
            )
            ended = False
            continue
        elif kind == _OTHER:
            if not ended and _ends_table(a):
                ended = True
            continue
        else:  # _CODE
            ended = False
            if not _has_text(row[tc]) and not rest:
                continue  # a number without checkpoint text is not a checkpoint
        text = _text(row[tc]) or rest
        if standard is None:
            raise WorkbookError(
                "checkpoint before any standard", file=file, sheet=sheet, row=index + 1,
                column=column_letter(rc if code else tc),
            )
        if code is not None and not code.startswith(standard.code + "."):
            warnings.append(
                f"sheet '{sheet}' row {index + 1}: checkpoint {code} is under standard "
                f"{standard.code}"
            )
        value = None
        if dc is not None:
            try:
                value = _compliance(row[dc], level_set, levels)
            except _BadValue as bad:
                raise WorkbookError(
                    f"compliance value {bad} is not one of {_fmt_levels(levels)} "
                    "(blank or NA = not applicable)",
                    file=file, sheet=sheet, row=index + 1, column=d_letter,
                ) from None
        methods, unknown = parse_methods(row[mc]) if mc is not None else (frozenset(), ())
        if unknown:
            warnings.append(_method_warning(sheet, index, unknown, row[mc]))  # type: ignore[index]
        standard.checkpoints.append(
            ParsedCheckpoint(
                row=index + 1,
                text=text,
                code=code,
                me_code=None,
                methods=methods,
                means_of_verification=_text(row[vc]) if vc is not None else "",
                value=value,
                remark=_text(row[gc]) if gc is not None else "",
            )
        )
