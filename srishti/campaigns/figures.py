"""A campaign facility's figures on a day: what a weekly snapshot keeps and what the
campaign page shows live for the week in progress. One function for both, so a snapshot
and the live figures never differ in what they count.

As of a day, for the campaign's tool:
- answered checkpoints and score: the facility's latest assessment started by then,
  whatever its status (a campaign follows assessments while they are being filled in);
- open and closed action items: those of the facility's assessments started by then,
  with their status when the figures are taken (open: open or in progress; closed: done
  or verified);
- ready: campaigns.readiness (the latest submitted assessment passes its rule set); a
  "score" goal is met by the score of that same submitted assessment, never by one still
  being filled in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from srishti.assessments.models import AssessmentScore
from srishti.improvement.models import ActionItem, ActionStatus

from .models import Campaign, Goal
from .readiness import NOT_ASSESSED, readiness

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.VERIFIED)


@dataclass
class Figures:
    assessment_id: int | None = None
    assessment_kind: str = ""
    assessed_on: dt.date | None = None
    answered: int = 0
    checkpoints: int = 0
    score: float | None = None
    open_actions: int = 0
    closed_actions: int = 0
    ready: bool = False
    points_short: float | None = None
    # The score of the latest SUBMITTED assessment: what a "score" goal counts (the score
    # above follows an assessment still being filled in, and counts nowhere).
    counted_score: float | None = None
    meets_goal: bool = False

    @property
    def answered_percent(self) -> float | None:
        return 100 * self.answered / self.checkpoints if self.checkpoints else None

    @property
    def closed_percent(self) -> float | None:
        total = self.open_actions + self.closed_actions
        return 100 * self.closed_actions / total if total else None


def meets_goal(campaign: Campaign, f: Figures) -> bool:
    if campaign.goal == Goal.CERTIFICATION_READY:
        return f.ready
    if campaign.goal == Goal.SCORE:
        return f.counted_score is not None and f.counted_score >= campaign.goal_value
    closed = f.closed_percent
    return closed is not None and closed >= campaign.goal_value


def figures(*, campaign: Campaign, facility_ids: Iterable[int], as_of: dt.date
            ) -> dict[int, Figures]:
    """{facility id: Figures} as of a day, for every facility given. Three queries."""
    ids = list(facility_ids)
    found = {pk: Figures() for pk in ids}
    latest = (AssessmentScore.objects
              .filter(assessment__facility_id__in=ids,
                      assessment__version__tool_id=campaign.tool_id,
                      assessment__start_date__lte=as_of)
              .annotate(rank=Window(RowNumber(), partition_by=F("assessment__facility_id"),
                                    order_by=[F("assessment__start_date").desc(),
                                              F("assessment_id").desc()]))
              .filter(rank=1)
              .values_list("assessment__facility_id", "assessment_id", "assessment__kind",
                           "assessment__start_date", "checkpoints_answered",
                           "checkpoints_total", "overall"))
    for facility_id, assessment_id, kind, start, answered, total, overall in latest:
        f = found[facility_id]
        f.assessment_id, f.assessment_kind, f.assessed_on = assessment_id, kind, start
        f.answered, f.checkpoints, f.score = answered, total, overall
    actions = (ActionItem.objects
               .filter(facility_id__in=ids, assessment__version__tool_id=campaign.tool_id,
                       assessment__start_date__lte=as_of)
               .values("facility_id", "status").annotate(n=Count("id")).order_by())
    for row in actions:
        f = found[row["facility_id"]]
        if row["status"] in OPEN_STATUSES:
            f.open_actions += row["n"]
        elif row["status"] in CLOSED_STATUSES:
            f.closed_actions += row["n"]
    ready = readiness(facility_ids=ids, tool_id=campaign.tool_id, as_of=as_of)
    for pk, f in found.items():
        r = ready.get(pk, NOT_ASSESSED)
        f.ready, f.points_short, f.counted_score = r.ready, r.points_short, r.score
        f.meets_goal = meets_goal(campaign, f)
    return found
