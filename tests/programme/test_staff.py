"""The staff directory: people of the programme, apart from log-in accounts."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from srishti.core.errors import DomainError
from srishti.programme.models import StaffMember
from srishti.programme.services import staff_member_create, staff_member_update
from tests.factories import UserFactory


def test_a_person_is_placed_with_the_state_and_district_of_their_facility(cast):
    staff, created = staff_member_create(name="  Meera   Devi ", role="nursing_in_charge",
                                         place=cast.f)
    assert created
    assert (staff.name, staff.state, staff.district, staff.facility) == (
        "Meera Devi", cast.x.state, cast.x, cast.f)
    district_staff, _ = staff_member_create(name="Ravi", role="civil_surgeon", place=cast.y)
    assert (district_staff.district, district_staff.facility) == (cast.y, None)


def test_creating_twice_with_the_same_client_id_records_one_person(cast):
    key = uuid.uuid4()
    first, created = staff_member_create(name="Meera", role="hospital_manager", place=cast.f,
                                         client_id=key)
    second, again = staff_member_create(name="Meera", role="hospital_manager", place=cast.f,
                                        client_id=key)
    assert (created, again) == (True, False) and first == second
    assert StaffMember.objects.count() == 1


def test_an_account_is_linked_to_one_person_only(cast):
    account = UserFactory(username="meera")
    first, _ = staff_member_create(name="Meera", role="hospital_manager", place=cast.f,
                                   account=account)
    with pytest.raises(DomainError, match="already linked"):
        staff_member_create(name="Other", role="hospital_manager", place=cast.f,
                            account=account)
    other, _ = staff_member_create(name="Other", role="hospital_manager", place=cast.f)
    with pytest.raises(DomainError, match="already linked"):
        staff_member_update(staff=other, name="Other", role="hospital_manager", place=cast.f,
                            account=account)
    assert account.staff_member == first


def test_the_district_officer_records_a_person_of_a_facility_of_the_district(client, cast):
    client.force_login(cast.district_officer)
    page = client.get(reverse("staff-create"))
    client_id = page.context["form"]["client_id"].value()
    data = {"name": "Sushila Kumari", "name_hi": "सुशीला कुमारी", "role": "labour_room_in_charge",
            "district": cast.x.pk, "facility": cast.f.pk, "phone": "9876543210",
            "client_id": client_id}
    response = client.post(reverse("staff-create"), data)
    staff = StaffMember.objects.get()
    assert response.status_code == 302 and response.url == reverse("staff-detail",
                                                                   args=[staff.pk])
    assert (staff.facility, staff.name_hi) == (cast.f, "सुशीला कुमारी")
    # A second post of the same form (double click) records nobody new.
    client.post(reverse("staff-create"), data)
    assert StaffMember.objects.count() == 1


def test_a_person_cannot_be_recorded_outside_the_officers_district(client, cast):
    client.force_login(cast.district_officer)
    response = client.post(reverse("staff-create"), {
        "name": "Elsewhere", "role": "civil_surgeon", "district": cast.y.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert not StaffMember.objects.exists()


def test_a_name_with_a_control_character_is_refused_with_one_line(client, cast):
    client.force_login(cast.district_officer)
    response = client.post(reverse("staff-create"), {
        "name": "Meera\x0bDevi", "role": "civil_surgeon", "district": cast.x.pk})
    assert "control character" in str(response.context["form"].errors["name"])
    assert not StaffMember.objects.exists()


def test_the_directory_is_separate_from_log_in_accounts(client, cast, programme):
    client.force_login(cast.state_admin)
    html = client.get(reverse("staff-list")).content.decode()
    assert "Dr. Asha Rani" in html and "Log-in accounts are managed under People" in html
    # The log-in People page does not list directory people, and vice versa.
    people = client.get(reverse("people-list")).content.decode()
    assert "Dr. Asha Rani" not in people
    assert "district_officer" not in html


def test_the_directory_shows_when_each_person_last_trained(client, cast, programme):
    client.force_login(cast.state_admin)
    response = client.get(reverse("staff-list"))
    last = {s.name: s.last_trained for s in response.context["page"]}
    assert last["Dr. Asha Rani"] == programme.district_training.end_date
    assert last["Dr. Shanti Devi"] is None


def test_the_directory_list_runs_a_fixed_number_of_queries(client, cast, programme,
                                                           django_assert_max_num_queries):
    for i in range(20):
        staff_member_create(name=f"Person {i}", role="nursing_in_charge", place=cast.g)
    client.force_login(cast.state_admin)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("staff-list")).status_code == 200


def test_a_huge_or_odd_district_filter_finds_nothing_instead_of_failing(client, cast,
                                                                         programme):
    client.force_login(cast.state_admin)
    for value in ("99999999999999999999", "-1", "abc", "1e3"):
        response = client.get(reverse("staff-list"), {"district": value})
        assert response.status_code == 200, value
        assert response.context["selected"]["district"] is None
