"""Upload a filled official workbook for a facility: preview everything, then confirm.

The file is kept in a private upload folder under a random token until it is confirmed.
Nothing reaches the database before the confirm post, and that post is idempotent: the
token's record notes the assessment it created, and an exclusive lock file stops two
confirms running at once.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from srishti.accounts import access
from srishti.assessments.models import Assessment
from srishti.assessments.workbook_import import assessment_import
from srishti.audit.models import AuditKind
from srishti.audit.services import event_record
from srishti.checklists.matching import checklist_version_match
from srishti.checklists.models import Tool
from srishti.checklists.services import checklist_version_find_identical, rule_set_for
from srishti.core.errors import DomainError
from srishti.workbooks.identity import default_tool
from srishti.workbooks.parsed import ParsedWorkbook, WorkbookError, structure_summary
from srishti.workbooks.reader import read_workbook
from srishti.workbooks.refusal import NOT_A_WORKBOOK, not_a_workbook
from srishti.workbooks.scorecard import score_workbook

from ..forms import WorkbookConfirmForm, WorkbookUploadForm

# Uploads never confirmed are removed after a day, on the next upload.
KEEP_SECONDS = 24 * 60 * 60


def upload_dir() -> Path:
    folder = Path(getattr(settings, "SRISHTI_UPLOAD_DIR", "") or Path(settings.VAR_DIR) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Upload:
    """One stored upload: the workbook file and a small JSON record beside it."""

    def __init__(self, token: str, meta: dict):
        self.token = token
        self.meta = meta

    @property
    def folder(self) -> Path:
        return upload_dir()

    @property
    def workbook_path(self) -> Path:
        return self.folder / f"{self.token}{self.meta['suffix']}"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.token}.json"

    @property
    def lock_path(self) -> Path:
        return self.folder / f"{self.token}.lock"

    @property
    def name(self) -> str:
        return self.meta["name"]

    def save_meta(self) -> None:
        tmp = self.meta_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.meta))
        os.replace(tmp, self.meta_path)  # atomic: a reader never sees half a record

    def discard(self) -> None:
        for p in (self.workbook_path, self.meta_path, self.lock_path):
            p.unlink(missing_ok=True)

    def read(self) -> ParsedWorkbook:
        return read_workbook(self.workbook_path, max_bytes=settings.SRISHTI_MAX_WORKBOOK_BYTES,
                             name=self.name)

    def lock(self) -> bool:
        """Take the confirm lock; False while another confirm holds it.

        The lock is an flock held by this process: the system releases it when the process
        ends, however it ends (killed, out of memory), so a crash leaves no stale lock. The
        file itself stays until the upload is discarded or swept: removing it here could
        let a second process lock a new file while a third still holds the old one.
        """
        fd = os.open(self.lock_path, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def unlock(self) -> None:
        fd = getattr(self, "_lock_fd", None)
        if fd is not None:
            self._lock_fd = None
            os.close(fd)  # closing releases the flock

    @classmethod
    def store(cls, upload_file, *, user, facility) -> Upload:
        _sweep()
        token = secrets.token_urlsafe(24)
        item = cls(token, {
            "user": user.pk, "facility": facility.pk, "name": Path(upload_file.name).name,
            "suffix": Path(upload_file.name).suffix.lower(), "size": upload_file.size,
            "at": timezone.now().isoformat(),
        })
        with open(item.workbook_path, "wb") as out:
            for chunk in upload_file.chunks():
                out.write(chunk)
        item.save_meta()
        return item

    @classmethod
    def load(cls, token: str, *, user, facility) -> Upload:
        """The upload of this person for this facility; anything else is missing (404)."""
        try:
            meta = json.loads((upload_dir() / f"{token}.json").read_text())
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        if meta.get("user") != user.pk or meta.get("facility") != facility.pk:
            raise Http404
        return cls(token, meta)


def _sweep() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for item in upload_dir().iterdir():
        try:
            if item.stat().st_mtime < cutoff:
                item.unlink()
        except OSError:
            pass  # another request removed it first


def _facility_for_upload(user, facility_pk: int):
    facility = access.get_visible_or_404(
        access.visible_facilities(user).select_related("district__state"), pk=facility_pk)
    if not access.can_create_assessment(user, facility):
        raise Http404
    return facility


def _error_context(error: WorkbookError, path: Path) -> dict:
    return {"sheet": error.sheet, "row": error.row, "column": error.column,
            "message": error.message, "file": error.file,
            "not_a_workbook": gettext(NOT_A_WORKBOOK) if not_a_workbook(error, path) else ""}


class WorkbookSizeLimit(FileUploadHandler):
    """Drops an uploaded file as soon as it passes the size limit, so that an oversized
    file is never written to the disk; the view then says why."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.workbook_too_large = True
            raise SkipFile
        return raw_data  # on to the handler that stores it

    def file_complete(self, file_size):
        return None  # the storing handler makes the file


@csrf_exempt
def workbook_upload_view(request, facility_pk: int):
    # Upload handlers must be set before anything reads the body, and the CSRF check
    # reads it: so the check runs below, inside, as Django's documentation shows.
    request.upload_handlers.insert(
        0, WorkbookSizeLimit(request, settings.SRISHTI_MAX_WORKBOOK_BYTES))
    return _workbook_upload(request, facility_pk)


@csrf_protect
@login_required
def _workbook_upload(request, facility_pk: int):
    facility = _facility_for_upload(request.user, facility_pk)
    limit = settings.SRISHTI_MAX_WORKBOOK_BYTES
    form, problem = WorkbookUploadForm(), ""
    if request.method == "POST":
        files = request.FILES  # reading the body runs WorkbookSizeLimit
        if getattr(request, "workbook_too_large", False):
            problem = _("This file is larger than %(limit)s, the largest workbook "
                        "accepted.") % {"limit": filesizeformat(limit)}
        else:
            form = WorkbookUploadForm(request.POST, files)
            if form.is_valid():
                item = Upload.store(form.cleaned_data["workbook"], user=request.user,
                                    facility=facility)
                return redirect("workbook-preview", facility.pk, item.token)
    return render(request, "assessments/upload/form.html", {
        "facility": facility, "form": form, "limit": limit, "problem": problem,
    })


def _kind_from_header(text: str) -> str:
    lowered = (text or "").lower()
    for kind in Assessment.Kind.values:
        if kind in lowered:
            return kind
    return Assessment.Kind.INTERNAL


def _date_from_header(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return timezone.localdate()


def workbook_preview(parsed: ParsedWorkbook, *, facility, tool_code: str | None = None,
                     new_version: bool = False) -> dict:
    """What confirming would create, computed without writing anything."""
    tool = Tool.objects.filter(code=tool_code or default_tool(parsed)).first()
    version, differences = None, 0
    if tool is not None and not new_version:
        version = checklist_version_find_identical(
            tool=tool, facility_type=facility.facility_type, parsed=parsed)
        if version is None:
            match = checklist_version_match(tool=tool, facility_type=facility.facility_type,
                                            parsed=parsed)
            if match is not None:
                version, _listed, differences = match
    if version is not None:
        rule_set = version.rule_set
    else:
        rule_set = rule_set_for(tool=tool, facility_type=facility.facility_type) if tool else None
    card = score_workbook(parsed, rule_set=rule_set.as_rule_set() if rule_set else None)
    summary = structure_summary(parsed)
    scores = {d["name"]: d for d in card["departments"]}
    departments = [{**d, "score": scores.get(d["name"], {})} for d in summary["departments"]]
    titles: dict[str, str] = {}
    for dep in parsed.departments:
        for a in dep.areas:
            titles.setdefault(a.letter, a.title)
    hospital = parsed.header.get("hospital", "").strip()
    return {
        "tool": tool.code if tool else tool_code or default_tool(parsed),
        "version": version,
        "differences": differences,
        "rule_set": rule_set,
        "departments": departments,
        "checkpoints": summary["checkpoints"],
        "card": card,
        "areas": [(code, titles.get(code, ""), t) for code, t in sorted(card["areas"].items())],
        # A workbook naming another hospital is most likely meant for another facility.
        "hospital_differs": bool(hospital) and not _same_place(hospital, facility.name),
        "slips": card["workbook_slips"],
        "warnings": card["warnings"],
        "header": parsed.header,
    }


def _same_place(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return a in b or b in a


@login_required
def workbook_preview_view(request, facility_pk: int, token: str):
    facility = _facility_for_upload(request.user, facility_pk)
    item = Upload.load(token, user=request.user, facility=facility)
    if item.meta.get("assessment"):
        messages.info(request, _("This workbook has already been imported."))
        return redirect("assessment-detail", item.meta["assessment"])
    context = {"facility": facility, "upload": item, "limit": settings.SRISHTI_MAX_WORKBOOK_BYTES}
    try:
        parsed = item.read()
    except WorkbookError as error:
        problem = _error_context(error, item.workbook_path)
        item.discard()
        return render(request, "assessments/upload/preview.html", {
            **context, "error": problem, "form": WorkbookUploadForm(),
        })
    form = WorkbookConfirmForm(request.POST or None, initial={
        "kind": _kind_from_header(parsed.header.get("assessment_type", "")),
        "start_date": _date_from_header(parsed.header.get("date_of_assessment", "")),
        "tool": default_tool(parsed),
    })
    if request.method == "POST" and form.is_valid():
        return _confirm(request, facility, item, parsed, form.cleaned_data)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return render(request, "assessments/upload/preview.html", {
        **context, "form": form, "preview": workbook_preview(
            parsed, facility=facility, tool_code=chosen.get("tool") or None,
            new_version=chosen.get("new_version", False)),
    })


def _confirm(request, facility, item: Upload, parsed: ParsedWorkbook, data: dict):
    if not item.lock():
        messages.info(request, _("This workbook is being imported already; it will appear "
                                 "among the facility's assessments in a moment."))
        return redirect("facility-detail", facility.pk)
    try:
        # Read the record again under the lock: a confirm that finished while this one
        # waited has noted its assessment there.
        done = Upload.load(item.token, user=request.user, facility=facility).meta.get(
            "assessment")
        if done:
            messages.info(request, _("This workbook has already been imported."))
            return redirect("assessment-detail", done)
        result = assessment_import(parsed, facility=facility, kind=data["kind"],
                                   start_date=data["start_date"], tool=data["tool"] or None,
                                   new_version=data["new_version"])
        item.meta["assessment"] = result.assessment.pk
        item.save_meta()
        event_record(kind=AuditKind.IMPORT, state_id=facility.district.state_id, summary=(
            f"assessment {result.assessment.pk} of {facility.name} from {item.name}: "
            f"{result.responses} answers"))
        item.workbook_path.unlink(missing_ok=True)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("workbook-preview", facility.pk, item.token)
    finally:
        item.unlock()
    messages.success(request, _("Workbook imported: %(count)d answers.") % {
        "count": result.responses})
    return redirect("assessment-detail", result.assessment.pk)


urlpatterns = [
    path("upload/<int:facility_pk>/", workbook_upload_view, name="workbook-upload"),
    path("upload/<int:facility_pk>/<slug:token>/", workbook_preview_view,
         name="workbook-preview"),
]
