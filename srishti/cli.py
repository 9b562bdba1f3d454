"""The `srishti` command. Thin: parse arguments, call one service, print.

Django is set up only for sub-commands that need the database: `srishti scorecard` and
`checklist import --dry-run` read a workbook and nothing else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Any

FACILITY_TYPES = ["DH", "SDH", "CHC", "PHC", "UPHC", "AAM-SC"]
ASSESSMENT_TYPES = ["baseline", "internal", "peer", "district", "state", "national",
                    "surveillance"]
TOOLS = ["NQAS", "KAYAKALP", "LAQSHYA", "MUSQAN"]

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the user must fix; printed as one line, exit status 2."""


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srishti.config.settings.base")
    import django

    django.setup()


def read(path: str):
    from srishti.workbooks.reader import read_workbook

    return read_workbook(path)


def print_json(data: Any) -> None:
    # One dumps and one write: json.dump writes chunk by chunk, three times slower here.
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def cmd_scorecard(args: argparse.Namespace) -> None:
    from srishti.workbooks.identity import default_tool
    from srishti.workbooks.scorecard import score_workbook, seed_rule_set

    parsed = read(args.file)
    tool = args.tool or default_tool(parsed)
    facility_type = args.facility_type or parsed.facility_type or "DH"
    rule_set = seed_rule_set(tool=tool, facility_type=facility_type)
    result = score_workbook(parsed, rule_set=rule_set)
    if args.format == "json":
        print_json(result)
    else:
        from srishti.workbooks.tables import scorecard_table

        print(scorecard_table(result, title=os.path.basename(args.file)))


def cmd_checklist_import(args: argparse.Namespace) -> None:
    from srishti.workbooks.parsed import structure_summary

    # The whole workbook is read before anything is written: what it is (tool, facility
    # type, version) is known only once every sheet has been seen.
    parsed = read(args.file)
    if args.tool:
        parsed.tool = args.tool
    if args.facility_type:
        parsed.facility_type = args.facility_type
    version = None
    if not args.dry_run:
        setup_django()
        from srishti.checklists.services import checklist_version_create, tool_get
        from srishti.workbooks.identity import default_tool

        label = args.version or parsed.version_name or os.path.splitext(
            os.path.basename(args.file))[0]
        version = checklist_version_create(
            parsed=parsed, tool=tool_get(code=default_tool(parsed)),
            facility_type=parsed.facility_type or "DH", label=label,
            source_file=os.path.basename(args.file))
    summary = structure_summary(parsed)
    summary["created"] = None if version is None else {"id": version.pk, "label": version.label}
    if args.format == "json":
        print_json(summary)
        return
    from srishti.workbooks.tables import structure_table

    print(structure_table(summary, dry_run=args.dry_run))


def cmd_checklist_translate(args: argparse.Namespace) -> None:
    """Give a checklist version its content in a second language, from a workbook of the
    same structure or a two-column file; on any mismatch list them and write nothing."""
    pairs_file = os.path.splitext(args.file)[1].lower() == ".csv"
    parsed = None if pairs_file else read(args.file)
    setup_django()
    from srishti.checklists.models import ChecklistVersion
    from srishti.checklists.services import checklist_translations_save
    from srishti.checklists.translations import (
        TranslationMismatch,
        iter_missing,
        match_pairs,
        match_workbook,
        read_pairs,
    )
    from srishti.core.errors import DomainError

    version = ChecklistVersion.objects.filter(pk=args.version).first()
    if version is None:
        raise DomainError(f"no checklist version {args.version}")
    if parsed is None:
        with open(args.file, "rb") as handle:
            content = handle.read()
        match = match_pairs(version, read_pairs(os.path.basename(args.file), content))
    else:
        match = match_workbook(version, parsed)
    if match.mismatches:
        raise TranslationMismatch(match.mismatches)
    missing = sum(1 for _ in iter_missing(version, match))
    if not args.dry_run:
        checklist_translations_save(version=version, language=args.language,
                                    translations=match.translations)
    print(f"checklist {version}: {len(match.translations)} texts in {args.language}"
          f"{' (dry run: nothing written)' if args.dry_run else ''}; {missing} left in the "
          f"checklist's own language")


def cmd_assessment_import(args: argparse.Namespace) -> None:
    parsed = read(args.file)
    setup_django()
    from django.utils.timezone import localdate

    from srishti.assessments.workbook_import import assessment_import
    from srishti.geography.selectors import facility_find

    facility = facility_find(name_or_nin=args.facility)
    result = assessment_import(parsed, facility=facility, tool=args.tool, kind=args.type,
                               start_date=args.date or localdate(), label=args.version,
                               new_version=args.new_version)
    from srishti.audit.models import AuditKind
    from srishti.audit.services import event_record

    event_record(kind=AuditKind.IMPORT, username="(command line)",
                 state_id=facility.district.state_id,
                 summary=f"assessment {result.assessment.pk} of {facility.name} from "
                         f"{os.path.basename(args.file)}: {result.responses} answers")
    score = result.assessment.score
    print(f"assessment {result.assessment.pk} of {facility.name}: {result.responses} responses; "
          f"checklist {result.version} ({'created' if result.version_created else 'reused'}); "
          f"overall {score.overall:.2f}% ({score.rule})" if score.overall is not None else
          f"assessment {result.assessment.pk}: {result.responses} responses, no score")
    if result.differences:
        print(f"{result.differences} texts of the workbook differ from checklist "
              f"{result.version}; they are listed on the assessment (--new-version makes a "
              f"version of this workbook instead)")


def cmd_facilities_import(args: argparse.Namespace) -> None:
    from pathlib import Path

    setup_django()
    from srishti.geography.services import facilities_import_csv

    result = facilities_import_csv(path=Path(args.file), state_name=args.state,
                                   progress=sys.stderr.isatty())
    print(f"{result.created} facilities created, {result.existing} already present, "
          f"{result.districts} districts"
          + (f", {result.divisions} divisions" if result.divisions else "")
          + (f", {result.blocks} blocks" if result.blocks else ""))


def cmd_demo(args: argparse.Namespace) -> None:
    setup_django()
    from srishti.demo.load import demo_load, demo_logins

    print(demo_load(progress=sys.stderr.isatty()))
    print(demo_logins())


def cmd_createadmin(args: argparse.Namespace) -> None:
    import getpass

    setup_django()
    from srishti.accounts.services import admin_create

    # Typed at the terminal, never an argument: arguments end up in the shell's history
    # and in the process list. Piped in (one line) for scripted set-ups.
    if sys.stdin.isatty():
        password = getpass.getpass("Password for the administrator: ")
        if getpass.getpass("The same password again: ") != password:
            raise BadInput("the two passwords differ; nothing was created")
    else:
        password = sys.stdin.readline().rstrip("\n")
    person = admin_create(username=args.username, email=args.email, password=password)
    print(f"administrator {person.username} created; they choose a new password at their "
          "first log-in")


def cmd_worker(args: argparse.Namespace) -> None:
    setup_django()
    from django.core.management import call_command

    # Makes the files and sends the messages pages have queued (django-tasks, database
    # backend); --batch stops when nothing is left, for cron or a test.
    call_command("db_worker", queue_name="*", batch=args.batch, reload=False,
                 startup_delay=not args.batch, interval=1)


def _bars():
    """A tqdm bar per step of a backup or restore (shown on a terminal only)."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def progress(what: str, n: int) -> None:
        if what not in bars:
            bars[what] = tqdm(desc=what, unit=" " + what, disable=not sys.stderr.isatty())
        bars[what].update(n)

    return progress, bars


def cmd_serve(args: argparse.Namespace) -> None:
    """The web server and the background worker together, stopped together (Ctrl-C)."""
    import signal
    import subprocess

    srishti = [sys.executable, "-m", "srishti.cli"]
    worker = subprocess.Popen([*srishti, "worker"])
    if args.dev:
        server = [*srishti, "manage", "runserver", args.bind]
    else:
        # As in production (docs/deploy.md), without the proxy in front.
        server = [sys.executable, "-m", "gunicorn", "srishti.config.wsgi",
                  "--bind", args.bind, "--workers", "2", "--threads", "4",
                  "--access-logfile", "-"]
    web = subprocess.Popen(server)
    try:
        web.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def cmd_backup(args: argparse.Namespace) -> None:
    from pathlib import Path

    setup_django()
    from django.conf import settings
    from django.utils import timezone

    from srishti.core.backup import backup_create

    path = Path(args.file) if args.file else (
        Path(settings.VAR_DIR) / "backups"
        / f"srishti-{timezone.localtime():%Y%m%d-%H%M%S}.tar")
    path.parent.mkdir(parents=True, exist_ok=True)
    progress, bars = _bars()
    summary = backup_create(path=path, progress=progress)
    for bar in bars.values():
        bar.close()
    print(f"backup {summary.path}: {summary.engine} database, {summary.rows} rows, "
          f"{summary.files} stored files, {summary.bytes / 1e6:.1f} MB")


def cmd_restore(args: argparse.Namespace) -> None:
    from pathlib import Path

    setup_django()
    from srishti.core.backup import backup_restore, read_manifest

    manifest = read_manifest(Path(args.file))
    if not args.yes:
        if not sys.stdin.isatty():
            raise BadInput("restore replaces the database and every stored file: "
                           "add --yes to confirm")
        answer = input(f"Replace the database and the stored files by the backup of "
                       f"{manifest['created']}? Type yes: ")
        if answer.strip().lower() != "yes":
            raise BadInput("nothing restored")
    progress, bars = _bars()
    summary = backup_restore(path=Path(args.file), progress=progress)
    for bar in bars.values():
        bar.close()
    print(f"restored {summary.path}: {summary.rows} rows, {summary.files} stored files; "
          "both checked against the backup")


def cmd_manage(args: argparse.Namespace) -> None:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["srishti manage", *args.rest])


class _Parser(argparse.ArgumentParser):
    """argparse's parser, measuring the terminal with `os` rather than `shutil`, whose
    import (with bz2 and lzma) would be ~2 ms of every command, on every `add_argument`."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        try:
            columns = int(os.environ["COLUMNS"])
        except (KeyError, ValueError):
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (AttributeError, ValueError, OSError):
                columns = 80
        return self.formatter_class(prog=self.prog, width=max(columns - 2, 20))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="srishti", description=(
        "Srishti: NQAS, Kayakalp and LaQshya checklists, assessments and certification."))
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("scorecard", help="score a filled workbook without touching the database")
    p.add_argument("file")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--tool", choices=TOOLS, type=str.upper,
                   help="override the tool the workbook says it is")
    p.add_argument("--facility-type", choices=FACILITY_TYPES,
                   help="selects the certification rule set (default: as the workbook "
                        "says, else DH)")
    p.set_defaults(func=cmd_scorecard)

    checklist = sub.add_parser("checklist", help="the checklist library").add_subparsers(
        dest="action", required=True)
    p = checklist.add_parser("import", help="create a checklist version from a workbook")
    p.add_argument("file")
    p.add_argument("--tool", choices=TOOLS, type=str.upper,
                   help="override the tool the workbook says it is (NQAS, LaQshya, MusQan, "
                        "Kayakalp)")
    p.add_argument("--facility-type", choices=FACILITY_TYPES,
                   help="override the facility type the workbook says (default DH)")
    p.add_argument("--version", help="version label (default: the version the workbook "
                                     "names, else the file name)")
    p.add_argument("--dry-run", action="store_true", help="read and report; write nothing")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_checklist_import)
    p = checklist.add_parser(
        "translate", help="add a checklist version's content in a second language, from a "
                          "workbook of the same structure (.xlsx) or a two-column .csv file "
                          "(the text, its translation)")
    p.add_argument("version", type=int, help="the checklist version's id")
    p.add_argument("file")
    p.add_argument("--language", default="hi", choices=["hi"])
    p.add_argument("--dry-run", action="store_true", help="match and report; write nothing")
    p.set_defaults(func=cmd_checklist_translate)

    assessment = sub.add_parser("assessment", help="assessments").add_subparsers(
        dest="action", required=True)
    p = assessment.add_parser("import", help="create an assessment from a filled workbook")
    p.add_argument("file")
    p.add_argument("--facility", required=True, help="facility name or NIN")
    p.add_argument("--type", choices=ASSESSMENT_TYPES, default="internal")
    p.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD (default today)")
    p.add_argument("--tool", choices=TOOLS, type=str.upper)
    p.add_argument("--version", help="label for the checklist version if one is created")
    p.add_argument("--new-version", action="store_true",
                   help="create a checklist version from this workbook even when one of the "
                        "same structure exists (its text differences are otherwise listed "
                        "on the assessment)")
    p.set_defaults(func=cmd_assessment_import)

    facilities = sub.add_parser("facilities", help="master data").add_subparsers(
        dest="action", required=True)
    p = facilities.add_parser("import", help="load facilities from a CSV file "
                              "(columns district, facility_type, facility_name; "
                              "optionally division and block)")
    p.add_argument("file")
    p.add_argument("--state", default="Bihar")
    p.set_defaults(func=cmd_facilities_import)

    from srishti.indicators.cli import add_commands as add_indicator_commands

    add_indicator_commands(sub)

    p = sub.add_parser("demo", help="load the demo data (idempotent)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("backup", help="copy the database and every stored file into "
                       "one archive (default var/backups/srishti-DATE.tar)")
    p.add_argument("file", nargs="?")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database and the stored files by a "
                       "backup's (stop the app and the worker first)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("serve", help="serve the app (gunicorn) with its background worker")
    p.add_argument("--bind", default="127.0.0.1:8000", help="address:port (default %(default)s)")
    p.add_argument("--dev", action="store_true",
                   help="Django's development server, reloading on changes")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run the background jobs (PDFs, exports, notices)")
    p.add_argument("--batch", action="store_true", help="stop when the queue is empty")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("createadmin", help="create the first administrator; the password "
                       "is typed at the prompt and must be changed at the first log-in")
    p.add_argument("username")
    p.add_argument("--email", default="")
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("manage", help="run a Django management command (migrate, runserver, ...)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from srishti.core.errors import DomainError
    from srishti.workbooks.parsed import WorkbookError

    try:
        args.func(args)
    except WorkbookError as exc:
        from srishti.workbooks.refusal import NOT_A_WORKBOOK, not_a_workbook

        reason = f"{exc.file}: {NOT_A_WORKBOOK}" if not_a_workbook(exc, exc.file) else exc
        print(f"srishti: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (DomainError, BadInput) as exc:
        print(f"srishti: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    return 0


def run() -> None:
    """The `srishti` console script."""
    sys.exit(main())


if __name__ == "__main__":
    run()
