"""Compile the .po catalogues to .mo without GNU gettext, which fresh machines lack."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po under LOCALE_PATHS to .mo (when newer)."

    def handle(self, *args, **options):
        compiled = 0
        for root in settings.LOCALE_PATHS:
            for po_path in Path(root).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        if options["verbosity"] > 1 or compiled:
            self.stdout.write(f"compiled {compiled} translation catalogue(s)")
