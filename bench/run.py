"""`make bench`: run the three core benchmarks, print their tables; --write rewrites
docs/benchmarks.md.

1. import of the real DH workbook into a fresh database vs the bare parse (SQLite, and
   PostgreSQL when reachable): bench/import_bench.py
2. scoring a whole DH assessment from the database: bench/scoring_bench.py
3. `srishti scorecard` as a process vs LibreOffice recalculating: bench/scorecard_bench.py

Each runs in its own process with its own Django settings (temporary SRISHTI_VAR, DEBUG
off), so the user's database is never touched. Missing reference workbooks, PostgreSQL
or LibreOffice skip the part that needs them, with a message.

    .venv/bin/python bench/run.py [--write] [--quick] [--only import scoring scorecard]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import report  # noqa: E402 - needs the repository on sys.path first
from bench.common import POSTGRES_URL, load_average, machine  # noqa: E402

DOC = REPO / "docs" / "benchmarks.md"
PARTS = ("import", "scoring", "scorecard")


def child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m bench.<module> --json ARGS`; its JSON, or the error it died of."""
    cmd = [sys.executable, "-m", f"bench.{module}", "--json", *args]
    # stderr goes straight to the terminal: progress bars and warnings stay visible.
    proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {"error": f"`{' '.join(cmd[1:])}` exited with status {proc.returncode}"}
    return json.loads(lines[-1])


def analysis(data: dict[str, Any]) -> str:
    """Why a missed target was missed, from the figures of this run."""
    notes = []
    for result in data.get("import", []):
        for r in result.get("results", []):
            if r["passed"]:
                continue
            parse = r["bare_parse"]["median_ms"]
            read = r["read_workbook"]["median_ms"]
            db = r["database_writes"]["median_ms"]
            room = 1.5 * parse - read
            notes.append(
                f"- Import, {r['workbook']} on {result['database']}: "
                f"{r['ratio']:.2f}x the bare parse. `read_workbook` alone is "
                f"{read / parse:.2f}x the parse (it parses with the same library, then "
                f"reads the tables in Python), which leaves {max(room, 0):,.0f} ms for the "
                f"database within 1.5x; the writes take {db:,.0f} ms.")
    if any(not r.get("passed", True) for res in data.get("import", [])
           for r in res.get("results", [])):
        notes.append(
            "- Where the database time goes (cProfile of `checklist_import`): almost all "
            "of it is now the database's own work, the `executemany` of ~13,600 rows "
            "into five tables carrying twelve indexes (the checkpoint table alone has "
            "five: version, department, standard, measurable element, and (version, "
            "department, order)) plus the commit; the Python side (structure hash, "
            "building rows, reading back the ids of standards and MEs) is a small "
            "part. Before the rewrite of `_create_hierarchy` (plain rows through "
            "`srishti.core.bulk.insert_rows` instead of model instances and "
            "`bulk_create`), Django's per-field preparation of those rows made the "
            "database part about 8x longer. What is left could shrink with fewer "
            "indexes on `checklists_checkpoint` (the single-column `version` index is "
            "a prefix of the composite one), or by making the reader itself cheaper; "
            "neither is a change to the import code.")
    for result in data.get("scoring", []):
        for name, passed in (result.get("passed") or {}).items():
            if not passed:
                f = result["figures"][name]
                notes.append(
                    f"- Scoring ({result['database']}), {name}: p95 "
                    f"{f['p95_ms']:.1f} ms, median {f['median_ms']:.1f} ms; "
                    "see the fetch and engine rows for the split.")
    sc = data.get("scorecard") or {}
    if sc.get("passed") is False:
        ph = sc["phases"]
        notes.append(
            f"- `srishti scorecard` is {sc['speedup']:.1f}x faster than LibreOffice, "
            f"short of 15x. Inside the process: imports "
            f"{ph['import_cli_ms'] + ph['import_reader_scoring_ms']:.0f} ms, "
            f"read_workbook {ph['read_workbook_ms']:.0f} ms, scoring "
            f"{ph['score_ms']:.0f} ms, JSON {ph['json_ms']:.0f} ms; the rest of the wall "
            "time is the interpreter starting. Django is "
            + ("imported (it must not be)." if ph["django_imported"] else "not imported."))
    return "\n".join(notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the core benchmarks.")
    parser.add_argument("--write", action="store_true", help=f"rewrite {DOC.relative_to(REPO)}")
    parser.add_argument("--quick", action="store_true",
                        help="few runs: checks that everything works, figures are rough")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--postgres-url", default=POSTGRES_URL,
                        help="an existing PostgreSQL database to create throwaway ones from")
    args = parser.parse_args(argv)

    import_runs, scoring_runs, scorecard_runs = (2, 5, 1) if args.quick else (7, 30, 5)
    pg = ["--postgres-url", args.postgres_url]
    data: dict[str, Any] = {"machine": machine()}
    if "import" in args.only:
        data["import"] = [
            child("import_bench", "--database", "sqlite", "--runs", str(import_runs)),
            child("import_bench", "--database", "postgresql", "--runs", str(import_runs),
                  *pg),
        ]
        print("\n1. Import of the DH workbook\n\n" + report.import_table(data["import"]))
    if "scoring" in args.only:
        data["scoring"] = [
            child("scoring_bench", "--database", "sqlite", "--runs", str(scoring_runs)),
            child("scoring_bench", "--database", "postgresql", "--runs", str(scoring_runs),
                  *pg),
        ]
        print("\n2. Scoring a DH assessment\n\n" + report.scoring_table(data["scoring"]))
    if "scorecard" in args.only:
        data["scorecard"] = child("scorecard_bench", "--runs", str(scorecard_runs))
        print("\n3. srishti scorecard vs LibreOffice\n\n"
              + report.scorecard_table(data["scorecard"]))
    data["machine"]["load_average_end"] = load_average()
    notes = analysis(data)
    if notes:
        print("\nTargets missed:\n" + notes)
    if args.write:
        command = ".venv/bin/python bench/run.py --write" + (" --quick" if args.quick else "")
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(report.document(data, command=command, analysis=notes))
        print(f"\nwrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
