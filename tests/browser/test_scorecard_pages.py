import datetime as dt
import random

import pytest

from srishti.assessments.services import assessment_create, responses_import

from .conftest import PHONE, log_in, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scored(cast, demo_version):
    rng = random.Random(5)
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    ids = demo_version.checkpoints.values_list("id", flat=True)
    responses_import(assessment=assessment,
                     answers=[(cid, rng.choice([1, 2, 2, 2, None]), "r") for cid in ids])
    assessment.refresh_from_db()
    return assessment


def test_a_district_officer_finds_the_facility_and_reads_its_score_card(new_page, cast, scored):
    page = new_page()
    log_in(page, "district_officer")
    page.goto("/facilities/")
    assert page.locator("tbody tr").count() == 2  # F and G of district X, not H
    page.click(f"text={cast.f.name}")
    page.click(f"a[href='/assessments/{scored.pk}/']")
    overall = f"{scored.score.overall:.2f}%"
    assert overall in page.locator(".stats").inner_text()
    assert page.locator("#verdict li").count() == len(scored.score.verdict["criteria"])
    screenshot(page, "scorecard-en")


def test_the_score_card_reads_in_hindi_on_a_phone(new_page, cast, scored):
    page = new_page(viewport=PHONE)
    log_in(page, "district_officer", next_url=f"/assessments/{scored.pk}/")
    switch_language(page, "hi")
    assert page.locator("html").get_attribute("lang") == "hi"
    assert "अंक" in page.locator("h1").inner_text()
    # Nothing overflows sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "scorecard-hi-phone")


def test_an_officer_of_another_district_gets_404(new_page, cast, scored):
    page = new_page()
    from tests.factories import MembershipFactory, UserFactory

    MembershipFactory(user=UserFactory(username="officer_y"), district=cast.y)
    log_in(page, "officer_y")
    response = page.goto(f"/assessments/{scored.pk}/")
    assert response.status == 404
