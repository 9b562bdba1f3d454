"""The issue's must-show path: a district officer sees the district's facilities ranked,
opens the weakest, turns its gaps into an action plan; the state dashboard shows the
target's progress and the certifications about to expire."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from srishti.assessments.services import assessment_create, responses_import
from srishti.certification.models import CertificationRecord, MissionTarget
from srishti.checklists.models import Tool
from srishti.improvement.models import ActionItem
from tests.factories import submitted

from .conftest import PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assess(facility, version, value_for, day=dt.date(2024, 4, 1)):
    assessment = assessment_create(facility=facility, version=version, start_date=day)
    checkpoints = version.checkpoints.select_related("standard__area").order_by("order")
    responses_import(assessment=assessment, answers=[
        (cp.id, value_for(cp), "" if value_for(cp) == 2 else "not in place")
        for cp in checkpoints])
    return submitted(assessment)


@pytest.fixture
def world(cast, demo_version):
    good = assess(cast.f, demo_version, lambda cp: 2)
    weak = assess(cast.g, demo_version, lambda cp: 0 if cp.standard.area.letter in "AB" else 1)
    assess(cast.h, demo_version, lambda cp: 2)
    nqas = Tool.objects.get(code="NQAS")
    MissionTarget.objects.create(
        name="Ten facilities ready", state=cast.x.state, tool=nqas,
        criterion="passes_rule_set", count=10, start=dt.date(2024, 1, 1),
        deadline=dt.date(2025, 3, 31))
    today = timezone.localdate()
    CertificationRecord.objects.create(
        facility=cast.f, tool=nqas, stage="state_certified", level="state", result="passed",
        decided_on=today - dt.timedelta(days=320), valid_until=today + dt.timedelta(days=45))
    return good, weak


def test_a_district_officer_ranks_opens_the_weakest_and_plans_its_gaps(new_page, cast, world):
    good, weak = world
    page = new_page()
    log_in(page, "district_officer", next_url=f"/dashboards/districts/{cast.x.pk}/")
    ranked = page.locator("#ranking tbody tr")
    assert ranked.count() == 2  # F and G of district X; H is in another district
    assert cast.g.name in ranked.nth(1).inner_text()  # the weakest comes last
    screenshot(page, "dashboard-district-en")

    ranked.nth(1).locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/assessments/{weak.pk}/")
    page.click("#assessment-actions >> text=Gaps")
    page.wait_for_load_state("networkidle")
    page.click("text=Turn these gaps into action items")
    page.wait_for_load_state("networkidle")
    page.fill("#bulk-form input[name=responsible_name]", "Hospital manager")
    page.fill("#bulk-form input[name=due_date]",
              f"{timezone.localdate() + dt.timedelta(days=30)}")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    gaps = weak.responses.filter(value__lt=2).count()
    assert ActionItem.objects.filter(assessment=weak).count() == gaps > 0


def test_the_state_dashboard_shows_the_target_and_expiring_certifications(
        new_page, cast, world):
    page = new_page()
    log_in(page, "state_admin", next_url="/dashboards/")
    targets = page.locator("#targets").inner_text()
    assert "Ten facilities ready" in targets and "2 / 10" in targets
    alerts = page.locator("#alerts").inner_text()
    assert cast.f.name in alerts
    assert page.locator("#heat tbody tr").count() == 2
    screenshot(page, "dashboard-state-en")


def test_the_district_dashboard_reads_on_a_phone_in_hindi(new_page, cast, world):
    page = new_page(viewport=PHONE)
    log_in(page, "district_officer", next_url=f"/dashboards/districts/{cast.x.pk}/")
    page.click("form.lang button[value=hi]")
    page.wait_for_load_state("networkidle")
    assert "ज़िला" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dashboard-district-hi-phone")
