"""Trainings: register one, keep its attendance (on the page or through an Excel sheet),
print participation certificates. Seeing a training follows accounts.access
(visible_trainings); changing it needs the right to organise for its scope."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from srishti.accounts import access
from srishti.core.errors import DomainError
from srishti.jobs.views import start_and_show

from ..attendance_sheet import XLSX_TYPE, SheetError, attendance_import, attendance_xlsx, read_sheet
from ..forms import AttendanceAddForm, AttendanceSheetForm, TrainingForm
from ..limits import MAX_SHEET_BYTES
from ..models import Attendance, AttendanceStatus
from ..selectors import (
    department_names,
    invitable_staff,
    organisable_scopes,
    scope_from_choice,
    staff_districts,
    training_attendance,
    training_get,
    training_list,
    training_page,
)
from ..services import (
    attendance_remove,
    attendance_set,
    attendance_set_many,
    training_create,
    training_update,
)
from .common import UploadSizeLimit, download, filename, int_or_none


@login_required
def training_list_view(request):
    return render(request, "programme/training_list.html", {
        "trainings": training_list(user=request.user),
        "can_add": bool(organisable_scopes(user=request.user)),
    })


@login_required
def training_create_view(request):
    scopes = organisable_scopes(user=request.user)
    if not scopes:
        raise Http404
    form = TrainingForm(request.POST or None, scopes=scopes, departments=department_names())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope = scope_from_choice(data["scope"])
        # The choices were built from what the user may organise; asking again keeps a
        # forged scope out.
        if scope is None or not access.can_organise(request.user, scope):
            raise Http404
        try:
            training, created = training_create(
                title=data["title"], kind=data["kind"], start_date=data["start_date"],
                end_date=data["end_date"], scope=scope, venue=data["venue"],
                organiser=data["organiser"], trainers=data["trainers"], tools=data["tools"],
                departments=data["departments"], notes=data["notes"], user=request.user,
                client_id=data["client_id"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("Training registered. Now add who was invited "
                                            "and who attended."))
            return redirect("training-detail", training.pk)
    return render(request, "programme/training_form.html", {"form": form, "training": None})


def _organised(request, pk: int):
    training = training_get(user=request.user, pk=pk)
    if not access.can_organise(request.user, training.scope):
        raise Http404
    return training


@login_required
def training_edit_view(request, pk: int):
    training = _organised(request, pk)
    initial = {name: getattr(training, name) for name in (
        "title", "kind", "start_date", "end_date", "venue", "organiser", "trainers",
        "departments", "notes")}
    initial["tools"] = list(training.tools.all())
    names = sorted(set(department_names()) | set(training.departments))
    form = TrainingForm(request.POST or None, initial=initial, scopes=[], departments=names,
                        editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training_update(training=training, title=data["title"], kind=data["kind"],
                            start_date=data["start_date"], end_date=data["end_date"],
                            venue=data["venue"], organiser=data["organiser"],
                            trainers=data["trainers"], tools=data["tools"],
                            departments=data["departments"], notes=data["notes"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("training-detail", training.pk)
    return render(request, "programme/training_form.html", {"form": form, "training": training})


@login_required
def training_detail_view(request, pk: int):
    page = training_page(user=request.user, pk=pk)
    context = {"page": page, "training": page.training, "statuses": AttendanceStatus.choices}
    if page.can_organise:
        district_id = int_or_none(request.GET.get("district"))
        context["add_form"] = AttendanceAddForm(people=invitable_staff(
            user=request.user, training=page.training, district_id=district_id))
        context["sheet_form"] = AttendanceSheetForm()
        if not page.training.district_id:
            context["districts"] = staff_districts(user=request.user)
            context["district_id"] = district_id
    return render(request, "programme/training_detail.html", context)


@login_required
@require_POST
def attendance_add_view(request, pk: int):
    training = _organised(request, pk)
    form = AttendanceAddForm(request.POST, people=invitable_staff(user=request.user,
                                                                 training=training))
    if form.is_valid():
        attendance_set(training=training, staff=form.cleaned_data["staff"],
                       status=form.cleaned_data["status"])
        messages.success(request, _("%(name)s is on the list.")
                         % {"name": form.cleaned_data["staff"].name})
    else:
        messages.error(request, _("Choose a person from the list."))
    return redirect("training-detail", training.pk)


def _score(text: str) -> Decimal | None:
    text = text.strip().rstrip("%").strip()
    return Decimal(text) if text else None


@login_required
@require_POST
def attendance_save_view(request, pk: int):
    """Save the attendance table at once: every row or none."""
    training = _organised(request, pk)
    rows = training_attendance(user=request.user, training=training)
    changes = []
    for row in rows:
        status = request.POST.get(f"status_{row.pk}")
        if status is None:
            continue  # not on the page that was posted
        try:
            score = _score(request.POST.get(f"score_{row.pk}", ""))
        except InvalidOperation:
            messages.error(request, _("%(name)s: the post-test score is not a number; "
                                      "nothing was saved.") % {"name": row.staff.name})
            return redirect("training-detail", training.pk)
        changes.append((row, status, score))
    try:
        attendance_set_many(training=training, changes=[
            (row.staff, status, score) for row, status, score in changes])
    except DomainError as exc:
        messages.error(request, _("%(problem)s Nothing was saved.") % {"problem": exc})
    else:
        messages.success(request, _("Attendance saved."))
    return redirect("training-detail", training.pk)


@login_required
@require_POST
def attendance_remove_view(request, pk: int, attendance_pk: int):
    training = _organised(request, pk)
    row = access.get_visible_or_404(
        Attendance.objects.filter(training=training,
                                  staff__in=access.visible_staff(request.user))
        .select_related("staff"), pk=attendance_pk)
    attendance_remove(training=training, staff=row.staff)
    messages.success(request, _("%(name)s is removed from the list.") % {"name": row.staff.name})
    return redirect("training-detail", training.pk)


@require_safe
@login_required
def attendance_xlsx_view(request, pk: int):
    training = training_get(user=request.user, pk=pk)
    rows = training_attendance(user=request.user, training=training)
    return download(attendance_xlsx(training, rows), XLSX_TYPE,
                    filename(_("attendance"), training.title,
                             f"{training.start_date:%Y-%m-%d}", ext="xlsx"), inline=False)


@csrf_exempt
def attendance_import_view(request, pk: int):
    # Upload handlers must be set before anything reads the body, and the CSRF check
    # reads it: so the check runs inside (see assessments.views.upload).
    request.upload_handlers.insert(0, UploadSizeLimit(request, MAX_SHEET_BYTES))
    return _attendance_import(request, pk)


@csrf_protect
@login_required
def _attendance_import(request, pk: int):
    training = _organised(request, pk)
    form, errors = AttendanceSheetForm(), []
    if request.method == "POST":
        files = request.FILES  # reading the body runs UploadSizeLimit
        if getattr(request, "upload_too_large", False):
            errors = [_("This file is too large for an attendance sheet.")]
        else:
            form = AttendanceSheetForm(request.POST, files)
            if form.is_valid():
                upload = form.cleaned_data["sheet"]
                try:
                    parsed = read_sheet(upload, name=upload.name, training=training,
                                        user=request.user)
                    added, written = attendance_import(training=training, parsed=parsed)
                except SheetError as exc:
                    errors = [str(e) for e in exc.errors]
                else:
                    messages.success(request, _(
                        "Attendance imported: %(rows)d people on the sheet, %(added)d of "
                        "them new in the directory.") % {"rows": written, "added": added})
                    return redirect("training-detail", training.pk)
    return render(request, "programme/attendance_import.html",
                  {"training": training, "form": form, "errors": errors})


def _certificates(request, training, rows, *, attendance: int | None = None):
    """Queue the certificates as a background job (srishti.jobs): printing a page per
    participant takes seconds for a whole workshop."""
    if not any(r.status == AttendanceStatus.ATTENDED for r in rows):
        raise Http404
    params = {"training": training.pk}
    if attendance is not None:
        params["attendance"] = attendance
    return start_and_show(request, kind="certificates_pdf", params=params,
                          title=_("Participation certificates (PDF): %(training)s")
                          % {"training": training.title})


@require_safe
@login_required
def certificates_view(request, pk: int):
    """Participation certificates of everyone the user sees who attended (one a page)."""
    training = training_get(user=request.user, pk=pk)
    return _certificates(request, training,
                         training_attendance(user=request.user, training=training))


@require_safe
@login_required
def certificate_view(request, pk: int, attendance_pk: int):
    training = training_get(user=request.user, pk=pk)
    rows = [r for r in training_attendance(user=request.user, training=training)
            if r.pk == attendance_pk]
    return _certificates(request, training, rows, attendance=attendance_pk)


urlpatterns = [
    path("trainings/", training_list_view, name="training-list"),
    path("trainings/add/", training_create_view, name="training-create"),
    path("trainings/<int:pk>/", training_detail_view, name="training-detail"),
    path("trainings/<int:pk>/edit/", training_edit_view, name="training-edit"),
    path("trainings/<int:pk>/attendance/", attendance_save_view, name="training-attendance-save"),
    path("trainings/<int:pk>/attendance/add/", attendance_add_view,
         name="training-attendance-add"),
    path("trainings/<int:pk>/attendance/<int:attendance_pk>/remove/", attendance_remove_view,
         name="training-attendance-remove"),
    path("trainings/<int:pk>/attendance.xlsx", attendance_xlsx_view,
         name="training-attendance-xlsx"),
    path("trainings/<int:pk>/attendance/import/", attendance_import_view,
         name="training-attendance-import"),
    path("trainings/<int:pk>/certificates.pdf", certificates_view, name="training-certificates"),
    path("trainings/<int:pk>/certificates/<int:attendance_pk>.pdf", certificate_view,
         name="training-certificate"),
]
