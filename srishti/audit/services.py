"""Writing audit events. Each write is its own small insert: an event is kept even when
the work it describes fails afterwards (a failed log-in, a refused import)."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db import DatabaseError, transaction

from srishti.core.limits import printable

from .models import AuditEvent

# Who acts and from where, for the events written while a request (or a command) runs;
# set by AuditContextMiddleware, so that services need not pass the request around.
_current: contextvars.ContextVar[tuple[object, str | None]] = contextvars.ContextVar(
    "srishti_audit", default=(None, None))


@contextmanager
def acting(user, address: str | None):
    token = _current.set((user, address))
    try:
        yield
    finally:
        _current.reset(token)


def current_actor():
    return _current.get()[0]


def state_of(user) -> int | None:
    """The state of a person's first role (their own state for the state's administrators)."""
    if user is None or not getattr(user, "pk", None):
        return None
    from srishti.accounts.models import Membership

    m = (Membership.objects.filter(user_id=user.pk)
         .values("state_id", "division__state_id", "district__state_id",
                 "block__district__state_id", "facility__district__state_id").first())
    if m is None:
        return None
    return (m["state_id"] or m["division__state_id"] or m["district__state_id"]
            or m["block__district__state_id"] or m["facility__district__state_id"])


def event_record(*, kind: str, summary: str = "", actor=None, username: str | None = None,
                 address: str | None = None, state_id: int | None = None) -> AuditEvent | None:
    """Write one event. The actor and address default to those of the request running.

    Never raises: a log that cannot be written must not stop the work it records (the
    failure is left for the database's own log). Never pass a password or a token here.
    """
    context_actor, context_address = _current.get()
    actor = actor if actor is not None else context_actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if username is None:
        username = actor.get_username() if actor is not None else ""
    if state_id is None:
        state_id = state_of(actor)
    event = AuditEvent(kind=kind, actor=actor, username=printable(username)[:150],
                       address=address or context_address, state_id=state_id,
                       summary=printable(summary)[:300])
    try:
        with transaction.atomic():
            event.save()
    except DatabaseError:
        return None
    return event
