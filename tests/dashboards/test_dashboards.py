import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from srishti.assessments.services import assessment_create, responses_import
from srishti.certification.models import MissionTarget
from srishti.checklists.models import Tool
from srishti.dashboards.selectors import district_dashboard, state_dashboard
from tests.factories import FacilityFactory, submitted


def assess(facility, version, day, value_for):
    assessment = assessment_create(facility=facility, version=version, start_date=day)
    checkpoints = version.checkpoints.select_related("standard__area").order_by("order")
    responses_import(assessment=assessment, answers=[
        (cp.id, value_for(cp), "gap" if value_for(cp) != 2 else "") for cp in checkpoints
    ])
    return submitted(assessment)


@pytest.fixture
def scores(cast, demo_version):
    # F: older 0s then a newer all-2 assessment (latest counts); G: all 1; H: A-area 0, rest 2.
    assess(cast.f, demo_version, dt.date(2024, 1, 5), lambda cp: 0)
    assess(cast.f, demo_version, dt.date(2024, 4, 5), lambda cp: 2)
    assess(cast.g, demo_version, dt.date(2024, 4, 6), lambda cp: 1)
    assess(cast.h, demo_version, dt.date(2024, 4, 7),
           lambda cp: 0 if cp.standard.area.letter == "A" else 2)
    return cast


def test_state_figures_use_each_facilitys_latest_assessment(scores):
    board = state_dashboard(user=scores.state_admin)
    assert board.tiles.facilities == 3 and board.tiles.assessed == 3
    assert board.tiles.average_score == pytest.approx((100 + 50 + board_h_score(scores)) / 3)
    assert board.tiles.ready == 1  # only F passes every criterion
    by_name = {r.name: r for r in board.ranking}
    assert by_name["Xdistrict"].average_score == pytest.approx(75)
    assert [r.name for r in board.ranking] == ["Ydistrict", "Xdistrict"]


def board_h_score(cast):
    return cast.h.assessments.get().score.overall


def test_the_heat_map_pools_points_per_district_and_area(scores):
    heat = {row.name: row.cells for row in state_dashboard(user=scores.state_admin).heat}
    assert heat["Xdistrict"][0] == pytest.approx(75)  # F 100% and G 50%, equal maxima
    assert heat["Ydistrict"][0] == 0 and heat["Ydistrict"][1] == 100


def test_the_weakest_standards_come_first(scores):
    weakest = district_dashboard(user=scores.state_admin, district=scores.y).weakest
    assert {w.code for w in weakest[:3]} == {"A1", "A2", "A3"}
    assert weakest[0].score == 0


def test_a_district_officer_sees_only_the_district(scores):
    board = state_dashboard(user=scores.district_officer)
    assert [r.name for r in board.ranking] == ["Xdistrict"]
    assert board.tiles.facilities == 2


def test_the_trend_averages_by_quarter(scores):
    board = district_dashboard(user=scores.state_admin, district=scores.x)
    assert board.trend_labels == ["2024 Q1", "2024 Q2"]
    assert board.trend == [0, 75]


@pytest.mark.parametrize("extra", [0, 4])
def test_dashboards_run_a_fixed_number_of_queries(client, scores, demo_version, extra,
                                                  django_assert_num_queries):
    MissionTarget.objects.create(name="Ten ready", state=scores.x.state, tool=Tool.objects.get(
        code="NQAS"), criterion="passes_rule_set", count=10, start=dt.date(2024, 1, 1),
        deadline=dt.date(2024, 12, 31))
    for i in range(extra):
        assess(FacilityFactory(district=scores.x), demo_version, dt.date(2024, 5, 1 + i),
               lambda cp: 1)
    client.force_login(scores.state_admin)
    # Scores and rankings 11 (with the count of assessments in progress; the counted
    # assessments are a subquery), programme scores 1, certification 1, action items 1,
    # targets 1 + 1 per target, the names of the areas of concern 1; a second target would
    # add one query. The ranking of divisions (state) or blocks (district) and the
    # person's home (for the links) add the rest.
    with django_assert_num_queries(21):
        assert client.get(reverse("dashboard-state")).status_code == 200
    with django_assert_num_queries(22):
        assert client.get(reverse("dashboard-district", args=[scores.x.pk])).status_code == 200


@pytest.mark.parametrize("person,expected", [
    ("state_admin", 200), ("division_officer", 404), ("district_officer", 404),
    ("block_team", 404), ("facility_team", 404), ("outsider", 404),
])
def test_a_district_dashboard_outside_the_scope_is_404(client, scores, person, expected):
    client.force_login(getattr(scores, person))
    assert client.get(reverse("dashboard-district", args=[scores.y.pk])).status_code == expected


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get(reverse("dashboard-state")).status_code == 302


def test_the_state_dashboard_shows_the_target_and_the_alerts(client, scores):
    from srishti.certification.models import CertificationRecord

    MissionTarget.objects.create(name="Ten ready", state=scores.x.state,
                                 tool=Tool.objects.get(code="NQAS"), criterion="passes_rule_set",
                                 count=10, start=dt.date(2024, 1, 1),
                                 deadline=dt.date(2024, 12, 31))
    today = timezone.localdate()
    CertificationRecord.objects.create(
        facility=scores.f, tool=Tool.objects.get(code="NQAS"), stage="state_certified",
        level="state", result="passed", decided_on=today - dt.timedelta(days=300),
        valid_until=today + dt.timedelta(days=30))
    client.force_login(scores.state_admin)
    response = client.get(reverse("dashboard-state"))
    attention = response.context["attention"]
    assert attention.certified == 1 and attention.expiring == 1
    assert [(t.name, t.meeting, t.count) for t in attention.targets] == [("Ten ready", 1, 10)]
    html = response.content.decode()
    assert "Ten ready" in html and scores.f.name in html


def test_dashboards_pool_programme_scores_of_the_latest_assessments(client, scores):
    from srishti.accounts.models import User
    from srishti.assessments.services import (
        assessment_create,
        assessment_submit,
        responses_import,
    )
    from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
    from srishti.demo.checklist import demo_checklist

    rule_sets_seed()
    version = checklist_version_create(
        parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"), facility_type="DH",
        label="groups", groups=[("LaQshya", ["Labour Room"])])
    labour = version.checkpoints.filter(department__name="Labour Room").count()
    for i, value in enumerate((2, 1)):
        facility = FacilityFactory(district=scores.x, facility_type="DH")
        assessment = assessment_create(facility=facility, version=version,
                                       start_date=dt.date(2025, 1, 1 + i))
        responses_import(assessment=assessment, answers=[
            (pk, value, "" if value == 2 else "partly")
            for pk in version.checkpoints.values_list("id", flat=True)])
        assessment_submit(assessment=assessment, user=None)  # only submitted ones count
    client.force_login(User.objects.create_superuser("root", "", "pw-for-tests-only"))

    board = client.get(reverse("dashboard-state")).context["dashboard"]
    district = client.get(reverse("dashboard-district", args=[scores.x.pk])).content.decode()

    (laqshya,) = board.programmes
    assert (laqshya.name, laqshya.facilities, laqshya.maximum) == ("LaQshya", 2, 4 * labour)
    assert laqshya.score == 75.0  # pooled: 2 + 1 of 2 + 2 per checkpoint
    assert laqshya.badges == {"platinum": 1}
    assert "LaQshya 100.0%" in district and "badge-platinum" in district
