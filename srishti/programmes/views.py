"""Programme pages: each programme across the facilities in scope (stages, results,
awards by year, what is due next), a facility's standing in every programme, and the
form recording a stage. Out of scope, or in scope without the right to record, is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from srishti.accounts import access
from srishti.core.errors import DomainError

from . import decisions as d
from .forms import RecordForm
from .models import Programme
from .selectors import (
    facility_standings,
    programme_overview,
    record_for_change,
    visible_facility,
)
from .services import programme_record_save, rule_set_in_force
from .texts import reason_text, step_text


@login_required
@require_GET
def programmes_view(request):
    return redirect("programme-overview", d.KAYAKALP)


@login_required
@require_GET
def overview_view(request, programme: str):
    if programme not in d.PROGRAMMES:
        raise Http404
    try:
        cycle = int(request.GET.get("year", ""))
    except ValueError:
        cycle = None
    page = programme_overview(user=request.user, programme=programme, cycle=cycle)
    for standing in page.standings:
        standing.step_label = step_text(standing.step)
    return render(request, "programmes/overview.html", {
        "page": page, "programmes": Programme.choices, "today": timezone.localdate()})


@login_required
@require_GET
def facility_view(request, pk: int):
    facility = visible_facility(user=request.user, pk=pk)
    page = facility_standings(user=request.user, facility=facility)
    for p in page.programmes:
        for record in p.records:
            record.reason_texts = [reason_text(r) for r in record.reasons]
        p.step_label = step_text(p.step)
    return render(request, "programmes/facility.html", {
        "page": page, "facility": facility, "today": timezone.localdate()})


def _form_page(request, facility, programme: str, record=None):
    today = timezone.localdate()
    rules = rule_set_in_force(programme, record.decided_on if record else today).definition
    form = RecordForm(request.POST or None, programme=programme,
                      facility_type=facility.facility_type, rules=rules,
                      initial=RecordForm.initial_for(record) if record else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scores = form.scores()
        try:
            programme_record_save(
                facility=facility, programme=programme, stage=data["stage"],
                decided_on=data["decided_on"], cycle=data["cycle"], score=data["score"],
                department_scores=scores if programme != d.KAYAKALP else {},
                area_scores=scores if programme == d.KAYAKALP else {},
                notes=data["notes"], user=request.user, client_id=data["client_id"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Programme record saved."))
            return redirect("programme-facility", facility.pk)
    return render(request, "programmes/record_form.html", {
        "facility": facility, "form": form, "programme": programme,
        "programme_label": Programme(programme).label, "record": record,
        "rule_source": rules.get("source", ""),
    }, status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def record_create_view(request, pk: int, programme: str):
    if programme not in d.PROGRAMMES:
        raise Http404
    facility = visible_facility(user=request.user, pk=pk)
    if not access.can_manage_programmes(request.user, facility):
        raise Http404
    return _form_page(request, facility, programme)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit_view(request, pk: int):
    record = record_for_change(user=request.user, pk=pk)
    return _form_page(request, record.facility, record.programme, record)
