"""The facility page's summary of every programme's standing."""

from __future__ import annotations

from django import template
from django.utils import timezone

from srishti.accounts import access

register = template.Library()


@register.inclusion_tag("programmes/_standings.html", takes_context=True)
def facility_programmes(context, facility):
    from ..selectors import facility_standings
    from ..texts import step_text

    user = context["request"].user
    if not access.can_view_facility(user, facility):
        return {"page": None}
    page = facility_standings(user=user, facility=facility)
    for p in page.programmes:
        p.step_label = step_text(p.step)
    return {"page": page, "today": timezone.localdate()}


@register.filter
def department_label(name: str) -> str:
    """A programme department's name in the reader's language (labour_room -> Labour room)."""
    from ..texts import department_label as label

    return label(name)
