"""Log-ins, log-outs and failed log-ins, from Django's own signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from srishti.accounts.throttle import client_address

from .models import AuditEvent
from .services import event_record, state_of


@receiver(user_logged_in, dispatch_uid="srishti.audit.login")
def logged_in(sender, request, user, **kwargs):
    event_record(kind=AuditEvent.Kind.LOGIN, actor=user,
                 address=client_address(request) if request is not None else None)


@receiver(user_logged_out, dispatch_uid="srishti.audit.logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        event_record(kind=AuditEvent.Kind.LOGOUT, actor=user,
                     address=client_address(request) if request is not None else None)


@receiver(user_login_failed, dispatch_uid="srishti.audit.login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password masked by Django; only the username is kept.
    from srishti.accounts.services import user_for_login

    username = str(credentials.get("username") or "")
    account = user_for_login(username) if username else None
    event_record(kind=AuditEvent.Kind.LOGIN_FAILED, username=username,
                 address=client_address(request) if request is not None else None,
                 state_id=state_of(account))
