"""The gap list of an assessment: every checkpoint scored below full, and its Excel export."""

from __future__ import annotations

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from srishti.core.limits import printable

from ..selectors import assessment_gaps, assessment_get, gap_filter_choices

PAGE_SIZE = 100


def _filters(request, choices) -> dict:
    """The GET filters, kept only when they name something in the checklist."""
    try:
        department = int(request.GET.get("department") or 0)
    except ValueError:
        department = 0
    if department not in {d for d, _name in choices.departments}:
        department = 0
    area = request.GET.get("area", "")
    if area not in {letter for letter, _title in choices.areas}:
        area = ""
    standard = request.GET.get("standard", "")
    if standard not in choices.standards:
        standard = ""
    return {"department": department, "area": area, "standard": standard}


@login_required
def assessment_gaps_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    choices = gap_filter_choices(assessment=assessment)
    selected = _filters(request, choices)
    rows = assessment_gaps(assessment=assessment, department_id=selected["department"],
                           area=selected["area"], standard=selected["standard"])
    if request.GET.get("format") == "xlsx":
        # Made in the background (srishti.jobs): a large hospital's gaps take seconds.
        from srishti.jobs.views import start_and_show

        return start_and_show(request, kind="gaps_xlsx", params={
            "assessment": assessment.pk, **selected}, title=_(
                "Gaps (Excel): %(facility)s, %(date)s") % {
                "facility": assessment.facility.name,
                "date": date_format(assessment.start_date)})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(request, "assessments/gaps/list.html", {
        "assessment": assessment, "choices": choices, "selected": selected, "page": page,
        "query": query.urlencode(),
    })


def _text(sheet, value):
    # A remark such as "=no register" must stay text: openpyxl writes any string that
    # starts with "=" as a formula unless told otherwise.
    if isinstance(value, str):
        value = printable(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def gaps_workbook(assessment, rows) -> bytes:
    """The filtered gaps as an .xlsx: a header row, frozen, then one row per gap."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Gaps"))
    columns = [
        (_("Department"), 18), (_("Area of concern"), 24), (_("Standard"), 30),
        (_("Measurable element"), 36), (_("Checkpoint"), 50), (_("Score"), 8),
        (_("Remark"), 40), (_("Method"), 10), (_("Means of verification"), 36),
    ]
    for index, (_title, width) in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _width in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows.iterator(chunk_size=2000):
        me_code = row["checkpoint__measurable_element__code"]
        sheet.append([
            _text(sheet, row["checkpoint__department__name"]),
            _text(sheet, f'{row["checkpoint__standard__area__letter"]} '
                         f'{row["checkpoint__standard__area__title"]}'),
            _text(sheet, f'{row["checkpoint__standard__code"]} '
                         f'{row["checkpoint__standard__title"]}'),
            _text(sheet, f'{me_code} {row["checkpoint__measurable_element__text"]}'
                  if me_code else ""),
            _text(sheet, row["checkpoint__text"]),
            float(row["value"]),
            _text(sheet, row["remark"]),
            _text(sheet, row["checkpoint__methods"]),
            _text(sheet, row["checkpoint__means_of_verification"]),
        ])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


urlpatterns = [
    path("<int:pk>/gaps/", assessment_gaps_view, name="assessment-gaps"),
]
