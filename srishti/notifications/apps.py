from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "srishti.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from srishti.assessments.models import Assignment

        from .services import assignment_made

        post_save.connect(assignment_made, sender=Assignment,
                          dispatch_uid="srishti.notifications.assignment")
