"""Each person's own notification choices (nobody else's: there is no id to change)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from srishti.core.errors import DomainError

from .forms import PreferenceForm
from .models import Notification
from .services import preference_for, preference_save


@login_required
def preferences_view(request):
    preference = preference_for(request.user)
    form = PreferenceForm(request.POST or None, initial={
        "topics": preference.topics, "by_email": preference.by_email,
        "by_sms": preference.by_sms, "phone": preference.phone})
    if request.method == "POST" and form.is_valid():
        try:
            preference_save(user=request.user, language=get_language(), **form.cleaned_data)
        except DomainError as error:
            form.add_error("phone", str(error))
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notification-preferences")
    recent = Notification.objects.filter(user=request.user)[:10]
    return render(request, "notifications/preferences.html", {
        "form": form, "recent": recent, "has_email": bool(request.user.email)})


urlpatterns = [path("", preferences_view, name="notification-preferences")]
