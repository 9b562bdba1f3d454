"""Unit-level access matrix: what accounts.access answers for each person of the cast."""

import pytest

from srishti.accounts import access
from tests.accounts.matrix import CAST

PEOPLE = [p for p in CAST if p != "anonymous"]

FACILITIES = {
    "superuser": {"f", "g", "h"},
    "state_admin": {"f", "g", "h"},
    "division_officer": {"f", "g"},
    "district_officer": {"f", "g"},
    "block_team": {"f"},
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
    "division_officer": {"f", "g"},
    "district_officer": {"f", "g"},
    "block_team": {"f"},
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


EVERY_SCOPE = {"state", "xd", "yd", "x", "y", "xb", "gb", "f", "g", "h"}
MANAGES = {
    "superuser": EVERY_SCOPE,
    "state_admin": EVERY_SCOPE,
    # A division's quality unit manages its division and everything in it.
    "division_officer": {"xd", "x", "xb", "gb", "f", "g"},
    "district_officer": {"x", "xb", "gb", "f", "g"},
    # A block team works on its facilities but gives nobody a role.
    "block_team": set(),
    "facility_team": set(),
    "assessor": set(),
    "viewer": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("person", PEOPLE)
def test_who_manages_the_people_of_which_scope(world, person):
    user = user_of(world, person)
    scopes = {"state": world.x.state, "xd": world.xd, "yd": world.yd, "x": world.x,
              "y": world.y, "xb": world.xb, "gb": world.gb, "f": world.f, "g": world.g,
              "h": world.h}
    managed = {name for name, scope in scopes.items() if access.can_manage_people(user, scope)}
    assert managed == MANAGES[person]
    assert access.manages_anyone(user) is bool(MANAGES[person])
    pickers = access.manageable_scopes(user)
    by_pk = {(type(s).__name__, s.pk): name for name, s in scopes.items()}
    offered = {by_pk[(type(s).__name__, s.pk)]
               for qs in (pickers.states, pickers.divisions, pickers.districts, pickers.blocks,
                          pickers.facilities) for s in qs}
    assert offered == MANAGES[person]


VISIBLE_PEOPLE = {
    "superuser": set(CAST) - {"anonymous"},
    "state_admin": {"state_admin", "division_officer", "district_officer", "block_team",
                    "facility_team", "assessor", "viewer"},
    "division_officer": {"division_officer", "district_officer", "block_team", "facility_team",
                         "viewer"},
    "district_officer": {"district_officer", "block_team", "facility_team", "viewer"},
    "block_team": set(),
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


@pytest.mark.parametrize("person", ["district_officer", "division_officer", "block_team"])
def test_memberships_are_read_once_however_many_questions(world, person,
                                                          django_assert_num_queries):
    from srishti.accounts.models import User

    user = User.objects.get(pk=getattr(world, person).pk)
    a_f = type(world.a_f).objects.select_related("facility__district").get(pk=world.a_f.pk)
    with django_assert_num_queries(1):
        for _ in range(20):
            access.can_edit_assessment(user, a_f)
            access.can_reopen(user, a_f)
            access.can_create_assessment(user, a_f.facility)
            access.facility_scope_q(user)
            access.manages_anyone(user)


def test_a_division_or_block_scope_without_its_places_sees_nothing(world):
    """A district taken out of the division, a facility out of the block: out of scope."""
    world.x.division = None
    world.x.save()
    world.f.block = None
    world.f.save()
    for person in ("division_officer", "block_team"):
        user = user_of(world, person)
        assert not access.visible_facilities(user).exists()
        facility = type(world.f).objects.select_related("district").get(pk=world.f.pk)
        assert not access.can_view_facility(user, facility)
