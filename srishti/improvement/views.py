"""Action plan pages: parse input, check access, call one service or selector, render.

Everything outside a person's scope answers 404 (the selectors see to it); inside it, a
person who may only read (a viewer) gets 403 on the pages and posts that change things.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from srishti.accounts.access import can_verify_action, can_work_on_actions
from srishti.assessments.selectors import assessment_get, gap_filter_choices
from srishti.checklists.models import Checkpoint
from srishti.core.errors import DomainError
from srishti.core.limits import query_id

from .forms import ActionItemForm, EvidenceForm, NewActionItemForm, PlanFieldsForm, VerifyForm
from .models import ActionItem, ActionStatus
from .selectors import (
    STATUS_FILTERS,
    WORK_STATUSES,
    StatusCounts,
    WorkListFilters,
    action_item_get,
    action_item_page,
    action_plan,
    action_row,
    evidence_get,
    facility_get,
    facility_open_items,
    facility_people,
    gaps_to_plan,
    status_counts,
    today_ist,
    work_list,
    work_list_choices,
)
from .services import (
    action_item_create,
    action_item_update,
    action_items_bulk_create,
    evidence_add,
)

S = ActionStatus


def _status_filters(counts: StatusCounts) -> list[tuple[str, str, int]]:
    return [
        ("", _("All"), counts.total),
        (S.OPEN, S.OPEN.label, counts.open),
        (S.IN_PROGRESS, S.IN_PROGRESS.label, counts.in_progress),
        (S.DONE, S.DONE.label, counts.done),
        (S.VERIFIED, S.VERIFIED.label, counts.verified),
        ("overdue", _("Overdue"), counts.overdue),
    ]


def _int(value) -> int:
    return query_id(value) or 0


def _plan_query(data) -> dict[str, str]:
    """The action plan's own filters (status, department, page) from a query string or a
    form; nothing else passes, so a posted "back" can never send anyone elsewhere."""
    query = {}
    if data.get("status", "") in STATUS_FILTERS and data.get("status"):
        query["status"] = data["status"]
    for key in ("department", "page"):
        if _int(data.get(key)) > 0:
            query[key] = str(_int(data.get(key)))
    return query


@login_required
def action_plan_view(request, pk: int):
    export = request.GET.get("format")
    page = action_plan(user=request.user, pk=pk, status=request.GET.get("status", ""),
                       department_id=_int(request.GET.get("department")),
                       page=None if export in ("xlsx", "pdf") else _int(request.GET.get("page")))
    if export in ("xlsx", "pdf"):
        # Made in the background (srishti.jobs); the page above checked access.
        from srishti.jobs.views import start_and_show

        what = _("Action plan (Excel)") if export == "xlsx" else _("Action plan (PDF)")
        assessment = page.assessment
        return start_and_show(request, kind=f"action_plan_{export}", params={
            "assessment": assessment.pk, "status": page.status,
            "department": page.department_id}, title=f"{what}: {assessment.facility.name}, "
                                                     f"{date_format(assessment.start_date)}")
    return render(request, "improvement/action_plan.html", {
        "page": page, "assessment": page.assessment, "filters": _status_filters(page.counts),
        "can_verify": page.can_verify, "status_filter": page.status,
        **_plan_links(page.status, page.department_id, page.page_number),
    })


def _plan_links(status: str, department_id: int, page_number: int) -> dict[str, str]:
    """Query strings the plan's links and forms carry (each ready to follow a "?")."""
    department = {"department": department_id} if department_id else {}
    selection = {**({"status": status} if status else {}), **department}
    return {
        "department_query": urlencode(department),  # for the status links
        "selection_query": urlencode(selection),  # for exports and the pager
        "back_query": urlencode({**selection, **({"page": page_number}
                                                 if page_number > 1 else {})}),
    }


def _gap_filters(data, choices) -> dict:
    """The gap list's filters (department id, area letter, standard code), kept only when
    they name something in the checklist; anything else means "all"."""
    try:
        department = int(data.get("department") or 0)
    except ValueError:
        department = 0
    if department not in {d for d, _name in choices.departments}:
        department = 0
    area = data.get("area", "")
    if area not in {letter for letter, _title in choices.areas}:
        area = ""
    standard = data.get("standard", "")
    if standard not in choices.standards:
        standard = ""
    return {"department": department, "area": area, "standard": standard}


@login_required
def action_items_from_gaps_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    if not can_work_on_actions(request.user, assessment.facility):
        raise PermissionDenied
    choices = gap_filter_choices(assessment=assessment)
    data = request.POST if request.method == "POST" else request.GET
    selected = _gap_filters(data, choices)
    people = facility_people(assessment.facility)
    form = PlanFieldsForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            result = action_items_bulk_create(
                assessment=assessment, user=request.user,
                department_id=selected["department"] or None, area=selected["area"],
                standard=selected["standard"], **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            text = ngettext("%(count)d action item created.", "%(count)d action items created.",
                            result.created) % {"count": result.created}
            if result.skipped:
                text += " " + ngettext(
                    "%(count)d gap already had one.", "%(count)d gaps already had one.",
                    result.skipped) % {"count": result.skipped}
            messages.success(request, text)
            return redirect("action-plan", pk=assessment.pk)
    preview = gaps_to_plan(assessment=assessment, department_id=selected["department"] or None,
                           area=selected["area"], standard=selected["standard"])
    return render(request, "improvement/from_gaps.html", {
        "assessment": assessment, "choices": choices, "selected": selected, "form": form,
        "preview": preview,
    })


@login_required
def action_item_create_view(request, pk: int):
    assessment = assessment_get(user=request.user, pk=pk)
    if not can_work_on_actions(request.user, assessment.facility):
        raise PermissionDenied
    checkpoint_id = query_id(request.GET.get("checkpoint") or request.POST.get("checkpoint"))
    checkpoint = (Checkpoint.objects.filter(pk=checkpoint_id, version_id=assessment.version_id)
                  .select_related("department", "standard").first())
    if checkpoint is None:
        raise Http404
    existing = ActionItem.objects.filter(assessment=assessment, checkpoint=checkpoint).first()
    if existing is not None and request.method != "POST":
        return redirect("action-item-detail", pk=existing.pk)
    people = facility_people(assessment.facility)
    form = NewActionItemForm(request.POST or None, people=people,
                             initial={"client_id": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        try:
            item = action_item_create(assessment=assessment, checkpoint=checkpoint,
                                      user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Action item saved."))
            return redirect("action-item-detail", pk=item.pk)
    return render(request, "improvement/item_new.html", {
        "assessment": assessment, "checkpoint": checkpoint, "form": form,
    })


@login_required
def action_item_detail_view(request, pk: int):
    page = action_item_page(user=request.user, pk=pk)
    item = page.item
    initial = {name: getattr(item, name) for name in (
        "root_cause", "corrective_action", "responsible_name", "responsible_user", "due_date")}
    form = ActionItemForm(request.POST or None, people=page.people, initial=initial)
    if request.method == "POST":
        if not page.can_work:
            raise PermissionDenied
        if form.is_valid():
            try:
                action_item_update(item=item, user=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Action item saved."))
                return redirect("action-item-detail", pk=item.pk)
    return render(request, "improvement/item_detail.html", {
        "page": page, "item": item, "assessment": item.assessment, "form": form,
        "evidence_form": EvidenceForm(), "verify_form": VerifyForm(),
    })


def _back(request, item: ActionItem):
    """Where a plain (non-htmx) form returns: the item's page, or the plan as it was."""
    if request.POST.get("back") == "item":
        return redirect("action-item-detail", pk=item.pk)
    query = urlencode(_plan_query(QueryDict(request.POST.get("back", ""))))
    return redirect(reverse("action-plan", args=[item.assessment_id])
                    + (f"?{query}" if query else ""))


@login_required
@require_POST
def action_item_status_view(request, pk: int):
    item = action_item_get(user=request.user, pk=pk)
    error = ""
    try:
        item = action_item_update(item=item, user=request.user,
                                  status=request.POST.get("status", ""))
    except DomainError as exc:
        error = str(exc)
    if request.htmx:
        # The changed row, and the status counts above the table out of band.
        row = action_row(user=request.user, item=item)
        back = _plan_query(QueryDict(request.POST.get("back", "")))
        department_id = _int(back.get("department"))
        counted = ActionItem.objects.filter(assessment_id=item.assessment_id)
        if department_id:
            counted = counted.filter(checkpoint__department_id=department_id)
        context = {
            "row": row, "error": error, "assessment": item.assessment,
            "can_verify": can_verify_action(request.user, item),
            "status_filter": back.get("status", ""),
            "filters": _status_filters(status_counts(counted, row.today)),
            "oob": True,
            **_plan_links(back.get("status", ""), department_id, _int(back.get("page")) or 1),
        }
        html = render_to_string("improvement/action_plan.html#action-row", context,
                                request=request)
        html += render_to_string("improvement/action_plan.html#status-nav", context,
                                 request=request)
        return HttpResponse(html)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Status changed to “%(status)s”.")
                         % {"status": item.get_status_display()})
    return _back(request, item)


@login_required
@require_POST
def action_item_verify_view(request, pk: int):
    item = action_item_get(user=request.user, pk=pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(reverse("action-item-detail", args=[item.pk]) + "#verify")
    remark = form.cleaned_data["remark"]
    verify = form.cleaned_data["decision"] == VerifyForm.VERIFY
    status = S.VERIFIED if verify else S.IN_PROGRESS
    try:
        action_item_update(item=item, user=request.user, status=status,
                           verification_remark=remark)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Verified.") if status == S.VERIFIED
                         else _("Sent back for more work."))
    return redirect("action-item-detail", pk=item.pk)


@login_required
@require_POST
def evidence_add_view(request, pk: int):
    item = action_item_get(user=request.user, pk=pk)
    if not can_work_on_actions(request.user, item.facility):
        raise PermissionDenied
    url = reverse("action-item-detail", args=[item.pk]) + "#evidence"
    # Refuse an oversized upload from its declared length, before Django spools it.
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > settings.SRISHTI_MAX_EVIDENCE_BYTES + 64 * 1024:
        messages.error(request, _("The file is too large; files up to %(limit)s are accepted.")
                       % {"limit": f"{settings.SRISHTI_MAX_EVIDENCE_BYTES // (1024 * 1024)} MB"})
        return redirect(url)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo or PDF to upload."))
        return redirect(url)
    try:
        evidence = evidence_add(item=item, user=request.user, upload=form.cleaned_data["file"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("“%(name)s” added as evidence.")
                         % {"name": evidence.original_name})
    return redirect(url)


@login_required
def evidence_file_view(request, pk: int):
    """Stream an evidence file to someone who may see its facility; 404 to anyone else.
    Evidence is never under a public URL: MEDIA_ROOT is not served."""
    evidence = evidence_get(user=request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=evidence.content_type,
                            filename=evidence.original_name, as_attachment=False)
    response["Cache-Control"] = "private, max-age=3600"
    if evidence.is_image:
        # An image opened on its own runs nothing; say so to the browser as well.
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def facility_action_items_view(request, pk: int):
    facility = facility_get(user=request.user, pk=pk)
    items = list(facility_open_items(user=request.user, facility_pk=facility.pk))
    return render(request, "improvement/facility_items.html", {
        "facility": facility, "items": items, "today": today_ist(),
    })


def work_list_filters(data) -> WorkListFilters:
    """The work list's filters from a query string (or a job's params); unknown values
    are ignored."""
    status = str(data.get("status", ""))
    return WorkListFilters(
        district=_int(str(data.get("district", ""))), facility=_int(str(data.get("facility", ""))),
        owner=_int(str(data.get("owner", ""))),
        status=status if status in WORK_STATUSES else "",
        overdue=str(data.get("overdue", "")) in ("1", "True", "true"))


@login_required
def work_list_view(request):
    """Every open and overdue action item of the person's scope, filterable; exported to
    Excel in the background with the same filters."""
    filters = work_list_filters(request.GET)
    if request.GET.get("format") == "xlsx":
        from srishti.jobs.views import start_and_show

        return start_and_show(request, kind="work_list_xlsx", params=filters.as_params(),
                              title=_("Action items (Excel)"))
    items = work_list(user=request.user, filters=filters)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    statuses = [("", _("To do (open and in progress)")), *((s.value, s.label) for s in S),
                ("all", _("All"))]
    return render(request, "improvement/work_list.html", {
        "page": page, "filters": filters, "choices": work_list_choices(
            user=request.user, district=filters.district),
        "statuses": statuses, "query": urlencode(filters.as_params()),
    })
