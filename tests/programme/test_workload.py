"""Each assessor's workload by month: assessments (and departments) given to them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from srishti.assessments.models import Assignment
from srishti.assessments.services import assessment_create
from srishti.programme.selectors import assessor_workload
from tests.factories import MembershipFactory, UserFactory, register_assessor


def test_assignments_count_by_the_month_the_assessment_started(cast, demo_version, client):
    asha = MembershipFactory(user=UserFactory(username="asha", first_name="Asha"),
                             role="assessor", district=cast.x).user
    register_assessor(asha, place=cast.x)
    register_assessor(None, place=cast.x, level="state")  # no log-in: no workload
    deps = list(demo_version.departments.order_by("order")[:3])
    for facility, start, departments in ((cast.f, dt.date(2024, 3, 4), deps),
                                         (cast.g, dt.date(2024, 3, 20), deps[:1]),
                                         (cast.f, dt.date(2024, 7, 1), deps[:2]),
                                         (cast.f, dt.date(2023, 7, 1), deps[:2])):
        a = assessment_create(facility=facility, version=demo_version, start_date=start)
        for d in departments:
            Assignment.objects.create(assessment=a, department=d, assessor=asha)

    workload = assessor_workload(user=cast.district_officer, year=2024)
    rows = {r.assessor.staff.name: r for r in workload.rows}
    assert rows["Asha"].months[2] == (2, 4)  # March: two assessments, four departments
    assert rows["Asha"].months[6] == (1, 2)
    assert (rows["Asha"].assessments, rows["Asha"].departments, workload.busiest) == (3, 6, 2)
    assert rows["Someone"].months == []

    client.force_login(cast.district_officer)
    html = client.get(reverse("assessor-workload") + "?year=2024").content.decode()
    assert 'class="num w2">2 <span class="muted">(4)</span>' in html
    assert "no log-in account: cannot be given assessments" in html
