from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from srishti.core.models import TimeStampedModel
from srishti.geography.models import State


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    LOGIN_THROTTLED = "login_throttled", _("Log-in refused: too many failures")
    LOGOUT = "logout", _("Logged out")
    PASSWORD_CHANGED = "password_changed", _("Changed own password")
    PASSWORD_RESET_MAIL = "password_reset_mail", _("Asked for a password-reset e-mail")
    TEMPORARY_PASSWORD = "temporary_password", _("Set a temporary password")
    PERSON_CREATED = "person_created", _("Added a person")
    PERSON_CHANGED = "person_changed", _("Changed a person")
    ROLE_ADDED = "role_added", _("Gave a role")
    ROLE_REMOVED = "role_removed", _("Took a role away")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")


class AuditEvent(TimeStampedModel):
    """Who did what, when and from where: log-ins (and failed ones), changes to people and
    their roles, exports and imports. Written once, never changed."""

    Kind = AuditKind

    kind = models.CharField(_("what"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    # As typed (a failed log-in may name no account) or the actor's, kept if they go.
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # Whose state administrators see the event; none: only superusers do.
    state = models.ForeignKey(State, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    summary = models.CharField(_("details"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # The per-address log-in limit counts recent failures from one address.
            models.Index(fields=["kind", "address", "created_at"], name="audit_kind_address"),
            models.Index(fields=["state", "created_at"], name="audit_state_created"),
        ]
        constraints = [
            models.CheckConstraint(name="audit_kind_known",
                                   condition=models.Q(kind__in=AuditKind.values)),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.kind}"
