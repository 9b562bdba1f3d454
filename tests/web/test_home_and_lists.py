import datetime as dt

import pytest
from django.urls import reverse

from srishti.assessments.models import Assignment
from srishti.assessments.services import assessment_create
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def assessments(cast, demo_version):
    return {f: assessment_create(facility=getattr(cast, f), version=demo_version,
                                 start_date=dt.date(2024, 7, 1)) for f in "fgh"}


def test_people_with_a_territory_start_on_the_dashboard(client, cast):
    client.force_login(cast.district_officer)
    assert client.get(reverse("home")).url == reverse("dashboard-state")


def test_an_assessor_starts_on_the_assignments(client, cast, assessments):
    assessor = MembershipFactory(user=UserFactory(username="a1"), role="assessor",
                                 state=cast.x.state).user
    department = assessments["f"].version.departments.first()
    Assignment.objects.create(assessment=assessments["f"], department=department,
                              assessor=assessor)
    client.force_login(assessor)
    assert client.get(reverse("home")).url == reverse("assessment-list")
    listed = client.get(reverse("assessment-list")).context["page"]
    assert [a.pk for a in listed] == [assessments["f"].pk]


@pytest.mark.parametrize("person,expected", [
    ("state_admin", "fgh"), ("district_officer", "fg"), ("facility_team", "f"),
    ("outsider", ""),
])
def test_the_assessment_list_shows_only_the_scope(client, cast, assessments, person,
                                                  expected):
    client.force_login(getattr(cast, person))
    listed = {a.pk for a in client.get(reverse("assessment-list")).context["page"]}
    assert listed == {assessments[f].pk for f in expected}


@pytest.mark.parametrize("extra", [0, 3])
def test_the_assessment_list_query_count_is_fixed(client, cast, demo_version, assessments,
                                                  extra, django_assert_num_queries):
    for day in range(extra):
        assessment_create(facility=cast.g, version=demo_version,
                          start_date=dt.date(2024, 8, 1 + day))
    client.force_login(cast.state_admin)
    with django_assert_num_queries(5):
        assert client.get(reverse("assessment-list")).status_code == 200
