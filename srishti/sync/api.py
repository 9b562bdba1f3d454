"""Offline capture API: the package a device keeps, the batches of answers it sends, and
evidence photos it uploads in resumable chunks."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, StrictStr

from srishti.accounts.access import (
    can_view_assessment,
    editable_departments,
    get_visible_or_404,
    visible_assessments,
)
from srishti.assessments.services import Change
from srishti.checklists.models import Checkpoint
from srishti.core.errors import DomainError

from .models import ResponsePhoto
from .selectors import photo_capture_access, photo_for_write, photos_list
from .services import (
    ChunkGap,
    KeyReused,
    photo_chunk_write,
    photo_upload_complete,
    photo_upload_start,
    sync_batch,
)

router = Router(tags=["sync"])

MAX_CHANGES = 10_000


def _not_a_boolean(value):
    # JSON true/false would pass as 1/0: a device sending them has a bug worth hearing about.
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true or false")
    return value


Number = Annotated[float, BeforeValidator(_not_a_boolean)]
Integer = Annotated[int, BeforeValidator(_not_a_boolean)]


class ChangeIn(Schema):
    client_id: uuid.UUID
    # Bounded to what the database holds, so a wild number is a 422, not a crash.
    checkpoint_id: Integer = Field(ge=1, le=2**63 - 1)
    value: Number | None = Field(None, description="0, 1, 2 (Kayakalp 0, 0.5, 1); null = NA")
    remark: StrictStr = Field("", max_length=4000)
    base_revision: Integer = Field(0, ge=0, le=2**31 - 1,
                                   description="the revision the device last saw; 0: none")


class BatchIn(Schema):
    key: uuid.UUID = Field(description="idempotency key: a retry sends the same key")
    changes: list[ChangeIn] = Field(max_length=MAX_CHANGES)


class ResultOut(Schema):
    client_id: uuid.UUID
    checkpoint_id: int
    status: str = Field(description="applied | unchanged | replayed | conflict | rejected")
    revision: int
    value: float | None
    remark: str
    updated_by: str
    message: str


class ScoreOut(Schema):
    overall: float | None
    rule: str
    answered: int
    total: int


class BatchOut(Schema):
    key: uuid.UUID
    assessment_id: int
    results: list[ResultOut]
    score: ScoreOut
    replayed: bool = False


class ErrorOut(Schema):
    detail: str


class BatchErrorOut(Schema):
    detail: str
    code: str = Field(description="key_reused: send the changes again under a new key; "
                                  "refused: the assessment takes no changes (submitted)")


class ValidationErrorOut(Schema):
    detail: list[dict]


class CheckpointOut(Schema):
    id: int
    department_id: int
    area: str
    standard: str
    measurable_element: str
    text: str
    methods: str
    means_of_verification: str
    levels: list[float]
    na_allowed: bool


class AnswerOut(Schema):
    checkpoint_id: int
    value: float | None
    remark: str
    revision: int


class PackageOut(Schema):
    assessment_id: int
    status: str
    departments: dict[int, str]
    editable_departments: list[int]
    checkpoints: list[CheckpointOut]
    answers: list[AnswerOut]


def _assessment(request, pk: int):
    if not 0 < pk < 2**63:
        raise Http404
    return get_visible_or_404(
        visible_assessments(request.user).select_related("facility__district", "version"),
        pk=pk)


@router.post("/assessments/{assessment_id}/batches",
             response={200: BatchOut, 400: ErrorOut, 404: ErrorOut, 409: BatchErrorOut,
                       422: ValidationErrorOut},
             summary="Apply a batch of offline answers (idempotent by key)")
def post_batch(request, assessment_id: int, batch: BatchIn):
    assessment = _assessment(request, assessment_id)
    allowed = editable_departments(request.user, assessment)
    if not allowed:
        raise Http404
    departments = dict(Checkpoint.objects.filter(
        version_id=assessment.version_id, pk__in=[c.checkpoint_id for c in batch.changes]
    ).values_list("pk", "department_id"))
    changes = [
        Change(c.client_id, c.checkpoint_id,
               None if c.value is None else Decimal(str(c.value)), c.remark, c.base_revision)
        for c in batch.changes
    ]
    # Answers for departments the user may not edit are not sent on: they come back
    # rejected, so the device can tell the person instead of retrying forever.
    outside = {c.client_id for c in changes if departments.get(c.checkpoint_id) not in allowed}
    try:
        answer = sync_batch(key=batch.key, assessment=assessment, user=request.user,
                            changes=[c for c in changes if c.client_id not in outside])
    except KeyReused as exc:
        return Status(409, {"detail": str(exc), "code": "key_reused"})
    except DomainError as exc:
        return Status(409, {"detail": str(exc), "code": "refused"})
    answer["results"] += [
        {"client_id": c.client_id, "checkpoint_id": c.checkpoint_id, "status": "rejected",
         "revision": 0, "value": None, "remark": "", "updated_by": "",
         "message": _("You may not change answers in this department.")}
        for c in changes if c.client_id in outside
    ]
    return Status(200, answer)


@router.get("/assessments/{assessment_id}/package",
            response={200: PackageOut, 404: ErrorOut, 422: ValidationErrorOut},
            summary="Checklist and current answers of an assessment, for offline use")
def get_package(request, assessment_id: int):
    assessment = _assessment(request, assessment_id)
    if not can_view_assessment(request.user, assessment):
        raise Http404
    version = assessment.version
    default_levels = [float(v) for v in version.levels]
    rows = (Checkpoint.objects.filter(version=version).order_by("order").values_list(
        "pk", "department_id", "standard__area__letter", "standard__code",
        "measurable_element__code", "text", "methods", "means_of_verification", "levels",
        "na_allowed"))
    return Status(200, {
        "assessment_id": assessment.pk,
        "status": assessment.status,
        "departments": dict(version.departments.values_list("pk", "name")),
        "editable_departments": sorted(editable_departments(request.user, assessment)),
        "checkpoints": [
            {"id": pk, "department_id": dep, "area": area, "standard": std,
             "measurable_element": me or "", "text": text, "methods": methods,
             "means_of_verification": mov,
             "levels": [float(v) for v in levels] or default_levels, "na_allowed": na}
            for pk, dep, area, std, me, text, methods, mov, levels, na in rows
        ],
        "answers": [
            {"checkpoint_id": cid, "value": None if v is None else float(v), "remark": remark,
             "revision": rev}
            for cid, v, remark, rev in assessment.responses.values_list(
                "checkpoint_id", "value", "remark", "revision")
        ],
    })


# ---------------------------------------------------------------------------------------
# Evidence photos: announce, send chunks (resuming from `received`), complete. Each step
# is idempotent by the photo's client id.

class PhotoIn(Schema):
    client_id: uuid.UUID
    checkpoint_id: Integer = Field(ge=1, le=2**63 - 1)
    size: Integer = Field(ge=1, le=2**31 - 1, description="bytes the device will send")
    content_type: str = Field(description="image/jpeg, image/png or image/webp",
                              pattern="^image/(jpeg|png|webp)$")


class PhotoFilter(Schema):
    department_id: int | None = Field(None, ge=1, le=2**63 - 1)


class PhotoOut(Schema):
    client_id: uuid.UUID
    checkpoint_id: int
    size: int
    received: int = Field(description="bytes kept so far: the next chunk starts here")
    complete: bool
    content_type: str
    url: str = Field(description="where the photo is shown once complete; empty before")
    uploaded_by: str


class ChunkErrorOut(Schema):
    detail: str
    received: int


def _photo_out(photo: ResponsePhoto) -> dict:
    return {
        "client_id": photo.client_id, "checkpoint_id": photo.checkpoint_id,
        "size": photo.size, "received": photo.received, "complete": photo.complete,
        "content_type": photo.content_type,
        "url": reverse("sync-photo", args=[photo.client_id]) if photo.complete else "",
        "uploaded_by": photo.uploaded_by.get_username() if photo.uploaded_by else "",
    }


@router.post("/assessments/{assessment_id}/photos",
             response={200: PhotoOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                       422: ValidationErrorOut},
             summary="Announce an evidence photo of a checkpoint (idempotent by client id)")
def post_photo(request, assessment_id: int, photo: PhotoIn):
    capture = photo_capture_access(user=request.user, assessment_id=assessment_id)
    checkpoint = Checkpoint.objects.filter(
        pk=photo.checkpoint_id, version_id=capture.assessment.version_id).first()
    if checkpoint is None or checkpoint.department_id not in capture.editable:
        raise Http404
    try:
        stored = photo_upload_start(
            assessment=capture.assessment, checkpoint=checkpoint, client_id=photo.client_id,
            size=photo.size, content_type=photo.content_type, user=request.user)
    except DomainError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _photo_out(stored))


@router.get("/assessments/{assessment_id}/photos",
            response={200: list[PhotoOut], 404: ErrorOut, 422: ValidationErrorOut},
            summary="The complete photos of an assessment the user may see")
def list_photos(request, assessment_id: int, which: Query[PhotoFilter]):
    from srishti.indicators.api import unknown_query

    refused = unknown_query(request, {"department_id"})
    if refused is not None:  # as the schema says; a device sending others has a bug
        return refused
    department_id = which.department_id
    capture = photo_capture_access(user=request.user, assessment_id=assessment_id)
    return Status(200, [_photo_out(p) for p in photos_list(capture=capture,
                                                           department_id=department_id)])


@router.get("/photos/{client_id}", response={200: PhotoOut, 404: ErrorOut,
                                            422: ValidationErrorOut},
            summary="How much of a photo has arrived (where to resume)")
def get_photo(request, client_id: uuid.UUID):
    return Status(200, _photo_out(photo_for_write(user=request.user, client_id=client_id)))


class ChunkQuery(Schema):
    offset: Integer = Field(ge=0, le=2**31 - 1, description="where these bytes start")


CHUNK_BODY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary",
                                            "minLength": 1}}}}}  # an empty body is a 400


@router.put("/photos/{client_id}/chunks",
            response={200: PhotoOut, 400: ErrorOut, 404: ErrorOut, 409: ChunkErrorOut,
                      413: ErrorOut, 422: ValidationErrorOut},
            openapi_extra=CHUNK_BODY,
            summary="Send the photo's bytes from `offset` (raw body); resend freely")
def put_chunk(request, client_id: uuid.UUID, where: Query[ChunkQuery]):
    photo = photo_for_write(user=request.user, client_id=client_id)
    # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE when it is read: say so here,
    # in words a device can act on, rather than with a bare 400.
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return Status(413, {"detail": _(
            "This chunk is too large: send at most %(limit)s at a time.")
            % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}})
    if not request.body:
        return Status(400, {"detail": _("Send the photo's bytes as the request body.")})
    try:
        photo = photo_chunk_write(photo=photo, offset=where.offset, data=request.body)
    except ChunkGap as gap:
        return Status(409, {"detail": str(gap), "received": gap.received})
    except DomainError as exc:  # more bytes than announced
        return Status(413, {"detail": str(exc)})
    return Status(200, _photo_out(photo))


@router.post("/photos/{client_id}/complete",
             response={200: PhotoOut, 400: ErrorOut, 404: ErrorOut, 409: ChunkErrorOut,
                       415: ErrorOut, 422: ValidationErrorOut},
             summary="Keep the photo once all its bytes arrived")
def complete_photo(request, client_id: uuid.UUID):
    photo = photo_for_write(user=request.user, client_id=client_id)
    try:
        photo = photo_upload_complete(photo=photo)
    except ChunkGap as gap:
        return Status(409, {"detail": str(gap), "received": gap.received})
    except DomainError as exc:  # not the image it was announced as
        return Status(415, {"detail": str(exc)})
    return Status(200, _photo_out(photo))
