import datetime as dt

import pytest
from django.http import Http404

from srishti.accounts.access import forget
from srishti.assessments.models import Assessment
from srishti.certification.selectors import mission_target_list, target_progress
from srishti.certification.services import mission_target_create
from srishti.checklists.services import checklist_version_create, tool_get
from srishti.demo.checklist import demo_checklist
from tests.factories import FacilityFactory

from .conftest import TODAY, assess

D = dt.date
NEAR = ("each_area", 70.0, 60.0)  # 10 points short: close
FAR = ("each_area", 70.0, 59.9)  # more than 10 points short: far


@pytest.fixture
def v(demo_version):
    return demo_version


def target(cast, nqas, **kw):
    args = {"name": "Ten ready", "state": cast.x.state, "tool": nqas, "count": 10,
            "start": D(2022, 12, 1), "deadline": D(2023, 3, 31)}
    return mission_target_create(**{**args, **kw})


def assessed(rows):
    return [r.facility for r in rows if r.assessment_id]


def groups(progress):
    return {name: [r.facility.name for r in getattr(progress, name)]
            for name in ("meeting", "close", "far")}


def progress(cast, t, user=None, today=TODAY):
    return target_progress(user=user or cast.state_admin, target=t, today=today)


def test_the_latest_assessment_decides_meeting_close_or_far(cast, nqas, v):
    assess(cast.f, v, D(2022, 10, 1), overall=60, passed=False, failing=[FAR])
    assess(cast.f, v, D(2023, 1, 10), overall=82, passed=True)
    assess(cast.g, v, D(2022, 10, 1), overall=85, passed=True)
    assess(cast.g, v, D(2023, 2, 1), overall=72, passed=False,
           failing=[NEAR, ("critical_standards", 70.0, 65.0)])
    assess(cast.h, v, D(2023, 2, 1), overall=68, passed=False,
           failing=[NEAR, ("overall", 70.0, 68.0), FAR])
    assert groups(progress(cast, target(cast, nqas))) == {
        "meeting": ["Facility F"], "close": ["Facility G"], "far": ["Facility H"]}


@pytest.mark.parametrize(("failing", "group"), [
    ([NEAR], "close"),
    ([NEAR, NEAR, NEAR], "close"),
    ([FAR], "far"),
    ([("overall", 70.0, None)], "far"),
])
def test_close_means_every_failing_criterion_within_10_points(cast, nqas, v, failing, group):
    assess(cast.f, v, D(2023, 1, 10), overall=70, passed=False, failing=failing)
    p = progress(cast, target(cast, nqas))
    assert assessed(getattr(p, group)) == [cast.f]


def test_a_close_facility_lists_its_failing_criteria_with_figures(cast, nqas, v):
    a = assess(cast.f, v, D(2023, 1, 10), overall=74, passed=False, failing=[NEAR])
    score = a.score
    score.verdict["criteria"][0]["shortfalls"] = [
        {"unit": u, "score": s} for u, s in (("C", 60), ("G", 64), ("B", 66), ("D", 68))]
    score.save()
    [row] = progress(cast, target(cast, nqas)).close
    [failing] = row.failing
    assert (str(failing.label), failing.threshold, failing.value) == ("Every area of concern",
                                                                     70.0, 60.0)
    assert (failing.units, failing.more) == ([("C", 60), ("G", 64), ("B", 66)], 1)
    assert (row.overall, row.assessment_id, row.assessed_on) == (74, a.pk, D(2023, 1, 10))


@pytest.mark.parametrize(("overall", "group"), [(80, "meeting"), (79.9, "close"),
                                                (70, "close"), (69.9, "far"), (None, "far")])
def test_a_score_target_counts_scores_at_least_the_minimum(cast, nqas, v, overall, group):
    assess(cast.f, v, D(2023, 1, 10), overall=overall)
    t = target(cast, nqas, criterion="score_at_least", min_score=80)
    assert assessed(getattr(progress(cast, t), group)) == [cast.f]


def test_a_facility_never_assessed_is_far_and_says_so(cast, nqas):
    p = progress(cast, target(cast, nqas))
    assert {r.facility for r in p.far} == {cast.f, cast.g, cast.h}
    assert all(str(r.note) == "No assessment yet" for r in p.far)


def test_a_checklist_without_rules_cannot_meet_a_rule_set_target(cast, nqas, v):
    assess(cast.f, v, D(2023, 1, 10), overall=95, passed=None)
    [row] = [r for r in progress(cast, target(cast, nqas)).far if r.facility == cast.f]
    assert row.assessment_id and "rule set" in str(row.note)


def test_drafts_other_tools_types_and_places_are_left_out(cast, nqas, v):
    assess(cast.f, v, D(2023, 1, 10), overall=90, passed=True)
    assess(cast.f, v, D(2023, 2, 10), overall=10, passed=False, failing=[FAR],
           status=Assessment.Status.DRAFT)
    kayakalp = checklist_version_create(parsed=demo_checklist("DH"),
                                        tool=tool_get(code="KAYAKALP"), facility_type="DH",
                                        label="kayakalp test")
    assess(cast.g, kayakalp, D(2023, 1, 10), overall=90, passed=True)
    phc = FacilityFactory(district=cast.x, name="PHC P", facility_type="PHC")
    p = progress(cast, target(cast, nqas, facility_types=["DH"]))
    assert [r.facility for r in p.meeting] == [cast.f]
    assert phc not in {r.facility for r in p.far}
    p = progress(cast, target(cast, nqas, state=None, district=cast.y))
    assert [r.facility for r in p.far] == [cast.h]


def test_the_burn_up_counts_by_the_assessment_that_began_the_current_run(cast, nqas, v):
    # F met before the start and still does: counted from the first month.
    assess(cast.f, v, D(2022, 10, 1), overall=80, passed=True)
    assess(cast.f, v, D(2023, 2, 5), overall=85, passed=True)
    # G met in January, fell back in February, met again in March: counted from March.
    assess(cast.g, v, D(2023, 1, 5), overall=80, passed=True)
    assess(cast.g, v, D(2023, 2, 5), overall=60, passed=False, failing=[FAR])
    assess(cast.g, v, D(2023, 3, 31), overall=80, passed=True)
    # H met in January and fell back: not counted at all.
    assess(cast.h, v, D(2023, 1, 20), overall=80, passed=True)
    assess(cast.h, v, D(2023, 3, 1), overall=60, passed=False, failing=[NEAR])
    p = progress(cast, target(cast, nqas))
    assert [m.isoformat() for m in p.months] == ["2022-12-31", "2023-01-31", "2023-02-28",
                                                "2023-03-31"]
    assert p.burnup == [1, 1, 1, 2]
    assert {r.facility.name: r.met_on for r in p.meeting} == {
        "Facility F": D(2022, 10, 1), "Facility G": D(2023, 3, 31)}


def test_the_burn_up_has_no_points_after_today(cast, nqas, v):
    assess(cast.f, v, D(2023, 1, 10), overall=80, passed=True)
    p = progress(cast, target(cast, nqas), today=D(2023, 1, 20))
    assert p.burnup == [0, 1, None, None]


def test_a_deadline_mid_month_ends_the_last_month_there(cast, nqas):
    p = progress(cast, target(cast, nqas, start=D(2023, 1, 15), deadline=D(2023, 3, 10)))
    assert p.months == [D(2023, 1, 31), D(2023, 2, 28), D(2023, 3, 10)]


def test_a_district_officer_sees_the_state_target_with_the_district_facilities_only(
        cast, nqas, v):
    t = target(cast, nqas)
    assess(cast.h, v, D(2023, 1, 10), overall=90, passed=True)
    p = progress(cast, t, user=cast.district_officer)
    assert p.meeting == [] and {r.facility for r in p.far} == {cast.f, cast.g}


def test_a_target_out_of_scope_is_not_found(cast, nqas):
    t = target(cast, nqas, state=None, district=cast.y)
    assert mission_target_list(user=cast.district_officer) == []
    assert mission_target_list(user=cast.state_admin) == [t]
    for person in ("district_officer", "facility_team", "outsider"):
        with pytest.raises(Http404):
            progress(cast, t.pk, user=getattr(cast, person))


def test_target_progress_takes_five_queries_however_many_facilities(
        cast, nqas, v, django_assert_num_queries):
    t = target(cast, nqas)
    assess(cast.f, v, D(2023, 1, 10), overall=60, passed=False, failing=[NEAR])
    # memberships, target, facilities, scores, verdicts of those not meeting
    with django_assert_num_queries(5):
        progress(cast, t)
    for n in range(4):
        facility = FacilityFactory(district=cast.y, name=f"More {n}")
        assess(facility, v, D(2023, 1, 10), overall=60 + n, passed=n % 2 == 0,
               failing=[] if n % 2 == 0 else [FAR])
        assess(facility, v, D(2023, 2, 10), overall=70 + n, passed=n % 2 == 1,
               failing=[] if n % 2 == 1 else [NEAR])
    forget(cast.state_admin)
    with django_assert_num_queries(5):
        p = progress(cast, t)
    assert p.total == 7
