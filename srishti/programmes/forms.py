"""The form to record one stage of a programme year; its score fields follow the
programme and the facility type (Kayakalp areas, LaQshya and MusQan departments)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from . import decisions as d
from .models import Stage
from .texts import department_label


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name.lower())


class RecordForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"))
    decided_on = forms.DateField(label=_("Assessed on"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    cycle = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100,
                               help_text=_("Kayakalp: the award year by its first year "
                                           "(2024 for 2024-25). Blank: from the date."))
    score = forms.FloatField(label=_("Overall score (%)"), required=False, min_value=0,
                             max_value=100)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, programme: str, facility_type: str, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        stages = dict(Stage.choices)
        self.fields["stage"].choices = [(s, stages[s]) for s in rules["stages"]]
        self.fields["client_id"].initial = uuid.uuid4()
        self.score_fields: list[tuple[str, str]] = []  # (field name, key in the record)
        if programme == d.KAYAKALP:
            for area in d.kayakalp_areas(rules, facility_type):
                label = (_("Area %(area)s (eco-friendly) score (%%)") if area == "H" else
                         _("Area %(area)s score (%%)")) % {"area": area}
                self._score_field(f"area_{area}", area, label)
        else:
            if programme == d.LAQSHYA:
                departments = list(rules["departments"])
                self.fields["score"].help_text = _("Blank: the lower department score.")
            else:
                departments = d.musqan_departments(rules, facility_type)
            for name in departments:
                self._score_field(f"dept_{_slug(name)}", name,
                                  _("%(department)s score (%%)")
                                  % {"department": department_label(name)})

    def _score_field(self, field: str, key: str, label: str) -> None:
        self.fields[field] = forms.FloatField(label=label, required=False, min_value=0,
                                              max_value=100)
        self.score_fields.append((field, key))

    def scores(self) -> dict[str, float]:
        return {key: self.cleaned_data[field] for field, key in self.score_fields
                if self.cleaned_data.get(field) is not None}

    @classmethod
    def initial_for(cls, record) -> dict:
        initial = {"stage": record.stage, "decided_on": record.decided_on,
                   "cycle": record.cycle, "score": record.score, "notes": record.notes}
        for key, value in {**record.area_scores, **record.department_scores}.items():
            initial[f"area_{key}" if record.programme == d.KAYAKALP else
                    f"dept_{_slug(key)}"] = value
        return initial
