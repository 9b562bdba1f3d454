"""The certification calendar as data: validity periods, alert windows, "close" to a target.

These are programme rules that NHSRC and the states revise; they live here, in one
dict, and nowhere else in the code. Change a number here (or override
`SRISHTI_CERTIFICATION_RULES` in settings with a partial dict) and every service,
selector and page follows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings

DEFAULT_RULES: dict[str, Any] = {
    # How long a certification holds, in months from the day it was decided, keyed by
    # (stage, result). A combination not listed carries no validity (a baseline, a
    # failed state assessment).
    "validity_months": {
        ("state_certified", "passed"): 12,
        ("national_certified", "full"): 36,
        ("national_certified", "conditional"): 12,
    },
    # A current certification ending within this many days is "expiring" (both ends
    # included: 90 days left is expiring, 91 is not).
    "expiring_within_days": 90,
    # A national certification is followed by a surveillance assessment every year.
    "surveillance_every_months": 12,
    # A state certification this old with no national application raises an alert
    # (national application is due within the state certificate's year).
    "national_application_after_months": 11,
    # Mission-target progress: a facility not meeting a target is "close" when every
    # criterion it fails is within this many points: each failing certification criterion's
    # lowest figure from its threshold (rule-set targets), or the overall score from the
    # minimum (score targets).
    "close_within_points": 10.0,
    # Conditional national certification (valid a year, see validity_months): NHSRC grants
    # it when most but not all criteria are met (an example seen: 5 of 6 criteria met,
    # 85.8% overall). Read here as: the overall criterion met and at most this many
    # others failed. A failed national assessment within the rule is recorded as
    # conditional; a person can still change the result to what NHSRC decided.
    "conditional": {"max_failed_criteria": 1, "overall_must_pass": True},
    # How an assessment may be made, by mode: the stages and facility types allowed
    # and the first day allowed (None: any). NHSRC assesses AAM sub-centres nationally by
    # video since June 2024; about one in ten of those is checked on site afterwards.
    "assessment_modes": {
        "physical": {"stages": None, "facility_types": None, "since": None},
        "virtual": {"stages": ["national_certified", "surveillance"],
                    "facility_types": ["AAM-SC"], "since": dt.date(2024, 6, 1),
                    "checked_on_site_share": 0.10},
    },
}


def rules() -> dict[str, Any]:
    """The rules in force: the defaults, overridden key by key from settings."""
    return {**DEFAULT_RULES, **getattr(settings, "SRISHTI_CERTIFICATION_RULES", {})}


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept inside the target month (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_end(stage: str, result: str, decided_on: dt.date) -> dt.date | None:
    """The last day a certification decided on `decided_on` is valid, or None."""
    months = rules()["validity_months"].get((stage, result))
    return add_months(decided_on, months) if months else None


def mode_refusal(mode: str, *, stage: str, facility_type: str, decided_on: dt.date
                 ) -> str | None:
    """Why the rules do not allow an assessment of `mode` for this record ("stage",
    "facility_type" or "since"), or None when they do."""
    rule = rules()["assessment_modes"].get(mode)
    if rule is None:
        return "mode"
    if rule.get("stages") is not None and stage not in rule["stages"]:
        return "stage"
    if rule.get("facility_types") is not None and facility_type not in rule["facility_types"]:
        return "facility_type"
    if rule.get("since") is not None and decided_on < rule["since"]:
        return "since"
    return None


def conditional_applies(verdict: dict) -> bool:
    """Whether a failed national assessment's stored verdict is within the rule for a
    conditional certification (see DEFAULT_RULES["conditional"])."""
    rule = rules()["conditional"]
    criteria = verdict.get("criteria") or []
    failed = [c for c in criteria if not c.get("passed")]
    overall_ok = any(c.get("kind") == "overall" and c.get("passed") for c in criteria)
    return (0 < len(failed) <= rule["max_failed_criteria"]
            and (overall_ok or not rule["overall_must_pass"]))
