"""Writes to people, their roles and their log-in state.

Views decide with accounts.access whether the requesting person may act; these functions
keep the rules that hold whoever acts (a role's kind of scope, one role per scope, the
lock-out arithmetic).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.audit.models import AuditKind
from srishti.core.errors import DomainError
from srishti.geography.models import Block, District, Division, Facility, State

from . import access
from .models import Membership, Role, User

LOCKOUT_FAILURES = 5
LOCKOUT_PERIOD = dt.timedelta(minutes=15)

# Which kinds of scope each role may hold. An assessor's or a viewer's scope may be any.
ANY_SCOPE = (State, Division, District, Block, Facility)
ROLE_SCOPES: dict[str, tuple[type, ...]] = {
    Role.STATE_QUALITY_UNIT: (State,),
    Role.DIVISION_QUALITY_UNIT: (Division,),
    Role.DISTRICT_QUALITY_UNIT: (District,),
    Role.BLOCK_HEALTH_TEAM: (Block,),
    Role.FACILITY_QUALITY_TEAM: (Facility,),
    Role.ASSESSOR: ANY_SCOPE,
    Role.VIEWER: ANY_SCOPE,
}


def scope_state(scope) -> int | None:
    """The state id of a state, a division, a district, a block or a facility."""
    if isinstance(scope, State):
        return scope.pk
    if isinstance(scope, Division | District):
        return scope.state_id
    if isinstance(scope, Block | Facility):
        return scope.district.state_id
    return None


def _audit(kind: str, summary: str, state_id: int | None, actor=None) -> None:
    from srishti.audit.services import event_record, state_of

    event_record(kind=kind, summary=summary, actor=actor,
                 state_id=state_id if state_id is not None else state_of(actor))


# --- log-in and lock-out -----------------------------------------------------------------

def is_locked(user: User, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return user.locked_until is not None and user.locked_until > now


@transaction.atomic
def login_failed(*, user: User, now: dt.datetime | None = None) -> User:
    """Count a failed log-in; the fifth in a row locks the account for LOCKOUT_PERIOD.

    The count restarts when the lock is set, so after the lock ends the person again has
    five attempts. The row is locked while counting: parallel guesses all count.
    """
    now = now or timezone.now()
    row = User.objects.select_for_update().get(pk=user.pk)
    if is_locked(row, now):
        return row
    row.failed_logins += 1
    if row.failed_logins >= LOCKOUT_FAILURES:
        row.failed_logins = 0
        row.locked_until = now + LOCKOUT_PERIOD
    row.save(update_fields=["failed_logins", "locked_until"])
    user.failed_logins, user.locked_until = row.failed_logins, row.locked_until
    return row


def login_succeeded(*, user: User) -> None:
    """A successful log-in forgets the earlier failures (no write when there were none)."""
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        user.failed_logins, user.locked_until = 0, None


# Unknown usernames are counted in the cache and "locked" like real ones, so that five
# guesses do not tell whether a name exists. The cache is per process with the default
# settings: good enough to keep the answers alike, not a security boundary.
def _unknown_key(username: str) -> str:
    return "srishti:login-unknown:" + hashlib.sha256(username.lower().encode()).hexdigest()


def unknown_login_failed(*, username: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    key = _unknown_key(username)
    count, locked_until = cache.get(key, (0, None))
    if locked_until is not None and locked_until > now:
        return
    count += 1
    if count >= LOCKOUT_FAILURES:
        count, locked_until = 0, now + LOCKOUT_PERIOD
    cache.set(key, (count, locked_until), timeout=int(LOCKOUT_PERIOD.total_seconds()) * 2)


def login_locked_until(*, username: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock on this username ends, if it is locked now (unknown names included)."""
    now = now or timezone.now()
    user = user_for_login(username)
    if user is not None:
        return user.locked_until if is_locked(user, now) else None
    _, locked_until = cache.get(_unknown_key(username), (0, None))
    return locked_until if locked_until is not None and locked_until > now else None


def user_for_login(username: str) -> User | None:
    """The account a typed username names: exact match first, else the one account whose
    name matches ignoring case (phones capitalise the first letter)."""
    found = list(User.objects.filter(username__iexact=username.strip())[:2])
    exact = [u for u in found if u.username == username.strip()]
    if exact:
        return exact[0]
    return found[0] if len(found) == 1 else None


# --- people and roles ----------------------------------------------------------------------

def role_scope_check(role: str, scope) -> None:
    """Refuse a role over the wrong kind of scope (a district quality unit over a state)."""
    if role not in ROLE_SCOPES:
        raise DomainError(_("Unknown role."))
    if not isinstance(scope, ROLE_SCOPES[role]):
        needed = {
            Role.STATE_QUALITY_UNIT: _("a state"),
            Role.DIVISION_QUALITY_UNIT: _("a division"),
            Role.DISTRICT_QUALITY_UNIT: _("a district"),
            Role.BLOCK_HEALTH_TEAM: _("a block"),
            Role.FACILITY_QUALITY_TEAM: _("a facility"),
        }[role]
        raise DomainError(_("The role “%(role)s” needs %(scope)s as its scope.")
                          % {"role": Role(role).label, "scope": needed})


def _scope_fields(scope) -> dict[str, object]:
    if isinstance(scope, State):
        return {"state": scope}
    if isinstance(scope, Division):
        return {"division": scope}
    if isinstance(scope, District):
        return {"district": scope}
    if isinstance(scope, Block):
        return {"block": scope}
    if isinstance(scope, Facility):
        return {"facility": scope}
    raise DomainError(_("Choose a state, a division, a district, a block or a facility as "
                        "the scope."))


@transaction.atomic
def membership_add(*, person: User, role: str, scope) -> Membership:
    """Give a person a role over a state, a division, a district, a block or a facility."""
    role_scope_check(role, scope)
    fields = _scope_fields(scope)
    if Membership.objects.filter(user=person, role=role, **fields).exists():
        raise DomainError(_("%(name)s already holds this role there.")
                          % {"name": person.get_full_name() or person.username})
    membership = Membership.objects.create(user=person, role=role, **fields)
    access.forget(person)
    _audit(AuditKind.ROLE_ADDED, f"{person.username}: {Role(role).label} @ {scope}",
           scope_state(scope))
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take a role away. The last role cannot go: deactivate the person instead, so that
    the administrators of their scope still find them."""
    person = membership.user
    if not Membership.objects.filter(user_id=person.pk).exclude(pk=membership.pk).exists():
        raise DomainError(_("This is the person's only role. Deactivate the person instead."))
    _audit(AuditKind.ROLE_REMOVED,
           f"{person.username}: {Role(membership.role).label} @ {membership.scope}",
           scope_state(membership.scope))
    membership.delete()
    access.forget(person)


@transaction.atomic
def person_create(*, username: str, name: str, email: str = "", password: str, role: str,
                  scope) -> User:
    """Add a person with a first role and a temporary password they change at first log-in."""
    username = username.strip().lower()
    if not username:
        raise DomainError(_("Give a username."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(username)s is taken; choose another.")
                          % {"username": username})
    role_scope_check(role, scope)
    person = User(username=username, first_name=name.strip(), email=email.strip(),
                  must_change_password=True)
    person.set_password(password)
    person.save()
    _audit(AuditKind.PERSON_CREATED, person.username, scope_state(scope))
    membership_add(person=person, role=role, scope=scope)
    return person


def person_update(*, person: User, name: str, email: str, is_active: bool) -> User:
    """Change a person's name and e-mail, or (de)activate them. A deactivated person can
    no longer log in and their open sessions end at their next request."""
    person.first_name = name.strip()
    person.email = email.strip()
    person.is_active = is_active
    person.save(update_fields=["first_name", "email", "is_active"])
    _audit(AuditKind.PERSON_CHANGED,
           f"{person.username}: {'active' if is_active else 'deactivated'}", None)
    return person


def password_reset(*, person: User, password: str) -> User:
    """Set a temporary password given by an administrator: it also lifts a lock, ends the
    person's sessions (Django checks the password hash) and forces a change at log-in."""
    person.set_password(password)
    person.must_change_password = True
    person.failed_logins = 0
    person.locked_until = None
    person.save(update_fields=["password", "must_change_password", "failed_logins",
                               "locked_until"])
    _audit(AuditKind.TEMPORARY_PASSWORD, person.username, None)
    return person


def password_change(*, user: User, password: str) -> User:
    """The person chose their own password: the temporary one stops working."""
    user.set_password(password)
    user.must_change_password = False
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_logins",
                             "locked_until"])
    _audit(AuditKind.PASSWORD_CHANGED, "", None, actor=user)
    return user


@transaction.atomic
def admin_create(*, username: str, email: str, password: str) -> User:
    """The first administrator of a new installation: a superuser who must choose their
    own password at the first log-in (the one typed here was seen by whoever set up the
    server). The password must pass the password rules."""
    from django.contrib.auth import password_validation

    username = username.strip().lower()
    if not username:
        raise DomainError(_("Give a username."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(username)s is taken; choose another.")
                          % {"username": username})
    person = User(username=username, email=email.strip(), is_staff=True, is_superuser=True,
                  must_change_password=True)
    try:
        password_validation.validate_password(password, person)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    person.set_password(password)
    person.save()
    return person
