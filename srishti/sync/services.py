"""Offline sync: batches of answers with an idempotency key; evidence photos uploaded
in resumable chunks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.assessments.models import Assessment
from srishti.assessments.services import Change, ChangeResult, assessment_lock, responses_write
from srishti.checklists.models import Checkpoint
from srishti.core.errors import DomainError

from .models import ResponsePhoto, SyncBatch, photo_path


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


class KeyReused(DomainError):
    """The idempotency key names a different batch: the device must make a new key."""


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
            # The assessment's lock first, as every writer of answers takes it: the same
            # batch sent twice at once queues here, and the second finds the first's record.
            assessment_lock(assessment)
            done = SyncBatch.objects.filter(key=key).first()
            if done is not None:
                return _replayed(done, user, assessment, digest)
            results = responses_write(assessment=assessment, changes=changes, user=user,
                                      source="sync")
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
        # The same key sent at once for another assessment (which holds another lock):
        # the one stored first keeps it, and this one is refused as a reused key.
        done = SyncBatch.objects.filter(key=key).first()
        if done is None:
            raise
        return _replayed(done, user, assessment, digest)
    return answer


def _replayed(done: SyncBatch, user, assessment: Assessment, digest: str) -> dict[str, Any]:
    if (done.user_id, done.assessment_id, done.request_hash) != (user.pk, assessment.pk, digest):
        raise KeyReused(_("This idempotency key was already used for a different batch."))
    return {**done.answer, "replayed": True}


# ---------------------------------------------------------------------------------------
# Evidence photos, uploaded from a device in chunks that survive a dropped connection.

# Leading bytes of each accepted format: the device's word for the type is not trusted.
_SIGNATURES = {
    "image/jpeg": lambda head: head[:3] == b"\xff\xd8\xff",
    "image/png": lambda head: head[:8] == b"\x89PNG\r\n\x1a\n",
    "image/webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
}


class ChunkGap(DomainError):
    """A chunk starts after the bytes received so far: the device must resume from
    `received` (it lost track, e.g. its answer to the previous chunk was cut off)."""

    def __init__(self, received: int) -> None:
        super().__init__(_("Resume the upload from byte %(n)d.") % {"n": received})
        self.received = received


def max_photo_bytes() -> int:
    return settings.SRISHTI_MAX_EVIDENCE_BYTES


def _partial_path(photo: ResponsePhoto) -> Path:
    return Path(default_storage.path(f"sync/partial/{photo.client_id}.part"))


def photo_upload_start(*, assessment: Assessment, checkpoint: Checkpoint,
                       client_id: uuid.UUID, size: int, content_type: str, user
                       ) -> ResponsePhoto:
    """Announce a photo of a checkpoint; the same client id again returns the same upload
    (with the bytes received so far), so a device that lost the answer just asks again.

    Whether the user may write the checkpoint's department is decided by accounts.access
    before this is called.
    """
    existing = ResponsePhoto.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _same_photo(existing, assessment, checkpoint, size, content_type)
    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment has been submitted and can no longer be changed."))
    if checkpoint.version_id != assessment.version_id:
        raise DomainError(_("This checkpoint is not part of the assessment's checklist."))
    if content_type not in ResponsePhoto.CONTENT_TYPES:
        raise DomainError(_("Only JPEG, PNG or WebP photos are accepted."))
    if not 0 < size <= max_photo_bytes():
        raise DomainError(_("A photo can be at most %(n)d MB.")
                          % {"n": max_photo_bytes() // (1024 * 1024)})
    try:
        with transaction.atomic():
            return ResponsePhoto.objects.create(
                assessment=assessment, checkpoint=checkpoint, client_id=client_id,
                uploaded_by=user, size=size, content_type=content_type)
    except IntegrityError:
        # The same announcement raced itself; the other request created the row.
        return _same_photo(ResponsePhoto.objects.get(client_id=client_id), assessment,
                           checkpoint, size, content_type)


def _same_photo(photo: ResponsePhoto, assessment: Assessment, checkpoint: Checkpoint,
                size: int, content_type: str) -> ResponsePhoto:
    if (photo.assessment_id, photo.checkpoint_id, photo.size, photo.content_type) != (
            assessment.pk, checkpoint.pk, size, content_type):
        raise DomainError(_("This upload id was already used for another photo."))
    return photo


@transaction.atomic
def photo_chunk_write(*, photo: ResponsePhoto, offset: int, data: bytes) -> ResponsePhoto:
    """Write bytes [offset, offset + len(data)) of the photo. Bytes already received are
    not written again, so a chunk sent twice changes nothing; a chunk starting beyond what
    was received raises ChunkGap with the offset to resume from."""
    photo = ResponsePhoto.objects.select_for_update().get(pk=photo.pk)
    if photo.complete:
        return photo
    end = offset + len(data)
    if offset > photo.received:
        raise ChunkGap(photo.received)
    if end > photo.size:
        raise DomainError(_("The photo is larger than announced."))
    if end <= photo.received:
        return photo
    path = _partial_path(photo)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written at `received`, cutting whatever a crashed earlier request left beyond it:
    # the row, not the file, says how much is kept.
    with open(path, "r+b" if path.exists() else "wb") as out:
        out.seek(photo.received)
        out.write(data[photo.received - offset:])
        out.truncate()
    photo.received = end
    photo.save(update_fields=["received", "updated_at"])
    return photo


def photo_upload_complete(*, photo: ResponsePhoto) -> ResponsePhoto:
    """Keep the photo once every byte arrived and it is the image it claims to be.
    Completing a completed photo answers the same; bytes that are not the announced image
    are dropped (the device starts over) and refused."""
    with transaction.atomic():
        photo = ResponsePhoto.objects.select_for_update().get(pk=photo.pk)
        if photo.complete:
            return photo
        if photo.received != photo.size:
            raise ChunkGap(photo.received)
        partial = _partial_path(photo)
        with open(partial, "rb") as handle:
            head = handle.read(12)
        if _SIGNATURES[photo.content_type](head):
            name = photo_path(photo, "")
            final = Path(default_storage.path(name))
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, final)
            photo.file.name = name
            photo.complete = True
            photo.save(update_fields=["file", "complete", "updated_at"])
            return photo
        partial.unlink(missing_ok=True)
        photo.received = 0
        photo.save(update_fields=["received", "updated_at"])
    # Raised after the reset is committed: the next attempt starts from byte 0.
    raise DomainError(_("The file is not a JPEG, PNG or WebP image."))


def photo_uploads_prune(*, older_than: dt.timedelta) -> int:
    """Forget photo uploads a device began and left unfinished for `older_than`: their
    rows and partial files. A device that comes back later announces the photo again and
    starts over. Finished photos are never touched. The number removed."""
    cutoff = timezone.now() - older_than
    removed = 0
    for photo in ResponsePhoto.objects.filter(complete=False, updated_at__lt=cutoff).iterator():
        _partial_path(photo).unlink(missing_ok=True)
        photo.delete()
        removed += 1
    return removed
