"""Readiness forecast: the first day every criterion passes with improvements made on time."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from srishti.scoring.criteria import evaluate
from srishti.scoring.engine import score
from srishti.scoring.readiness import Improvement, forecast_readiness
from srishti.scoring.types import Criterion, CriterionKind, OverallRule, RuleSet

from .builders import cp

OVERALL_70 = RuleSet("test", OverallRule.POOLED, (Criterion(CriterionKind.OVERALL, 70.0),))
DAY = dt.date(2025, 1, 1)


def day(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def test_the_first_day_on_which_enough_improvements_are_in_place():
    # 4 of 10 points; 7 needed. Three 0 -> 2 on days 10, 20, 30: passes on day 20.
    cps = [cp(2.0), cp(2.0), cp(0.0), cp(0.0), cp(0.0)]
    improvements = [Improvement(4, 2.0, day(30)), Improvement(2, 2.0, day(10)),
                    Improvement(3, 2.0, day(20))]
    forecast = forecast_readiness(cps, improvements, OVERALL_70)

    assert forecast.day == day(20) and not forecast.passes_already
    assert forecast.needed == 2 and forecast.final.passed


def test_never_when_the_improvements_are_not_enough_and_the_final_verdict_says_why():
    cps = [cp(0.0), cp(0.0), cp(0.0)]
    forecast = forecast_readiness(cps, [Improvement(0, 2.0, day(5))], OVERALL_70)

    assert forecast.day is None and not forecast.passes_already
    assert not forecast.final.passed and forecast.final.criteria[0].value == 100 / 3


def test_an_assessment_that_passes_already_needs_no_day():
    forecast = forecast_readiness([cp(2.0)], [Improvement(0, 2.0, day(5))], OVERALL_70)
    assert forecast.passes_already and forecast.day is None and forecast.needed == 0


def test_na_stays_na_and_a_lower_target_changes_nothing():
    cps = [cp(None), cp(1.0), cp(2.0), cp(2.0)]
    improvements = [Improvement(0, 2.0, day(1)), Improvement(1, 0.0, day(2))]
    forecast = forecast_readiness(cps, improvements, RuleSet(
        "t", OverallRule.POOLED, (Criterion(CriterionKind.OVERALL, 90.0),)))
    assert forecast.day is None and forecast.final.criteria[0].value == 500 / 6


days = st.integers(0, 60).map(day)


@given(st.lists(st.sampled_from([0.0, 1.0, 2.0, None]), min_size=1, max_size=12),
       st.lists(st.tuples(st.integers(0, 11), st.sampled_from([1.0, 2.0]), days), max_size=12))
def test_the_day_found_is_the_first_day_a_day_by_day_rescoring_passes(values, raw):
    cps = [cp(v, standard=f"A{i % 3}") for i, v in enumerate(values)]
    improvements = [Improvement(i % len(cps), v, d) for i, v, d in raw]
    rule_set = RuleSet("t", OverallRule.POOLED, (Criterion(CriterionKind.OVERALL, 70.0),
                                                 Criterion(CriterionKind.EACH_STANDARD, 50.0)))
    forecast = forecast_readiness(cps, improvements, rule_set)

    def passes_on(d):
        changed = list(cps)
        for i in improvements:
            if i.day <= d and changed[i.position].value is not None:
                changed[i.position] = changed[i.position]._replace(
                    value=max(changed[i.position].value, i.value))
        return evaluate(score(changed, rule=OverallRule.POOLED), rule_set).passed

    first = next((d for d in sorted({i.day for i in improvements}) if passes_on(d)), None)
    if passes_on(day(-1)):
        assert forecast.passes_already and forecast.day is None
    else:
        assert forecast.day == first
