"""Writes to assessments, their responses and their stored scores."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from srishti.checklists.models import ChecklistVersion, Checkpoint
from srishti.core.errors import DomainError
from srishti.geography.models import Facility
from srishti.scoring.criteria import evaluate
from srishti.scoring.engine import score
from srishti.scoring.serialize import verdict_to_dict
from srishti.scoring.types import CheckpointScore, OverallRule, ScoreCard

from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentScore,
    Response,
    ResponseChange,
    ScoreRow,
)


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


@dataclass(frozen=True)
class SaveResult:
    """What became of one answer. On conflict nothing was written and `response` holds
    the answer someone else saved since the client last looked."""

    response: Response
    conflict: bool = False
    replayed: bool = False
    changed: bool = True


def _check_answer(assessment: Assessment, checkpoint: Checkpoint, value: Decimal | None,
                  remark: str) -> None:
    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment has been submitted and can no longer be changed."))
    if checkpoint.version_id != assessment.version_id:
        raise DomainError(_("This checkpoint is not part of the assessment's checklist."))
    levels = [Decimal(str(v)) for v in (checkpoint.levels or assessment.version.levels)]
    if value is None:
        if not checkpoint.na_allowed:
            raise DomainError(_("This checkpoint cannot be marked not applicable."))
        return
    if value not in levels:
        raise DomainError(_("%(value)s is not an allowed score here.") % {"value": value})
    if value < max(levels) and not remark.strip():
        raise DomainError(_("Write a remark: it is required for a score below full."))


@transaction.atomic
def response_save(
    *,
    assessment: Assessment,
    checkpoint: Checkpoint,
    value: Decimal | None,
    remark: str,
    base_revision: int,
    user,
    client_id: uuid.UUID | None = None,
    source: str = "web",
) -> SaveResult:
    """Save one answer (value None = NA) if nobody changed it since `base_revision`.

    `base_revision` is the revision the client last saw (0: it saw no answer). A stale
    write is not applied: the result carries the current answer so the person can choose.
    A request replayed with the same `client_id` changes nothing and answers the same.
    Every applied change is appended to the response's history, then scores are stored.
    """
    if client_id is not None:
        done = ResponseChange.objects.select_related("response").filter(
            client_id=client_id).first()
        if done is not None:
            return SaveResult(response=done.response, replayed=True, changed=False)
    remark = remark.strip()
    _check_answer(assessment, checkpoint, value, remark)
    current = (Response.objects.select_for_update()
               .filter(assessment=assessment, checkpoint=checkpoint).first())
    if current is None:
        if base_revision != 0:
            raise DomainError(_("The answer you changed no longer exists; reload the page."))
        try:
            with transaction.atomic():
                current = Response.objects.create(
                    assessment=assessment, checkpoint=checkpoint, value=value, remark=remark,
                    revision=1, updated_by=user)
        except IntegrityError:
            # Someone else answered first, between our read and our write.
            other = Response.objects.get(assessment=assessment, checkpoint=checkpoint)
            return SaveResult(response=other, conflict=True, changed=False)
        ResponseChange.objects.create(
            response=current, user=user, revision=1, had_old=False, new_value=value,
            new_remark=remark, source=source, client_id=client_id)
    else:
        same = current.value == value and current.remark == remark
        if same:
            return SaveResult(response=current, changed=False)
        if current.revision != base_revision:
            return SaveResult(response=current, conflict=True, changed=False)
        old_value, old_remark = current.value, current.remark
        current.value, current.remark = value, remark
        current.revision += 1
        current.updated_by = user
        current.save(update_fields=["value", "remark", "revision", "updated_by", "updated_at"])
        ResponseChange.objects.create(
            response=current, user=user, revision=current.revision, old_value=old_value,
            new_value=value, old_remark=old_remark, new_remark=remark, source=source,
            client_id=client_id)
    if assessment.status == Assessment.Status.DRAFT:
        assessment.status = Assessment.Status.IN_PROGRESS
        assessment.save(update_fields=["status", "updated_at"])
    assessment_rescore(assessment=assessment)
    return SaveResult(response=current)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    """Lock an assessment: later edits are refused until a state admin reopens it."""
    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment has already been submitted."))
    assessment.status = Assessment.Status.SUBMITTED
    assessment.save(update_fields=["status", "updated_at"])
    AssessmentEvent.objects.create(assessment=assessment, kind=AssessmentEvent.Kind.SUBMITTED,
                                   user=user)
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, reason: str) -> Assessment:
    """Reopen a submitted assessment; the reason is kept with who and when.

    Whether `user` may reopen is decided by accounts.access before this is called.
    """
    if assessment.status != Assessment.Status.SUBMITTED:
        raise DomainError(_("Only a submitted assessment can be reopened."))
    if not reason.strip():
        raise DomainError(_("Give the reason for reopening."))
    assessment.status = Assessment.Status.IN_PROGRESS
    assessment.save(update_fields=["status", "updated_at"])
    AssessmentEvent.objects.create(assessment=assessment, kind=AssessmentEvent.Kind.REOPENED,
                                   user=user, reason=reason.strip())
    return assessment
