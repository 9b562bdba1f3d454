"""Opening an assessment, assigning its departments, submitting and reopening it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srishti.accounts import access
from srishti.core.errors import DomainError
from srishti.programme.eligibility import assessor_choices, rule_summary

from ..forms import AssessmentCreateForm, AssignmentForm, ReopenForm
from ..models import Assignment
from ..selectors import assessment_get
from ..services import (
    assessment_get_or_create,
    assessment_reopen,
    assessment_submit,
    assignments_replace,
)


def _creatable_facility(user, facility_pk: int):
    facility = access.get_visible_or_404(
        access.visible_facilities(user).select_related("district"), pk=facility_pk)
    if not access.can_create_assessment(user, facility):
        raise Http404
    return facility


@login_required
def assessment_new_view(request, facility_pk: int):
    facility = _creatable_facility(request.user, facility_pk)
    form = AssessmentCreateForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment, created = assessment_get_or_create(
                facility=facility, version=data["version"], kind=data["kind"],
                start_date=data["start_date"], end_date=data["end_date"],
                series=data["series"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("Assessment opened. Now choose who scores "
                                            "each department."))
            else:
                # A second post of the same form (double click, back and resubmit) lands
                # on the assessment the first one opened.
                messages.info(request, _("This assessment was already open; nothing new "
                                         "was created."))
            return redirect("assessment-assign", assessment.pk)
    return render(request, "assessments/manage/new.html", {
        "facility": facility, "form": form,
        "no_versions": not form.fields["version"].queryset.exists(),
    })


@login_required
def assessment_assign_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    # Choosing who scores what is the organisers' job, as is opening the assessment.
    if not access.can_create_assessment(request.user, assessment.facility):
        raise Http404
    departments = list(assessment.version.departments.order_by("order")
                       .values_list("id", "name"))
    # Offered: a scoring role over the facility and the assessor rules in force met; the
    # others the organiser might look for are listed with the reasons.
    choices = assessor_choices(user=request.user, assessment=assessment)
    people = choices.offered
    current: dict[int, list[int]] = {}
    for dep_id, person_id in Assignment.objects.filter(assessment=assessment).values_list(
            "department_id", "assessor_id"):
        current.setdefault(dep_id, []).append(person_id)
    form = AssignmentForm(request.POST or None, departments=departments, people=people,
                          current=current)
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = assignments_replace(
                assessment=assessment,
                assessors_by_department=form.assessors_by_department())
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Assignments saved: %(added)d added, %(removed)d "
                                        "removed.") % {"added": added, "removed": removed})
            return redirect("assessment-detail", assessment.pk)
    return render(request, "assessments/manage/assign.html", {
        "assessment": assessment, "form": form, "people": people, "choices": choices,
        "rule_summary": rule_summary(choices.rule) if choices.rule else [],
    })


@login_required
@require_POST
def assessment_submit_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    # access.can_submit: the quality units and the facility team, not an assessor of a
    # few departments, since submitting closes all of them.
    if not access.can_submit(request.user, assessment):
        raise Http404
    try:
        # The box is the second, explicit step when checkpoints are still unanswered;
        # the service refuses without it (a JS confirm alone could be skipped).
        assessment_submit(assessment=assessment, user=request.user,
                          unanswered_confirmed=request.POST.get("confirm_unanswered") == "on")
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Assessment submitted. It is now locked; a state "
                                    "quality unit member can reopen it."))
    return redirect("assessment-detail", assessment.pk)


@login_required
@require_POST
def assessment_reopen_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    # Someone who may see the assessment but not reopen it gets 404 like anyone else: the
    # button is never shown to them, so only a forged request lands here.
    if not access.can_reopen(request.user, assessment):
        raise Http404
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening."))
        return redirect("assessment-detail", assessment.pk)
    try:
        assessment_reopen(assessment=assessment, user=request.user,
                          reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Assessment reopened; it can be changed again."))
    return redirect("assessment-detail", assessment.pk)


urlpatterns = [
    path("new/<int:facility_pk>/", assessment_new_view, name="assessment-new"),
    path("<int:pk>/assign/", assessment_assign_view, name="assessment-assign"),
    path("<int:pk>/submit/", assessment_submit_view, name="assessment-submit"),
    path("<int:pk>/reopen/", assessment_reopen_view, name="assessment-reopen"),
]
