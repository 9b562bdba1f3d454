"""Unit-level access matrix: what accounts.access answers for each person of the cast."""

import pytest

from srishti.accounts import access
from tests.accounts.matrix import CAST

PEOPLE = [p for p in CAST if p != "anonymous"]

FACILITIES = {
    "superuser": {"f", "g", "h"},
    "state_admin": {"f", "g", "h"},
    "district_officer": {"f", "g"},
    "facility_team": {"f"},
    # An assessor's membership does not open facilities: only assigned assessments.
    "assessor": set(),
    "viewer": {"f", "g"},
    "outsider": set(),
}
ASSESSMENTS = {**FACILITIES, "assessor": {"f"}}
# Who may change answers (in at least one department) of each assessment.
EDITORS = {
    "superuser": {"f", "g", "h"},
    "state_admin": {"f", "g", "h"},
    "district_officer": {"f", "g"},
    "facility_team": {"f"},
    "assessor": {"f"},
    "viewer": set(),
    "outsider": set(),
}
CREATORS = {**EDITORS, "assessor": set()}
REOPENERS = {"superuser", "state_admin"}


def user_of(world, person):
    user = getattr(world, person)
    access.forget(user)
    return user


@pytest.mark.parametrize("person", PEOPLE)
def test_visible_facilities_and_assessments_follow_the_scope(world, person):
    user = user_of(world, person)
    names = {getattr(world, n).pk: n for n in "fgh"}
    seen = {names[pk] for pk in access.visible_facilities(user).values_list("pk", flat=True)}
    assert seen == FACILITIES[person]
    by_assessment = {getattr(world, f"a_{n}").pk: n for n in "fgh"}
    seen = {by_assessment[pk]
            for pk in access.visible_assessments(user).values_list("pk", flat=True)}
    assert seen == ASSESSMENTS[person]


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_edit_which_assessment_and_which_departments(world, person):
    user = user_of(world, person)
    all_departments = set(world.a_f.version.departments.values_list("id", flat=True))
    for n in "fgh":
        assessment = getattr(world, f"a_{n}")
        may = n in EDITORS[person]
        assert access.can_edit_assessment(user, assessment) is may, n
        departments = access.editable_departments(user, assessment)
        if person == "assessor" and may:
            assert departments == {world.assigned.pk}
            assert access.can_edit_department(user, assessment, world.assigned.pk)
            assert not access.can_edit_department(user, assessment, world.unassigned.pk)
        else:
            assert departments == (all_departments if may else set()), n


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_create_submit_and_reopen(world, person):
    user = user_of(world, person)
    for n in "fgh":
        facility, assessment = getattr(world, n), getattr(world, f"a_{n}")
        assert access.can_create_assessment(user, facility) is (n in CREATORS[person]), n
        assert access.can_submit(user, assessment) is (n in CREATORS[person]), n
        assert access.can_reopen(user, assessment) is (person in REOPENERS), n


MANAGES = {
    "superuser": {"state", "x", "y", "f", "g", "h"},
    "state_admin": {"state", "x", "y", "f", "g", "h"},
    "district_officer": {"x", "f", "g"},
    "facility_team": set(),
    "assessor": set(),
    "viewer": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("person", PEOPLE)
def test_who_manages_the_people_of_which_scope(world, person):
    user = user_of(world, person)
    scopes = {"state": world.x.state, "x": world.x, "y": world.y, "f": world.f, "g": world.g,
              "h": world.h}
    managed = {name for name, scope in scopes.items() if access.can_manage_people(user, scope)}
    assert managed == MANAGES[person]
    assert access.manages_anyone(user) is bool(MANAGES[person])
    pickers = access.manageable_scopes(user)
    by_pk = {(type(s).__name__, s.pk): name for name, s in scopes.items()}
    offered = {by_pk[(type(s).__name__, s.pk)]
               for qs in (pickers.states, pickers.districts, pickers.facilities) for s in qs}
    assert offered == MANAGES[person]


VISIBLE_PEOPLE = {
    "superuser": set(CAST) - {"anonymous"},
    "state_admin": {"state_admin", "district_officer", "facility_team", "assessor", "viewer"},
    "district_officer": {"district_officer", "facility_team", "viewer"},
    "facility_team": set(),
    "assessor": set(),
    "viewer": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("person", PEOPLE)
def test_visible_people_are_those_holding_a_role_in_my_scopes(world, person):
    user = user_of(world, person)
    seen = set(access.visible_people(user).values_list("username", flat=True))
    assert seen == VISIBLE_PEOPLE[person]


def test_an_assessor_loses_the_assignment_with_the_role(world):
    world.assessor.memberships.all().delete()
    user = user_of(world, "assessor")
    assert not access.visible_assessments(user).exists()
    assert not access.can_edit_assessment(user, world.a_f)


def test_a_deactivated_person_sees_and_may_nothing(world):
    world.state_admin.is_active = False
    user = user_of(world, "state_admin")
    assert not access.visible_facilities(user).exists()
    assert not access.can_edit_assessment(user, world.a_f)
    assert not access.manages_anyone(user)


def test_memberships_are_read_once_however_many_questions(world, django_assert_num_queries):
    from srishti.accounts.models import User

    user = User.objects.get(pk=world.district_officer.pk)
    a_f = type(world.a_f).objects.select_related("facility__district").get(pk=world.a_f.pk)
    with django_assert_num_queries(1):
        for _ in range(20):
            access.can_edit_assessment(user, a_f)
            access.can_reopen(user, a_f)
            access.can_create_assessment(user, a_f.facility)
            access.facility_scope_q(user)
            access.manages_anyone(user)
