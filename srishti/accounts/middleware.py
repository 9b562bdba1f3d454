"""Session rules: log out after 2 hours without activity or 12 hours after log-in, and send
a person holding a temporary password to choose their own before anything else.

Why a middleware rather than SESSION_SAVE_EVERY_REQUEST: that setting would write the
session on every request (one more write per page on SQLite) and, with a sliding 2-hour
cookie, lose the 12-hour cap. Here the last-seen time is written at most once a minute,
and the log-in time is kept so the cap holds whatever the activity.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def idle_seconds() -> int:
    return getattr(settings, "SRISHTI_SESSION_IDLE_SECONDS", 2 * 60 * 60)


def max_seconds() -> int:
    return getattr(settings, "SRISHTI_SESSION_MAX_SECONDS", settings.SESSION_COOKIE_AGE)

# Last-seen is rewritten only when older than this: a write a minute at most, not a page.
SEEN_RESOLUTION = 60

STARTED = "srishti_started"
SEEN = "srishti_seen"


def mark_session_start(request, now: float | None = None) -> None:
    """Called at log-in (accounts.apps connects it to user_logged_in)."""
    now = int(now if now is not None else time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user):
        now = int(time.time())
        session = request.session
        started, seen = session.get(STARTED), session.get(SEEN)
        if started is None or seen is None:
            # A session from before this rule: start counting now.
            mark_session_start(request, now)
        elif now - seen > idle_seconds() or now - started > max_seconds():
            idle = now - seen > idle_seconds()
            logout(request)
            messages.info(request, _("You were logged out after 2 hours without activity.")
                          if idle else _("You were logged out: a session lasts 12 hours."))
            return None  # the page now sees an anonymous visitor and asks to log in
        elif now - seen >= SEEN_RESOLUTION:
            session[SEEN] = now
        if getattr(user, "must_change_password", False):
            return self._require_password_change(request)
        return None

    def _require_password_change(self, request):
        target = reverse("password-change")
        allowed = (target, reverse("logout"), reverse("set_language"))
        if request.path in allowed or request.path.startswith(settings.STATIC_URL):
            return None
        # Read the header itself: this runs before django-htmx's middleware sets request.htmx.
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(headers={"HX-Redirect": target})
        url = target
        if request.method == "GET":
            url = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(url)
