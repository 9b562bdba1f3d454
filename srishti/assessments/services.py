"""Writes to assessments, their responses and their stored scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from srishti.checklists.models import Checkpoint, ChecklistVersion
from srishti.core.errors import DomainError
from srishti.geography.models import Facility
from srishti.scoring.criteria import evaluate
from srishti.scoring.engine import score
from srishti.scoring.serialize import verdict_to_dict
from srishti.scoring.types import CheckpointScore, OverallRule, ScoreCard

from .models import Assessment, AssessmentScore, Response, ScoreRow


def assessment_create(
    *,
    facility: Facility,
    version: ChecklistVersion,
    kind: str = Assessment.Kind.INTERNAL,
    start_date: dt.date,
    end_date: dt.date | None = None,
    assessor_names: str = "",
    series: str = "",
    source_file: str = "",
) -> Assessment:
    """Open an assessment of a facility against a published checklist of its type."""
    if version.facility_type != facility.facility_type:
        raise DomainError(
            f"checklist {version} is for {version.facility_type} facilities, "
            f"but {facility.name} is a {facility.facility_type}"
        )
    if kind not in Assessment.Kind.values:
        raise DomainError(f"unknown assessment type {kind!r}; expected one of "
                          f"{', '.join(Assessment.Kind.values)}")
    if end_date and end_date < start_date:
        raise DomainError("the end date is before the start date")
    assessment = Assessment.objects.create(
        facility=facility, version=version, kind=kind, start_date=start_date,
        end_date=end_date, assessor_names=assessor_names, series=series,
        source_file=source_file,
    )
    assessment_rescore(assessment=assessment)
    return assessment


@transaction.atomic
def responses_import(
    *, assessment: Assessment, answers: Iterable[tuple[int, float | None, str]]
) -> int:
    """Write (checkpoint id, value or None for NA, remark) answers in bulk, then rescore.

    Meant for whole-workbook imports into a new assessment; the capture pages write one
    response at a time with their own revision checks.
    """
    levels = {Decimal(str(v)) for v in assessment.version.levels}
    rows = []
    for checkpoint_id, value, remark in answers:
        decimal_value = None if value is None else Decimal(str(value))
        if decimal_value is not None and decimal_value not in levels:
            raise DomainError(f"score {value} is not one of the allowed levels")
        rows.append(Response(assessment=assessment, checkpoint_id=checkpoint_id,
                             value=decimal_value, remark=remark))
    Response.objects.bulk_create(rows, batch_size=2000)
    assessment_rescore(assessment=assessment)
    return len(rows)


def fetch_checkpoint_scores(assessment: Assessment) -> tuple[list[CheckpointScore], list[str]]:
    """Load an assessment's answers as scoring input: two queries, no per-row work."""
    version = assessment.version
    full = version.full_score
    departments = list(version.departments.order_by("order").values_list("name", flat=True))
    rows = Response.objects.filter(assessment=assessment).values_list(
        "value",
        "checkpoint__department__name",
        "checkpoint__standard__area__letter",
        "checkpoint__standard__code",
    )
    scores = [
        CheckpointScore(department=dept, area=area, standard=std,
                        value=None if value is None else float(value), full=full)
        for value, dept, area, std in rows.iterator(chunk_size=4000)
    ]
    return scores, departments


def assessment_scorecard(assessment: Assessment) -> ScoreCard:
    scores, departments = fetch_checkpoint_scores(assessment)
    return score(scores, rule=OverallRule(assessment.version.overall_rule),
                 department_order=departments)


@transaction.atomic
def assessment_rescore(*, assessment: Assessment) -> AssessmentScore:
    """Score an assessment from its responses and store every figure pages read."""
    version = assessment.version
    card = assessment_scorecard(assessment)
    rule_set = version.rule_set.as_rule_set() if version.rule_set_id else None
    step = min((float(v) for v in version.levels if float(v) > 0), default=1.0)
    verdict = evaluate(card, rule_set, point_step=step) if rule_set else None

    department_ids = dict(version.departments.values_list("name", "id"))
    rows = []
    for dep in card.departments:
        dep_id = department_ids[dep.name]
        rows.append(_row(assessment, dep_id, ScoreRow.Level.DEPARTMENT, "", dep.tally))
        rows += [_row(assessment, dep_id, ScoreRow.Level.AREA, code, t)
                 for code, t in dep.areas.items()]
        rows += [_row(assessment, dep_id, ScoreRow.Level.STANDARD, code, t)
                 for code, t in dep.standards.items()]
    rows += [_row(assessment, None, ScoreRow.Level.AREA, code, t) for code, t in card.areas.items()]
    rows += [_row(assessment, None, ScoreRow.Level.STANDARD, code, t)
             for code, t in card.standards.items()]
    ScoreRow.objects.filter(assessment=assessment).delete()
    ScoreRow.objects.bulk_create(rows, batch_size=2000)

    total = Checkpoint.objects.filter(version=version).count()
    stored, _ = AssessmentScore.objects.update_or_create(
        assessment=assessment,
        defaults={
            "rule": card.rule.value,
            "overall": card.overall,
            "pooled": card.facility.score,
            "mean_of_departments": card.mean_of_departments,
            "obtained": card.facility.obtained,
            "maximum": card.facility.maximum,
            "checkpoints_total": total,
            "checkpoints_answered": card.facility.scored + card.facility.not_applicable,
            "rule_set": rule_set.code if rule_set else "",
            "passed": verdict.passed if verdict else None,
            "verdict": verdict_to_dict(verdict) if verdict else {},
        },
    )
    assessment.score = stored  # callers holding the assessment see the new figures
    return stored


def _row(assessment, department_id, level, code, tally) -> ScoreRow:
    return ScoreRow(
        assessment=assessment, department_id=department_id, level=level, code=code,
        obtained=tally.obtained, maximum=tally.maximum, scored=tally.scored,
        not_applicable=tally.not_applicable, score=tally.score,
    )
