"""The staff directory: the programme's people (not log-in accounts), and their entry on
the assessor register. Out of scope answers 404; changing needs the right to record
people at the person's place (accounts.access.can_manage_staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from srishti.accounts import access
from srishti.core.errors import DomainError

from ..forms import AssessorForm, StaffForm
from ..models import Assessor, StaffRole
from ..selectors import linkable_accounts, staff_districts, staff_get, staff_list, staff_page
from ..services import assessor_save, staff_member_create, staff_member_update
from .common import int_or_none

PAGE_SIZE = 50


@login_required
def staff_list_view(request):
    role = request.GET.get("role", "")
    if role not in StaffRole.values:
        role = ""
    district_id = int_or_none(request.GET.get("district"))
    search = request.GET.get("q", "").strip()[:100]
    former = request.GET.get("former") == "1"
    people = staff_list(user=request.user, district_id=district_id, role=role,
                        search=search, include_former=former)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programme/staff_list.html", {
        "page": page, "roles": StaffRole.choices, "districts": staff_districts(user=request.user),
        "selected": {"role": role, "district": district_id, "q": search, "former": former},
        "query": query.urlencode(),
        "can_add": access.manages_anyone(request.user),
    })


def _refreshing(request) -> bool:
    # Without JavaScript, "List facilities" re-posts the form to fill the facility list.
    return "refresh" in request.POST


@login_required
def staff_create_view(request):
    if not access.manages_anyone(request.user):
        raise Http404
    form = StaffForm(request.POST or None, user=request.user,
                     accounts=linkable_accounts(user=request.user))
    if request.method == "POST" and not _refreshing(request) and form.is_valid():
        data = form.cleaned_data
        try:
            staff, created = staff_member_create(
                name=data["name"], name_hi=data["name_hi"], role=data["role"],
                designation=data["designation"], place=data["place"], phone=data["phone"],
                email=data["email"], account=data["account"], client_id=data["client_id"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("%(name)s is added to the directory.")
                                 % {"name": staff.name})
            return redirect("staff-detail", staff.pk)
    return render(request, "programme/staff_form.html", {"form": form, "staff": None})


@login_required
def staff_detail_view(request, pk: int):
    page = staff_page(user=request.user, pk=pk)
    return render(request, "programme/staff_detail.html", {"page": page, "staff": page.staff})


def _manageable(request, pk: int):
    staff = staff_get(user=request.user, pk=pk)
    if not access.can_manage_staff(request.user, staff.place):
        raise Http404
    return staff


@login_required
def staff_edit_view(request, pk: int):
    staff = _manageable(request, pk)
    initial = {"name": staff.name, "name_hi": staff.name_hi, "role": staff.role,
               "designation": staff.designation, "state": staff.state_id,
               "district": staff.district_id, "facility": staff.facility_id,
               "phone": staff.phone, "email": staff.email, "account": staff.account_id,
               "active": staff.active}
    form = StaffForm(request.POST or None, initial=initial, user=request.user,
                     accounts=linkable_accounts(user=request.user, staff=staff))
    if request.method == "POST" and not _refreshing(request) and form.is_valid():
        data = form.cleaned_data
        try:
            staff_member_update(
                staff=staff, name=data["name"], name_hi=data["name_hi"], role=data["role"],
                designation=data["designation"], place=data["place"], phone=data["phone"],
                email=data["email"], account=data["account"], active=data["active"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("staff-detail", staff.pk)
    return render(request, "programme/staff_form.html", {"form": form, "staff": staff})


@login_required
def assessor_edit_view(request, pk: int):
    """Put a staff member on the assessor register, or change their entry."""
    staff = _manageable(request, pk)
    entry = Assessor.objects.filter(staff=staff).first()
    initial = {}
    if entry is not None:
        initial = {"level": entry.level, "tools": list(entry.tools.all()),
                   "facility_types": entry.facility_types, "trained_on": entry.trained_on,
                   "certified_on": entry.certified_on,
                   "certificate_valid_until": entry.certificate_valid_until,
                   "certificate_number": entry.certificate_number, "active": entry.active}
    form = AssessorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessor_save(staff=staff, level=data["level"], tools=data["tools"],
                          facility_types=data["facility_types"],
                          trained_on=data["trained_on"], certified_on=data["certified_on"],
                          certificate_valid_until=data["certificate_valid_until"],
                          certificate_number=data["certificate_number"],
                          active=data["active"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Assessor register saved."))
            return redirect("staff-detail", staff.pk)
    return render(request, "programme/assessor_form.html",
                  {"form": form, "staff": staff, "entry": entry})


urlpatterns = [
    path("staff/", staff_list_view, name="staff-list"),
    path("staff/add/", staff_create_view, name="staff-create"),
    path("staff/<int:pk>/", staff_detail_view, name="staff-detail"),
    path("staff/<int:pk>/edit/", staff_edit_view, name="staff-edit"),
    path("staff/<int:pk>/assessor/", assessor_edit_view, name="assessor-edit"),
]
