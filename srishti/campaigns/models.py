"""Campaigns ("Mission 60 days"): facilities enrolled for a push towards a goal, followed
week by week. Weekly snapshots keep each week's figures as they were when taken, so that
a later correction of the data does not rewrite the campaign's history.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srishti.assessments.models import Assessment
from srishti.checklists.models import Tool
from srishti.core.models import TimeStampedModel
from srishti.geography.models import District, Facility, State


class Goal(models.TextChoices):
    CERTIFICATION_READY = "certification_ready", _("Certification-ready")
    SCORE = "score", _("Score at least")
    GAPS_CLOSED = "gaps_closed", _("Gaps closed at least")


class Campaign(TimeStampedModel):
    """A push of a state or a district, from `start` to `end`, for one tool."""

    Goal = Goal

    name = models.CharField(_("name"), max_length=200)
    state = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="campaigns")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    goal = models.CharField(_("goal"), max_length=20, choices=Goal.choices,
                            default=Goal.CERTIFICATION_READY)
    # The score (goal "score") or the share of action items closed (goal "gaps_closed"),
    # in per cent; empty for "certification-ready".
    goal_value = models.FloatField(_("goal figure (%)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    facilities = models.ManyToManyField(Facility, through="Enrollment", related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-start", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__isnull=False, district__isnull=True)
                | Q(state__isnull=True, district__isnull=False),
                name="campaign_has_exactly_one_scope"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                   name="campaign_ends_after_start"),
            models.CheckConstraint(condition=Q(goal__in=Goal.values), name="campaign_goal_known"),
            models.CheckConstraint(
                condition=Q(goal="certification_ready", goal_value__isnull=True)
                | (~Q(goal="certification_ready") & Q(goal_value__gte=0, goal_value__lte=100)),
                name="campaign_goal_value_fits_goal"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self):
        return self.district or self.state

    @property
    def weeks(self) -> int:
        """Weeks of the campaign; the last one may be shorter than seven days."""
        return (self.end - self.start).days // 7 + 1

    def week_of(self, day: dt.date) -> int:
        """The campaign week holding `day` (1 = the first; 0 before the start; past the
        end, the last week)."""
        if day < self.start:
            return 0
        return min((day - self.start).days // 7 + 1, self.weeks)

    def week_dates(self, week: int) -> tuple[dt.date, dt.date]:
        """(first, last day) of a campaign week."""
        first = self.start + dt.timedelta(days=7 * (week - 1))
        return first, min(first + dt.timedelta(days=6), self.end)


class Enrollment(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="enrollments")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["campaign", "facility__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "facility"],
                                               name="enrollment_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.facility_id}"


class CampaignSnapshot(models.Model):
    """The figures of one campaign week, taken once (see campaigns.services)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="snapshots")
    week = models.PositiveSmallIntegerField()
    week_start = models.DateField()
    week_end = models.DateField()
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["campaign", "week"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "week"], name="snapshot_once_per_week"),
            models.CheckConstraint(condition=Q(week__gte=1), name="snapshot_week_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} week {self.week}"


class SnapshotRow(models.Model):
    """One facility's figures in a weekly snapshot."""

    snapshot = models.ForeignKey(CampaignSnapshot, on_delete=models.CASCADE,
                                 related_name="rows")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    # The assessment the figures came from (kept as it was, even if deleted later).
    assessment_id_taken = models.BigIntegerField(null=True)
    assessment_kind = models.CharField(max_length=16, blank=True,
                                       choices=Assessment.Kind.choices)
    assessed_on = models.DateField(null=True)
    answered = models.PositiveIntegerField(default=0)
    checkpoints = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True)
    open_actions = models.PositiveIntegerField(default=0)
    closed_actions = models.PositiveIntegerField(default=0)
    ready = models.BooleanField(default=False)
    # Percentage points the latest submitted assessment misses its rule set by.
    points_short = models.FloatField(null=True)
    meets_goal = models.BooleanField(default=False)

    class Meta:
        ordering = ["snapshot", "facility_id"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "facility"],
                                               name="snapshot_row_once")]

    def __str__(self) -> str:
        return f"{self.snapshot_id}: {self.facility_id}"
