"""The path to certification and the readiness forecast, read for pages.

The fetch step of `scoring.planner` and `scoring.readiness`: the assessment's checkpoints
with their answers, in a fixed few queries, handed to the pure functions.

What an unanswered checkpoint means: the plan and the forecast count it as answered 0
(not compliant) until someone answers it. Left out, a draft with a few good answers
would need "nothing more" and the plan would stop being one the moment the rest was
answered; counted as 0, a plan carried out passes whatever the remaining answers turn
out to be (unless a checkpoint the plan raises is later found not applicable). The page
says how many of the plan's checkpoints are unanswered. An NA stays NA.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import FloatField
from django.db.models.functions import Cast

from srishti.accounts.access import can_work_on_actions
from srishti.assessments.models import Assessment, Response
from srishti.assessments.selectors import assessment_get
from srishti.assessments.services import services_not_offered
from srishti.checklists.models import Checkpoint
from srishti.scoring.criteria import point_step
from srishti.scoring.engine import natural_key, score
from srishti.scoring.planner import Plan, PlanCheckpoint, apply_raises, plan_certification
from srishti.scoring.readiness import Forecast, Improvement, forecast_readiness
from srishti.scoring.types import CheckpointScore, Criterion, CriterionKind, RuleSet, Tally

from .models import ActionItem, ActionStatus
from .selectors import facility_get

# A page waits at most this long for the solver; past it the best plan found is shown
# with its gap (a district hospital is solved in well under a second).
PAGE_TIME_LIMIT = 5.0

_MISSING = object()


@dataclass
class PlanningInput:
    """An assessment's checkpoints as the planner's input, in checklist order."""

    checkpoints: list[PlanCheckpoint]
    departments: list[str]  # in checklist order
    rule_set: RuleSet | None
    point_step: float
    unanswered: int
    position: dict[int, int] = field(default_factory=dict)  # checkpoint id -> index

    def scores(self) -> list[CheckpointScore]:
        """The engine's input: the same answers, unanswered as 0."""
        return [CheckpointScore(c.department, c.area, c.standard, c.value, c.full, c.themes)
                for c in self.checkpoints]


def planning_input(assessment: Assessment) -> PlanningInput:
    """Load an assessment's checkpoints and answers for planning (three queries)."""
    version = assessment.version
    version_levels = tuple(sorted(float(v) for v in version.levels)) or (0.0, 1.0, 2.0)
    full = version.full_score
    answers = dict(Response.objects.filter(assessment=assessment).order_by()
                   .values_list("checkpoint_id", Cast("value", FloatField())))
    rows = (Checkpoint.objects.filter(version=version)
            .exclude(department__name__in=assessment.not_present)
            .order_by("department__order", "order")
            .values_list("id", "department__name", "standard__area__letter",
                         "standard__code", "levels", "service", "measurable_element__code"))
    # A sub-centre's checkpoints of packages it does not offer are NA whatever the answer,
    # as the score has them; a mandatory theme is a unit of its own criterion.
    not_offered = services_not_offered(assessment)
    mandatory: dict[str, list[str]] = {}
    for theme in version.themes:
        if theme["mandatory"]:
            for code in theme["measurable_elements"]:
                mandatory.setdefault(code, []).append(theme["name"])
    checkpoints = []
    departments: dict[str, None] = {}
    unanswered = 0
    for checkpoint_id, department, area, standard, levels, service, element in rows:
        allowed = tuple(sorted(float(v) for v in levels)) if levels else version_levels
        value = None if service in not_offered else answers.get(checkpoint_id, _MISSING)
        answered = value is not _MISSING
        if not answered:
            unanswered += 1
            value = allowed[0]
        elif value is not None and value not in allowed:
            # Workbook imports check answers against the version's levels only, so a 1
            # may sit on a checkpoint without a partial score: plan from where it is.
            allowed = tuple(sorted({*allowed, value}))
        checkpoints.append(PlanCheckpoint(checkpoint_id, department, area, standard, value,
                                          allowed, full, answered,
                                          themes=tuple(mandatory.get(element, ()))))
        departments.setdefault(department, None)
    rule_set = version.rule_set.as_rule_set() if version.rule_set_id else None
    return PlanningInput(checkpoints, list(departments), rule_set, point_step(version.levels),
                         unanswered, {c.key: i for i, c in enumerate(checkpoints)})


def plan_for(assessment: Assessment, *, time_limit: float = PAGE_TIME_LIMIT
             ) -> tuple[PlanningInput, Plan | None]:
    """The path to certification of an assessment the caller may see; the plan is None
    when its checklist has no certification rules."""
    planning = planning_input(assessment)
    if planning.rule_set is None:
        return planning, None
    plan = plan_certification(planning.checkpoints, planning.rule_set,
                              time_limit=time_limit, department_order=planning.departments)
    return planning, plan


# --- the plan page ------------------------------------------------------------------------

@dataclass
class PathRow:
    checkpoint_id: int
    text: str
    me_code: str
    old: float | None  # None: not answered yet
    new: float
    action_item_id: int | None


@dataclass
class PathGroup:
    """Plan rows under a heading: a department (with standards inside) or a standard."""

    name: str
    title: str = ""
    rows: list[PathRow] = field(default_factory=list)
    groups: list[PathGroup] = field(default_factory=list)
    count: int = 0


@dataclass
class DepartmentChange:
    """A department's figure now (unanswered as 0) and with the plan carried out."""

    name: str
    now: Tally
    after: Tally


@dataclass
class PathPage:
    assessment: Assessment
    plan: Plan | None
    groups: list[PathGroup]
    changes: list[DepartmentChange]
    department_threshold: float | None
    group_by: str
    checkpoints: int
    departments: int
    standards: int
    unanswered_in_plan: int
    unanswered: int  # in the whole assessment
    without_item: int  # plan checkpoints that have no action item yet
    can_work: bool

    @property
    def gap_percent(self) -> float | None:
        return None if self.plan is None or self.plan.gap is None else 100 * self.plan.gap


GROUPINGS = ("department", "standard")


def certification_path(*, user, pk: int, group_by: str = "department") -> PathPage:
    """The fewest checkpoint improvements that would pass every criterion of an
    assessment the user may see (404 otherwise), grouped by department and standard
    within it, or by standard across departments."""
    assessment = assessment_get(user=user, pk=pk)
    group_by = group_by if group_by in GROUPINGS else GROUPINGS[0]
    planning, plan = plan_for(assessment)
    raises = plan.raises if plan is not None and plan.shown else ()
    ids = [r.key for r in raises]
    details = {
        row[0]: row[1:] for row in Checkpoint.objects.filter(pk__in=ids).values_list(
            "id", "text", "measurable_element__code", "standard__title")
    }
    items = dict(ActionItem.objects.filter(assessment=assessment, checkpoint_id__in=ids)
                 .values_list("checkpoint_id", "id"))
    groups: dict[str, PathGroup] = {}
    standards = set()
    for r in raises:
        cp = planning.checkpoints[r.position]
        text, me_code, title = details[r.key]
        row = PathRow(r.key, text, me_code or "", r.old if cp.answered else None, r.new,
                      items.get(r.key))
        standards.add(cp.standard)
        if group_by == "standard":
            group = groups.setdefault(cp.standard, PathGroup(cp.standard, title))
            inner = _inner(group, cp.department)
        else:
            group = groups.setdefault(cp.department, PathGroup(cp.department))
            inner = _inner(group, cp.standard, title)
        group.count += 1
        inner.count += 1
        inner.rows.append(row)
    ordered = list(groups.values())
    if group_by == "standard":
        ordered.sort(key=lambda g: natural_key(g.name))
        for g in ordered:
            g.groups.sort(key=lambda inner: planning.departments.index(inner.name))
    else:
        for g in ordered:
            g.groups.sort(key=lambda inner: natural_key(inner.name))
    changes: list[DepartmentChange] = []
    threshold = None
    if plan is not None and planning.rule_set is not None:
        rule = planning.rule_set.overall_rule
        now = score(planning.scores(), rule=rule, department_order=planning.departments)
        after = score(apply_raises(planning.checkpoints, raises), rule=rule,
                      department_order=planning.departments)
        changes = [DepartmentChange(b.name, b.tally, a.tally)
                   for b, a in zip(now.departments, after.departments, strict=True)]
        threshold = next((c.threshold for c in planning.rule_set.criteria
                          if c.kind == CriterionKind.EACH_DEPARTMENT), None)
    return PathPage(
        assessment=assessment, plan=plan, groups=ordered, changes=changes,
        department_threshold=threshold, group_by=group_by,
        checkpoints=len(raises),
        departments=len({planning.checkpoints[r.position].department for r in raises}),
        standards=len(standards),
        unanswered_in_plan=sum(not planning.checkpoints[r.position].answered for r in raises),
        unanswered=planning.unanswered, without_item=len(raises) - len(items),
        can_work=can_work_on_actions(user, assessment.facility),
    )


def _inner(group: PathGroup, name: str, title: str = "") -> PathGroup:
    for inner in group.groups:
        if inner.name == name:
            return inner
    inner = PathGroup(name, title)
    group.groups.append(inner)
    return inner


# --- readiness forecast -------------------------------------------------------------------

DONE_STATUSES = (ActionStatus.DONE, ActionStatus.VERIFIED)


@dataclass
class Readiness:
    facility: object
    assessment: Assessment | None  # whose action items are counted
    forecast: Forecast | None  # None: no rule set or no open action items
    counted: int = 0  # items applied on a day (done ones today, open ones when due)
    undated: int = 0  # open items without a due date: not counted
    overdue: int = 0  # open items past due: counted from today
    # Criteria still failing once every counted item is done (with kind and name).
    failing: list[Criterion] = field(default_factory=list)


def facility_readiness(*, facility, today: dt.date) -> Readiness:
    """When the facility would pass if its open action items were done on time.

    The caller has checked that the user may see the facility. The items counted are
    those of the facility's latest assessment with open items: done and verified items
    count from today (the work is done, though no assessment has seen it yet), open and
    in-progress items on their due date, or from today when overdue; items without a due
    date are left out and counted. Each item raises its checkpoint to its target score
    (full compliance when it has none). A fixed few queries, and a handful of rescorings.
    """
    assessment = (Assessment.objects.filter(
        facility_id=facility.pk, action_items__status__in=ActionItem.PENDING)
        .select_related("version__rule_set").order_by("-start_date", "-id").first())
    if assessment is None:
        return Readiness(facility, None, None)
    planning = planning_input(assessment)
    if planning.rule_set is None:
        return Readiness(facility, assessment, None)
    improvements = []
    undated = overdue = 0
    for checkpoint_id, status, due, target in ActionItem.objects.filter(
            assessment=assessment).values_list("checkpoint_id", "status", "due_date",
                                               "target_value"):
        position = planning.position.get(checkpoint_id)
        if position is None:
            continue
        cp = planning.checkpoints[position]
        value = float(target) if target is not None else max(cp.levels)
        if status in DONE_STATUSES:
            day = today
        elif due is None:
            undated += 1
            continue
        else:
            overdue += due < today
            day = max(due, today)
        improvements.append(Improvement(position, value, day))
    forecast = forecast_readiness(planning.scores(), improvements, planning.rule_set,
                                  department_order=planning.departments,
                                  point_step=planning.point_step)
    failing = [r.criterion for r in forecast.final.criteria if not r.passed]
    return Readiness(facility, assessment, forecast, len(improvements), undated, overdue,
                     failing)


def readiness_forecast(*, user, facility_pk: int, today: dt.date) -> Readiness:
    """The readiness forecast of a facility the user may see (404 otherwise)."""
    return facility_readiness(facility=facility_get(user=user, pk=facility_pk), today=today)

