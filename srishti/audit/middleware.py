"""Sets who acts and from which address for the audit events a request writes."""

from __future__ import annotations

from srishti.accounts.throttle import client_address

from .services import acting


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting(getattr(request, "user", None), client_address(request)):
            return self.get_response(request)
