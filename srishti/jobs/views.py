"""A job's page (progress, then the file) and the file itself; a person's own jobs only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from srishti.accounts.access import get_visible_or_404, visible_jobs

from .models import Job
from .services import job_start


def start_and_show(request, *, kind: str, params: dict, title: str):
    """For the views that offer a file: queue it and send the person to its page."""
    job = job_start(owner=request.user, kind=kind, params=params, title=title)
    return redirect("job-detail", job.pk)


@login_required
def job_detail_view(request, pk: int):
    job = get_visible_or_404(visible_jobs(request.user), pk=pk)
    template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download_view(request, pk: int):
    job = get_visible_or_404(visible_jobs(request.user), pk=pk)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404
    inline = job.content_type == "application/pdf"
    response = FileResponse(job.file.open("rb"), content_type=job.content_type,
                            as_attachment=not inline, filename=job.file_name)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def job_list_view(request):
    return render(request, "jobs/list.html", {"jobs": visible_jobs(request.user)[:30]})


