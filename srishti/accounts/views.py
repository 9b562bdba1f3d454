"""Log-in, password and People pages. Access is decided in accounts.access; a person or a
role outside the user's scopes answers 404, like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srishti.core.errors import DomainError
from srishti.core.limits import query_id

from . import access, selectors, services, throttle
from .forms import (
    FirstPasswordForm,
    LoginForm,
    OwnPasswordChangeForm,
    PersonCreateForm,
    PersonEditForm,
    ResetPasswordForm,
    ResetSetPasswordForm,
    ScopeForm,
    TemporaryPasswordForm,
)
from .models import Membership, Role

PAGE_SIZE = 50


class SrishtiLoginView(LoginView):
    """Django's log-in view with our form: lock-out and its message (accounts.forms)."""

    authentication_form = LoginForm
    template_name = "registration/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.remember_device(self.request, response, form.get_user())
        return response

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return {**super().get_context_data(**kwargs),
                "reset_by_email": settings.SRISHTI_PASSWORD_RESET_BY_EMAIL}


login_view = SrishtiLoginView.as_view()


class SrishtiPasswordResetView(PasswordResetView):
    """"Forgot your password?": an e-mailed link, in the language of the page."""

    form_class = ResetPasswordForm
    email_template_name = "registration/password_reset_email.txt"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return {**super().get_context_data(**kwargs),
                "reset_by_email": settings.SRISHTI_PASSWORD_RESET_BY_EMAIL}

    def post(self, request, *args, **kwargs):
        from django.conf import settings

        if not settings.SRISHTI_PASSWORD_RESET_BY_EMAIL:
            raise Http404
        return super().post(request, *args, **kwargs)


password_reset_view = SrishtiPasswordResetView.as_view()
password_reset_confirm_view = PasswordResetConfirmView.as_view(
    form_class=ResetSetPasswordForm)


@login_required
def password_change_view(request):
    """Choose one's own password; the only page open while a temporary one is held."""
    user = request.user
    form_class = FirstPasswordForm if user.must_change_password else OwnPasswordChangeForm
    form = form_class(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password is changed."))
        target = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = reverse("home")
        return redirect(target)
    return render(request, "accounts/password_change.html", {
        "form": form, "forced": user.must_change_password,
        "next": request.GET.get("next") or request.POST.get("next") or "",
    })


def _require_manager(user) -> None:
    if not access.manages_anyone(user):
        raise Http404


@login_required
def people_list_view(request):
    _require_manager(request.user)
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    district_id = query_id(request.GET.get("district"))
    people = selectors.people_list(user=request.user, role=role, district_id=district_id)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/people_list.html", {
        "page": page,
        "rows": selectors.person_views(user=request.user, people=page.object_list),
        "roles": Role.choices,
        "districts": access.manageable_scopes(request.user).districts.order_by("name"),
        "selected": {"role": role, "district": district_id},
    })


@login_required
def person_detail_view(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    return render(request, "accounts/person_detail.html", {
        "view": selectors.person_view(user=request.user, person=person),
        "person": person,
        "form": ScopeForm(user=request.user),
    })


def _refreshing(request) -> bool:
    # Without JavaScript, "List facilities" re-posts the form to fill the facility list.
    return "refresh" in request.POST


@login_required
def person_create_view(request):
    _require_manager(request.user)
    form = PersonCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and not _refreshing(request) and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                username=data["username"], name=data["name"], email=data["email"],
                password=data["password1"], role=data["role"], scope=data["scope"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _(
                "%(name)s is added. Give them the username %(username)s and the temporary "
                "password; they will choose their own at their first log-in.")
                % {"name": person.get_full_name(), "username": person.username})
            return redirect("person-detail", pk=person.pk)
    return render(request, "accounts/person_create.html", {"form": form})


def _manageable_person(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    if not access.can_manage_person(request.user, person):
        raise Http404
    return person


@login_required
def person_edit_view(request, pk: int):
    person = _manageable_person(request, pk)
    form = PersonEditForm(request.POST or None, initial={
        "name": person.get_full_name(), "email": person.email, "is_active": person.is_active})
    if request.method == "POST" and form.is_valid():
        was_active = person.is_active
        services.person_update(person=person, name=form.cleaned_data["name"],
                               email=form.cleaned_data["email"],
                               is_active=form.cleaned_data["is_active"])
        if was_active and not person.is_active:
            messages.success(request, _("%(name)s is deactivated and can no longer log in.")
                             % {"name": person.get_full_name() or person.username})
        else:
            messages.success(request, _("Saved."))
        return redirect("person-detail", pk=person.pk)
    return render(request, "accounts/person_edit.html", {"form": form, "person": person})


@login_required
def person_password_reset_view(request, pk: int):
    person = _manageable_person(request, pk)
    form = TemporaryPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset(person=person, password=form.cleaned_data["new_password1"])
        messages.success(request, _(
            "A temporary password is set for %(name)s. Give it to them: they must change it "
            "at their next log-in.") % {"name": person.get_full_name() or person.username})
        return redirect("person-detail", pk=person.pk)
    return render(request, "accounts/person_password_reset.html",
                  {"form": form, "person": person})


@login_required
def membership_add_view(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    if person.pk == request.user.pk:
        raise Http404
    form = ScopeForm(request.POST or None, user=request.user)
    if request.method == "POST" and not _refreshing(request) and form.is_valid():
        try:
            services.membership_add(person=person, role=form.cleaned_data["role"],
                                    scope=form.cleaned_data["scope"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Role added."))
            return redirect("person-detail", pk=person.pk)
    return render(request, "accounts/membership_add.html", {"form": form, "person": person})


@require_POST
@login_required
def membership_remove_view(request, pk: int, membership_pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "state", "division", "district",
                                          "block__district", "facility__district"),
        pk=membership_pk, user=person)
    if person.pk == request.user.pk or not access.can_manage_people(request.user, membership):
        raise Http404
    try:
        services.membership_remove(membership=membership)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Role removed."))
    return redirect("person-detail", pk=person.pk)


@login_required
def scope_facilities_view(request):
    """The facility list of the scope picker for one district (htmx swaps it in)."""
    _require_manager(request.user)
    form = ScopeForm(request.GET, user=request.user)
    return render(request, "accounts/scope_fields.html#facility-field", {"form": form})
