"""Offline sync: batches of answers with an idempotency key."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.db import IntegrityError, transaction

from srishti.assessments.batch import Change, ChangeResult, responses_apply
from srishti.assessments.models import Assessment
from srishti.core.errors import DomainError

from .models import SyncBatch


def _result_dict(result: ChangeResult) -> dict[str, Any]:
    return {
        "client_id": str(result.client_id),
        "checkpoint_id": result.checkpoint_id,
        "status": result.status,
        "revision": result.revision,
        "value": None if result.value is None else float(result.value),
        "remark": result.remark,
        "updated_by": result.updated_by,
        "message": result.message,
    }


def request_hash(changes: list[Change]) -> str:
    canonical = json.dumps(
        [[str(c.client_id), c.checkpoint_id, None if c.value is None else str(c.value),
          c.remark, c.base_revision] for c in changes], separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def sync_batch(*, key: uuid.UUID, assessment: Assessment, changes: list[Change], user
               ) -> dict[str, Any]:
    """Apply a batch once. The same key again returns the first answer, unchanged.

    Whether the user may write to the assessment is decided by accounts.access before
    this is called.
    """
    digest = request_hash(changes)
    done = SyncBatch.objects.filter(key=key).first()
    if done is not None:
        return _replayed(done, user, assessment, digest)
    try:
        with transaction.atomic():
            results = responses_apply(assessment=assessment, changes=changes, user=user)
            score = assessment.score
            answer = {
                "key": str(key),
                "assessment_id": assessment.pk,
                "results": [_result_dict(r) for r in results],
                "score": {"overall": score.overall, "rule": score.rule,
                          "answered": score.checkpoints_answered,
                          "total": score.checkpoints_total},
            }
            SyncBatch.objects.create(key=key, user=user, assessment=assessment,
                                     request_hash=digest, answer=answer)
    except IntegrityError:
        # The same batch arrived twice at once; the other request stored the answer.
        return _replayed(SyncBatch.objects.get(key=key), user, assessment, digest)
    return answer


def _replayed(done: SyncBatch, user, assessment: Assessment, digest: str) -> dict[str, Any]:
    if (done.user_id, done.assessment_id, done.request_hash) != (user.pk, assessment.pk, digest):
        raise DomainError("This idempotency key was already used for a different batch.")
    return {**done.answer, "replayed": True}
