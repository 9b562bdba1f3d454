"""The path to certification and the readiness forecast: parse input, check access, call
one selector or service, render. Out of scope is 404 (the selectors see to it); a person
who may only read gets 403 on the post that makes action items."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from srishti.accounts.access import can_work_on_actions
from srishti.assessments.selectors import assessment_get
from srishti.core.errors import DomainError

from .forms import PlanItemsForm
from .selectors import facility_people, today_ist
from .selectors_path import certification_path, readiness_forecast
from .services import action_items_from_plan


def _form(page, data=None) -> PlanItemsForm | None:
    if not page.can_work:
        return None
    return PlanItemsForm(data, people=facility_people(page.assessment.facility),
                         initial={"client_id": uuid.uuid4()})


@login_required
def certification_path_view(request, pk: int):
    page = certification_path(user=request.user, pk=pk,
                              group_by=request.GET.get("group", ""))
    context = {"page": page, "assessment": page.assessment, "form": _form(page)}
    if request.htmx and request.GET.get("group"):
        return render(request, "improvement/path.html#path-groups", context)
    return render(request, "improvement/path.html", context)


@login_required
def certification_path_summary_view(request, pk: int):
    """The one-line summary the score card loads (htmx)."""
    page = certification_path(user=request.user, pk=pk)
    return render(request, "improvement/_path_summary.html",
                  {"page": page, "assessment": page.assessment, "link": True})


def _created_text(result) -> str:
    text = ngettext("%(count)d action item created.", "%(count)d action items created.",
                    result.created) % {"count": result.created}
    if result.skipped:
        text += " " + ngettext(
            "%(count)d checkpoint of the plan already had one.",
            "%(count)d checkpoints of the plan already had one.",
            result.skipped) % {"count": result.skipped}
    return text


@login_required
@require_POST
def action_items_from_plan_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    if not can_work_on_actions(request.user, assessment.facility):
        raise PermissionDenied
    form = PlanItemsForm(request.POST, people=facility_people(assessment.facility))
    error, result = "", None
    if form.is_valid():
        try:
            result = action_items_from_plan(assessment=assessment, user=request.user,
                                            **form.cleaned_data)
        except DomainError as exc:
            error = str(exc)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        context = {"assessment": assessment, "error": error,
                   "created": _created_text(result) if result else ""}
        if error:  # the form again, with what was typed, to correct and send
            context.update(form=form, page=certification_path(user=request.user, pk=pk))
        return render(request, "improvement/path.html#plan-items-result", context)
    if error:
        messages.error(request, error)
        return redirect("certification-path", pk=assessment.pk)
    messages.success(request, _created_text(result))
    return redirect("action-plan", pk=assessment.pk)


@login_required
def facility_readiness_view(request, pk: int):
    """The readiness forecast the facility page loads (htmx)."""
    readiness = readiness_forecast(user=request.user, facility_pk=pk, today=today_ist())
    return render(request, "improvement/_readiness.html",
                  {"readiness": readiness, "today": today_ist()})
