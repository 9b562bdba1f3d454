import pytest

from srishti.certification.demo import DEMO_TARGET, demo_certification
from srishti.demo.load import demo_load
from srishti.geography.models import State
from tests.factories import MembershipFactory, UserFactory

from .conftest import PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bihar():
    demo_load()
    demo_certification()
    MembershipFactory(user=UserFactory(username="state_unit"), role="state_quality_unit",
                      state=State.objects.get(name="Bihar"))


def test_the_state_unit_follows_the_bihar_target_to_a_facility_pipeline(new_page, bihar):
    page = new_page()
    log_in(page, "state_unit", next_url="/certification/targets/")
    page.click(f"text={DEMO_TARGET}")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == DEMO_TARGET
    assert page.locator("svg.chart path").count() == 1  # the burn-up line
    assert "/ 10" in page.locator(".stat.target-meeting").inner_text()
    for group in ("meeting", "close", "far"):
        assert page.locator(f"section#{group}").is_visible()
    assert page.locator("section#close ul.failing li").count() >= 1
    screenshot(page, "target-progress-en")

    page.click("section#meeting >> text=District Hospital Begusarai")
    page.wait_for_load_state("networkidle")
    assert "District Hospital Begusarai" in page.locator("h1").inner_text()
    current = page.locator("ol.timeline li[aria-current=step]")
    assert "National certification" in current.inner_text()
    assert "Yearly surveillance" in page.locator(".next-step").inner_text()
    assert page.locator("table.records a", has_text="Download").count() == 1
    screenshot(page, "pipeline-en")


def test_the_pipeline_and_alerts_fit_a_phone(new_page, bihar):
    page = new_page(viewport=PHONE)
    log_in(page, "state_unit", next_url="/certification/alerts/")
    assert page.locator("table.alerts tbody tr").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("table.alerts >> text=District Hospital Begusarai")
    page.wait_for_load_state("networkidle")
    assert page.locator("ol.timeline li").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
