"""Benchmark 1: importing the real DH workbook into a fresh database.

Each run, for each workbook (filled Anuppur, blank DH; 18 sheets, ~6,500 checkpoints):

* baseline, the bare parse: python-calamine opens the file and turns every sheet into
  Python lists (`CalamineWorkbook.from_path(p)`, `.to_python()` per sheet), nothing else,
  in this one process;
* for scale, the same bare parse split over as many processes as the import uses (forked
  children parse shares of the sheets and send back only a count): the floor of any
  reader that uses the same processors;
* the import as `srishti checklist import FILE` does it: `read_workbook(p, processes=N)`
  (the whole workbook read first: what it is is known only once every sheet is seen),
  then `checklist_import(parsed, tool=None, facility_type="DH", label=...)`, into a
  freshly migrated database (a copy of a
  migrated SQLite file, or a PostgreSQL database cloned from a migrated template),
  committed;
* for reference, the import in one process: `read_workbook(p)`, then the same
  `checklist_import` of the whole parsed workbook.

Target: import <= 1.5 x bare parse (median over the runs, same process, interleaved).

    .venv/bin/python -m bench.import_bench [--database sqlite|postgresql] [--runs 7] [--json]
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    DH_BLANK,
    DH_FILLED,
    POSTGRES_URL,
    emit,
    migrate,
    postgres_databases,
    postgres_version,
    progress,
    ratio,
    setup_django,
    skipped,
    summary,
    timed,
)

TARGET_RATIO = 1.5
TEMPLATE_DB = "srishti_bench"
RUN_DB = "srishti_bench_run"


def bare_parse(path: Path) -> int:
    """The fastest way to get every cell of the workbook into Python: the baseline."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)


def bare_parse_split(path: Path, processes: int) -> int:
    """The bare parse shared by `processes` processes (equal shares, counts sent back)."""
    from python_calamine import CalamineWorkbook

    from srishti.workbooks.forked import Forked

    with open(path, "rb") as f:
        book = CalamineWorkbook.from_filelike(io.BytesIO(f.read()))
    with Forked(list(book.sheet_names),
                lambda name: len(book.get_sheet_by_name(name).to_python()),
                children=processes - 1, parent_weight=1.0, encode=int, decode=int) as counts:
        return sum(counts)


def reading_processes() -> int:
    from srishti.cli import reading_processes

    return reading_processes()


def import_once(path: Path, label: str) -> dict[str, Any]:
    """Import one workbook as `srishti checklist import` does, committed; seconds of the
    bulk inserts and of the commit, and the checkpoints.

    The import runs inside one outer transaction so that its commit can be timed on its
    own (checklist_version_create's own atomic block becomes a savepoint). The bulk
    inserts are timed by wrapping the real `insert_rows`, under both names the service
    reaches it by (directly, and through `insert_new_rows`).
    """
    from django.db import transaction

    import srishti.checklists.services as services
    import srishti.core.bulk as bulk
    from srishti.core.collector import collector_paused
    from srishti.workbooks.importers import checklist_import
    from srishti.workbooks.reader import read_workbook

    inserts = [0.0]
    real_insert_rows = services.insert_rows

    def timed_insert_rows(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_insert_rows(*args, **kwargs)
        finally:
            inserts[0] += time.perf_counter() - start

    services.insert_rows = bulk.insert_rows = timed_insert_rows
    try:
        with transaction.atomic():
            with collector_paused():
                parsed = read_workbook(path, processes=reading_processes())
                summary_, version = checklist_import(parsed, tool=None, facility_type="DH",
                                                     label=label)
            written = time.perf_counter()
    finally:
        services.insert_rows = bulk.insert_rows = real_insert_rows
    done = time.perf_counter()
    assert version is not None
    return {"inserts": inserts[0], "commit": done - written,
            "checkpoints": summary_["checkpoints"]}


def import_in_one_process(path: Path, label: str) -> None:
    """The import without child processes: read the whole workbook, then write it."""
    from srishti.workbooks.importers import checklist_import
    from srishti.workbooks.reader import read_workbook

    checklist_import(read_workbook(path), tool=None, facility_type="DH", label=label)


def measure(paths: list[Path], *, runs: int, fresh_database: Callable[[], None],
            database: str) -> dict[str, Any]:
    """Interleave parse and import runs of each workbook; figures per workbook."""
    from django.db import connection

    processes = reading_processes()
    results = []
    for path in paths:
        series: dict[str, list[float]] = {
            k: [] for k in ("parse", "parse_split", "import", "inserts", "commit", "one_process")}
        checkpoints = sheets = 0
        bare_parse(path)  # warm the file cache and the native library, untimed
        for i in progress(range(runs), desc=f"import {path.name} ({database})"):
            seconds, sheets = timed(lambda p=path: bare_parse(p))
            series["parse"].append(seconds)
            seconds, _ = timed(lambda p=path: bare_parse_split(p, processes))
            series["parse_split"].append(seconds)
            fresh_database()
            connection.ensure_connection()  # opening the file/socket is not the import
            seconds, parts = timed(lambda p=path, n=i: import_once(p, label=f"bench-{n}"))
            checkpoints = parts["checkpoints"]
            series["import"].append(seconds)
            series["inserts"].append(parts["inserts"])
            series["commit"].append(parts["commit"])
            fresh_database()
            connection.ensure_connection()
            seconds, _ = timed(lambda p=path, n=i: import_in_one_process(p, label=f"one-{n}"))
            series["one_process"].append(seconds)
        figures = {name: summary(values) for name, values in series.items()}
        parse, total = figures["parse"], figures["import"]
        results.append({
            "workbook": path.name,
            "checkpoints": checkpoints,
            "rows_parsed": sheets,
            "processes": processes,
            "bare_parse": parse,
            "bare_parse_split": figures["parse_split"],
            "import": total,
            "bulk_inserts": figures["inserts"],
            "commit": figures["commit"],
            "import_one_process": figures["one_process"],
            "ratio": ratio(total["median_ms"], parse["median_ms"]),
            "ratio_one_process": ratio(figures["one_process"]["median_ms"], parse["median_ms"]),
            "ratio_to_split_parse": ratio(total["median_ms"],
                                          figures["parse_split"]["median_ms"]),
            "target_ratio": TARGET_RATIO,
            "passed": total["median_ms"] <= TARGET_RATIO * parse["median_ms"],
        })
    return {"database": database, "results": results}


def run_sqlite(paths: list[Path], runs: int) -> dict[str, Any]:
    var = Path(tempfile.mkdtemp(prefix="srishti-bench-"))
    try:
        setup_django(var)
        from django.db import connection

        migrate()
        template = var / "template.sqlite3"
        connection.close()  # the last close folds the WAL back into the file
        shutil.copyfile(var / "srishti.sqlite3", template)
        counter = iter(range(10**6))

        def fresh_database() -> None:
            connection.close()
            old = Path(connection.settings_dict["NAME"])
            new = var / f"run-{next(counter)}.sqlite3"
            shutil.copyfile(template, new)
            connection.settings_dict["NAME"] = str(new)
            if old.name.startswith("run-"):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{old}{suffix}").unlink(missing_ok=True)

        result = measure(paths, runs=runs, fresh_database=fresh_database, database="sqlite")
        connection.close()
        return result
    finally:
        shutil.rmtree(var, ignore_errors=True)


def run_postgresql(paths: list[Path], runs: int, admin_url: str) -> dict[str, Any]:
    if postgres_version(admin_url) is None:
        return skipped(f"PostgreSQL is not reachable at {admin_url}")
    var = Path(tempfile.mkdtemp(prefix="srishti-bench-"))
    try:
        with postgres_databases(admin_url) as server:
            url = server.create(TEMPLATE_DB)
            setup_django(var, database_url=url)
            from django.db import connection

            migrate()
            connection.close()

            def fresh_database() -> None:
                connection.close()
                server.create(RUN_DB, template=TEMPLATE_DB)
                connection.settings_dict["NAME"] = RUN_DB

            result = measure(paths, runs=runs, fresh_database=fresh_database,
                             database="postgresql")
            connection.close()
            return result
    finally:
        shutil.rmtree(var, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres-url", default=POSTGRES_URL,
                        help="an existing database to create the throwaway ones from")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    paths = [p for p in (DH_FILLED, DH_BLANK) if p.is_file()]
    if not paths:
        result = skipped(f"the reference workbooks are not in {DH_FILLED.parent}")
    elif args.database == "sqlite":
        result = run_sqlite(paths, args.runs)
    else:
        result = run_postgresql(paths, args.runs, args.postgres_url)
    result.setdefault("database", args.database)
    if args.json:
        emit(result)
    else:
        from bench.report import import_table

        print(import_table([result]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
