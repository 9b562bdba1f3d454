from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "srishti.accounts"
    label = "accounts"
    verbose_name = _("People and access")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_start

        def started(sender, request, user, **kwargs):
            # Set at log-in so the first page after it writes nothing more to the session.
            if request is not None and hasattr(request, "session"):
                mark_session_start(request)

        user_logged_in.connect(started, dispatch_uid="srishti.accounts.session_start",
                               weak=False)
