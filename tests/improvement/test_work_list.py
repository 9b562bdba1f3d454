"""The work list: every action item of a person's scope, filterable and exported to
Excel with the same filters; outside the scope nothing shows."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from srishti.improvement.models import ActionItem
from srishti.improvement.selectors import today_ist
from srishti.improvement.services import action_items_bulk_create
from tests.conftest import fetch_file
from tests.factories import MembershipFactory, UserFactory

VISIBLE = {
    "state_admin": {"f", "g", "h"},
    "district_officer": {"f", "g"},
    "facility_team": {"f"},
    "outsider": set(),
}


@pytest.fixture
def planned(world):
    """Three items per facility: one overdue, one due next month, one done."""
    today = today_ist()
    world.owner = UserFactory(username="owner", first_name="Asha")
    for facility in (world.f, world.g, world.h):
        action_items_bulk_create(assessment=facility.assessment, user=None, area="A")
        items = list(ActionItem.objects.filter(assessment=facility.assessment)[:3])
        ActionItem.objects.filter(assessment=facility.assessment).exclude(
            pk__in=[i.pk for i in items]).delete()
        late, later, done = items
        ActionItem.objects.filter(pk=late.pk).update(due_date=today - dt.timedelta(days=5),
                                                     responsible_user=world.owner)
        ActionItem.objects.filter(pk=later.pk).update(due_date=today + dt.timedelta(days=30))
        ActionItem.objects.filter(pk=done.pk).update(status="done")
        facility.late, facility.later, facility.done = late, later, done
    return world


def listed(client, **query) -> list[int]:
    return [i.pk for i in client.get(reverse("work-list"), query).context["page"]]


@pytest.mark.parametrize("person", VISIBLE)
def test_the_work_list_shows_the_open_items_of_the_scope_only(client, planned, person):
    client.force_login(getattr(planned, person))
    expected = {i.pk for f in VISIBLE[person] for i in (getattr(planned, f).late,
                                                        getattr(planned, f).later)}
    assert set(listed(client)) == expected
    # Filters cannot reach outside the scope.
    assert set(listed(client, district=planned.y.pk)) <= expected
    assert set(listed(client, facility=planned.h.pk, status="all")) <= {
        planned.h.late.pk, planned.h.later.pk, planned.h.done.pk} & (
        expected | ({planned.h.done.pk} if "h" in VISIBLE[person] else set()))


def test_overdue_items_come_first_and_filter_alone(client, planned):
    client.force_login(planned.district_officer)
    order = listed(client)
    assert set(order[:2]) == {planned.f.late.pk, planned.g.late.pk}
    assert set(listed(client, overdue=1)) == {planned.f.late.pk, planned.g.late.pk}


def test_the_work_list_filters_by_district_facility_owner_and_status(client, planned):
    client.force_login(planned.state_admin)
    assert set(listed(client, district=planned.y.pk)) == {planned.h.late.pk,
                                                          planned.h.later.pk}
    assert set(listed(client, facility=planned.g.pk)) == {planned.g.late.pk,
                                                          planned.g.later.pk}
    assert set(listed(client, owner=planned.owner.pk)) == {
        planned.f.late.pk, planned.g.late.pk, planned.h.late.pk}
    assert set(listed(client, status="done")) == {
        planned.f.done.pk, planned.g.done.pk, planned.h.done.pk}
    assert len(listed(client, status="all")) == 9
    assert len(listed(client, status="nonsense", district="x")) == 6


def test_the_work_list_is_exported_to_excel_with_its_filters(client, planned):
    client.force_login(planned.district_officer)
    download = fetch_file(client, reverse("work-list"), {"overdue": "1", "format": "xlsx"})
    sheet = load_workbook(BytesIO(download.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {"Facility F", "Facility G"}
    assert all(r[10] == 5 for r in rows)  # days overdue
    assert isinstance(rows[0][8], dt.datetime)  # a real date, not text


def test_an_outsider_exports_an_empty_work_list(client, planned):
    client.force_login(planned.outsider)
    download = fetch_file(client, reverse("work-list"), {"status": "all", "format": "xlsx"})
    sheet = load_workbook(BytesIO(download.content)).active
    assert sheet.max_row == 1  # the header only


def test_an_assessor_sees_the_items_of_the_assigned_assessments(client, planned):
    from srishti.assessments.models import Assignment

    assessor = MembershipFactory(user=UserFactory(username="a1"), role="assessor",
                                 state=planned.x.state).user
    Assignment.objects.create(assessment=planned.g.assessment, assessor=assessor,
                              department=planned.version.departments.first())
    client.force_login(assessor)
    assert set(listed(client)) == {planned.g.late.pk, planned.g.later.pk}


@pytest.mark.parametrize("extra", [0, 2])
def test_the_work_list_query_count_is_fixed(client, planned, extra,
                                            django_assert_num_queries):
    for facility in (planned.f, planned.g)[:extra]:
        ActionItem.objects.filter(pk=facility.done.pk).update(status="open")
    client.force_login(planned.state_admin)
    # Session, user, memberships, count, page; districts, facilities, owners.
    with django_assert_num_queries(8):
        assert client.get(reverse("work-list")).status_code == 200


def test_the_overdue_card_of_a_dashboard_links_to_the_work_list(client, planned):
    client.force_login(planned.district_officer)
    html = client.get(reverse("dashboard-district", args=[planned.x.pk])).content.decode()
    link = f'{reverse("work-list")}?overdue=1&amp;district={planned.x.pk}'
    assert f'id="overdue-link" href="{link}"' in html


@pytest.mark.parametrize("person", VISIBLE)
def test_the_work_list_menus_name_only_places_and_people_in_the_scope(client, planned, person):
    client.force_login(getattr(planned, person))
    choices = client.get(reverse("work-list")).context["choices"]
    names = {getattr(planned, f).name for f in VISIBLE[person]}
    assert {name for _pk, name in choices.facilities} == names
    assert {name for _pk, name in choices.districts} == {
        getattr(planned, f).district.name for f in VISIBLE[person]}
    assert [name for _pk, name in choices.owners] == (["Asha"] if names else [])
