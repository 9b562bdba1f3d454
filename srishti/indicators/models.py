"""Outcome (area H) indicators: the library, and the monthly figures facilities report.

An indicator is data, not code: its formula (numerator / denominator x an explicit
multiplier), its direction, benchmark and validation rules are rows a state can extend
(admin, `srishti indicators import`). A facility reports per department and month; a
`MonthlyReport` holds the figures of one department-month, so that it has one revision
(a stale form is a conflict) and one date of first submission (late or on time).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from srishti.core.models import TimeStampedModel
from srishti.geography.models import Facility

from . import formulas


class Multiplier(models.IntegerChoices):
    ONE = 1, _("× 1")
    HUNDRED = 100, _("× 100 (per cent)")
    THOUSAND = 1_000, _("× 1,000")
    LAKH = 100_000, _("per lakh (× 1,00,000)")


class Direction(models.TextChoices):
    HIGHER = formulas.Direction.HIGHER.value, _("Higher is better")
    LOWER = formulas.Direction.LOWER.value, _("Lower is better")


def _hindi() -> bool:
    return (get_language() or "").startswith("hi")


class Indicator(TimeStampedModel):
    """One indicator of the library, in English and Hindi."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200)
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    unit_hi = models.CharField(_("unit (Hindi)"), max_length=60, blank=True)
    # Department names as the checklists spell them ("IPD", "Labour Room"); matched
    # without regard to case or spaces.
    departments = models.JSONField(_("departments"), default=list)
    # Facility type codes ("DH", "CHC"...); empty: every type.
    facility_types = models.JSONField(_("facility types"), default=list, blank=True)
    numerator_en = models.CharField(_("numerator (English)"), max_length=300)
    numerator_hi = models.CharField(_("numerator (Hindi)"), max_length=300)
    denominator_en = models.CharField(_("denominator (English)"), max_length=300)
    denominator_hi = models.CharField(_("denominator (Hindi)"), max_length=300)
    multiplier = models.PositiveIntegerField(_("multiplier"), choices=Multiplier.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    benchmark = models.FloatField(_("benchmark or target"), null=True, blank=True)
    benchmark_source = models.CharField(_("source of the benchmark"), max_length=200,
                                        blank=True)
    # The area-H standard and measurable element the indicator evidences ("H1", "H1.1").
    standard = models.CharField(_("standard"), max_length=10, blank=True)
    measurable_element = models.CharField(_("measurable element"), max_length=12, blank=True)
    numerator_le_denominator = models.BooleanField(
        _("numerator may not exceed the denominator"), default=True)
    numerator_whole = models.BooleanField(_("numerator is a whole number"), default=True)
    denominator_whole = models.BooleanField(_("denominator is a whole number"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(multiplier__in=list(formulas.MULTIPLIERS)),
                                   name="indicator_multiplier_known"),
            models.CheckConstraint(condition=Q(direction__in=["higher", "lower"]),
                                   name="indicator_direction_known"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from srishti.geography.models import FacilityType

        if not (isinstance(self.departments, list) and self.departments
                and all(isinstance(d, str) and d.strip() for d in self.departments)):
            raise ValidationError({"departments": _(
                'Name at least one department, as a list: ["IPD", "Labour Room"].')})
        if not isinstance(self.facility_types, list) or any(
                t not in FacilityType.values for t in self.facility_types):
            raise ValidationError({"facility_types": _(
                'A list of facility types (DH, SDH, CHC, PHC, UPHC, AAM-SC); empty: all.')})

    @property
    def name(self) -> str:
        return self.name_hi if _hindi() and self.name_hi else self.name_en

    @property
    def unit(self) -> str:
        return self.unit_hi if _hindi() and self.unit_hi else self.unit_en

    @property
    def numerator(self) -> str:
        return self.numerator_hi if _hindi() and self.numerator_hi else self.numerator_en

    @property
    def denominator(self) -> str:
        return self.denominator_hi if _hindi() and self.denominator_hi else self.denominator_en

    @property
    def rules(self) -> formulas.Rules:
        return formulas.Rules(multiplier=self.multiplier,
                              numerator_le_denominator=self.numerator_le_denominator,
                              numerator_whole=self.numerator_whole,
                              denominator_whole=self.denominator_whole)

    @property
    def ceiling(self) -> float | None:
        """The largest value the indicator can take: the multiplier, for a part of a whole."""
        return float(self.multiplier) if self.numerator_le_denominator else None


class MonthlyReport(TimeStampedModel):
    """The figures of one department of a facility for one month."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT,
                                 related_name="indicator_reports")
    department = models.CharField(_("department"), max_length=100)
    month = models.DateField(_("month"))  # always the first day of the month
    # Incremented on every change; a form or device naming an older one is a conflict.
    revision = models.PositiveIntegerField(default=1)
    # When the first figures arrived: late or on time is judged on this, not on edits.
    first_submitted_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["facility", "department", "month"]
        verbose_name = _("monthly indicator report")
        verbose_name_plural = _("monthly indicator reports")
        constraints = [
            models.UniqueConstraint(fields=["facility", "department", "month"],
                                    name="one_indicator_report_per_department_month"),
        ]
        indexes = [models.Index(fields=["facility", "month"])]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.department} {self.month:%Y-%m}"


class IndicatorValue(models.Model):
    """One indicator's figures in a monthly report, with the value they give.

    Facility, department and month repeat the report's, so that charts and district
    pages read one table through one index (bench/indicators_bench.py).
    """

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    department = models.CharField(max_length=100)
    month = models.DateField()
    numerator = models.DecimalField(max_digits=14, decimal_places=2)
    denominator = models.DecimalField(max_digits=14, decimal_places=2)
    # numerator / denominator x multiplier; null when the denominator is zero.
    value = models.FloatField(null=True)

    class Meta:
        ordering = ["report", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"],
                                    name="one_value_per_indicator_per_report"),
            models.CheckConstraint(condition=Q(numerator__gte=0) & Q(denominator__gte=0),
                                   name="indicator_figures_not_negative"),
        ]
        indexes = [models.Index(fields=["facility", "indicator", "month"],
                                name="indicator_value_run")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.month:%Y-%m}: {self.numerator}/{self.denominator}"


class ReportWrite(models.Model):
    """A write of monthly figures, kept by the client's id with the answer it got, so
    that the same write sent again (a retry, a double click, a device syncing twice)
    changes nothing and gets the same answer."""

    client_id = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    request_hash = models.CharField(max_length=64)
    answer = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"write {self.client_id}"
