"""Read the official NQAS / LaQshya / MusQan / Kayakalp / AAM-SC Excel checklists into
`ParsedWorkbook`.

A department sheet holds an optional header block (hospital, date, assessors), an
optional score card (above or below the table) and the checkpoint table. The table
starts at its first "Area of Concern - X" row, found by content, never by header text.
What kind of table it is, and where its columns are, is each layout module's business
(`layouts/`: NQAS department sheets, Kayakalp, AAM-SC); they all feed one builder.

This module does what holds for every layout, sheet by sheet:

* refuses a sheet whose cells reach absurdly far before any grid is built (`sheetxml`);
* skips score cards, summaries and reference lists, naming them in a warning;
* applies the hidden-row rule: a hidden checkpoint row no standard's formula range
  covers is no checkpoint, one inside a range is counted; both named in a warning;
* reads the header facts and the NA switch, and notes what the sheet says about the
  workbook for `identity` (tool, facility type, version, groups, themes).

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

import os
import re
from collections.abc import Collection

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from srishti.workbooks import layouts
from srishti.workbooks.builder import Builder
from srishti.workbooks.cells import (
    AREA,
    CODE,
    METHOD_CODES,
    NON_WORD_RE,
    STANDARD,
    Rows,
    area_match,
    cell_number,
    cell_text,
    classify_ref,
    column_letter,
    fmt_number,
    has_text,
    parse_methods,
)
from srishti.workbooks.identity import identify
from srishti.workbooks.layouts import aamsc, kayakalp, nqas
from srishti.workbooks.layouts.base import Columns
from srishti.workbooks.parsed import (
    ParsedDepartment,
    ParsedWorkbook,
    WorkbookError,
)
from srishti.workbooks.sheetxml import ExtentError, SheetFacts, WorkbookXml
from srishti.workbooks.zipsize import unzipped_size

__all__ = [
    "AAM_SC",
    "DEFAULT_MAX_BYTES",
    "KAYAKALP",
    "KAYAKALP_LEVELS",
    "METHOD_CODES",
    "NQAS",
    "NQAS_LEVELS",
    "column_letter",
    "parse_methods",
    "read_workbook",
]

NQAS, NQAS_LEVELS = nqas.NAME, nqas.LEVELS
KAYAKALP, KAYAKALP_LEVELS = kayakalp.NAME, kayakalp.LEVELS
AAM_SC = aamsc.NAME

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# A zipped workbook (xlsx) may expand to this many times `max_bytes` (real ones: about 8x).
UNZIPPED_FACTOR = 16

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
                    value = cell_text(other)
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
) -> ParsedWorkbook:
    """Read one official checklist workbook: every department sheet in it, in order.

    `name` is how errors name the file (default: the path as given), e.g. the original
    name of an uploaded file. Raises `WorkbookError`, with a one-line message saying
    where, for anything it cannot read: the file, the first sheet that cannot be read,
    or a workbook in which no sheet holds a checklist.
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
    _check_unzipped_size(fspath, file, max_bytes * UNZIPPED_FACTOR)
    try:
        book = CalamineWorkbook.from_path(fspath)
        metadata = {m.name: m for m in book.sheets_metadata}
        sheets = [
            sheet for sheet in book.sheet_names
            # chart sheets and the like hold no cells
            if sheet not in metadata or metadata[sheet].typ == SheetTypeEnum.WorkSheet
        ]
    except Exception as exc:  # calamine raises several types; all mean "cannot open"
        raise WorkbookError(
            f"not an Excel workbook or the file is corrupt ({_one_line(exc)})", file=file
        ) from None
    hidden = {
        sheet for sheet in sheets
        if sheet in metadata and metadata[sheet].visible != SheetVisibleEnum.Visible
    }
    xml = WorkbookXml(fspath)
    try:
        return _read_sheets(fspath, file, book, xml, sheets, hidden)
    finally:
        xml.close()
        book.close()


def _read_sheets(
    fspath: str,
    file: str,
    book: CalamineWorkbook,
    xml: WorkbookXml,
    sheets: list[str],
    hidden: Collection[str],
) -> ParsedWorkbook:
    parsed = ParsedWorkbook(path=fspath, layout=NQAS, levels=NQAS_LEVELS)
    notes: dict[str, dict[str, list[object]]] = {}
    first_sheet = ""
    for sheet in sheets:
        try:
            # Before calamine builds the sheet's grid, which spans every cell to the
            # farthest one: refuse a sheet that reaches absurdly far.
            facts = xml.facts(sheet)
        except ExtentError as exc:
            raise WorkbookError(str(exc), file=file, sheet=sheet) from None
        try:
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises several types
            raise WorkbookError(
                f"cannot read the sheet ({_one_line(exc)})", file=file, sheet=sheet
            ) from None
        notes[sheet] = {}
        department, layout = _read_sheet(file, sheet, rows, parsed, facts, notes[sheet])
        if department is None:
            continue
        if not parsed.departments:
            first_sheet, parsed.layout = sheet, layout
            parsed.levels = layouts.BY_NAME[layout].levels
        elif layout != parsed.layout:
            raise WorkbookError(
                f"unknown layout: this sheet reads as a {layout} checklist but sheet "
                f"'{first_sheet}' as {parsed.layout}; a workbook must hold one kind",
                file=file,
                sheet=sheet,
            )
        if sheet in hidden:
            parsed.warnings.append(f"sheet '{sheet}': the sheet is hidden in the workbook")
        parsed.departments.append(department)
    if not parsed.departments:
        raise WorkbookError(
            "unknown layout: no sheet has an 'Area of Concern - X' row followed by standards",
            file=file,
        )
    identify(parsed, notes, department_sheets=[d.sheet for d in parsed.departments])
    return parsed


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n:,} bytes"


def _check_unzipped_size(fspath: str, file: str, limit: int) -> int:
    """Refuse a zipped workbook (xlsx, ods) that would expand beyond `limit` bytes; the
    size it expands to (0 when it is not a zip). The sheets' extents are checked later,
    sheet by sheet (`sheetxml`): a tiny file can still describe an absurd grid."""
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
            if area_match(cell):
                found = (index, col)
                break
            if found[0] >= 0 and classify_ref(cell)[0] == STANDARD:
                return found
    return found


def _read_sheet(
    file: str,
    sheet: str,
    rows: Rows,
    parsed: ParsedWorkbook,
    facts: SheetFacts | None = None,
    notes: dict[str, list[object]] | None = None,
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
    inferred = layouts.infer(rows, area_index, area_col, width)
    if inferred is None:
        parsed.warnings.append(
            f"sheet '{sheet}': an 'Area of Concern' row (row {area_index + 1}) but no "
            "'Standard' rows; skipped"
        )
        return None, ""
    layout, columns = inferred
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
    builder = Builder(department, sheet, parsed.warnings)
    before = len(parsed.warnings)
    layout.read_table(file, rows, area_index, columns, builder, skip)
    _collapse_method_warnings(sheet, parsed.warnings, before)
    if not builder.standards:
        parsed.warnings.append(f"sheet '{sheet}': a table without standards; skipped")
        return None, layout.name
    if department.not_present:
        parsed.warnings.append(
            f"sheet '{sheet}': its NA switch says the facility has no such department; "
            "read, marked not present"
        )
    if notes is not None and facts is not None and layout.themes is not None:
        notes["themes"] = layout.themes(rows, department, facts)
    return department, layout.name


_METHOD_WARNING_RE = re.compile(r"^sheet '.*' row (\d+): unknown assessment method (.+?) in ")


def _collapse_method_warnings(sheet: str, warnings: list[str], since: int) -> None:
    """One warning per unknown method token of a sheet: the first row in full, the rows
    that repeat it in one line (an AAM-SC sheet writes "CI" on a hundred rows)."""
    first: dict[str, int] = {}
    repeats: dict[str, list[str]] = {}
    kept: list[str] = []
    for warning in warnings[since:]:
        m = _METHOD_WARNING_RE.match(warning)
        if m is None:
            kept.append(warning)
            continue
        tokens = m.group(2)
        if tokens in first:
            repeats.setdefault(tokens, []).append(m.group(1))
            continue
        first[tokens] = len(kept)
        kept.append(warning)
    for tokens, rows in repeats.items():
        shown = ", ".join(rows[:10]) + (", ..." if len(rows) > 10 else "")
        kept.append(f"sheet '{sheet}': unknown assessment method {tokens} again on "
                    f"{len(rows)} more rows ({shown})")
    warnings[since:] = kept


_TITLE_ROWS = 15
_MAX_TITLES = 40


def _sheet_notes(rows: Rows, area_index: int, notes: dict[str, list[object]]) -> None:
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
                if cell_number(cell) is None or not has_text(name) or _is_mandatory(name):
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
            if cell.__class__ is not str or NON_WORD_RE.sub("", cell.lower()) != "naswitch":
                continue
            candidates = [c for c in row[col + 1 : col + 4] if c != "" and c is not None]
            if not candidates and index + 1 < len(rows):
                below = rows[index + 1]
                candidates = [c for c in below[col : col + 4] if c != "" and c is not None]
            if not candidates:
                return False
            value = candidates[0]
            word = fmt_number(value) if isinstance(value, float) else str(value)
            return NON_WORD_RE.sub("", word.lower()) in _NA_SWITCH_OFF
    return False


def _not_a_checklist(rows: Rows, start: int, cols: Columns) -> str | None:
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
        if cell.__class__ is str and cell and classify_ref(cell)[0] == CODE:
            codes += 1
        if tc < len(row) and has_text(row[tc]) and (
            (mc is not None and mc < len(row) and parse_methods(row[mc])[0])
            or (dc is not None and dc < len(row) and cell_number(row[dc]) is not None)
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
    sheet: str, rows: Rows, start: int, cols: Columns, facts: SheetFacts, warnings: list[str]
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
        if cell.__class__ is str and cell and classify_ref(cell)[0] == STANDARD:
            for first, last, _column in spans:
                if last - first < MAX_SPAN:
                    covered.update(range(first - 1, last))
    hidden = {r - 1 for r in facts.hidden_rows if start <= r - 1 < len(rows)}
    tc = cols.text

    def has_checkpoint(index: int) -> bool:
        row = rows[index]
        return tc < len(row) and has_text(row[tc])

    if not covered:
        # No standard row carries a formula (values pasted over them, or a tool that
        # drops formulas): nothing tells a leftover from an answered row, so every hidden
        # checkpoint row is read, and said to be.
        counted = sorted(i for i in hidden if has_checkpoint(i))
        if counted:
            warnings.append(
                f"sheet '{sheet}': hidden rows {_row_list(counted)} read as checkpoints; no "
                "standard has a formula to tell whether they count"
            )
        return frozenset()
    counted = sorted(i for i in hidden if i in covered and has_checkpoint(i))
    dropped = {i for i in hidden if i not in covered and has_checkpoint(i)}
    # A hidden standard row whose every checkpoint row is dropped (and any hidden ME rows
    # under it) goes too: the template's superseded copy of a standard.
    for index in sorted(hidden - covered):
        row = rows[index]
        cell = row[rc] if rc < len(row) else ""
        if not (cell.__class__ is str and cell and classify_ref(cell)[0] == STANDARD):
            continue
        block: list[int] = []
        for later in range(index + 1, len(rows)):
            later_cell = rows[later][rc] if rc < len(rows[later]) else ""
            if later_cell.__class__ is str and later_cell and classify_ref(later_cell)[0] in (
                STANDARD, AREA
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


