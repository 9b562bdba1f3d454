"""The People pages: adding people and roles, resets, deactivation, within one's scope."""

import pytest
from django.urls import reverse

from srishti.accounts.models import Membership, User
from tests.factories import FacilityFactory, MembershipFactory, UserFactory

TEMPORARY = "temp-pass-2024"


@pytest.fixture
def officer_y(cast):
    return MembershipFactory(user=UserFactory(username="officer_y"), role="district_quality_unit",
                             district=cast.y).user


def test_adding_a_person_gives_the_role_and_a_temporary_password(client, cast):
    client.force_login(cast.district_officer)
    response = client.post(reverse("person-create"), {
        "username": "Ravi.K", "name": "Ravi Kumar", "password1": TEMPORARY,
        "password2": TEMPORARY, "role": "facility_quality_team", "district": cast.x.pk,
        "facility": cast.g.pk})
    ravi = User.objects.get(username="ravi.k")
    assert response.status_code == 302 and response.url == reverse("person-detail",
                                                                      args=[ravi.pk])
    assert ravi.must_change_password and ravi.check_password(TEMPORARY)
    assert [(m.role, m.facility) for m in ravi.memberships.all()] == [
        ("facility_quality_team", cast.g)]


def test_a_role_must_sit_on_its_kind_of_scope(client, cast):
    client.force_login(cast.state_admin)
    response = client.post(reverse("person-create"), {
        "username": "asha", "name": "Asha", "password1": TEMPORARY, "password2": TEMPORARY,
        "role": "district_quality_unit", "state": cast.x.state.pk, "district": cast.x.pk,
        "facility": cast.f.pk})
    assert response.status_code == 200
    assert "needs a district as its scope" in response.content.decode()
    assert not User.objects.filter(username="asha").exists()


def test_the_scope_pickers_offer_only_manageable_scopes(client, cast):
    client.force_login(cast.district_officer)
    form = client.get(reverse("person-create")).context["form"]
    assert form.states == []
    assert list(form.fields["district"].queryset) == [cast.x]
    assert set(form.fields["facility"].queryset) == {cast.f, cast.g}
    assert "state_quality_unit" not in dict(form.fields["role"].choices)
    # The facility list swapped in for another district is empty.
    options = client.get(reverse("people-scope-facilities"), {"district": cast.y.pk})
    assert cast.h.name not in options.content.decode()
    assert cast.f.name in client.get(reverse("people-scope-facilities"),
                                     {"district": cast.x.pk}).content.decode()
    # A forged choice outside the scope is refused and creates nobody.
    response = client.post(reverse("person-create"), {
        "username": "intruder", "name": "I", "password1": TEMPORARY, "password2": TEMPORARY,
        "role": "facility_quality_team", "district": cast.y.pk, "facility": cast.h.pk})
    assert response.status_code == 200 and not User.objects.filter(username="intruder").exists()


def test_the_state_admin_picks_among_the_state_and_all_its_districts(client, cast):
    client.force_login(cast.state_admin)
    form = client.get(reverse("person-create")).context["form"]
    assert form.states == [cast.x.state]
    assert set(form.fields["district"].queryset) == {cast.x, cast.y}


def test_an_admin_reset_forces_a_change_at_the_next_log_in(client, cast):
    client.force_login(cast.district_officer)
    response = client.post(reverse("person-password-reset", args=[cast.facility_team.pk]),
                           {"new_password1": TEMPORARY, "new_password2": TEMPORARY})
    assert response.status_code == 302
    client.logout()
    assert client.post(reverse("login"), {"username": "facility_team",
                                          "password": TEMPORARY}).status_code == 302
    response = client.get(reverse("facility-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("password-change"))
    # The temporary password cannot be kept.
    same = client.post(reverse("password-change"), {"new_password1": TEMPORARY,
                                                    "new_password2": TEMPORARY})
    assert same.status_code == 200 and "different from the current one" in same.content.decode()
    done = client.post(reverse("password-change"), {"new_password1": "my-own-secret-9",
                                                    "new_password2": "my-own-secret-9",
                                                    "next": reverse("facility-list")})
    assert done.status_code == 302 and done.url == reverse("facility-list")
    assert client.get(reverse("facility-list")).status_code == 200
    person = User.objects.get(pk=cast.facility_team.pk)
    assert not person.must_change_password and person.check_password("my-own-secret-9")


def test_an_htmx_request_with_a_temporary_password_is_sent_to_change_it(client, cast):
    User.objects.filter(pk=cast.facility_team.pk).update(must_change_password=True)
    client.force_login(cast.facility_team)
    response = client.get(reverse("facility-list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("password-change")


def test_a_reset_unlocks_a_locked_account(client, cast):
    from django.utils import timezone

    User.objects.filter(pk=cast.facility_team.pk).update(
        locked_until=timezone.now() + timezone.timedelta(minutes=10), failed_logins=0)
    client.force_login(cast.state_admin)
    client.post(reverse("person-password-reset", args=[cast.facility_team.pk]),
                {"new_password1": TEMPORARY, "new_password2": TEMPORARY})
    assert User.objects.get(pk=cast.facility_team.pk).locked_until is None


def test_a_district_admin_cannot_manage_people_of_another_district(client, cast, officer_y):
    client.force_login(cast.district_officer)
    for name in ("person-detail", "person-edit", "person-password-reset", "membership-add"):
        assert client.get(reverse(name, args=[officer_y.pk])).status_code == 404, name
    membership = officer_y.memberships.get()
    response = client.post(reverse("membership-remove", args=[officer_y.pk, membership.pk]))
    assert response.status_code == 404
    response = client.post(reverse("person-password-reset", args=[officer_y.pk]),
                           {"new_password1": TEMPORARY, "new_password2": TEMPORARY})
    assert response.status_code == 404
    assert not User.objects.get(pk=officer_y.pk).must_change_password


def test_a_person_with_roles_outside_my_scope_is_seen_but_not_taken_over(client, cast,
                                                                        officer_y):
    # officer_y administers district Y and is also on facility F's team (in X).
    MembershipFactory(user=officer_y, role="facility_quality_team", facility=cast.f)
    client.force_login(cast.district_officer)
    detail = client.get(reverse("person-detail", args=[officer_y.pk]))
    assert detail.status_code == 200
    assert detail.context["view"].roles_elsewhere == 1
    assert client.get(reverse("person-password-reset", args=[officer_y.pk])).status_code == 404
    assert client.get(reverse("person-edit", args=[officer_y.pk])).status_code == 404
    # The role in X is theirs to take away, the one in Y is not.
    in_x = officer_y.memberships.get(facility=cast.f)
    in_y = officer_y.memberships.get(district=cast.y)
    assert client.post(reverse("membership-remove", args=[officer_y.pk, in_y.pk])).status_code \
        == 404
    assert client.post(reverse("membership-remove", args=[officer_y.pk, in_x.pk])).status_code \
        == 302
    assert list(officer_y.memberships.all()) == [in_y]


def test_giving_and_removing_a_role(client, cast):
    client.force_login(cast.district_officer)
    person = cast.facility_team
    response = client.post(reverse("membership-add", args=[person.pk]),
                           {"role": "viewer", "district": cast.x.pk})
    assert response.status_code == 302
    added = person.memberships.get(role="viewer")
    assert added.district == cast.x
    again = client.post(reverse("membership-add", args=[person.pk]),
                        {"role": "viewer", "district": cast.x.pk})
    assert "already holds this role there" in again.content.decode()
    client.post(reverse("membership-remove", args=[person.pk, added.pk]))
    assert not person.memberships.filter(role="viewer").exists()


def test_the_last_role_cannot_be_removed(client, cast):
    client.force_login(cast.district_officer)
    only = cast.facility_team.memberships.get()
    response = client.post(reverse("membership-remove", args=[cast.facility_team.pk, only.pk]),
                           follow=True)
    assert "Deactivate the person instead" in response.content.decode()
    assert Membership.objects.filter(pk=only.pk).exists()


def test_deactivating_a_person_ends_their_access(client, cast):
    from django.test import Client

    theirs = Client()
    theirs.force_login(cast.facility_team)
    assert theirs.get(reverse("facility-list")).status_code == 200
    client.force_login(cast.district_officer)
    response = client.post(reverse("person-edit", args=[cast.facility_team.pk]),
                           {"name": "Facility Team", "email": ""})  # box unticked
    assert response.status_code == 302
    assert not User.objects.get(pk=cast.facility_team.pk).is_active
    assert theirs.get(reverse("facility-list")).status_code == 302


def test_nobody_deactivates_themselves_here(client, cast):
    client.force_login(cast.district_officer)
    url = reverse("person-edit", args=[cast.district_officer.pk])
    assert client.post(url, {"name": "x", "email": ""}).status_code == 404
    assert User.objects.get(pk=cast.district_officer.pk).is_active


def test_the_people_list_filters_by_role_and_district(client, cast, officer_y):
    client.force_login(cast.state_admin)
    names = lambda **query: [row.person.username for row in  # noqa: E731
                             client.get(reverse("people-list"), query).context["rows"]]
    assert names() == ["block_team", "district_officer", "division_officer", "facility_team",
                       "officer_y", "state_admin"]
    assert names(role="district_quality_unit") == ["district_officer", "officer_y"]
    assert names(district=cast.x.pk) == ["block_team", "district_officer", "facility_team"]
    assert names(district=cast.y.pk, role="facility_quality_team") == []


@pytest.mark.parametrize("extra", [0, 30])
def test_the_people_list_query_count_does_not_grow_with_rows(client, cast, extra,
                                                             django_assert_num_queries):
    for n in range(extra):
        facility = FacilityFactory(district=cast.x if n % 2 else cast.y)
        person = MembershipFactory(user=UserFactory(username=f"p{n}"),
                                   role="facility_quality_team", facility=facility).user
        MembershipFactory(user=person, role="viewer", district=cast.x)
    client.force_login(cast.state_admin)
    # session, user, own memberships, count, page, their memberships, district filter
    with django_assert_num_queries(7):
        response = client.get(reverse("people-list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(5 + extra, 50)


def test_the_people_link_shows_only_to_those_who_manage_people(client, cast):
    for person, shown in [(cast.state_admin, True), (cast.district_officer, True),
                          (cast.facility_team, False), (cast.outsider, False)]:
        client.force_login(person)
        html = client.get(reverse("facility-list")).content.decode()
        assert (f'href="{reverse("people-list")}"' in html) is shown, person.username


def test_a_taken_username_is_refused_whatever_its_case(client, cast):
    client.force_login(cast.state_admin)
    response = client.post(reverse("person-create"), {
        "username": "Facility_Team", "name": "Someone", "password1": TEMPORARY,
        "password2": TEMPORARY, "role": "viewer", "state": cast.x.state.pk})
    assert response.status_code == 200
    assert "is taken" in response.content.decode()
    assert User.objects.filter(username__iexact="facility_team").count() == 1


def test_a_division_officer_gives_a_block_role_within_the_division(client, cast):
    client.force_login(cast.division_officer)
    form = client.get(reverse("person-create")).context["form"]
    assert form.states == []
    assert list(form.fields["division"].queryset) == [cast.xd]
    assert list(form.fields["district"].queryset) == [cast.x]
    blocks = client.get(reverse("people-scope-facilities"), {"district": cast.x.pk})
    assert "Xblock" in blocks.content.decode() and "Gblock" in blocks.content.decode()
    response = client.post(reverse("person-create"), {
        "username": "moic.g", "name": "MOIC G", "password1": TEMPORARY,
        "password2": TEMPORARY, "role": "block_health_team", "district": cast.x.pk,
        "block": cast.gb.pk})
    assert response.status_code == 302
    moic = User.objects.get(username="moic.g")
    assert [(m.role, m.block) for m in moic.memberships.all()] == [
        ("block_health_team", cast.gb)]
    # A block role needs a block; a division role a division.
    response = client.post(reverse("person-create"), {
        "username": "rdd", "name": "RDD", "password1": TEMPORARY, "password2": TEMPORARY,
        "role": "division_quality_unit", "district": cast.x.pk})
    assert "needs a division as its scope" in response.content.decode()


def test_a_district_officer_cannot_give_a_division_role_or_one_in_another_division(
        client, cast):
    client.force_login(cast.district_officer)
    assert not client.get(reverse("person-create")).context["form"].fields["division"].queryset
    response = client.post(reverse("person-create"), {
        "username": "rdd", "name": "RDD", "password1": TEMPORARY, "password2": TEMPORARY,
        "role": "division_quality_unit", "division": cast.xd.pk})
    assert response.status_code == 200 and not User.objects.filter(username="rdd").exists()
