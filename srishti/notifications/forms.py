from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Topic


class PreferenceForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Tell me about"), choices=Topic.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    by_email = forms.BooleanField(label=_("By e-mail"), required=False)
    by_sms = forms.BooleanField(label=_("By SMS"), required=False)
    phone = forms.CharField(label=_("Mobile number (for SMS)"), max_length=16, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "tel"}))
