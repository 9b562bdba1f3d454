"""Forms of the campaign pages: parse and check input, nothing more."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from srishti.certification.forms import default_tool_id
from srishti.checklists.models import Tool
from srishti.geography.models import FacilityType
from srishti.programme.forms import ClientIdForm, DateInput, line

from .models import Goal


class CampaignForm(ClientIdForm):
    name = line(_("Name"), 200, required=True)
    scope = forms.ChoiceField(label=_("For"))
    tool = forms.ModelChoiceField(label=_("Tool"), queryset=None, empty_label=None)
    start = forms.DateField(label=_("Start date"), widget=DateInput())
    end = forms.DateField(label=_("End date"), widget=DateInput())
    goal = forms.ChoiceField(label=_("Goal"), choices=Goal.choices,
                             widget=forms.RadioSelect, initial=Goal.CERTIFICATION_READY)
    goal_value = forms.FloatField(
        label=_("Goal figure (%)"), required=False, min_value=0, max_value=100,
        help_text=_("For “score at least”: the score; for “gaps closed at least”: the share "
                    "of action items closed. Leave empty for certification-ready."))
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    facility_types = forms.MultipleChoiceField(
        label=_("Enrol every facility of these types"), choices=FacilityType.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Facilities can also be enrolled one by one afterwards."))

    def __init__(self, *args, scopes, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes
        self.fields["tool"].queryset = Tool.objects.order_by("code")
        # NQAS, as on every other form, not the first tool by code (Kayakalp).
        self.fields["tool"].initial = default_tool_id()
        if editing:
            for name in ("scope", "tool", "facility_types"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        goal, value = data.get("goal"), data.get("goal_value")
        if goal == Goal.CERTIFICATION_READY:
            data["goal_value"] = None
        elif goal and value is None:
            self.add_error("goal_value", _("Give the goal's figure, a percentage from 0 "
                                           "to 100."))
        return data
