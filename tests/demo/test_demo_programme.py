"""The demo's programme: the December 2022 workshop with its invented people, the
assessor register, and Mission 60 days with its weekly snapshots."""

from __future__ import annotations

import datetime as dt

import pytest

from srishti.campaigns.models import Campaign, CampaignSnapshot, SnapshotRow
from srishti.demo.load import demo_load
from srishti.programme.models import Assessor, Attendance, StaffMember, Training


@pytest.mark.django_db
def test_the_demo_seeds_the_workshop_the_register_and_the_campaign():
    demo_load()
    counts = (StaffMember.objects.count(), Attendance.objects.count(),
              Assessor.objects.count(), CampaignSnapshot.objects.count())

    workshop = Training.objects.get(title="State workshop on NQAS for district hospitals")
    assert (workshop.start_date, workshop.kind) == (dt.date(2022, 12, 12), "workshop")
    roles = set(workshop.attendance.values_list("staff__role", flat=True))
    assert {"civil_surgeon", "district_programme_manager", "hospital_superintendent",
            "hospital_manager", "labour_room_in_charge", "emergency_medical_officer"} <= roles
    attended = workshop.attendance.filter(status="attended")
    assert 0 < workshop.attendance.filter(status="absent").count() < attended.count()
    assert all(a.post_test_score is not None for a in attended)
    assert StaffMember.objects.filter(account__username="assessor",
                                      assessor__level="state").exists()

    mission = Campaign.objects.get(name="Mission 60 days")
    assert (mission.start, mission.end, mission.weeks) == (dt.date(2022, 12, 19),
                                                           dt.date(2023, 2, 16), 9)
    assert mission.enrollments.count() == 10
    ready = dict(SnapshotRow.objects.filter(
        snapshot__campaign=mission, facility__name="District Hospital Begusarai")
        .values_list("snapshot__week", "ready"))
    # Begusarai's submitted internal assessment of October 2022 already passed its rule
    # set, and its state assessment of 20 January 2023 too: ready every week.
    assert [w for w, r in sorted(ready.items()) if r] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    patna = dict(SnapshotRow.objects.filter(
        snapshot__campaign=mission, facility__name="District Hospital Patna")
        .values_list("snapshot__week", "ready"))
    # Patna's internal assessment of February 2023 is still being scored: never ready.
    assert patna and not any(patna.values())

    demo_load()  # a second run adds nothing
    assert counts == (StaffMember.objects.count(), Attendance.objects.count(),
                      Assessor.objects.count(), CampaignSnapshot.objects.count())
