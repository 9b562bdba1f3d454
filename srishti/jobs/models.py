from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from srishti.core.models import TimeStampedModel


class Job(TimeStampedModel):
    """A file made in the background for one person (a PDF, an export): queued, made by
    `srishti worker`, then offered to that person only until it expires."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="jobs")
    kind = models.CharField(max_length=32)
    params = models.JSONField(default=dict)
    title = models.CharField(_("file"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    # Steps done of steps to do, for the progress bar.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=1)
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # Words for the person; the technical cause goes to the worker's log.
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="job_owner_created")]
        constraints = [
            models.CheckConstraint(name="job_status_known",
                                   condition=models.Q(status__in=["queued", "running", "done",
                                                                  "failed"])),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, round(100 * self.done / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
