"""Forms of the programme pages: parse and check input, nothing more."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from srishti.accounts import access
from srishti.accounts.forms import ScopeForm
from srishti.checklists.models import Tool
from srishti.geography.models import FacilityType

from .limits import MAX_SHEET_BYTES, no_control_characters
from .models import AssessorLevel, AttendanceStatus, StaffRole, TrainingKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends ISO dates whatever the interface language.
        super().__init__(attrs, format="%Y-%m-%d")


def line(label, max_length: int, required: bool = False, **kwargs) -> forms.CharField:
    """A one-line text field refusing control characters."""
    return forms.CharField(label=label, max_length=max_length, required=required,
                           validators=[no_control_characters], **kwargs)


class ClientIdForm(forms.Form):
    """Carries the id that makes a create post idempotent (a replay creates nothing)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["client_id"].initial = uuid.uuid4()


class StaffForm(ClientIdForm, ScopeForm):
    """A person of the directory, placed where the user records people (the place
    pickers of accounts.forms.ScopeForm, whose facility list the same page swaps in)."""

    name = line(_("Name"), 200, required=True)
    name_hi = line(_("Name in Hindi (for certificates)"), 200)
    designation = line(_("Designation"), 200)
    phone = line(_("Phone"), 20)
    email = forms.EmailField(label=_("E-mail"), max_length=200, required=False)
    account = forms.ModelChoiceField(
        label=_("Log-in account"), queryset=None, required=False,
        help_text=_("Optional: the person's own log-in, if they have one."))
    active = forms.BooleanField(label=_("In post"), required=False, initial=True,
                                help_text=_("Untick when the person has left the post; "
                                            "their trainings stay on record."))

    field_order = ["name", "name_hi", "role", "designation", "state", "district", "facility",
                   "phone", "email", "account", "active"]

    def __init__(self, *args, user, accounts, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["role"].choices = [("", _("Choose a role")), *StaffRole.choices]
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = (
            lambda u: f"{u.get_full_name()} ({u.username})" if u.get_full_name()
            else u.username)

    def clean(self):
        # ScopeForm's clean checks a membership role against the place; a staff role has
        # no such rule, so only the place is checked here.
        data = forms.Form.clean(self)
        if self.errors:
            return data
        state, district, facility = data.get("state"), data.get("district"), data.get("facility")
        if district is not None and state is not None and district.state_id != state.pk:
            raise ValidationError(_("That district is not in that state."))
        if facility is not None and district is not None and facility.district_id != district.pk:
            raise ValidationError(_("That facility is not in that district."))
        place = facility or district or state
        if place is None:
            raise ValidationError(_("Choose where the person works: the state, a district "
                                    "or a facility."))
        if not access.can_manage_staff(self.user, place):
            raise ValidationError(_("You cannot record people there."))
        data["place"] = place
        return data


class TrainingForm(ClientIdForm):
    title = line(_("Title"), 200, required=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    scope = forms.ChoiceField(label=_("Organised for"))
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    venue = line(_("Venue"), 200)
    organiser = line(_("Organiser"), 200)
    trainers = line(_("Trainers"), 500, help_text=_("Names, separated by commas."))
    tools = forms.ModelMultipleChoiceField(label=_("Tools covered"), queryset=None,
                                           required=False,
                                           widget=forms.CheckboxSelectMultiple)
    departments = forms.MultipleChoiceField(label=_("Departments covered"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, scopes, departments, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes
        self.fields["tools"].queryset = Tool.objects.order_by("code")
        self.fields["departments"].choices = [(d, d) for d in departments]
        if editing:
            del self.fields["scope"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class AttendanceAddForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Person"), queryset=None)
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices,
                               initial=AttendanceStatus.INVITED)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = people
        self.fields["staff"].label_from_instance = (
            lambda s: f"{s.name} · {s.get_role_display()} · {s.place}")


class AttendanceSheetForm(forms.Form):
    sheet = forms.FileField(
        label=_("Attendance sheet (.xlsx)"),
        help_text=_("Start from the exported sheet: keep the ID column to match people; "
                    "a row without ID adds a new person."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".xlsm"):
            raise ValidationError(_("Choose an Excel workbook ending in .xlsx; an old .xls "
                                    "file must first be saved again as .xlsx."))
        if upload.size > MAX_SHEET_BYTES:
            raise ValidationError(
                _("This file is %(size)s; the largest attendance sheet accepted is "
                  "%(limit)s.") % {"size": filesizeformat(upload.size),
                                   "limit": filesizeformat(MAX_SHEET_BYTES)})
        return upload


class AssessorForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=AssessorLevel.choices)
    tools = forms.ModelMultipleChoiceField(label=_("Trained for the tools"), queryset=None,
                                           widget=forms.CheckboxSelectMultiple)
    facility_types = forms.MultipleChoiceField(label=_("Trained for the facility types"),
                                               choices=FacilityType.choices,
                                               widget=forms.CheckboxSelectMultiple)
    trained_on = forms.DateField(label=_("Trained on"), widget=DateInput(), required=False)
    certified_on = forms.DateField(label=_("Certified on"), widget=DateInput(),
                                   required=False)
    certificate_valid_until = forms.DateField(label=_("Certificate valid until"),
                                              widget=DateInput(), required=False)
    certificate_number = line(_("Certificate number"), 50)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                help_text=_("Untick to stop offering this assessor for "
                                            "new assignments."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tools"].queryset = Tool.objects.order_by("code")

    def clean(self):
        data = super().clean()
        issued, until = data.get("certified_on"), data.get("certificate_valid_until")
        if issued and until and until < issued:
            self.add_error("certificate_valid_until",
                           _("The certificate cannot end before it was issued."))
        return data
