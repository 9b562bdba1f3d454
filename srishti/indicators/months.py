"""Months as Srishti keeps them (the first day of the month), the reporting calendar,
and the parsing of "YYYY-MM" from forms, the API and the Excel template.

When a month's figures are due is a programme rule, kept here as data: override
`SRISHTI_INDICATOR_RULES` in settings with a partial dict to change it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.utils import timezone

DEFAULT_RULES: dict[str, Any] = {
    # A month's figures are due this many days after the month ends (10: April's figures
    # by 10 May, that day included); what arrives later is late.
    "due_days_after_month": 10,
    # Figures older than this are not taken (a typing slip in the year).
    "earliest_month": dt.date(2010, 1, 1),
}

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def rules() -> dict[str, Any]:
    return {**DEFAULT_RULES, **getattr(settings, "SRISHTI_INDICATOR_RULES", {})}


def parse_month(text: str) -> dt.date | None:
    """"2024-05" -> 1 May 2024; None when it is not a month."""
    match = _MONTH.match(text or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        return None
    return dt.date(year, month, 1)


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first` to `last`, both included."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def last_complete_month(today: dt.date | None = None) -> dt.date:
    """The newest month that has ended (in Indian Standard Time)."""
    today = today or timezone.localdate()
    return add_months(today.replace(day=1), -1)


def due_date(month: dt.date) -> dt.date:
    """The last day on which the month's figures are on time."""
    last_day = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=last_day) + dt.timedelta(days=rules()["due_days_after_month"])


def is_late(month: dt.date, submitted_on: dt.date) -> bool:
    return submitted_on > due_date(month)


def reportable(month: dt.date, today: dt.date | None = None) -> bool:
    """Whether figures may be reported for the month: it has ended, and is not absurdly old."""
    return rules()["earliest_month"] <= month <= last_complete_month(today)


def financial_year(month: dt.date) -> int:
    """The Indian financial year (April to March) a month belongs to, by its first year."""
    return month.year if month.month >= 4 else month.year - 1


def financial_year_months(year: int) -> list[dt.date]:
    return month_range(dt.date(year, 4, 1), dt.date(year + 1, 3, 1))
