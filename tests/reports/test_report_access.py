"""Who may download what: every report answers 404 outside the person's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from srishti.accounts.access import visible_districts
from srishti.assessments.services import assessment_create
from tests.conftest import fetch_file
from tests.factories import MembershipFactory, UserFactory

from .conftest import give_answers


@pytest.fixture
def world(cast, demo_version):
    for facility in (cast.f, cast.g, cast.h):
        facility.assessment = give_answers(
            assessment_create(facility=facility, version=demo_version,
                              start_date=dt.date(2024, 5, 1)), seed=facility.pk)
    cast.officer_y = MembershipFactory(user=UserFactory(username="officer_y"),
                                       role="district_quality_unit", district=cast.y).user
    return cast


ASSESSMENT_REPORTS = ("report-scorecard-pdf", "report-assessment-workbook")

# Facilities whose assessment reports each person may download.
SEES = {
    "state_admin": {"f", "g", "h"},
    "division_officer": {"f", "g"},
    "district_officer": {"f", "g"},
    "block_team": {"f"},
    "facility_team": {"f"},
    "officer_y": {"h"},
    "outsider": set(),
}
# Districts whose summary each person may download (one facility in it is enough).
SEES_DISTRICTS = {
    "state_admin": {"x", "y"},
    "division_officer": {"x"},
    "district_officer": {"x"},
    "block_team": {"x"},
    "facility_team": {"x"},
    "officer_y": {"y"},
    "outsider": set(),
}


@pytest.mark.parametrize("person", sorted(SEES))
@pytest.mark.parametrize("name", ASSESSMENT_REPORTS)
def test_assessment_downloads_are_404_outside_the_scope(client, world, person, name):
    client.force_login(getattr(world, person))
    for target in "fgh":
        response = client.get(reverse(name, args=[getattr(world, target).assessment.pk]))
        # Within the scope the file is queued (a redirect to its job's page).
        assert response.status_code == (302 if target in SEES[person] else 404), target


@pytest.mark.parametrize("person", sorted(SEES_DISTRICTS))
def test_the_district_summary_is_404_outside_the_scope(client, world, person):
    client.force_login(getattr(world, person))
    for target in "xy":
        response = client.get(reverse("report-district-pdf", args=[getattr(world, target).pk]))
        assert response.status_code == (302 if target in SEES_DISTRICTS[person] else 404)


def test_visible_districts_follow_visible_facilities(world):
    assert set(visible_districts(world.district_officer)) == {world.x}
    assert set(visible_districts(world.facility_team)) == {world.x}
    assert set(visible_districts(world.state_admin)) == {world.x, world.y}
    assert not visible_districts(world.outsider).exists()


def test_missing_reports_are_404_like_hidden_ones(client, world):
    client.force_login(world.state_admin)
    for name in (*ASSESSMENT_REPORTS, "report-district-pdf"):
        assert client.get(reverse(name, args=[999999])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    urls = [reverse(name, args=[world.f.assessment.pk]) for name in ASSESSMENT_REPORTS]
    urls.append(reverse("report-district-pdf", args=[world.x.pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_downloads_refuse_writes(client, world):
    client.force_login(world.state_admin)
    url = reverse("report-scorecard-pdf", args=[world.f.assessment.pk])
    assert client.post(url).status_code == 405


def test_the_workbook_download_is_an_xlsx_attachment(client, world):
    client.force_login(world.district_officer)
    response = fetch_file(client, reverse("report-assessment-workbook",
                                          args=[world.f.assessment.pk]))

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response["Content-Disposition"] == 'attachment; filename="Facility-F-2024-05-01.xlsx"'
    assert response.content[:2] == b"PK"


def test_the_score_card_page_links_to_the_three_downloads(client, world):
    client.force_login(world.district_officer)
    assessment = world.f.assessment
    html = client.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()

    for url in (reverse("report-scorecard-pdf", args=[assessment.pk]),
                reverse("report-assessment-workbook", args=[assessment.pk]),
                reverse("report-district-pdf", args=[world.x.pk])):
        assert f'href="{url}"' in html
