"""Logging in on a phone, the lock after five wrong passwords, and the People list."""

import pytest

from tests.factories import (
    DistrictFactory,
    FacilityFactory,
    MembershipFactory,
    StateFactory,
    UserFactory,
)

from .conftest import LAPTOP, PASSWORD, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bihar(db):
    """A demo-like corner of Bihar: two districts, their hospitals, and their people."""
    state = StateFactory()
    begusarai = DistrictFactory(state=state, name="Begusarai")
    patna = DistrictFactory(state=state, name="Patna")
    dh = FacilityFactory(district=begusarai, name="District Hospital Begusarai")
    FacilityFactory(district=begusarai, name="PHC Begusarai 01", facility_type="PHC")
    FacilityFactory(district=patna, name="District Hospital Patna")
    people = [
        ("state", "State Quality Unit Bihar", "state_quality_unit", {"state": state}),
        ("begusarai", "District Quality Unit Begusarai", "district_quality_unit",
         {"district": begusarai}),
        ("patna", "District Quality Unit Patna", "district_quality_unit", {"district": patna}),
        ("dh.begusarai", "Quality Team DH Begusarai", "facility_quality_team",
         {"facility": dh}),
        ("assessor", "Demo Assessor", "assessor", {"state": state}),
        ("viewer", "Demo Viewer", "viewer", {"state": state}),
    ]
    for username, name, role, scope in people:
        MembershipFactory(user=UserFactory(username=username, first_name=name), role=role,
                          **scope)
    return state


def test_logging_in_on_a_phone_and_the_lock_after_five_wrong_passwords(new_page, bihar):
    page = new_page(viewport=PHONE)
    log_in(page, "begusarai", next_url="/facilities/")
    assert page.url.endswith("/facilities/")
    names = page.locator("tbody tr td:first-child").all_inner_texts()
    assert names == ["District Hospital Begusarai", "PHC Begusarai 01"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    other = new_page(viewport=PHONE)
    for _ in range(5):
        log_in(other, "dh.begusarai", password="not-the-password")
    message = other.locator("#login-error").inner_text()
    assert "locked until" in message and "IST" in message
    # Now even the right password is refused until the lock ends.
    log_in(other, "dh.begusarai", password=PASSWORD)
    assert "locked until" in other.locator("#login-error").inner_text()
    assert other.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(other, "login-phone-en")


def test_the_state_quality_unit_reads_the_people_list(new_page, bihar):
    page = new_page(viewport=LAPTOP)
    log_in(page, "state", next_url="/facilities/")
    page.click("nav >> text=People")
    rows = page.locator("#people tbody tr")
    assert rows.count() == 6
    # Sorted by username: assessor, begusarai, ...
    assert "District quality unit · Begusarai" in rows.nth(1).inner_text()
    screenshot(page, "people-list-en")
