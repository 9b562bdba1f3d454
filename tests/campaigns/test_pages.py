"""The campaign pages: week by week, snapshots and live figures told apart, the changes
since the week before; and who may see and change what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from srishti.assessments.services import assessment_create
from srishti.campaigns.models import Campaign, Enrollment
from srishti.campaigns.services import campaign_create, campaign_snapshot_take
from tests.accounts.matrix import assert_statuses, expect, matrix_world

from .conftest import answer


@pytest.fixture
def running(cast, demo_version):
    """A campaign of district X under way: week 1 kept, week 2 in progress; F answered 100
    checkpoints by week 1 and 300 now."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=10)
    c, _ = campaign_create(name="Mission now", scope=cast.x, tool=demo_version.tool,
                           start=start, end=start + dt.timedelta(days=59),
                           goal="certification_ready")
    Enrollment.objects.create(campaign=c, facility=cast.f)
    Enrollment.objects.create(campaign=c, facility=cast.g)
    a = answer(assessment_create(facility=cast.f, version=demo_version, start_date=start), 100)
    campaign_snapshot_take(campaign=c, week=1)
    answer(assessment_create(facility=cast.f, version=demo_version,
                             start_date=start + dt.timedelta(days=8)), 300)
    c.first_assessment = a
    return c


def test_the_page_tells_the_snapshot_from_the_live_figures(client, cast, running):
    client.force_login(cast.district_officer)
    live = client.get(reverse("campaign-detail", args=[running.pk]))
    page = live.context["page"]
    assert [w.source for w in page.weeks[:3]] == ["snapshot", "live", "future"]
    assert page.week.number == 2  # the latest week with figures
    html = live.content.decode()
    assert "Live: the figures as of today" in html
    assert "Changes are against the snapshot of week 1." in html
    change = next(c for c in page.changes if c.facility == cast.f)
    assert (change.now.answered, change.before.answered, change.answered) == (300, 100, 200)
    assert change.new_assessment

    kept = client.get(reverse("campaign-week", args=[running.pk, 1]))
    assert "Snapshot: the figures as of" in kept.content.decode()
    assert kept.context["page"].week.by_facility[cast.f.pk].answered == 100
    # Charts, week by week.
    assert kept.content.decode().count('<svg class="chart"') == 2


def test_a_facility_whose_submitted_assessment_passes_is_named_as_become_ready(
        client, cast, running):
    from srishti.assessments.services import assessment_submit

    client.force_login(cast.district_officer)
    before = client.get(reverse("campaign-detail", args=[running.pk])).content.decode()
    assert "Became certification-ready" not in before  # 300 answered, not submitted
    full = answer(assessment_create(facility=cast.f, version=running.first_assessment.version,
                                    start_date=running.start + dt.timedelta(days=9)), 533)
    assessment_submit(assessment=full, user=None)

    page = client.get(reverse("campaign-detail", args=[running.pk]))
    assert [f.name for f in page.context["page"].became_ready] == [cast.f.name]
    assert f"Became certification-ready: {cast.f.name}" in page.content.decode()


def test_a_week_without_snapshot_says_so_and_is_not_recomputed(client, cast, running):
    running.start -= dt.timedelta(days=14)
    running.save()
    client.force_login(cast.district_officer)
    page = client.get(reverse("campaign-detail", args=[running.pk])).context["page"]
    # Moving the start made old weeks ended ones nobody kept.
    assert [w.source for w in page.weeks[:4]][:2] == ["snapshot", "missing"]
    html = client.get(reverse("campaign-week", args=[running.pk, 2])).content.decode()
    assert "No snapshot was taken for this week" in html and 'id="week-table"' not in html


def test_a_facility_outside_the_users_scope_is_counted_not_shown(client, cast, running):
    Enrollment.objects.create(campaign=running, facility=cast.h)  # district Y
    running.district, running.state = None, cast.x.state
    running.save()
    client.force_login(cast.district_officer)
    page = client.get(reverse("campaign-detail", args=[running.pk])).context["page"]
    assert {f.name for f in page.facilities} == {"Facility F", "Facility G"}
    assert page.hidden == 1


def test_the_campaign_page_runs_a_fixed_number_of_queries(client, cast, running,
                                                          django_assert_max_num_queries):
    from tests.factories import FacilityFactory

    for i in range(10):
        Enrollment.objects.create(campaign=running,
                                  facility=FacilityFactory(district=cast.x, name=f"Extra {i}"))
    client.force_login(cast.state_admin)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("campaign-detail", args=[running.pk])).status_code == 200


def test_starting_a_campaign_enrols_the_chosen_types_once(client, cast, demo_version):
    client.force_login(cast.district_officer)
    page = client.get(reverse("campaign-create"))
    data = {"name": "DH push", "scope": f"district:{cast.x.pk}", "tool": demo_version.tool_id,
            "start": "2025-02-03", "end": "2025-04-03", "goal": "score", "goal_value": "75",
            "facility_types": ["DH"], "client_id": page.context["form"]["client_id"].value()}
    first = client.post(reverse("campaign-create"), data)
    second = client.post(reverse("campaign-create"), data)
    c = Campaign.objects.get()
    assert first.url == second.url == reverse("campaign-detail", args=[c.pk])
    assert {e.facility.name for e in c.enrollments.all()} == {"Facility F", "Facility G"}
    assert (c.goal, c.goal_value) == ("score", 75.0)


def test_a_score_goal_needs_its_figure(client, cast, demo_version):
    client.force_login(cast.district_officer)
    response = client.post(reverse("campaign-create"), {
        "name": "x", "scope": f"district:{cast.x.pk}", "tool": demo_version.tool_id,
        "start": "2025-02-03", "end": "2025-04-03", "goal": "score"})
    assert "goal_value" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_enrolment_changes_only_the_facilities_listed(client, cast, running):
    client.force_login(cast.district_officer)
    url = reverse("campaign-enrolment", args=[running.pk])
    client.post(url + "?", {"facility": [cast.f.pk], "district": cast.x.pk})
    assert {e.facility for e in running.enrollments.all()} == {cast.f}


@pytest.fixture
def world(cast, demo_version):
    w = matrix_world(cast, demo_version)
    w.c_x, _ = campaign_create(name="X", scope=cast.x, tool=demo_version.tool,
                               start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 29),
                               goal="certification_ready")
    w.c_y, _ = campaign_create(name="Y", scope=cast.y, tool=demo_version.tool,
                               start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 29),
                               goal="certification_ready")
    w.c_state, _ = campaign_create(name="State", scope=cast.x.state, tool=demo_version.tool,
                                   start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 29),
                                   goal="certification_ready", facility_types=["DH"])
    campaign_snapshot_take(campaign=w.c_x, week=1)
    return w


SEES_X = dict(superuser=200, state_admin=200, district_officer=200, facility_team=200,
              viewer=200)


def test_campaign_access_matrix(client, world):
    assert_statuses(client, world, reverse("campaign-list"), expect(200, anonymous=302))
    for c in (world.c_x, world.c_state):
        assert_statuses(client, world, reverse("campaign-detail", args=[c.pk]),
                        expect(404, anonymous=302, **SEES_X))
    assert_statuses(client, world, reverse("campaign-week", args=[world.c_x.pk, 1]),
                    expect(404, anonymous=302, **SEES_X))
    assert_statuses(client, world, reverse("campaign-detail", args=[world.c_y.pk]),
                    expect(404, anonymous=302, superuser=200, state_admin=200))
    for name in ("campaign-edit", "campaign-enrolment"):
        assert_statuses(client, world, reverse(name, args=[world.c_x.pk]),
                        expect(404, anonymous=302, superuser=200, state_admin=200,
                               district_officer=200))
        assert_statuses(client, world, reverse(name, args=[world.c_state.pk]),
                        expect(404, anonymous=302, superuser=200, state_admin=200))
    assert_statuses(client, world, reverse("campaign-create"),
                    expect(404, anonymous=302, superuser=200, state_admin=200,
                           district_officer=200))


def test_the_campaign_list_shows_only_the_scope(client, world):
    client.force_login(world.district_officer)
    names = {c.name for c in client.get(reverse("campaign-list")).context["campaigns"]}
    assert names == {"X", "State"}
    client.force_login(world.outsider)
    assert client.get(reverse("campaign-list")).context["campaigns"] == []
