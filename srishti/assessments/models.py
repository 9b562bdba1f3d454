from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from srishti.checklists.models import ChecklistVersion, Checkpoint, Department
from srishti.core.models import TimeStampedModel
from srishti.geography.models import Facility

# Every compliance value any tool uses: NQAS 0/1/2, Kayakalp 0/0.5/1. Per-checkpoint levels
# are checked by the services; the database refuses anything outside this set.
ALL_LEVELS = (0, 0.5, 1, 2)


class Assessment(TimeStampedModel):
    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        INTERNAL = "internal", _("Internal")
        PEER = "peer", _("Peer")
        DISTRICT = "district", _("District")
        STATE = "state", _("State")
        NATIONAL = "national", _("National")
        SURVEILLANCE = "surveillance", _("Surveillance")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="assessments")
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT,
                                related_name="assessments")
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.INTERNAL)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    assessor_names = models.CharField(_("assessors"), max_length=500, blank=True)
    series = models.CharField(_("series"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.IN_PROGRESS)
    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    # Names of the checklist's departments this facility does not have (the workbook's
    # "NA switch"): left out of every figure rather than scored 0.
    not_present = models.JSONField(_("departments not present"), default=list, blank=True)
    # Where the filled workbook it was imported from words the checklist differently
    # (checklists.matching): {"listed": [{sheet, row, field, code, checklist, workbook}],
    # "count": n}; empty when entered here or identical.
    workbook_differences = models.JSONField(_("workbook text differences"), default=dict,
                                            blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["facility", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="assessment_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.get_kind_display()} {self.start_date:%Y-%m-%d}"


class Response(TimeStampedModel):
    """The answer to one checkpoint. `value` None means not applicable (NA)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="responses")
    value = models.DecimalField(_("score"), max_digits=3, decimal_places=1, null=True, blank=True)
    remark = models.TextField(_("remark"), blank=True)
    # Incremented on every change; a write naming an older version is a conflict.
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["assessment", "checkpoint__order"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "checkpoint"],
                                    name="one_response_per_checkpoint"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__in=ALL_LEVELS),
                name="response_value_is_a_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id}: {'NA' if self.value is None else self.value}"


class AssessmentScore(TimeStampedModel):
    """The stored result of scoring an assessment, rewritten whenever responses change."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="score")
    rule = models.CharField(max_length=24)
    overall = models.FloatField(null=True)
    pooled = models.FloatField(null=True)
    mean_of_departments = models.FloatField(null=True)
    obtained = models.FloatField(default=0)
    maximum = models.FloatField(default=0)
    checkpoints_total = models.PositiveIntegerField(default=0)
    checkpoints_answered = models.PositiveIntegerField(default=0)
    rule_set = models.CharField(max_length=50, blank=True)
    passed = models.BooleanField(null=True)
    verdict = models.JSONField(default=dict)
    # Percentage points between the worst failed criterion and its threshold (None when
    # passed): lets target and dashboard pages find facilities close to certification
    # without reading every verdict. See scoring.criteria.largest_gap.
    largest_gap = models.FloatField(null=True)
    # Programme scores inside the assessment (LaQshya, MusQan departments of DH 2019):
    # [{"name", "obtained", "maximum", "score", "departments", "not_present",
    #   "rule_set", "passed", "badge", "verdict"}].
    groups = models.JSONField(default=list)
    # AAM-SC themes: [{"key", "number", "name", "mandatory", "offered", "obtained",
    #   "maximum", "score"}].
    themes = models.JSONField(default=list)

    class Meta:
        ordering = ["assessment"]
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")


class ScoreRow(models.Model):
    """One pooled figure of an assessment: a department, an area or a standard.

    `department` is null for facility-wide rows (areas and standards pooled across
    departments). Dashboards and pages read these rows instead of recomputing.
    """

    class Level(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        AREA = "area", _("Area of concern")
        STANDARD = "standard", _("Standard")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="score_rows")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True,
                                   related_name="+")
    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=10, blank=True)
    obtained = models.FloatField()
    maximum = models.FloatField()
    scored = models.PositiveIntegerField()
    not_applicable = models.PositiveIntegerField()
    score = models.FloatField(null=True)

    class Meta:
        ordering = ["assessment", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "department", "level", "code"],
                name="score_row_unique_in_department",
            ),
            models.UniqueConstraint(
                fields=["assessment", "level", "code"],
                condition=models.Q(department__isnull=True),
                name="score_row_unique_facility_wide",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "code"]),
        ]
        # Dashboards aggregate the facility-wide rows of thousands of assessments: see the
        # covering partial indexes of migration 0004.

    def __str__(self) -> str:
        return f"{self.level} {self.code}: {self.obtained}/{self.maximum}"


class Assignment(TimeStampedModel):
    """An assessor scores one department of an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="assignments")

    class Meta:
        ordering = ["assessment", "department__order"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "department", "assessor"],
                                    name="assignment_unique")
        ]


class ResponseChange(models.Model):
    """Append-only history of every change to a response: who, when, old and new."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField()
    old_value = models.DecimalField(max_digits=3, decimal_places=1, null=True)
    new_value = models.DecimalField(max_digits=3, decimal_places=1, null=True)
    # Whether the old state existed at all (False for the first answer).
    had_old = models.BooleanField(default=True)
    old_remark = models.TextField(blank=True)
    new_remark = models.TextField(blank=True)
    source = models.CharField(max_length=10, default="web")
    # The client's id for the write: a replayed request finds its change and changes
    # nothing (see assessments.services.response_save).
    client_id = models.UUIDField(null=True, unique=True)

    class Meta:
        ordering = ["response", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["response", "revision"],
                                    name="response_change_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.response_id} r{self.revision}: {self.old_value} -> {self.new_value}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("response history is append-only")
        super().save(*args, **kwargs)


class AssessmentEvent(models.Model):
    """Submissions and reopenings, with the reason a state admin gave for reopening."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "at"]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.kind} {self.at:%Y-%m-%d}"
