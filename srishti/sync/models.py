from __future__ import annotations

from django.conf import settings
from django.db import models


class SyncBatch(models.Model):
    """A batch of offline changes, kept by its idempotency key with the answer given.

    A batch sent again with the same key (a retry after a dropped connection) gets the
    stored answer and changes nothing. The same key with different content is refused.
    """

    key = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE,
                                   related_name="sync_batches")
    request_hash = models.CharField(max_length=64)
    answer = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.key} ({self.assessment_id})"


def photo_path(photo: ResponsePhoto, filename: str) -> str:
    # One folder per assessment; the client id names the file, so a retried upload
    # lands on the same name instead of beside it.
    return f"sync/photos/{photo.assessment_id}/{photo.client_id}{photo.extension}"


class ResponsePhoto(models.Model):
    """An evidence photo of one checkpoint, uploaded in chunks from a device.

    A device may lose the connection mid-upload: `received` counts the bytes kept so far
    (in a partial file beside the final one) and the device resumes from there. The photo
    exists for readers only once complete. The client id makes every step idempotent.
    """

    CONTENT_TYPES = {"image/jpeg": ".jpg", "image/webp": ".webp", "image/png": ".png"}

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE,
                                   related_name="photos")
    checkpoint = models.ForeignKey("checklists.Checkpoint", on_delete=models.PROTECT,
                                   related_name="+")
    client_id = models.UUIDField(unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    file = models.FileField(upload_to=photo_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(help_text="bytes announced by the device")
    received = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=20)
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "checkpoint", "created_at"]
        indexes = [models.Index(fields=["assessment", "checkpoint"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(received__lte=models.F("size")),
                                   name="photo_received_within_size"),
        ]

    def __str__(self) -> str:
        return f"photo {self.client_id} ({self.checkpoint_id})"

    @property
    def extension(self) -> str:
        return self.CONTENT_TYPES.get(self.content_type, ".bin")
