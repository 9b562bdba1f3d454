"""Reads of districts and facilities."""

from __future__ import annotations

from django.db.models import Q

from srishti.core.errors import DomainError

from .models import Facility


def facility_find(*, name_or_nin: str) -> Facility:
    """One facility by its NIN or its exact name (case-insensitive); ambiguity is an error."""
    key = name_or_nin.strip()
    matches = list(
        Facility.objects.select_related("district")
        .filter(Q(nin=key) | Q(name__iexact=key))
        .order_by("district__name")[:10]
    )
    by_nin = [f for f in matches if f.nin == key]
    if by_nin:
        return by_nin[0]
    if not matches:
        raise DomainError(f"no facility named or numbered {key!r}; "
                          "load facilities first (srishti facilities import, or srishti demo)")
    if len(matches) > 1:
        where = "; ".join(f"{f.name} ({f.facility_type}, {f.district.name})" for f in matches)
        raise DomainError(f"{key!r} names several facilities: {where}. Use its NIN.")
    return matches[0]


# Orders of the facility list: by place (default), by latest score either way (never
# assessed facilities last), by name.
FACILITY_SORTS = ("", "-score", "score", "name")


def facility_list(*, user, district_id: int | None = None, facility_type: str = "",
                  query: str = "", sort: str = ""):
    """Facilities the user may see, filtered, each with its latest counted score (its
    current standing: the latest submitted assessment, whatever the tool), in the chosen
    order (see FACILITY_SORTS).

    One query for the page whatever its length: the score comes from a subquery over the
    stored standings.
    """
    from django.db.models import F, OuterRef, Subquery

    from srishti.accounts.access import visible_facilities
    from srishti.certification.models import FacilityStanding

    latest = (FacilityStanding.objects.filter(facility=OuterRef("pk"), current=True)
              .order_by("-assessed_on", "-assessment_id"))
    qs = visible_facilities(user).select_related("district").annotate(
        latest_assessment_id=Subquery(latest.values("assessment_id")[:1]),
        latest_score=Subquery(latest.values("overall")[:1]),
        latest_date=Subquery(latest.values("assessed_on")[:1]),
    )
    if district_id:
        qs = qs.filter(district_id=district_id)
    if facility_type:
        qs = qs.filter(facility_type=facility_type)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(nin=query))
    if sort in ("-score", "score"):
        score = F("latest_score")
        return qs.order_by(score.desc(nulls_last=True) if sort == "-score"
                           else score.asc(nulls_last=True), "name")
    if sort == "name":
        return qs.order_by("name", "district__name")
    return qs.order_by("district__name", "facility_type", "name")


def district_choices(*, user):
    from srishti.accounts.access import visible_facilities

    from .models import District

    return District.objects.filter(
        id__in=visible_facilities(user).values("district_id")
    ).order_by("name")
