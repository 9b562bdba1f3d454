"""The division's and the block's people log in and land on their dashboards: the division
ranks its districts, the block lists its facilities, in English and in Hindi."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import DistrictFactory, FacilityFactory

from .conftest import log_in, screenshot, switch_language
from .test_dashboards import assess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(cast, demo_version):
    # A second district in the division, so that the division ranks two.
    z = DistrictFactory(name="Zdistrict", division=cast.xd)
    z_facility = FacilityFactory(district=z, name="Facility Z")
    assess(cast.f, demo_version, lambda cp: 2)
    assess(cast.g, demo_version, lambda cp: 0 if cp.standard.area.letter in "AB" else 1)
    assess(cast.h, demo_version, lambda cp: 2)
    assess(z_facility, demo_version, lambda cp: 1, day=dt.date(2024, 5, 2))
    FacilityFactory(district=cast.x, block=cast.xb, name="Facility F2", facility_type="PHC")
    return cast


def test_the_division_officer_lands_on_the_division_ranking_its_districts(new_page, world):
    page = new_page()
    log_in(page, "division_officer")
    assert page.url.endswith(f"/dashboards/divisions/{world.xd.pk}/")
    expect(page.locator("h1")).to_have_text("Division dashboard: Xdivision")
    ranked = page.locator("#ranking tbody tr")
    expect(ranked).to_have_count(2)  # X and Z; Y is in another division
    assert "Xdistrict" in ranked.nth(0).inner_text()  # 75% before Z's 50%
    assert "Zdistrict" in ranked.nth(1).inner_text()
    assert "Ydistrict" not in page.content()
    screenshot(page, "dashboard-division-en")

    switch_language(page, "hi")
    expect(page.locator("h1")).to_have_text("प्रमंडल डैशबोर्ड: Xdivision")
    expect(page.locator("#ranking tbody tr")).to_have_count(2)
    screenshot(page, "dashboard-division-hi")

    # A district of the division opens its own dashboard, with its blocks ranked.
    page.locator("#ranking tbody tr").nth(0).locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/dashboards/districts/{world.x.pk}/")
    expect(page.locator("#places tbody tr")).to_have_count(2)  # Xblock and Gblock


def test_the_block_team_lands_on_the_block_listing_its_facilities(new_page, world):
    page = new_page()
    log_in(page, "block_team")
    assert page.url.endswith(f"/dashboards/blocks/{world.xb.pk}/")
    expect(page.locator("h1")).to_have_text("Block dashboard: Xblock (Xdistrict)")
    ranked = page.locator("#ranking tbody tr")
    expect(ranked).to_have_count(1)  # F; F2 is not assessed yet, G is in another block
    assert "Facility F" in ranked.nth(0).inner_text()
    expect(page.locator("#tiles")).to_contain_text("1 / 2")
    screenshot(page, "dashboard-block-en")

    switch_language(page, "hi")
    expect(page.locator("h1")).to_have_text("प्रखंड डैशबोर्ड: Xblock (Xdistrict)")
    screenshot(page, "dashboard-block-hi")

    # Another block's page is missing, not forbidden.
    response = page.goto(f"/dashboards/blocks/{world.gb.pk}/")
    assert response is not None and response.status == 404
