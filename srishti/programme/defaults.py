"""The rules Srishti starts with, stored as data by a migration and by `programme_rules_seed`.

No machine-readable rule is published for either, so both say "Srishti default" as their
source; a state changes them in the master data (a new eligibility rule set, in force from
a date, keeps the old one for the assessments judged by it).
"""

from __future__ import annotations

import datetime as dt

SRISHTI_DEFAULT = "Srishti default"

ELIGIBILITY_RULE_SET = {
    "code": "srishti-default-2025",
    "name": "Srishti default rules for assigning assessors",
    "source": SRISHTI_DEFAULT,
    # In force for every assessment Srishti may hold, old ones imported included.
    "valid_from": dt.date(2015, 1, 1),
}

# Per kind of assessment: (minimum level, certificate must be valid, not from the facility,
# not from its district). Every kind asks for an assessor trained for the tool and the
# facility type. Baseline and internal assessments are the facility's own (its trained
# internal assessors); a district assessment is by the district's assessors from other
# facilities; state, national and surveillance assessments by assessors from elsewhere.
ELIGIBILITY_RULES = {
    "baseline": ("internal", False, False, False),
    "internal": ("internal", False, False, False),
    "peer": ("internal", False, True, False),
    "district": ("district", False, True, False),
    "state": ("state", True, True, True),
    "national": ("national", True, True, True),
    "surveillance": ("state", True, True, True),
}

# (role, level, facility types, refresher every N months), in the order pages show them.
KEY_ROLES = [
    ("civil_surgeon", "district", [], 24),
    ("district_programme_manager", "district", [], 24),
    ("district_quality_consultant", "district", [], 12),
    ("hospital_superintendent", "facility", ["DH", "SDH"], 12),
    ("hospital_manager", "facility", ["DH", "SDH", "CHC"], 12),
    ("medical_officer_in_charge", "facility", ["CHC", "PHC", "UPHC"], 12),
    ("nursing_in_charge", "facility", ["DH", "SDH", "CHC"], 12),
    ("labour_room_in_charge", "facility", ["DH", "SDH", "CHC", "PHC"], 12),
    ("emergency_medical_officer", "facility", ["DH", "SDH"], 12),
]


def seed(rule_set_model, rule_model, key_role_model) -> int:
    """Add the default rule set and key roles where missing; never change existing rows.

    Takes the models so that the data migration can pass its historical ones.
    """
    added = 0
    data = ELIGIBILITY_RULE_SET
    rule_set, created = rule_set_model.objects.get_or_create(
        code=data["code"], defaults={k: v for k, v in data.items() if k != "code"})
    if created:
        added += 1
        for kind, (level, certificate, facility, district) in ELIGIBILITY_RULES.items():
            rule_model.objects.create(
                rule_set=rule_set, assessment_kind=kind, minimum_level=level,
                trained_for_tool=True, trained_for_facility_type=True,
                certificate_current=certificate, not_home_facility=facility,
                not_home_district=district)
    for order, (role, level, types, months) in enumerate(KEY_ROLES):
        _row, created = key_role_model.objects.get_or_create(
            role=role, level=level,
            defaults={"facility_types": types, "refresher_months": months,
                      "source": SRISHTI_DEFAULT, "order": order})
        added += created
    return added
