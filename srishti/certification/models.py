"""Certification records (a facility's way from baseline to national certification) and
mission targets (a state or district aiming for N facilities ready by a date).

Validity periods and alert windows are data in `certification.rules`, not here.
"""

import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srishti.assessments.models import Assessment
from srishti.checklists.models import Tool
from srishti.core.models import TimeStampedModel
from srishti.geography.models import Block, District, Division, Facility, State


class Stage(models.TextChoices):
    BASELINE = "baseline", _("Baseline assessment")
    INTERNAL = "internal", _("Internal assessment")
    DISTRICT = "district", _("District assessment")
    STATE_CERTIFIED = "state_certified", _("State certification")
    NATIONAL_CERTIFIED = "national_certified", _("National certification")
    SURVEILLANCE = "surveillance", _("Surveillance")
    EXPIRED = "expired", _("Expired")


# The order of the way to certification, as the pipeline page draws it. "expired" is a
# status a certification falls into, not a step.
STAGE_ORDER = [Stage.BASELINE, Stage.INTERNAL, Stage.DISTRICT, Stage.STATE_CERTIFIED,
               Stage.NATIONAL_CERTIFIED, Stage.SURVEILLANCE]
CERTIFYING_STAGES = (Stage.STATE_CERTIFIED, Stage.NATIONAL_CERTIFIED)


class Level(models.TextChoices):
    STATE = "state", _("State")
    NATIONAL = "national", _("National")


class Result(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    FULL = "full", _("Full")
    CONDITIONAL = "conditional", _("Conditional")


class Mode(models.TextChoices):
    """How the assessment behind a record was made. Which stages, facility types and
    dates allow a virtual assessment is data (certification.rules)."""

    PHYSICAL = "physical", _("Physical (on site)")
    VIRTUAL = "virtual", _("Virtual (by video)")


# Results that grant a certification (when the stage is a certifying one).
GRANTING_RESULTS = (Result.PASSED, Result.FULL, Result.CONDITIONAL)


def certificate_path(record: "CertificationRecord", filename: str) -> str:
    # A random name: the original may carry personal names, and paths must not be
    # guessable even though media files are only ever served through an access check.
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"certificates/{record.facility_id}/{uuid.uuid4().hex}{suffix}"


class CertificationRecord(TimeStampedModel):
    """One step of a facility's certification for one tool: an assessment stage passed
    or failed, a certificate granted, a surveillance visit, or an expiry."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT,
                                 related_name="certification_records")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    decided_on = models.DateField(_("decided on"))
    # Derived from stage, result and decided_on by the services (see certification.rules).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # On a state certification: when the facility applied for national certification.
    national_applied_on = models.DateField(_("applied for national certification on"),
                                           null=True, blank=True)
    assessment = models.OneToOneField(Assessment, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="certification_record")
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, blank=True,
                                   max_length=200)
    mode = models.CharField(_("assessment mode"), max_length=10, choices=Mode.choices,
                            default=Mode.PHYSICAL)
    # A virtual assessment may be followed by a visit that checks it on site.
    checked_on_site_on = models.DateField(_("checked on site on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["facility", "tool", "decided_on", "id"]
        verbose_name = _("certification record")
        verbose_name_plural = _("certification records")
        indexes = [models.Index(fields=["facility", "tool", "decided_on"]),
                   models.Index(fields=["stage", "valid_until"])]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=list(Stage.values)),
                                   name="certification_stage_known"),
            models.CheckConstraint(condition=Q(level__in=["", *Level.values]),
                                   name="certification_level_known"),
            models.CheckConstraint(condition=Q(result__in=["", *Result.values]),
                                   name="certification_result_known"),
            # Full and conditional are the outcomes of a national certification only.
            models.CheckConstraint(
                condition=~Q(result__in=["full", "conditional"])
                | Q(stage="national_certified"),
                name="certification_full_or_conditional_is_national",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("decided_on")),
                name="certification_valid_after_decided",
            ),
            models.CheckConstraint(condition=Q(mode__in=list(Mode.values)),
                                   name="certification_mode_known"),
            # Only a virtual assessment is checked on site afterwards, and not before it.
            models.CheckConstraint(
                condition=Q(checked_on_site_on__isnull=True)
                | Q(mode="virtual", checked_on_site_on__gte=models.F("decided_on")),
                name="certification_on_site_check_of_virtual_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.tool.code} {self.get_stage_display()} {self.decided_on}"

    @property
    def grants_certification(self) -> bool:
        return self.stage in CERTIFYING_STAGES and self.result in GRANTING_RESULTS

    def is_expired(self, today) -> bool:
        """Whether the record's validity has run out by `today` (no cron needed)."""
        return self.stage == Stage.EXPIRED or (
            self.valid_until is not None and self.valid_until < today)


class MissionTarget(TimeStampedModel):
    """"At least `count` facilities meeting `criterion` by `deadline`", over a state, a
    division, a district or a block, for one tool and (optionally) some facility types."""

    class Criterion(models.TextChoices):
        PASSES_RULE_SET = "passes_rule_set", _("Latest assessment passes the certification rules")
        SCORE_AT_LEAST = "score_at_least", _("Latest assessment scores at least the minimum")

    name = models.CharField(_("name"), max_length=200)
    state = models.ForeignKey(State, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="mission_targets")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="mission_targets")
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="mission_targets")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="mission_targets")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+")
    # Facility type codes ("DH", "CHC", ...); an empty list means every type.
    facility_types = models.JSONField(_("facility types"), default=list, blank=True)
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices,
                                 default=Criterion.PASSES_RULE_SET)
    min_score = models.FloatField(_("minimum score"), null=True, blank=True)
    count = models.PositiveIntegerField(_("number of facilities"))
    start = models.DateField(_("start date"))
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["deadline", "name"]
        verbose_name = _("mission target")
        verbose_name_plural = _("mission targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__isnull=False, division__isnull=True, district__isnull=True,
                            block__isnull=True)
                | Q(state__isnull=True, division__isnull=False, district__isnull=True,
                    block__isnull=True)
                | Q(state__isnull=True, division__isnull=True, district__isnull=False,
                    block__isnull=True)
                | Q(state__isnull=True, division__isnull=True, district__isnull=True,
                    block__isnull=False),
                name="mission_target_has_exactly_one_scope",
            ),
            models.CheckConstraint(condition=Q(criterion__in=["passes_rule_set",
                                                              "score_at_least"]),
                                   name="mission_target_criterion_known"),
            models.CheckConstraint(
                condition=~Q(criterion="score_at_least")
                | Q(min_score__isnull=False, min_score__gte=0, min_score__lte=100),
                name="mission_target_min_score_set",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="mission_target_count_positive"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("start")),
                                   name="mission_target_deadline_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self):
        return self.state or self.division or self.district or self.block

    @property
    def scope_label(self) -> str:
        """The place in words; reads district.state or block.district (select them)."""
        if self.district_id:
            return f"{self.district.name} ({self.district.state.name})"
        if self.block_id:
            return f"{self.block.name} ({self.block.district.name})"
        if self.division_id:
            return str(_("%(name)s division") % {"name": self.division.name})
        return self.state.name


class FacilityStanding(TimeStampedModel):
    """What counts for a facility: its latest SUBMITTED assessment of one kind for one
    tool, with the figures pages read. The newest of a facility's standings for a tool is
    `current`: the one row dashboards, rankings, targets, alerts, reports and campaign
    readiness count. Kept by `certification.standing` on submit, reopen and delete (the
    rule itself is `scoring.standing`); an assessment in progress is never here.
    """

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="standings")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=16, choices=Assessment.Kind.choices)
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE,
                                      related_name="standing")
    current = models.BooleanField(default=False)
    assessed_on = models.DateField(_("start date"))
    overall = models.FloatField(null=True)
    passed = models.BooleanField(null=True)
    largest_gap = models.FloatField(null=True)
    checkpoints_answered = models.PositiveIntegerField(default=0)
    checkpoints_total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["facility", "tool", "-assessed_on"]
        verbose_name = _("facility standing")
        verbose_name_plural = _("facility standings")
        constraints = [
            models.UniqueConstraint(fields=["facility", "tool", "kind"],
                                    name="standing_one_per_kind"),
            models.UniqueConstraint(fields=["facility", "tool"], condition=Q(current=True),
                                    name="standing_one_current"),
        ]
        indexes = [models.Index(fields=["tool", "current", "facility"],
                                name="standing_current_by_tool")]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.tool_id} {self.kind} {self.assessed_on}"

    @property
    def provisional(self) -> bool:
        return self.checkpoints_answered < self.checkpoints_total
