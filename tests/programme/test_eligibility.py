"""Who is offered when departments of an assessment are assigned: the register, the
rules (data, versioned) and the reasons given for everyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from srishti.assessments.models import Assignment
from srishti.assessments.services import assessment_create, assignment_set
from srishti.core.errors import DomainError
from srishti.programme.eligibility import AssessorFacts, Target, reasons
from srishti.programme.models import EligibilityRule, EligibilityRuleSet
from srishti.programme.services import programme_rules_seed
from tests.factories import MembershipFactory, UserFactory, register_assessor


@pytest.fixture
def assessors(cast):
    """Around facility F (district X): Asha, a district assessor of X; Ravi, an internal
    assessor of F; Sita, a state assessor from district Y; Old, a state assessor whose
    certificate ran out; Noor, a national assessor without a log-in."""
    programme_rules_seed()
    people = {}
    for username, first, scope in (("asha", "Asha", {"district": cast.x}),
                                   ("ravi", "Ravi", {"facility": cast.f}),
                                   ("sita", "Sita", {"state": cast.x.state}),
                                   ("old", "Old", {"state": cast.x.state})):
        people[username] = MembershipFactory(
            user=UserFactory(username=username, first_name=first), role="assessor",
            **scope).user
    register_assessor(people["asha"], place=cast.x, level="district")
    register_assessor(people["ravi"], place=cast.f, level="internal")
    register_assessor(people["sita"], place=cast.y, level="state",
                      facility_types=("DH", "CHC"))
    register_assessor(people["old"], place=cast.y, level="state",
                      certified_on=dt.date(2019, 1, 1),
                      certificate_valid_until=dt.date(2022, 1, 1))
    register_assessor(None, place=cast.y, level="national")  # "Someone", no account
    return people


def assess(cast, version, kind, start=dt.date(2024, 5, 1)):
    return assessment_create(facility=cast.f, version=version, kind=kind, start_date=start)


def page_of(client, user, assessment):
    client.force_login(user)
    response = client.get(reverse("assessment-assign", args=[assessment.pk]))
    assert response.status_code == 200
    offered = {u.username for u in response.context["choices"].offered}
    refused = {n.name: n.reasons for n in response.context["choices"].not_offered}
    return offered, refused, response.content.decode()


def test_an_internal_assessment_offers_the_trained_assessors_its_own_included(
        client, cast, demo_version, assessors):
    offered, refused, _html = page_of(client, cast.state_admin,
                                      assess(cast, demo_version, "internal"))
    # Its own internal assessor too; no certificate is asked for an internal assessment.
    assert offered == {"asha", "ravi", "sita", "old"}
    assert refused == {"Someone": ["has no log-in account"],
                       **{name: ["not in the assessor register"] for name in (
                           "state_admin", "district_officer", "facility_team")}}


def test_a_state_assessment_turns_away_the_facility_and_its_district_and_says_why(
        client, cast, demo_version, assessors):
    offered, refused, html = page_of(client, cast.state_admin,
                                     assess(cast, demo_version, "state"))
    assert offered == {"sita"}
    assert refused["Asha"] == ["District level; a State assessment needs State level or above",
                               "from the same district (Xdistrict)"]
    assert refused["Ravi"] == ["Internal level; a State assessment needs State level or above",
                               "works at the assessed facility",
                               "from the same district (Xdistrict)"]
    assert refused["Old"] == ["assessor certificate expired on 1 Jan 2022"]
    assert refused["Someone"] == ["has no log-in account"]
    assert refused["district_officer"] == ["not in the assessor register"]
    # The page says which rules applied and where they come from.
    assert "not from the assessed facility&#x27;s district" in html
    assert "source: Srishti default" in html
    assert 'id="not-offered"' in html and "works at the assessed facility" in html


def test_a_national_assessment_needs_a_national_assessor(client, cast, demo_version,
                                                         assessors):
    offered, refused, _html = page_of(client, cast.state_admin,
                                      assess(cast, demo_version, "national"))
    assert offered == set()
    assert refused["Sita"] == ["State level; a National assessment needs National level or "
                               "above"]
    assert refused["Someone"] == ["has no log-in account"]


def test_an_assessor_not_trained_for_the_tool_or_facility_type_is_not_offered(
        cast, demo_version):
    target = Target("district", tool_id=1, tool_name="NQAS", facility_type="DH",
                    facility_id=10, district_id=20, on=dt.date(2024, 1, 1))
    rule = EligibilityRule(assessment_kind="district", minimum_level="district",
                           trained_for_tool=True, trained_for_facility_type=True,
                           not_home_facility=True)
    facts = AssessorFacts(level="district", tool_ids=frozenset({2}),
                          facility_types=frozenset({"CHC"}), certificate_valid_until=None,
                          active=False, home_facility_id=10, home_district_id=20)
    assert reasons(rule, facts, target) == [
        "marked inactive in the assessor register", "not trained for NQAS",
        "not trained for District hospital facilities", "works at the assessed facility"]
    assert reasons(None, facts, target) == []  # no rule in force: nothing asked
    assert reasons(rule, None, target) == ["not in the assessor register"]


def test_posting_an_assessor_the_rules_turn_away_changes_nothing(client, cast, demo_version,
                                                                 assessors):
    assessment = assess(cast, demo_version, "state")
    opd = assessment.version.departments.get(name="OPD")
    client.force_login(cast.state_admin)
    response = client.post(reverse("assessment-assign", args=[assessment.pk]),
                           {f"department_{opd.pk}": [assessors["asha"].pk]})
    assert response.status_code == 200 and response.context["form"].errors
    with pytest.raises(DomainError, match="meet the assessor rules"):
        assignment_set(assessment=assessment, department_id=opd.pk,
                       assessor_ids=[assessors["asha"].pk])
    assert not Assignment.objects.exists()
    assignment_set(assessment=assessment, department_id=opd.pk,
                   assessor_ids=[assessors["sita"].pk])
    assert Assignment.objects.get().assessor == assessors["sita"]


def test_the_rule_set_in_force_on_the_assessments_start_date_applies(
        cast, demo_version, assessors, client):
    # From 2025 a state allows district assessors of other districts in state assessments.
    newer = EligibilityRuleSet.objects.create(code="bihar-2025", name="Bihar 2025",
                                              source="State order 12/2025",
                                              valid_from=dt.date(2025, 1, 1))
    EligibilityRule.objects.create(rule_set=newer, assessment_kind="state",
                                   minimum_level="district", not_home_facility=True,
                                   not_home_district=True)
    old_rules, _refused, _html = page_of(client, cast.state_admin,
                                         assess(cast, demo_version, "state"))
    new_rules, refused, html = page_of(
        client, cast.state_admin, assess(cast, demo_version, "state",
                                         start=dt.date(2025, 3, 1)))
    assert old_rules == {"sita"}
    assert new_rules == {"sita", "old"}  # no certificate rule in the newer set
    assert refused["Asha"] == ["from the same district (Xdistrict)"]
    assert "source: State order 12/2025" in html


def test_without_any_rules_everyone_with_a_scoring_role_is_offered(client, cast, demo_version,
                                                                   assessors):
    EligibilityRuleSet.objects.all().delete()
    offered, refused, html = page_of(client, cast.state_admin,
                                     assess(cast, demo_version, "national"))
    assert offered == {"asha", "ravi", "sita", "old", "state_admin", "district_officer",
                       "facility_team"}
    assert refused == {"Someone": ["has no log-in account"]}
    assert "No assessor rules are in force" in html


def test_the_assignment_page_runs_a_fixed_number_of_queries(client, cast, demo_version,
                                                            assessors,
                                                            django_assert_max_num_queries):
    assessment = assess(cast, demo_version, "state")
    for i in range(10):
        user = MembershipFactory(user=UserFactory(username=f"extra{i}"), role="assessor",
                                 state=cast.x.state).user
        register_assessor(user, place=cast.y, level="state")
    client.force_login(cast.state_admin)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("assessment-assign", args=[assessment.pk])).status_code == 200


def test_the_rules_page_lists_each_kind_with_its_source(client, cast):
    programme_rules_seed()
    client.force_login(cast.facility_team)
    html = client.get(reverse("assessor-rules")).content.decode()
    assert "Srishti default" in html and "In force from 1 Jan 2015" in html
    assert html.count("<tr><td>") == 7  # one row per kind of assessment
