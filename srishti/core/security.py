"""Security headers Django 5.2 does not send by itself, and the checks of a production
set-up that Django's own `check --deploy` does not make."""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Adds settings.SRISHTI_CSP as the Content-Security-Policy of every response that
    does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "SRISHTI_CSP", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def demo_accounts_with_demo_password() -> list[str]:
    """Usernames of the demo's accounts that still take the demo's published password."""
    from django.db import DatabaseError

    from srishti.accounts.models import User
    from srishti.demo.load import DEMO_LOGINS, DEMO_PASSWORD

    try:
        users = list(User.objects.filter(username__in=[name for name, _ in DEMO_LOGINS]))
    except DatabaseError:  # not migrated yet: no accounts at all
        return []
    return [u.username for u in users if u.check_password(DEMO_PASSWORD)]


def check_no_demo_password(app_configs=None, **kwargs):
    """`check --deploy` under the production settings: no account may still take the
    demo's password (a database once loaded with the demo and then put in production)."""
    from django.core.checks import Error

    if not getattr(settings, "SRISHTI_PRODUCTION", False):
        return []
    return [
        Error(f"the account {name!r} still takes the demo's published password",
              hint="Set a new password (srishti manage changepassword) or deactivate it.",
              id="srishti.E001")
        for name in demo_accounts_with_demo_password()
    ]
