"""Each role lands on its own page after logging in and at `/`; nobody reads a page named
"State dashboard" that ranks a single district."""

import datetime as dt

import pytest
from django.urls import reverse

from srishti.assessments.models import Assignment
from srishti.assessments.services import assessment_create, responses_import
from tests.factories import MembershipFactory, UserFactory


def landing(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).url


def test_the_state_quality_unit_lands_on_the_state_dashboard(client, cast):
    assert landing(client, cast.state_admin) == reverse("dashboard-state")


def test_a_district_quality_unit_lands_on_its_district_dashboard(client, cast):
    assert landing(client, cast.district_officer) == reverse("dashboard-district",
                                                             args=[cast.x.pk])


def test_the_facility_team_lands_on_its_facility(client, cast):
    assert landing(client, cast.facility_team) == reverse("facility-detail", args=[cast.f.pk])


def test_a_state_viewer_lands_on_the_state_dashboard(client, cast):
    viewer = MembershipFactory(user=UserFactory(username="v"), role="viewer",
                               state=cast.x.state).user
    assert landing(client, viewer) == reverse("dashboard-state")


def test_a_district_viewer_lands_on_the_dashboard_of_its_district(client, cast):
    viewer = MembershipFactory(user=UserFactory(username="v"), role="viewer",
                               district=cast.y).user
    assert landing(client, viewer) == reverse("dashboard-district", args=[cast.y.pk])


def test_someone_over_two_districts_lands_on_a_dashboard_ranking_both(client, cast):
    both = MembershipFactory(user=UserFactory(username="two"), role="district_quality_unit",
                             district=cast.x).user
    MembershipFactory(user=both, role="district_quality_unit", district=cast.y)
    assert landing(client, both) == reverse("dashboard-state")
    ranked = client.get(reverse("dashboard-state")).context["dashboard"].ranking
    assert len(ranked) == 0 or {r.name for r in ranked} <= {"Xdistrict", "Ydistrict"}


def test_a_superuser_lands_on_the_state_dashboard(client, db):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert landing(client, admin) == reverse("dashboard-state")


def test_an_assessor_lands_on_the_assignments_with_what_is_due(client, cast, demo_version):
    assessor = MembershipFactory(user=UserFactory(username="a1"), role="assessor",
                                 state=cast.x.state).user
    late = assessment_create(facility=cast.f, version=demo_version,
                             start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 7, 3))
    emergency = demo_version.departments.get(name="Emergency")
    Assignment.objects.create(assessment=late, department=emergency, assessor=assessor)
    assert landing(client, assessor) == reverse("assessment-assigned")
    page = client.get(reverse("assessment-assigned"))
    [work] = page.context["work"]
    assert work.assessment == late and work.departments == ["Emergency"]
    assert work.total == emergency.checkpoints.count() and work.answered == 0
    assert work.overdue  # an open assessment past its end date
    assert "Missed" in page.content.decode()


@pytest.mark.parametrize("person", ["district_officer", "facility_team"])
def test_the_state_dashboard_sends_a_narrower_scope_to_its_own_page(client, cast, person):
    user = getattr(cast, person)
    client.force_login(user)
    response = client.get(reverse("dashboard-state"))
    assert response.status_code == 302 and response.url == landing(client, user)


def test_a_district_user_never_reads_a_state_dashboard(client, cast):
    client.force_login(cast.district_officer)
    page = client.get(reverse("dashboard-district", args=[cast.x.pk]), follow=True)
    html = page.content.decode()
    assert "District dashboard: Xdistrict" in html
    assert "State dashboard" not in html and "Districts ranked" not in html


def test_an_outsider_has_an_empty_assignment_page_not_a_dashboard(client, cast):
    assert landing(client, cast.outsider) == reverse("assessment-assigned")
    assert client.get(reverse("assessment-assigned")).context["work"] == []
    assert client.get(reverse("dashboard-district", args=[cast.x.pk])).status_code == 404


def test_an_assessor_sees_only_their_own_assignments(client, cast, demo_version):
    mine, other = (MembershipFactory(user=UserFactory(username=n), role="assessor",
                                     state=cast.x.state).user for n in ("a1", "a2"))
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 7, 1))
    Assignment.objects.create(assessment=assessment, assessor=other,
                              department=demo_version.departments.first())
    client.force_login(mine)
    assert client.get(reverse("assessment-assigned")).context["work"] == []


# --- the demo log-ins ----------------------------------------------------------------------

def _demo_home(username: str) -> tuple[str, str]:
    """(where the demo log-in lands, the heading of that page)."""
    from srishti.geography.models import District, Facility

    begusarai = District.objects.get(name="Begusarai")
    hospital = Facility.objects.get(name="District Hospital Begusarai")
    return {
        "state": (reverse("dashboard-state"), "State dashboard"),
        "admin": (reverse("dashboard-state"), "State dashboard"),
        "viewer": (reverse("dashboard-state"), "State dashboard"),
        "begusarai": (reverse("dashboard-district", args=[begusarai.pk]),
                      "District dashboard: Begusarai"),
        "dh.begusarai": (reverse("facility-detail", args=[hospital.pk]), hospital.name),
        "assessor": (reverse("assessment-assigned"), "My assignments"),
    }[username]


@pytest.mark.parametrize("username", ["state", "begusarai", "dh.begusarai", "assessor",
                                      "viewer", "admin"])
def test_each_demo_log_in_lands_on_its_own_page(client, db, username):
    from srishti.demo.load import DEMO_PASSWORD, demo_load

    demo_load()
    url, heading = _demo_home(username)
    logged_in = client.post(reverse("login"), {"username": username,
                                               "password": DEMO_PASSWORD})
    assert logged_in.status_code == 302 and logged_in.url == reverse("home")
    home = client.get(logged_in.url)
    assert home.url == url
    html = client.get(url).content.decode()
    assert f"<h1>{heading}</h1>" in html
    if username in ("begusarai", "dh.begusarai", "assessor"):
        assert "State dashboard" not in html and "Districts ranked" not in html
    if username == "assessor":
        work = client.get(url).context["work"]
        assert {d for w in work for d in w.departments} == {"Emergency", "Labour Room"}


def test_the_facility_home_counts_its_open_and_overdue_items(client, cast, demo_version):
    from srishti.improvement.models import ActionItem
    from srishti.improvement.selectors import today_ist
    from srishti.improvement.services import action_items_bulk_create

    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 7, 1))
    ids = demo_version.checkpoints.values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[(c, 0, "") for c in ids[:3]])
    action_items_bulk_create(assessment=assessment, user=None)
    ActionItem.objects.filter(pk=ActionItem.objects.first().pk).update(
        due_date=today_ist() - dt.timedelta(days=1))
    client.force_login(cast.facility_team)
    page = client.get(landing(client, cast.facility_team))
    html = page.content.decode()
    assert page.context["actions"].open == 3 and page.context["actions"].overdue == 1
    assert f"?facility={cast.f.pk}&amp;overdue=1" in html and "1 overdue" in html


@pytest.mark.parametrize("extra", [0, 3])
def test_the_assignments_page_runs_a_fixed_number_of_queries(client, cast, demo_version,
                                                             extra, django_assert_num_queries):
    assessor = MembershipFactory(user=UserFactory(username="a1"), role="assessor",
                                 state=cast.x.state).user
    for day in range(1 + extra):
        assessment = assessment_create(facility=cast.g, version=demo_version,
                                       start_date=dt.date(2024, 7, 1 + day))
        for department in demo_version.departments.all()[:2]:
            Assignment.objects.create(assessment=assessment, department=department,
                                      assessor=assessor)
    client.force_login(assessor)
    # Session, user, memberships, assignments (access), then the page's four.
    with django_assert_num_queries(7):
        assert client.get(reverse("assessment-assigned")).status_code == 200
