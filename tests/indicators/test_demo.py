"""The demo's monthly figures and programme records: loaded once, telling their story."""

from __future__ import annotations

import pytest

from srishti.demo.load import demo_load
from srishti.geography.models import Facility
from srishti.indicators.models import IndicatorValue, MonthlyReport
from srishti.programmes.models import ProgrammeRecord


@pytest.mark.django_db
def test_the_demo_seeds_indicators_and_programmes_once():
    first = demo_load()
    counts = (MonthlyReport.objects.count(), IndicatorValue.objects.count(),
              ProgrammeRecord.objects.count())
    second = demo_load()
    assert "indicators: 0 department-months added" not in first
    assert "indicators: 0 department-months added" in second
    assert ", 0 added" in second.split("programmes:")[1]
    assert counts == (MonthlyReport.objects.count(), IndicatorValue.objects.count(),
                      ProgrammeRecord.objects.count())
    assert counts[1] > 3000


@pytest.mark.django_db
def test_the_demo_story_shows_on_the_pages_a_district_officer_opens():
    from srishti.accounts.models import User
    from srishti.indicators.selectors import district_indicators

    demo_load()
    begusarai = User.objects.get(username="begusarai")
    dh = Facility.objects.get(name="District Hospital Begusarai")
    page = district_indicators(user=begusarai, district=dh.district)
    flagged = {(w.facility.name, w.run.indicator.code) for w in page.work}
    assert ("District Hospital Begusarai", "LAMA") in flagged
    assert ("CHC Begusarai 01", "CSR") in flagged
    sdh = next(r for r in page.facilities if r.facility.facility_type == "SDH")
    assert "Laboratory" in sdh.statuses[-2].missing_departments  # stopped reporting
    kayakalp = ProgrammeRecord.objects.get(facility=dh, programme="kayakalp", cycle=2024,
                                           stage="external")
    assert kayakalp.result == "commendation"  # last year's winner, +4 points only
    assert ProgrammeRecord.objects.filter(programme="laqshya", result="provisional").exists()
