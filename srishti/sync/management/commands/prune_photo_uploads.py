"""`srishti manage prune_photo_uploads [--days 7]`: forget photo uploads left unfinished."""

import datetime as dt

from django.core.management.base import BaseCommand

from srishti.sync.services import photo_uploads_prune


class Command(BaseCommand):
    help = ("Delete photo uploads a device began but has not touched for --days days "
            "(default 7), with their partial files; finished photos are kept. Safe to run "
            "from cron: running it twice removes nothing more.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7,
                            help="untouched for at least this many days (default 7)")

    def handle(self, *args, days: int, **options):
        removed = photo_uploads_prune(older_than=dt.timedelta(days=days))
        self.stdout.write(f"{removed} unfinished photo upload(s) removed")
