"""Who gets what on every People page, for the whole cast. Out of scope is 404."""

from django.urls import reverse

from tests.accounts.matrix import assert_statuses, expect
from tests.factories import MembershipFactory, UserFactory

# The People pages belong to those who manage people: the state and district quality units.
MANAGERS_OF_X = dict(superuser=200, state_admin=200, district_officer=200)


def test_the_people_list(client, world):
    assert_statuses(client, world, reverse("people-list"),
                    expect(404, anonymous=302, **MANAGERS_OF_X))


def test_adding_a_person(client, world):
    assert_statuses(client, world, reverse("person-create"),
                    expect(404, anonymous=302, **MANAGERS_OF_X))


def test_the_facility_list_of_the_scope_picker(client, world):
    assert_statuses(client, world, reverse("people-scope-facilities") + f"?district={world.x.pk}",
                    expect(404, anonymous=302, **MANAGERS_OF_X))


def test_a_person_of_facility_f(client, world):
    pk = world.facility_team.pk
    for name in ("person-detail", "person-edit", "person-password-reset", "membership-add"):
        assert_statuses(client, world, reverse(name, args=[pk]),
                        expect(404, anonymous=302, **MANAGERS_OF_X))


def test_a_person_of_district_y(client, world):
    pk = MembershipFactory(user=UserFactory(username="officer_y"), role="district_quality_unit",
                           district=world.y).user.pk
    for name in ("person-detail", "person-edit", "person-password-reset", "membership-add"):
        assert_statuses(client, world, reverse(name, args=[pk]),
                        expect(404, anonymous=302, superuser=200, state_admin=200))


def test_the_state_admin_as_a_person(client, world):
    pk = world.state_admin.pk
    # Seen by the superuser only; the state admin sees their own page but does not
    # administer themselves.
    assert_statuses(client, world, reverse("person-detail", args=[pk]),
                    expect(404, anonymous=302, superuser=200, state_admin=200))
    for name in ("person-edit", "person-password-reset", "membership-add"):
        assert_statuses(client, world, reverse(name, args=[pk]),
                        expect(404, anonymous=302, superuser=200))


def test_an_assessor_over_the_state(client, world):
    # Their membership is state-wide: the district's admin does not manage them.
    pk = world.assessor.pk
    for name in ("person-detail", "person-edit", "person-password-reset"):
        assert_statuses(client, world, reverse(name, args=[pk]),
                        expect(404, anonymous=302, superuser=200, state_admin=200))


def test_posting_a_reset_or_a_removal(client, world):
    person = world.facility_team
    MembershipFactory(user=person, role="viewer", district=world.x)
    data = {"new_password1": "temp-pass-2024", "new_password2": "temp-pass-2024"}
    assert_statuses(client, world, reverse("person-password-reset", args=[person.pk]),
                    expect(404, anonymous=302, superuser=302, state_admin=302,
                           district_officer=302), method="post", data=data)
    viewer_role = person.memberships.get(role="viewer")
    assert_statuses(client, world, reverse("membership-remove", args=[person.pk, viewer_role.pk]),
                    expect(404, anonymous=302, superuser=302, state_admin=302,
                           district_officer=302), method="post")
    # Each person's request was rolled back: nothing changed.
    person.refresh_from_db()
    assert not person.must_change_password and person.memberships.count() == 2


def test_your_own_password_page_is_open_to_everyone_logged_in(client, world):
    assert_statuses(client, world, reverse("password-change"), expect(200, anonymous=302))
