"""An action plan as Excel (the columns district officers already use: gap, root cause,
action, responsibility, timeline, status) and as PDF, in the language of the request."""

from __future__ import annotations

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from srishti.core.limits import printable

from .selectors import ActionPlanPage

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
OVERDUE_FILL = PatternFill("solid", fgColor="FEE4E2")
THIN = Side(style="thin", color="D9DEE6")


def _responsibility(item) -> str:
    user = item.responsible_user
    person = (user.get_full_name() or user.username) if user else ""
    names = [n for n in (item.responsible_name, person) if n]
    return " / ".join(dict.fromkeys(names))


def _status(row) -> str:
    label = str(row.item.get_status_display())
    if row.item.overdue:
        label += " — " + _("overdue by %(days)s days") % {"days": row.days_overdue}
    return label


def _header(sheet, columns: list[tuple[str, int]]) -> None:
    """A styled header row (white on green) and the columns' widths."""
    sheet.append([title for title, _width in columns])
    for index, (_title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width


def _finish(book, sheet, columns, rows: int, title: str) -> bytes:
    """Header row kept in view, a filter on every column, landscape one page wide."""
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = title
    book.properties.title = title[:200]
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def action_plan_columns() -> list[tuple[str, int]]:
    """(header, width in characters) of the Excel export, in order."""
    return [
        (_("No."), 5), (_("Department"), 16), (_("Standard"), 10), (_("Gap"), 50),
        (_("Score"), 7), (_("Root cause"), 36), (_("Corrective action"), 40),
        (_("Responsibility"), 22), (_("Timeline"), 12), (_("Status"), 16),
        (_("Verification"), 30),
    ]


def action_plan_xlsx(page: ActionPlanPage) -> bytes:
    """The plan's rows (as filtered on the page) as a workbook: a styled header row that
    stays in view, wrapped text, real dates, overdue rows shaded and labelled."""
    assessment = page.assessment
    book = Workbook()
    sheet = book.active
    sheet.title = _("Action plan")[:31]
    columns = action_plan_columns()
    _header(sheet, columns)
    for number, row in enumerate(page.rows, start=1):
        item = row.item
        verification = ""
        if item.verified_at:
            verification = " ".join(filter(None, [
                formats.date_format(item.verified_at.date()),
                str(item.verified_by or ""), item.verification_remark]))
        values = [
            number, item.checkpoint.department.name, item.checkpoint.standard.code,
            item.checkpoint.text,
            float(item.gap_value) if item.gap_value is not None else None,
            item.root_cause, item.corrective_action, _responsibility(item), item.due_date,
            _status(row), verification,
        ]
        # Control characters (a pasted Word line break) cannot be written to a workbook.
        values = [printable(v) if isinstance(v, str) else v for v in values]
        sheet.append(values)
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=number + 1, column=index)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(bottom=THIN)
            if isinstance(value, str):
                # A root cause such as "=no register" must stay text, not a formula.
                cell.data_type = "s"
            if row.item.overdue:
                cell.fill = OVERDUE_FILL
        sheet.cell(row=number + 1, column=9).number_format = "DD-MM-YYYY"
    return _finish(book, sheet, columns, len(page.rows),
                   f"{_('Action plan')}: {assessment.facility.name}, "
                   f"{assessment.get_kind_display()} {assessment.start_date}")


def work_list_columns() -> list[tuple[str, int]]:
    """(header, width in characters) of the work list's Excel export, in order."""
    return [
        (_("District"), 14), (_("Facility"), 28), (_("Assessment"), 18),
        (_("Department"), 16), (_("Standard"), 10), (_("Gap"), 50),
        (_("Corrective action"), 40), (_("Responsibility"), 22), (_("Timeline"), 12),
        (_("Status"), 16), (_("Days overdue"), 10),
    ]


def work_list_xlsx(items, today) -> bytes:
    """The work list's items (as filtered on the page) as a workbook: real dates, overdue
    rows shaded, every column filterable."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Action items")[:31]
    columns = work_list_columns()
    _header(sheet, columns)
    count = 0
    for count, item in enumerate(items, start=1):
        assessment = item.assessment
        values = [
            item.facility.district.name, item.facility.name,
            f"{assessment.version.tool.code} {assessment.get_kind_display()}",
            item.checkpoint.department.name, item.checkpoint.standard.code,
            item.checkpoint.text, item.corrective_action, _responsibility(item),
            item.due_date, str(item.get_status_display()),
            (today - item.due_date).days if item.overdue else None,
        ]
        values = [printable(v) if isinstance(v, str) else v for v in values]
        sheet.append(values)
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=count + 1, column=index)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(bottom=THIN)
            if isinstance(value, str):
                cell.data_type = "s"
            if item.overdue:
                cell.fill = OVERDUE_FILL
        sheet.cell(row=count + 1, column=9).number_format = "DD-MM-YYYY"
    return _finish(book, sheet, columns, count, str(_("Action items")))


def action_plan_pdf(page: ActionPlanPage, *, request=None) -> bytes:
    """The plan as an A4 landscape PDF; Hindi text renders through Noto Sans Devanagari."""
    from weasyprint import HTML

    html = render_to_string("improvement/action_plan_pdf.html", {"page": page}, request=request)
    return HTML(string=html).write_pdf()
