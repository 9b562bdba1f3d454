"""Reads of the audit log; what a user sees comes from accounts.access."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from srishti.accounts import access

from .models import AuditEvent


def audit_events(*, user, kind: str = "", username: str = "",
                 day: dt.date | None = None) -> QuerySet[AuditEvent]:
    """Events the user may read (404 for anyone who may read none), newest first."""
    if not access.can_view_audit(user):
        from django.http import Http404

        raise Http404
    events = access.visible_audit_events(user)
    if kind:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username__iexact=username)
    if day is not None:
        events = events.filter(created_at__date=day)
    return events.order_by("-created_at", "-id")
