"""Reads for the certification pages and the dashboards, scoped through accounts.access.

Every selector takes the requesting user and answers only about facilities the user may
see; each runs a fixed number of queries whatever the number of facilities or records
(the tests pin the counts). "Expired" is computed here from `valid_until` and the day
asked about, so nothing depends on a nightly job.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from srishti.accounts.access import (
    can_manage_certification,
    can_set_mission_target,
    get_visible_or_404,
    visible_facilities,
    visible_mission_targets,
)
from srishti.assessments.models import Assessment, AssessmentScore
from srishti.checklists.models import Tool
from srishti.geography.models import Block, District, Division, Facility, State

from .models import (
    CERTIFYING_STAGES,
    STAGE_ORDER,
    CertificationRecord,
    FacilityStanding,
    MissionTarget,
    Result,
    Stage,
)
from .rules import add_months, rules
from .services import STAGE_OF_KIND
from .standing import current_standings

# --- current certification ---------------------------------------------------------------


@dataclass
class Standing:
    """Where one facility stands for one tool: its current certification, if any."""

    facility: Facility
    tool: Tool
    # The latest record granting a certification (state passed, national full or
    # conditional), or None; a later record of stage "expired" clears it.
    certification: CertificationRecord | None = None
    # The latest surveillance record after that certification.
    last_surveillance: CertificationRecord | None = None
    # A record of stage "expired" entered by a person, after any certification.
    expired_marker: CertificationRecord | None = None

    def is_expired(self, today: dt.date) -> bool:
        if self.expired_marker is not None:
            return True
        return self.certification is not None and self.certification.is_expired(today)

    def is_valid(self, today: dt.date) -> bool:
        return self.certification is not None and not self.is_expired(today)

    def surveillance_due(self) -> dt.date | None:
        """When the next yearly surveillance falls, for a national certification."""
        cert = self.certification
        if cert is None or cert.stage != Stage.NATIONAL_CERTIFIED:
            return None
        last = self.last_surveillance.decided_on if self.last_surveillance else cert.decided_on
        return add_months(last, rules()["surveillance_every_months"])

    def national_application_due(self) -> dt.date | None:
        """When a state certification without a national application starts to alert."""
        cert = self.certification
        if cert is None or cert.stage != Stage.STATE_CERTIFIED or cert.national_applied_on:
            return None
        return add_months(cert.decided_on, rules()["national_application_after_months"])


def standings(records: Iterable[CertificationRecord]) -> dict[tuple[int, int], Standing]:
    """Walk records (ordered by facility, tool, decided_on, id) into each one's standing.

    A failed attempt does not take away a certification still held (a failed national
    assessment leaves the state certificate in force).
    """
    found: dict[tuple[int, int], Standing] = {}
    for r in records:
        key = (r.facility_id, r.tool_id)
        s = found.get(key)
        if s is None:
            s = found[key] = Standing(facility=r.facility, tool=r.tool)
        if r.grants_certification:
            s.certification, s.last_surveillance, s.expired_marker = r, None, None
        elif r.stage == Stage.EXPIRED:
            s.expired_marker = r
        elif r.stage == Stage.SURVEILLANCE and s.certification is not None:
            s.last_surveillance = r
    return found


_WALKED_STAGES = [*CERTIFYING_STAGES, Stage.SURVEILLANCE, Stage.EXPIRED]


def current_certifications(*, user, district_id: int | None = None,
                           division_id: int | None = None, block_id: int | None = None
                           ) -> dict[tuple[int, int], Standing]:
    """{(facility id, tool id): standing} for every facility the user sees (of a district,
    division or block when given) that has ever held a certification; one query. Ask
    `standing.is_valid(today)` for the current ones.
    """
    facilities = visible_facilities(user)
    if district_id is not None:
        facilities = facilities.filter(district_id=district_id)
    if division_id is not None:
        facilities = facilities.filter(district__division_id=division_id)
    if block_id is not None:
        facilities = facilities.filter(block_id=block_id)
    # Only what standings and alerts read: a state has thousands of records and each
    # full row with its facility, district and tool costs more to build than to fetch.
    records = (CertificationRecord.objects
               .filter(facility__in=facilities, stage__in=_WALKED_STAGES)
               .select_related("facility__district", "tool")
               .only("facility_id", "tool_id", "stage", "level", "result", "decided_on",
                     "valid_until", "national_applied_on", "assessment_id",
                     "facility__name", "facility__facility_type", "facility__district_id",
                     "facility__district__name", "tool__code", "tool__name")
               .order_by("facility_id", "tool_id", "decided_on", "id"))
    return {key: s for key, s in standings(records).items()
            if s.certification is not None or s.expired_marker is not None}


# --- alerts ------------------------------------------------------------------------------

ALERT_LABELS = {
    "expiring": _("Certification expiring"),
    "expired": _("Certification expired"),
    "surveillance_due": _("Surveillance due"),
    "national_application": _("No national application"),
}


@dataclass
class Alert:
    kind: str  # a key of ALERT_LABELS
    facility: Facility
    tool: Tool
    record: CertificationRecord
    due: dt.date  # the day the certificate ends, the surveillance or application fell due
    days: int  # days from today to `due`; negative when past

    @property
    def label(self) -> Promise:
        return ALERT_LABELS[self.kind]

    @property
    def days_past(self) -> int:
        return -self.days


def certification_alerts(*, user, today: dt.date, district_id: int | None = None,
                         standings: dict[tuple[int, int], Standing] | None = None
                         ) -> list[Alert]:
    """What needs attention, soonest first, for the facilities the user sees.

    - expiring: a current certification whose last valid day is 0 to 90 days away;
    - expired: the current certification has run out (or a person marked it expired),
      and no newer one replaced it;
    - surveillance_due: a valid national certification with no surveillance in the year
      since it or the last surveillance (due on the anniversary);
    - national_application: a valid state certification at least 11 months old with no
      national application recorded.
    Windows come from certification.rules. One query (plus the user's memberships), or
    none when the caller passes the `standings` it already read with
    `current_certifications` for the same user and district.
    """
    r = rules()
    alerts: list[Alert] = []
    if standings is None:
        standings = current_certifications(user=user, district_id=district_id)
    for s in standings.values():
        def add(kind: str, record: CertificationRecord, due: dt.date, s=s) -> None:
            alerts.append(Alert(kind, s.facility, s.tool, record, due, (due - today).days))

        if s.is_expired(today):
            marker = s.expired_marker
            if marker is not None:
                add("expired", marker, marker.decided_on)
            else:
                add("expired", s.certification, s.certification.valid_until)
            continue
        cert = s.certification
        if cert.valid_until and (cert.valid_until - today).days <= r["expiring_within_days"]:
            add("expiring", cert, cert.valid_until)
        due = s.surveillance_due()
        if due is not None and due <= today:
            add("surveillance_due", s.last_surveillance or cert, due)
        due = s.national_application_due()
        if due is not None and due <= today:
            add("national_application", cert, due)
    alerts.sort(key=lambda a: (a.due, a.facility.name, a.kind))
    return alerts


# --- the pipeline of one facility --------------------------------------------------------

STEP_LABELS = {
    "baseline": _("Baseline assessment"),
    "internal": _("Internal assessment to measure progress on the gaps"),
    "internal_again": _("Close the gaps, then assess again internally"),
    "district": _("District assessment"),
    "district_again": _("Close the gaps, then ask for a district assessment again"),
    "state": _("State assessment for state certification"),
    "state_again": _("Close the gaps, then apply for state assessment again"),
    "apply_national": _("Apply for national certification"),
    "national_assessment": _("National assessment (application sent)"),
    "national_again": _("Close the gaps, then apply for national assessment again"),
    "full_national": _("Close the conditions to obtain full national certification"),
    "surveillance": _("Yearly surveillance assessment"),
    "recertify": _("National re-certification"),
    "renew": _("Renew the certification: state assessment"),
}


@dataclass
class NextStep:
    code: str
    due: dt.date | None = None
    overdue: bool = False

    @property
    def label(self) -> Promise:
        return STEP_LABELS[self.code]


@dataclass
class StageStep:
    """One stage on the timeline, with the latest record of that stage (or None)."""

    stage: str
    label: Promise
    record: CertificationRecord | None
    current: bool = False

    @property
    def state(self) -> str:
        """"done", "failed", "open" (reached, no verdict) or "todo", for the timeline's look."""
        if self.record is None:
            return "todo"
        # A baseline measures where the facility starts; it is done, whatever its verdict.
        if self.stage == Stage.BASELINE:
            return "done"
        if self.record.result == Result.FAILED:
            return "failed"
        return "done" if self.record.result else "open"


@dataclass
class ToolPipeline:
    tool: Tool
    records: list[CertificationRecord]
    timeline: list[StageStep]
    current: CertificationRecord | None  # the record the facility now stands on
    status: str  # "none", "in_progress", "certified", "expired"
    valid_until: dt.date | None
    next_step: NextStep


@dataclass
class PipelinePage:
    facility: Facility
    pipelines: list[ToolPipeline]
    can_manage: bool
    # Submitted assessments that have no certification record yet (managers may record them).
    unrecorded: int = 0
    tools: list[Tool] = field(default_factory=list)


def _next_step(records: list[CertificationRecord], standing: Standing, today: dt.date
               ) -> tuple[str, NextStep]:
    cert = standing.certification
    if standing.is_expired(today):
        end = cert.valid_until if cert is not None and cert.valid_until else None
        return "expired", NextStep("renew", end, overdue=True)
    if cert is not None:
        if cert.stage == Stage.STATE_CERTIFIED:
            code = "national_assessment" if cert.national_applied_on else "apply_national"
            # Due within the state certificate's year; the alert starts a month before.
            return "certified", NextStep(code, cert.valid_until)
        if cert.result == Result.CONDITIONAL:
            return "certified", NextStep("full_national", cert.valid_until)
        due = standing.surveillance_due()
        if cert.valid_until and due and due >= cert.valid_until:
            return "certified", NextStep("recertify", cert.valid_until)
        return "certified", NextStep("surveillance", due, overdue=bool(due and due < today))
    steps = [r for r in records if r.stage != Stage.SURVEILLANCE]
    if not steps:
        return "none", NextStep("baseline")
    last = steps[-1]
    # No verdict (a checklist without rules) is not a failure: the people decide.
    failed = last.result == Result.FAILED
    code = {
        Stage.BASELINE: "internal",
        Stage.INTERNAL: "internal_again" if failed else "district",
        Stage.DISTRICT: "district_again" if failed else "state",
        Stage.STATE_CERTIFIED: "state_again",
        Stage.NATIONAL_CERTIFIED: "national_again",
        Stage.EXPIRED: "renew",
    }[last.stage]
    return "in_progress", NextStep(code)


def _pipeline(tool: Tool, records: list[CertificationRecord], today: dt.date) -> ToolPipeline:
    standing = standings(records).get((records[0].facility_id, tool.pk)) if records else None
    standing = standing or Standing(facility=None, tool=tool)  # type: ignore[arg-type]
    status, step = _next_step(records, standing, today)
    latest = {r.stage: r for r in records}  # records are in date order: the last one wins
    current = standing.certification if status == "certified" else (
        records[-1] if records else None)
    timeline = [StageStep(stage, Stage(stage).label, latest.get(stage),
                          current=current is not None and current.stage == stage)
                for stage in STAGE_ORDER]
    valid_until = standing.certification.valid_until if standing.certification else None
    return ToolPipeline(tool, records, timeline, current, status, valid_until, step)


def facility_pipeline(*, user, facility, today: dt.date) -> PipelinePage:
    """The certification pipeline of a facility the user sees (404 otherwise), per tool:
    records in date order, a timeline of stages, where it stands, the next step and when
    it is due. `facility` is a Facility or its id. Four queries plus the memberships.
    """
    pk = getattr(facility, "pk", facility)
    facility = get_visible_or_404(visible_facilities(user).select_related("district__state"),
                                  pk=pk)
    records = list(CertificationRecord.objects.filter(facility=facility)
                   .select_related("tool").order_by("tool__code", "decided_on", "id"))
    # Tools the facility is assessed with get a pipeline even before their first record.
    assessed = list(Tool.objects.filter(versions__assessments__facility=facility).distinct())
    tools = {t.pk: t for t in assessed}
    by_tool: dict[int, list[CertificationRecord]] = defaultdict(list)
    for r in records:
        r.facility = facility  # the walk reads it; spare a query per record
        tools.setdefault(r.tool_id, r.tool)
        by_tool[r.tool_id].append(r)
    pipelines = [_pipeline(t, by_tool[t.pk], today)
                 for t in sorted(tools.values(), key=lambda t: t.code)]
    manage = can_manage_certification(user, facility)
    unrecorded = 0
    if manage:
        unrecorded = Assessment.objects.filter(
            facility=facility, status=Assessment.Status.SUBMITTED,
            kind__in=list(STAGE_OF_KIND), certification_record__isnull=True).count()
    return PipelinePage(facility, pipelines, manage, unrecorded)


def certification_record_get(*, user, pk: int) -> CertificationRecord:
    """A record of a facility the user sees (404 otherwise)."""
    return get_visible_or_404(
        CertificationRecord.objects.filter(facility__in=visible_facilities(user))
        .select_related("facility__district", "tool", "assessment"), pk=pk)


# --- mission targets ---------------------------------------------------------------------

def mission_target_list(*, user) -> list[MissionTarget]:
    """The targets the user sees (their scope lies inside or over the user's)."""
    return list(visible_mission_targets(user)
                .select_related("state", "division", "district__state", "block__district",
                                "tool")
                .order_by("deadline", "name"))


def mission_target_get(*, user, pk: int) -> MissionTarget:
    return get_visible_or_404(
        visible_mission_targets(user).select_related("state", "division", "district__state",
                                                     "block__district", "tool"),
        pk=pk)


TARGET_SCOPE_KINDS = {"state": State, "division": Division, "district": District,
                      "block": Block}


def target_scopes(*, user) -> list[tuple[str, str]]:
    """("<kind>:<id>", name) of every scope (state, division, district, block) the user
    may set a target for, states first; four queries."""
    seen = visible_facilities(user)
    districts = list(District.objects.filter(facilities__in=seen)
                     .select_related("state").distinct().order_by("state__name", "name"))
    states = sorted({d.state_id: d.state for d in districts}.values(), key=lambda s: s.name)
    divisions = list(Division.objects.filter(districts__in=districts).distinct()
                     .order_by("name"))
    blocks = list(Block.objects.filter(facilities__in=seen).select_related("district")
                  .distinct().order_by("district__name", "name"))
    by_district = {d.pk: d for d in districts}
    for block in blocks:  # their districts are read above: no query per block
        block.district = by_district[block.district_id]
    return ([(f"state:{s.pk}", s.name) for s in states if can_set_mission_target(user, s)]
            + [(f"division:{d.pk}", str(_("%(name)s division") % {"name": d.name}))
               for d in divisions if can_set_mission_target(user, d)]
            + [(f"district:{d.pk}", f"{d.name} ({d.state.name})") for d in districts
               if can_set_mission_target(user, d)]
            + [(f"block:{b.pk}", f"{b.name} ({b.district.name})") for b in blocks
               if can_set_mission_target(user, b)])


CRITERION_LABELS = {
    "overall": _("Overall score"),
    "each_department": _("Every department"),
    "each_area": _("Every area of concern"),
    "critical_standards": _("Critical standards"),
    "each_standard": _("Every standard"),
}


@dataclass
class Failing:
    """One criterion a facility's latest assessment does not meet, with its figures."""

    label: Promise | str
    threshold: float | None
    value: float | None  # the lowest figure among the criterion's units
    units: list[tuple[str, float | None]]  # the worst units, worst first
    more: int = 0  # further units below the threshold, not listed
    kind: str = ""  # the criterion kind ("overall", "each_area", ...)


@dataclass
class TargetRow:
    facility: Facility
    assessment_id: int | None = None
    assessed_on: dt.date | None = None
    kind: str = ""
    overall: float | None = None
    passed: bool | None = None
    failing: list[Failing] = field(default_factory=list)
    met_on: dt.date | None = None  # start of the run of meeting assessments
    note: Promise | str = ""

    @property
    def kind_label(self) -> str:
        return Assessment.Kind(self.kind).label if self.kind else ""


@dataclass
class TargetProgress:
    target: MissionTarget
    meeting: list[TargetRow]
    close: list[TargetRow]
    far: list[TargetRow]
    # Burn-up: one point per month from the start month to the deadline's month, the
    # number of facilities meeting the target at the month's end (None after today).
    months: list[dt.date]
    burnup: list[int | None]

    @property
    def total(self) -> int:
        return len(self.meeting) + len(self.close) + len(self.far)


UNITS_SHOWN = 3


def _failing(target: MissionTarget, overall: float | None, verdict: dict) -> list[Failing]:
    if target.criterion == MissionTarget.Criterion.SCORE_AT_LEAST:
        return [Failing(CRITERION_LABELS["overall"], target.min_score, overall, [],
                        kind="overall")]
    found = []
    for c in verdict.get("criteria", []):
        if c.get("passed"):
            continue
        label = CRITERION_LABELS.get(c.get("kind"), c.get("name", ""))
        shortfalls = c.get("shortfalls", [])
        # The overall criterion's one unit is the facility itself: its figure is the value.
        if c.get("kind") == "overall":
            shortfalls = []
        units = [(s["unit"], s.get("score")) for s in shortfalls[:UNITS_SHOWN]]
        found.append(Failing(label, c.get("threshold"), c.get("value"), units,
                             max(len(shortfalls) - UNITS_SHOWN, 0), c.get("kind", "")))
    return found


def _meets(target: MissionTarget, overall: float | None, passed: bool | None) -> bool:
    if target.criterion == MissionTarget.Criterion.SCORE_AT_LEAST:
        return overall is not None and overall >= target.min_score
    return passed is True


def _close(target: MissionTarget, overall: float | None, gap: float | None) -> bool:
    """Close to the target, from stored figures: the same rule as `_is_close`."""
    within = rules()["close_within_points"]
    if target.criterion == MissionTarget.Criterion.SCORE_AT_LEAST:
        return overall is not None and target.min_score - overall <= within
    return gap is not None and gap <= within


def target_counts(*, user, target, district: District | None = None) -> tuple[int, int]:
    """(meeting, close) for a target, from each facility's current standing (its latest
    submitted assessment of the tool; certification.standing); one query.

    The same groups as `target_progress`, without its rows, burn-up or verdicts: what a
    dashboard tile needs at the scale of a state. With `district`, only that district's
    facilities count: a district page shows its share of a state target.
    """
    facilities = target_facilities(target, user)
    if district is not None:
        facilities = facilities.filter(district=district)
    latest = (current_standings(facilities, tool_id=target.tool_id)
              .values_list("overall", "passed", "largest_gap"))
    meeting = close = 0
    for overall, passed, gap in latest:
        if _meets(target, overall, passed):
            meeting += 1
        elif passed is not None or target.criterion == MissionTarget.Criterion.SCORE_AT_LEAST:
            close += _close(target, overall, gap)
    return meeting, close


def _is_close(row: TargetRow) -> bool:
    """Every failing criterion is within `close_within_points` of its threshold."""
    within = rules()["close_within_points"]
    return bool(row.failing) and all(
        f.value is not None and f.threshold is not None and f.threshold - f.value <= within
        for f in row.failing)


def _month_ends(start: dt.date, deadline: dt.date) -> list[dt.date]:
    ends, day = [], start.replace(day=1)
    while day <= deadline:
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        ends.append(min(last, deadline))
        day = last + dt.timedelta(days=1)
    return ends


def target_facilities(target: MissionTarget, user):
    """The facilities a target counts, among those the user sees."""
    if target.block_id:
        scope = Q(block_id=target.block_id)
    elif target.district_id:
        scope = Q(district_id=target.district_id)
    elif target.division_id:
        scope = Q(district__division_id=target.division_id)
    else:
        scope = Q(district__state_id=target.state_id)
    qs = visible_facilities(user).filter(scope)
    if target.facility_types:
        qs = qs.filter(facility_type__in=target.facility_types)
    return qs


def target_progress(*, user, target, today: dt.date) -> TargetProgress:
    """How a target stands for the facilities of its scope that the user sees.

    Each facility's latest SUBMITTED assessment of the target's tool (its current
    standing; assessments in progress count nowhere) decides its group from the stored
    score and verdict:
    - meeting: the criterion holds (verdict passed; or overall score >= the minimum);
    - close: not meeting, but every criterion it fails is within 10 points: the lowest
      figure of each failing certification criterion from its threshold (rule-set
      targets), or the overall score from the minimum (score targets);
    - far: everything else, including facilities never assessed.
    Failing criteria come with their figures (threshold, lowest value, worst units).

    The burn-up counts, at each month's end from the start to the deadline, the
    facilities now meeting the target whose current run of meeting assessments had begun
    by then; so its last point equals the number meeting, and a facility that met once
    and fell back is not counted. `target` is a MissionTarget or its id (404 when the
    user does not see it). Four queries plus the memberships.
    """
    target = mission_target_get(user=user, pk=getattr(target, "pk", target))
    facilities = list(target_facilities(target, user).select_related("district"))
    history: dict[int, list[tuple]] = defaultdict(list)
    rows = (AssessmentScore.objects
            .filter(assessment__facility__in=target_facilities(target, user),
                    assessment__version__tool_id=target.tool_id,
                    assessment__status=Assessment.Status.SUBMITTED)
            .order_by("assessment__start_date", "assessment_id")
            .values_list("assessment__facility_id", "assessment_id", "assessment__start_date",
                         "assessment__kind", "overall", "passed", "largest_gap"))
    for facility_id, *rest in rows:
        history[facility_id].append(tuple(rest))

    rows_by_facility: dict[int, TargetRow] = {}
    need_verdict: list[int] = []
    for facility in facilities:
        row = TargetRow(facility)
        rows_by_facility[facility.pk] = row
        series = history.get(facility.pk)
        if not series:
            row.note = _("No assessment yet")
            continue
        assessment_id, started, kind, overall, passed, gap = series[-1]
        row.assessment_id, row.assessed_on, row.kind = assessment_id, started, kind
        row.overall, row.passed = overall, passed
        if _meets(target, overall, passed):
            met_on = started
            for _id, earlier, _kind, o, p, _gap in reversed(series):
                if not _meets(target, o, p):
                    break
                met_on = earlier
            row.met_on = met_on
        elif target.criterion == MissionTarget.Criterion.PASSES_RULE_SET:
            if passed is None:
                row.note = _("No certification rule set for this checklist")
            elif _close(target, overall, gap):
                # Only the close ones list their failing criteria: the stored gap says
                # which they are, so the far ones' verdicts are never read.
                need_verdict.append(assessment_id)
    verdicts = dict(AssessmentScore.objects.filter(assessment_id__in=need_verdict)
                    .values_list("assessment_id", "verdict")) if need_verdict else {}

    meeting, close, far = [], [], []
    for row in rows_by_facility.values():
        if row.met_on is not None:
            meeting.append(row)
            continue
        if row.assessment_id is not None and row.assessment_id in verdicts:
            row.failing = _failing(target, row.overall, verdicts[row.assessment_id])
        elif (row.assessment_id is not None
              and target.criterion == MissionTarget.Criterion.SCORE_AT_LEAST):
            row.failing = _failing(target, row.overall, {})
        (close if row.assessment_id is not None and _is_close(row) else far).append(row)

    def by_score(row: TargetRow):
        return (row.overall is None, -(row.overall or 0), row.facility.name)

    meeting.sort(key=by_score)
    close.sort(key=lambda row: (len(row.failing), *by_score(row)))
    far.sort(key=by_score)

    months = _month_ends(target.start, target.deadline)
    met_dates = sorted(row.met_on for row in meeting)
    burnup: list[int | None] = []
    for end in months:
        if end.replace(day=1) > today:
            burnup.append(None)  # the future has no points yet
        else:
            burnup.append(sum(1 for d in met_dates if d <= min(end, today)))
    return TargetProgress(target, meeting, close, far, months, burnup)


# --- standing ----------------------------------------------------------------------------

def facility_standings(*, user, facility) -> list:
    """What counts for a facility the user sees (404 otherwise): its current standing per
    tool (the latest submitted assessment, with its score, verdict and completeness).
    Assessments in progress are listed with the facility's assessments, counted nowhere.
    Two queries plus the memberships."""
    pk = getattr(facility, "pk", facility)
    facility = get_visible_or_404(visible_facilities(user), pk=pk)
    return list(FacilityStanding.objects.filter(facility=facility, current=True)
                .select_related("tool").order_by("tool__code"))


def failing_filled(*, target: MissionTarget, rows: list[TargetRow]) -> list[TargetRow]:
    """Fill the failing criteria of the given (shown) rows that lack them: `target_progress`
    reads verdicts only for the close ones, so that a state of far facilities costs no
    verdicts; the page reads those of the rows it shows (one query)."""
    wanted = [r.assessment_id for r in rows if r.assessment_id and not r.failing]
    if not wanted:
        return rows
    verdicts = dict(AssessmentScore.objects.filter(assessment_id__in=wanted)
                    .values_list("assessment_id", "verdict"))
    for row in rows:
        if row.assessment_id in verdicts and not row.failing:
            row.failing = _failing(target, row.overall, verdicts[row.assessment_id] or {})
    return rows
