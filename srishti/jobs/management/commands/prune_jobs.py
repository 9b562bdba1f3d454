from django.conf import settings
from django.core.management.base import BaseCommand

from srishti.jobs.services import jobs_prune


class Command(BaseCommand):
    help = "Delete background jobs and their files finished more than --days ago (daily cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SRISHTI_JOB_FILES_DAYS)

    def handle(self, *args, days, **options):
        self.stdout.write(f"{jobs_prune(days=days)} job(s) deleted")
