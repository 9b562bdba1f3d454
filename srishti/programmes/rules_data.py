"""The programme rule sets Srishti starts with, as data with their source; a data
migration loads them into ProgrammeRuleSet. A change of rules is a new rule set with a
new code and the date it takes effect, never an edit of one already used.

Where the primer marks a rule as of medium confidence, the figure is kept here, in one
place, with that said in its source.
"""

from __future__ import annotations

from typing import Any

_KAYAKALP_COMMON: dict[str, Any] = {
    "programme": "kayakalp",
    "stages": ["internal", "peer", "external"],
    # >= 70% in the peer assessment goes on to the external assessment.
    "peer_threshold": 70.0,
    # Commendation for an external score above 70%.
    "commendation_threshold": 70.0,
    "commendation_strictly_above": True,
    # An award is a place in a cohort; to be placed, a facility needs at least this.
    "award_threshold": 70.0,
    # Last year's award winners must improve their external score by this many points.
    "past_winner_improvement": 5.0,
    # Places per cohort, and whether a type competes state-wide or district-wide.
    "award_places": {"DH": 2, "SDH": 1, "CHC": 1, "PHC": 1, "UPHC": 1, "default": 1},
    "award_scope": {"DH": "state", "SDH": "state", "CHC": "state", "PHC": "district",
                    "UPHC": "district", "AAM-SC": "district"},
}

SEED_RULE_SETS: list[dict[str, Any]] = [
    {
        **_KAYAKALP_COMMON,
        "code": "kayakalp-2015",
        "valid_from": "2015-04-01",
        "source": "Kayakalp guidelines (MoHFW, 2015): internal, peer and external "
                  "assessment; 70% in peer assessment to go on; commendation above 70%; "
                  "5-point improvement for past winners (medium confidence).",
        "areas": {"default": "ABCDEFG"},
    },
    {
        **_KAYAKALP_COMMON,
        "code": "kayakalp-2021",
        "valid_from": "2021-04-01",
        "source": "Kayakalp guidelines as revised in 2021: area H (eco-friendly facility, "
                  "5 standards of 10 elements) assessed in DH, SDH and CHC; other rules as "
                  "kayakalp-2015 (medium confidence).",
        "areas": {"default": "ABCDEFG", "DH": "ABCDEFGH", "SDH": "ABCDEFGH",
                  "CHC": "ABCDEFGH"},
    },
    {
        "code": "laqshya-2017",
        "programme": "laqshya",
        "valid_from": "2017-12-01",
        "source": "LaQshya guideline (MoHFW, 2017): certification at 70% for the labour "
                  "room and the maternity OT; silver >= 70, gold > 80, platinum > 90; "
                  "provisional with the labour room alone, the maternity OT within a year "
                  "(high/medium confidence).",
        "stages": ["internal", "state", "national"],
        "threshold": 70.0,
        "provisional_months": 12,
        "badges": [
            {"name": "silver", "threshold": 70.0, "strictly_above": False},
            {"name": "gold", "threshold": 80.0, "strictly_above": True},
            {"name": "platinum", "threshold": 90.0, "strictly_above": True},
        ],
        "departments": ["labour_room", "maternity_ot"],
    },
    {
        "code": "musqan-2021",
        "programme": "musqan",
        "valid_from": "2021-09-17",
        "source": "MusQan guideline (MoHFW, 2021): child-friendly services in the "
                  "paediatric OPD, paediatric ward, SNCU and NRC of district hospitals "
                  "(NBSU in CHCs); 70% overall and in each department (thresholds not "
                  "verified: kept as data).",
        "stages": ["internal", "state", "national"],
        "overall_threshold": 70.0,
        "department_threshold": 70.0,
        "departments": {
            "default": ["Paediatric OPD", "Paediatric Ward"],
            "DH": ["Paediatric OPD", "Paediatric Ward", "SNCU", "NRC"],
            "SDH": ["Paediatric OPD", "Paediatric Ward", "SNCU", "NRC"],
            "CHC": ["Paediatric OPD", "Paediatric Ward", "NBSU"],
        },
    },
]
