"""The one place that decides what a person may see and do.

Scopes nest: state > division > district > block > facility. A state membership covers
every district and facility of the state, a division membership the districts of the
division and their facilities, a district membership every facility of the district, a
block membership the facilities of the block. Whatever is outside a person's
scopes is treated as missing (404), never as forbidden, so its existence is not leaked.

What each role brings:

- state / division / district quality unit: read and write everything in its scope (all
  departments of every assessment), create assessments there, manage the people of its
  scope, record certification, verify action items; the state quality unit also reopens
  submitted assessments of its state.
- block health team (medical officer in charge, block health manager): read and write the
  facilities of its block, create assessments there, as a facility team does for its own.
- facility quality team: read and write its facility, create assessments there.
- assessor: only the assessments assigned to them (srishti.assessments.Assignment),
  whatever the scope of the membership, and only the assigned departments for writing.
  The scope of an assessor membership says who administers the assessor, not what they see.
- read-only viewer: read its scope, write nothing.
- superuser: everything.

These functions answer "who may", not "when": a submitted assessment is locked by the
services (assessments.services) whoever asks, so pages check `assessment.status` as well.

Memberships are read once per request and kept on the user object (pages ask these
questions many times); `forget()` drops that copy after a change in the same request.
Functions taking a facility or an assessment read `facility.district.state_id` and
`.division_id`: pass
objects fetched with select_related("district") / ("facility__district") to avoid a query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from srishti.geography.models import Block, District, Division, Facility, State

from .models import Membership, Role, User

# Roles whose scope is read: everything but the assessor's (who reads by assignment).
READ_ROLES = frozenset(Role.values) - {Role.ASSESSOR}
# Roles that write every department of an assessment in their scope and create assessments.
EDIT_ROLES = frozenset({Role.STATE_QUALITY_UNIT, Role.DIVISION_QUALITY_UNIT,
                        Role.DISTRICT_QUALITY_UNIT, Role.BLOCK_HEALTH_TEAM,
                        Role.FACILITY_QUALITY_TEAM})
# Roles that manage the people of their scope.
ADMIN_ROLES = frozenset({Role.STATE_QUALITY_UNIT, Role.DIVISION_QUALITY_UNIT,
                         Role.DISTRICT_QUALITY_UNIT})

_MEMBERSHIPS = "_access_memberships"
_ASSIGNMENTS = "_access_assignments"


# --- memberships, read once per request -------------------------------------------------

def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def memberships(user) -> list[Membership]:
    """The user's memberships, read once and kept on the user object.

    A `prefetch_related("memberships")` on the user is used when present.
    """
    if not _active(user):
        return []
    cached = getattr(user, _MEMBERSHIPS, None)
    if cached is None:
        cached = list(user.memberships.all())
        setattr(user, _MEMBERSHIPS, cached)
    return cached


def forget(user) -> None:
    """Drop what this module keeps on the user object (after changing their memberships)."""
    for name in (_MEMBERSHIPS, _ASSIGNMENTS):
        if hasattr(user, name):
            delattr(user, name)


def _is_assessor(user) -> bool:
    return any(m.role == Role.ASSESSOR for m in memberships(user))


def _assignments(user) -> dict[int, frozenset[int]]:
    """{assessment id: assigned department ids}, for a person holding an assessor role.

    Assignments count only while the person holds an assessor membership: removing the
    role removes the access, without deleting the record of who was assigned.
    """
    if not _is_assessor(user):
        return {}
    cached = getattr(user, _ASSIGNMENTS, None)
    if cached is None:
        from srishti.assessments.models import Assignment

        found: dict[int, set[int]] = {}
        for assessment_id, department_id in Assignment.objects.filter(
                assessor_id=user.pk).values_list("assessment_id", "department_id"):
            found.setdefault(assessment_id, set()).add(department_id)
        cached = {k: frozenset(v) for k, v in found.items()}
        setattr(user, _ASSIGNMENTS, cached)
    return cached


# --- where a facility sits ----------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """Where something sits, from the state down; None where a level is not known."""

    state: int | None
    division: int | None = None
    district: int | None = None
    block: int | None = None
    facility: int | None = None


def _place(facility: Facility) -> Place:
    district = facility.district
    return Place(district.state_id, district.division_id, district.pk, facility.block_id,
                 facility.pk)


def _covers(m: Membership, place: Place) -> bool:
    if m.state_id:
        return m.state_id == place.state
    if m.division_id:
        return m.division_id == place.division
    if m.district_id:
        return m.district_id == place.district
    if m.block_id:
        return m.block_id == place.block
    return m.facility_id is not None and m.facility_id == place.facility


def _covering_roles(user, facility: Facility) -> set[str]:
    """The roles of the user's memberships whose scope covers the facility (any role,
    the assessor's included), from the memberships already read for the request."""
    ms = memberships(user)
    if not ms:
        return set()
    place = _place(facility)
    return {m.role for m in ms if _covers(m, place)}


def _holds(user, facility: Facility, roles) -> bool:
    """Whether one of the user's memberships with one of `roles` covers the facility."""
    ms = [m for m in memberships(user) if m.role in roles]
    if not ms:
        return False
    place = _place(facility)
    return any(_covers(m, place) for m in ms)


# --- facilities and assessments -----------------------------------------------------------

def facility_scope_q(user, prefix: str = "", roles=READ_ROLES) -> Q:
    """A filter on facilities (through `prefix`, e.g. "facility__") the user may see.

    `roles` narrows the memberships that count (by default every role that reads its scope).
    """
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role not in roles:
            continue
        if m.state_id:
            q |= Q(**{f"{prefix}district__state_id": m.state_id})
        elif m.division_id:
            q |= Q(**{f"{prefix}district__division_id": m.division_id})
        elif m.district_id:
            q |= Q(**{f"{prefix}district_id": m.district_id})
        elif m.block_id:
            q |= Q(**{f"{prefix}block_id": m.block_id})
        elif m.facility_id:
            q |= Q(**{f"{prefix}id": m.facility_id})
    return q


def visible_facilities(user) -> QuerySet[Facility]:
    """Facilities in the user's scopes (an assessor's assignments do not add facilities:
    a facility page lists all of its assessments, not only the assigned ones)."""
    return Facility.objects.filter(facility_scope_q(user))


def visible_assessments(user):
    """Assessments of facilities in the user's scopes, plus those assigned to an assessor."""
    from srishti.assessments.models import Assessment

    q = facility_scope_q(user, "facility__")
    assigned = _assignments(user)
    if assigned and not user.is_superuser:
        q |= Q(pk__in=list(assigned))
    return Assessment.objects.filter(q)


def get_visible_or_404(queryset: QuerySet, **lookup):
    """Fetch one object from an already-scoped queryset; missing and hidden are alike."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def can_view_facility(user, facility: Facility) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or _holds(user, facility, READ_ROLES)


def can_view_assessment(user, assessment) -> bool:
    if not _active(user):
        return False
    return (user.is_superuser or assessment.pk in _assignments(user)
            or _holds(user, assessment.facility, READ_ROLES))


def can_create_assessment(user, facility: Facility) -> bool:
    """A state or district quality unit, or the facility's quality team, in scope."""
    if not _active(user):
        return False
    return user.is_superuser or _holds(user, facility, EDIT_ROLES)


def can_edit_assessment(user, assessment) -> bool:
    """Whether the user may change at least one department's answers (see editable_departments)."""
    if not _active(user):
        return False
    return (user.is_superuser or _holds(user, assessment.facility, EDIT_ROLES)
            or bool(_assignments(user).get(assessment.pk)))


def editable_departments(user, assessment) -> frozenset[int]:
    """Ids of the departments of the assessment whose answers the user may change.

    Quality units and the facility team in scope: all of them; an assessor: the assigned
    ones; a viewer or anyone else: none.
    """
    if not _active(user):
        return frozenset()
    if user.is_superuser or _holds(user, assessment.facility, EDIT_ROLES):
        from srishti.checklists.models import Department

        return frozenset(Department.objects.filter(version_id=assessment.version_id)
                         .values_list("id", flat=True))
    return _assignments(user).get(assessment.pk, frozenset())


def can_edit_department(user, assessment, department_id: int) -> bool:
    if not _active(user):
        return False
    if user.is_superuser or _holds(user, assessment.facility, EDIT_ROLES):
        return True
    return department_id in _assignments(user).get(assessment.pk, frozenset())


def can_submit(user, assessment) -> bool:
    """Submitting closes the whole assessment: the quality units and the facility team in
    scope, not an assessor of some departments."""
    if not _active(user):
        return False
    return user.is_superuser or _holds(user, assessment.facility, EDIT_ROLES)


def can_reopen(user, assessment) -> bool:
    """Only the state quality unit of the assessment's state (or a superuser) reopens."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    state_id = assessment.facility.district.state_id
    return any(m.role == Role.STATE_QUALITY_UNIT and m.state_id == state_id
               for m in memberships(user))


# --- where a person starts ------------------------------------------------------------------

@dataclass(frozen=True)
class Home:
    """Where a person lands after logging in: `kind` is "state", "division", "district",
    "block", "facility", "facilities" (several blocks or facilities, no district) or
    "assignments"; `pk` names the division, district, block or facility."""

    kind: str
    pk: int | None = None


def home_of(user) -> Home:
    """The page of the widest scope the person reads: a state -> the state dashboard; one
    division, district or block -> its dashboard (several -> the dashboard over them); one
    facility -> its page; an assessor (or anyone without a scope) -> their assignments."""
    if _active(user) and user.is_superuser:
        return Home("state")
    read = [m for m in memberships(user) if m.role in READ_ROLES]
    if any(m.state_id for m in read):
        return Home("state")
    divisions = sorted({m.division_id for m in read if m.division_id})
    if len(divisions) > 1:
        return Home("state")
    if divisions:
        return Home("division", divisions[0])
    districts = sorted({m.district_id for m in read if m.district_id})
    if len(districts) > 1:
        return Home("state")
    if districts:
        return Home("district", districts[0])
    blocks = sorted({m.block_id for m in read if m.block_id})
    if len(blocks) == 1:
        return Home("block", blocks[0])
    if blocks:
        return Home("facilities")
    facilities = sorted({m.facility_id for m in read if m.facility_id})
    if len(facilities) == 1:
        return Home("facility", facilities[0])
    if facilities:
        return Home("facilities")
    return Home("assignments")


# --- people ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ManagedIds:
    """The scopes whose people a user manages: each with everything below it."""

    everything: bool
    states: frozenset[int] = frozenset()
    divisions: frozenset[int] = frozenset()
    districts: frozenset[int] = frozenset()
    blocks: frozenset[int] = frozenset()
    facilities: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return self.everything or bool(self.states or self.divisions or self.districts
                                       or self.blocks or self.facilities)

    def hold(self, place: Place) -> bool:
        """Whether `place` lies at or below one of these scopes."""
        return (place.state in self.states
                or (place.division is not None and place.division in self.divisions)
                or (place.district is not None and place.district in self.districts)
                or (place.block is not None and place.block in self.blocks)
                or (place.facility is not None and place.facility in self.facilities))


def _managed(user) -> ManagedIds:
    if not _active(user):
        return ManagedIds(False)
    if user.is_superuser:
        return ManagedIds(True)
    admin = [m for m in memberships(user) if m.role in ADMIN_ROLES]
    return ManagedIds(
        False,
        frozenset(m.state_id for m in admin if m.state_id),
        frozenset(m.division_id for m in admin if m.division_id),
        frozenset(m.district_id for m in admin if m.district_id),
        frozenset(m.block_id for m in admin if m.block_id),
        frozenset(m.facility_id for m in admin if m.facility_id),
    )


def manages_anyone(user) -> bool:
    """Whether the user manages the people of some scope (the People pages are theirs)."""
    return bool(_managed(user))


@dataclass
class ManageableScopes:
    """Querysets (lazy: nothing is read until used) for the scope pickers."""

    states: QuerySet[State]
    divisions: QuerySet[Division]
    districts: QuerySet[District]
    blocks: QuerySet[Block]
    facilities: QuerySet[Facility]


def manageable_scopes(user) -> ManageableScopes:
    """The states, divisions, districts, blocks and facilities in which the user may
    manage people: each scope the user administers with everything below it."""
    ids = _managed(user)
    if ids.everything:
        return ManageableScopes(State.objects.all(), Division.objects.all(),
                                District.objects.all(), Block.objects.all(),
                                Facility.objects.all())
    districts = (Q(pk__in=ids.districts) | Q(division_id__in=ids.divisions)
                 | Q(state_id__in=ids.states))
    return ManageableScopes(
        State.objects.filter(pk__in=ids.states),
        Division.objects.filter(Q(pk__in=ids.divisions) | Q(state_id__in=ids.states)),
        District.objects.filter(districts),
        Block.objects.filter(Q(pk__in=ids.blocks)
                             | Q(district__in=District.objects.filter(districts))),
        Facility.objects.filter(Q(pk__in=ids.facilities) | Q(block_id__in=ids.blocks)
                                | Q(district__in=District.objects.filter(districts))),
    )


def _scope_place(scope) -> Place:
    """Where a scope object (or a Membership's scope) sits, as far as it knows."""
    if isinstance(scope, Membership):
        scope = scope.scope
    if isinstance(scope, State):
        return Place(scope.pk)
    if isinstance(scope, Division):
        return Place(scope.state_id, scope.pk)
    if isinstance(scope, District):
        return Place(scope.state_id, scope.division_id, scope.pk)
    if isinstance(scope, Block):
        district = scope.district
        return Place(district.state_id, district.division_id, district.pk, scope.pk)
    if isinstance(scope, Facility):
        return _place(scope)
    raise TypeError(f"not a scope: {scope!r}")


def can_manage_people(user, scope) -> bool:
    """Whether the user may add, change or remove people's roles in `scope` (a State,
    Division, District, Block or Facility, or a Membership for its scope)."""
    ids = _managed(user)
    if ids.everything:
        return True
    return ids.hold(_scope_place(scope))


def membership_scope_q(user, prefix: str = "") -> Q:
    """A filter on memberships (through `prefix`) lying in scopes the user manages."""
    ids = _managed(user)
    if ids.everything:
        return Q()
    p = prefix
    return (Q(**{f"{p}state_id__in": ids.states})
            | Q(**{f"{p}division__state_id__in": ids.states})
            | Q(**{f"{p}district__state_id__in": ids.states})
            | Q(**{f"{p}block__district__state_id__in": ids.states})
            | Q(**{f"{p}facility__district__state_id__in": ids.states})
            | Q(**{f"{p}division_id__in": ids.divisions})
            | Q(**{f"{p}district__division_id__in": ids.divisions})
            | Q(**{f"{p}block__district__division_id__in": ids.divisions})
            | Q(**{f"{p}facility__district__division_id__in": ids.divisions})
            | Q(**{f"{p}district_id__in": ids.districts})
            | Q(**{f"{p}block__district_id__in": ids.districts})
            | Q(**{f"{p}facility__district_id__in": ids.districts})
            | Q(**{f"{p}block_id__in": ids.blocks})
            | Q(**{f"{p}facility__block_id__in": ids.blocks})
            | Q(**{f"{p}facility_id__in": ids.facilities}))


def visible_people(user) -> QuerySet[User]:
    """People holding at least one role in a scope the user manages (superuser: everyone)."""
    ids = _managed(user)
    if ids.everything:
        return User.objects.all()
    if not ids:
        return User.objects.none()
    return User.objects.filter(
        pk__in=Membership.objects.filter(membership_scope_q(user)).values("user_id"))


def can_manage_person(user, person) -> bool:
    """Whether the user may reset the person's password, rename or deactivate them.

    Every role the person holds must lie in the user's scopes: otherwise a district could
    take over the account of someone who also administers the state. Nobody administers
    themselves here (another administrator does), and only a superuser manages a superuser.
    Reads `person.memberships.all()`: prefetch it with select_related("district",
    "facility__district") on lists.
    """
    if not _active(user) or person.pk == user.pk:
        return False
    if user.is_superuser:
        return True
    if person.is_superuser:
        return False
    held = list(person.memberships.all())
    return bool(held) and all(can_manage_people(user, m) for m in held)


# ---------------------------------------------------------------------------------------
# Action plans (srishti.improvement). An action item is seen by whoever sees its
# assessment. The quality units and the facility's team in scope work on items (create,
# plan, change status, add evidence); a viewer only reads. Verifying is for someone other
# than the team that closed the gap: a state or district quality unit in scope, or an
# assessor assigned to the item's assessment.

ACTION_VERIFIER_ROLES = frozenset({Role.STATE_QUALITY_UNIT, Role.DIVISION_QUALITY_UNIT,
                                   Role.DISTRICT_QUALITY_UNIT})


def visible_action_items(user):
    """The action items of every assessment the user may see (see visible_assessments)."""
    from srishti.improvement.models import ActionItem

    q = facility_scope_q(user, "facility__")
    assigned = _assignments(user)
    if assigned and not user.is_superuser:
        q |= Q(assessment_id__in=list(assigned))
    return ActionItem.objects.filter(q)


def can_work_on_actions(user, facility: Facility) -> bool:
    """Whether the user may create action items for the facility, change them and add
    evidence: a quality unit or the facility's team in scope."""
    if not _active(user):
        return False
    return user.is_superuser or _holds(user, facility, EDIT_ROLES)


def can_verify_action(user, item) -> bool:
    """Whether the user may mark the action item verified, send it back or take a
    verification back. Reads `item.facility.district` and `item.assessment_id`."""
    if not _active(user):
        return False
    return (user.is_superuser or _holds(user, item.facility, ACTION_VERIFIER_ROLES)
            or item.assessment_id in _assignments(user))


# ---------------------------------------------------------------------------------------
# Certification and mission targets (srishti.certification). Whoever sees a facility sees
# its certification records; the state and district quality units in scope record them
# (certificates are decided above the facility, so its own team does not). A target is
# seen by anyone whose scope lies inside or over the target's; a state target is set by
# the state quality unit, a district target also by that district's quality unit.

CERTIFICATION_ROLES = frozenset({Role.STATE_QUALITY_UNIT, Role.DIVISION_QUALITY_UNIT,
                                 Role.DISTRICT_QUALITY_UNIT})


def can_manage_certification(user, facility: Facility) -> bool:
    """Whether the user may add or change the facility's certification records."""
    if not _active(user):
        return False
    return user.is_superuser or _holds(user, facility, CERTIFICATION_ROLES)


def visible_mission_targets(user):
    """Mission targets whose scope holds a facility the user sees, or covers it."""
    from srishti.certification.models import MissionTarget

    seen = visible_facilities(user)
    return MissionTarget.objects.filter(
        Q(state_id__in=seen.values("district__state_id"))
        | Q(division_id__in=seen.values("district__division_id"))
        | Q(district_id__in=seen.values("district_id"))
        | Q(block_id__in=seen.values("block_id")))


def can_set_mission_target(user, scope) -> bool:
    """Whether the user may set a target for `scope` (a State, Division, District or
    Block): the state quality unit over its state, a division's or a district's quality
    unit over its own place and what lies below it."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    place = _scope_place(scope)
    return any(
        (m.role == Role.STATE_QUALITY_UNIT and m.state_id == place.state)
        or (m.role == Role.DIVISION_QUALITY_UNIT and place.division is not None
            and m.division_id == place.division)
        or (m.role == Role.DISTRICT_QUALITY_UNIT and place.district is not None
            and m.district_id == place.district)
        for m in memberships(user))


# --- districts (reports) ------------------------------------------------------------------

def visible_districts(user) -> QuerySet[District]:
    """Districts holding at least one facility the user may see.

    Seeing a district is not seeing all of it: pages about a district list only
    `visible_facilities(user)` inside it, so a facility team sees its own facility there.
    """
    return District.objects.filter(pk__in=visible_facilities(user).values("district_id"))


# --- the audit log and background jobs ------------------------------------------------------

def audit_states(user) -> list[int] | None:
    """States whose audit log the user reads (state quality unit); None: every state and
    the events tied to none (superuser)."""
    if not _active(user):
        return []
    if user.is_superuser:
        return None
    return sorted({m.state_id for m in memberships(user)
                   if m.role == Role.STATE_QUALITY_UNIT and m.state_id})


def can_view_audit(user) -> bool:
    return _active(user) and (user.is_superuser or bool(audit_states(user)))


def visible_audit_events(user):
    from srishti.audit.models import AuditEvent

    states = audit_states(user)
    if states is None:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(state_id__in=states)


def visible_jobs(user):
    """A person's background jobs are theirs alone: nobody else sees their files."""
    from srishti.jobs.models import Job

    if not _active(user):
        return Job.objects.none()
    return Job.objects.filter(owner_id=user.pk)
# ---------------------------------------------------------------------------------------
# Outcome indicators (srishti.indicators) and programmes (srishti.programmes). Whoever
# sees a facility sees its monthly indicator figures and its programme standings. The
# facility's team and the quality units in scope enter the monthly figures; programme
# results (Kayakalp, LaQshya, MusQan) are decided above the facility, so they are
# recorded by the state and district quality units, as certification records are.

def can_enter_indicators(user, facility: Facility) -> bool:
    """Whether the user may enter or change the facility's monthly indicator figures."""
    if not _active(user):
        return False
    return user.is_superuser or _holds(user, facility, EDIT_ROLES)


def can_manage_programmes(user, facility: Facility) -> bool:
    """Whether the user may record the facility's Kayakalp, LaQshya or MusQan results."""
    return can_manage_certification(user, facility)
# ---------------------------------------------------------------------------------------
# The programme's people, trainings and assessors (srishti.programme) and campaigns
# (srishti.campaigns). Everything is placed by facility, district or state, and seen by
# whoever sees a facility at or below that place: a facility team sees its own staff and
# the district and state officials over it, not the staff of the next facility. People
# are recorded and changed by those who manage the people of their place (can_manage_people);
# trainings and campaigns are organised like targets (can_set_mission_target): a state's by
# its state quality unit, a district's also by the district quality unit.

def _placed_q(user, prefix: str = "", *, facility: bool = True) -> Q:
    """A filter on rows placed by `facility` (when `facility`), `district` and `state`
    columns (through `prefix`): at a facility the user sees, or at a district or state
    holding one."""
    seen = visible_facilities(user)
    p = prefix
    at_district = Q(**{f"{p}district__in": seen.values("district_id")})
    at_state = Q(**{f"{p}district__isnull": True,
                    f"{p}state__in": seen.values("district__state_id")})
    if not facility:
        return at_district | at_state
    none = Q(**{f"{p}facility__isnull": True})
    return Q(**{f"{p}facility__in": seen}) | (none & at_district) | (none & at_state)


def visible_staff(user):
    """Staff members (the programme's directory) the user may see."""
    from srishti.programme.models import StaffMember

    if not _active(user):
        return StaffMember.objects.none()
    return StaffMember.objects.filter(_placed_q(user))


def can_manage_staff(user, place) -> bool:
    """Whether the user may record or change staff at `place` (a State, District or
    Facility), and so their assessor entries and the accounts linked to them."""
    return _active(user) and can_manage_people(user, place)


def visible_assessors(user):
    """Entries of the assessor register whose staff member the user sees."""
    from srishti.programme.models import Assessor

    if not _active(user):
        return Assessor.objects.none()
    return Assessor.objects.filter(_placed_q(user, "staff__"))


def visible_trainings(user):
    """Trainings organised for a state or a district the user sees into."""
    from srishti.programme.models import Training

    if not _active(user):
        return Training.objects.none()
    return Training.objects.filter(_placed_q(user, facility=False))


def can_organise(user, scope) -> bool:
    """Whether the user may organise trainings and campaigns for `scope` (a State or a
    District): the same people who set its mission targets."""
    return can_set_mission_target(user, scope)


def visible_campaigns(user):
    """Campaigns of a state or a district the user sees into."""
    from srishti.campaigns.models import Campaign

    if not _active(user):
        return Campaign.objects.none()
    return Campaign.objects.filter(_placed_q(user, facility=False))
