"""Text messages behind one small interface, so that a state's SMS gateway is one class.

settings.SRISHTI_SMS_BACKEND names the class; the default only logs that a message would
be sent (development), with the number masked. A gateway class sends `text` to `phone`
and raises SmsError with a short reason when the gateway refuses.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("srishti.sms")


class SmsError(Exception):
    pass


class SmsBackend:
    def send(self, *, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """Development: logs the message. Messages carry no secrets (notifications never
    hold a password or a link that logs in), and the number is masked."""

    sent: list[tuple[str, str]] = []  # read by tests

    def send(self, *, phone: str, text: str) -> None:
        masked = f"{'*' * max(len(phone) - 4, 0)}{phone[-4:]}"
        log.info("SMS to %s: %s", masked, text)
        LoggingSmsBackend.sent.append((phone, text))


def sms_backend() -> SmsBackend:
    path = getattr(settings, "SRISHTI_SMS_BACKEND",
                   "srishti.notifications.sms.LoggingSmsBackend")
    return import_string(path)()
