"""Forms of the log-in and People pages: they parse and check input, services write."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

from srishti.core.errors import DomainError
from srishti.geography.models import Block, Facility

from . import access, services, throttle
from .models import Role

IST = ZoneInfo("Asia/Kolkata")


class LoginForm(AuthenticationForm):
    """Django's log-in form, saying when a locked account opens again.

    An unknown username and a wrong password get the same words; an unknown username is
    also "locked" after five tries (accounts.services), so the lock tells nothing either.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Check both and try again."),
        "locked": _("Too many failed attempts: this account is locked until %(time)s IST. "
                    "Try again after that, or ask your administrator for a new password."),
        "throttled": _("Too many failed log-ins from your network: try again after "
                       "%(time)s IST."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            blocked = throttle.login_blocked_until(self.request)
            if blocked is not None:
                from srishti.audit.models import AuditEvent
                from srishti.audit.services import event_record

                event_record(kind=AuditEvent.Kind.LOGIN_THROTTLED, username=username)
                raise ValidationError(
                    self.error_messages["throttled"], code="throttled",
                    params={"time": time_format(timezone.localtime(blocked, IST), "H:i")})
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                until = services.login_locked_until(username=username)
                user = services.user_for_login(username)
                if until is not None and not throttle.device_trusted(self.request, user):
                    raise ValidationError(
                        self.error_messages["locked"], code="locked",
                        params={"time": time_format(timezone.localtime(until, IST), "H:i")})
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class NewPasswordMixin:
    """A new password must differ from the one it replaces (often a temporary one)."""

    def clean_new_password1(self):
        password = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            raise ValidationError(_("Choose a password different from the current one."),
                                  code="password_unchanged")
        return password


class ResetPasswordForm(PasswordResetForm):
    """Django's "send me a link" form, at most a few times an hour from one address (each
    message goes to a real inbox), and written to the audit log."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        data = super().clean()
        if not throttle.allow(self.request, "password-reset",
                              settings.SRISHTI_PASSWORD_RESETS_PER_HOUR, 60 * 60):
            raise ValidationError(_("Too many requests from your network: try again in an "
                                    "hour, or ask your quality unit."), code="throttled")
        return data

    def save(self, **kwargs):
        from srishti.audit.models import AuditKind
        from srishti.audit.services import event_record

        event_record(kind=AuditKind.PASSWORD_RESET_MAIL,
                     summary=self.cleaned_data["email"][:120])
        return super().save(**kwargs)


class ResetSetPasswordForm(NewPasswordMixin, SetPasswordForm):
    """The new password chosen from an e-mailed link: it ends a lock and a temporary
    password, like choosing one's own password does (accounts.services)."""

    def save(self, commit=True):
        return services.password_change(user=self.user,
                                        password=self.cleaned_data["new_password1"])


class FirstPasswordForm(NewPasswordMixin, SetPasswordForm):
    """After a reset: the person just typed the temporary password to log in."""


class OwnPasswordChangeForm(NewPasswordMixin, PasswordChangeForm):
    pass


class TemporaryPasswordForm(SetPasswordForm):
    """An administrator sets a temporary password for someone they manage."""

    new_password1, new_password2 = SetPasswordForm.create_password_fields(
        label1=_("Temporary password"), label2=_("Temporary password again"))


class ScopeForm(forms.Form):
    """A role and the place it applies to, offering only the scopes the user manages.

    The scope is the most specific place chosen: a facility, else a block, else a
    district, else a division, else the state. Blocks and facilities are listed for the
    chosen district only (about 50 facilities each in Bihar, not the state's 2,000); the
    page swaps those lists when the district changes.
    """

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    state = forms.ModelChoiceField(label=_("State"), queryset=None, required=False)
    division = forms.ModelChoiceField(label=_("Division"), queryset=None, required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)
    block = forms.ModelChoiceField(label=_("Block"), queryset=None, required=False)
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scopes = access.manageable_scopes(user)
        self.states = list(scopes.states)
        self.fields["state"].queryset = scopes.states
        self.fields["division"].queryset = scopes.divisions.order_by("name")
        self.fields["district"].queryset = scopes.districts.order_by("name")
        if len(self.states) == 1:
            self.fields["state"].initial = self.states[0].pk
        roles = Role.choices
        if not self.states:
            # Without a state of one's own, no role that needs a state can be given.
            roles = [(v, label) for v, label in roles if v != Role.STATE_QUALITY_UNIT]
        self.fields["role"].choices = [("", _("Choose a role")), *roles]
        if not self.states:
            districts = list(self.fields["district"].queryset[:2])
            if len(districts) == 1:
                self.fields["district"].initial = districts[0].pk
        self.district_id = self._chosen_district_id()
        self.fields["facility"].queryset = (
            scopes.facilities.filter(district_id=self.district_id)
            .order_by("facility_type", "name")
            if self.district_id else Facility.objects.none())
        self.fields["block"].queryset = (
            scopes.blocks.filter(district_id=self.district_id).order_by("name")
            if self.district_id else Block.objects.none())

    def _chosen_district_id(self) -> int | None:
        raw = (self.data.get(self.add_prefix("district")) if self.is_bound
               else self.fields["district"].initial)
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        state, district, facility = data.get("state"), data.get("district"), data.get("facility")
        division, block = data.get("division"), data.get("block")
        if self.errors:
            return data
        if district is not None and state is not None and district.state_id != state.pk:
            raise ValidationError(_("That district is not in that state."))
        if division is not None and state is not None and division.state_id != state.pk:
            raise ValidationError(_("That division is not in that state."))
        if block is not None and facility is not None and facility.block_id != block.pk:
            raise ValidationError(_("That facility is not in that block."))
        scope = facility or block or district or division or state
        if scope is None:
            raise ValidationError(_("Choose where this role applies: a district or a facility."))
        if not access.can_manage_people(self.user, scope):
            raise ValidationError(_("You cannot give roles there."))
        try:
            services.role_scope_check(data["role"], scope)
        except DomainError as error:
            raise ValidationError(str(error)) from error
        data["scope"] = scope
        return data


# The rule the help text states, and the error that repeats it in the same words: Django's
# UnicodeUsernameValidator also allowed @ and + and said so in other words.
USERNAME_RULE = _("Letters, digits and . - _ only; it is stored in small letters.")
username_validator = RegexValidator(
    r"^[\w.-]+\Z", message=_("A username may hold only letters, digits and . - _ (no "
                             "spaces or other signs)."), code="invalid")


class PersonCreateForm(ScopeForm):
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[username_validator],
        help_text=USERNAME_RULE,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off",
                                      "spellcheck": "false"}))
    name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    password1, password2 = SetPasswordForm.create_password_fields(
        label1=_("Temporary password"), label2=_("Temporary password again"))

    field_order = ["username", "name", "email", "password1", "password2", "role", "state",
                   "division", "district", "block", "facility"]

    def clean_password2(self):
        from django.contrib.auth import password_validation

        one, two = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if one and two and one != two:
            raise ValidationError(_("The two passwords differ."), code="password_mismatch")
        if two:
            password_validation.validate_password(two)
        return two


class PersonEditForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    is_active = forms.BooleanField(
        label=_("Active: may log in"), required=False,
        help_text=_("Untick to deactivate: the person can no longer log in, and their "
                    "roles and history are kept."))
