"""`srishti indicators ...`: the indicator library as CSV (export, then import changes).

Registered by srishti.cli; imports nothing of Django until a command runs.
"""

from __future__ import annotations

import argparse
import sys


def cmd_indicators_export(args: argparse.Namespace) -> None:
    from srishti.cli import setup_django

    setup_django()
    from .csv_import import export_csv

    sys.stdout.write(export_csv())


def cmd_indicators_import(args: argparse.Namespace) -> None:
    from pathlib import Path

    from srishti.cli import setup_django

    setup_django()
    from .csv_import import indicators_import

    summary = indicators_import(Path(args.file), dry_run=args.dry_run)
    verb = "would be" if args.dry_run else "were"
    print(f"indicators: {len(summary.created)} {verb} added, {len(summary.updated)} "
          f"{verb} changed, {len(summary.unchanged)} unchanged"
          + (f" (added: {', '.join(summary.created)})" if summary.created else ""))


def add_commands(sub) -> None:
    """Add `indicators export` and `indicators import` to the `srishti` parser."""
    indicators = sub.add_parser("indicators", help="the outcome indicator library").add_subparsers(
        dest="action", required=True)
    p = indicators.add_parser("export", help="print the library as CSV")
    p.set_defaults(func=cmd_indicators_export)
    p = indicators.add_parser("import", help="add or change indicators from a CSV file "
                              "(the columns of `indicators export`); all or nothing")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    p.set_defaults(func=cmd_indicators_import)
