"""Write an assessment back into the official workbook layout (one sheet per department).

The file is meant to be read again: by people, who know the official sheets, and by
`srishti.workbooks.reader`, which must find every checkpoint, answer and remark where it
put them (a test exports, re-imports and compares every response). So the labels the
reader looks for ("Name of the Hospital", "Area of Concern - A", "Standard A1", "ME A1.1",
the header row of the table) are written in English whatever the interface language:
they are the layout, not interface text.

Two table layouts, as the reader knows them:

* NQAS / LaQshya: A reference, B measurable element, C checkpoint, D compliance (blank =
  NA), E assessment method, F means of verification, G remarks, H obtained, I maximum.
* Kayakalp (numbered checkpoints "G1.1", no measurable elements, levels 0/0.5/1):
  A code, B checkpoint, C method, D means of verification, E compliance, F remarks,
  G obtained, H maximum.

Totals are formulas, so a team that fills the exported file offline sees them follow its
answers, and the formulas are right where the official ones slip: a standard's obtained
is SUM of its compliance cells and its maximum COUNT of them times the full score (blank
cells, NA, count in neither). openpyxl cannot compute formulas, so each formula cell also
gets its value written in (Excel's "cached value"): viewers that never recalculate (phone
previews) show the figures, and the reader's audit compares real totals with the answers.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections import defaultdict
from copy import copy
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from srishti.assessments.models import Assessment, Response
from srishti.checklists.models import (
    METHODS,
    AreaOfConcern,
    Checkpoint,
    Department,
    MeasurableElement,
    Standard,
)

__all__ = ["XLSX_CONTENT_TYPE", "assessment_workbook", "workbook_filename"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NQAS = "nqas"
KAYAKALP = "kayakalp"

# Column of each role, 1-based, per layout.
_COLUMNS = {
    NQAS: {"ref": 1, "me_text": 2, "text": 3, "compliance": 4, "method": 5, "mov": 6,
           "remark": 7, "obtained": 8, "maximum": 9},
    KAYAKALP: {"ref": 1, "text": 2, "method": 3, "mov": 4, "compliance": 5, "remark": 6,
               "obtained": 7, "maximum": 8},
}
_HEADERS = {
    "ref": "Reference No", "me_text": "Measurable Element", "text": "Checkpoint",
    "compliance": "Compliance", "method": "Assessment Method", "mov": "Means of Verification",
    "remark": "Remarks", "obtained": "Obtained", "maximum": "Maximum",
}
_WIDTHS = {"ref": 13, "me_text": 38, "text": 48, "compliance": 12, "method": 13, "mov": 32,
           "remark": 32, "obtained": 10, "maximum": 10}

# Excel refuses these in sheet names; 31 characters at most.
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_AREA_FILL = PatternFill("solid", fgColor="D9EAD3")
_STANDARD_FILL = PatternFill("solid", fgColor="EEF0F3")
_HEADER_FILL = PatternFill("solid", fgColor="D0E0F0")
_THIN = Side(style="thin", color="B0B7C3")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_PERCENT = "0.0%"


@dataclass
class _Checkpoint:
    id: int
    me_id: int | None
    code: str
    text: str
    methods: str
    mov: str
    value: float | None = None
    remark: str = ""


@dataclass
class _Standard:
    code: str
    title: str
    elements: list[tuple[int, str, str]] = field(default_factory=list)  # (id, code, text)
    checkpoints: list[_Checkpoint] = field(default_factory=list)


@dataclass
class _Area:
    letter: str
    title: str
    standards: list[_Standard] = field(default_factory=list)


@dataclass
class _Department:
    name: str
    areas: list[_Area] = field(default_factory=list)


def workbook_filename(assessment: Assessment) -> str:
    # Only what file systems refuse is replaced: Devanagari names stay readable.
    name = re.sub(r'[\s\\/:*?"<>|]+', "-", assessment.facility.name).strip("-")
    return f"{name or 'assessment'}-{assessment.start_date:%Y-%m-%d}.xlsx"


def assessment_workbook(assessment: Assessment) -> bytes:
    """The assessment as an official-layout .xlsx file (bytes), every answer and remark in.

    The caller checks that the requesting person may see the assessment. Reads the
    checklist and the answers in six queries whatever the size of the checklist.
    """
    departments, full = _load(assessment)
    has_elements = any(s.elements for d in departments for a in d.areas for s in a.standards)
    has_codes = any(c.code for d in departments for a in d.areas for s in a.standards
                    for c in s.checkpoints)
    # Kayakalp checklists number their checkpoints and have no measurable elements; the
    # NQAS table would read those numbers as measurable elements.
    layout = KAYAKALP if has_codes and not has_elements else NQAS
    levels = [float(v) for v in (assessment.version.levels or [0, 1, 2])]

    book = Workbook()
    book.remove(book.active)
    cached: dict[str, dict[str, float | str]] = {}
    styles: dict[str, object] = {}
    used_names: set[str] = set()
    for department in departments:
        title = _sheet_name(department.name, used_names)
        out = _Sheet(book.create_sheet(title), styles)
        _write_sheet(out, department, assessment, layout, full, levels)
        cached[title] = out.cached
    if not departments:
        book.create_sheet("Checklist")
    # Excel and LibreOffice recompute on opening; the cached values are for the others.
    book.calculation.fullCalcOnLoad = True
    buffer = io.BytesIO()
    book.save(buffer)
    return _with_cached_values(buffer.getvalue(), cached)


# ------------------------------------------------------------------------------ loading
def _load(assessment: Assessment) -> tuple[list[_Department], float]:
    version = assessment.version
    full = version.full_score
    departments: dict[int, _Department] = {}
    for pk, name in (Department.objects.filter(version=version).order_by("order", "id")
                     .values_list("id", "name")):
        departments[pk] = _Department(name)
    areas: dict[int, _Area] = {}
    for pk, dep_id, letter, title in (
            AreaOfConcern.objects.filter(department__version=version)
            .order_by("department__order", "order", "id")
            .values_list("id", "department_id", "letter", "title")):
        areas[pk] = _Area(letter, title)
        departments[dep_id].areas.append(areas[pk])
    standards: dict[int, _Standard] = {}
    for pk, area_id, code, title in (
            Standard.objects.filter(area__department__version=version)
            .order_by("area_id", "order", "id").values_list("id", "area_id", "code", "title")):
        standards[pk] = _Standard(code, title)
        areas[area_id].standards.append(standards[pk])
    for pk, std_id, code, text in (
            MeasurableElement.objects.filter(standard__area__department__version=version)
            .order_by("standard_id", "order", "id")
            .values_list("id", "standard_id", "code", "text")):
        standards[std_id].elements.append((pk, code, text))
    answers = {cid: (value, remark) for cid, value, remark in
               Response.objects.filter(assessment=assessment)
               .values_list("checkpoint_id", "value", "remark")}
    for pk, std_id, me_id, code, text, methods, mov in (
            Checkpoint.objects.filter(version=version).order_by("order", "id")
            .values_list("id", "standard_id", "measurable_element_id", "code", "text",
                         "methods", "means_of_verification")):
        value, remark = answers.get(pk, (None, ""))
        standards[std_id].checkpoints.append(_Checkpoint(
            pk, me_id, code, text, methods, mov,
            None if value is None else float(value), remark))
    return list(departments.values()), full


def _sheet_name(name: str, used: set[str]) -> str:
    """The department's name as the sheet's, made acceptable to Excel only when needed."""
    base = _SHEET_NAME_BAD.sub("-", name).strip("'")[:31] or "Department"
    title, n = base, 1
    while title.lower() in used:
        n += 1
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
    used.add(title.lower())
    return title


# ------------------------------------------------------------------------------ writing
# Named cell styles. openpyxl hashes every style object on each assignment, which for
# 6,500 checkpoints took seconds; `_Sheet.put` styles one cell per name the usual way and
# copies its compact style array (indices into the workbook's style tables) to the rest.
_STYLES: dict[str, dict[str, object]] = {
    "title": {"font": _TITLE},
    "bold": {"font": _BOLD},
    "date": {"number_format": "DD-MM-YYYY"},
    "header": {"font": _BOLD, "fill": _HEADER_FILL, "alignment": _WRAP, "border": _BOX},
    "area": {"font": _BOLD, "fill": _AREA_FILL},
    "standard": {"font": _BOLD, "fill": _STANDARD_FILL, "alignment": _WRAP},
    "wrap": {"alignment": _WRAP},
    "answer": {"alignment": Alignment(horizontal="center", vertical="top")},
    "percent": {"number_format": _PERCENT},
    "percent_title": {"number_format": _PERCENT, "font": _TITLE},
}


def _text(value: str) -> str:
    # Control characters make the file unreadable to Excel.
    return ILLEGAL_CHARACTERS_RE.sub("", value or "")


class _Sheet:
    """One worksheet being written, with the values of its formulas kept aside."""

    def __init__(self, sheet, styles: dict[str, object]) -> None:
        self.sheet = sheet
        self.styles = styles  # style name -> style array, shared by the workbook's sheets
        self.cached: dict[str, float | str] = {}

    def _style(self, cell, name: str | None) -> None:
        if name is None:
            return
        array = self.styles.get(name)
        if array is None:
            for attribute, setting in _STYLES[name].items():
                setattr(cell, attribute, setting)
            self.styles[name] = copy(cell._style)
        else:
            cell._style = copy(array)

    def put(self, row: int, column: int, value, style: str | None = None):
        """Write one cell; text stays text, never a formula (a remark "=1+1" included)."""
        cell = self.sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = _text(value)
            cell.data_type = "s"
        else:
            cell.value = value
        self._style(cell, style)
        return cell

    def formula(self, row: int, column: int, text: str, value: float | str,
                style: str | None = None) -> None:
        cell = self.sheet.cell(row=row, column=column)
        cell.value = "=" + text
        self._style(cell, style)
        self.cached[cell.coordinate] = value


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _methods(codes: str) -> str:
    # The official sheets write "SI/OB/RR"; keep the checklist's canonical order.
    present = set(codes.split())
    return "/".join(m for m in METHODS if m in present)


def _ratio(obtained: float, maximum: float) -> float | str:
    return obtained / maximum if maximum else "NA"


def _write_sheet(out: _Sheet, department: _Department, assessment: Assessment, layout: str,
                 full: float, levels: list[float]) -> None:
    sheet = out.sheet
    put = out.put
    cols = _COLUMNS[layout]
    last_col = max(cols.values())
    letter = {role: get_column_letter(c) for role, c in cols.items()}

    # Header block, as the official sheets have it (the reader takes the hospital, date,
    # assessors and type from the cell right of each label).
    facility = assessment.facility
    put(1, 1, assessment.version.tool.name, "title")
    put(2, 1, f"Checklist for {department.name}", "title")
    put(3, 1, "Assessment Summary", "bold")
    kind = Assessment.Kind(assessment.kind)
    right = cols["mov"]
    header = (
        (4, "Name of the Hospital", facility.name, "Date of Assessment", assessment.start_date),
        (5, "Names of Assessors", assessment.assessor_names, "Names of Assessees", ""),
        (6, "Type of Assessment (Internal/External)", _english(kind), "District",
         facility.district.name),
    )
    if assessment.end_date:
        header += ((7, "", "", "End of Assessment", assessment.end_date),)
    for row, label, value, label2, value2 in header:
        if label:
            put(row, 1, label, "bold")
            put(row, 2, value)
        put(row, right, label2, "bold")
        put(row, right + 1, value2, "date" if isinstance(value2, dt.date) else None)

    # The score card sits above the table, one row per area of concern.
    score_top = 9
    table_title = score_top + len(department.areas) + 2
    header_row = table_title + 1
    score_col, got_col, max_col = 3, 4, 5
    put(score_top - 1, 1, f"{department.name} Score Card", "bold")
    put(score_top, 1, "Area of Concern wise Score", "bold")
    put(score_top, score_col, "Score", "bold")
    put(score_top, got_col, "Obtained", "bold")
    put(score_top, max_col, "Maximum", "bold")
    put(score_top, right, f"{department.name} Score", "bold")

    put(table_title, 1, f"Checklist for {department.name}", "bold")
    for role, column in cols.items():
        put(header_row, column, _HEADERS[role], "header")

    got, most, comp = letter["obtained"], letter["maximum"], letter["compliance"]
    ref_col, title_col = cols["ref"], cols.get("me_text", cols["text"])
    row = header_row + 1
    first_answer_row = row
    area_rows: list[tuple[_Area, int, float, float]] = []
    for area in department.areas:
        area_row = row
        for c in range(1, last_col + 1):
            put(row, c, None, "area")
        put(row, 2, f"Area of Concern - {area.letter} {area.title}".rstrip(), "area")
        row += 1
        standard_rows: list[int] = []
        area_got = area_max = 0.0
        for standard in area.standards:
            std_row = row
            standard_rows.append(std_row)
            for c in range(1, last_col + 1):
                put(row, c, None, "standard")
            put(row, ref_col, f"Standard {standard.code}", "standard")
            put(row, title_col, standard.title, "standard")
            row += 1
            rows_start = row
            for cells in _standard_rows(standard, layout):
                for role, value in cells.items():
                    if role == "compliance":
                        put(row, cols[role], _number(value), "answer")
                    else:
                        put(row, cols[role], value, "wrap")
                row += 1
            scored = [c.value for c in standard.checkpoints if c.value is not None]
            std_got, std_max = float(sum(scored)), full * len(scored)
            area_got += std_got
            area_max += std_max
            if row > rows_start:
                span = f"{comp}{rows_start}:{comp}{row - 1}"
                out.formula(std_row, cols["obtained"], f"SUM({span})", std_got, "standard")
                out.formula(std_row, cols["maximum"], f"COUNT({span})*{_number(full)}",
                            std_max, "standard")
            else:
                put(std_row, cols["obtained"], 0, "standard")
                put(std_row, cols["maximum"], 0, "standard")
        if standard_rows:
            out.formula(area_row, cols["obtained"],
                        "SUM(" + ",".join(f"{got}{r}" for r in standard_rows) + ")",
                        area_got, "area")
            out.formula(area_row, cols["maximum"],
                        "SUM(" + ",".join(f"{most}{r}" for r in standard_rows) + ")",
                        area_max, "area")
        else:
            put(area_row, cols["obtained"], 0, "area")
            put(area_row, cols["maximum"], 0, "area")
        area_rows.append((area, area_row, area_got, area_max))

    # The score card: each area's share of its maximum, and the department's.
    got_l, max_l = get_column_letter(got_col), get_column_letter(max_col)
    for i, (area, area_row, area_got, area_max) in enumerate(area_rows):
        r = score_top + 1 + i
        put(r, 1, area.letter)
        put(r, 2, area.title)
        out.formula(r, got_col, f"{got}{area_row}", area_got)
        out.formula(r, max_col, f"{most}{area_row}", area_max)
        out.formula(r, score_col, f'IF({max_l}{r}=0,"NA",{got_l}{r}/{max_l}{r})',
                    _ratio(area_got, area_max), "percent")
    if area_rows:
        first, last = score_top + 1, score_top + len(area_rows)
        out.formula(score_top + 1, right,
                    f'IF(SUM({max_l}{first}:{max_l}{last})=0,"NA",'
                    f"SUM({got_l}{first}:{got_l}{last})/SUM({max_l}{first}:{max_l}{last}))",
                    _ratio(sum(a[2] for a in area_rows), sum(a[3] for a in area_rows)),
                    "percent_title")

    # Only the allowed levels go into the compliance column (blank stays NA).
    if row > first_answer_row:
        allowed = ",".join(str(_number(v)) for v in levels)
        validation = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="Compliance",
                                    error=f"Enter one of {allowed}, or leave blank for NA.")
        validation.add(f"{comp}{first_answer_row}:{comp}{row - 1}")
        sheet.add_data_validation(validation)

    for role, column in cols.items():
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[role]
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _standard_rows(standard: _Standard, layout: str):
    """The table rows under a standard row, as {role: value} dicts, in checklist order.

    NQAS: each measurable element opens with its first checkpoint on the same row (or
    alone, when it has none); its other checkpoints follow with A and B blank. Checkpoints
    outside any element (some state variants) come first, as the reader reads them.
    """
    def checkpoint_cells(cp: _Checkpoint) -> dict[str, object]:
        return {"text": cp.text, "compliance": cp.value, "method": _methods(cp.methods),
                "mov": cp.mov, "remark": cp.remark}

    if layout == KAYAKALP:
        for cp in standard.checkpoints:
            yield {"ref": cp.code, **checkpoint_cells(cp)}
        return
    by_element: dict[int | None, list[_Checkpoint]] = defaultdict(list)
    for cp in standard.checkpoints:
        by_element[cp.me_id].append(cp)
    known = {pk for pk, _code, _text in standard.elements}
    loose = [cp for me_id, cps in by_element.items() if me_id not in known for cp in cps]
    for cp in loose:
        yield checkpoint_cells(cp)
    for pk, code, text in standard.elements:
        checkpoints = by_element.get(pk, [])
        head = {"ref": f"ME {code}", "me_text": text}
        if not checkpoints:
            yield head
            continue
        yield {**head, **checkpoint_cells(checkpoints[0])}
        for cp in checkpoints[1:]:
            yield checkpoint_cells(cp)


def _english(kind) -> str:
    with translation.override("en"):
        return str(kind.label)


# ------------------------------------------------------------------------ cached values
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# openpyxl writes a formula cell as <c r="H12" s="3"><f>SUM(D13:D20)</f><v /></c>.
_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/>(</v>)?</c>')


def _with_cached_values(data: bytes, cached: dict[str, dict[str, float | str]]) -> bytes:
    """Put each formula's value into the saved file, beside the formula."""
    source = zipfile.ZipFile(io.BytesIO(data))
    paths = _sheet_paths(source)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            values = cached.get(paths.get(info.filename, ""), {})
            if values:
                content = _fill(content.decode("utf-8"), values).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """{part name in the zip: sheet title}."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "")
               for r in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
    paths = {}
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        paths[posixpath.normpath(part)] = sheet.get("name", "")
    return paths


def _fill(xml: str, values: dict[str, float | str]) -> str:
    def replace(match: re.Match[str]) -> str:
        ref, attrs, text = match.group(1), match.group(2), match.group(3)
        if ref not in values:
            return match.group(0)
        value = values[ref]
        if isinstance(value, str):
            attrs = re.sub(r'\st="[^"]*"', "", attrs) + ' t="str"'
            shown = value.replace("&", "&amp;").replace("<", "&lt;")
        else:
            shown = repr(float(value)) if not float(value).is_integer() else str(int(value))
        return f'<c r="{ref}"{attrs}><f>{text}</f><v>{shown}</v></c>'

    return _FORMULA_CELL.sub(replace, xml)
