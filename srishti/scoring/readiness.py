"""Readiness forecast: the first day on which an assessment would pass if planned
improvements were made on the days they are due.

Pure, no Django. Each improvement raises one checkpoint to a level on a day; raising
never lowers a pooled figure (an NA stays NA, every maximum stays), so "passes on day d"
can only go from false to true as days go by, and the first passing day is found by
bisection over the distinct days: a handful of rescorings with the engine, however many
improvements there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from srishti.scoring.criteria import evaluate
from srishti.scoring.engine import score
from srishti.scoring.types import CheckpointScore, RuleSet, Theme, Verdict

__all__ = ["Forecast", "Improvement", "forecast_readiness"]


class Improvement(NamedTuple):
    """Checkpoint `position` (in the caller's list) reaches `value` on `day`."""

    position: int
    value: float
    day: dt.date


class Forecast(NamedTuple):
    # The first day on which every criterion passes; None when it passes already, or
    # when it never does with these improvements.
    day: dt.date | None
    passes_already: bool
    # The verdict once every improvement is made (what still fails when day is None).
    final: Verdict
    # How many improvements are in place by `day` (all of them when day is None).
    needed: int


def _apply(checkpoints: Sequence[CheckpointScore], improvements: Sequence[Improvement]
           ) -> list[CheckpointScore]:
    changed = list(checkpoints)
    for improvement in improvements:
        cp = changed[improvement.position]
        # An NA stays NA, and an improvement below today's answer changes nothing.
        if cp.value is not None and improvement.value > cp.value:
            changed[improvement.position] = cp._replace(value=min(improvement.value, cp.full))
    return changed


def forecast_readiness(
    checkpoints: Sequence[CheckpointScore],
    improvements: Sequence[Improvement],
    rule_set: RuleSet,
    *,
    department_order: Sequence[str] | None = None,
    point_step: float = 1.0,
) -> Forecast:
    """When every criterion of `rule_set` first passes, applying each improvement on its
    day (and every earlier one with it)."""

    # Checkpoints name their mandatory themes by name (see planner.PlanCheckpoint).
    names = dict.fromkeys(name for cp in checkpoints for name in cp.themes)
    themes = [Theme(name, name, mandatory=True) for name in names]

    def verdict_on(count: int) -> Verdict:
        card = score(_apply(checkpoints, ordered[:count]), rule=rule_set.overall_rule,
                     department_order=department_order, themes=themes)
        return evaluate(card, rule_set, point_step=point_step)

    ordered = sorted(improvements, key=lambda i: i.day)
    now = verdict_on(0)
    if now.passed:
        return Forecast(None, True, now, 0)
    # Candidate cut points: after the last improvement of each distinct day.
    cuts = [n for n in range(1, len(ordered) + 1)
            if n == len(ordered) or ordered[n].day != ordered[n - 1].day]
    final = verdict_on(len(ordered)) if cuts else now
    if not final.passed:
        return Forecast(None, False, final, len(ordered))
    low, high = 0, len(cuts) - 1  # the answer is cuts[high]; search the first passing
    while low < high:
        middle = (low + high) // 2
        if verdict_on(cuts[middle]).passed:
            high = middle
        else:
            low = middle + 1
    needed = cuts[low]
    return Forecast(ordered[needed - 1].day, False, final, needed)
