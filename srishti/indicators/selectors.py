"""Reads for the indicator pages, scoped through accounts.access.

Every selector takes the requesting user and answers only about facilities the user may
see (404 for anything else); each runs a fixed number of queries, whatever the number of
facilities, indicators or months: the library whole, the values of the window in one
query, the reports of the window in one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from srishti.accounts import access
from srishti.geography.models import District, Facility

from . import formulas
from .library_reads import (
    active_indicators,
    canonical_department,
    department_key,
    departments_for,
    indicators_for,
)
from .models import Indicator, IndicatorValue, MonthlyReport
from .months import add_months, due_date, last_complete_month, month_range

# Months a page looks back over (two years: enough for a control chart and a trend).
WINDOW_MONTHS = 24
# Months of the reporting grid on the district page.
GRID_MONTHS = 12


def window(end: dt.date | None = None, months: int = WINDOW_MONTHS) -> list[dt.date]:
    end = end or last_complete_month()
    return month_range(add_months(end, -(months - 1)), end)


# ---------------------------------------------------------------------------------------
# One indicator's monthly run at one facility.

@dataclass
class Run:
    indicator: Indicator
    months: list[dt.date]
    values: list[float | None]  # one per month of the window; None: not reported/undefined
    limits: formulas.Limits | None = None
    latest_month: dt.date | None = None
    latest: float | None = None
    flags: list[formulas.Flag] = field(default_factory=list)
    chart: str = ""  # the page's rendering, when it draws one

    @property
    def reported(self) -> int:
        return sum(1 for v in self.values if v is not None)

    @property
    def out_of_range(self) -> bool:
        return bool(self.flags)


def build_run(indicator: Indicator, months: list[dt.date],
              by_month: dict[dt.date, float | None]) -> Run:
    values = [by_month.get(m) for m in months]
    limits = formulas.control_limits(values, ceiling=indicator.ceiling)
    run = Run(indicator, months, values, limits)
    for month, value in zip(reversed(months), reversed(values), strict=True):
        if value is not None:
            run.latest_month, run.latest = month, value
            break
    run.flags = formulas.flags(run.latest, direction=indicator.direction,
                               benchmark=indicator.benchmark, limits=limits)
    return run


# ---------------------------------------------------------------------------------------
# Reporting: on time, late, missing.

ON_TIME, LATE, MISSING, PARTIAL, NOT_DUE = "on_time", "late", "missing", "partial", "not_due"


@dataclass
class MonthStatus:
    month: dt.date
    status: str
    departments_reported: int = 0
    departments_expected: int = 0
    late_departments: list[str] = field(default_factory=list)
    missing_departments: list[str] = field(default_factory=list)
    html: str = ""  # the grid cell, when a page draws one (cells.status_cells)


def month_status(month: dt.date, expected: list[tuple[str, str]],
                 reported: dict[str, dt.date], complete: dict[str, bool], today: dt.date,
                 due: dt.date) -> MonthStatus:
    """A facility's month over its departments: `expected` [(name, key)], `reported`
    {department key: day of the first figures}, `complete` {department key: every
    indicator given}, `due` the month's due date (months.due_date)."""
    status = MonthStatus(month, ON_TIME, departments_expected=len(expected))
    for name, key in expected:
        day = reported.get(key)
        if day is None:
            status.missing_departments.append(name)
            continue
        status.departments_reported += 1
        if day > due:
            status.late_departments.append(name)
    incomplete = any(not complete.get(key, False) for _name, key in expected
                     if key in reported)
    if status.missing_departments:
        if today <= due:
            status.status = PARTIAL if status.departments_reported else NOT_DUE
        else:
            status.status = PARTIAL if status.departments_reported else MISSING
    elif incomplete:
        status.status = PARTIAL
    elif status.late_departments:
        status.status = LATE
    return status


@dataclass
class WindowData:
    """A window's figures and when they arrived."""

    # {(facility, department key, indicator): {month: value}}
    values: dict[tuple[int, str, int], dict[dt.date, float | None]]
    # {(facility, month): {department key: local day of the first figures}} for the grid
    # months, for reports holding at least one figure
    reported: dict[tuple[int, dt.date], dict[str, dt.date]]


def window_data(facility_ids, months: list[dt.date], *, grid: list[dt.date] | None = None,
                indicator_ids=None) -> WindowData:
    """The values of the window (one query) and, for the `grid` months, the day each
    department-month holding figures first arrived (one more query)."""
    qs = IndicatorValue.objects.filter(facility_id__in=facility_ids, month__gte=months[0],
                                       month__lte=months[-1])
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    keys: dict[str, str] = {}  # department spelling -> key: a few spellings, many rows
    values: dict[tuple[int, str, int], dict[dt.date, float | None]] = defaultdict(dict)
    holding: set[tuple[int, str, dt.date]] = set()
    for facility_id, department, indicator_id, month, value in qs.values_list(
            "facility_id", "department", "indicator_id", "month", "value"):
        key = keys.get(department)
        if key is None:
            key = keys[department] = department_key(department)
        values[(facility_id, key, indicator_id)][month] = value
        holding.add((facility_id, key, month))
    reported: dict[tuple[int, dt.date], dict[str, dt.date]] = defaultdict(dict)
    if grid:
        for facility_id, department, month, day in (
                MonthlyReport.objects.filter(facility_id__in=facility_ids, month__gte=grid[0],
                                             month__lte=grid[-1])
                .annotate(day=TruncDate("first_submitted_at"))
                .values_list("facility_id", "department", "month", "day")):
            key = keys.get(department) or department_key(department)
            if (facility_id, key, month) in holding:
                reported[(facility_id, month)][key] = day
    return WindowData(values, reported)


# ---------------------------------------------------------------------------------------
# The facility page of indicators.

@dataclass
class DepartmentRuns:
    name: str
    runs: list[Run]

    @property
    def unreported(self) -> list[Run]:
        return [r for r in self.runs if not r.reported]


@dataclass
class FacilityIndicators:
    facility: Facility
    months: list[dt.date]
    departments: list[DepartmentRuns]
    statuses: list[MonthStatus]
    can_enter: bool

    @property
    def flagged(self) -> list[Run]:
        return [r for d in self.departments for r in d.runs if r.out_of_range]

    @property
    def missing_months(self) -> int:
        return sum(1 for s in self.statuses if s.status in (MISSING, PARTIAL))

    @property
    def late_months(self) -> int:
        return sum(1 for s in self.statuses if s.status == LATE)


def visible_facility(*, user, pk: int) -> Facility:
    """The facility if the user may see it (404 otherwise)."""
    if not 0 < pk < 2**63:
        raise Http404
    return access.get_visible_or_404(
        access.visible_facilities(user).select_related("district"), pk=pk)


def facility_indicators(*, user, facility: Facility, end: dt.date | None = None,
                        today: dt.date | None = None) -> FacilityIndicators:
    """Every indicator of the facility's type: its run over the window, its control limits
    (12 months or more) and flags; and, month by month, whether figures came on time."""
    today = today or timezone.localdate()
    months = window(end)
    library = active_indicators()
    expected = departments_for(facility.facility_type, library)
    data = window_data([facility.pk], months, grid=months[-GRID_MONTHS:])
    values = data.values
    departments = []
    for name in expected:
        key = department_key(name)
        runs = [build_run(i, months, values.get((facility.pk, key, i.pk), {}))
                for i in indicators_for(facility.facility_type, name, library)]
        departments.append(DepartmentRuns(name, runs))
    days = data.reported
    statuses = []
    pairs = [(name, department_key(name)) for name in expected]
    for month in months[-GRID_MONTHS:]:
        complete = {department_key(d.name): all(
            month in values.get((facility.pk, department_key(d.name), r.indicator.pk), {})
            for r in d.runs) for d in departments}
        statuses.append(month_status(month, pairs, days.get((facility.pk, month), {}),
                                     complete, today, due_date(month)))
    return FacilityIndicators(facility, months, departments, statuses,
                              access.can_enter_indicators(user, facility))


# ---------------------------------------------------------------------------------------
# Monthly entry.

@dataclass
class EntryRow:
    indicator: Indicator
    numerator: str = ""
    denominator: str = ""
    value: float | None = None
    previous: float | None = None  # last month's value, for reference
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def worse(self) -> bool:
        """Whether the stored value is worse than the indicator's benchmark."""
        return bool(formulas.flags(self.value, direction=self.indicator.direction,
                                   benchmark=self.indicator.benchmark, limits=None))


@dataclass
class EntryForm:
    facility: Facility
    department: str
    departments: list[str]
    month: dt.date
    revision: int
    rows: list[EntryRow]
    first_submitted_at: dt.datetime | None


def entry_form(*, facility: Facility, department: str, month: dt.date) -> EntryForm | None:
    """The figures stored for a department-month, with last month's values beside them;
    None when the facility type reports nothing for that department."""
    from .figures import plain

    library = active_indicators()
    canonical = canonical_department(facility.facility_type, department, library)
    if canonical is None:
        return None
    indicators = indicators_for(facility.facility_type, canonical, library)
    report = (MonthlyReport.objects.filter(facility=facility, department=canonical, month=month)
              .first())
    stored = {} if report is None else {v.indicator_id: v for v in report.values.all()}
    previous = dict(IndicatorValue.objects.filter(
        facility=facility, department=canonical, month=add_months(month, -1))
        .values_list("indicator_id", "value"))
    rows = []
    for indicator in indicators:
        v = stored.get(indicator.pk)
        rows.append(EntryRow(indicator, plain(v.numerator) if v else "",
                             plain(v.denominator) if v else "", v.value if v else None,
                             previous.get(indicator.pk)))
    return EntryForm(facility, canonical, departments_for(facility.facility_type, library),
                     month, report.revision if report else 0, rows,
                     report.first_submitted_at if report else None)


# ---------------------------------------------------------------------------------------
# The district page: every facility's runs, the work list, the reporting grid.

@dataclass
class WorkItem:
    facility: Facility
    department: str
    run: Run


@dataclass
class IndicatorSummary:
    indicator: Indicator
    pooled: list[float | None]  # the district's pooled value per month of the window
    facilities: int = 0  # facilities reporting it in the window
    out_of_range: int = 0

    @property
    def latest(self) -> float | None:
        return next((v for v in reversed(self.pooled) if v is not None), None)


@dataclass
class FacilityRow:
    facility: Facility
    statuses: list[MonthStatus]
    flagged: int = 0

    @property
    def missing(self) -> int:
        return sum(1 for s in self.statuses if s.status in (MISSING, PARTIAL))

    @property
    def late(self) -> int:
        return sum(1 for s in self.statuses if s.status == LATE)


@dataclass
class DistrictIndicators:
    district: District
    months: list[dt.date]
    grid_months: list[dt.date]
    facilities: list[FacilityRow]
    summaries: list[IndicatorSummary]
    work: list[WorkItem]


def visible_district(*, user, pk: int) -> District:
    if not 0 < pk < 2**63:
        raise Http404
    return access.get_visible_or_404(access.visible_districts(user), pk=pk)


def _pooled_by_month(facility_ids, months: list[dt.date]
                     ) -> dict[tuple[int, dt.date], tuple[float, float]]:
    rows = (IndicatorValue.objects
            .filter(facility_id__in=facility_ids, month__gte=months[0], month__lte=months[-1])
            .order_by().values_list("indicator_id", "month")
            .annotate(n=Sum("numerator"), d=Sum("denominator")))
    return {(i, m): (float(n), float(d)) for i, m, n, d in rows}


def district_indicators(*, user, district: District, end: dt.date | None = None,
                        today: dt.date | None = None) -> DistrictIndicators:
    """The district's facilities (those the user sees): flags of every indicator, the
    pooled district value month by month, and which months came late or not at all."""
    today = today or timezone.localdate()
    months = window(end)
    grid = months[-GRID_MONTHS:]
    facilities = list(access.visible_facilities(user).filter(district=district)
                      .select_related("district").order_by("facility_type", "name"))
    ids = [f.pk for f in facilities]
    library = active_indicators()
    data = window_data(ids, months, grid=grid)
    values, days = data.values, data.reported
    dues = {month: due_date(month) for month in grid}
    pooled = _pooled_by_month(ids, months)
    summaries = {i.pk: IndicatorSummary(i, [
        formulas.pooled(i.multiplier, [pooled[(i.pk, m)][0]], [pooled[(i.pk, m)][1]])
        if (i.pk, m) in pooled else None for m in months]) for i in library}
    rows, work = [], []
    for facility in facilities:
        expected = departments_for(facility.facility_type, library)
        row = FacilityRow(facility, [])
        per_department: dict[str, list[Run]] = {}
        for name in expected:
            key = department_key(name)
            runs = []
            for indicator in indicators_for(facility.facility_type, name, library):
                series = values.get((facility.pk, key, indicator.pk))
                run = build_run(indicator, months, series or {})
                runs.append(run)
                if series:
                    summaries[indicator.pk].facilities += 1
                if run.out_of_range:
                    summaries[indicator.pk].out_of_range += 1
                    row.flagged += 1
                    work.append(WorkItem(facility, name, run))
            per_department[key] = runs
        pairs = [(name, department_key(name)) for name in expected]
        for month in grid:
            complete = {key: all(month in values.get((facility.pk, key, r.indicator.pk), {})
                                 for r in runs) for key, runs in per_department.items()}
            row.statuses.append(month_status(month, pairs, days.get((facility.pk, month), {}),
                                             complete, today, dues[month]))
        rows.append(row)
    work.sort(key=lambda w: (w.facility.name, w.run.indicator.order))
    return DistrictIndicators(district, months, grid, rows,
                              [s for s in summaries.values() if s.facilities], work)


@dataclass
class FacilityComparison:
    facility: Facility
    run: Run
    pooled_12: float | None  # the last twelve months pooled


@dataclass
class DistrictIndicator:
    district: District
    indicator: Indicator
    months: list[dt.date]
    pooled: list[float | None]
    rows: list[FacilityComparison]


def district_indicator(*, user, district: District, code: str, end: dt.date | None = None
                       ) -> DistrictIndicator:
    """One indicator across the district's facilities: each one's run and its last twelve
    months pooled, beside the district's pooled monthly value."""
    indicator = Indicator.objects.filter(code=code, active=True).first()
    if indicator is None:
        raise Http404
    months = window(end)
    facilities = [f for f in access.visible_facilities(user).filter(district=district)
                  .select_related("district").order_by("facility_type", "name")
                  if indicator in indicators_for(f.facility_type, library=[indicator])]
    ids = [f.pk for f in facilities]
    series: dict[int, dict[dt.date, float | None]] = defaultdict(dict)
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    by_month: dict[dt.date, list[float]] = defaultdict(lambda: [0.0, 0.0])
    recent = months[-12]
    for facility_id, month, num, den, value in (
            IndicatorValue.objects.filter(indicator=indicator, facility_id__in=ids,
                                          month__gte=months[0], month__lte=months[-1])
            .values_list("facility_id", "month", "numerator", "denominator", "value")):
        series[facility_id][month] = value
        by_month[month][0] += float(num)
        by_month[month][1] += float(den)
        if month >= recent:
            sums[facility_id][0] += float(num)
            sums[facility_id][1] += float(den)
    rows = [FacilityComparison(
        f, build_run(indicator, months, series.get(f.pk, {})),
        formulas.pooled(indicator.multiplier, [sums[f.pk][0]], [sums[f.pk][1]])
        if f.pk in sums else None) for f in facilities]
    pooled = [formulas.pooled(indicator.multiplier, [by_month[m][0]], [by_month[m][1]])
              if m in by_month else None for m in months]
    return DistrictIndicator(district, indicator, months, pooled, rows)


# ---------------------------------------------------------------------------------------
# Beside an area-H checkpoint on the capture page, and on the facility page.

@dataclass
class MeasurableElementIndicators:
    code: str
    runs: list[Run]


def capture_indicators(*, facility: Facility, department: str, months: int = 6,
                       end: dt.date | None = None) -> dict[str, list[Run]]:
    """{measurable element code: runs of the last `months` months} for a checklist
    department of the facility (access is the capture page's). Two queries."""
    library = active_indicators()
    indicators = indicators_for(facility.facility_type, department, library)
    if not indicators:
        return {}
    span = window(end, months)
    values = window_data([facility.pk], span, indicator_ids=[i.pk for i in indicators]).values
    key = department_key(department)
    found: dict[str, list[Run]] = defaultdict(list)
    for indicator in indicators:
        if indicator.measurable_element:
            found[indicator.measurable_element].append(
                build_run(indicator, span, values.get((facility.pk, key, indicator.pk), {})))
    return dict(found)
