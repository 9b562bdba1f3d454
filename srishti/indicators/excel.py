"""The Excel round trip of monthly figures: a template per facility and financial year
(one sheet per department, two rows per indicator, one column per month), and the
reading of a filled one.

Reading is bounded: the file size and its unzipped size are checked before it is opened,
only the template's area is read (streamed by openpyxl's read-only mode), and a sheet
declaring cells far outside it is refused with one line. Every problem names its sheet,
row and column; the caller writes nothing unless there is none.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from srishti.geography.models import Facility
from srishti.workbooks.zipsize import unzipped_size

from .library_reads import canonical_department, department_key, departments_for, indicators_for
from .models import Indicator, IndicatorValue
from .months import financial_year_months, month_key, parse_month

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
# The template's area: header rows, then two rows per indicator; code, name, figure and
# twelve months. Anything a sheet declares beyond these bounds is refused.
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 1
FIRST_MONTH_COLUMN = 4  # D
MAX_ROWS = 400
MAX_COLUMNS = 26
MAX_ERRORS = 50
README = "Read me"
FACILITY_ID_CELL = (2, 2)  # B2
DEPARTMENT_CELL = (3, 2)  # B3


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------------------------------
# The template.

def template_workbook(*, facility: Facility, year: int, library: list[Indicator]) -> bytes:
    """The template for a facility and financial year (April `year` to March `year`+1),
    filled with the figures already stored, so that a download is also an export."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    months = financial_year_months(year)
    stored = {(department_key(d), code, m): (n, den) for d, code, m, n, den in
              IndicatorValue.objects.filter(facility=facility, month__gte=months[0],
                                            month__lte=months[-1])
              .values_list("department", "indicator__code", "month", "numerator",
                           "denominator")}
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="EEF0F3")
    wrap = Alignment(wrap_text=True, vertical="top")
    book = Workbook()
    readme = book.active
    readme.title = README
    for line in (
        _("Monthly indicator figures: %(facility)s, financial year %(year)s-%(next)s")
        % {"facility": facility.name, "year": year, "next": str(year + 1)[-2:]},
        _("One sheet per department, two rows per indicator (numerator, then denominator), "
          "one column per month."),
        _("Type each figure in its cell. Leave a cell blank when the figure is not "
          "reported: a blank cell never removes a figure already stored."),
        _("Counts are whole numbers; a numerator that is a part of its denominator cannot "
          "be larger than it. The value is numerator / denominator x the multiplier shown."),
        _("Do not change the codes in column A, the month headings or the cells B2 and B3; "
          "upload the file on the facility's indicator page."),
    ):
        readme.append([line])
    readme.column_dimensions["A"].width = 110
    for department in departments_for(facility.facility_type, library):
        sheet = book.create_sheet(department[:31])
        sheet.append([_("Facility"), facility.name])
        sheet.append([_("Facility id"), facility.pk])
        sheet.append([_("Department"), department])
        sheet.append([_("Financial year"), f"{year}-{str(year + 1)[-2:]}"])
        sheet.append([_("Figures for months not yet ended are not taken.")])
        sheet.append([])
        sheet.append([_("Code"), _("Indicator"), _("Figure"), *[month_key(m) for m in months]])
        for cell in sheet[HEADER_ROW]:
            cell.font, cell.fill = bold, grey
        for cell in sheet["A"][:4]:
            cell.font = bold
        key = department_key(department)
        for indicator in indicators_for(facility.facility_type, department, library):
            multiplier = indicator.get_multiplier_display()
            for field_name, label, definition in (
                    ("n", _("Numerator"), indicator.numerator),
                    ("d", _("Denominator"), indicator.denominator)):
                figures = [stored.get((key, indicator.code, m)) for m in months]
                sheet.append([
                    indicator.code,
                    f"{indicator.name} ({multiplier})" if field_name == "n" else "",
                    f"{label}: {definition}",
                    *[None if f is None else float(f[0 if field_name == "n" else 1])
                      for f in figures]])
                for cell in sheet[sheet.max_row][:3]:
                    cell.alignment = wrap
        last = sheet.max_row
        if last >= FIRST_ROW:
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                  allow_blank=True, showErrorMessage=True)
            rule.error = _("Enter a number of zero or more.")
            sheet.add_data_validation(rule)
            rule.add(f"{column_letter(FIRST_MONTH_COLUMN)}{FIRST_ROW}:"
                     f"{column_letter(FIRST_MONTH_COLUMN + 11)}{last}")
        for letter, width in (("A", 12), ("B", 34), ("C", 60)):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = sheet.cell(FIRST_ROW, FIRST_MONTH_COLUMN)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# Reading a filled template.

@dataclass
class CellError:
    sheet: str
    row: int
    column: int
    message: str

    def __str__(self) -> str:
        return _("Sheet “%(sheet)s”, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": column_letter(self.column),
            "message": self.message}


class TemplateError(Exception):
    """The file cannot be read as a template at all (one line for the person)."""


@dataclass
class MonthColumn:
    """The figures of one department and month, and where each came from."""

    department: str
    month: dt.date
    column: int
    sheet: str
    figures: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # code: (num row, den row)


@dataclass
class ReadTemplate:
    columns: list[MonthColumn]
    errors: list[CellError]


def check_file(name: str, size: int, path: str) -> None:
    if not name.lower().endswith(".xlsx"):
        raise TemplateError(_("Upload the Excel template (.xlsx) downloaded from this page."))
    if size > MAX_UPLOAD_BYTES:
        raise TemplateError(_("The file is larger than 2 MB: upload the template itself."))
    unzipped = unzipped_size(path)
    if unzipped is None:
        raise TemplateError(_("This is not an Excel (.xlsx) file: upload the template "
                              "downloaded from this page."))
    if unzipped > MAX_UNZIPPED_BYTES:
        raise TemplateError(_("The file unpacks to far more than a template holds; upload "
                              "the template itself."))


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_template(path: str, *, facility: Facility, library: list[Indicator]) -> ReadTemplate:
    """The figures of a filled template, or the cells that are wrong. Raises
    TemplateError when the file is not a template at all."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values_book = load_workbook(path, read_only=True, data_only=True)
        formula_book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise TemplateError(_("The file cannot be opened as an Excel workbook: %(reason)s")
                            % {"reason": str(exc)[:200]}) from None
    try:
        columns: list[MonthColumn] = []
        errors: list[CellError] = []
        names = [n for n in values_book.sheetnames if n != README]
        if not names:
            raise TemplateError(_("The workbook has no department sheets: upload the template "
                                  "downloaded from this page."))
        for name in names:
            _read_sheet(values_book[name], formula_book[name], name, facility, library,
                        columns, errors)
            if len(errors) >= MAX_ERRORS:
                break
        return ReadTemplate(columns, errors)
    finally:
        values_book.close()
        formula_book.close()


def _read_sheet(sheet, formulas_sheet, name: str, facility: Facility,
                library: list[Indicator], columns: list[MonthColumn],
                errors: list[CellError]) -> None:
    def fail(row: int, column: int, message: str) -> None:
        errors.append(CellError(name, row, column, message))

    if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
        raise TemplateError(_("Sheet “%(sheet)s” reaches row %(rows)s, column %(column)s, "
                              "far beyond the template (%(max_rows)s rows, column "
                              "%(max_column)s): delete what lies outside it.") % {
            "sheet": name, "rows": sheet.max_row, "column": column_letter(sheet.max_column),
            "max_rows": MAX_ROWS, "max_column": column_letter(MAX_COLUMNS)})
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(
        min_row=1, max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)]
    formula_rows = list(formulas_sheet.iter_rows(min_row=FIRST_ROW, max_row=MAX_ROWS,
                                                 max_col=MAX_COLUMNS, values_only=True))

    def at(row: int, column: int) -> Any:
        if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
            return rows[row - 1][column - 1]
        return None

    facility_id = at(*FACILITY_ID_CELL)
    if str(facility_id).removesuffix(".0") != str(facility.pk):
        fail(*FACILITY_ID_CELL, _("this sheet is for another facility (id %(id)s): download "
                                  "this facility's template.") % {"id": facility_id})
        return
    department = canonical_department(facility.facility_type, str(at(*DEPARTMENT_CELL) or ""),
                                      library)
    if department is None or department_key(department) != department_key(name):
        fail(*DEPARTMENT_CELL, _("“%(value)s” is not a department of this facility's "
                                 "indicators, or does not match the sheet's name.")
             % {"value": at(*DEPARTMENT_CELL) or ""})
        return
    months: dict[int, dt.date] = {}
    for column in range(FIRST_MONTH_COLUMN, MAX_COLUMNS + 1):
        heading = at(HEADER_ROW, column)
        if heading is None:
            continue
        month = (heading.date().replace(day=1) if isinstance(heading, dt.datetime)
                 else parse_month(str(heading)))
        if month is None:
            fail(HEADER_ROW, column, _("“%(value)s” is not a month (YYYY-MM).")
                 % {"value": heading})
            continue
        months[column] = month
    by_code = {i.code: i for i in indicators_for(facility.facility_type, department, library)}
    sheet_columns = {c: MonthColumn(department, m, c, name) for c, m in months.items()}
    expect_denominator: str | None = None
    numerator_row = 0
    for row in range(FIRST_ROW, len(rows) + 1):
        code = at(row, 1)
        cells = {c: at(row, c) for c in months}
        if code is None:
            if any(v is not None for v in cells.values()):
                fail(row, 1, _("figures without an indicator code in column A."))
            if expect_denominator:
                fail(row, 1, _("the denominator row of %(code)s is missing.")
                     % {"code": expect_denominator})
                expect_denominator = None
            continue
        code = str(code)
        if code not in by_code:
            fail(row, 1, _("%(code)s is not an indicator of this department.") % {"code": code})
            expect_denominator = None
            continue
        if expect_denominator not in (None, code):
            fail(row, 1, _("the denominator row of %(code)s is missing.")
                 % {"code": expect_denominator})
            expect_denominator = None
        is_denominator = expect_denominator == code
        for column, value in cells.items():
            formula = formula_rows[row - FIRST_ROW][column - 1] \
                if row - FIRST_ROW < len(formula_rows) else None
            if value is None and isinstance(formula, str) and formula.startswith("="):
                fail(row, column, _("a formula without a computed value: type the figure, or "
                                    "open and save the file in Excel first."))
                continue
            if value is None:
                continue
            target = sheet_columns[column]
            numerator, denominator = target.figures.get(code, (None, None))
            target.figures[code] = ((numerator, value) if is_denominator
                                    else (value, denominator))
        if is_denominator:
            for target in sheet_columns.values():
                target.rows[code] = (numerator_row, row)
            expect_denominator = None
        else:
            numerator_row = row
            expect_denominator = code
    if expect_denominator:
        fail(len(rows) + 1, 1, _("the denominator row of %(code)s is missing.")
             % {"code": expect_denominator})
    columns.extend(c for c in sheet_columns.values() if c.figures)
