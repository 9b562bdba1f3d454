"""Kayakalp, LaQshya and MusQan as programmes: versioned rule sets (data, with their
source) and each facility's records, stage by stage, with the decision the rules gave.

These are kept apart from certification.CertificationRecord on purpose: that model is
the NQAS path (state then national certification, validity periods, surveillance and
national-application alerts), and pages count its records as certifications. A
Kayakalp year is an award cycle ranked within a cohort, and a LaQshya result carries a
badge and a provisional state with a due date; none of these fits its stages, results
or constraints. The decisions themselves are pure functions (programmes.decisions).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srishti.assessments.models import Assessment
from srishti.core.models import TimeStampedModel
from srishti.geography.models import Facility

from . import decisions as d


class Programme(models.TextChoices):
    KAYAKALP = d.KAYAKALP, _("Kayakalp")
    LAQSHYA = d.LAQSHYA, _("LaQshya")
    MUSQAN = d.MUSQAN, _("MusQan")


class Stage(models.TextChoices):
    INTERNAL = "internal", _("Internal assessment")
    PEER = "peer", _("Peer assessment")
    EXTERNAL = "external", _("External assessment")
    STATE = "state", _("State assessment")
    NATIONAL = "national", _("National assessment")


STAGE_ORDER = [Stage.INTERNAL, Stage.PEER, Stage.EXTERNAL, Stage.STATE, Stage.NATIONAL]


class Result(models.TextChoices):
    PENDING = d.PENDING, _("Awaiting the next stage")
    QUALIFIED = d.QUALIFIED, _("Qualified for external assessment")
    STOPPED_AT_PEER = d.STOPPED_AT_PEER, _("Stopped at peer assessment")
    AWARD = d.AWARD, _("Award")
    COMMENDATION = d.COMMENDATION, _("Commendation")
    NOT_AWARDED = d.NOT_AWARDED, _("No award")
    CERTIFIED = d.CERTIFIED, _("Certified")
    PROVISIONAL = d.PROVISIONAL, _("Provisionally certified")
    NOT_CERTIFIED = d.NOT_CERTIFIED, _("Not certified")


class Badge(models.TextChoices):
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")
    PLATINUM = "platinum", _("Platinum")


class ProgrammeRuleSet(TimeStampedModel):
    """One version of a programme's rules, in force from `valid_from`."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices)
    valid_from = models.DateField(_("in force from"))
    source = models.TextField(_("source"))
    definition = models.JSONField(_("definition"))

    class Meta:
        ordering = ["programme", "valid_from"]
        verbose_name = _("programme rule set")
        verbose_name_plural = _("programme rule sets")

    def __str__(self) -> str:
        return self.code


class ProgrammeRecord(TimeStampedModel):
    """One stage of a facility's programme year: the scores, and what the rules decided."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT,
                                 related_name="programme_records")
    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices)
    # Kayakalp: the award year, by its first year (2024 for 2024-25); LaQshya and MusQan:
    # the year of the decision.
    cycle = models.PositiveSmallIntegerField(_("year"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    decided_on = models.DateField(_("assessed on"))
    score = models.FloatField(_("score (%)"), null=True, blank=True)
    department_scores = models.JSONField(_("department scores"), default=dict, blank=True)
    area_scores = models.JSONField(_("area scores"), default=dict, blank=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    rule_set = models.ForeignKey(ProgrammeRuleSet, on_delete=models.PROTECT,
                                 related_name="records")
    # What the rules decided (programmes.decisions), kept with the reasons' codes.
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    badge = models.CharField(_("badge"), max_length=10, choices=Badge.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["facility", "programme", "cycle", "decided_on", "id"]
        verbose_name = _("programme record")
        verbose_name_plural = _("programme records")
        constraints = [
            models.UniqueConstraint(fields=["facility", "programme", "cycle", "stage"],
                                    name="one_programme_record_per_stage_and_year"),
            models.CheckConstraint(condition=Q(programme__in=[p.value for p in Programme]),
                                   name="programme_record_programme_known"),
            models.CheckConstraint(condition=Q(stage__in=[s.value for s in Stage]),
                                   name="programme_record_stage_known"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="programme_record_score_is_a_percentage"),
        ]
        indexes = [models.Index(fields=["programme", "cycle"])]

    def __str__(self) -> str:
        return f"{self.facility} {self.programme} {self.cycle} {self.stage}"

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))
