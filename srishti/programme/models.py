"""The programme's people and what they are trained for.

- `StaffMember`: the directory of the people who run the programme (civil surgeons,
  programme managers, hospital superintendents, in-charges, assessors ...), by role and
  place. Most of them never log in; an account (accounts.User) can be linked to one.
- `Training`, `Attendance`: workshops and courses, who was invited, who came, post-test
  scores.
- `Assessor`: the assessor register (one entry per staff member who assesses).
- `EligibilityRuleSet`, `EligibilityRule`: who may be given an assessment of which kind,
  as versioned data (see programme.eligibility).
- `KeyRole`: the posts whose training the coverage pages follow, with the refresher
  interval (data).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srishti.assessments.models import Assessment
from srishti.checklists.models import Tool
from srishti.core.models import TimeStampedModel
from srishti.geography.models import District, Facility, State


class StaffRole(models.TextChoices):
    STATE_QUALITY_OFFICER = "state_quality_officer", _("State quality assurance officer")
    STATE_QUALITY_CONSULTANT = "state_quality_consultant", _("State quality consultant")
    CIVIL_SURGEON = "civil_surgeon", _("Civil surgeon")
    DISTRICT_PROGRAMME_MANAGER = "district_programme_manager", _("District programme manager")
    DISTRICT_QUALITY_CONSULTANT = ("district_quality_consultant",
                                   _("District quality consultant"))
    HOSPITAL_SUPERINTENDENT = "hospital_superintendent", _("Hospital superintendent")
    HOSPITAL_MANAGER = "hospital_manager", _("Hospital manager")
    MEDICAL_OFFICER_IN_CHARGE = "medical_officer_in_charge", _("Medical officer in charge")
    NURSING_IN_CHARGE = "nursing_in_charge", _("Nursing in-charge")
    LABOUR_ROOM_IN_CHARGE = "labour_room_in_charge", _("Labour-room in-charge")
    EMERGENCY_MEDICAL_OFFICER = "emergency_medical_officer", _("Emergency medical officer")
    EXTERNAL_ASSESSOR = "external_assessor", _("External assessor")
    OTHER = "other", _("Other")


class StaffMember(TimeStampedModel):
    """One person of the programme, at a place: the state, a district or a facility.

    `district` is set for district and facility people, `facility` for facility people
    (its district is `district`); the services keep the three consistent.
    """

    Role = StaffRole

    name = models.CharField(_("name"), max_length=200)
    name_hi = models.CharField(_("name in Hindi"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=StaffRole.choices)
    designation = models.CharField(_("designation"), max_length=200, blank=True)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="staff")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="staff")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), max_length=200, blank=True)
    # The log-in account of this person, when they have one.
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="staff_member",
                                   verbose_name=_("log-in account"))
    # False once the person has left the post: kept for the history of trainings.
    active = models.BooleanField(_("in post"), default=True)
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        indexes = [models.Index(fields=["district", "role"]),
                   models.Index(fields=["facility", "role"])]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=StaffRole.values),
                                   name="staff_role_known"),
            models.CheckConstraint(condition=Q(facility__isnull=True)
                                   | Q(district__isnull=False),
                                   name="staff_facility_has_district"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self):
        return self.facility or self.district or self.state


class TrainingKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    INTERNAL_ASSESSOR = "internal_assessor", _("Internal assessor training")
    EXTERNAL_ASSESSOR = "external_assessor", _("External assessor training")
    REFRESHER = "refresher", _("Refresher")
    ORIENTATION = "orientation", _("Orientation")
    TRAINING_OF_TRAINERS = "training_of_trainers", _("Training of trainers")
    OTHER = "other", _("Other")


class Training(TimeStampedModel):
    """A training event organised for a state or a district."""

    Kind = TrainingKind

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=TrainingKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    trainers = models.CharField(_("trainers"), max_length=500, blank=True)
    # The scope that organises it: a state (district empty) or a district of it.
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="trainings")
    tools = models.ManyToManyField(Tool, blank=True, related_name="+",
                                   verbose_name=_("tools"))
    # Names of the checklist departments covered ("Labour Room", "Emergency" ...).
    departments = models.JSONField(_("departments"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    client_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TrainingKind.values),
                                   name="training_kind_known"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="training_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def scope(self):
        return self.district or self.state


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class Attendance(TimeStampedModel):
    """One person invited to a training: whether they came, and their post-test score."""

    Status = AttendanceStatus

    training = models.ForeignKey(Training, on_delete=models.CASCADE,
                                 related_name="attendance")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.INVITED)
    post_test_score = models.DecimalField(_("post-test score (%)"), max_digits=4,
                                          decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["training", "staff__name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["training", "staff"], name="attendance_once"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values),
                                   name="attendance_status_known"),
            models.CheckConstraint(
                condition=Q(post_test_score__isnull=True)
                | Q(post_test_score__gte=0, post_test_score__lte=100),
                name="attendance_score_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.training_id}: {self.status}"

    @property
    def certificate_number(self) -> str:
        """Printed on the participation certificate; stable for the attendance row."""
        return f"SR-{self.training.start_date:%Y}-{self.training_id:04d}-{self.pk:05d}"


class AssessorLevel(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    DISTRICT = "district", _("District")
    STATE = "state", _("State")
    NATIONAL = "national", _("National")


# Levels in rank order: an eligibility rule asking for a level accepts it and those above.
LEVEL_RANK = {level: rank for rank, level in enumerate(AssessorLevel.values)}


class Assessor(TimeStampedModel):
    """An entry of the assessor register: what a staff member is trained to assess."""

    Level = AssessorLevel

    staff = models.OneToOneField(StaffMember, on_delete=models.CASCADE,
                                 related_name="assessor")
    level = models.CharField(_("level"), max_length=10, choices=AssessorLevel.choices)
    tools = models.ManyToManyField(Tool, related_name="+", verbose_name=_("tools"))
    # Facility type codes ("DH", "CHC" ...) the assessor is trained for.
    facility_types = models.JSONField(_("facility types"), default=list)
    trained_on = models.DateField(_("trained on"), null=True, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True,
                                               blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["staff__name", "id"]
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=AssessorLevel.values),
                                   name="assessor_level_known"),
            models.CheckConstraint(
                condition=Q(certificate_valid_until__isnull=True)
                | Q(certified_on__isnull=True)
                | Q(certificate_valid_until__gte=models.F("certified_on")),
                name="assessor_certificate_valid_after_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} ({self.get_level_display()})"


class EligibilityRuleSet(TimeStampedModel):
    """A version of the rules deciding who may assess what. The newest rule set in
    force on an assessment's start date applies; older ones stay for the record."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Where the rules come from: a published guideline, or "Srishti default".
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("in force from"))

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("assessor eligibility rule set")
        verbose_name_plural = _("assessor eligibility rule sets")

    def __str__(self) -> str:
        return self.code


class EligibilityRule(TimeStampedModel):
    """What an assessor must meet for one kind of assessment, under one rule set."""

    rule_set = models.ForeignKey(EligibilityRuleSet, on_delete=models.CASCADE,
                                 related_name="rules")
    assessment_kind = models.CharField(_("assessment type"), max_length=16,
                                       choices=Assessment.Kind.choices)
    minimum_level = models.CharField(_("minimum level"), max_length=10,
                                     choices=AssessorLevel.choices,
                                     default=AssessorLevel.INTERNAL)
    trained_for_tool = models.BooleanField(_("trained for the tool"), default=True)
    trained_for_facility_type = models.BooleanField(_("trained for the facility type"),
                                                    default=True)
    certificate_current = models.BooleanField(_("certificate valid on the assessment date"),
                                              default=False)
    not_home_facility = models.BooleanField(_("not from the assessed facility"),
                                            default=False)
    not_home_district = models.BooleanField(_("not from the assessed facility's district"),
                                            default=False)

    class Meta:
        ordering = ["rule_set", "assessment_kind"]
        verbose_name = _("assessor eligibility rule")
        verbose_name_plural = _("assessor eligibility rules")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "assessment_kind"],
                                    name="eligibility_rule_once_per_kind"),
            models.CheckConstraint(condition=Q(minimum_level__in=AssessorLevel.values),
                                   name="eligibility_rule_level_known"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set_id}: {self.assessment_kind}"


class KeyRole(TimeStampedModel):
    """A post whose holders should be trained, and how often they need a refresher.

    `level` says where the post sits: "district" (one per district) or "facility" (one
    per facility of `facility_types`).
    """

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        FACILITY = "facility", _("Facility")

    role = models.CharField(_("role"), max_length=32, choices=StaffRole.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    facility_types = models.JSONField(_("facility types"), default=list, blank=True)
    refresher_months = models.PositiveSmallIntegerField(_("refresher every (months)"))
    source = models.CharField(_("source"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["level", "order", "role"]
        verbose_name = _("key role")
        verbose_name_plural = _("key roles")
        constraints = [
            models.UniqueConstraint(fields=["role", "level"], name="key_role_once"),
            models.CheckConstraint(condition=Q(role__in=StaffRole.values),
                                   name="key_role_known"),
            models.CheckConstraint(condition=Q(level__in=["district", "facility"]),
                                   name="key_role_level_known"),
            models.CheckConstraint(condition=Q(refresher_months__gte=1),
                                   name="key_role_refresher_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.level})"
