"""Indicator pages: a facility's runs and flags, monthly entry (htmx), the Excel round
trip, a district's work list and comparisons, and the figures beside an area-H
checkpoint on the capture page.

Views parse input, check access (accounts.access, through the selectors), call one
service or selector and render. Out of scope answers 404; in scope without the right to
enter figures also answers 404 on the entry pages, as elsewhere.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from srishti.accounts import access
from srishti.assessments.selectors_capture import capture_access
from srishti.core.errors import DomainError

from . import formulas, selectors
from .cells import status_cells
from .charts import compare_chart, run_chart, sparkline
from .excel import TemplateError, check_file, read_template, template_workbook
from .formulas import Flag, beyond_limits
from .library_reads import active_indicators, departments_for
from .months import (
    financial_year,
    last_complete_month,
    month_key,
    month_range,
    parse_month,
    reportable,
)
from .services import KeyReused, monthly_report_save, monthly_reports_import


def flag_labels() -> dict[str, str]:
    return {
        Flag.WORSE_THAN_BENCHMARK: _("worse than the benchmark"),
        Flag.ABOVE_UPPER_LIMIT: _("above the upper control limit"),
        Flag.BELOW_LOWER_LIMIT: _("below the lower control limit"),
    }


def month_label(month: dt.date) -> str:
    """"Apr 24" in the reader's language (Django's month names)."""
    return dateformat.format(month, "M y")


def _end(request) -> dt.date | None:
    end = parse_month(request.GET.get("end", ""))
    if end is None or end > last_complete_month():
        return None
    return end


def chart_legend() -> dict[str, str]:
    return {"benchmark": _("benchmark"), "mean": _("mean"), "limits": _("3-sigma limits")}


def chart_for(run, *, title: str = "", legend: dict[str, str] | None = None) -> str:
    """A run's chart: its out-of-range month red, months beyond the limits on the better
    side marked as signals."""
    marks = ["signal" if beyond_limits(v, run.limits) else "" for v in run.values]
    if run.flags and run.latest_month is not None:
        marks[run.months.index(run.latest_month)] = "flagged"
    for i, v in enumerate(run.values):
        if marks[i] == "signal" and formulas.flags(
                v, direction=run.indicator.direction, benchmark=None, limits=run.limits):
            marks[i] = "flagged"
    return run_chart([month_label(m) for m in run.months], run.values,
                     benchmark=run.indicator.benchmark, limits=run.limits, marks=marks,
                     title=title or run.indicator.name, legend=legend or chart_legend())


# ---------------------------------------------------------------------------------------

@login_required
@require_GET
def overview_view(request):
    """Where the Indicators link lands: a facility person's own facility, or the list of
    districts in the user's scope."""
    facilities = access.visible_facilities(request.user)
    only = list(facilities.values_list("id", flat=True)[:2])
    if len(only) == 1:
        return redirect("indicator-facility", only[0])
    districts = access.visible_districts(request.user).order_by("name")
    return render(request, "indicators/overview.html", {"districts": districts})


@login_required
@require_GET
def facility_view(request, pk: int):
    facility = selectors.visible_facility(user=request.user, pk=pk)
    page = selectors.facility_indicators(user=request.user, facility=facility, end=_end(request))
    status_cells(page.statuses)
    legend = chart_legend()
    for department in page.departments:
        for run in department.runs:
            if run.reported:
                run.chart = chart_for(run, legend=legend)
    return render(request, "indicators/facility.html", {
        "page": page, "facility": facility, "flag_text": flag_labels(),
        "entry_month": last_complete_month(),
    })


def _entry_target(request, facility):
    departments = departments_for(facility.facility_type)
    department = request.GET.get("department") or request.POST.get("department") or (
        departments[0] if departments else "")
    month = parse_month(request.GET.get("month") or request.POST.get("month") or "")
    return department, month or last_complete_month()


def _entry_facility(request, pk: int):
    facility = selectors.visible_facility(user=request.user, pk=pk)
    if not access.can_enter_indicators(request.user, facility):
        raise Http404
    return facility


def _entry_context(form, *, saved: str = "", conflict: bool = False, error: str = ""):
    today = timezone.localdate()
    last = last_complete_month(today)
    return {
        "form": form, "facility": form.facility, "client_id": uuid.uuid4(),
        "saved": saved, "conflict": conflict, "error": error,
        "month_choices": [(month_key(m), m) for m in reversed(month_range(
            dt.date(last.year - 2, last.month, 1), last))],
        "month_value": month_key(form.month), "reportable": reportable(form.month, today),
    }


@login_required
@require_http_methods(["GET", "POST"])
def entry_view(request, pk: int):
    """The month's figures of one department: GET shows them, POST saves them all (htmx
    swaps the form; without htmx the page reloads with a message)."""
    facility = _entry_facility(request, pk)
    department, month = _entry_target(request, facility)
    form = selectors.entry_form(facility=facility, department=department, month=month)
    if form is None:
        raise Http404
    template = "indicators/_entry_form.html" if request.htmx else "indicators/entry.html"
    if request.method == "GET":
        return render(request, template, _entry_context(form))
    figures = {row.indicator.code: (request.POST.get(f"n-{row.indicator.code}", ""),
                                    request.POST.get(f"d-{row.indicator.code}", ""))
               for row in form.rows}
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        client_id = None
    try:
        base_revision = int(request.POST.get("base_revision", ""))
    except ValueError:
        base_revision = -1  # an unknown revision can only conflict
    try:
        result = monthly_report_save(facility=facility, department=form.department,
                                     month=month, figures=figures, user=request.user,
                                     client_id=client_id, base_revision=base_revision)
    except (DomainError, KeyReused) as exc:
        return render(request, template, _entry_context(form, error=str(exc)), status=422)
    if result.status == "invalid":
        for row in form.rows:
            row.numerator, row.denominator = figures[row.indicator.code]
            row.errors = result.errors.get(row.indicator.code, {})
        status, context = 422, _entry_context(form, error=_(
            "Nothing was saved: correct the figures marked below."))
    elif result.status == "conflict":
        fresh = selectors.entry_form(facility=facility, department=department, month=month)
        status, context = 409, _entry_context(fresh, conflict=True)
    else:
        fresh = selectors.entry_form(facility=facility, department=department, month=month)
        status, context = 200, _entry_context(fresh, saved=result.status)
    if not request.htmx and status == 200:
        messages.success(request, _("Figures saved."))
        query = urlencode({"department": form.department, "month": month_key(month)})
        return redirect(f"{reverse('indicator-entry', args=[facility.pk])}?{query}")
    return render(request, template, context, status=status)


@login_required
@require_GET
def template_view(request, pk: int):
    facility = _entry_facility(request, pk)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = financial_year(last_complete_month())
    if not 2010 <= year <= timezone.localdate().year:
        raise Http404
    data = template_workbook(facility=facility, year=year, library=active_indicators())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-"
                                                "officedocument.spreadsheetml.sheet")
    name = f"indicators-{slugify(facility.name)}-{year}-{str(year + 1)[-2:]}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload_view(request, pk: int):
    """Upload a filled template: every cell checked first; nothing stored on any error."""
    facility = _entry_facility(request, pk)
    context = {"facility": facility, "client_id": uuid.uuid4(), "errors": [],
               "years": _years(), "year": financial_year(last_complete_month())}
    if request.method == "GET":
        return render(request, "indicators/upload.html", context)
    upload = request.FILES.get("file")
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        client_id = uuid.uuid4()
    if upload is None:
        context["problem"] = _("Choose the filled template to upload.")
        return render(request, "indicators/upload.html", context, status=422)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        size = 0
        for chunk in upload.chunks():
            size += len(chunk)
            if size > 2 * 1024 * 1024:
                break
            handle.write(chunk)
        handle.flush()
        try:
            check_file(upload.name or "", size if size <= 2 * 1024 * 1024 else upload.size,
                       handle.name)
            read = read_template(handle.name, facility=facility, library=active_indicators())
            result = monthly_reports_import(facility=facility, read=read, user=request.user,
                                            client_id=client_id)
        except (TemplateError, DomainError) as exc:
            context["problem"] = str(exc)
            return render(request, "indicators/upload.html", context, status=422)
    if result.errors:
        context["errors"] = [str(e) for e in result.errors]
        context["problem"] = _("Nothing was stored: correct these cells and upload the file "
                               "again.")
        return render(request, "indicators/upload.html", context, status=422)
    messages.success(request, _("Upload stored: %(changed)s department-months changed, "
                                "%(unchanged)s already as uploaded.")
                     % {"changed": result.changed, "unchanged": result.unchanged})
    return redirect("indicator-facility", facility.pk)


def _years() -> list[int]:
    current = financial_year(last_complete_month())
    return list(range(current, current - 4, -1))


# ---------------------------------------------------------------------------------------

@login_required
@require_GET
def district_view(request, pk: int):
    district = selectors.visible_district(user=request.user, pk=pk)
    page = selectors.district_indicators(user=request.user, district=district,
                                         end=_end(request))
    status_cells([s for row in page.facilities for s in row.statuses])
    sparks = {s.indicator.pk: sparkline(s.pooled) for s in page.summaries}
    return render(request, "indicators/district.html", {
        "page": page, "district": district, "sparks": sparks, "flag_text": flag_labels(),
    })


@login_required
@require_GET
def district_indicator_view(request, pk: int, code: str):
    district = selectors.visible_district(user=request.user, pk=pk)
    page = selectors.district_indicator(user=request.user, district=district, code=code,
                                        end=_end(request))
    indicator = page.indicator
    labels = [month_label(m) for m in page.months]
    trend = run_chart(labels, page.pooled, benchmark=indicator.benchmark,
                      title=_("%(indicator)s: %(district)s, all facilities pooled")
                      % {"indicator": indicator.name, "district": district.name},
                      legend=chart_legend())
    compare = compare_chart(
        [(r.facility.name, r.pooled_12, r.run.out_of_range) for r in page.rows],
        benchmark=indicator.benchmark, benchmark_label=_("benchmark"),
        title=_("%(indicator)s by facility, last twelve months pooled")
        % {"indicator": indicator.name})
    sparks = {r.facility.pk: sparkline(r.run.values, flagged_last=r.run.out_of_range)
              for r in page.rows}
    return render(request, "indicators/district_indicator.html", {
        "page": page, "district": district, "indicator": indicator, "trend": trend,
        "compare": compare, "sparks": sparks, "flag_text": flag_labels(),
    })


@login_required
@require_GET
def capture_view(request, pk: int, department_pk: int):
    """The indicators beside the area-H measurable elements of a capture page, as
    out-of-band fragments (the page asks for them once it has loaded)."""
    capture = capture_access(user=request.user, pk=pk)
    if not capture.can_read(department_pk):
        raise Http404
    department = capture.assessment.version.departments.filter(pk=department_pk).first()
    if department is None:
        raise Http404
    facility = capture.assessment.facility
    found = selectors.capture_indicators(facility=facility, department=department.name)
    return render(request, "indicators/_capture.html", {
        "found": found, "facility": facility, "flag_text": flag_labels(),
        "can_read_facility": access.can_view_facility(request.user, facility),
    })
