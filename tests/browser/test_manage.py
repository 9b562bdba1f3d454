"""A district officer opens an assessment, assigns a department, reads the gaps and
previews an uploaded workbook, in a real Chromium at laptop width."""

from __future__ import annotations

import itertools

import pytest

from srishti.assessments.models import Assessment, Assignment
from srishti.assessments.services import responses_import
from tests.assessments.test_upload import demo_workbook
from tests.factories import MembershipFactory, UserFactory, register_assessor

from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rule_sets(db):
    """The seeded certification rule sets: a transactional test flushes migration data."""
    from srishti.checklists.services import rule_sets_seed

    rule_sets_seed()


@pytest.fixture
def asha(cast):
    """A district assessor of X on the assessor register, under the seeded rules (a
    transactional test may start without the data migrations' rows)."""
    from srishti.programme.services import programme_rules_seed

    programme_rules_seed()
    user = MembershipFactory(user=UserFactory(username="asha", first_name="Asha",
                                              last_name="Kumari"),
                             role="assessor", district=cast.x).user
    register_assessor(user, place=cast.x, level="district")
    return user


def test_a_district_officer_opens_an_assessment_assigns_a_department_and_reads_the_gaps(
        new_page, cast, demo_version, asha):
    page = new_page()
    log_in(page, "district_officer", next_url=f"/facilities/{cast.f.pk}/")
    page.click("text=New assessment")
    page.wait_for_load_state("networkidle")
    assert page.locator("select[name=version] option").count() == 1
    page.select_option("select[name=kind]", "district")
    page.fill("input[name=start_date]", "2025-07-14")
    page.fill("input[name=end_date]", "2025-07-15")
    page.fill("input[name=series]", "Quarter 2, 2025-26")
    screenshot(page, "assessment-new-en")
    page.click("text=Open the assessment")
    page.wait_for_load_state("networkidle")

    assessment = Assessment.objects.get()
    assert assessment.kind == "district" and assessment.series == "Quarter 2, 2025-26"
    opd = assessment.version.departments.get(name="OPD")
    assert "Assessment opened" in page.locator(".messages").inner_text()
    page.locator(f"#department-{opd.pk} label", has_text="Asha Kumari").locator("input").check()
    page.click("text=Save assignments")
    page.wait_for_load_state("networkidle")
    assert list(Assignment.objects.values_list("department__name", "assessor__username")) == [
        ("OPD", "asha")]
    assert page.url.endswith(f"/assessments/{assessment.pk}/")

    # Scores arrive (from the capture pages in real life); the gap list shows what is short.
    ids = assessment.version.checkpoints.order_by("order").values_list("id", flat=True)
    values = itertools.cycle([2, 1, 0, 2, None])
    responses_import(assessment=assessment, answers=[
        (cid, v, "" if v in (2, None) else "Register not maintained since March")
        for cid, v in zip(ids, values, strict=False)])
    page.reload()
    page.click("#assessment-actions >> text=Gaps")
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=department]", label="Labour Room")
    page.click("form.filters button")
    page.wait_for_load_state("networkidle")
    shown = page.locator("li.gap").count()
    expected = assessment.responses.filter(value__in=[0, 1],
                                           checkpoint__department__name="Labour Room").count()
    assert shown == min(expected, 100) and shown > 0
    assert page.locator(".gap-head").first.inner_text().split("\n")[0].count("Labour Room") == 1
    assert "format=xlsx" in page.locator("text=Download as Excel").get_attribute("href")
    screenshot(page, "gaps-en", full_page=False)


def test_a_district_officer_previews_an_uploaded_workbook_before_saving_it(
        new_page, cast, rule_sets, demo_version, tmp_path, settings):
    settings.SRISHTI_UPLOAD_DIR = str(tmp_path / "uploads")
    path = demo_workbook(tmp_path / "DH-internal-July.xlsx")
    page = new_page()
    log_in(page, "district_officer", next_url=f"/facilities/{cast.f.pk}/")
    page.click("text=Upload a filled workbook")
    page.wait_for_load_state("networkidle")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=Upload and preview")
    page.wait_for_load_state("networkidle")

    assert "it will be reused" in page.locator("#what-will-be-created").inner_text()
    assert page.locator("#preview-departments tbody tr").count() == 5
    assert page.locator("#what-will-be-created .criteria li").count() == 5
    assert Assessment.objects.count() == 0
    screenshot(page, "upload-preview-en")

    page.click("text=Confirm and save")
    page.wait_for_load_state("networkidle")
    assert Assessment.objects.count() == 1
    assert "Workbook imported" in page.locator(".messages").inner_text()
