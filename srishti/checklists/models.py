"""The checklist library: tools, their versions and the hierarchy inside a version.

The hierarchy is kept per department (department > area > standard > measurable element
> checkpoint), as the official workbooks have it: the same standard code carries
different measurable elements and checkpoints in each department. Facility-wide figures
pool by code.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from srishti.core.models import TimeStampedModel
from srishti.geography.models import FacilityType, State
from srishti.scoring.types import OverallRule

METHODS = ("SI", "OB", "RR", "PI")


class Tool(TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    # Stored in English (checklists.services.TOOL_NAMES); shown in the reader's language.
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tool")
        verbose_name_plural = _("tools")

    def __str__(self) -> str:
        return gettext(self.name)


class CertificationRuleSet(TimeStampedModel):
    """Certification criteria as data (see scoring.criteria for the format)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="rule_sets")
    facility_types = models.JSONField(_("facility types"), default=list)
    definition = models.JSONField(_("definition"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("certification rule set")
        verbose_name_plural = _("certification rule sets")

    def __str__(self) -> str:
        return self.code

    def as_rule_set(self):
        from srishti.scoring.criteria import rule_set_from_dict

        return rule_set_from_dict(self.definition)


class ChecklistVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="versions")
    facility_type = models.CharField(_("facility type"), max_length=8, choices=FacilityType.choices)
    label = models.CharField(_("version"), max_length=50)
    state_variant = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="checklist_variants"
    )
    rule_set = models.ForeignKey(
        CertificationRuleSet, on_delete=models.PROTECT, null=True, blank=True,
        related_name="versions",
    )
    overall_rule = models.CharField(
        _("overall score rule"), max_length=24,
        choices=[(r.value, r.value.replace("_", " ")) for r in OverallRule],
        default=OverallRule.POOLED.value,
    )
    # Allowed compliance values; the full score of a checkpoint is the highest of them.
    levels = models.JSONField(_("score levels"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PUBLISHED)
    # Hash of the structure (texts and codes in order), used to reuse an identical
    # version when a filled workbook of an already-known checklist is imported.
    structure_hash = models.CharField(max_length=64, db_index=True)
    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    # Departments whose pooled score is a programme's score inside this checklist:
    # [{"name": "LaQshya", "departments": ["Labour Room", "M-OT"], "rule_set": code}].
    groups = models.JSONField(_("department groups"), default=list, blank=True)
    # Themes (AAM-SC service packages), each pooled over its measurable elements:
    # [{"key", "number", "name", "mandatory", "measurable_elements": [codes],
    #   "services": [optional package names; the theme counts only where one is offered]}]
    themes = models.JSONField(_("themes"), default=list, blank=True)
    # The service tags its checkpoints carry besides "All" (empty: no service packages).
    service_tags = models.JSONField(_("service tags"), default=list, blank=True)
    # The language of the translated text beside the checklist's own (see Translation).
    second_language = models.CharField(_("second language"), max_length=8, blank=True)

    class Meta:
        ordering = ["tool__code", "facility_type", "label"]
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "facility_type", "label", "state_variant"],
                name="checklist_version_unique_in_variant",
            ),
            # NULL never equals NULL in a unique index, so the national version needs
            # its own constraint.
            models.UniqueConstraint(
                fields=["tool", "facility_type", "label"],
                condition=models.Q(state_variant__isnull=True),
                name="checklist_version_unique_national",
            ),
        ]

    def __str__(self) -> str:
        variant = f" ({self.state_variant})" if self.state_variant_id else ""
        return f"{self.tool.code} {self.facility_type} {self.label}{variant}"

    @property
    def full_score(self) -> float:
        return float(max(self.levels)) if self.levels else 2.0

    def is_in_use(self) -> bool:
        return self.assessments.exists()


class ImmutableWhenUsed(models.Model):
    """Refuses edits to the structure of a version that an assessment already uses."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk and self.version_for_lock().is_in_use():
            raise ValidationError(
                _("This checklist version is used by an assessment and cannot be changed.")
            )
        super().save(*args, **kwargs)

    def version_for_lock(self) -> ChecklistVersion:
        raise NotImplementedError


class Department(TimeStampedModel, ImmutableWhenUsed):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE,
                                related_name="departments")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="department_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def version_for_lock(self) -> ChecklistVersion:
        return self.version


class AreaOfConcern(TimeStampedModel, ImmutableWhenUsed):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="areas")
    letter = models.CharField(_("letter"), max_length=2)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["department", "order"]
        verbose_name = _("area of concern")
        verbose_name_plural = _("areas of concern")
        constraints = [
            models.UniqueConstraint(fields=["department", "letter"], name="area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.title}"

    def version_for_lock(self) -> ChecklistVersion:
        return self.department.version


class Standard(TimeStampedModel, ImmutableWhenUsed):
    area = models.ForeignKey(AreaOfConcern, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(_("code"), max_length=10)
    title = models.TextField(_("title"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["area", "order"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="standard_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"

    def version_for_lock(self) -> ChecklistVersion:
        return self.area.department.version


class MeasurableElement(TimeStampedModel, ImmutableWhenUsed):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE,
                                 related_name="measurable_elements")
    code = models.CharField(_("code"), max_length=16)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["standard", "order"]
        verbose_name = _("measurable element")
        verbose_name_plural = _("measurable elements")

    def __str__(self) -> str:
        return f"ME {self.code}"

    def version_for_lock(self) -> ChecklistVersion:
        return self.standard.area.department.version


class Checkpoint(TimeStampedModel, ImmutableWhenUsed):
    # The version and department are repeated here so that scoring and capture pages
    # read a department's checkpoints in one indexed query.
    # No index of its own: the (version, department, order) index below serves it, and
    # every index costs each of a district hospital's ~6,500 inserts.
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE,
                                related_name="checkpoints", db_index=False)
    department = models.ForeignKey(Department, on_delete=models.CASCADE,
                                   related_name="checkpoints")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="checkpoints")
    measurable_element = models.ForeignKey(
        MeasurableElement, on_delete=models.CASCADE, null=True, blank=True,
        related_name="checkpoints",
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    text = models.TextField(_("checkpoint"))
    # Space-separated subset of SI OB RR PI.
    methods = models.CharField(_("assessment methods"), max_length=20, blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    # Empty = the version's levels; e.g. [0, 2] for a checkpoint with no partial score.
    levels = models.JSONField(_("score levels"), default=list, blank=True)
    na_allowed = models.BooleanField(_("NA allowed"), default=True)
    order = models.PositiveIntegerField(default=0)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    # AAM-SC: the service package the checkpoint belongs to (scoring.packages); "All"
    # for every checkpoint of other checklists.
    service = models.CharField(_("service"), max_length=40, default="All")

    class Meta:
        ordering = ["department", "order"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        indexes = [models.Index(fields=["version", "department", "order"])]

    def __str__(self) -> str:
        return self.text[:80]

    def version_for_lock(self) -> ChecklistVersion:
        return self.version

    @property
    def method_list(self) -> list[str]:
        return self.methods.split()

    def allowed_levels(self) -> list[float]:
        return [float(v) for v in (self.levels or self.version.levels)]


class Translation(TimeStampedModel):
    """A text of a checklist version in its second language.

    Kept beside the hierarchy rather than in it: a version's rows are immutable once
    used, and a translation may arrive (or be corrected) later. `kind` and `object_id`
    name the row (department, area, standard, element, checkpoint), `field` its column.
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("department")
        AREA = "area", _("area of concern")
        STANDARD = "standard", _("standard")
        ELEMENT = "element", _("measurable element")
        CHECKPOINT = "checkpoint", _("checkpoint")
        # A theme of ChecklistVersion.themes; object_id is its number.
        THEME = "theme", _("theme")

    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE,
                                related_name="translations")
    language = models.CharField(_("language"), max_length=8)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    field = models.CharField(max_length=30)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["version", "language", "kind", "object_id", "field"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["version", "language", "kind", "object_id", "field"],
                                    name="translation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.field} ({self.language})"
