"""Forms of the action plan pages: they parse and check input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends ISO dates whatever the interface language.
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class PlanFieldsForm(forms.Form):
    """Who is responsible and by when: shared by bulk creation and single items."""

    responsible_name = forms.CharField(
        label=_("Responsible person"), max_length=200, required=False,
        help_text=_("Name and post, e.g. “Sister in-charge, Labour Room”."))
    responsible_user = PersonChoiceField(
        label=_("Responsible user (optional)"), queryset=None, required=False,
        empty_label=_("Nobody in Srishti"))
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        from srishti.accounts.models import User

        self.fields["responsible_user"].queryset = User.objects.filter(
            pk__in=[p.pk for p in people]).order_by("username")


class ActionItemForm(PlanFieldsForm):
    root_cause = forms.CharField(label=_("Root cause"), required=False, max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    corrective_action = forms.CharField(label=_("Corrective action"), required=False,
                                        max_length=4000,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["root_cause", "corrective_action", "responsible_name", "responsible_user",
                   "due_date"]


class NewActionItemForm(ActionItemForm):
    # Drawn when the form is shown: a double submission creates the item once.
    client_id = forms.UUIDField(widget=forms.HiddenInput())


class PlanItemsForm(PlanFieldsForm):
    """Defaults for the action items made from a path to certification."""

    # Drawn when the form is shown: a replayed submission changes nothing.
    client_id = forms.UUIDField(widget=forms.HiddenInput())


class VerifyForm(forms.Form):
    VERIFY, SEND_BACK = "verify", "send_back"
    decision = forms.ChoiceField(choices=[(VERIFY, _("Verified: the gap is closed")),
                                          (SEND_BACK, _("Not yet: send back for more work"))],
                                 widget=forms.RadioSelect, label=_("Decision"))
    remark = forms.CharField(label=_("Remark"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.SEND_BACK and not (data.get("remark") or "").strip():
            self.add_error("remark", _("Say what is still missing, so the team knows what "
                                       "to do."))
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or PDF"),
        widget=forms.FileInput(attrs={
            "accept": ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,"
                      "application/pdf"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat
        from django.utils.translation import gettext

        self.fields["file"].help_text = gettext("JPEG, PNG, WebP or PDF, up to %(limit)s.") % {
            "limit": filesizeformat(settings.SRISHTI_MAX_EVIDENCE_BYTES)}
