"""Downloads: score-card and district PDFs, the official workbook. Each checks access
through the selectors (out of scope = 404), then queues the file as a background job
(srishti.jobs): printing a PDF takes seconds, and no request should wait for it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from srishti.accounts.access import get_visible_or_404, visible_districts
from srishti.assessments.selectors import assessment_get
from srishti.jobs.views import start_and_show


def _about(assessment) -> str:
    return f"{assessment.facility.name}, {date_format(assessment.start_date)}"


@require_safe
@login_required
def scorecard_pdf_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    return start_and_show(request, kind="scorecard_pdf", params={"assessment": assessment.pk},
                          title=_("Score card (PDF): %(about)s") % {"about": _about(assessment)})


@require_safe
@login_required
def district_summary_pdf_view(request, pk: int):
    district = get_visible_or_404(visible_districts(request.user), pk=pk)
    return start_and_show(request, kind="district_pdf", params={"district": district.pk},
                          title=_("District summary (PDF): %(name)s") % {"name": district.name})


@require_safe
@login_required
def assessment_workbook_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    return start_and_show(request, kind="workbook_xlsx", params={"assessment": assessment.pk},
                          title=_("Official workbook (Excel): %(about)s")
                          % {"about": _about(assessment)})


@require_safe
@login_required
def division_summary_pdf_view(request, pk: int):
    from srishti.dashboards.selectors import visible_division_or_none

    division = visible_division_or_none(user=request.user, pk=pk)
    if division is None:
        raise Http404
    return start_and_show(request, kind="district_pdf", params={"division": division.pk},
                          title=_("Division summary (PDF): %(name)s") % {"name": division.name})


@require_safe
@login_required
def block_summary_pdf_view(request, pk: int):
    from srishti.dashboards.selectors import visible_block_or_none

    block = visible_block_or_none(user=request.user, pk=pk)
    if block is None:
        raise Http404
    return start_and_show(request, kind="district_pdf", params={"block": block.pk},
                          title=_("Block summary (PDF): %(name)s") % {"name": block.name})
