"""Outcome indicators in a real browser: a facility team enters a month, the district sees
the chart and the out-of-range flag; screenshots of entry, charts and programmes in
English and Hindi."""

from __future__ import annotations

import datetime as dt

import pytest

from srishti.indicators.months import add_months, last_complete_month
from srishti.indicators.services import indicators_seed, monthly_report_save
from srishti.programmes.services import programme_record_save, rule_sets_seed

from .conftest import PHONE, log_in, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST = last_complete_month()


@pytest.fixture
def history(cast):
    """Fourteen months of steady IPD figures at facility F before the last one, and a
    year at G, so that control limits exist and the district has something to compare."""
    indicators_seed()
    for i in range(1, 15):
        month = add_months(LAST, -i)
        for facility, lama in ((cast.f, "3"), (cast.g, "2")):
            monthly_report_save(facility=facility, department="IPD", month=month,
                                figures={"LAMA": (lama if i % 3 else "2", "150"),
                                         "BOR": (str(2300 + 20 * (i % 4)), "3000"),
                                         "ALOS": ("480", "150")},
                                user=cast.district_officer)
    return cast


def fill(page, code, numerator, denominator):
    page.fill(f"input[name=n-{code}]", numerator)
    page.fill(f"input[name=d-{code}]", denominator)


def test_a_facility_enters_a_month_and_the_district_sees_the_chart_and_the_flag(
        new_page, history):
    cast = history
    page = new_page()
    log_in(page, "facility_team", next_url=f"/indicators/facilities/{cast.f.pk}/entry/")
    assert page.locator("#entry-form h2").inner_text().startswith("IPD")
    # A numerator larger than its denominator is refused beside the field, nothing saved.
    fill(page, "LAMA", "160", "150")
    fill(page, "BOR", "2460", "3000")
    page.click("#entry-form button.primary")
    page.wait_for_selector("#err-n-LAMA")
    assert "larger than the denominator" in page.locator("#err-n-LAMA").inner_text()
    assert page.locator("input[name=n-LAMA]").input_value() == "160"
    # Corrected: the month is saved through htmx and the values appear.
    fill(page, "LAMA", "15", "150")
    fill(page, "ALOS", "510", "150")
    page.click("#entry-form button.primary")
    page.wait_for_selector("#entry-form p.saved")
    assert page.locator("#row-LAMA td.value").inner_text() == "10.0"
    assert page.locator("#row-BOR td.value").inner_text() == "82.0"
    screenshot(page, "indicator-entry-en")
    switch_language(page, "hi")
    assert "महीना सहेजें" in page.locator("#entry-form button.primary").inner_text()
    screenshot(page, "indicator-entry-hi")

    district = new_page()
    log_in(district, "district_officer", next_url=f"/indicators/districts/{cast.x.pk}/")
    work = district.locator("#work-list")
    assert "Facility F" in work.inner_text() and "LAMA rate" in work.inner_text()
    assert "worse than the benchmark" in work.inner_text()
    assert "above the upper control limit" in work.inner_text()
    screenshot(district, "indicator-district-en")
    district.click("#work-list >> text=LAMA rate")
    district.wait_for_load_state("networkidle")
    assert district.locator("svg.compare-chart rect.flagged").count() == 1
    screenshot(district, "indicator-compare-en")
    district.goto(f"/indicators/facilities/{cast.f.pk}/")
    chart = district.locator("#ind-LAMA svg.run-chart")
    assert chart.locator("line.limit.upper").count() == 1
    assert chart.locator("line.benchmark").count() == 1
    assert chart.locator("circle.flagged").count() >= 1
    assert district.locator("#out-of-range").is_visible()
    screenshot(district, "indicator-facility-en")
    switch_language(district, "hi")
    assert "सीमा से बाहर" in district.locator("#out-of-range").inner_text()
    screenshot(district, "indicator-facility-hi")
    district.goto(f"/indicators/districts/{cast.x.pk}/")
    assert "कार्य सूची" in district.locator("#work-list h2").inner_text()
    screenshot(district, "indicator-district-hi")


def test_the_entry_form_fits_a_phone(new_page, history):
    page = new_page(viewport=PHONE)
    log_in(page, "facility_team",
           next_url=f"/indicators/facilities/{history.f.pk}/entry/?department=Labour+Room")
    fill(page, "CSR", "12", "60")
    page.click("#entry-form button.primary")
    page.wait_for_selector("#entry-form p.saved")
    assert page.locator("#row-CSR td.value").inner_text() == "20.0"
    screenshot(page, "indicator-entry-phone-en")


def test_the_programme_views_in_english_and_hindi(new_page, cast):
    rule_sets_seed()
    for facility, peer, external in ((cast.f, 84, 86), (cast.g, 80, 82), (cast.h, 66, None)):
        programme_record_save(facility=facility, programme="kayakalp", stage="peer",
                              decided_on=dt.date(2023, 9, 1), score=peer)
        if external:
            programme_record_save(facility=facility, programme="kayakalp", stage="external",
                                  decided_on=dt.date(2023, 12, 1), score=external)
    programme_record_save(facility=cast.f, programme="kayakalp", stage="peer",
                          decided_on=dt.date(2024, 9, 1), score=88)
    programme_record_save(facility=cast.f, programme="kayakalp", stage="external",
                          decided_on=dt.date(2024, 12, 1), score=90)
    programme_record_save(facility=cast.f, programme="laqshya", stage="state",
                          decided_on=dt.date(2024, 3, 1), department_scores={"labour_room": 81})
    page = new_page()
    log_in(page, "state_admin", next_url="/programmes/kayakalp/?year=2024")
    assert "Commendation" in page.locator("#facilities").inner_text()
    assert "2023-24" in page.locator("#years").inner_text()
    screenshot(page, "programme-kayakalp-en")
    page.goto(f"/programmes/facilities/{cast.f.pk}/")
    assert "An award winner last year" in page.locator("#programme-kayakalp").inner_text()
    assert "Provisionally certified" in page.locator("#programme-standings").inner_text()
    screenshot(page, "programme-facility-en")
    page.goto("/programmes/laqshya/")
    assert "Maternity OT to qualify" in page.locator("#due").inner_text()
    screenshot(page, "programme-laqshya-en")
    switch_language(page, "hi")
    assert "मातृत्व ऑपरेशन थिएटर" in page.locator("#due").inner_text()
    screenshot(page, "programme-laqshya-hi")
    page.goto(f"/programmes/facilities/{cast.f.pk}/")
    assert "पिछले वर्ष का पुरस्कार विजेता" in page.locator("#programme-kayakalp").inner_text()
    screenshot(page, "programme-facility-hi")
    page.goto("/programmes/kayakalp/?year=2024")
    screenshot(page, "programme-kayakalp-hi")


def test_the_capture_page_shows_the_figures_beside_area_h(new_page, history, demo_version):
    from srishti.assessments.services import assessment_create

    cast = history
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    ipd = demo_version.departments.get(name="IPD")
    page = new_page()
    log_in(page, "district_officer",
           next_url=f"/assessments/{assessment.pk}/departments/{ipd.pk}/")
    beside = page.locator("#ind-H1-1")
    beside.wait_for(state="visible")
    assert "Bed occupancy rate" in beside.inner_text()
    assert "LAMA rate" in page.locator("#ind-H2-1").inner_text()
    beside.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the checkpoints around it render as they come into view
    screenshot(page, "capture-indicators-en", full_page=False)


def test_the_facility_page_shows_flags_and_every_programme(new_page, history):
    cast = history
    rule_sets_seed()
    monthly_report_save(facility=cast.f, department="IPD", month=LAST,
                        figures={"LAMA": ("15", "150")}, user=cast.district_officer)
    programme_record_save(facility=cast.f, programme="kayakalp", stage="peer",
                          decided_on=dt.date(2024, 9, 1), score=66)
    page = new_page()
    log_in(page, "district_officer", next_url=f"/facilities/{cast.f.pk}/")
    flags = page.locator("#facility-indicators")
    assert "LAMA rate" in flags.inner_text() and "out of range" in flags.inner_text()
    assert "Stopped at peer assessment" in page.locator("#programme-standings").inner_text()
    screenshot(page, "facility-outcomes-en")
    switch_language(page, "hi")
    screenshot(page, "facility-outcomes-hi")
