"""The arithmetic of an outcome indicator, without Django: its value from a numerator and
a denominator, the checks a pair of figures must pass, and the control limits of a
monthly run.

An indicator is numerator / denominator x multiplier, and the multiplier is explicit
(x1, x100, x1,000, per lakh): published tools get it wrong in places (x100 where x1,000
was meant), so nothing here guesses it. Problems come back as codes with their figures;
the pages and the API put them into words, in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# The only multipliers an indicator may carry: a rate, a percentage, per thousand, per lakh.
MULTIPLIERS: tuple[int, ...] = (1, 100, 1_000, 100_000)

# What the database holds (DecimalField(max_digits=14, decimal_places=2)), checked here
# so that a wild figure is a message, not a database error.
MAX_FIGURE = Decimal("999999999999.99")
DECIMAL_PLACES = 2

# Months of data needed before a control chart means anything.
CONTROL_CHART_MIN_MONTHS = 12
# d2 for subgroups of two: the moving range of consecutive months estimates sigma as
# mean(MR) / 1.128 (the XmR, or individuals, chart).
D2 = 1.128


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better (bed occupancy, partograph use, satisfaction)
    LOWER = "lower"  # lower is better (LAMA, C-section, infection and death rates)


class Problem(StrEnum):
    MISSING_NUMERATOR = "missing_numerator"
    MISSING_DENOMINATOR = "missing_denominator"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    TOO_PRECISE = "too_precise"
    NOT_WHOLE = "not_whole"
    NUMERATOR_ABOVE_DENOMINATOR = "numerator_above_denominator"
    ZERO_DENOMINATOR = "zero_denominator"


@dataclass(frozen=True)
class Rules:
    """What an indicator demands of its figures."""

    multiplier: int
    numerator_le_denominator: bool = True  # a part of a whole (LSCS of all deliveries)
    numerator_whole: bool = True  # a count
    denominator_whole: bool = True

    def __post_init__(self) -> None:
        if self.multiplier not in MULTIPLIERS:
            raise ValueError(f"multiplier {self.multiplier} is not one of {MULTIPLIERS}")


@dataclass(frozen=True)
class Finding:
    """One problem with one figure ("numerator" or "denominator")."""

    problem: Problem
    field: str


def _figure_findings(figure: Decimal, field: str, whole: bool) -> list[Finding]:
    if not figure.is_finite():
        return [Finding(Problem.TOO_LARGE, field)]
    found = []
    if figure < 0:
        found.append(Finding(Problem.NEGATIVE, field))
    if abs(figure) > MAX_FIGURE:
        found.append(Finding(Problem.TOO_LARGE, field))
    exponent = figure.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DECIMAL_PLACES:
        found.append(Finding(Problem.TOO_PRECISE, field))
    if whole and figure != figure.to_integral_value():
        found.append(Finding(Problem.NOT_WHOLE, field))
    return found


def check(rules: Rules, numerator: Decimal | None, denominator: Decimal | None
          ) -> list[Finding]:
    """Every problem of a pair of figures; [] when they may be stored.

    Both blank is no report (nothing to check); one without the other is a problem. A
    zero denominator is accepted with a zero numerator (no deliveries, no C-sections:
    the rate is undefined, not wrong), never with a positive one.
    """
    if numerator is None and denominator is None:
        return []
    if numerator is None:
        return [Finding(Problem.MISSING_NUMERATOR, "numerator")]
    if denominator is None:
        return [Finding(Problem.MISSING_DENOMINATOR, "denominator")]
    found = (_figure_findings(numerator, "numerator", rules.numerator_whole)
             + _figure_findings(denominator, "denominator", rules.denominator_whole))
    if found:
        return found
    if denominator == 0 and numerator > 0:
        return [Finding(Problem.ZERO_DENOMINATOR, "denominator")]
    if rules.numerator_le_denominator and numerator > denominator:
        return [Finding(Problem.NUMERATOR_ABOVE_DENOMINATOR, "numerator")]
    return []


def value(multiplier: int, numerator: Decimal, denominator: Decimal) -> float | None:
    """numerator / denominator x multiplier, exact in decimals, then a float for charts;
    None when the denominator is zero (the rate is undefined that month)."""
    if multiplier not in MULTIPLIERS:
        raise ValueError(f"multiplier {multiplier} is not one of {MULTIPLIERS}")
    if denominator == 0:
        return None
    return float(Decimal(numerator) * multiplier / Decimal(denominator))


def pooled(multiplier: int, numerators: Sequence[Decimal | float],
           denominators: Sequence[Decimal | float]) -> float | None:
    """The value over several months or facilities: sum of numerators over sum of
    denominators (never a mean of rates, as the scoring rules pool points)."""
    total = float(sum(denominators))
    if total == 0:
        return None
    return float(sum(numerators)) * multiplier / total


# ---------------------------------------------------------------------------------------
# Control limits: an XmR (individuals) chart.
#
# Why XmR and not a p- or u-chart: the indicators are of several kinds (proportions such
# as the C-section rate, ratios such as bed occupancy, averages such as the length of
# stay, scores), and only the proportions have the binomial variance a p-chart assumes.
# With a hospital's large denominators a p-chart's limits are also far too narrow (the
# real month-to-month variation exceeds the binomial one), so nearly every month would
# be "out of control". The moving range measures the variation the facility really has,
# for every kind of indicator, with one pair of limits for the whole run.

@dataclass(frozen=True)
class Limits:
    mean: float
    sigma: float
    upper: float
    lower: float
    months: int


def control_limits(values: Sequence[float | None], *, floor: float | None = 0.0,
                   ceiling: float | None = None) -> Limits | None:
    """Mean and 3-sigma limits of a monthly run, sigma = mean moving range / 1.128.

    Months without a value are skipped (the moving range joins the months on either
    side). None below CONTROL_CHART_MIN_MONTHS values. The limits are clipped to what
    the indicator can take: `floor` (0 for every indicator here) and `ceiling` (the
    multiplier, for a part of a whole).
    """
    points = [v for v in values if v is not None and math.isfinite(v)]
    if len(points) < CONTROL_CHART_MIN_MONTHS:
        return None
    mean = sum(points) / len(points)
    ranges = [abs(b - a) for a, b in zip(points, points[1:], strict=False)]
    sigma = (sum(ranges) / len(ranges)) / D2
    upper, lower = mean + 3 * sigma, mean - 3 * sigma
    if floor is not None:
        lower = max(lower, floor)
    if ceiling is not None:
        upper = min(upper, ceiling)
    return Limits(mean=mean, sigma=sigma, upper=upper, lower=lower, months=len(points))


class Flag(StrEnum):
    WORSE_THAN_BENCHMARK = "worse_than_benchmark"
    ABOVE_UPPER_LIMIT = "above_upper_limit"
    BELOW_LOWER_LIMIT = "below_lower_limit"


def flags(latest: float | None, *, direction: Direction | str, benchmark: float | None,
          limits: Limits | None) -> list[Flag]:
    """Why a month's value is out of range: worse than the benchmark in the indicator's
    direction, or beyond the run's control limit on the worse side (more LAMA than the
    run explains, fewer deliveries monitored). A jump to the better side is a signal too,
    and the chart shows it, but it is nobody's work."""
    if latest is None:
        return []
    found = []
    higher = direction == Direction.HIGHER
    if benchmark is not None and (latest < benchmark if higher else latest > benchmark):
        found.append(Flag.WORSE_THAN_BENCHMARK)
    if limits is not None:
        if not higher and latest > limits.upper:
            found.append(Flag.ABOVE_UPPER_LIMIT)
        elif higher and latest < limits.lower:
            found.append(Flag.BELOW_LOWER_LIMIT)
    return found


def beyond_limits(value: float | None, limits: Limits | None) -> bool:
    """Whether a month lies outside its run's control limits, on either side."""
    return (value is not None and limits is not None
            and (value > limits.upper or value < limits.lower))
