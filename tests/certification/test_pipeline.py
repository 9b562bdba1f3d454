import datetime as dt

import pytest
from django.http import Http404

from srishti.accounts.access import forget
from srishti.certification.rules import add_months
from srishti.certification.selectors import facility_pipeline
from srishti.certification.services import certification_record_create
from srishti.checklists.services import tool_get

from .conftest import TODAY, assess

D = dt.date


def record(facility, tool, stage, result, decided_on, **kw):
    return certification_record_create(facility=facility, tool=tool, stage=stage,
                                       result=result, decided_on=decided_on, **kw)


def pipeline(cast, today=TODAY):
    [p] = facility_pipeline(user=cast.state_admin, facility=cast.f, today=today).pipelines
    return p


# (stage, result, months before TODAY) steps, then the status, next step and its due date.
CASES = [
    ([], "none", "baseline", None),
    ([("baseline", "failed", 20)], "in_progress", "internal", None),
    ([("baseline", "failed", 20), ("internal", "failed", 15)], "in_progress", "internal_again",
     None),
    ([("internal", "passed", 15)], "in_progress", "district", None),
    ([("internal", "", 15)], "in_progress", "district", None),
    ([("district", "failed", 10)], "in_progress", "district_again", None),
    ([("district", "passed", 10)], "in_progress", "state", None),
    ([("state_certified", "failed", 8)], "in_progress", "state_again", None),
    ([("state_certified", "passed", 8)], "certified", "apply_national",
     add_months(add_months(TODAY, -8), 12)),
    ([("state_certified", "passed", 8), ("national_certified", "failed", 2)], "certified",
     "apply_national", add_months(add_months(TODAY, -8), 12)),
    ([("national_certified", "full", 8)], "certified", "surveillance",
     add_months(add_months(TODAY, -8), 12)),
    ([("national_certified", "full", 30), ("surveillance", "passed", 6)], "certified",
     "recertify", add_months(add_months(TODAY, -30), 36)),
    ([("national_certified", "conditional", 3)], "certified", "full_national",
     add_months(add_months(TODAY, -3), 12)),
    ([("state_certified", "passed", 14)], "expired", "renew",
     add_months(add_months(TODAY, -14), 12)),
    ([("national_certified", "full", 5), ("expired", "", 1)], "expired", "renew",
     add_months(add_months(TODAY, -5), 36)),
]


@pytest.mark.parametrize(("steps", "status", "code", "due"), CASES)
def test_where_a_facility_stands_and_what_comes_next(cast, nqas, demo_version, steps, status,
                                                     code, due):
    for stage, result, months in steps:
        record(cast.f, nqas, stage, result, add_months(TODAY, -months))
    if not steps:  # a tool the facility is assessed with gets a pipeline before any record
        assess(cast.f, demo_version, D(2024, 1, 1))
    p = pipeline(cast)
    assert (p.status, p.next_step.code, p.next_step.due) == (status, code, due)


def test_an_applied_state_certification_waits_for_the_national_assessment(cast, nqas):
    decided = add_months(TODAY, -4)
    record(cast.f, nqas, "state_certified", "passed", decided,
           national_applied_on=decided + dt.timedelta(days=20))
    assert pipeline(cast).next_step.code == "national_assessment"


def test_overdue_surveillance_is_flagged(cast, nqas):
    record(cast.f, nqas, "national_certified", "full", add_months(TODAY, -13))
    step = pipeline(cast).next_step
    assert (step.code, step.overdue) == ("surveillance", True)


def test_the_timeline_shows_each_stage_with_its_latest_record_and_the_current_one(cast, nqas):
    first = record(cast.f, nqas, "internal", "failed", D(2022, 5, 1))
    again = record(cast.f, nqas, "internal", "passed", D(2022, 9, 1))
    state = record(cast.f, nqas, "state_certified", "passed", add_months(TODAY, -2))
    p = pipeline(cast)
    assert p.records == [first, again, state]
    steps = {s.stage: s for s in p.timeline}
    assert [s.stage for s in p.timeline] == ["baseline", "internal", "district",
                                             "state_certified", "national_certified",
                                             "surveillance"]
    assert steps["internal"].record == again and steps["internal"].state == "done"
    assert steps["district"].state == "todo"
    assert [s.stage for s in p.timeline if s.current] == ["state_certified"]
    assert p.current == state and p.valid_until == add_months(state.decided_on, 12)


def test_each_tool_has_its_own_pipeline(cast, nqas):
    kayakalp = tool_get(code="KAYAKALP")
    record(cast.f, nqas, "internal", "passed", D(2024, 1, 1))
    record(cast.f, kayakalp, "baseline", "failed", D(2024, 2, 1))
    page = facility_pipeline(user=cast.state_admin, facility=cast.f.pk, today=TODAY)
    assert [(p.tool.code, len(p.records)) for p in page.pipelines] == [("KAYAKALP", 1),
                                                                         ("NQAS", 1)]


@pytest.mark.parametrize(("person", "manage"), [("state_admin", True),
                                                ("district_officer", True),
                                                ("facility_team", False)])
def test_quality_units_manage_records_and_the_facility_team_reads_them(cast, person, manage):
    page = facility_pipeline(user=getattr(cast, person), facility=cast.f, today=TODAY)
    assert page.can_manage is manage


@pytest.mark.parametrize("person", ["district_officer", "facility_team", "outsider"])
def test_a_facility_out_of_scope_is_not_found(cast, person):
    with pytest.raises(Http404):
        facility_pipeline(user=getattr(cast, person), facility=cast.h, today=TODAY)


def test_the_pipeline_takes_five_queries_however_many_records(cast, nqas, demo_version,
                                                             django_assert_num_queries):
    record(cast.f, nqas, "internal", "passed", D(2024, 1, 1))
    # memberships, facility, records, tools assessed, unrecorded submitted assessments
    with django_assert_num_queries(5):
        facility_pipeline(user=cast.state_admin, facility=cast.f, today=TODAY)
    for months in (20, 14, 8, 2):
        record(cast.f, nqas, "state_certified", "passed", add_months(TODAY, -months))
    record(cast.f, tool_get(code="KAYAKALP"), "baseline", "passed", D(2024, 1, 1))
    assess(cast.f, demo_version, D(2024, 3, 1))
    forget(cast.state_admin)
    with django_assert_num_queries(5):
        page = facility_pipeline(user=cast.state_admin, facility=cast.f, today=TODAY)
    assert sum(len(p.records) for p in page.pipelines) == 6
