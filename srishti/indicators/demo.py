"""Demo figures: eighteen months of indicators for the demo's district hospitals and for
the facilities of Begusarai, with a story a district officer can find on the pages:
a LAMA rate jumping last month, a CHC with too many C-sections, a sub-divisional
hospital whose laboratory stopped reporting, a PHC that reports late and one that stopped reporting.

Called by srishti.demo.load; safe to run again (stored months are left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from srishti.geography.models import Facility

from .library_reads import active_indicators, departments_for, indicators_for
from .months import add_months, last_complete_month
from .services import LoadRow, indicators_seed, monthly_reports_load

MONTHS = 18
IST = ZoneInfo("Asia/Kolkata")
OTHER_DISTRICT_HOSPITALS = ("Patna", "Gaya", "Nalanda", "Muzaffarpur")
SIZE = {"DH": 1.0, "SDH": 0.45, "CHC": 0.3, "PHC": 0.08, "UPHC": 0.06}

# code: (denominator at a district hospital, typical value, spread): the denominator
# scales with the facility's size; the value wanders around its typical figure.
TYPICAL = {
    "BOR": (300 * 30, 82.0, 6.0), "ALOS": (1400, 3.4, 0.3), "LAMA": (1500, 1.6, 0.4),
    "IPD-REF": (1500, 4.0, 1.0), "PSS-IPD": (60 * 10 * 5, 74.0, 4.0),
    "CSR": (600, 13.0, 2.0), "NND": (580, 8.0, 2.5), "SBR": (600, 12.0, 3.0),
    "PPH": (600, 3.0, 1.0), "PARTOGRAPH": (500, 88.0, 5.0), "MDR": (580, 90.0, 60.0),
    "SSI": (180, 3.0, 1.2), "ER-DEATH": (2500, 7.0, 2.0), "ER-DTT": (400, 9.0, 2.0),
    "ER-REF": (2500, 8.0, 2.0), "OPD-DOC": (26 * 12, 95.0, 10.0),
    "OPD-WAIT": (300, 26.0, 5.0), "LWBS": (15000, 1.5, 0.5),
    "PSS-OPD": (80 * 10 * 5, 72.0, 4.0), "LAB-TECH": (26 * 8, 70.0, 8.0),
    "LAB-TAT": (400, 3.5, 0.6), "LAB-REJ": (9000, 1.4, 0.5), "LAB-EQAS": (20, 96.0, 3.0),
}


def _figures(rng: random.Random, indicator, size: float, drift: float = 0.0
             ) -> tuple[Decimal, Decimal]:
    base, typical, spread = TYPICAL[indicator.code]
    denominator = max(1, round(base * size * rng.uniform(0.9, 1.1)))
    value = max(0.0, rng.gauss(typical + drift, spread))
    numerator = value * denominator / indicator.multiplier
    if indicator.numerator_le_denominator:
        numerator = min(numerator, denominator)
    if indicator.numerator_whole:
        return Decimal(round(numerator)), Decimal(denominator)
    return Decimal(f"{numerator:.2f}"), Decimal(denominator)


def _facilities() -> list[Facility]:
    begusarai = list(Facility.objects.filter(district__name="Begusarai")
                     .exclude(facility_type="PHC").order_by("facility_type", "name"))
    begusarai += list(Facility.objects.filter(district__name="Begusarai", facility_type="PHC")
                      .order_by("name")[:6])
    others = list(Facility.objects.filter(district__name__in=OTHER_DISTRICT_HOSPITALS,
                                          facility_type="DH"))
    return begusarai + others


def demo_indicators(*, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    indicators_seed()
    library = active_indicators()
    last = last_complete_month(today)
    months = [add_months(last, -i) for i in range(MONTHS - 1, -1, -1)]
    rows = []
    for facility in _facilities():
        rng = random.Random(f"indicators-{facility.name}")
        size = SIZE.get(facility.facility_type, 0.1)
        lab_stopped = facility.name.startswith("Sub-divisional Hospital Begusarai")
        reports_late = facility.name.endswith("Begusarai 03")
        for department in departments_for(facility.facility_type, library):
            for index, month in enumerate(months):
                if lab_stopped and department == "Laboratory" and index >= MONTHS - 2:
                    continue
                if facility.facility_type == "PHC" and index >= MONTHS - 2 and \
                        facility.name.endswith("Begusarai 05"):
                    continue
                figures = {}
                for indicator in indicators_for(facility.facility_type, department, library):
                    drift = 0.0
                    if (indicator.code == "LAMA" and facility.name == "District Hospital "
                            "Begusarai" and index == MONTHS - 1):
                        drift = 4.5  # last month's jump: above the benchmark and the limits
                    if indicator.code == "CSR" and facility.facility_type == "CHC":
                        drift = 8.0  # a CHC doing too many C-sections
                    figures[indicator.code] = _figures(rng, indicator, size, drift)
                next_month = add_months(month, 1)
                day = 20 if reports_late or (lab_stopped and index == MONTHS - 1) else 5
                submitted = dt.datetime(next_month.year, next_month.month, day, 11,
                                        tzinfo=IST)
                rows.append(LoadRow(facility.pk, department, month, figures, submitted))
    added = monthly_reports_load(rows=rows, library=library)
    return f"indicators: {added} department-months added ({len(library)} indicators)"
