"""Reads of people for the People pages; what a user sees comes from accounts.access."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from . import access, services
from .models import Membership, User


def _memberships_prefetch() -> Prefetch:
    # Enough to name each scope and to place it (district.state_id, facility.district).
    return Prefetch("memberships", queryset=Membership.objects.select_related(
        "state", "division", "district", "block__district", "facility__district")
        .order_by("role", "id"))


def people_list(*, user, role: str = "", district_id: int | None = None) -> QuerySet[User]:
    """People the user may see, with their memberships prefetched (one query for them all).

    `role` and `district_id` keep people holding that role / a role in that district (its
    facilities included), among the roles the user may see.
    """
    qs = access.visible_people(user)
    if role or district_id:
        held = Membership.objects.filter(access.membership_scope_q(user))
        if role:
            held = held.filter(role=role)
        if district_id:
            held = held.filter(Q(district_id=district_id) | Q(block__district_id=district_id)
                               | Q(facility__district_id=district_id))
        qs = qs.filter(pk__in=held.values("user_id"))
    return qs.prefetch_related(_memberships_prefetch()).order_by("username")


def person_get(*, user, pk: int) -> User:
    """One person the user may see (404 otherwise), memberships prefetched."""
    return access.get_visible_or_404(
        access.visible_people(user).prefetch_related(_memberships_prefetch()), pk=pk)


@dataclass
class PersonView:
    """A person as the requesting user sees them: only the roles in the user's scopes
    are named; the others are only counted."""

    person: User
    roles: list[Membership] = field(default_factory=list)
    roles_elsewhere: int = 0
    manageable: bool = False
    # Roles the user may remove: theirs to manage, and not the person's last one.
    removable: set[int] = field(default_factory=set)
    # "inactive", "locked", "temporary" (must change the password) or "active".
    status: str = "active"


def person_view(*, user, person: User) -> PersonView:
    held = list(person.memberships.all())
    roles = [m for m in held if access.can_manage_people(user, m)]
    view = PersonView(person=person, roles=roles, roles_elsewhere=len(held) - len(roles),
                      manageable=access.can_manage_person(user, person),
                      status=_status(person))
    if len(held) > 1 and person.pk != user.pk:
        view.removable = {m.pk for m in roles}
    return view


def _status(person: User) -> str:
    if not person.is_active:
        return "inactive"
    if services.is_locked(person):
        return "locked"
    if person.must_change_password:
        return "temporary"
    return "active"


def person_views(*, user, people) -> list[PersonView]:
    return [person_view(user=user, person=p) for p in people]
