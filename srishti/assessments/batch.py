"""Apply many answers at once: the offline sync path (thousands per request).

Same rules as `services.response_save` (levels, NA, remarks, the submitted lock,
revisions, idempotent client ids, append-only history), but with a constant number of
queries per batch and one rescoring at the end instead of one per answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.checklists.models import Checkpoint
from srishti.core.errors import DomainError

from .models import Assessment, Response, ResponseChange
from .services import _check_answer, assessment_rescore


@dataclass(frozen=True)
class Change:
    client_id: uuid.UUID
    checkpoint_id: int
    value: Decimal | None  # None = NA
    remark: str
    base_revision: int


@dataclass(frozen=True)
class ChangeResult:
    client_id: uuid.UUID
    checkpoint_id: int
    status: str  # applied | unchanged | replayed | conflict | rejected
    revision: int = 0
    value: Decimal | None = None
    remark: str = ""
    updated_by: str = ""
    message: str = ""


def _result(change: Change, status: str, response: Response | None, message: str = ""
            ) -> ChangeResult:
    if response is None:
        return ChangeResult(change.client_id, change.checkpoint_id, status, message=message)
    return ChangeResult(
        change.client_id, change.checkpoint_id, status, response.revision, response.value,
        response.remark, response.updated_by.get_username() if response.updated_by else "",
        message,
    )


@transaction.atomic
def responses_apply(*, assessment: Assessment, changes: list[Change], user,
                    source: str = "sync") -> list[ChangeResult]:
    """Apply a batch of answers; each is applied, refused as a conflict, or rejected alone.

    A change whose client id was applied before (a batch cut off halfway and sent again)
    is reported as replayed and not applied twice.
    """
    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment has been submitted and can no longer be changed."))
    checkpoints = Checkpoint.objects.in_bulk([c.checkpoint_id for c in changes])
    current = {
        r.checkpoint_id: r
        # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to
        # updated_by, and only the responses need the lock.
        for r in Response.objects.select_for_update(of=("self",)).select_related("updated_by")
        .filter(assessment=assessment, checkpoint_id__in=checkpoints)
    }
    replayed = set(ResponseChange.objects.filter(
        client_id__in=[c.client_id for c in changes]).values_list("client_id", flat=True))

    results, new_responses, updated, history = [], [], [], []
    seen: set[uuid.UUID] = set()
    for change in changes:
        response = current.get(change.checkpoint_id)
        if change.client_id in replayed or change.client_id in seen:
            results.append(_result(change, "replayed", response))
            continue
        seen.add(change.client_id)
        checkpoint = checkpoints.get(change.checkpoint_id)
        remark = change.remark.strip()
        try:
            if checkpoint is None:
                raise DomainError(_("This checkpoint does not exist."))
            checkpoint.version = assessment.version  # spares a query per checkpoint
            _check_answer(assessment, checkpoint, change.value, remark)
        except DomainError as exc:
            results.append(_result(change, "rejected", response, str(exc)))
            continue
        if response is None:
            if change.base_revision != 0:
                results.append(_result(change, "rejected", None,
                                       _("The answer you changed no longer exists.")))
                continue
            response = Response(assessment=assessment, checkpoint=checkpoint,
                                value=change.value, remark=remark, revision=1, updated_by=user)
            current[change.checkpoint_id] = response
            new_responses.append(response)
            history.append(ResponseChange(
                response=response, user=user, revision=1, had_old=False,
                new_value=change.value, new_remark=remark, source=source,
                client_id=change.client_id))
            results.append(_result(change, "applied", response))
            continue
        if response.value == change.value and response.remark == remark:
            results.append(_result(change, "unchanged", response))
            continue
        if response.revision != change.base_revision:
            results.append(_result(change, "conflict", response))
            continue
        history.append(ResponseChange(
            response=response, user=user, revision=response.revision + 1,
            old_value=response.value, new_value=change.value, old_remark=response.remark,
            new_remark=remark, source=source, client_id=change.client_id))
        response.value, response.remark = change.value, remark
        response.revision += 1
        response.updated_by = user
        response.updated_at = timezone.now()  # bulk_update skips auto_now
        if response.pk and response not in updated:
            updated.append(response)
        results.append(_result(change, "applied", response))

    Response.objects.bulk_create(new_responses, batch_size=1000)
    for change in history:
        change.response_id = change.response.pk  # the response got its key just above
    Response.objects.bulk_update(
        updated, ["value", "remark", "revision", "updated_by", "updated_at"], batch_size=1000)
    ResponseChange.objects.bulk_create(history, batch_size=1000)
    if history:
        if assessment.status == Assessment.Status.DRAFT:
            assessment.status = Assessment.Status.IN_PROGRESS
            assessment.save(update_fields=["status", "updated_at"])
        assessment_rescore(assessment=assessment)
    return results
