"""Rate limits: failed log-ins per address, API calls per account and per address, and the
device cookie that keeps a person's own browser out of their account's lock-out.

Why a device cookie: a lock after five failures stops guessing, but anyone who knows a
username could then keep that person out by failing five times every fifteen minutes. A
browser that has logged in to the account before carries a signed cookie naming it; the
account's lock does not apply to that browser (its own failures still count against its
address). An attacker without the cookie stays locked out; the person does not.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

DEVICE_COOKIE = "srishti_device"
DEVICE_SALT = "srishti.accounts.device"
DEVICE_MAX_AGE = 180 * 24 * 60 * 60
LOGIN_WINDOW = dt.timedelta(minutes=15)


def client_address(request) -> str | None:
    """The address of the person: behind the reverse proxy (production), the one the
    proxy puts in X-Forwarded-For, which it overwrites (docs/deploy.md)."""
    if request is None:
        return None
    if getattr(settings, "SRISHTI_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


# --- log-in ------------------------------------------------------------------------------

def login_blocked_until(request, now: dt.datetime | None = None) -> dt.datetime | None:
    """When this address may try again, if it failed too often in the last 15 minutes
    (any usernames); None when it may try now. Counted from the audit log, which every
    process shares."""
    from srishti.audit.models import AuditEvent

    address = client_address(request)
    if address is None:
        return None
    now = now or timezone.now()
    failures = list(AuditEvent.objects.filter(
        kind=AuditEvent.Kind.LOGIN_FAILED, address=address, created_at__gt=now - LOGIN_WINDOW,
    ).order_by("-created_at").values_list("created_at", flat=True)[
        :settings.SRISHTI_LOGIN_FAILURES_PER_ADDRESS])
    if len(failures) < settings.SRISHTI_LOGIN_FAILURES_PER_ADDRESS:
        return None
    return failures[-1] + LOGIN_WINDOW


def device_trusted(request, user) -> bool:
    """Whether this browser logged in to `user`'s account before (signed cookie)."""
    if request is None or user is None:
        return False
    try:
        value = signing.get_cookie_signer(salt=DEVICE_SALT).unsign(
            request.COOKIES.get(DEVICE_COOKIE, ""), max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return False
    return str(user.pk) in value.split(".")


def remember_device(request, response, user) -> None:
    """After a successful log-in: add the account to this browser's device cookie."""
    try:
        known = signing.get_cookie_signer(salt=DEVICE_SALT).unsign(
            request.COOKIES.get(DEVICE_COOKIE, ""), max_age=DEVICE_MAX_AGE).split(".")
    except signing.BadSignature:
        known = []
    # A shared computer at a facility: a few accounts, the latest kept.
    ids = [i for i in known if i and i != str(user.pk)][-4:] + [str(user.pk)]
    response.set_cookie(
        DEVICE_COOKIE, signing.get_cookie_signer(salt=DEVICE_SALT).sign(".".join(ids)),
        max_age=DEVICE_MAX_AGE, secure=settings.SESSION_COOKIE_SECURE, httponly=True,
        samesite="Lax")


def allow(request, what: str, limit: int, window: int) -> bool:
    """Whether this address may do `what` once more (at most `limit` times a window)."""
    address = client_address(request) or "unknown"
    return _count(f"{what}:{address}", window) <= limit


# --- the API -----------------------------------------------------------------------------

def _count(key: str, window: int) -> int:
    """Calls counted under `key` in the current window (fixed windows, in the cache)."""
    full = f"srishti:rate:{key}:{int(time.time()) // window}"
    if cache.add(full, 1, timeout=window * 2):
        return 1
    try:
        return cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, timeout=window * 2)
        return 1


class ApiRateLimitMiddleware:
    """Answers 429 to API calls beyond SRISHTI_API_CALLS_PER_ACCOUNT per account or
    SRISHTI_API_CALLS_PER_ADDRESS per address in a window of SRISHTI_RATE_WINDOW s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            refused = self._refuse(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refuse(self, request):
        window = settings.SRISHTI_RATE_WINDOW
        user = getattr(request, "user", None)
        over = False
        if user is not None and user.is_authenticated:
            over = _count(f"user:{user.pk}", window) > settings.SRISHTI_API_CALLS_PER_ACCOUNT
        address = client_address(request)
        if address:
            over = (_count(f"addr:{address}", window) > settings.SRISHTI_API_CALLS_PER_ADDRESS
                    or over)
        if not over:
            return None
        wait = window - int(time.time()) % window
        response = JsonResponse({"detail": _(
            "Too many requests: wait %(seconds)d seconds, then send again.")
            % {"seconds": wait}}, status=429)
        response["Retry-After"] = str(wait)
        return response
