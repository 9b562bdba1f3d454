"""The path to certification: the fewest checkpoint improvements that pass every criterion.

A pure function of (checkpoints with their answers, rule set): no Django, no I/O. It
answers "what is the least this facility must fix to be certified?" exactly, as an
integer programme solved by HiGHS (through `scipy.optimize.milp`):

* variables: how many checkpoints of a group to raise to each level above their answer.
  A group holds the checkpoints that count in the same failing units with the same
  answer, levels and effort: they are interchangeable, and one integer per group and
  level replaces a binary per checkpoint and level (which left the solver wading through
  every permutation of equal checkpoints: about a second for a district hospital, against
  a tenth of it now);
* a checkpoint is raised to one level at most (per group: the counts add up to at most
  its size);
* every unit a criterion judges (the facility, each department, each area of concern,
  each standard, the critical standards) that fails today must gain the points it lacks,
  counted in whole score steps (1 point for 0/1/2; half a point for Kayakalp), so the
  programme is in integers and its optimum is exact. Units that pass need no row:
  raising never lowers a pooled figure, because a checkpoint keeps its maximum (an NA
  stays NA). Under the mean-of-departments rule the overall criterion is one more row,
  linear too, since every department keeps its maximum;
* objective: the fewest checkpoints changed, or the least total effort when checkpoints
  carry whole-number efforts; a 0 -> 2 is one change, like a 0 -> 1. Among plans of equal
  effort, the fewest points raised: where a partial answer is enough the plan says 1,
  not 2.

The solver runs with a time limit; when it stops before proving the optimum the best
plan found is returned with the proven lower bound and the gap. Every plan is checked by
scoring the improved answers with the engine (`engine.score`, `criteria.evaluate`); one
that does not pass there is never returned as a plan.

What an unanswered checkpoint is worth is the caller's decision (the database side
passes it as answered 0: see srishti/improvement/selectors_path.py).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import NamedTuple

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from srishti.scoring.criteria import evaluate, meets, point_step
from srishti.scoring.engine import score
from srishti.scoring.types import (
    CheckpointScore,
    Criterion,
    CriterionKind,
    OverallRule,
    RuleSet,
    Verdict,
)

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Plan",
    "PlanCheckpoint",
    "PlanStatus",
    "Raise",
    "apply_raises",
    "plan_certification",
    "unit_keys",
]

# Seconds HiGHS may search before the best plan found so far is returned with its gap.
DEFAULT_TIME_LIMIT = 10.0
# Solves allowed for a mean-of-departments rule set (see plan_certification).
_MEAN_ATTEMPTS = 3


class PlanCheckpoint(NamedTuple):
    """One checkpoint of the assessment to plan, with its answer.

    `value` None is NA: it stays NA and counts nowhere. `levels` are the answers the
    checkpoint allows ((0, 1, 2), or (0, 2) without a partial score); `full` is its
    maximum as the engine counts it. `effort` is a whole number >= 1 (1 everywhere
    counts checkpoints). `answered` only labels the plan; `key` is the caller's id.
    """

    key: int
    department: str
    area: str
    standard: str
    value: float | None
    levels: tuple[float, ...] = (0.0, 1.0, 2.0)
    full: float = 2.0
    answered: bool = True
    effort: int = 1
    # The mandatory themes (AAM-SC service packages) it counts in, by name: the units of
    # a mandatory_themes criterion.
    themes: tuple[str, ...] = ()


class Raise(NamedTuple):
    """One improvement: the checkpoint at input position `position` (the caller's `key`)
    from `old` to `new`."""

    position: int
    key: int
    old: float
    new: float


class PlanStatus(StrEnum):
    # Every criterion passes already: nothing to raise.
    PASSES = "passes"
    # The fewest improvements, proven by the solver.
    OPTIMAL = "optimal"
    # The solver stopped at its time (or node) limit: the best plan found, with the
    # proven lower bound and the gap.
    LIMIT = "limit"
    # No set of improvements passes (nothing at all is scored, or a unit whose
    # checkpoints cannot reach its threshold even at their top level).
    INFEASIBLE = "infeasible"
    # The limit came before any plan was found.
    NO_PLAN = "no_plan"
    # The solver's plan did not pass when rescored with the engine: it is not shown.
    UNVERIFIED = "unverified"


class Failing(NamedTuple):
    """A unit that fails today: its criterion (kind and name, as on a verdict), the
    unit's name, the points it lacks (None for a mean of department percentages, which
    has no points behind it)."""

    kind: str
    name: str
    unit: str
    points: float | None


class Plan(NamedTuple):
    status: PlanStatus
    raises: tuple[Raise, ...]
    # Total effort of the raised checkpoints (their number when every effort is 1).
    cost: int
    # The solver's proven lower bound on the cost, and (cost - bound) / cost; the bound
    # equals the cost when the plan is optimal.
    bound: int | None
    gap: float | None
    # The engine's verdict on the answers with the plan applied (for UNVERIFIED, the
    # verdict that failed; None when there is no plan).
    verdict: Verdict | None
    seconds: float
    failing: tuple[Failing, ...] = ()

    @property
    def shown(self) -> bool:
        """Whether there is a verified plan (possibly empty) to show."""
        return self.status in (PlanStatus.PASSES, PlanStatus.OPTIMAL, PlanStatus.LIMIT)


# ---------------------------------------------------------------------------------------
# Units: which checkpoints each criterion judges together.

FACILITY = "facility"
UnitKeys = Callable[[PlanCheckpoint], Iterable[str]]


def unit_keys(criterion: Criterion) -> UnitKeys:
    """For a pooled criterion, the names of the units a checkpoint counts in.

    The one place that knows how a criterion kind groups checkpoints (mirroring
    `criteria._units` over a score card). A new kind of unit, such as an AAM-SC theme (a
    set of measurable elements with a threshold), is one more branch here returning the
    themes the checkpoint belongs to; the programme needs nothing else.
    """
    kind = criterion.kind
    if kind == CriterionKind.OVERALL:
        return lambda cp: (FACILITY,)
    if kind == CriterionKind.EACH_DEPARTMENT:
        return lambda cp: (cp.department,)
    if kind == CriterionKind.EACH_AREA:
        return lambda cp: (cp.area,)
    if kind == CriterionKind.EACH_STANDARD:
        return lambda cp: (cp.standard,)
    if kind == CriterionKind.CRITICAL_STANDARDS:
        listed = frozenset(criterion.standards)
        return lambda cp: (cp.standard,) if cp.standard in listed else ()
    if kind == CriterionKind.MANDATORY_THEMES:
        return lambda cp: cp.themes
    raise ValueError(f"the planner does not know criterion kind {kind!r}")


class _Row(NamedTuple):
    """A failing pooled unit: its scored checkpoints must gain `steps` steps."""

    failing: Failing
    members: list[int]  # input positions
    steps: int


class _MeanRow(NamedTuple):
    """The overall criterion under the mean-of-departments rule, failing today:
    sum over departments of (points raised / department maximum) >= need."""

    weights: dict[int, float]  # input position -> 1 / its department's maximum
    need: float
    failing: Failing


def _quantum(values: Iterable[float]) -> float:
    """The largest step every level is a whole multiple of (1 for 0/1/2, 0.5 for
    0/0.5/1), by exact rational arithmetic on the floats."""
    numerator, denominator = 0, 1
    for value in values:
        n, d = float(value).as_integer_ratio()
        # gcd(a/b, c/d) = gcd(a*d, c*b) / (b*d)
        numerator = math.gcd(numerator * d, n * denominator)
        denominator *= d
        common = math.gcd(numerator, denominator)
        numerator //= common
        denominator //= common
    return numerator / denominator if numerator else 1.0


def _steps_missing(obtained: float, maximum: float, threshold: float, quantum: float) -> int:
    """The fewest steps of `quantum` points after which the unit passes `meets`."""
    if meets(obtained, maximum, threshold):
        return 0
    # ceil((threshold * maximum / 100 - obtained) / quantum) in integers, on the floats'
    # exact values (as criteria._points_missing does).
    tn, td = threshold.as_integer_ratio()
    mn, md = maximum.as_integer_ratio()
    on, od = obtained.as_integer_ratio()
    qn, qd = quantum.as_integer_ratio()
    numerator = (tn * mn * od - 100 * td * md * on) * qd
    steps = max(-(-numerator // (100 * td * md * od * qn)), 1)
    # `meets` forgives a relative 1e-9: step back while one step fewer would already
    # pass, forward while this many would not, so the programme asks what the judge asks.
    while steps > 1 and meets(obtained + (steps - 1) * quantum, maximum, threshold):
        steps -= 1
    while not meets(obtained + steps * quantum, maximum, threshold):
        steps += 1
    return steps


def _failing_rows(
    checkpoints: Sequence[PlanCheckpoint], rule_set: RuleSet, quantum: float
) -> list[_Row]:
    rows: list[_Row] = []
    mean_rule = rule_set.overall_rule == OverallRule.MEAN_OF_DEPARTMENTS
    for criterion in rule_set.criteria:
        if mean_rule and criterion.kind == CriterionKind.OVERALL:
            continue  # see _mean_row
        keys = unit_keys(criterion)
        members: dict[str, list[int]] = {}
        for index, cp in enumerate(checkpoints):
            if cp.value is not None:
                for key in keys(cp):
                    members.setdefault(key, []).append(index)
        for name, indices in members.items():
            obtained = math.fsum(checkpoints[i].value or 0.0 for i in indices)
            maximum = math.fsum(checkpoints[i].full for i in indices)
            steps = _steps_missing(obtained, maximum, criterion.threshold, quantum)
            if steps:
                failing = Failing(criterion.kind.value, criterion.name, name,
                                  steps * quantum)
                rows.append(_Row(failing, indices, steps))
    return rows


def _mean_row(checkpoints: Sequence[PlanCheckpoint], rule_set: RuleSet) -> _MeanRow | None:
    """The mean-of-departments row when that overall criterion fails today."""
    if rule_set.overall_rule != OverallRule.MEAN_OF_DEPARTMENTS:
        return None
    thresholds = [c.threshold for c in rule_set.criteria if c.kind == CriterionKind.OVERALL]
    if not thresholds:
        return None
    obtained: dict[str, float] = {}
    maximum: dict[str, float] = {}
    for cp in checkpoints:
        if cp.value is not None:
            obtained[cp.department] = obtained.get(cp.department, 0.0) + cp.value
            maximum[cp.department] = maximum.get(cp.department, 0.0) + cp.full
    if not maximum:
        return None
    threshold = max(thresholds)
    have = math.fsum(obtained[d] / maximum[d] for d in maximum)
    # The mean as the engine forms it (engine.mean_of_department_scores), so that this
    # row exists exactly when the judge fails the criterion.
    scores = [100.0 * obtained[d] / maximum[d] for d in maximum]
    mean = min(max(math.fsum(scores) / len(scores), min(scores)), max(scores))
    if meets(mean, 100.0, threshold):
        return None
    weights = {i: 1.0 / maximum[cp.department] for i, cp in enumerate(checkpoints)
               if cp.value is not None}
    need = len(maximum) * threshold / 100.0 - have
    # A mean of percentages has no points behind it (as in criteria._judge_overall).
    criterion = next(c for c in rule_set.criteria if c.kind == CriterionKind.OVERALL)
    return _MeanRow(weights, need, Failing(criterion.kind.value, criterion.name, FACILITY,
                                           None))


def apply_raises(
    checkpoints: Sequence[PlanCheckpoint], raises: Iterable[Raise]
) -> list[CheckpointScore]:
    """The engine's input for the answers with the raises applied."""
    values = [cp.value for cp in checkpoints]
    for r in raises:
        values[r.position] = r.new
    return [CheckpointScore(cp.department, cp.area, cp.standard, value, cp.full)
            for cp, value in zip(checkpoints, values, strict=True)]


def _check(checkpoints: Sequence[PlanCheckpoint]) -> None:
    for cp in checkpoints:
        if not cp.levels or cp.full <= 0 or max(cp.levels) > cp.full or min(cp.levels) < 0:
            raise ValueError(f"checkpoint {cp.key}: levels {cp.levels!r} do not lie in "
                             f"0..{cp.full!r}")
        if cp.value is not None and cp.value not in cp.levels:
            raise ValueError(f"checkpoint {cp.key}: answer {cp.value!r} is not one of "
                             f"its levels {cp.levels!r}")
        if isinstance(cp.effort, bool) or not isinstance(cp.effort, int) or cp.effort < 1:
            raise ValueError(f"checkpoint {cp.key}: effort must be a whole number >= 1, "
                             f"got {cp.effort!r}")


class _Programme(NamedTuple):
    groups: list[list[int]]  # interchangeable checkpoints, in input order
    group: list[int]  # each variable's group
    levels: list[float]  # the level each variable raises to
    cost: np.ndarray
    upper: np.ndarray  # group sizes
    matrix: csr_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    scale: float  # objective = effort * scale + steps raised
    mean_row: int | None  # the row of the mean-of-departments criterion


def _programme(
    checkpoints: Sequence[PlanCheckpoint], rows: list[_Row], mean: _MeanRow | None,
    quantum: float,
) -> _Programme | None:
    """The integer programme, or None when some failing unit cannot be fixed at all."""
    membership: dict[int, list[int]] = {}
    for r, row in enumerate(rows):
        for i in row.members:
            membership.setdefault(i, []).append(r)
    for i in mean.weights if mean else ():
        membership.setdefault(i, [])
    grouped: dict[tuple[object, ...], list[int]] = {}
    for i in sorted(membership):
        cp = checkpoints[i]
        if cp.value is None or cp.value >= max(cp.levels):
            continue
        # Under the mean rule a checkpoint's weight depends on its department.
        department = cp.department if mean else ""
        key = (tuple(membership[i]), department, cp.value, cp.levels, cp.effort)
        grouped.setdefault(key, []).append(i)

    groups = list(grouped.values())
    group: list[int] = []
    levels: list[float] = []
    gains: list[int] = []  # steps raised per checkpoint
    group_vars: list[list[int]] = []
    top_gain: dict[int, int] = {}
    for g, members in enumerate(groups):
        cp = checkpoints[members[0]]
        value = cp.value or 0.0
        made = []
        for level in sorted(cp.levels):
            if level > value:
                made.append(len(levels))
                group.append(g)
                levels.append(level)
                gains.append(round((level - value) / quantum))
        group_vars.append(made)
        for i in members:
            top_gain[i] = gains[made[-1]]
    for row in rows:
        if sum(top_gain.get(i, 0) for i in row.members) < row.steps:
            return None
    if mean is not None and math.fsum(
            top_gain.get(i, 0) * quantum * w for i, w in mean.weights.items()
    ) < mean.need * (1 - 1e-9):  # the judge's own slack: a mean of exactly 100% passes
        return None

    n = len(levels)
    gain = np.asarray(gains, dtype=np.float64)
    upper = np.asarray([len(groups[g]) for g in group], dtype=np.float64)
    effort = np.asarray([checkpoints[groups[g][0]].effort for g in group], dtype=np.float64)
    # Effort first, then points raised, in one integer objective: no plan raises
    # `scale` steps, so one unit of effort outweighs any difference in points.
    scale = float((gain * upper).sum()) + 1.0

    row_ids: list[int] = []
    col_ids: list[int] = []
    coef: list[float] = []
    for v in range(n):
        for r in membership[groups[group[v]][0]]:
            row_ids.append(r)
            col_ids.append(v)
            coef.append(gains[v])
    lower: list[float] = [row.steps for row in rows]
    upper_rows: list[float] = [math.inf] * len(rows)
    if mean is not None:
        for v in range(n):
            row_ids.append(len(lower))
            col_ids.append(v)
            coef.append(gains[v] * quantum * mean.weights[groups[group[v]][0]])
        lower.append(mean.need)
        upper_rows.append(math.inf)
    for made in group_vars:
        if len(made) > 1:
            for v in made:
                row_ids.append(len(lower))
                col_ids.append(v)
                coef.append(1.0)
            lower.append(-math.inf)
            upper_rows.append(float(len(groups[group[made[0]]])))
    matrix = csr_array((np.asarray(coef), (np.asarray(row_ids), np.asarray(col_ids))),
                       shape=(len(lower), n))
    return _Programme(groups, group, levels, effort * scale + gain, upper, matrix,
                      np.asarray(lower), np.asarray(upper_rows), scale,
                      len(rows) if mean is not None else None)


def _raises(checkpoints: Sequence[PlanCheckpoint], programme: _Programme,
            counts: np.ndarray) -> tuple[Raise, ...]:
    """Which checkpoints of each group: the first in input (checklist) order, the
    highest level to the earliest, so that the same answers give the same plan."""
    taken = [0] * len(programme.groups)  # how many of each group are handed out
    picked: list[Raise] = []
    for v in sorted(range(len(programme.levels)), key=lambda v: -programme.levels[v]):
        count = round(float(counts[v]))
        g = programme.group[v]
        for i in programme.groups[g][taken[g]:taken[g] + count]:
            cp = checkpoints[i]
            picked.append(Raise(i, cp.key, float(cp.value or 0.0), programme.levels[v]))
        taken[g] += max(count, 0)
    return tuple(sorted(picked))


def plan_certification(
    checkpoints: Sequence[PlanCheckpoint],
    rule_set: RuleSet,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    node_limit: int | None = None,
    department_order: Sequence[str] | None = None,
) -> Plan:
    """The fewest improvements (least total effort) after which every criterion of
    `rule_set` passes, verified by rescoring with the engine.

    `time_limit` (seconds) and `node_limit` (branch-and-bound nodes) stop the solver
    early; the best plan found is then returned as LIMIT with its gap.
    Raises ValueError for a checkpoint whose answer is not one of its levels, whose
    levels leave 0..full, or whose effort is not a whole number >= 1.
    """
    started = time.perf_counter()
    _check(checkpoints)
    levels = {level for cp in checkpoints for level in cp.levels}
    quantum = _quantum(levels | {cp.full for cp in checkpoints})
    rows = _failing_rows(checkpoints, rule_set, quantum)
    mean = _mean_row(checkpoints, rule_set)
    failing = tuple(row.failing for row in rows) + ((mean.failing,) if mean else ())

    def verdict_of(raises: tuple[Raise, ...]) -> Verdict:
        card = score(apply_raises(checkpoints, raises), rule=rule_set.overall_rule,
                     department_order=department_order)
        return evaluate(card, rule_set, point_step=point_step(levels))

    def done(status: PlanStatus, raises: tuple[Raise, ...] = (), *,
             bound: int | None = None, verdict: Verdict | None = None) -> Plan:
        cost = sum(checkpoints[r.position].effort for r in raises)
        gap = (cost - bound) / cost if bound is not None and cost else None
        return Plan(status, raises, cost, bound, gap, verdict,
                    time.perf_counter() - started, failing)

    has_overall = any(c.kind == CriterionKind.OVERALL for c in rule_set.criteria)
    if has_overall and all(cp.value is None for cp in checkpoints):
        # Nothing scored: the engine fails the overall criterion for want of a figure,
        # and no improvement can give it one (NA stays NA).
        return done(PlanStatus.INFEASIBLE)
    if not rows and mean is None:
        verdict = verdict_of(())
        status = PlanStatus.PASSES if verdict.passed else PlanStatus.UNVERIFIED
        return done(status, bound=0, verdict=verdict)

    programme = _programme(checkpoints, rows, mean, quantum)
    if programme is None:
        return done(PlanStatus.INFEASIBLE)
    options: dict[str, object] = {"time_limit": max(time_limit, 0.001), "mip_rel_gap": 0.0}
    if node_limit is not None:
        options["node_limit"] = node_limit
    for attempt in range(_MEAN_ATTEMPTS):
        result = milp(
            programme.cost,
            constraints=LinearConstraint(programme.matrix, programme.row_lower,
                                         programme.row_upper),
            integrality=np.ones(len(programme.levels)),
            bounds=Bounds(np.zeros(len(programme.levels)), programme.upper),
            options=options,
        )
        if result.x is None:
            return done(PlanStatus.INFEASIBLE if result.status == 2 else PlanStatus.NO_PLAN)
        raises = _raises(checkpoints, programme, result.x)
        verdict = verdict_of(raises)
        if verdict.passed:
            break
        if programme.mean_row is None or attempt == _MEAN_ATTEMPTS - 1:
            return done(PlanStatus.UNVERIFIED, verdict=verdict)
        # Pooled rows are in integers, but the mean of departments is a sum of fractions,
        # and the solver's feasibility tolerance (1e-7) is looser than the judge's
        # (1e-9): a mean a sliver short may slip through. Ask for a sliver more.
        programme.row_lower[programme.mean_row] += 1e-7 * 10 ** attempt
    cost = sum(checkpoints[r.position].effort for r in raises)
    if result.status == 0:
        return done(PlanStatus.OPTIMAL, raises, bound=cost, verdict=verdict)
    # A bound on the objective (effort * scale + steps, steps < scale) bounds the effort
    # from below by ceil((bound - (scale - 1)) / scale).
    dual = getattr(result, "mip_dual_bound", None)
    bound = 0
    if dual is not None and math.isfinite(dual):
        bound = min(max(math.ceil((dual - (programme.scale - 1)) / programme.scale - 1e-9),
                        0), cost)
    status = PlanStatus.OPTIMAL if bound == cost else PlanStatus.LIMIT
    return done(status, raises, bound=bound, verdict=verdict)
