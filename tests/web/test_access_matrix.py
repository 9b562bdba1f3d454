"""Who sees what: every page, for the named cast. Out of scope is 404, never 403."""

import datetime as dt

import pytest
from django.urls import reverse

from srishti.assessments.services import assessment_create


@pytest.fixture
def world(cast, demo_version):
    for facility in (cast.f, cast.g, cast.h):
        facility.assessment = assessment_create(facility=facility, version=demo_version,
                                                start_date=dt.date(2024, 5, 1))
    return cast


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


VISIBLE = {
    "state_admin": {"f", "g", "h"},
    "division_officer": {"f", "g"},
    "district_officer": {"f", "g"},
    "block_team": {"f"},
    "facility_team": {"f"},
    "outsider": set(),
}


@pytest.mark.parametrize("person", sorted(VISIBLE))
@pytest.mark.parametrize("target", ["f", "g", "h"])
def test_facility_and_assessment_pages_answer_404_outside_the_scope(client, world, person,
                                                                    target):
    facility = getattr(world, target)
    expected = 200 if target in VISIBLE[person] else 404
    user = getattr(world, person)
    assert get(client, user, reverse("facility-detail", args=[facility.pk])).status_code == expected
    assert get(client, user, reverse("assessment-detail",
                                     args=[facility.assessment.pk])).status_code == expected


@pytest.mark.parametrize("person", sorted(VISIBLE))
def test_the_facility_list_shows_only_the_scope(client, world, person):
    response = get(client, getattr(world, person), reverse("facility-list"))
    shown = {f.name for f in response.context["page"]}
    assert shown == {getattr(world, t).name for t in VISIBLE[person]}


def test_pages_send_an_anonymous_visitor_to_log_in(client, world):
    for url in (reverse("facility-list"), reverse("facility-detail", args=[world.f.pk]),
                reverse("assessment-detail", args=[world.f.assessment.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_missing_assessment_is_404_like_a_hidden_one(client, world):
    assert get(client, world.state_admin,
               reverse("assessment-detail", args=[999999])).status_code == 404


def test_the_lists_send_an_anonymous_visitor_to_log_in(client, world):
    for name in ("work-list", "assessment-assigned", "assessment-list", "home"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name


@pytest.mark.parametrize("person", sorted(VISIBLE))
def test_the_filter_menus_name_only_places_in_the_scope(client, world, person):
    user = getattr(world, person)
    names = {getattr(world, t).name for t in VISIBLE[person]}
    districts = {getattr(world, t).district.name for t in VISIBLE[person]}
    listed = get(client, user, reverse("assessment-list")).context
    assert {f.name for f in listed["facilities"]} == names
    assert {d.name for d in listed["districts"]} == districts
    hidden = [getattr(world, t) for t in "fgh" if t not in VISIBLE[person]]
    html = get(client, user, reverse("assessment-list")).content.decode()
    assert not any(f.name in html for f in hidden)
