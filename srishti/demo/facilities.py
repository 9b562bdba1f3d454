"""A generated facility list for Bihar in realistic numbers per type.

The names are made up (district name, type and a number); only the district and division
names are real. Blocks are made up too ("<district> Block 01"), about 14 a district as in
Bihar (534 in all): the PHCs and CHCs of a district are dealt out over its blocks; district
and sub-divisional hospitals and urban PHCs are in none. A real list can be loaded with
`srishti facilities import`.
"""

from __future__ import annotations

import random

from srishti.geography.bihar import DIVISION_OF_DISTRICT
from srishti.geography.services import FacilityRow

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


# PHCs per block: the demo's ~1,640 PHCs over about 500 blocks (Bihar has 534).
PHCS_PER_BLOCK = 3.2
IN_BLOCKS = ("CHC", "PHC")


def block_name(district: str, n: int) -> str:
    return f"{district} Block {n:02d}"


def generated_facilities(seed: int = 2022) -> list[FacilityRow]:
    """(district, facility type, name, division, block) rows; the same list for the same
    seed. The PHCs of a district go round its blocks in turn, as do its CHCs."""
    rng = random.Random(seed)
    rows = []
    for district in BIHAR_DISTRICTS:
        division = DIVISION_OF_DISTRICT[district]
        counts = {ftype: rng.randint(low, high) for ftype, (low, high) in COUNTS.items()}
        blocks = max(1, round(counts["PHC"] / PHCS_PER_BLOCK))
        for ftype, count in counts.items():
            if ftype == "DH":
                rows.append(FacilityRow(district, ftype, f"District Hospital {district}",
                                        division))
                continue
            for n in range(1, count + 1):
                block = block_name(district, (n - 1) % blocks + 1) if ftype in IN_BLOCKS else ""
                rows.append(FacilityRow(district, ftype, f"{LABELS[ftype]} {district} {n:02d}",
                                        division, block))
    return rows
