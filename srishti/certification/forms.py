"""Forms of the certification pages: parse and check input; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srishti.checklists.models import Tool
from srishti.geography.models import FacilityType

from .models import Level, MissionTarget, Mode, Result, Stage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends ISO dates whatever the interface language.
        super().__init__(attrs, format="%Y-%m-%d")


def default_tool_id() -> int | None:
    # Most of the work is NQAS; the other tools sort before it by code.
    return Tool.objects.filter(code="NQAS").values_list("pk", flat=True).first()


class RecordForm(forms.Form):
    tool = forms.ModelChoiceField(label=_("Tool"), queryset=Tool.objects.all(),
                                  empty_label=None)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    result = forms.ChoiceField(
        label=_("Result"), required=False,
        choices=[("", _("Not judged")), *Result.choices],
        help_text=_("Full or conditional: national certification only."))
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput(),
        help_text=_("Leave empty to count it from the date: state certification one "
                    "year, national full three years, conditional one year."))
    national_applied_on = forms.DateField(
        label=_("Applied for national certification on"), required=False, widget=DateInput(),
        help_text=_("On a state certification, once the application is sent."))
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("From the stage")), *Level.choices])
    mode = forms.ChoiceField(
        label=_("Assessment mode"), choices=Mode.choices, initial=Mode.PHYSICAL,
        required=False,
        help_text=_("Virtual (by video): national assessments of AAM sub-centres, since "
                    "June 2024."))
    checked_on_site_on = forms.DateField(
        label=_("Checked on site on"), required=False, widget=DateInput(),
        help_text=_("After a virtual assessment, when a team checked it on site."))
    certificate = forms.FileField(
        label=_("Certificate"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        help_text=_("PDF, PNG or JPEG, at most 10 MB."))
    remove_certificate = forms.BooleanField(label=_("Remove the certificate file"),
                                            required=False)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is not None:
            # The tool of an existing record stays; a record for another tool is new.
            del self.fields["tool"]
            self.fields["certificate"].widget = forms.FileInput(
                attrs={"accept": ".pdf,.png,.jpg,.jpeg"})
        else:
            del self.fields["remove_certificate"]
            self.fields["decided_on"].initial = timezone.localdate()
            self.fields["tool"].initial = default_tool_id()

    def clean(self):
        data = super().clean()
        decided, until = data.get("decided_on"), data.get("valid_until")
        if decided and until and until < decided:
            self.add_error("valid_until", _("This is before the date of the decision."))
        # Left out (an older form): the assessment was made on site.
        data["mode"] = data.get("mode") or Mode.PHYSICAL
        return data


class TargetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("e.g. “At least 10 facilities NQAS-ready by 31 March”"))
    scope = forms.ChoiceField(label=_("For"))
    tool = forms.ModelChoiceField(label=_("Tool"), queryset=Tool.objects.all(),
                                  empty_label=None)
    facility_types = forms.MultipleChoiceField(
        label=_("Facility types"), required=False, choices=FacilityType.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every type."))
    criterion = forms.ChoiceField(label=_("A facility counts when"),
                                  choices=MissionTarget.Criterion.choices,
                                  widget=forms.RadioSelect,
                                  initial=MissionTarget.Criterion.PASSES_RULE_SET)
    min_score = forms.FloatField(label=_("Minimum score (%)"), required=False,
                                 min_value=0, max_value=100)
    count = forms.IntegerField(label=_("Number of facilities"), min_value=1)
    start = forms.DateField(label=_("Start date"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes
        self.fields["start"].initial = timezone.localdate()
        self.fields["tool"].initial = default_tool_id()

    def clean(self):
        data = super().clean()
        if (data.get("criterion") == MissionTarget.Criterion.SCORE_AT_LEAST
                and data.get("min_score") is None):
            self.add_error("min_score", _("Give the minimum score."))
        start, deadline = data.get("start"), data.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", _("The deadline is before the start date."))
        return data
