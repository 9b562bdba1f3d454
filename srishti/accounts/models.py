from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srishti.core.models import TimeStampedModel
from srishti.geography.models import Block, District, Division, Facility, State


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships."""

    # Lock-out after repeated failed log-ins (see accounts.services.login_failed).
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Set when an administrator gives a temporary password: the person must choose their
    # own before anything else (see accounts.middleware.SessionPolicyMiddleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta(AbstractUser.Meta):
        ordering = ["username"]


class Role(models.TextChoices):
    STATE_QUALITY_UNIT = "state_quality_unit", _("State quality unit")
    DIVISION_QUALITY_UNIT = "division_quality_unit", _("Division (regional) quality unit")
    DISTRICT_QUALITY_UNIT = "district_quality_unit", _("District quality unit")
    BLOCK_HEALTH_TEAM = "block_health_team", _("Block health team")
    FACILITY_QUALITY_TEAM = "facility_quality_team", _("Facility quality team")
    ASSESSOR = "assessor", _("Assessor")
    VIEWER = "viewer", _("Read-only viewer")


class Membership(TimeStampedModel):
    """One role of a person over one scope: a state, a division, a district, a block or a
    facility."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    state = models.ForeignKey(State, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_has_exactly_one_scope",
                condition=(
                    Q(state__isnull=False, division__isnull=True, district__isnull=True,
                      block__isnull=True, facility__isnull=True)
                    | Q(state__isnull=True, division__isnull=False, district__isnull=True,
                        block__isnull=True, facility__isnull=True)
                    | Q(state__isnull=True, division__isnull=True, district__isnull=False,
                        block__isnull=True, facility__isnull=True)
                    | Q(state__isnull=True, division__isnull=True, district__isnull=True,
                        block__isnull=False, facility__isnull=True)
                    | Q(state__isnull=True, division__isnull=True, district__isnull=True,
                        block__isnull=True, facility__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="membership_role_known", condition=Q(role__in=Role.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.scope}"

    @property
    def scope(self):
        return self.state or self.division or self.district or self.block or self.facility
