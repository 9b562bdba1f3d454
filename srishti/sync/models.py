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
