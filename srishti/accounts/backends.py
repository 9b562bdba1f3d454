"""Username-and-password log-in with lock-out, for every way in (our page, the admin's)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from . import services
from .models import User


class LockoutBackend(ModelBackend):
    """ModelBackend that refuses locked accounts and counts failures (accounts.services).

    A locked account is refused without checking the password, so guessing during the
    lock learns nothing. Every answer costs one password hash, like ModelBackend's, so it
    takes as long whether the name exists, is locked, or not.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = services.user_for_login(username)
        if user is None:
            User().set_password(password)
            services.unknown_login_failed(username=username)
            return None
        if services.is_locked(user):
            # Hash anyway: a locked real account answers as slowly as an unknown name.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            services.login_succeeded(user=user)
            return user
        services.login_failed(user=user)
        return None
