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
