"""The demo action plans: some overdue, one verified, progress shown, safe to run again."""

from __future__ import annotations

import datetime as dt

from srishti.improvement.demo import demo_action_items
from srishti.improvement.models import ActionItem
from srishti.improvement.selectors import overdue_q, since_last, today_ist
from tests.factories import DistrictFactory, FacilityFactory, MembershipFactory, UserFactory

from .conftest import scored_assessment


def test_the_demo_plans_have_overdue_and_verified_items_and_a_rerun_adds_nothing(demo_version):
    begusarai = FacilityFactory(district=DistrictFactory(name="Begusarai"),
                                name="District Hospital Begusarai")
    gaya = FacilityFactory(district=DistrictFactory(name="Gaya"), name="District Hospital Gaya")
    MembershipFactory(user=UserFactory(username="begusarai"), role="district_quality_unit",
                      district=begusarai.district)
    earlier = scored_assessment(begusarai, demo_version, seed=1, start=dt.date(2022, 10, 14))
    latest = scored_assessment(begusarai, demo_version, seed=2, start=dt.date(2023, 1, 20))
    gaya_latest = scored_assessment(gaya, demo_version, seed=3, start=dt.date(2023, 1, 11))

    first = demo_action_items()
    items = ActionItem.objects.all()
    counts = {a.pk: items.filter(assessment=a).count() for a in (earlier, latest, gaya_latest)}
    assert counts == {earlier.pk: 4, latest.pk: 6, gaya_latest.pk: 5}
    assert items.filter(overdue_q(today_ist()), assessment=latest).count() == 2
    verified = items.filter(assessment=latest, status="verified").get()
    assert verified.verified_by.username == "begusarai" and verified.verified_at
    assert items.filter(root_cause__contains="प्रशिक्षण").exists()
    assert since_last(latest).previous == earlier

    snapshot = list(items.order_by("id").values_list("id", "status", "updated_at"))
    assert demo_action_items() == first.replace("(15 new)", "(0 new)")
    assert list(items.order_by("id").values_list("id", "status", "updated_at")) == snapshot
