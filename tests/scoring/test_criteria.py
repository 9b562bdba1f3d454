"""Judging score cards against certification criteria."""

from __future__ import annotations

import math

import pytest

from srishti.scoring.criteria import evaluate, meets
from srishti.scoring.engine import score
from srishti.scoring.types import (
    Badge,
    Criterion,
    CriterionKind,
    OverallRule,
    RuleSet,
    Shortfall,
    Theme,
)
from tests.scoring.builders import cp, unit

POOLED = OverallRule.POOLED
MEAN = OverallRule.MEAN_OF_DEPARTMENTS
K = CriterionKind


def _criterion(kind: CriterionKind, threshold: float = 70.0) -> Criterion:
    standards = ("A1",) if kind is K.CRITICAL_STANDARDS else ()
    return Criterion(kind=kind, threshold=threshold, standards=standards)


def _rules(*criteria: Criterion, rule=POOLED, badges=()) -> RuleSet:
    return RuleSet(code="test", overall_rule=rule, criteria=criteria, badges=tuple(badges))


def _one_unit(obtained: int, maximum: int):
    """One department, area, standard and mandatory theme, so every kind sees one figure."""
    checkpoints = [c._replace(themes=("T",)) for c in unit(obtained, maximum)]
    return score(checkpoints, rule=POOLED, themes=[Theme("T", "Theme", mandatory=True)])


def _judge(card, *criteria, **kwargs):
    return evaluate(card, _rules(*criteria, rule=card.rule), **kwargs)


# Boundaries: one department, one area, one standard, so every kind sees the same figure.


@pytest.mark.parametrize("kind", list(CriterionKind))
def test_each_kind_passes_at_exactly_the_threshold(kind):
    card = _one_unit(7000, 10000)  # 70.00%

    verdict = _judge(card, _criterion(kind))

    assert verdict.passed
    (result,) = verdict.criteria
    assert result.passed
    assert result.value == 70.0
    assert result.shortfalls == ()


@pytest.mark.parametrize("kind", list(CriterionKind))
def test_each_kind_fails_just_below_the_threshold(kind):
    card = _one_unit(6999, 10000)  # 69.99%

    verdict = _judge(card, _criterion(kind))

    assert not verdict.passed
    (result,) = verdict.criteria
    assert not result.passed
    assert result.value == pytest.approx(69.99)
    (shortfall,) = result.shortfalls
    assert shortfall.obtained == 6999.0
    assert shortfall.maximum == 10000.0
    assert shortfall.points_missing == 1.0


@pytest.mark.parametrize(
    ("kind", "unit_name"),
    [
        (K.OVERALL, "facility"),
        (K.EACH_DEPARTMENT, "OPD"),
        (K.EACH_AREA, "A"),
        (K.CRITICAL_STANDARDS, "A1"),
        (K.EACH_STANDARD, "A1"),
    ],
)
def test_shortfalls_name_the_unit_that_failed(kind, unit_name):
    card = score(unit(1, 2), rule=POOLED)

    (result,) = _judge(card, _criterion(kind)).criteria

    assert [s.unit for s in result.shortfalls] == [unit_name]


def test_a_figure_equal_to_the_threshold_only_on_paper_still_passes():
    # 7/10 is 0.7 exactly on paper but not in binary; 100 * 7 >= 70 * 10 has no rounding.
    card = score([cp(1.0, full=1.0)] * 7 + [cp(0.0, full=1.0)] * 3, rule=POOLED)

    assert _judge(card, _criterion(K.OVERALL)).passed


def test_meets_compares_without_float_slop_and_respects_strictness():
    assert meets(7, 10, 70)
    assert meets(0.7 * 10, 10, 70)  # 7.000000000000001 is still 70%
    # A mean of percentages carries rounding from each division; one ulp short of 70 is 70.
    assert meets(math.nextafter(70.0, 0.0), 100, 70)
    assert not meets(6.9999, 10, 70)
    assert not meets(8, 10, 80, strictly=True)
    assert meets(8.001, 10, 80, strictly=True)


def test_mean_rule_overall_passes_at_exactly_the_threshold_and_fails_just_below():
    # OPD 7000/10000 = 70.00%, IPD 6998/10000 = 69.98%: mean 69.99%.
    failing = score(unit(7000, 10000) + unit(6998, 10000, department="IPD"), rule=MEAN)
    passing = score(unit(7000, 10000) + unit(7000, 10000, department="IPD"), rule=MEAN)

    (failed,) = _judge(failing, _criterion(K.OVERALL)).criteria
    (passed,) = _judge(passing, _criterion(K.OVERALL)).criteria

    assert passed.passed and passed.value == 70.0
    assert not failed.passed
    assert failed.value == pytest.approx(69.99)
    (shortfall,) = failed.shortfalls
    assert shortfall.unit == "facility"
    # A mean of percentages is not a pooled figure: no points can be named.
    assert shortfall.points_missing is None
    assert shortfall.score == failed.value


# Points missing


@pytest.mark.parametrize(
    ("obtained", "maximum", "threshold", "missing"),
    [
        (10, 20, 70, 4.0),  # needs 14
        (15, 30, 70, 6.0),  # needs 21
        (50, 100, 55, 5.0),  # needs 55 exactly; 55 / 100 * 100 = 55.00000000000001 in floats
        (10, 22, 70, 6.0),  # needs 15.4 -> 16 whole points
        (0, 2, 50, 1.0),
        (6999, 10000, 70, 1.0),
        (9, 20, 50, 1.0),
    ],
)
def test_points_missing_is_the_gap_to_the_threshold_rounded_up_to_whole_points(
    obtained, maximum, threshold, missing
):
    card = score(unit(obtained, maximum), rule=POOLED)

    (result,) = _judge(card, _criterion(K.OVERALL, threshold)).criteria

    assert result.shortfalls[0].points_missing == missing


def test_points_missing_rounds_up_to_half_points_for_kayakalp():
    # 13 checkpoints on 0/0.5/1, 6 obtained: 70% needs 9.1, so 3.1 -> 3.5 more points.
    card = score([cp(1.0, full=1.0)] * 6 + [cp(0.0, full=1.0)] * 7, rule=POOLED)

    (result,) = _judge(card, _criterion(K.OVERALL), point_step=0.5).criteria

    assert result.shortfalls[0].points_missing == 3.5


def test_points_missing_on_a_half_point_step_is_not_rounded_when_exact():
    # 10 checkpoints, 4.5 obtained: 70% needs 7, so exactly 2.5 more.
    checkpoints = [cp(1.0, full=1.0)] * 4 + [cp(0.5, full=1.0)] + [cp(0.0, full=1.0)] * 5
    card = score(checkpoints, rule=POOLED)

    (result,) = _judge(card, _criterion(K.OVERALL), point_step=0.5).criteria

    assert result.shortfalls[0].points_missing == 2.5


def test_point_step_must_be_positive():
    card = score(unit(1, 2), rule=POOLED)

    with pytest.raises(ValueError, match="point_step"):
        _judge(card, _criterion(K.OVERALL), point_step=0)


# Worst first, NA skipped


def test_every_failing_unit_is_listed_worst_first_and_value_is_the_worst_figure():
    checkpoints = (
        unit(13, 20, department="OPD")  # 65%
        + unit(18, 20, department="IPD")  # 90%
        + unit(10, 20, department="Emergency")  # 50%
        + unit(13, 20, department="Pharmacy")  # 65%, after OPD: equal scores keep card order
    )
    card = score(checkpoints, rule=POOLED)

    (result,) = _judge(card, _criterion(K.EACH_DEPARTMENT)).criteria

    assert result.value == 50.0
    assert result.shortfalls == (
        Shortfall(unit="Emergency", score=50.0, obtained=10.0, maximum=20.0, points_missing=4.0),
        Shortfall(unit="OPD", score=65.0, obtained=13.0, maximum=20.0, points_missing=1.0),
        Shortfall(unit="Pharmacy", score=65.0, obtained=13.0, maximum=20.0, points_missing=1.0),
    )


@pytest.mark.parametrize(
    "kind", [K.EACH_DEPARTMENT, K.EACH_AREA, K.EACH_STANDARD, K.CRITICAL_STANDARDS]
)
def test_units_that_are_all_na_are_skipped_not_failed(kind):
    checkpoints = unit(18, 20, department="OPD", area="B", standard="B1") + [
        cp(None, department="Mortuary", area="A", standard="A1"),
        cp(None, department="Mortuary", area="A", standard="A1"),
    ]
    card = score(checkpoints, rule=POOLED)

    (result,) = _judge(card, _criterion(kind)).criteria

    assert result.passed
    assert result.shortfalls == ()
    # Critical standard A1 is all NA, so nothing was checked at all.
    assert result.value == (None if kind is K.CRITICAL_STANDARDS else 90.0)


def test_a_critical_standard_missing_from_the_card_is_skipped():
    card = score(unit(18, 20, standard="A1"), rule=POOLED)
    criterion = Criterion(kind=K.CRITICAL_STANDARDS, threshold=70, standards=("A1", "D10"))

    (result,) = _judge(card, criterion).criteria

    assert result.passed
    assert result.value == 90.0


def test_critical_standards_are_judged_facility_wide_and_only_those_listed():
    checkpoints = (
        unit(1, 10, department="OPD", area="A", standard="A2")  # OPD A2 alone is 10%
        + unit(19, 20, department="IPD", area="A", standard="A2")  # pooled A2 = 20/30
        + unit(0, 10, area="C", standard="C1")  # not critical
    )
    card = score(checkpoints, rule=POOLED)
    criterion = Criterion(kind=K.CRITICAL_STANDARDS, threshold=60, standards=("A2",))

    (result,) = _judge(card, criterion).criteria

    assert result.passed
    assert result.value == pytest.approx(200 / 3)


def test_an_assessment_with_nothing_scored_is_not_certifiable():
    card = score([cp(None), cp(None)], rule=POOLED)

    verdict = _judge(card, _criterion(K.OVERALL), _criterion(K.EACH_DEPARTMENT))

    overall, departments = verdict.criteria
    assert not overall.passed and overall.value is None and overall.shortfalls == ()
    assert departments.passed and departments.value is None
    assert not verdict.passed


def test_verdict_fails_when_any_criterion_fails_and_reports_each():
    card = score(unit(18, 20, standard="A1") + unit(8, 20, area="B", standard="B1"), rule=POOLED)

    verdict = _judge(card, _criterion(K.OVERALL, 60), _criterion(K.EACH_AREA, 50))

    assert [r.passed for r in verdict.criteria] == [True, False]
    assert not verdict.passed
    assert verdict.rule_set == "test"
    assert verdict.label == "not certifiable"


def test_a_card_scored_under_another_overall_rule_is_refused():
    card = score(unit(14, 20), rule=MEAN)

    with pytest.raises(ValueError, match="score again with rule='pooled'"):
        evaluate(card, _rules(_criterion(K.OVERALL), rule=POOLED))


# Badges (LaQshya: >= 70 silver, > 80 gold, > 90 platinum)

LAQSHYA_BADGES = (
    Badge("silver", 70.0),
    Badge("gold", 80.0, strictly_above=True),
    Badge("platinum", 90.0, strictly_above=True),
)


@pytest.mark.parametrize(
    ("obtained", "badge"),
    [
        (6999, None),
        (7000, "silver"),
        (8000, "silver"),
        (8001, "gold"),
        (9000, "gold"),
        (9001, "platinum"),
        (10000, "platinum"),
    ],
)
def test_badge_is_the_highest_level_the_overall_score_reaches(obtained, badge):
    card = score(unit(obtained, 10000), rule=POOLED)
    rules = _rules(_criterion(K.OVERALL), badges=LAQSHYA_BADGES)

    verdict = evaluate(card, rules)

    assert verdict.badge == badge
    assert verdict.label == (badge or "not certifiable")


def test_badges_are_ranked_by_threshold_not_by_listing_order():
    card = score(unit(19, 20), rule=POOLED)
    rules = _rules(_criterion(K.OVERALL), badges=reversed(LAQSHYA_BADGES))

    assert evaluate(card, rules).badge == "platinum"


def test_no_badge_when_a_criterion_fails_however_high_the_overall():
    checkpoints = unit(200, 200, department="OPD") + unit(1, 4, department="IPD")
    card = score(checkpoints, rule=POOLED)  # overall 201/204 = 98.5%
    rules = _rules(_criterion(K.OVERALL), _criterion(K.EACH_DEPARTMENT), badges=LAQSHYA_BADGES)

    verdict = evaluate(card, rules)

    assert not verdict.passed
    assert verdict.badge is None


def test_badges_under_the_mean_rule_use_the_mean_of_departments():
    # OPD 100%, IPD 80%: pooled would be above 80, the mean is exactly 90 -> gold, not
    # platinum.
    checkpoints = unit(20, 20, department="OPD") + unit(160, 200, department="IPD")
    card = score(checkpoints, rule=MEAN)
    rules = _rules(_criterion(K.OVERALL), rule=MEAN, badges=LAQSHYA_BADGES)

    assert evaluate(card, rules).badge == "gold"


def test_a_rule_set_without_badges_gives_no_badge_and_says_certifiable():
    card = score(unit(20, 20), rule=POOLED)

    verdict = _judge(card, _criterion(K.OVERALL))

    assert verdict.badge is None
    assert verdict.label == "certifiable"


def test_largest_gap_is_the_worst_failed_criterion_in_points():
    from srishti.scoring.criteria import largest_gap
    from srishti.scoring.types import Criterion, CriterionKind, CriterionResult, Verdict

    overall = Criterion(CriterionKind.OVERALL, 70.0)
    standard = Criterion(CriterionKind.EACH_STANDARD, 50.0)
    area = Criterion(CriterionKind.EACH_AREA, 70.0)
    verdict = Verdict("x", False, (CriterionResult(overall, 65.0, False),
                                   CriterionResult(standard, 42.5, False),
                                   CriterionResult(area, 80.0, True)))
    assert largest_gap(verdict) == 7.5
    assert largest_gap(Verdict("x", True, (CriterionResult(area, 80.0, True),))) is None
    nothing = Verdict("x", False, (CriterionResult(overall, None, False),))
    assert largest_gap(nothing) == 70.0


def test_point_step_is_the_smallest_positive_level():
    from srishti.scoring.criteria import point_step

    assert point_step([0, 1, 2]) == 1.0
    assert point_step([0, 0.5, 1]) == 0.5
    assert point_step([0, 2]) == 2.0
    assert point_step([]) == 1.0
