"""Training coverage of the key posts, and the refresher interval as data."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from srishti.programme.coverage import coverage_overview, district_coverage
from srishti.programme.models import KeyRole
from srishti.programme.services import attendance_set, staff_member_create, training_create

TODAY = dt.date(2025, 1, 15)


def statuses(page):
    district = {p.key_role.role: p.status for p in page.district_posts}
    facilities = {(row.facility.name, role.role): cell.status
                  for row in page.rows for role, cell in zip(page.facility_roles, row.cells,
                                                             strict=True) if cell}
    return district, facilities


def test_each_post_is_trained_overdue_never_trained_or_not_recorded(cast, programme):
    # The civil surgeon of X trained in March 2024 (refresher every 24 months: current);
    # F's superintendent too (every 12 months: current until March 2025).
    page = district_coverage(user=cast.district_officer, pk=cast.x.pk, today=TODAY)
    district, facilities = statuses(page)
    assert district == {"civil_surgeon": "current", "district_programme_manager": "missing",
                        "district_quality_consultant": "missing"}
    assert facilities[("Facility F", "hospital_superintendent")] == "current"
    # G's manager was at the state workshop of December 2023: a year on, overdue.
    assert facilities[("Facility G", "hospital_manager")] == "overdue"
    assert facilities[("Facility G", "hospital_superintendent")] == "missing"

    later = district_coverage(user=cast.district_officer, pk=cast.x.pk,
                              today=dt.date(2025, 4, 1))
    _district, facilities = statuses(later)
    assert facilities[("Facility F", "hospital_superintendent")] == "overdue"
    assert [(h.staff.name, h.due) for h, _role in later.due_now] == [
        ("Vinod Lal", dt.date(2024, 12, 13)), ("Dr. Asha Rani", dt.date(2025, 3, 5))]


def test_someone_never_trained_is_listed_first_among_those_due(cast, programme):
    staff_member_create(name="Nita", role="nursing_in_charge", place=cast.f)
    page = district_coverage(user=cast.district_officer, pk=cast.x.pk, today=TODAY)
    assert [(h.staff.name, h.status) for h, _role in page.due_now][0] == ("Nita", "never")


def test_the_refresher_interval_is_data(cast, programme):
    KeyRole.objects.filter(role="hospital_superintendent").update(refresher_months=6)
    page = district_coverage(user=cast.district_officer, pk=cast.x.pk, today=TODAY)
    _district, facilities = statuses(page)
    assert facilities[("Facility F", "hospital_superintendent")] == "overdue"


def test_a_refresher_renews_the_post(cast, programme):
    refresher, _ = training_create(title="Refresher", kind="refresher",
                                   start_date=dt.date(2025, 3, 20),
                                   end_date=dt.date(2025, 3, 20), scope=cast.x)
    attendance_set(training=refresher, staff=programme.sup_f, status="attended")
    page = district_coverage(user=cast.district_officer, pk=cast.x.pk,
                             today=dt.date(2025, 4, 1))
    _district, facilities = statuses(page)
    assert facilities[("Facility F", "hospital_superintendent")] == "current"


def test_the_overview_counts_posts_per_district(cast, programme):
    rows = {s.district.name: s.counts for s in coverage_overview(user=cast.state_admin,
                                                                  today=TODAY)}
    x = rows["Xdistrict"]
    # X: 3 district posts + 4 posts at each of its two DHs.
    assert (x.posts, x.current, x.overdue, x.never, x.missing) == (3 + 2 * 5, 2, 1, 0, 10)
    assert rows["Ydistrict"].current == 1  # its civil surgeon, at the state workshop


def test_a_facility_team_sees_only_its_facility_in_the_district(cast, programme):
    page = district_coverage(user=cast.facility_team, pk=cast.x.pk, today=TODAY)
    assert [row.facility.name for row in page.rows] == ["Facility F"]
    assert [f.name for f in page.unrecorded] == []


def test_the_coverage_pages_run_a_fixed_number_of_queries(client, cast, programme,
                                                           django_assert_max_num_queries):
    for i in range(10):
        staff_member_create(name=f"Nurse {i}", role="nursing_in_charge", place=cast.g)
    client.force_login(cast.state_admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("coverage-overview")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("coverage-district", args=[cast.x.pk])).status_code == 200
