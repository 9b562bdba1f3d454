from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from srishti.core.models import TimeStampedModel


class Topic(models.TextChoices):
    OVERDUE_ACTIONS = "overdue_actions", _("Overdue action items")
    EXPIRING_CERTIFICATIONS = "expiring_certifications", _("Certifications about to expire")
    ASSESSMENT_ASSIGNED = "assessment_assigned", _("Assessments assigned to me")
    SURVEILLANCE_DUE = "surveillance_due", _("Surveillance assessments due")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class NotificationPreference(TimeStampedModel):
    """What a person wants to hear about, and how. Without a row: every topic by e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    topics = models.JSONField(_("topics"), default=list)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_sms = models.BooleanField(_("by SMS"), default=False)
    phone = models.CharField(_("mobile number"), max_length=16, blank=True)
    # The language messages are written in: the page's when the person last saved.
    language = models.CharField(max_length=8, default="en")

    class Meta:
        ordering = ["user"]

    def __str__(self) -> str:
        return f"{self.user}: {', '.join(self.topics)}"


class Notification(TimeStampedModel):
    """One message to one person on one channel. `key` names what it is about (an item
    and, for reminders, the week), so the daily run never sends the same news twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    topic = models.CharField(max_length=32, choices=Topic.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    key = models.CharField(max_length=100)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "channel", "key"],
                                    name="notification_once_per_key"),
            models.CheckConstraint(name="notification_topic_known",
                                   condition=models.Q(topic__in=Topic.values)),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.user}: {self.subject}"
