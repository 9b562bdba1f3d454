"""Whether a facility is certification-ready: the ONE place campaigns ask it.

The facility's latest SUBMITTED assessment of the tool (by start date, on or before the
day asked about) passes the certification rule set of its checklist, as stored when it
was scored. Drafts and assessments still being filled in never count. It is read from
the stored standings (certification.standing: one row per facility and tool); only a
facility whose current standing started after the day asked about (a past week's
figures) is looked up among its earlier submitted assessments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from srishti.assessments.models import Assessment, AssessmentScore
from srishti.certification.models import FacilityStanding


@dataclass(frozen=True)
class Readiness:
    ready: bool
    assessment_id: int | None = None
    # Percentage points the worst failed criterion misses its threshold by (not ready).
    points_short: float | None = None


NOT_ASSESSED = Readiness(False)


def _readiness(assessment_id: int, passed: bool | None, gap: float | None) -> Readiness:
    return Readiness(passed is True, assessment_id, None if passed else gap)


def readiness(*, facility_ids: Iterable[int], tool_id: int, as_of: dt.date
              ) -> dict[int, Readiness]:
    """{facility id: Readiness} for these facilities (absent: no submitted assessment of
    the tool by `as_of`). One query, two for a day before some current standings."""
    ids = list(facility_ids)
    found, earlier = {}, []
    for facility_id, assessment_id, started, passed, gap in (
            FacilityStanding.objects.filter(facility_id__in=ids, tool_id=tool_id, current=True)
            .values_list("facility_id", "assessment_id", "assessed_on", "passed",
                         "largest_gap")):
        if started <= as_of:
            found[facility_id] = _readiness(assessment_id, passed, gap)
        else:
            earlier.append(facility_id)
    if earlier:
        latest = (AssessmentScore.objects
                  .filter(assessment__facility_id__in=earlier,
                          assessment__version__tool_id=tool_id,
                          assessment__status=Assessment.Status.SUBMITTED,
                          assessment__start_date__lte=as_of)
                  .annotate(rank=Window(RowNumber(), partition_by=F("assessment__facility_id"),
                                        order_by=[F("assessment__start_date").desc(),
                                                  F("assessment_id").desc()]))
                  .filter(rank=1)
                  .values_list("assessment__facility_id", "assessment_id", "passed",
                               "largest_gap"))
        for facility_id, assessment_id, passed, gap in latest:
            found[facility_id] = _readiness(assessment_id, passed, gap)
    return found
