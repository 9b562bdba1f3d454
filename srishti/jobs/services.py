"""Background jobs: asked for by a page, queued (django-tasks), made by `srishti worker`."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from srishti.audit.models import AuditKind
from srishti.audit.services import event_record
from srishti.core.errors import DomainError

from .kinds import KINDS
from .models import Job

log = logging.getLogger(__name__)


@transaction.atomic
def job_start(*, owner, kind: str, params: dict, title: str) -> Job:
    """Queue a file for `owner`. The same file asked for again while the first is still
    being made is that first job (a double click makes one file)."""
    if kind not in KINDS:
        raise DomainError(_("Unknown kind of file."))
    params = {**params, "language": translation.get_language() or "en"}
    waiting = (Job.objects.select_for_update()
               .filter(owner=owner, kind=kind, params=params,
                       status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first())
    if waiting is not None:
        return waiting
    job = Job.objects.create(owner=owner, kind=kind, params=params, title=title[:300])
    from .tasks import run_job

    # The task row is written in this transaction: no job without its task, or the reverse.
    run_job.enqueue(job.pk)
    event_record(kind=AuditKind.EXPORT, actor=owner, summary=title)
    return job


def _progress(job: Job):
    def report(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=max(total, 1),
                                             updated_at=timezone.now())
    return report


def job_run(*, job_id: int) -> None:
    """Make the job's file (called by the worker). A job already finished is left alone,
    so a task run twice makes one file."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        with translation.override(job.params.get("language", "en")):
            made = KINDS[job.kind](job.owner, job.params, _progress(job))
    except Http404:
        _fail(job, _("You can no longer see what this file was about."))
        return
    except DomainError as error:
        _fail(job, str(error))
        return
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, _("The file could not be made. Try again; if it fails again, tell your "
                     "quality unit."))
        return
    job.file.save(made.file_name, ContentFile(made.content), save=False)
    job.file_name, job.content_type = made.file_name, made.content_type
    job.status, job.done, job.total = Job.Status.DONE, 1, 1
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "file_name", "content_type", "status", "done", "total",
                            "finished_at", "updated_at"])


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=message[:500],
                                         finished_at=timezone.now())


def jobs_prune(*, days: int, now: dt.datetime | None = None) -> int:
    """Delete jobs (and their files) finished more than `days` ago."""
    now = now or timezone.now()
    old = Job.objects.filter(finished_at__lt=now - dt.timedelta(days=days))
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
