"""The arithmetic of an indicator: every multiplier, every validation rule, the control
limits. Pure functions: no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from srishti.indicators.formulas import (
    CONTROL_CHART_MIN_MONTHS,
    Direction,
    Finding,
    Flag,
    Limits,
    Problem,
    Rules,
    beyond_limits,
    check,
    control_limits,
    flags,
    pooled,
    value,
)


@pytest.mark.parametrize("multiplier,expected", [
    (1, 4.5),  # average length of stay: 45 patient-days / 10 discharges
    (100, 450.0),
    (1_000, 4_500.0),
    (100_000, 450_000.0),
])
def test_value_is_numerator_over_denominator_times_the_multiplier(multiplier, expected):
    assert value(multiplier, D(45), D(10)) == expected


def test_each_multiplier_gives_the_published_figure():
    assert value(100, D(12), D(60)) == 20.0  # C-section rate: 12 LSCS of 60 deliveries
    assert value(1_000, D(3), D(400)) == 7.5  # 3 neonatal deaths per 400 live births
    assert value(100_000, D(1), D(2_000)) == 50.0  # 1 maternal death per 2,000 live births
    assert value(1, D(310), D(100)) == 3.1  # 310 patient-days / 100 discharges


def test_the_multiplier_changes_the_figure_a_thousandfold_not_silently():
    # The published slip: x100 where x1,000 was meant gives a tenth of the true rate.
    assert value(1_000, D(3), D(400)) == 10 * value(100, D(3), D(400))


def test_an_unknown_multiplier_is_refused():
    with pytest.raises(ValueError):
        value(10, D(1), D(2))
    with pytest.raises(ValueError):
        Rules(multiplier=50)


def test_a_zero_denominator_gives_no_value():
    assert value(100, D(0), D(0)) is None


def test_decimal_arithmetic_keeps_exact_figures():
    assert value(100, D(1), D(3)) == pytest.approx(33.333333333)
    assert value(100, D("0.1"), D("0.3")) == pytest.approx(33.333333333)


PART = Rules(multiplier=100)  # counts, numerator a part of the denominator
RATIO = Rules(multiplier=100, numerator_le_denominator=False)  # bed occupancy
HOURS = Rules(multiplier=1, numerator_le_denominator=False, numerator_whole=False)


def problems(rules, n, d):
    return [(f.problem, f.field) for f in check(rules, n, d)]


def test_good_figures_pass():
    assert check(PART, D(12), D(60)) == []
    assert check(RATIO, D(3100), D(3000)) == []  # occupancy above 100% is possible
    assert check(HOURS, D("12.5"), D(4)) == []


def test_numerator_above_denominator_is_refused_where_it_is_a_part():
    assert problems(PART, D(61), D(60)) == [(Problem.NUMERATOR_ABOVE_DENOMINATOR, "numerator")]
    assert problems(PART, D(60), D(60)) == []  # equal is allowed: every delivery a C-section


def test_numerator_above_denominator_is_allowed_where_it_is_not_a_part():
    assert problems(RATIO, D(61), D(60)) == []


def test_counts_must_be_whole_numbers():
    assert problems(PART, D("12.5"), D(60)) == [(Problem.NOT_WHOLE, "numerator")]
    assert problems(PART, D(12), D("60.5")) == [(Problem.NOT_WHOLE, "denominator")]
    assert problems(PART, D("12.0"), D("60.00")) == []  # 12.0 is a whole number


def test_fractions_are_allowed_where_the_figure_is_not_a_count():
    assert problems(HOURS, D("12.25"), D(4)) == []
    assert problems(HOURS, D(12), D("4.5")) == [(Problem.NOT_WHOLE, "denominator")]


def test_negative_figures_are_refused():
    assert problems(PART, D(-1), D(60)) == [(Problem.NEGATIVE, "numerator")]
    assert (Problem.NEGATIVE, "denominator") in problems(RATIO, D(1), D(-60))


def test_one_figure_without_the_other_is_refused():
    assert problems(PART, D(1), None) == [(Problem.MISSING_DENOMINATOR, "denominator")]
    assert problems(PART, None, D(1)) == [(Problem.MISSING_NUMERATOR, "numerator")]


def test_both_blank_is_no_report_and_no_problem():
    assert check(PART, None, None) == []


def test_a_zero_denominator_takes_only_a_zero_numerator():
    assert check(PART, D(0), D(0)) == []
    assert problems(RATIO, D(5), D(0)) == [(Problem.ZERO_DENOMINATOR, "denominator")]


def test_more_than_two_decimals_and_huge_figures_are_refused_before_the_database():
    assert problems(HOURS, D("1.125"), D(2)) == [(Problem.TOO_PRECISE, "numerator")]
    assert problems(HOURS, D("1E+13"), D(2)) == [(Problem.TOO_LARGE, "numerator")]
    assert problems(HOURS, D("NaN"), D(2)) == [(Problem.TOO_LARGE, "numerator")]
    assert problems(HOURS, D("1.10"), D(2)) == []  # a trailing zero is not a third decimal


def test_pooling_sums_numerators_and_denominators():
    # 1/10 and 9/90 are 10% each; 1/1 and 0/99 pool to 1%, not the 50% a mean would say.
    assert pooled(100, [1, 9], [10, 90]) == 10.0
    assert pooled(100, [1, 0], [1, 99]) == 1.0
    assert pooled(100, [0], [0]) is None


def test_no_control_limits_below_twelve_months():
    assert control_limits([5.0] * (CONTROL_CHART_MIN_MONTHS - 1)) is None
    assert control_limits([5.0] * 11 + [None] * 5) is None
    assert control_limits([5.0] * CONTROL_CHART_MIN_MONTHS) is not None


def test_control_limits_use_the_mean_moving_range_over_1_128():
    values = [10.0, 12.0] * 6  # moving ranges all 2
    limits = control_limits(values)
    assert limits.mean == 11.0
    assert limits.sigma == pytest.approx(2 / 1.128)
    assert limits.upper == pytest.approx(11 + 3 * 2 / 1.128)
    assert limits.lower == pytest.approx(11 - 3 * 2 / 1.128)
    assert limits.months == 12


def test_control_limits_skip_missing_months_and_clip_to_what_the_indicator_can_take():
    values = [1.0, 9.0] * 6 + [None]
    limits = control_limits(values, floor=0.0, ceiling=10.0)
    assert limits.lower == 0.0 and limits.upper == 10.0


def test_flags_say_why_a_value_is_out_of_range():
    limits = Limits(mean=10, sigma=1, upper=13, lower=7, months=12)
    assert flags(20.0, direction=Direction.LOWER, benchmark=15, limits=limits) == [
        Flag.WORSE_THAN_BENCHMARK, Flag.ABOVE_UPPER_LIMIT]
    assert flags(12.0, direction=Direction.LOWER, benchmark=15, limits=limits) == []
    assert flags(60.0, direction=Direction.HIGHER, benchmark=80, limits=None) == [
        Flag.WORSE_THAN_BENCHMARK]
    assert flags(6.0, direction=Direction.HIGHER, benchmark=None, limits=limits) == [
        Flag.BELOW_LOWER_LIMIT]
    assert flags(None, direction=Direction.HIGHER, benchmark=80, limits=limits) == []


def test_a_jump_to_the_better_side_of_the_limits_is_no_flag():
    limits = Limits(mean=10, sigma=1, upper=13, lower=7, months=12)
    assert flags(20.0, direction=Direction.HIGHER, benchmark=5, limits=limits) == []
    assert flags(2.0, direction=Direction.LOWER, benchmark=15, limits=limits) == []
    assert beyond_limits(20.0, limits) and beyond_limits(2.0, limits)
    assert not beyond_limits(10.0, limits) and not beyond_limits(20.0, None)


def test_finding_names_its_field():
    assert Finding(Problem.NEGATIVE, "numerator").field == "numerator"


def test_the_chart_axis_starts_at_zero_unless_the_figures_sit_far_above_it():
    from srishti.indicators.charts import axis

    assert axis(1.2, 3.4) == (0.0, 4.0, 1.0)
    bottom, top, step = axis(75.0, 82.0)
    assert 70 <= bottom < 75 and 82 < top <= 85 and step in (1, 2, 2.5)
    assert axis(0.0, 0.0)[0] == 0.0


def test_month_labels_end_on_the_last_month_evenly_spaced():
    from srishti.indicators.charts import _x_labels

    assert _x_labels(24) == [2, 5, 8, 11, 14, 17, 20, 23]
    assert _x_labels(6) == [0, 1, 2, 3, 4, 5]
    assert _x_labels(1) == [0]
