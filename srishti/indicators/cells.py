"""The cells of the reporting grid, rendered in Python: a district page has one per
facility and month (720 at 60 facilities), and an {% include %} per cell cost more than
everything else on the page. The words are translated once per page."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .selectors import LATE, MISSING, NOT_DUE, ON_TIME, PARTIAL, MonthStatus

SYMBOLS = {ON_TIME: "✓", LATE: "L", MISSING: "✗", NOT_DUE: "·"}


def status_words() -> dict[str, str]:
    return {ON_TIME: _("on time"), LATE: _("late"), MISSING: _("missing"),
            PARTIAL: _("incomplete"), NOT_DUE: _("not due yet")}


def status_cells(statuses: list[MonthStatus]) -> None:
    """Give each status its cell (`status.html`), from the page's shared words."""
    words, months = status_words(), {}
    missing, late = _("missing"), _("late")
    for s in statuses:
        month = months.get(s.month)
        if month is None:
            month = months[s.month] = date_format(s.month, "M Y")
        title = f"{month}: {words[s.status]}"
        if s.missing_departments:
            title += f" ({missing}: {', '.join(s.missing_departments)})"
        if s.late_departments:
            title += f" ({late}: {', '.join(s.late_departments)})"
        symbol = SYMBOLS.get(s.status) or f"{s.departments_reported}/{s.departments_expected}"
        s.html = format_html('<span class="rep rep-{}" title="{}">{}</span>', s.status, title,
                             symbol)
