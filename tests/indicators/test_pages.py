"""The indicator pages: entry by form (htmx), the facility's runs and flags, the district's
work list and comparisons, the figures beside area-H checkpoints."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse

from srishti.indicators.models import IndicatorValue, MonthlyReport
from srishti.indicators.months import add_months, last_complete_month

from .conftest import save

LAST = last_complete_month()


def fill_months(facility, user, months, **figures):
    for i in range(months):
        month = add_months(LAST, -i)
        save(facility, user, month=month, **figures)


def entry_url(facility, department="IPD", month=LAST):
    return (f"{reverse('indicator-entry', args=[facility.pk])}"
            f"?department={department}&month={month:%Y-%m}")


def post_entry(client, facility, data, *, department="IPD", month=LAST, revision=0, htmx=True):
    body = {"department": department, "month": f"{month:%Y-%m}", "base_revision": revision,
            "client_id": str(uuid.uuid4()), **data}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("indicator-entry", args=[facility.pk]), body, **headers)


def test_the_entry_form_lists_the_departments_indicators_with_their_definitions(
        client, cast, library):
    client.force_login(cast.facility_team)
    html = client.get(entry_url(cast.f)).content.decode()
    for code in ("BOR", "ALOS", "LAMA", "IPD-REF", "PSS-IPD"):
        assert f'name="n-{code}"' in html and f'name="d-{code}"' in html
    assert "Functional beds x days in the month" in html
    assert 'name="n-CSR"' not in html  # a Labour Room indicator


def test_a_facility_user_saves_a_month_through_htmx(client, cast, library):
    client.force_login(cast.facility_team)
    response = post_entry(client, cast.f, {"n-LAMA": "3", "d-LAMA": "150",
                                           "n-BOR": "2,480", "d-BOR": "3000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved." in html
    assert re.search(r'id="row-LAMA".*?class="num value">2.0<', html, re.S)
    assert '<html' not in html  # a fragment for htmx to swap
    assert MonthlyReport.objects.get().revision == 1
    assert IndicatorValue.objects.get(indicator__code="BOR").numerator == 2480


def test_a_bad_figure_comes_back_beside_its_field_and_nothing_is_saved(client, cast, library):
    client.force_login(cast.facility_team)
    response = post_entry(client, cast.f, {"n-LAMA": "151", "d-LAMA": "150",
                                           "n-BOR": "10", "d-BOR": "20"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="err-n-LAMA"' in html and "larger than the denominator" in html
    assert 'value="151"' in html  # what the person typed stays on screen
    assert not IndicatorValue.objects.exists()


def test_a_stale_form_gets_a_conflict_with_the_stored_figures(client, cast, library):
    save(cast.f, cast.district_officer, month=LAST, LAMA=("4", "150"))
    client.force_login(cast.facility_team)
    response = post_entry(client, cast.f, {"n-LAMA": "9", "d-LAMA": "150"}, revision=0)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed these figures" in html
    assert 'name="n-LAMA" value="4"' in html
    assert IndicatorValue.objects.get().numerator == 4


def test_without_htmx_a_save_redirects_back_to_the_month(client, cast, library):
    client.force_login(cast.facility_team)
    response = post_entry(client, cast.f, {"n-LAMA": "3", "d-LAMA": "150"}, htmx=False)
    assert response.status_code == 302
    assert f"month={LAST:%Y-%m}" in response["Location"]


def test_the_facility_page_draws_runs_control_limits_and_flags(client, cast, library):
    fill_months(cast.f, cast.facility_team, 14, LAMA=("3", "150"), BOR=("2400", "3000"))
    save(cast.f, cast.facility_team, month=LAST, base_revision=1, LAMA=("15", "150"))
    client.force_login(cast.district_officer)
    response = client.get(reverse("indicator-facility", args=[cast.f.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="chart run-chart"') == 2
    assert 'id="out-of-range"' in html
    assert re.search(r'id="out-of-range".*LAMA rate.*worse than the benchmark', html, re.S)
    assert 'class="limit upper"' in html  # 14 months: a control chart
    assert 'class="flagged"' in html


def test_a_run_of_fewer_than_twelve_months_has_no_control_limits(client, cast, library):
    fill_months(cast.f, cast.facility_team, 5, LAMA=("3", "150"))
    client.force_login(cast.facility_team)
    html = client.get(reverse("indicator-facility", args=[cast.f.pk])).content.decode()
    assert 'class="limit upper"' not in html
    assert "a control chart needs twelve months" in html


def test_the_facility_page_flags_out_of_range_indicators(client, cast, library):
    save(cast.f, cast.facility_team, month=LAST, LAMA=("15", "150"))
    client.force_login(cast.state_admin)
    html = client.get(reverse("facility-detail", args=[cast.f.pk])).content.decode()
    block = re.search(r'<section class="card" id="facility-indicators">(.*?)</section>',
                      html, re.S).group(1)
    assert "LAMA rate" in block and "out of range" in block


def test_the_district_page_shows_the_work_list_and_late_and_missing_months(
        client, cast, library):
    fill_months(cast.f, cast.facility_team, 3, LAMA=("15", "150"))
    client.force_login(cast.district_officer)
    response = client.get(reverse("indicator-district", args=[cast.x.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    work = re.search(r'id="work-list">(.*?)</section>', html, re.S).group(1)
    assert "Facility F" in work and "LAMA rate" in work
    assert "Facility G" not in work
    grid = re.search(r'id="reporting">(.*?)</section>', html, re.S).group(1)
    row_g = re.search(r"Facility G.*?</tr>", grid, re.S).group(0)
    assert row_g.count("rep-missing") >= 11  # nothing from G: every past month missing


def test_late_figures_are_marked_late(cast, library):
    from srishti.indicators.selectors import LATE, district_indicators

    month = add_months(LAST, -3)
    save(cast.f, cast.facility_team, month=month, LAMA=("1", "150"), BOR=("1", "3"),
         ALOS=("1", "1"), IPD_REF=("0", "150"), PSS_IPD=("1", "5"))
    MonthlyReport.objects.update(first_submitted_at=dt.datetime(
        month.year + (month.month == 12), month.month % 12 + 1, 28, tzinfo=dt.UTC))
    page = district_indicators(user=cast.district_officer, district=cast.x)
    row = next(r for r in page.facilities if r.facility == cast.f)
    status = next(s for s in row.statuses if s.month == month)
    assert status.late_departments == ["IPD"]
    assert status.status != LATE  # other departments are missing: the month is incomplete


def test_the_district_compares_an_indicator_across_its_facilities(client, cast, library):
    fill_months(cast.f, cast.facility_team, 12, LAMA=("3", "150"))
    fill_months(cast.g, cast.district_officer, 12, LAMA=("9", "150"))
    client.force_login(cast.district_officer)
    response = client.get(reverse("indicator-district-one", args=[cast.x.pk, "LAMA"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="chart compare-chart"' in html
    assert re.search(r"Facility F.*?2\.0.*Facility G.*?6\.0", html, re.S)


def test_an_unknown_indicator_code_is_404(client, cast, library):
    client.force_login(cast.district_officer)
    assert client.get(reverse("indicator-district-one", args=[cast.x.pk, "NOPE"])
                      ).status_code == 404


def test_the_capture_page_asks_for_the_figures_of_its_area_h(client, cast, library, demo_version):
    from srishti.assessments.services import assessment_create

    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    ipd = demo_version.departments.get(name="IPD")
    fill_months(cast.f, cast.facility_team, 2, LAMA=("3", "150"), BOR=("2400", "3000"))
    client.force_login(cast.facility_team)
    page = client.get(reverse("capture-department", args=[assessment.pk, ipd.pk])
                      ).content.decode()
    loader = reverse("indicator-capture", args=[assessment.pk, ipd.pk])
    assert f'hx-get="{loader}"' in page
    assert 'id="ind-H1-1"' in page and 'id="ind-H2-1"' in page
    fragment = client.get(loader).content.decode()
    assert 'id="ind-H1-1" class="cap-indicators" hx-swap-oob="true"' in fragment
    assert "Bed occupancy rate" in fragment and "80.0" in fragment
    assert 'id="ind-H2-1"' in fragment and "LAMA rate" in fragment


@pytest.mark.parametrize("extra", [0, 12])
def test_the_district_page_runs_a_fixed_number_of_queries(
        client, cast, library, extra, django_assert_num_queries):
    from tests.factories import FacilityFactory

    fill_months(cast.f, cast.state_admin, 2, LAMA=("3", "150"))
    for _ in range(extra):
        facility = FacilityFactory(district=cast.x)
        fill_months(facility, cast.state_admin, 2, LAMA=("3", "150"))
    client.force_login(cast.district_officer)
    # session, user, memberships, district, facilities, library, reports, values, pooled
    with django_assert_num_queries(9):
        assert client.get(reverse("indicator-district", args=[cast.x.pk])).status_code == 200


@pytest.mark.parametrize("months", [2, 14])
def test_the_facility_page_runs_a_fixed_number_of_queries(
        client, cast, library, months, django_assert_num_queries):
    fill_months(cast.f, cast.state_admin, months, LAMA=("3", "150"), BOR=("10", "20"))
    client.force_login(cast.district_officer)
    # session, user, memberships, facility, library, values, reports
    with django_assert_num_queries(7):
        assert client.get(reverse("indicator-facility", args=[cast.f.pk])).status_code == 200
