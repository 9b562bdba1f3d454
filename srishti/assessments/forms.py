"""Forms of the assessment management pages: parse and check input, nothing more."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from srishti.checklists.models import ChecklistVersion
from srishti.checklists.services import TOOL_NAMES
from srishti.workbooks.refusal import NOT_A_WORKBOOK, ZIP_SIGNATURE, looks_like_a_workbook

from .models import Assessment
from .services import checklist_versions_for

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends ISO dates whatever the interface language.
        super().__init__(attrs, format="%Y-%m-%d")


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ChecklistVersion) -> str:
        return str(obj)


class AssessmentCreateForm(forms.Form):
    version = VersionChoiceField(queryset=ChecklistVersion.objects.none(),
                                 label=_("Checklist"), empty_label=None)
    kind = forms.ChoiceField(label=_("Type of assessment"), choices=Assessment.Kind.choices,
                             initial=Assessment.Kind.INTERNAL)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), required=False)
    series = forms.CharField(label=_("Series"), max_length=100, required=False,
                             help_text=_("Optional: groups assessments done together, "
                                         "e.g. “Quarter 2, 2025-26”."))

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = checklist_versions_for(facility=facility)
        self.fields["start_date"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


def person_label(user) -> str:
    return user.get_full_name() or user.username


class AssignmentForm(forms.Form):
    """One set of checkboxes per department of the checklist: who scores it.

    The choices are plain ids built from one list of people, so checking the post costs no
    query per department.
    """

    def __init__(self, *args, departments, people, current, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), person_label(p)) for p in people]
        self.department_fields = []
        for dep_id, name in departments:
            key = f"department_{dep_id}"
            self.fields[key] = forms.MultipleChoiceField(
                label=name, choices=choices, required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[str(p) for p in current.get(dep_id, ())],
            )
            self.department_fields.append((dep_id, key))

    def assessors_by_department(self) -> dict[int, list[int]]:
        return {dep_id: [int(v) for v in self.cleaned_data.get(key, [])]
                for dep_id, key in self.department_fields}

    def rows(self):
        """(department id, bound field) pairs, in checklist order, for the template."""
        return [(dep_id, self[key]) for dep_id, key in self.department_fields]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(
        label=_("Filled workbook"),
        help_text=_("The official checklist workbook (.xlsx or .xlsm) with the scores filled in."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(WORKBOOK_SUFFIXES)}),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if Path(upload.name).suffix.lower() not in WORKBOOK_SUFFIXES:
            raise forms.ValidationError(
                _("Choose an Excel workbook ending in .xlsx or .xlsm; "
                  "an old .xls file must first be saved again as .xlsx."))
        limit = settings.SRISHTI_MAX_WORKBOOK_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s; the largest workbook accepted is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        upload.seek(0)
        head = upload.read(len(ZIP_SIGNATURE))
        upload.seek(0)
        if not looks_like_a_workbook(head):
            raise forms.ValidationError(gettext(NOT_A_WORKBOOK))
        return upload


class WorkbookConfirmForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of assessment"), choices=Assessment.Kind.choices)
    start_date = forms.DateField(label=_("Date of assessment"), widget=DateInput())
    tool = forms.ChoiceField(
        label=_("Tool"), required=False,
        choices=[(code, _(name)) for code, name in TOOL_NAMES.items()],
        help_text=_("Told from the workbook's own title rows; change it if it is wrong."))
    new_version = forms.BooleanField(
        label=_("Create a checklist version from this workbook"), required=False,
        help_text=_("Only if its checklist really is another one: a workbook whose texts "
                    "were edited is matched to the stored checklist of the same structure, "
                    "with the differences listed on the assessment."))
