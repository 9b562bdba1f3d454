"""Template helpers of the indicator pages, and the include on the facility page."""

from __future__ import annotations

from django import template

from srishti.accounts import access

register = template.Library()


@register.filter
def figure(value) -> str:
    """An indicator value as people read it: 82.4, 3.1, 1,250 (— when there is none)."""
    if value is None:
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}"


@register.filter
def dom_id(code: str) -> str:
    """A measurable element code as an id fragment: "H1.1" -> "H1-1"."""
    return str(code).replace(".", "-").replace(" ", "")


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.inclusion_tag("indicators/_facility_flags.html", takes_context=True)
def facility_indicator_flags(context, facility):
    """Out-of-range indicators and late or missing months, on the facility page."""
    from ..selectors import facility_indicators
    from ..views import flag_labels

    user = context["request"].user
    if not access.can_view_facility(user, facility):
        return {"page": None}
    page = facility_indicators(user=user, facility=facility)
    return {"page": page, "facility": facility, "flag_text": flag_labels()}
