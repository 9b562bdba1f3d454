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


def test_an_assessor_lists_the_assigned_assessments(client, cast, assessments):
    assessor = MembershipFactory(user=UserFactory(username="a1"), role="assessor",
                                 state=cast.x.state).user
    department = assessments["f"].version.departments.first()
    Assignment.objects.create(assessment=assessments["f"], department=department,
                              assessor=assessor)
    client.force_login(assessor)
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
    # Session, user, memberships, count, page; districts, facilities and tools to filter by.
    with django_assert_num_queries(8):
        assert client.get(reverse("assessment-list")).status_code == 200


def _listed(client, **query) -> list[int]:
    return [a.pk for a in client.get(reverse("assessment-list"), query).context["page"]]


def test_the_assessment_list_filters_by_district_facility_tool_type_status_and_date(
        client, cast, demo_version, assessments):
    from srishti.assessments.models import Assessment

    f, g, h = (assessments[k] for k in "fgh")
    peer = assessment_create(facility=cast.g, version=demo_version, kind="peer",
                             start_date=dt.date(2024, 9, 1))
    Assessment.objects.filter(pk=h.pk).update(status="submitted")
    client.force_login(cast.state_admin)
    assert set(_listed(client, district=cast.x.pk)) == {f.pk, g.pk, peer.pk}
    assert set(_listed(client, facility=cast.g.pk)) == {g.pk, peer.pk}
    assert set(_listed(client, tool="NQAS")) == {f.pk, g.pk, h.pk, peer.pk}
    assert _listed(client, tool="KAYAKALP") == []
    assert _listed(client, kind="peer") == [peer.pk]
    assert _listed(client, status="submitted") == [h.pk]
    assert _listed(client, since="2024-08-01") == [peer.pk]
    assert set(_listed(client, until="2024-07-31")) == {f.pk, g.pk, h.pk}
    # Nonsense is ignored, not an error.
    assert len(_listed(client, since="31-12-2024", kind="x", district="-1")) == 4


def test_the_assessment_list_searches_and_sorts(client, cast, demo_version, assessments):
    from srishti.assessments.models import AssessmentScore

    f, g, h = (assessments[k] for k in "fgh")
    AssessmentScore.objects.filter(assessment=f).update(overall=40)
    AssessmentScore.objects.filter(assessment=g).update(overall=90)
    AssessmentScore.objects.filter(assessment=h).update(overall=None)
    client.force_login(cast.state_admin)
    assert _listed(client, q="facility g") == [g.pk]
    assert _listed(client, sort="-score") == [g.pk, f.pk, h.pk]  # unscored last
    assert _listed(client, sort="score") == [f.pk, g.pk, h.pk]
    assert _listed(client, sort="facility") == [f.pk, g.pk, h.pk]


def test_an_outsider_finds_nothing_whatever_the_filters(client, cast, assessments):
    client.force_login(cast.district_officer)
    assert _listed(client, district=cast.y.pk) == []
    assert _listed(client, facility=cast.h.pk) == []
    assert _listed(client, q="Facility H") == []
    client.force_login(cast.outsider)
    assert _listed(client) == []
