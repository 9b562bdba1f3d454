"""What counts in a figure, and how sure a verdict is: the one definition.

- A facility's *standing* for a tool is its latest SUBMITTED assessment of each kind;
  the newest of those (by start date, then id) is its *current* standing, the one that
  dashboards, rankings, targets, alerts, reports and readiness count. An assessment not
  yet submitted is "in progress" with its completion, and counts nowhere.
- A verdict on an assessment with unanswered checkpoints is *provisional*.
- A criterion whose units have no score at all has nothing to judge: "not yet judged",
  never "met" (nor "not met").

Pure Python (no Django): the certification app stores standings from `standings_of`, and
pages ask `criterion_status` and `Completeness` how to word a verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

__all__ = [
    "Candidate",
    "Completeness",
    "CriterionStatus",
    "Standings",
    "counts",
    "criterion_status",
    "standings_of",
]

SUBMITTED = "submitted"


class Candidate(NamedTuple):
    """An assessment of one facility and one tool, as far as counting goes."""

    assessment_id: int
    kind: str
    start_date: dt.date
    status: str


class Standings(NamedTuple):
    """A facility's standings for one tool: the counted assessment of each kind, and the
    newest of them (None when nothing was submitted)."""

    by_kind: Mapping[str, Candidate]
    current: Candidate | None


def counts(status: str) -> bool:
    """Whether an assessment in this status counts in any figure: only when submitted."""
    return status == SUBMITTED


def _newest(c: Candidate) -> tuple[dt.date, int]:
    return (c.start_date, c.assessment_id)


def standings_of(candidates: Iterable[Candidate]) -> Standings:
    """The latest submitted assessment of each kind, and the newest of those."""
    by_kind: dict[str, Candidate] = {}
    for c in candidates:
        if not counts(c.status):
            continue
        held = by_kind.get(c.kind)
        if held is None or _newest(c) > _newest(held):
            by_kind[c.kind] = c
    current = max(by_kind.values(), key=_newest) if by_kind else None
    return Standings(by_kind, current)


class Completeness(NamedTuple):
    """How many of an assessment's checkpoints are answered (a score or NA)."""

    answered: int
    total: int

    @property
    def unanswered(self) -> int:
        return max(self.total - self.answered, 0)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.unanswered == 0

    @property
    def provisional(self) -> bool:
        """A verdict on this assessment may still change: checkpoints are unanswered."""
        return not self.complete

    @property
    def percent(self) -> float | None:
        return 100.0 * self.answered / self.total if self.total else None


class CriterionStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_JUDGED = "not_judged"


def criterion_status(criterion: Mapping[str, Any]) -> CriterionStatus:
    """The status of one judged criterion, from its stored form (`criterion_to_dict`).

    Its `value` is the lowest figure among its units; None means no unit had a score
    (nothing answered, or all NA), so there was nothing to judge. The overall criterion
    of an empty assessment is failed by `evaluate` (so it is never certifiable) but is
    reported as not yet judged all the same: no figure stands behind it.
    """
    if criterion.get("value") is None:
        return CriterionStatus.NOT_JUDGED
    return CriterionStatus.MET if criterion.get("passed") else CriterionStatus.NOT_MET
