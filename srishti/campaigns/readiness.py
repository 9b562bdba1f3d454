"""Whether a facility is certification-ready: the ONE place campaigns ask it.

For now: the facility's latest SUBMITTED assessment of the tool (by start date, on or
before the day asked about) passes the certification rule set of its checklist, as
stored when it was scored. Drafts and assessments still being filled in never count.
When a stored standing per facility exists (latest submitted assessment per tool and
kind, with completeness), this function is the one to switch to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from srishti.assessments.models import Assessment, AssessmentScore


@dataclass(frozen=True)
class Readiness:
    ready: bool
    assessment_id: int | None = None
    # Percentage points the worst failed criterion misses its threshold by (not ready).
    points_short: float | None = None


NOT_ASSESSED = Readiness(False)


def readiness(*, facility_ids: Iterable[int], tool_id: int, as_of: dt.date
              ) -> dict[int, Readiness]:
    """{facility id: Readiness} for these facilities (absent: no submitted assessment of
    the tool by `as_of`). One query."""
    latest = (AssessmentScore.objects
              .filter(assessment__facility_id__in=list(facility_ids),
                      assessment__version__tool_id=tool_id,
                      assessment__status=Assessment.Status.SUBMITTED,
                      assessment__start_date__lte=as_of)
              .annotate(rank=Window(RowNumber(), partition_by=F("assessment__facility_id"),
                                    order_by=[F("assessment__start_date").desc(),
                                              F("assessment_id").desc()]))
              .filter(rank=1)
              .values_list("assessment__facility_id", "assessment_id", "passed",
                           "largest_gap"))
    return {facility_id: Readiness(passed is True, assessment_id,
                                   None if passed else gap)
            for facility_id, assessment_id, passed, gap in latest}
