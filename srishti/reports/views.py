"""Downloads: score-card and district PDFs, the official workbook. Each checks access
through the selectors (out of scope = 404) before anything is rendered."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.timezone import localdate
from django.views.decorators.http import require_safe

from srishti.assessments.selectors import assessment_get
from srishti.workbooks.export import XLSX_CONTENT_TYPE, assessment_workbook, workbook_filename

from .pdf import render_pdf
from .selectors import district_summary, scorecard_report

_UNSAFE = re.compile(r'[\s\\/:*?"<>|]+')


def _filename(*parts: str, ext: str) -> str:
    # Keeps Devanagari names readable (sent as filename*=UTF-8''...).
    return "-".join(_UNSAFE.sub("-", p).strip("-") for p in parts if p) + f".{ext}"


def _download(content: bytes, content_type: str, filename: str, *, inline: bool):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    # Scoped data: never kept by a shared cache.
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
@login_required
def scorecard_pdf_view(request, pk: int):
    report = scorecard_report(user=request.user, pk=pk)
    assessment = report.assessment
    pdf = render_pdf("reports/scorecard.html",
                     {"report": report, "page": report.page, "assessment": assessment,
                      "printed": localdate()}, request=request)
    name = _filename("scorecard", assessment.facility.name,
                     f"{assessment.start_date:%Y-%m-%d}", ext="pdf")
    return _download(pdf, "application/pdf", name, inline=True)


@require_safe
@login_required
def district_summary_pdf_view(request, pk: int):
    report = district_summary(user=request.user, pk=pk)
    pdf = render_pdf("reports/district_summary.html",
                     {"report": report, "printed": localdate()}, request=request)
    name = _filename("district", report.district.name, f"{localdate():%Y-%m-%d}", ext="pdf")
    return _download(pdf, "application/pdf", name, inline=True)


@require_safe
@login_required
def assessment_workbook_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    return _download(assessment_workbook(assessment), XLSX_CONTENT_TYPE,
                     workbook_filename(assessment), inline=False)
