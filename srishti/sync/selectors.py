"""Reads for offline capture: evidence photos, as far as the requesting user may see them.

Who may read or write which department is decided by `srishti.accounts.access` (through
the capture pages' `capture_access`, so a photo is seen exactly by whoever sees the
checkpoint's answers); anything else is missing (404).
"""

from __future__ import annotations

import uuid

from django.http import Http404

from srishti.assessments.selectors_capture import CaptureAccess, capture_access

from .models import ResponsePhoto


def _photo(client_id: uuid.UUID) -> ResponsePhoto:
    photo = (ResponsePhoto.objects.select_related("checkpoint", "uploaded_by")
             .filter(client_id=client_id).first())
    if photo is None:
        raise Http404
    return photo


def photo_for_read(*, user, client_id: uuid.UUID) -> ResponsePhoto:
    """A complete photo whose checkpoint the user may read; 404 otherwise."""
    photo = _photo(client_id)
    capture = capture_access(user=user, pk=photo.assessment_id)
    if not photo.complete or not capture.can_read(photo.checkpoint.department_id):
        raise Http404
    return photo


def photo_for_write(*, user, client_id: uuid.UUID) -> ResponsePhoto:
    """A photo (complete or not) of a department the user may write; 404 otherwise."""
    photo = _photo(client_id)
    capture = capture_access(user=user, pk=photo.assessment_id)
    if photo.checkpoint.department_id not in capture.editable:
        raise Http404
    return photo


def photos_list(*, capture: CaptureAccess, department_id: int | None = None
                ) -> list[ResponsePhoto]:
    """The complete photos of an assessment in departments the user may read (one query),
    optionally of one department."""
    photos = (ResponsePhoto.objects.filter(assessment=capture.assessment, complete=True)
              .select_related("checkpoint", "uploaded_by").order_by("created_at", "id"))
    if department_id is not None:
        photos = photos.filter(checkpoint__department_id=department_id)
    return [p for p in photos if capture.can_read(p.checkpoint.department_id)]


def photo_capture_access(*, user, assessment_id: int) -> CaptureAccess:
    """The capture access of an assessment (404 when the user may read none of it)."""
    if not 0 < assessment_id < 2**63:
        raise Http404
    return capture_access(user=user, pk=assessment_id)
