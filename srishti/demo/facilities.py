"""A generated facility list for Bihar in realistic numbers per type.

The names are made up (district name, type and a number); only the district names are
real. A real list can be loaded with `srishti facilities import`.
"""

from __future__ import annotations

import random

BIHAR_DISTRICTS = (
    "Araria", "Arwal", "Aurangabad", "Banka", "Begusarai", "Bhagalpur", "Bhojpur", "Buxar",
    "Darbhanga", "East Champaran", "Gaya", "Gopalganj", "Jamui", "Jehanabad", "Kaimur",
    "Katihar", "Khagaria", "Kishanganj", "Lakhisarai", "Madhepura", "Madhubani", "Munger",
    "Muzaffarpur", "Nalanda", "Nawada", "Patna", "Purnia", "Rohtas", "Saharsa",
    "Samastipur", "Saran", "Sheikhpura", "Sheohar", "Sitamarhi", "Siwan", "Supaul",
    "Vaishali", "West Champaran",
)

# Per district: (low, high) counts drawn uniformly; about 2,000 facilities in all,
# most of them PHCs, as in the state's own lists.
COUNTS = {"DH": (1, 1), "SDH": (0, 2), "CHC": (1, 3), "PHC": (34, 54), "UPHC": (2, 9)}
LABELS = {"SDH": "Sub-divisional Hospital", "CHC": "CHC", "PHC": "PHC", "UPHC": "Urban PHC"}


def generated_facilities(seed: int = 2022) -> list[tuple[str, str, str]]:
    """(district, facility type, name) rows; the same list for the same seed."""
    rng = random.Random(seed)
    rows = []
    for district in BIHAR_DISTRICTS:
        for ftype, (low, high) in COUNTS.items():
            count = rng.randint(low, high)
            if ftype == "DH":
                rows.append((district, ftype, f"District Hospital {district}"))
                continue
            for n in range(1, count + 1):
                rows.append((district, ftype, f"{LABELS[ftype]} {district} {n:02d}"))
    return rows
