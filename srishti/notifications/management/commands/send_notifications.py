from django.core.management.base import BaseCommand

from srishti.notifications.services import notifications_collect


class Command(BaseCommand):
    help = ("Queue today's notifications (overdue action items, expiring certifications, "
            "surveillance due) for the worker to send. Run daily from cron.")

    def handle(self, *args, **options):
        self.stdout.write(f"{notifications_collect()} notification(s) queued")
