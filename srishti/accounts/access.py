"""The one place that decides what a person may see.

Scopes nest: a state membership sees every district and facility of the state, a
district membership every facility of the district. Whatever is outside a person's
scopes is treated as missing (404), never as forbidden, so its existence is not leaked.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from srishti.geography.models import Facility


def facility_scope_q(user, prefix: str = "") -> Q:
    """A filter on facilities (through `prefix`, e.g. "facility__") the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for m in user.memberships.all():
        if m.state_id:
            q |= Q(**{f"{prefix}district__state_id": m.state_id})
        elif m.district_id:
            q |= Q(**{f"{prefix}district_id": m.district_id})
        elif m.facility_id:
            q |= Q(**{f"{prefix}id": m.facility_id})
    return q


def visible_facilities(user) -> QuerySet[Facility]:
    return Facility.objects.filter(facility_scope_q(user))


def visible_assessments(user):
    from srishti.assessments.models import Assessment

    return Assessment.objects.filter(facility_scope_q(user, "facility__"))


def get_visible_or_404(queryset: QuerySet, **lookup):
    """Fetch one object from an already-scoped queryset; missing and hidden are alike."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
