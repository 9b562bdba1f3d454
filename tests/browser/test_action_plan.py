"""A district officer turns an assessment's gaps into an action plan and works on it."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from playwright.sync_api import expect

from srishti.assessments.selectors import assessment_gaps
from srishti.assessments.services import assessment_create, responses_import
from srishti.improvement.models import ActionItem, Evidence
from srishti.improvement.selectors import today_ist

from .conftest import PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scored(cast, demo_version):
    rng = random.Random(5)
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    ids = demo_version.checkpoints.order_by("order").values_list("id", flat=True)
    responses_import(assessment=assessment,
                     answers=[(cid, rng.choice([0, 1, 2, 2, None]), "seen") for cid in ids])
    return assessment


def png_file(tmp_path):
    from PIL import Image

    path = tmp_path / "after-repair.png"
    Image.new("RGB", (64, 48), (11, 110, 79)).save(path)
    return path


def test_a_district_officer_plans_the_gaps_of_a_department_and_works_on_one(
        new_page, cast, scored, tmp_path):
    department = scored.version.departments.order_by("order")[1]
    gaps = assessment_gaps(assessment=scored, department_id=department.pk).count()
    page = new_page()
    log_in(page, "district_officer", next_url=f"/actions/assessment/{scored.pk}/")
    assert "No action items yet" in page.locator("main").inner_text()

    page.click("text=Create action items from gaps")
    page.select_option("select[name=department]", str(department.pk))
    page.click("text=Show the gaps")
    assert f"{gaps} gaps match." in page.locator("#gap-summary").inner_text()
    page.fill("#bulk-form input[name=responsible_name]", "Ward sister")
    page.fill("#bulk-form input[name=due_date]", f"{today_ist() + dt.timedelta(days=30)}")
    page.click(f"#bulk-form button:has-text('Create {gaps} action items')")
    page.wait_for_load_state("networkidle")

    rows = page.locator("table.ap-plan tbody tr")
    assert rows.count() == gaps
    assert f"{gaps} action items created." in page.locator(".messages").inner_text()
    assert "Overdue" not in rows.first.inner_text()

    # Two items run late: their rows say so in words and with an icon, not only in colour.
    late = ActionItem.objects.filter(assessment=scored).order_by("checkpoint__order")[1:3]
    ActionItem.objects.filter(pk__in=[i.pk for i in late]).update(due_date=dt.date(2024, 6, 15))
    page.reload()
    assert page.locator("tr.ap-overdue .ap-overdue-flag svg").count() == 2
    days = (today_ist() - dt.date(2024, 6, 15)).days
    assert f"Overdue by {days} days" in rows.nth(1).inner_text()

    # Inline status change through htmx: the row is replaced, the page is not reloaded.
    first = ActionItem.objects.filter(assessment=scored).order_by("checkpoint__order").first()
    page.evaluate("window.__same_page = true")
    page.select_option(f"#status-{first.pk}", "in_progress")
    # Locators, not wait_for_function: the page's CSP forbids the eval that one needs.
    expect(page.locator('#status-nav a[href$="status=in_progress"] b')).to_have_text("1")
    page.locator(f"#item-{first.pk} .ap-status-form").wait_for(state="attached")
    expect(page.locator(f"#status-{first.pk}")).to_have_value("in_progress")
    assert page.evaluate("window.__same_page") is True
    first.refresh_from_db()
    assert first.status == "in_progress"

    # Evidence on the item's page.
    page.click(f"#item-{first.pk} a.ap-gap-text")
    page.set_input_files("input[name=file]", str(png_file(tmp_path)))
    page.click("#evidence button:has-text('Upload')")
    page.wait_for_load_state("networkidle")
    assert "after-repair.png" in page.locator("#evidence").inner_text()
    screenshot(page, "action-item-en")
    evidence = Evidence.objects.get(action_item=first)
    assert evidence.content_type == "image/png"
    with page.expect_popup() as popup:
        page.click("#evidence a:has-text('after-repair.png')")
    image = popup.value
    image.wait_for_load_state()
    assert image.url.endswith(f"/actions/evidence/{evidence.pk}/")

    page.goto(f"/actions/assessment/{scored.pk}/")
    assert page.locator(f"#item-{first.pk} td[data-label=Evidence]").inner_text().strip() == "1"
    screenshot(page, "action-plan-en", full_page=False)


def test_the_action_plan_reads_as_cards_on_a_phone(new_page, cast, scored):
    from srishti.improvement.services import action_items_bulk_create

    action_items_bulk_create(assessment=scored, user=None, area="A",
                             due_date=dt.date(2024, 6, 1))
    page = new_page(viewport=PHONE)
    log_in(page, "facility_team", next_url=f"/actions/assessment/{scored.pk}/")
    assert page.locator("table.ap-plan tbody tr").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "action-plan-phone-en", full_page=False)


def test_an_officer_of_another_district_gets_404(new_page, cast, scored):
    from tests.factories import MembershipFactory, UserFactory

    MembershipFactory(user=UserFactory(username="officer_y"), district=cast.y)
    page = new_page()
    log_in(page, "officer_y")
    assert page.goto(f"/actions/assessment/{scored.pk}/").status == 404
