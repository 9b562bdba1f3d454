"""The path to certification: exact, verified by the engine, and never smaller than it can be."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srishti.scoring.criteria import SEED_RULE_SETS, evaluate, rule_set_from_dict
from srishti.scoring.engine import score
from srishti.scoring.planner import (
    PlanCheckpoint,
    PlanStatus,
    apply_raises,
    plan_certification,
)
from srishti.scoring.types import Criterion, CriterionKind, OverallRule, RuleSet

DH = rule_set_from_dict(next(d for d in SEED_RULE_SETS if d["code"] == "nqas-2017-dh"))
KAYAKALP = rule_set_from_dict(next(d for d in SEED_RULE_SETS if d["code"] == "kayakalp-2017"))


def pc(key, value, *, department="OPD", area="A", standard="A1", levels=(0.0, 1.0, 2.0),
       full=2.0, effort=1):
    return PlanCheckpoint(key, department, area, standard, value, levels, full, True, effort)


def rules(*criteria: tuple[CriterionKind, float], rule=OverallRule.POOLED,
          critical=("A2",)) -> RuleSet:
    return RuleSet("test", rule, tuple(
        Criterion(kind, threshold, critical if kind == CriterionKind.CRITICAL_STANDARDS else ())
        for kind, threshold in criteria))


def passes(checkpoints, plan, rule_set) -> bool:
    card = score(apply_raises(checkpoints, plan.raises), rule=rule_set.overall_rule)
    return evaluate(card, rule_set).passed


def test_an_assessment_that_passes_needs_nothing():
    cps = [pc(i, 2.0) for i in range(5)] + [pc(9, 0.0)]
    plan = plan_certification(cps, rules((CriterionKind.OVERALL, 70)))

    assert plan.status is PlanStatus.PASSES and plan.raises == () and plan.cost == 0
    assert plan.verdict is not None and plan.verdict.passed


def test_the_plan_raises_the_fewest_checkpoints_and_partially_where_that_is_enough():
    # 10 checkpoints, 11 of 20 points: 70% needs 14, so 3 points in as few changes as
    # possible: one 0 -> 2 and one 1 -> 2 (two changes), not three 0 -> 1 or 1 -> 2.
    values = [2.0] * 4 + [1.0] * 3 + [0.0] * 3
    cps = [pc(i, v) for i, v in enumerate(values)]
    plan = plan_certification(cps, rules((CriterionKind.OVERALL, 70)))

    assert plan.status is PlanStatus.OPTIMAL and plan.cost == 2 and plan.bound == 2
    assert plan.gap == 0
    # Two changes give at most 4 points; 3 are needed, so one of them stops at 1 (a 0 -> 1
    # or a 1 -> 2 next to a 0 -> 2).
    assert sum(r.new - r.old for r in plan.raises) == 3
    assert passes(cps, plan, rules((CriterionKind.OVERALL, 70)))


def test_a_checkpoint_without_a_partial_score_is_raised_to_full():
    cps = [pc(0, 2.0), pc(1, 0.0, levels=(0.0, 2.0))]
    plan = plan_certification(cps, rules((CriterionKind.OVERALL, 60)))

    assert [(r.key, r.old, r.new) for r in plan.raises] == [(1, 0.0, 2.0)]


def test_na_stays_na_and_counts_nowhere():
    cps = [pc(0, None), pc(1, None), pc(2, 1.0), pc(3, 2.0)]
    plan = plan_certification(cps, rules((CriterionKind.OVERALL, 100)))

    assert [(r.key, r.new) for r in plan.raises] == [(2, 2.0)]


def test_every_kind_of_criterion_is_met_by_the_plan():
    cps = [
        pc(0, 2.0, department="OPD", area="A", standard="A1"),
        pc(1, 0.0, department="OPD", area="A", standard="A2"),
        pc(2, 2.0, department="IPD", area="B", standard="B5"),
        pc(3, 0.0, department="IPD", area="B", standard="B5"),
        pc(4, 2.0, department="IPD", area="A", standard="A1"),
        pc(5, 2.0, department="OPD", area="B", standard="B1"),
    ]
    rule_set = rules((CriterionKind.OVERALL, 50), (CriterionKind.EACH_DEPARTMENT, 50),
                     (CriterionKind.EACH_AREA, 50), (CriterionKind.CRITICAL_STANDARDS, 70),
                     (CriterionKind.EACH_STANDARD, 50), critical=("A2",))
    plan = plan_certification(cps, rule_set)

    # A2 (critical, 0%) must reach 70%: its only checkpoint goes to 2. B5 is at 50%.
    assert [(r.key, r.new) for r in plan.raises] == [(1, 2.0)]
    assert ("critical_standards", "critical standards (A2)", "A2", 2.0) in plan.failing
    assert passes(cps, plan, rule_set)


def test_efforts_are_weighed():
    # Two ways to find 2 points: the cheap 1 -> 2 pair (effort 1 + 1) beats the 0 -> 2
    # that costs 5.
    cps = [pc(0, 2.0), pc(1, 1.0), pc(2, 1.0), pc(3, 0.0, effort=5), pc(4, 2.0)]
    plan = plan_certification(cps, rules((CriterionKind.OVERALL, 80)))

    assert {r.key for r in plan.raises} == {1, 2} and plan.cost == 2


def test_kayakalp_half_points_are_planned_in_half_steps():
    levels = (0.0, 0.5, 1.0)
    cps = [pc(i, v, levels=levels, full=1.0) for i, v in enumerate([1.0, 0.5, 0.5, 0.0])]
    plan = plan_certification(cps, KAYAKALP)

    # 2 of 4 points; 70% needs 2.8, so 1 point: two 0.5 -> 1 or one 0 -> 1. One change.
    assert plan.cost == 1 and [(r.key, r.new) for r in plan.raises] == [(3, 1.0)]
    assert passes(cps, plan, KAYAKALP)


def test_the_mean_of_departments_rule_is_planned_on_the_mean():
    # OPD 2/10 (20%), IPD 2/2 (100%): the mean is 60%, pooled 33%. With the mean rule 70%
    # needs OPD at 40%: 2 more points there, one 0 -> 2.
    cps = [pc(i, v, department="OPD") for i, v in enumerate([2.0, 0.0, 0.0, 0.0, 0.0])]
    cps.append(pc(9, 2.0, department="IPD"))
    rule_set = rules((CriterionKind.OVERALL, 70), rule=OverallRule.MEAN_OF_DEPARTMENTS)
    plan = plan_certification(cps, rule_set)

    assert plan.status is PlanStatus.OPTIMAL and plan.cost == 1
    assert plan.failing[0].points is None  # a mean has no points behind it
    assert passes(cps, plan, rule_set)


def test_nothing_scored_cannot_be_planned():
    plan = plan_certification([pc(0, None), pc(1, None)], DH)
    assert plan.status is PlanStatus.INFEASIBLE and not plan.shown


def test_a_unit_whose_levels_cannot_reach_the_threshold_is_infeasible():
    # Partial answers only (levels 0/1 of a maximum of 2): 50% at best, 70% wanted.
    cps = [pc(i, 0.0, levels=(0.0, 1.0)) for i in range(4)]
    plan = plan_certification(cps, rules((CriterionKind.OVERALL, 70)))
    assert plan.status is PlanStatus.INFEASIBLE


def test_a_threshold_met_exactly_counts_as_met():
    # 7 of 10 points is exactly 70%: nothing to do.
    cps = [pc(i, v) for i, v in enumerate([2.0, 2.0, 2.0, 1.0, 0.0])]
    assert plan_certification(cps, rules((CriterionKind.OVERALL, 70))).status is PlanStatus.PASSES


@pytest.mark.parametrize("bad, message", [
    (pc(0, 3.0), "not one of its levels"),
    (pc(0, 1.0, levels=(0.0, 1.0, 3.0)), "do not lie in"),
    (pc(0, 1.0, effort=0), "effort must be a whole number"),
    (pc(0, 1.0, effort=1.5), "effort must be a whole number"),
])
def test_bad_input_is_refused_with_the_checkpoint_named(bad, message):
    with pytest.raises(ValueError, match=message):
        plan_certification([bad], DH)


def _synthetic(seed: int, *, checkpoints: int, departments: int, standards: int,
               effort: bool) -> list[PlanCheckpoint]:
    rng = random.Random(seed)
    codes = [(a, f"{a}{n}") for n in range(1, standards // 8 + 2) for a in "ABCDEFGH"]
    codes = codes[:standards]
    made = []
    for i in range(checkpoints):
        area, code = codes[i % len(codes)]
        draw = rng.random()
        value = None if draw < .05 else 2.0 if draw < .45 else rng.choice([0.0, 1.0])
        made.append(pc(i, value, department=f"D{i * departments // checkpoints}", area=area,
                       standard=code, effort=rng.randint(1, 9) if effort else 1))
    return made


def test_a_limit_returns_the_best_plan_found_with_its_gap():
    # Efforts of 1-9 make groups small and the proof longer: stopped after its first
    # node (a limit that, unlike time, does not depend on the machine), HiGHS has a plan
    # from its heuristics but has not proven it the least.
    cps = _synthetic(1, checkpoints=6500, departments=18, standards=70, effort=True)
    plan = plan_certification(cps, DH, node_limit=1)
    full = plan_certification(cps, DH)

    assert full.status is PlanStatus.OPTIMAL and full.gap == 0
    assert plan.status is PlanStatus.LIMIT and plan.shown
    assert plan.bound is not None and plan.bound <= full.cost <= plan.cost
    assert 0 < plan.gap == pytest.approx((plan.cost - plan.bound) / plan.cost)
    assert passes(cps, plan, DH)


def test_a_district_hospital_sized_plan_is_verified_and_optimal():
    cps = _synthetic(3, checkpoints=6500, departments=19, standards=72, effort=False)
    plan = plan_certification(cps, DH)

    assert plan.status is PlanStatus.OPTIMAL and plan.verdict.passed
    assert plan.cost == len(plan.raises) == plan.bound
    assert passes(cps, plan, DH)
    # Every raise goes up, to one of the checkpoint's levels.
    assert all(r.new > r.old and r.new in cps[r.position].levels for r in plan.raises)


# ---------------------------------------------------------------------------------------
# The property: on small random assessments the plan passes and nothing smaller does.

LEVELS = st.sampled_from([(0.0, 1.0, 2.0), (0.0, 1.0, 2.0), (0.0, 2.0)])


@st.composite
def small_checkpoint(draw, key):
    levels = draw(LEVELS)
    area = draw(st.sampled_from("AB"))
    return PlanCheckpoint(
        key=key,
        department=draw(st.sampled_from(["OPD", "IPD"])),
        area=area,
        standard=f"{area}{draw(st.sampled_from([1, 2]))}",
        value=draw(st.none() | st.sampled_from(levels)),
        levels=levels,
        effort=draw(st.sampled_from([1, 1, 1, 2, 3])),
    )


@st.composite
def small_assessment(draw):
    size = draw(st.integers(1, 7))
    return [draw(small_checkpoint(key)) for key in range(size)]


@st.composite
def small_rule_set(draw):
    thresholds = st.sampled_from([50.0, 60.0, 70.0, 75.0, 80.0, 100.0])
    kinds = draw(st.lists(st.sampled_from([
        CriterionKind.OVERALL, CriterionKind.EACH_DEPARTMENT, CriterionKind.EACH_AREA,
        CriterionKind.EACH_STANDARD, CriterionKind.CRITICAL_STANDARDS]), min_size=1,
        max_size=5, unique=True))
    rule = draw(st.sampled_from(list(OverallRule)))
    return rules(*[(kind, draw(thresholds)) for kind in kinds], rule=rule,
                 critical=("A2", "B1"))


def brute_force(cps, rule_set):
    """(least effort, then fewest points) over every way of raising the checkpoints,
    judged by the engine; None when no way passes."""
    choices = [[cp.value] if cp.value is None else [lv for lv in cp.levels if lv >= cp.value]
               for cp in cps]
    best = None
    for values in itertools.product(*choices):
        cost = sum(cp.effort for cp, v in zip(cps, values, strict=True) if v != cp.value)
        points = sum((v or 0) - (cp.value or 0) for cp, v in zip(cps, values, strict=True))
        if best is not None and (cost, points) >= best:
            continue
        changed = [cp._replace(value=v) for cp, v in zip(cps, values, strict=True)]
        card = score(apply_raises(changed, ()), rule=rule_set.overall_rule)
        if evaluate(card, rule_set).passed:
            best = (cost, points)
    return best


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_assessment(), small_rule_set())
def test_the_plan_passes_and_no_smaller_plan_exists(cps, rule_set):
    plan = plan_certification(cps, rule_set)
    best = brute_force(cps, rule_set)

    if best is None:
        assert plan.status is PlanStatus.INFEASIBLE
        return
    assert plan.shown and plan.status is not PlanStatus.LIMIT
    assert passes(cps, plan, rule_set)
    points = sum(r.new - r.old for r in plan.raises)
    assert (plan.cost, points) == best
