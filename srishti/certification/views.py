"""Certification pages: a facility's pipeline and its records, the alerts, mission targets.

Views parse input, check access (accounts.access), call one service or selector and
render. Out of scope, or in scope without the right to change, answers 404.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from srishti.accounts import access
from srishti.core.charts import Series, line_chart
from srishti.core.errors import DomainError

from .forms import RecordForm, TargetForm
from .selectors import (
    ALERT_LABELS,
    TARGET_SCOPE_KINDS,
    certification_alerts,
    certification_record_get,
    facility_pipeline,
    failing_filled,
    mission_target_list,
    target_progress,
    target_scopes,
)
from .services import (
    certification_derive_for_facility,
    certification_record_create,
    certification_record_update,
    mission_target_create,
)


def _managed_facility(user, pk: int):
    facility = access.get_visible_or_404(
        access.visible_facilities(user).select_related("district"), pk=pk)
    if not access.can_manage_certification(user, facility):
        raise Http404
    return facility


@login_required
def pipeline_view(request, pk: int):
    page = facility_pipeline(user=request.user, facility=pk, today=timezone.localdate())
    return render(request, "certification/pipeline.html",
                  {"page": page, "facility": page.facility, "today": timezone.localdate()})


@login_required
def record_create_view(request, pk: int):
    facility = _managed_facility(request.user, pk)
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certification_record_create(
                facility=facility, tool=data["tool"], stage=data["stage"],
                result=data["result"], level=data["level"], decided_on=data["decided_on"],
                valid_until=data["valid_until"],
                national_applied_on=data["national_applied_on"],
                certificate=data["certificate"], notes=data["notes"], mode=data["mode"],
                checked_on_site_on=data["checked_on_site_on"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Certification record added."))
            return redirect("certification-pipeline", facility.pk)
    return render(request, "certification/record_form.html",
                  {"facility": facility, "form": form, "record": None})


@login_required
def record_edit_view(request, pk: int):
    record = certification_record_get(user=request.user, pk=pk)
    if not access.can_manage_certification(request.user, record.facility):
        raise Http404
    initial = {name: getattr(record, name) for name in (
        "stage", "result", "level", "decided_on", "valid_until", "national_applied_on",
        "notes", "mode", "checked_on_site_on")}
    form = RecordForm(request.POST or None, request.FILES or None, initial=initial,
                      record=record)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certification_record_update(
                record=record, valid_until=data["valid_until"],
                certificate=data["certificate"],
                remove_certificate=data["remove_certificate"],
                stage=data["stage"], result=data["result"], level=data["level"],
                decided_on=data["decided_on"],
                national_applied_on=data["national_applied_on"], notes=data["notes"],
                mode=data["mode"], checked_on_site_on=data["checked_on_site_on"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Certification record saved."))
            return redirect("certification-pipeline", record.facility_id)
    return render(request, "certification/record_form.html",
                  {"facility": record.facility, "form": form, "record": record})


@login_required
def certificate_view(request, pk: int):
    """The certificate file, to people who see the facility; 404 for everyone else."""
    record = certification_record_get(user=request.user, pk=pk)
    if not record.certificate:
        raise Http404
    try:
        handle = record.certificate.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = PurePath(record.certificate.name).suffix.lower()
    name = f"{slugify(record.facility.name)}-{record.tool.code.lower()}-{record.stage}" \
           f"-{record.decided_on:%Y-%m-%d}{suffix}"
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=mimetypes.types_map.get(suffix,
                                                                 "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def derive_view(request, pk: int):
    facility = _managed_facility(request.user, pk)
    try:
        made = certification_derive_for_facility(facility=facility)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ngettext(
            "%(count)d record made from a submitted assessment.",
            "%(count)d records made from submitted assessments.", len(made))
            % {"count": len(made)})
    return redirect("certification-pipeline", facility.pk)


@login_required
def alerts_view(request):
    today = timezone.localdate()
    alerts = certification_alerts(user=request.user, today=today)
    counts = {kind: 0 for kind in ALERT_LABELS}
    for alert in alerts:
        counts[alert.kind] += 1
    kind = request.GET.get("kind", "")
    if kind in ALERT_LABELS:
        alerts = [a for a in alerts if a.kind == kind]
    else:
        kind = ""
    return render(request, "certification/alerts.html", {
        "alerts": alerts, "today": today, "kind": kind,
        "tiles": [(k, ALERT_LABELS[k], counts[k]) for k in ALERT_LABELS],
    })


@login_required
def target_list_view(request):
    return render(request, "certification/target_list.html", {
        "targets": mission_target_list(user=request.user),
        "can_set": bool(target_scopes(user=request.user)),
    })


@login_required
def target_create_view(request):
    scopes = target_scopes(user=request.user)
    if not scopes:
        raise Http404
    form = TargetForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _sep, scope_id = data["scope"].partition(":")
        scope = TARGET_SCOPE_KINDS[kind].objects.get(pk=int(scope_id))
        # The choices were built from what the user may set; asking again costs nothing
        # and keeps a forged scope out.
        if not access.can_set_mission_target(request.user, scope):
            raise Http404
        try:
            target = mission_target_create(
                name=data["name"], tool=data["tool"], count=data["count"],
                start=data["start"], deadline=data["deadline"],
                **{kind: scope},
                facility_types=data["facility_types"], criterion=data["criterion"],
                min_score=data["min_score"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Target set."))
            return redirect("mission-target-progress", target.pk)
    return render(request, "certification/target_form.html", {"form": form})


@login_required
def target_progress_view(request, pk: int):
    today = timezone.localdate()
    progress = target_progress(user=request.user, target=pk, today=today)
    target = progress.target
    labels = [date_format(end, "M Y") for end in progress.months]
    top = max([target.count, *(p for p in progress.burnup if p is not None)])
    chart = line_chart(
        labels, [Series(_("Facilities meeting the target"), progress.burnup)],
        y_max=max(4, -(-top // 4) * 4), target=target.count,
        target_label=_("Target: %(count)d") % {"count": target.count},
        title=_("Burn-up: facilities meeting the target, by month"))
    far = [r for r in progress.far if r.assessment_id]
    # The rows shown (the template lists up to 200) say what they fail, as the close do.
    failing_filled(target=target, rows=far[:200])
    return render(request, "certification/target_progress.html", {
        "progress": progress, "target": target, "chart": chart, "today": today,
        "days_left": (target.deadline - today).days,
        "groups": [
            ("meeting", _("Meeting the target"), progress.meeting),
            ("close", _("Close to it"), progress.close),
            ("far", _("Far from it"), far),
        ],
        # Listed apart and briefly: at state scale they are most of the facilities.
        "unassessed": [r.facility for r in progress.far if not r.assessment_id],
    })
