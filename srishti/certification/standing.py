"""Stored standings: each facility's latest submitted assessment per tool and kind.

The rule is `scoring.standing.standings_of`; this module keeps its result in
`FacilityStanding` rows, so that a state dashboard reads one row per facility instead of
ranking every assessment of the state. It is the only writer of those rows: on submit
and reopen (signals of the assessments app) and when an assessment is deleted; `srishti
demo`, the benchmark generator and the data migration rebuild them in bulk.

Readers ask `current_standings` (the one row per facility and tool that figures count)
or `open_assessments` (the assessments still in progress, shown with their completion
and counted nowhere).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from srishti.assessments.models import Assessment, AssessmentScore
from srishti.checklists.models import ChecklistVersion
from srishti.geography.models import Facility
from srishti.scoring.standing import Candidate, standings_of

from .models import FacilityStanding

SUBMITTED = Assessment.Status.SUBMITTED

_FIELDS = ("assessment_id", "kind", "start_date", "status", "facility_id",
           "version__tool_id")


def _rows(candidates: list[tuple], scores: dict[int, tuple]) -> list[FacilityStanding]:
    """The standing rows of one facility and tool from its submitted assessments."""
    found = standings_of(Candidate(*c[:4]) for c in candidates)
    facility_id, tool_id = candidates[0][4], candidates[0][5]
    rows = []
    for kind, c in found.by_kind.items():
        overall, passed, gap, answered, total = scores.get(c.assessment_id,
                                                           (None, None, None, 0, 0))
        rows.append(FacilityStanding(
            facility_id=facility_id, tool_id=tool_id, kind=kind,
            assessment_id=c.assessment_id, current=c == found.current,
            assessed_on=c.start_date, overall=overall, passed=passed, largest_gap=gap,
            checkpoints_answered=answered, checkpoints_total=total))
    return rows


def _scores(assessment_ids: Iterable[int]) -> dict[int, tuple]:
    return {pk: rest for pk, *rest in AssessmentScore.objects
            .filter(assessment_id__in=list(assessment_ids))
            .values_list("assessment_id", "overall", "passed", "largest_gap",
                         "checkpoints_answered", "checkpoints_total")}


@transaction.atomic
def standing_refresh(*, facility_id: int, tool_id: int) -> FacilityStanding | None:
    """Rewrite a facility's standings for a tool from its submitted assessments; return
    the current one (None when nothing submitted is left). A handful of queries."""
    # One refresh at a time per facility: two submissions racing would both rewrite the
    # rows and collide on their unique constraints (SQLite serialises writers anyway).
    list(Facility.objects.select_for_update().filter(pk=facility_id).values_list("pk"))
    candidates = [
        (pk, kind, start, status, facility_id, tool_id)
        for pk, kind, start, status in Assessment.objects
        .filter(facility_id=facility_id, version__tool_id=tool_id, status=SUBMITTED)
        .order_by().values_list("id", "kind", "start_date", "status")]
    FacilityStanding.objects.filter(facility_id=facility_id, tool_id=tool_id).delete()
    if not candidates:
        return None
    rows = _rows(candidates, _scores(c[0] for c in candidates))
    FacilityStanding.objects.bulk_create(rows)
    return next((r for r in rows if r.current), None)


def standing_refresh_for(assessment: Assessment) -> None:
    standing_refresh(facility_id=assessment.facility_id,
                     tool_id=assessment.version.tool_id)


@transaction.atomic
def standings_rebuild(*, facility_ids: Iterable[int] | None = None) -> int:
    """Rebuild every standing (or those of some facilities) in bulk; returns the rows."""
    assessments = Assessment.objects.filter(status=SUBMITTED)
    standing_rows = FacilityStanding.objects.all()
    if facility_ids is not None:
        ids = list(facility_ids)
        assessments = assessments.filter(facility_id__in=ids)
        standing_rows = standing_rows.filter(facility_id__in=ids)
    groups: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for row in (assessments.order_by()
                .values_list("id", "kind", "start_date", "status", "facility_id",
                             "version__tool_id")):
        groups[(row[4], row[5])].append(row)
    scores = {pk: rest for pk, *rest in AssessmentScore.objects
              .filter(assessment__in=assessments)
              .values_list("assessment_id", "overall", "passed", "largest_gap",
                           "checkpoints_answered", "checkpoints_total")}
    standing_rows.delete()
    rows = [r for candidates in groups.values() for r in _rows(candidates, scores)]
    FacilityStanding.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def current_standings(facilities: QuerySet[Facility], *, tool_code: str | None = None,
                      tool_id: int | None = None) -> QuerySet[FacilityStanding]:
    """The one counted row per facility (of these) for a tool: what every figure reads."""
    qs = FacilityStanding.objects.filter(current=True, facility__in=facilities)
    if tool_id is not None:
        qs = qs.filter(tool_id=tool_id)
    if tool_code is not None:
        qs = qs.filter(tool__code=tool_code)
    return qs


def open_assessments(facilities: QuerySet[Facility], *, tool_code: str | None = None,
                     tool_id: int | None = None) -> QuerySet[Assessment]:
    """Assessments still being filled in (drafts and in progress): shown as "in progress"
    with their completion, never counted."""
    qs = Assessment.objects.filter(facility__in=facilities).exclude(status=SUBMITTED)
    if tool_id is not None:
        qs = qs.filter(version__tool_id=tool_id)
    if tool_code is not None:
        qs = qs.filter(version__tool__code=tool_code)
    return qs


# --- receivers (connected in certification.apps) -----------------------------------------

def on_submitted_or_reopened(sender, *, assessment: Assessment, **kwargs) -> None:
    standing_refresh_for(assessment)


def on_assessment_deleted(sender, *, instance: Assessment, **kwargs) -> None:
    if instance.status == SUBMITTED:
        tool_id = (ChecklistVersion.objects.filter(pk=instance.version_id)
                   .values_list("tool_id", flat=True).first())
        if tool_id is not None and Facility.objects.filter(pk=instance.facility_id).exists():
            standing_refresh(facility_id=instance.facility_id, tool_id=tool_id)
