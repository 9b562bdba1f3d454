"""Slow files leave the request: a page queues a job, `srishti worker` makes the file, the
job's page shows progress and then offers it to its owner only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from srishti.assessments.services import assessment_create
from srishti.audit.models import AuditEvent
from srishti.jobs.models import Job
from tests.conftest import run_jobs


@pytest.fixture
def assessment(cast, demo_version, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return assessment_create(facility=cast.f, version=demo_version,
                             start_date=dt.date(2024, 5, 1))


def ask(client, user, assessment):
    client.force_login(user)
    response = client.get(reverse("report-assessment-workbook", args=[assessment.pk]))
    assert response.status_code == 302
    return Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_the_job_page_polls_until_the_file_is_ready_then_offers_it(client, cast, assessment):
    job = ask(client, cast.district_officer, assessment)
    waiting = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "Waiting in line" in waiting
    run_jobs()
    fragment = client.get(reverse("job-detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "hx-trigger" not in html and "Your file is ready" in html
    assert "<html" not in html  # the fragment alone
    download = client.get(reverse("job-download", args=[job.pk]))
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(kind="export", username="district_officer").exists()


def test_asking_twice_while_waiting_makes_one_job(client, cast, assessment):
    first = ask(client, cast.district_officer, assessment)
    assert ask(client, cast.district_officer, assessment) == first
    assert Job.objects.count() == 1


@pytest.mark.parametrize("person", ["state_admin", "facility_team", "outsider"])
def test_a_job_and_its_file_are_404_to_everyone_but_its_owner(client, cast, assessment, person):
    job = ask(client, cast.district_officer, assessment)
    run_jobs()
    client.force_login(getattr(cast, person))
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404
    assert job.title not in client.get(reverse("job-list")).content.decode()


def test_a_job_whose_owner_lost_access_fails_with_words_not_a_file(client, cast, assessment):
    from srishti.accounts.models import Membership

    job = ask(client, cast.facility_team, assessment)
    Membership.objects.filter(user=cast.facility_team).delete()
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    assert job.error == "You can no longer see what this file was about."


def test_a_job_run_twice_makes_one_file(client, cast, assessment):
    from srishti.jobs.services import job_run

    job = ask(client, cast.district_officer, assessment)
    run_jobs()
    job.refresh_from_db()
    name = job.file.name
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.file.name == name


def test_old_jobs_are_pruned_with_their_files(client, cast, assessment):
    from django.utils import timezone

    from srishti.jobs.services import jobs_prune

    job = ask(client, cast.district_officer, assessment)
    run_jobs()
    job.refresh_from_db()
    path = job.file.path
    assert jobs_prune(days=7, now=timezone.now() + dt.timedelta(days=8)) == 1
    import os

    assert not os.path.exists(path) and not Job.objects.exists()
