"""Username-and-password log-in with lock-out, for every way in (our page, the admin's)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from . import services, throttle
from .models import User


class LockoutBackend(ModelBackend):
    """ModelBackend that refuses locked accounts and counts failures (accounts.services).

    A locked account is refused without checking the password, so guessing during the
    lock learns nothing, except from a browser that has logged in to the account before
    (accounts.throttle): so the lock cannot be used to keep the person themselves out.
    An address with too many recent failures is refused whatever the account.
    Every answer costs one password hash, like ModelBackend's, so it takes as long
    whether the name exists, is locked, or not.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        if request is not None and throttle.login_blocked_until(request) is not None:
            User().set_password(password)
            return None
        user = services.user_for_login(username)
        if user is None:
            User().set_password(password)
            services.unknown_login_failed(username=username)
            return None
        if services.is_locked(user) and not throttle.device_trusted(request, user):
            # Hash anyway: a locked real account answers as slowly as an unknown name.
            User().set_password(password)
            return None
        if (user.check_password(password) and self.user_can_authenticate(user)
                and not _demo_password_in_production(password)):
            services.login_succeeded(user=user)
            return user
        services.login_failed(user=user)
        return None


def _demo_password_in_production(password: str) -> bool:
    if not settings.SRISHTI_PRODUCTION:
        return False
    from srishti.demo.load import DEMO_PASSWORD

    return password == DEMO_PASSWORD
