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
    sheet.append([title for title, _width in columns])
    for index, (_title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, row in enumerate(page.rows, start=1):
        item = row.item
        verification = ""
        if item.verified_at:
            verification = " ".join(filter(None, [
                formats.date_format(item.verified_at.date(), "SHORT_DATE_FORMAT"),
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
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(page.rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = (f"{_('Action plan')}: {assessment.facility.name}, "
                                   f"{assessment.get_kind_display()} {assessment.start_date}")
    book.properties.title = f"{_('Action plan')} {assessment.facility.name}"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def action_plan_pdf(page: ActionPlanPage, *, request=None) -> bytes:
    """The plan as an A4 landscape PDF; Hindi text renders through Noto Sans Devanagari."""
    from weasyprint import HTML

    html = render_to_string("improvement/action_plan_pdf.html", {"page": page}, request=request)
    return HTML(string=html).write_pdf()
