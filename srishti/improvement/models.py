"""Action plans: one action item per gap of an assessment, with evidence and verification."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srishti.assessments.models import ALL_LEVELS, Assessment
from srishti.checklists.models import Checkpoint
from srishti.core.models import TimeStampedModel
from srishti.geography.models import Facility


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    VERIFIED = "verified", _("Verified")


class EvidenceType(models.TextChoices):
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
    WEBP = "image/webp", "WebP"
    PDF = "application/pdf", "PDF"


class ActionItem(TimeStampedModel):
    """What a facility will do about one gap (a checkpoint scored below full)."""

    Status = ActionStatus

    # Statuses in which an item past its due date counts as overdue.
    PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="action_items")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    # Repeated from the assessment so that scoping and dashboards ("open items of this
    # district") filter one table instead of joining through assessments.
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT,
                                 related_name="action_items")
    root_cause = models.TextField(_("root cause"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    responsible_name = models.CharField(_("responsible person"), max_length=200, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="action_items", verbose_name=_("responsible user"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # The score the item aims at, when the path to certification set it (a 0 -> 1 where
    # a partial answer is enough); empty means full compliance. The readiness forecast
    # applies it on the due date.
    target_value = models.DecimalField(_("target score"), max_digits=3, decimal_places=1,
                                       null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_remark = models.TextField(_("verification remark"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    # Sent by the client (or drawn here): creating twice with the same id creates once.
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        # By id, not through the checkpoint: ordering across joins would tax every count
        # and slice other apps take; the selectors order a plan by department and row.
        ordering = ["assessment_id", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["facility", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "checkpoint"],
                                    name="one_action_item_per_gap"),
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values),
                                   name="action_item_status_known"),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__in=ALL_LEVELS),
                name="action_item_target_is_a_level"),
            # A verified item always says when; an unverified one carries no stale date.
            models.CheckConstraint(
                condition=Q(status="verified", verified_at__isnull=False)
                | (~Q(status="verified") & Q(verified_at__isnull=True)),
                name="action_item_verified_at_iff_verified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.checkpoint_id}: {self.get_status_display()}"

    def is_overdue(self, today: dt.date) -> bool:
        """Past its due date (in IST, see `selectors.today_ist`) and not yet done."""
        return (self.due_date is not None and self.due_date < today
                and self.status in self.PENDING)


class Evidence(TimeStampedModel):
    """A photo or document showing a gap was closed. Stored under MEDIA_ROOT and served
    only through `improvement.views.evidence_file_view`, which checks access."""

    ContentType = EvidenceType

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE,
                                    related_name="evidence")
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=32, choices=EvidenceType.choices)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["action_item_id", "created_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(condition=Q(content_type__in=EvidenceType.values),
                                   name="evidence_content_type_allowed"),
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
