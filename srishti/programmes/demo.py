"""Demo programme records: two Kayakalp years of the demo's district hospitals (with last
year's winner short of its 5-point improvement), LaQshya (a gold certification, a
provisional one whose maternity OT falls due soon, a labour room below 70%) and MusQan.

Called by srishti.demo.load; safe to run again (a stage already recorded is kept).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from srishti.geography.models import Facility

from . import decisions as d
from .models import ProgrammeRecord
from .services import default_cycle, programme_record_save, rule_sets_seed


def _dh(district: str) -> Facility | None:
    return Facility.objects.filter(district__name=district, facility_type="DH").first()


def _record(facility, programme, stage, decided_on, score=None, **scores) -> int:
    if facility is None:
        return 0
    cycle = default_cycle(programme, decided_on)
    if ProgrammeRecord.objects.filter(facility=facility, programme=programme, cycle=cycle,
                                      stage=stage).exists():
        return 0
    departments = {k: v for k, v in scores.items() if programme != d.KAYAKALP}
    programme_record_save(facility=facility, programme=programme, stage=stage,
                          decided_on=decided_on, score=score,
                          department_scores=departments, notes="Demo record.")
    return 1


def demo_programmes(*, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    rule_sets_seed()
    made = 0
    begusarai, patna, gaya = _dh("Begusarai"), _dh("Patna"), _dh("Gaya")
    nalanda, muzaffarpur = _dh("Nalanda"), _dh("Muzaffarpur")
    chc = Facility.objects.filter(district__name="Begusarai", facility_type="CHC").first()
    # Kayakalp 2023-24: Begusarai wins; Gaya stops at the peer assessment.
    for facility, peer, external in ((begusarai, 84.0, 86.0), (patna, 80.0, 82.0),
                                     (gaya, 66.0, None), (nalanda, 75.0, 74.0)):
        made += _record(facility, d.KAYAKALP, "internal", dt.date(2023, 7, 10), peer + 3)
        made += _record(facility, d.KAYAKALP, "peer", dt.date(2023, 9, 15), peer)
        if external is not None:
            made += _record(facility, d.KAYAKALP, "external", dt.date(2023, 12, 5), external)
    # Kayakalp 2024-25: Begusarai improves by 4 points only: a commendation.
    for facility, peer, external in ((begusarai, 88.0, 90.0), (patna, 86.0, 88.0),
                                     (nalanda, 81.0, 80.0), (muzaffarpur, 72.0, None)):
        made += _record(facility, d.KAYAKALP, "internal", dt.date(2024, 7, 8), peer + 2)
        made += _record(facility, d.KAYAKALP, "peer", dt.date(2024, 9, 20), peer)
        if external is not None:
            made += _record(facility, d.KAYAKALP, "external", dt.date(2024, 12, 10), external)
    made += _record(gaya, d.KAYAKALP, "internal", dt.date(2024, 7, 20), 71.0)
    # LaQshya.
    made += _record(begusarai, d.LAQSHYA, "national", dt.date(2024, 2, 12),
                    labour_room=88.0, maternity_ot=84.0)
    made += _record(patna, d.LAQSHYA, "state", today.replace(day=1) - dt.timedelta(days=300),
                    labour_room=78.0)
    made += _record(chc, d.LAQSHYA, "state", dt.date(2024, 8, 1), labour_room=65.0,
                    maternity_ot=72.0)
    # MusQan.
    departments = {"Paediatric OPD": 82.0, "Paediatric Ward": 78.0, "SNCU": 86.0, "NRC": 74.0}
    made += _record(begusarai, d.MUSQAN, "state", dt.date(2024, 5, 20), 80.0, **departments)
    made += _record(patna, d.MUSQAN, "state", dt.date(2024, 6, 3), 73.0,
                    **{**departments, "NRC": 62.0})
    return f"programmes: {ProgrammeRecord.objects.count()} records, {made} added"
