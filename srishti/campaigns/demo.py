"""Demo campaigns for `srishti demo`: "Mission 60 days" of December 2022 to February 2023
for ten district hospitals, with its weekly snapshots as a weekly job would have taken
them, and a Begusarai campaign running now, whose week in progress shows live figures.

Call after the demo assessments and action items. Safe to run again (fixed ids; a
snapshot is taken once per week).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from srishti.checklists.models import Tool
from srishti.geography.models import District, Facility, State

from .models import Campaign, CampaignSnapshot, Enrollment
from .services import campaign_create, campaign_snapshot_take

DEMO_NAMESPACE = uuid.UUID("5b0e2c7a-91d4-4c1e-8f3a-2d6e9b7c4a10")
MISSION_DISTRICTS = ["Begusarai", "Patna", "Gaya", "Nalanda", "Muzaffarpur", "Saran",
                     "Bhagalpur", "Purnia", "Darbhanga", "Rohtas"]


def _taken_after(campaign: Campaign, week: int) -> dt.datetime:
    """The evening after the week's last day, in Indian time: when a weekly job runs."""
    last = campaign.week_dates(week)[1]
    return timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1),
                                                   dt.time(18, 30)))


@transaction.atomic
def demo_campaigns(*, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    state = State.objects.get(name="Bihar")
    nqas = Tool.objects.get(code="NQAS")
    mission, _created = campaign_create(
        name="Mission 60 days", scope=state, tool=nqas, start=dt.date(2022, 12, 19),
        end=dt.date(2023, 2, 16), goal="certification_ready",
        description="Sixty days to strengthen the district hospitals towards NQAS "
                    "certification, after the December workshop.",
        client_id=uuid.uuid5(DEMO_NAMESPACE, "mission-60-days"))
    if not mission.enrollments.exists():
        Enrollment.objects.bulk_create([
            Enrollment(campaign=mission, facility=f) for f in Facility.objects.filter(
                district__state=state, district__name__in=MISSION_DISTRICTS,
                facility_type="DH")])
    taken = 0
    for week in range(1, mission.weeks + 1):
        _snapshot, created = campaign_snapshot_take(campaign=mission, week=week,
                                                    now=_taken_after(mission, week))
        taken += created
    # A district campaign under way: three weeks kept, the fourth live.
    begusarai = District.objects.get(state=state, name="Begusarai")
    running, created = campaign_create(
        name="Begusarai CHCs: 70% in 60 days", scope=begusarai, tool=nqas,
        start=today - dt.timedelta(days=24), end=today + dt.timedelta(days=35),
        goal="score", goal_value=70.0, facility_types=["DH", "CHC"],
        client_id=uuid.uuid5(DEMO_NAMESPACE, "begusarai-chc-60"))
    for week in range(1, running.week_of(today)):
        _snapshot, created = campaign_snapshot_take(campaign=running, week=week,
                                                    now=_taken_after(running, week))
        taken += created
    return (f"campaigns: {Campaign.objects.count()}, "
            f"{CampaignSnapshot.objects.count()} weekly snapshots ({taken} taken now)")
