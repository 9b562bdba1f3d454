from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from srishti.core.models import TimeStampedModel


class FacilityType(models.TextChoices):
    DH = "DH", _("District hospital")
    SDH = "SDH", _("Sub-divisional hospital")
    CHC = "CHC", _("Community health centre")
    PHC = "PHC", _("Primary health centre")
    UPHC = "UPHC", _("Urban primary health centre")
    AAM_SC = "AAM-SC", _("Ayushman Arogya Mandir - sub-centre")


class State(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=10, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self) -> str:
        return self.name


class Division(TimeStampedModel):
    """A revenue division of a state (Bihar has nine), watched by a regional office."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="divisions")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="division_unique_in_state")
        ]

    def __str__(self) -> str:
        return self.name


class District(TimeStampedModel):
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")
    # Optional: a state without divisions keeps its districts directly under it.
    division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="districts", verbose_name=_("division"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="district_unique_in_state")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Across tables, so not a database constraint: geography.services checks it too.
        if self.division_id and self.division.state_id != self.state_id:
            raise ValidationError({"division": _("The division is in another state.")})


class Block(TimeStampedModel):
    """A block of a district: the block health team runs its PHCs and sub-centres."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="blocks")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["district__name", "name"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="block_unique_in_district")
        ]

    def __str__(self) -> str:
        return self.name


class Facility(TimeStampedModel):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="facilities")
    # Optional: district hospitals and many lists have no block.
    block = models.ForeignKey(Block, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="facilities", verbose_name=_("block"))
    name = models.CharField(_("name"), max_length=200)
    facility_type = models.CharField(_("type"), max_length=8, choices=FacilityType.choices)
    # National Identification Number from the health facility registry, when known.
    nin = models.CharField(_("NIN"), max_length=20, unique=True, null=True, blank=True)
    # The service profile of a sub-centre (AAM-SC): the optional service packages it
    # offers (names in scoring.packages.OPTIONAL_SERVICES) and its type, A or B.
    services = models.JSONField(_("optional services offered"), default=list, blank=True)
    subcentre_type = models.CharField(
        _("sub-centre type"), max_length=1, default="A",
        choices=[("A", _("Type A")), ("B", _("Type B"))],
    )

    class Meta:
        ordering = ["district__name", "facility_type", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "facility_type", "name"], name="facility_unique_in_district"
            ),
            models.CheckConstraint(
                condition=models.Q(facility_type__in=FacilityType.values),
                name="facility_type_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.facility_type})"

    def service_profile(self):
        from srishti.scoring.packages import ServiceProfile

        return ServiceProfile(offered=frozenset(self.services),
                              subcentre_type=self.subcentre_type)

    def clean(self) -> None:
        if self.block_id and self.block.district_id != self.district_id:
            raise ValidationError({"block": _("The block is in another district.")})
