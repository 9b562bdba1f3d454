"""Capture: assessors answer checkpoints one at a time, each answer saved at once.

The department page lists the whole checklist of a department; each checkpoint is a
small form that posts to its own endpoint with the revision the page showed and an id
the browser made for this answer, so a double submit changes nothing and a stale page
never overwrites someone else's answer (it gets the conflict to resolve instead).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from srishti.core.errors import DomainError

from ..selectors_capture import (
    NA,
    SHOW_CHOICES,
    CheckpointRow,
    capture_access,
    capture_overview,
    checkpoint_for_capture,
    checkpoint_history,
    checkpoint_view,
    department_page,
    department_progress,
    department_scorecard,
    level_key,
)
from ..services import department_presence_set, response_save


@login_required
@require_GET
def capture_overview_view(request, pk: int):
    capture = capture_access(user=request.user, pk=pk)
    departments = capture_overview(capture=capture)
    # What "available offline" keeps on the device (js/offline.js): this page and the
    # departments the person scores.
    offline_pages = [] if capture.locked else [
        reverse("capture-department", args=[pk, d.id]) for d in departments if d.can_write]
    if offline_pages:
        offline_pages.insert(0, reverse("assessment-capture", args=[pk]))
    return render(request, "assessments/capture/overview.html", {
        "assessment": capture.assessment,
        "capture": capture,
        "departments": departments,
        "offline_pages": offline_pages,
        "offline_pages_json": json.dumps(offline_pages),
    })


@login_required
@require_GET
@gzip_page  # 600 checkpoints are half a megabyte of HTML, a tenth of it compressed
def capture_department_view(request, pk: int, department_pk: int):
    show = request.GET.get("show", "all")
    if show not in SHOW_CHOICES:
        show = "all"
    capture = capture_access(user=request.user, pk=pk)
    page = department_page(capture=capture, department_id=department_pk, show=show)
    labels = _labels()
    present((cp for area in page.areas for std in area.standards for me in std.elements
             for cp in me.checkpoints), labels)
    return render(request, "assessments/capture/department.html", {
        "page": page,
        "assessment": page.assessment,
        "department": page.department,
        "editable": page.editable,
        **labels,
    })


@login_required
@require_GET
def capture_checkpoint_view(request, pk: int, checkpoint_pk: int):
    """One checkpoint's fragment as stored now ("keep theirs" after a conflict)."""
    capture = capture_access(user=request.user, pk=pk)
    _checkpoint, view = checkpoint_for_capture(capture=capture, checkpoint_id=checkpoint_pk)
    labels = _labels()
    present([view.row], labels)
    return render(request, "assessments/capture/_checkpoint.html", {
        "cp": view.row, "editable": capture.can_write(view.department_id), **labels,
    })


@login_required
@require_GET
def capture_history_view(request, pk: int, checkpoint_pk: int):
    capture = capture_access(user=request.user, pk=pk)
    checkpoint, _view = checkpoint_for_capture(capture=capture, checkpoint_id=checkpoint_pk)
    changes = checkpoint_history(assessment=capture.assessment, checkpoint=checkpoint)
    return render(request, "assessments/capture/_history.html", {
        "changes": [(change, _shown(change.old_value, change.had_old),
                     _shown(change.new_value, True)) for change in changes],
    })


def _labels() -> dict[str, str]:
    """Words every checkpoint repeats, translated once per request instead of 600 times."""
    return {
        "t_score": _("Score"), "t_na": _("NA"), "t_remark": _("Remark"), "t_save": _("Save"),
        "t_saved": _("Saved"), "t_open": _("Not answered"), "t_history": _("History"),
        "t_photo": _("Photo"),
    }


def present(rows: Iterable[CheckpointRow], labels: dict[str, str]) -> None:
    """Render the markup that many checkpoints share once per distinct case: the score
    buttons depend only on the levels, NA and the current answer, the method labels only
    on the methods. On a 600-checkpoint page this halves the rendering time."""
    buttons: dict[tuple, str] = {}
    methods: dict[tuple, str] = {}
    for row in rows:
        key = (tuple(row.levels), row.na_allowed, row.value)
        if key not in buttons:
            buttons[key] = render_to_string("assessments/capture/_levels.html", {
                "levels": row.levels, "na_allowed": row.na_allowed, "value": row.value,
                **labels})
        row.buttons = buttons[key]
        mkey = tuple(row.methods)
        if mkey not in methods:
            methods[mkey] = render_to_string("assessments/capture/_methods.html",
                                             {"methods": row.methods})
        row.methods_html = methods[mkey]


def _shown(value, existed: bool) -> str:
    if not existed:
        return "—"
    return _("NA") if value is None else level_key(value)


class BadInput(Exception):
    pass


MAX_REMARK = 4000


def _parse(post) -> tuple[Decimal | None, str, int, uuid.UUID | None]:
    remark = post.get("remark", "")
    if len(remark) > MAX_REMARK:
        # Refused rather than cut: the person sees it and shortens it themselves.
        raise BadInput(_("A remark can be at most %(n)d characters long.") % {"n": MAX_REMARK})
    raw = post.get("value", "").strip()
    if raw == NA:
        value = None
    else:
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise BadInput(_("Choose a score.")) from None
        if not value.is_finite():
            raise BadInput(_("Choose a score."))
    try:
        base_revision = int(post.get("base_revision", ""))
    except ValueError:
        raise BadInput(_("The page is out of date; reload it.")) from None
    try:
        client_id = uuid.UUID(post["client_id"]) if post.get("client_id") else None
    except ValueError:
        client_id = None  # a malformed id only loses the replay protection, not the answer
    return value, remark, base_revision, client_id


@login_required
@require_POST
def capture_save_view(request, pk: int, checkpoint_pk: int):
    """Save one answer; answers the checkpoint's fragment plus, out of band, the
    department's progress and live score card. A refused answer comes back with the
    reason (422), a conflict with both answers side by side (409); neither writes."""
    capture = capture_access(user=request.user, pk=pk)
    # Writes by anyone who may not write this department are treated like out of scope.
    checkpoint, view = checkpoint_for_capture(capture=capture, checkpoint_id=checkpoint_pk,
                                              for_write=True)
    assessment = capture.assessment
    try:
        value, remark, base_revision, client_id = _parse(request.POST)
        result = response_save(assessment=assessment, checkpoint=checkpoint, value=value,
                               remark=remark, base_revision=base_revision,
                               user=request.user, client_id=client_id)
    except (BadInput, DomainError) as refused:
        # Nothing was written; the person's attempt stays on screen with the reason.
        attempt = {"value": request.POST.get("value", ""),
                   "remark": request.POST.get("remark", "")}
        return _answer(request, capture, view, status=422, error=str(refused),
                       attempt=attempt)
    current = checkpoint_view(assessment, checkpoint, result.response)
    if result.conflict:
        return _answer(request, capture, current, status=409, conflict={
            "value": NA if value is None else level_key(value),
            "remark": remark.strip(),
            "by": _name(result.response.updated_by),
            "at": result.response.updated_at,
        })
    return _answer(request, capture, current, status=200, saved=True)


def _name(user) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.username


def _answer(request, capture, view, *, status: int, error: str = "", attempt=None,
            conflict=None, saved: bool = False):
    assessment = capture.assessment
    department_id = view.department_id
    if not request.htmx:
        # Without htmx the form posts as a page: say what happened and go back to it.
        if error:
            messages.error(request, error)
        elif conflict:
            messages.error(request, _("Someone else changed this answer since you opened "
                                      "the page; yours was not saved."))
        url = reverse("capture-department", args=[assessment.pk, department_id])
        return redirect(f"{url}#cp-{view.row.id}")
    row = view.row
    editable = capture.can_write(department_id)
    if attempt is not None and editable:
        # Show what the person tried (not saved) so they can fix it and press Save again;
        # the revision stays the stored one.
        row = replace(row, value=attempt["value"], remark=attempt["remark"])
    labels = _labels()
    present([row], labels)
    context = {
        "cp": row, "editable": editable, "error": error,
        "conflict": conflict, "saved": saved, **labels,
    }
    if saved:
        progress = department_progress(assessment, department_id)
        context.update(
            oob=True, assessment=assessment, progress=progress, department_id=department_id,
            scorecard=department_scorecard(assessment, department_id, "",
                                           {a.letter: a.title for a in progress.areas}),
        )
    return render(request, "assessments/capture/_save_response.html", context, status=status)


@login_required
@require_POST
def capture_presence_view(request, pk: int, department_pk: int):
    """Mark a department as one the facility does not have (or has after all)."""
    capture = capture_access(user=request.user, pk=pk)
    if capture.locked or not capture.can_write(department_pk):
        raise Http404
    department = capture.assessment.version.departments.filter(pk=department_pk).first()
    if department is None:
        raise Http404
    present = request.POST.get("present") == "1"
    try:
        department_presence_set(assessment=capture.assessment,
                                department_name=department.name, present=present)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, (_("%(name)s is counted again.") if present else
                                   _("%(name)s is marked as not present at this facility: "
                                     "it is left out of every figure."))
                         % {"name": department.name})
    return redirect("assessment-capture", pk)


urlpatterns = [
    path("<int:pk>/capture/", capture_overview_view, name="assessment-capture"),
    path("<int:pk>/departments/<int:department_pk>/", capture_department_view,
         name="capture-department"),
    path("<int:pk>/departments/<int:department_pk>/presence/", capture_presence_view,
         name="capture-presence"),
    path("<int:pk>/checkpoints/<int:checkpoint_pk>/", capture_checkpoint_view,
         name="capture-checkpoint"),
    path("<int:pk>/checkpoints/<int:checkpoint_pk>/save/", capture_save_view,
         name="capture-save"),
    path("<int:pk>/checkpoints/<int:checkpoint_pk>/history/", capture_history_view,
         name="capture-history"),
]

