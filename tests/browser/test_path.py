"""The facility team of DH Begusarai reads the path to certification of its draft, turns
it into action items in one step, and sees when the hospital would pass."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from srishti.assessments.models import Assessment
from srishti.demo.draft import DRAFT_DATE
from srishti.improvement.models import ActionItem
from srishti.improvement.selectors import today_ist

from .conftest import PHONE, log_in, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(settings, tmp_path):
    from srishti.demo.load import demo_load

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load()
    return Assessment.objects.get(facility__name="District Hospital Begusarai",
                                  start_date=DRAFT_DATE)


def test_the_facility_team_turns_the_path_to_certification_into_action_items(new_page, draft):
    page = new_page()
    log_in(page, "dh.begusarai", "srishti-demo", next_url=f"/assessments/{draft.pk}/")
    # The score card loads the summary by itself (htmx) and links to the plan.
    summary = page.locator("#path-summary")
    summary.locator(".path-headline").wait_for()
    headline = summary.locator(".path-headline").inner_text()
    assert "checkpoints to raise in 5 departments to pass everything" in headline
    planned = int(headline.split()[0])
    page.click("text=See the plan by department and standard")
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Path to certification"
    assert page.locator("details.path-group").count() == 5  # one per department
    rows = page.locator("table.path-table tbody tr")
    assert rows.count() == planned
    screenshot(page, "path-en")

    # Grouped by standard through htmx: the groups change, the page stays.
    page.evaluate("window.__same_page = true")
    page.click("nav a:has-text('By standard')")
    # A locator, not wait_for_function: the page's CSP forbids the eval that one needs.
    expect(page.locator("#path-groups th").first).to_have_text("Department")
    assert page.evaluate("window.__same_page") is True
    assert page.locator("table.path-table tbody tr").count() == planned

    due = today_ist() + dt.timedelta(days=45)
    page.fill("#plan-form input[name=responsible_name]", "Hospital manager")
    page.fill("#plan-form input[name=due_date]", due.isoformat())
    page.click(f"#plan-form button:has-text('Create {planned} action items')")
    page.locator("#plan-items .success").wait_for()
    assert page.locator("#plan-items").inner_text().startswith(f"{planned} action items created.")
    assert page.evaluate("window.__same_page") is True
    items = ActionItem.objects.filter(assessment=draft)
    assert items.count() == planned and {i.due_date for i in items} == {due}

    # A second press (another tab, a reload) creates nothing more.
    page.reload()
    assert "Every checkpoint of the plan has an action item." in page.locator("main").inner_text()
    assert ActionItem.objects.filter(assessment=draft).count() == planned

    # The facility page forecasts the day: when the last of the items is due.
    page.goto(f"/facilities/{draft.facility_id}/")
    forecast = page.locator("#readiness .readiness-headline")
    forecast.wait_for()
    assert f"Would pass every criterion on {due:%-d %b %Y}" in forecast.inner_text()
    screenshot(page, "facility-readiness-en")

    page.goto(f"/actions/assessment/{draft.pk}/")
    assert page.locator("table.ap-plan tbody tr[id^=item-]").count() == planned


def test_the_path_reads_in_hindi_on_a_phone(new_page, draft):
    page = new_page(viewport=PHONE)
    log_in(page, "dh.begusarai", "srishti-demo", next_url=f"/actions/assessment/{draft.pk}/path/")
    switch_language(page, "hi")
    assert page.locator("h1").inner_text() == "प्रमाणन का रास्ता"
    assert "सब कुछ पास करने के लिए 5 विभागों में" in page.locator(".path-headline").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "path-hi-phone")
