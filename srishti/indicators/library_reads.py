"""Reads of the indicator library: which indicators a facility type reports, and for
which departments. The library is small (tens of rows) and read whole."""

from __future__ import annotations

from .models import Indicator


def department_key(name: str) -> str:
    """Department names compared without case or spaces ("Labour room " = "Labour Room")."""
    return "".join(name.split()).casefold()


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(active=True).order_by("order", "code"))


def applies_to(indicator: Indicator, facility_type: str) -> bool:
    return not indicator.facility_types or facility_type in indicator.facility_types


def indicators_for(facility_type: str, department: str | None = None,
                   library: list[Indicator] | None = None) -> list[Indicator]:
    """Active indicators of a facility type, of one department when given."""
    key = department_key(department) if department is not None else None
    return [i for i in (library if library is not None else active_indicators())
            if applies_to(i, facility_type)
            and (key is None or key in {department_key(d) for d in i.departments})]


def departments_for(facility_type: str, library: list[Indicator] | None = None) -> list[str]:
    """The departments a facility type reports figures for, in library order."""
    seen: dict[str, str] = {}
    for indicator in indicators_for(facility_type, library=library):
        for name in indicator.departments:
            seen.setdefault(department_key(name), name)
    return list(seen.values())


def canonical_department(facility_type: str, name: str,
                         library: list[Indicator] | None = None) -> str | None:
    """The library's spelling of a department the facility type reports, or None."""
    key = department_key(name or "")
    for department in departments_for(facility_type, library):
        if department_key(department) == key:
            return department
    return None
