"""A district quality unit logs in, lands on its own district's dashboard (not a "state"
page of one row), follows the red overdue card to the work list and exports it; the
assessor lands on the assignments; the lists are photographed in English and Hindi."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from srishti.assessments.models import Assignment
from srishti.assessments.services import assessment_create, responses_import
from srishti.improvement.models import ActionItem
from srishti.improvement.selectors import today_ist
from srishti.improvement.services import action_items_bulk_create
from tests.conftest import run_jobs
from tests.factories import MembershipFactory, UserFactory, submitted

from .conftest import PHONE, log_in, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assess(facility, version, value, day):
    assessment = assessment_create(facility=facility, version=version, start_date=day)
    ids = version.checkpoints.values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[(c, value(c), "") for c in ids])
    return assessment


@pytest.fixture
def world(cast, demo_version, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = today_ist()
    for facility, value, day in ((cast.f, 2, dt.date(2016, 11, 2)),
                                 (cast.g, 1, dt.date(2022, 5, 3)), (cast.h, 2, today)):
        facility.assessment = submitted(assess(
            facility, demo_version, lambda c, v=value: v if c % 3 else 0, day))
        action_items_bulk_create(assessment=facility.assessment, user=None, area="A")
        items = ActionItem.objects.filter(assessment=facility.assessment)
        first = items.first()
        items.exclude(pk=first.pk).update(due_date=today + dt.timedelta(days=20),
                                          responsible_name="Matron")
        ActionItem.objects.filter(pk=first.pk).update(due_date=today - dt.timedelta(days=9),
                                                      responsible_name="Hospital manager")
    cast.assessor = MembershipFactory(user=UserFactory(username="assessor"), role="assessor",
                                      state=cast.x.state).user
    draft = assessment_create(facility=cast.g, version=demo_version, start_date=today,
                              end_date=today + dt.timedelta(days=3))
    for name in ("Emergency", "Labour Room"):
        Assignment.objects.create(assessment=draft, assessor=cast.assessor,
                                  department=demo_version.departments.get(name=name))
    return cast


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_district_lands_on_its_dashboard_opens_the_work_list_and_exports_it(
        new_page, world, language):
    page = new_page()
    log_in(page, "district_officer")  # to "/", as after any log-in
    assert page.url.endswith(f"/dashboards/districts/{world.x.pk}/")
    if language == "hi":
        switch_language(page, "hi")
    heading = page.locator("h1").inner_text()
    assert "Xdistrict" in heading
    body = page.locator("main").inner_text()
    assert "State dashboard" not in body and "राज्य डैशबोर्ड" not in body
    assert page.locator("#heat-legend dt").count() == 8
    screenshot(page, f"dashboard-district-landing-{language}")

    page.click("#overdue-link")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#work-list tbody tr")
    assert rows.count() == 2  # the overdue items of F and G; H is in another district
    assert page.locator("#work-list .ap-overdue").count() == 2
    screenshot(page, f"work-list-{language}")

    page.click("#work-export")
    page.wait_for_url("**/jobs/*/")
    run_jobs()
    page.locator("#job-file").wait_for(timeout=10_000)
    with page.expect_download() as download:
        page.click("#job-file")
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    facilities = [r[1] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(facilities) == ["Facility F", "Facility G"]


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_lists_filter_and_sort(new_page, world, language):
    page = new_page()
    log_in(page, "state_admin", next_url="/assessments/")
    if language == "hi":
        switch_language(page, "hi")
    page.select_option("#assessment-filters select[name=district]", str(world.x.pk))
    page.click("#assessment-filters button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#assessments tbody tr").count() == 3  # F, G and G's draft
    screenshot(page, f"assessment-list-{language}")

    page.goto("/facilities/?sort=-score")
    names = page.locator("#facilities tbody tr td:first-child").all_inner_texts()
    assert names[:3] == ["Facility F", "Facility H", "Facility G"]
    screenshot(page, f"facility-list-{language}")


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_assessor_lands_on_the_assignments(new_page, world, language):
    page = new_page(viewport=PHONE, language=language)
    log_in(page, "assessor")
    assert page.url.endswith("/assessments/assigned/")
    if language == "hi":
        switch_language(page, "hi")
    row = page.locator("#assigned tbody tr")
    assert row.count() == 1 and "Facility G" in row.inner_text()
    screenshot(page, f"assignments-phone-{language}")
