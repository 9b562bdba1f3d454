"""What each kind of background job makes: a function of (owner, params, progress) that
checks the owner's access again (it may have changed since the job was asked for) and
returns the file. The slow work that used to run inside the request lives here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.timezone import localdate

Progress = Callable[[int, int], None]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
_UNSAFE = re.compile(r'[\s\\/:*?"<>|]+')


@dataclass(frozen=True)
class Made:
    content: bytes
    file_name: str
    content_type: str


def _name(*parts: str, ext: str) -> str:
    # Keeps Devanagari names readable (sent as filename*=UTF-8''...).
    return "-".join(_UNSAFE.sub("-", p).strip("-") for p in parts if p) + f".{ext}"


def scorecard_pdf(owner, params: dict, progress: Progress) -> Made:
    from srishti.reports.pdf import html_to_pdf
    from srishti.reports.selectors import scorecard_report

    progress(0, 3)
    report = scorecard_report(user=owner, pk=params["assessment"])
    assessment = report.assessment
    progress(1, 3)
    from django.template.loader import render_to_string

    html = render_to_string("reports/scorecard.html", {
        "report": report, "page": report.page, "assessment": assessment,
        "printed": localdate()})
    progress(2, 3)
    return Made(html_to_pdf(html), _name("scorecard", assessment.facility.name,
                                         f"{assessment.start_date:%Y-%m-%d}", ext="pdf"), PDF)


def district_pdf(owner, params: dict, progress: Progress) -> Made:
    from django.template.loader import render_to_string

    from srishti.reports.pdf import html_to_pdf
    from srishti.reports.selectors import district_summary

    progress(0, 3)
    report = district_summary(user=owner, pk=params.get("district"),
                              division=params.get("division"), block=params.get("block"))
    progress(1, 3)
    html = render_to_string("reports/district_summary.html",
                            {"report": report, "printed": localdate()})
    progress(2, 3)
    kind = next(k for k in ("division", "block", "district") if params.get(k))
    return Made(html_to_pdf(html), _name(kind, report.title,
                                         f"{localdate():%Y-%m-%d}", ext="pdf"), PDF)


def workbook_xlsx(owner, params: dict, progress: Progress) -> Made:
    from srishti.assessments.selectors import assessment_get
    from srishti.reports.workbook import assessment_workbook, workbook_filename

    progress(0, 2)
    assessment = assessment_get(user=owner, pk=params["assessment"])
    progress(1, 2)
    return Made(assessment_workbook(assessment), workbook_filename(assessment), XLSX)


def gaps_xlsx(owner, params: dict, progress: Progress) -> Made:
    from srishti.assessments.selectors import assessment_gaps, assessment_get
    from srishti.assessments.views.gaps import gaps_workbook

    progress(0, 2)
    assessment = assessment_get(user=owner, pk=params["assessment"])
    rows = assessment_gaps(assessment=assessment, department_id=params.get("department", 0),
                           area=params.get("area", ""), standard=params.get("standard", ""))
    progress(1, 2)
    name = slugify(f"gaps {assessment.facility.name} {assessment.start_date:%Y-%m-%d}")
    return Made(gaps_workbook(assessment, rows), f"{name or 'gaps'}.xlsx", XLSX)


def _action_plan(owner, params: dict):
    from srishti.improvement.selectors import action_plan

    return action_plan(user=owner, pk=params["assessment"], status=params.get("status", ""),
                       department_id=params.get("department", 0), page=None)


def _plan_name(page, ext: str) -> str:
    assessment = page.assessment
    name = slugify(f"action plan {assessment.facility.name} {assessment.start_date:%Y-%m-%d}")
    return f"{name or 'action-plan'}.{ext}"


def action_plan_xlsx(owner, params: dict, progress: Progress) -> Made:
    from srishti.improvement.exports import action_plan_xlsx as make

    progress(0, 2)
    page = _action_plan(owner, params)
    progress(1, 2)
    return Made(make(page), _plan_name(page, "xlsx"), XLSX)


def action_plan_pdf(owner, params: dict, progress: Progress) -> Made:
    from srishti.improvement.exports import action_plan_pdf as make

    progress(0, 2)
    page = _action_plan(owner, params)
    progress(1, 2)
    return Made(make(page), _plan_name(page, "pdf"), PDF)


def work_list_xlsx(owner, params: dict, progress: Progress) -> Made:
    from srishti.improvement.exports import work_list_xlsx as make
    from srishti.improvement.selectors import today_ist, work_list
    from srishti.improvement.views import work_list_filters

    progress(0, 2)
    today = today_ist()
    items = work_list(user=owner, filters=work_list_filters(params), today=today)
    progress(1, 2)
    return Made(make(items, today), _name("action-items", f"{today:%Y-%m-%d}", ext="xlsx"),
                XLSX)


def dashboard_xlsx(owner, params: dict, progress: Progress) -> Made:
    """The state dashboard (no district) or a district's, as the owner sees it."""
    from django.http import Http404

    from srishti.dashboards.selectors import (
        area_titles,
        district_dashboard,
        state_dashboard,
        visible_district_or_none,
    )
    from srishti.reports.excel import dashboard_workbook

    progress(0, 2)
    if params.get("district"):
        district = visible_district_or_none(user=owner, pk=params["district"])
        if district is None:
            raise Http404
        board = district_dashboard(user=owner, district=district)
        level, name = "district", district.name
    else:
        board, level, name = state_dashboard(user=owner), "state", "state"
    progress(1, 2)
    return Made(dashboard_workbook(board, level=level, area_titles=area_titles()),
                _name("dashboard", name, f"{localdate():%Y-%m-%d}", ext="xlsx"), XLSX)


def certificates_pdf(owner, params: dict, progress: Progress) -> Made:
    """Participation certificates of a training, one page each: everyone the owner sees
    who attended, or the one attendance named."""
    from django.http import Http404
    from django.template.loader import render_to_string

    from srishti.programme.models import AttendanceStatus
    from srishti.programme.selectors import training_attendance, training_get
    from srishti.reports.pdf import html_to_pdf

    progress(0, 2)
    training = training_get(user=owner, pk=params["training"])
    rows = [r for r in training_attendance(user=owner, training=training)
            if r.status == AttendanceStatus.ATTENDED
            and params.get("attendance") in (None, r.pk)]
    if not rows:
        raise Http404
    progress(1, 2)
    html = render_to_string("programme/certificate.html", {"rows": rows})
    who = rows[0].staff.name if len(rows) == 1 else "certificates"
    return Made(html_to_pdf(html), _name(who, training.title,
                                         f"{training.start_date:%Y-%m-%d}", ext="pdf"), PDF)


KINDS: dict[str, Callable[..., Made]] = {
    "certificates_pdf": certificates_pdf,
    "scorecard_pdf": scorecard_pdf,
    "district_pdf": district_pdf,
    "workbook_xlsx": workbook_xlsx,
    "gaps_xlsx": gaps_xlsx,
    "action_plan_xlsx": action_plan_xlsx,
    "action_plan_pdf": action_plan_pdf,
    "work_list_xlsx": work_list_xlsx,
    "dashboard_xlsx": dashboard_xlsx,
}
