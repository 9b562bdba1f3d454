"""Offline API for monthly indicator figures (/api/indicators/...): the package a device
keeps (the facility's indicators and recent figures) and the department-month reports it
sends back, each idempotent by the device's client id.

The same service as the browser form writes the figures (services.monthly_report_save),
so the rules are the same: all or nothing, a stale revision is a conflict, a replay
changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, StringConstraints

from srishti.accounts import access
from srishti.core.errors import DomainError

from .library_reads import active_indicators, indicators_for
from .models import IndicatorValue, MonthlyReport
from .months import add_months, last_complete_month, month_key, parse_month
from .services import KeyReused, monthly_report_save, report_answer

router = Router(tags=["indicators"])

MAX_FIGURES = 100


def _figure_text(value):
    # A figure travels as text or as a JSON number; true/false would pass as 1/0.
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true or false")
    if isinstance(value, int | float):
        return repr(value)
    return value


FigureText = Annotated[Annotated[str, StringConstraints(max_length=40)] | None,
                       BeforeValidator(_figure_text)]


class IndicatorFigureIn(Schema):
    indicator: str = Field(max_length=20, description="indicator code, e.g. LAMA")
    numerator: FigureText = None
    denominator: FigureText = None


class IndicatorReportIn(Schema):
    client_id: uuid.UUID = Field(description="idempotency key: a retry sends the same id")
    department: str = Field(min_length=1, max_length=100)
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    base_revision: int = Field(ge=0, le=2**31 - 1,
                               description="the report revision the device saw; 0: none")
    figures: list[IndicatorFigureIn] = Field(max_length=MAX_FIGURES,
                                    description="both figures null takes a figure back")


class IndicatorValueOut(Schema):
    indicator: str
    numerator: str
    denominator: str
    value: float | None


class IndicatorReportOut(Schema):
    status: str = Field(description="applied | unchanged | replayed | conflict | invalid")
    facility_id: int
    department: str
    month: str
    revision: int
    values: list[IndicatorValueOut]
    errors: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="invalid: {indicator: {field: message}}")


class IndicatorErrorOut(Schema):
    detail: str
    code: str = ""


class IndicatorOut(Schema):
    code: str
    name_en: str
    name_hi: str
    unit_en: str
    unit_hi: str
    departments: list[str]
    numerator_en: str
    numerator_hi: str
    denominator_en: str
    denominator_hi: str
    multiplier: int
    direction: str
    benchmark: float | None
    standard: str
    measurable_element: str
    numerator_le_denominator: bool
    numerator_whole: bool
    denominator_whole: bool


class IndicatorStoredReportOut(Schema):
    department: str
    month: str
    revision: int
    values: list[IndicatorValueOut]


class IndicatorPackageOut(Schema):
    facility_id: int
    facility_type: str
    can_enter: bool
    last_complete_month: str
    indicators: list[IndicatorOut]
    reports: list[IndicatorStoredReportOut]


class IndicatorPackageQuery(Schema):
    months: int = Field(13, ge=1, le=36, description="how many months back to send")


def unknown_query(request, allowed: set[str]):
    """A 422 naming a query parameter the endpoint does not take (ninja ignores them,
    while the OpenAPI document says they are not allowed), or None."""
    unknown = sorted(set(request.GET) - allowed)
    if not unknown:
        return None
    return Status(422, {"detail": [{"loc": ["query", name], "msg": "unknown query parameter",
                                    "type": "extra_forbidden"} for name in unknown]})


def _facility(request, facility_id: int):
    if not 0 < facility_id < 2**63:
        raise Http404
    return access.get_visible_or_404(
        access.visible_facilities(request.user).select_related("district"), pk=facility_id)


@router.get("/facilities/{facility_id}/package",
            response={200: IndicatorPackageOut, 404: IndicatorErrorOut, 422: dict},
            summary="The facility's indicators and recent figures, for offline entry")
def get_package(request, facility_id: int, query: Query[IndicatorPackageQuery]):
    from .figures import plain

    refused = unknown_query(request, {"months"})
    if refused is not None:
        return refused
    facility = _facility(request, facility_id)
    library = indicators_for(facility.facility_type, library=active_indicators())
    last = last_complete_month()
    first = add_months(last, -(query.months - 1))
    reports = {r.pk: {"department": r.department, "month": month_key(r.month),
                      "revision": r.revision, "values": []}
               for r in MonthlyReport.objects.filter(facility=facility, month__gte=first)
               .order_by("month", "department")}
    for report_id, code, num, den, value in (
            IndicatorValue.objects.filter(report_id__in=list(reports))
            .order_by("indicator__order").values_list("report_id", "indicator__code",
                                                      "numerator", "denominator", "value")):
        reports[report_id]["values"].append({"indicator": code, "numerator": plain(num),
                                             "denominator": plain(den), "value": value})
    return Status(200, {
        "facility_id": facility.pk, "facility_type": facility.facility_type,
        "can_enter": access.can_enter_indicators(request.user, facility),
        "last_complete_month": month_key(last),
        "indicators": [{field: getattr(i, field) for field in IndicatorOut.model_fields}
                       for i in library],
        "reports": list(reports.values()),
    })


@router.post("/facilities/{facility_id}/reports",
             response={200: IndicatorReportOut, 400: IndicatorErrorOut, 404: IndicatorErrorOut,
                       409: IndicatorReportOut | IndicatorErrorOut, 422: dict},
             summary="Store a department's figures for a month (idempotent by client id)",
             description="As the offline batches do, a write the rules refuse is answered "
                         "200 with status `invalid` and the reason per indicator and field "
                         "(nothing stored); a stale `base_revision` is a 409 with the figures "
                         "now stored; a department or month that takes no figures, or a "
                         "client id already used for other figures, a 409 with a code.")
def post_report(request, facility_id: int, report: IndicatorReportIn):
    facility = _facility(request, facility_id)
    if not access.can_enter_indicators(request.user, facility):
        raise Http404
    month = parse_month(report.month)
    if month is None:  # the pattern's shape, but no month (year 0000)
        return Status(409, {"detail": _("“%(value)s” is not a month (YYYY-MM).")
                            % {"value": report.month}, "code": "refused"})
    figures: dict[str, tuple] = {}
    twice: dict[str, dict[str, str]] = {}
    for item in report.figures:
        if item.indicator in figures:
            twice[item.indicator] = {"indicator": _("%(code)s is sent twice.")
                                     % {"code": item.indicator}}
        figures[item.indicator] = (item.numerator, item.denominator)
    try:
        if twice:
            answer = report_answer(None, facility=facility, department=report.department,
                                   month=month, status="invalid")
            return Status(200, {**answer, "errors": twice})
        result = monthly_report_save(facility=facility, department=report.department,
                                     month=month, figures=figures, user=request.user,
                                     client_id=report.client_id,
                                     base_revision=report.base_revision)
    except KeyReused as exc:
        return Status(409, {"detail": str(exc), "code": "key_reused"})
    except DomainError as exc:
        return Status(409, {"detail": str(exc), "code": "refused"})
    return Status(409 if result.status == "conflict" else 200,
                  {**result.answer, "errors": result.errors})
