"""The AAM-SC sub-centre in a browser: the capture page says why a checkpoint is not
applicable and shows the other language a tap away; the score card shows the themes.
Screenshots in English and Hindi."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from srishti.accounts.models import User
from srishti.assessments.models import Assessment
from srishti.checklists.services import rule_sets_seed
from srishti.demo.load import _demo_aam_sc
from tests.factories import reopened

from .conftest import PASSWORD, PHONE, log_in, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sub_centre(cast):
    rule_sets_seed()
    _demo_aam_sc(cast.x.state)
    User.objects.create_superuser("quality", "", PASSWORD)
    return reopened(Assessment.objects.get(facility__name="AAM Sub-centre Begusarai 01"))


def _show_from(page, heading: str) -> None:
    page.set_viewport_size({"width": PHONE["width"], "height": 1800})
    page.locator("h4.cap-me", has_text=heading).evaluate("e => e.scrollIntoView()")
    # Checkpoints render as they come into view (content-visibility): wait for the last
    # one on the screen.
    expect(page.locator("article.cp", has=page.locator(".cp-na-reason")).nth(5)
           ).to_be_visible()


def test_capture_page_gives_the_na_reason_and_the_other_language(new_page, sub_centre):
    department = sub_centre.version.departments.get()
    url = f"/assessments/{sub_centre.pk}/departments/{department.pk}/"
    page = new_page(viewport=PHONE)
    log_in(page, "quality", next_url=url)

    type_b = page.locator("article.cp", has_text="A delivery table with a clean delivery kit")
    expect(type_b.locator(".cp-na-reason")).to_contain_text("for type B sub-centres only")
    expect(type_b.locator(".cp-levels")).to_have_count(0)  # nothing to score
    mental = page.locator("article.cp", has_text="low mood and sleep")
    expect(mental.locator(".cp-na-reason")).to_contain_text(
        "does not offer the Mental health service package")
    eye = page.locator("article.cp", has_text="A vision chart is hung")
    expect(eye.locator(".cp-na-reason")).to_have_count(0)
    expect(eye.locator(".cp-levels button").first).to_be_visible()

    soap = page.locator("article.cp", has_text="Soap is at the wash basin.")
    hindi = soap.locator("details.cp-other")
    expect(hindi.locator("p").first).to_be_hidden()
    hindi.locator("summary").click()  # a tap shows the Hindi text
    expect(hindi.locator("p").first).to_have_text("वॉश बेसिन पर साबुन है।")
    # A tall phone screen from the optional packages on: NA reasons beside answerable
    # checkpoints, one Hindi text opened.
    _show_from(page, "ME A1.5")
    screenshot(page, "aam-sc-capture-en", full_page=False)

    switch_language(page, "hi")
    expect(page.locator("h1")).to_have_text("उप-स्वास्थ्य केंद्र")
    soap = page.locator("article.cp", has_text="वॉश बेसिन पर साबुन है।")
    soap.locator("details.cp-other summary").click()
    expect(soap.locator("details.cp-other p").first).to_have_text("Soap is at the wash basin.")
    expect(page.locator("article.cp", has_text="प्रसव मेज़").locator(".cp-na-reason")
           ).to_contain_text("केवल टाइप B")
    _show_from(page, "ME A1.5")
    screenshot(page, "aam-sc-capture-hi", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_score_card_shows_the_themes_in_both_languages(new_page, sub_centre):
    page = new_page()
    log_in(page, "quality", next_url=f"/assessments/{sub_centre.pk}/")

    themes = page.locator("#themes tbody tr")
    expect(themes).to_have_count(12)
    expect(themes.nth(6)).to_contain_text("Non-communicable diseases")
    expect(themes.nth(11)).to_contain_text("not offered")
    expect(page.locator("#verdict")).to_contain_text("Every mandatory service package")
    expect(page.locator("#verdict")).to_contain_text("thresholds not verified")
    screenshot(page, "aam-sc-scorecard-en")

    switch_language(page, "hi")
    expect(themes.nth(6)).to_contain_text("गैर-संचारी रोग")
    expect(themes.nth(11)).to_contain_text("नहीं दिया जाता")
    screenshot(page, "aam-sc-scorecard-hi")
