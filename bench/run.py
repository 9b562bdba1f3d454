"""`make bench`: run the three core benchmarks, print their tables; --write rewrites
docs/benchmarks.md.

Also: the offline capture (bench/offline_bench.py), the capture page
(bench/capture_page.py), the dashboards at Bihar scale (bench/dashboard_bench.py) and the
path to certification against the engine (bench/planner_bench.py) and an AAM-SC
assessment scored from the database (bench/aam_sc_bench.py), each with its own
section of the doc.

1. import of the real DH workbook into a fresh database vs the bare parse (SQLite, and
   PostgreSQL when reachable): bench/import_bench.py
2. scoring a whole DH assessment from the database: bench/scoring_bench.py
3. `srishti scorecard` as a process vs LibreOffice recalculating: bench/scorecard_bench.py

Each runs in its own process with its own Django settings (temporary SRISHTI_VAR, DEBUG
off), so the user's database is never touched. Missing reference workbooks, PostgreSQL
or LibreOffice skip the part that needs them, with a message.

    .venv/bin/python bench/run.py [--write] [--quick] [--only import scoring scorecard]
                                  [--wait-quiet SECONDS]
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import report  # noqa: E402 - needs the repository on sys.path first
from bench.common import (  # noqa: E402
    POSTGRES_URL,
    load_average,
    machine,
    read_doc_section,
    wait_for_quiet,
    write_doc_section,
)

DOC = REPO / "docs" / "benchmarks.md"
PARTS = ("import", "scoring", "scorecard", "offline", "capture", "dashboards", "planner",
         "aam_sc")
# Benchmarks that write their own section of the doc: part -> module in bench/.
SECTIONS = {"capture": "capture_page", "dashboards": "dashboard_bench",
            "planner": "planner_bench", "aam_sc": "aam_sc_bench"}
# Run on their own (minutes each, not part of PARTS), their sections kept on a rewrite.
SEPARATE = {"load": "load_bench"}
OWN_SECTIONS = {"offline": "offline_bench", **SECTIONS, **SEPARATE}


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
            commit = r["commit"]["median_ms"]
            notes.append(
                f"- Import, {r['workbook']} on {result['database']}: {r['ratio']:.2f}x the "
                f"bare parse ({r['import']['median_ms']:,.0f} ms against {parse:,.0f} ms). "
                f"Of it, {commit:,.0f} ms is the commit and "
                f"{r['bulk_inserts']['median_ms']:,.0f} ms the bulk inserts (the SQL "
                f"itself). Without the commit the import would be "
                f"{(r['import']['median_ms'] - commit) / parse:.2f}x the parse.")
    if any(not r["passed"] for res in data.get("import", []) if res.get("database") == "postgresql"
           for r in res.get("results", [])):
        notes.append(
            "- On PostgreSQL the commit is the server flushing its write-ahead log to disk "
            "(synchronous_commit=on), ~10 MB for a district hospital's checklist: the "
            "disk's speed, which no change to the import removes short of giving up "
            "durability. The bulk inserts are COPY, with the server's own work (rows, "
            "indexes) competing for the same processors as the reading.")
    for result in data.get("scoring", []):
        for name, passed in (result.get("passed") or {}).items():
            if not passed:
                f = result["figures"][name]
                why = ("the median is within the target, so the slow runs are outliers: "
                       "on a shared machine, compare the load average"
                       if f["median_ms"] < result["target_ms"] else
                       "see the fetch and engine rows for the split")
                notes.append(
                    f"- Scoring ({result['database']}), {name}: p95 {f['p95_ms']:.1f} ms, "
                    f"median {f['median_ms']:.1f} ms (CPU of this process "
                    f"{f['cpu_median_ms']:.1f} ms); {why}.")
    sc = data.get("scorecard") or {}
    if sc.get("passed") is False:
        ph = sc["phases"]
        f = sc["figures"]
        start = f["python_startup"]["median_ms"]
        lo = f["libreoffice_recalc"]["median_ms"]
        notes.append(
            f"- `srishti scorecard` is {sc['speedup']:.1f}x faster than LibreOffice "
            f"(wall; {sc['cpu_speedup']:.1f}x in CPU time), short of 15x; LibreOffice "
            f"takes {lo:,.0f} ms here. Inside the srishti process: imports "
            f"{ph['import_cli_ms'] + ph['import_reader_scoring_ms']:.0f} ms, reading "
            f"{ph['read_workbook_ms']:.0f} ms, scoring {ph['score_ms']:.0f} ms, JSON "
            f"{ph['json_ms']:.0f} ms; the interpreter's start is {start:.0f} ms; the bare "
            f"calamine parse in one process takes {ph['bare_parse_ms']:.0f} ms. Django is "
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
    parser.add_argument("--wait-quiet", type=float, default=120, metavar="SECONDS",
                        help="before each part, wait up to this long for the machine's "
                        "load to fall below 0.75 x cores (default 120; 0: do not wait)")
    args = parser.parse_args(argv)

    def quiet() -> None:
        if args.wait_quiet > 0 and not wait_for_quiet(args.wait_quiet):
            print(f"(the machine is busy: load {load_average()}; measuring anyway)",
                  file=sys.stderr)

    import_runs, scoring_runs, scorecard_runs = (2, 5, 1) if args.quick else (7, 30, 5)
    pg = ["--postgres-url", args.postgres_url]
    data: dict[str, Any] = {"machine": machine()}
    if "import" in args.only:
        quiet()
        data["import"] = [
            child("import_bench", "--database", "sqlite", "--runs", str(import_runs))]
        quiet()
        data["import"].append(child("import_bench", "--database", "postgresql", "--runs",
                                    str(import_runs), *pg))
        print("\n1. Import of the DH workbook\n\n" + report.import_table(data["import"]))
    if "scoring" in args.only:
        quiet()
        data["scoring"] = [
            child("scoring_bench", "--database", "sqlite", "--runs", str(scoring_runs))]
        quiet()
        data["scoring"].append(child("scoring_bench", "--database", "postgresql", "--runs",
                                     str(scoring_runs), *pg))
        print("\n2. Scoring a DH assessment\n\n" + report.scoring_table(data["scoring"]))
    if "scorecard" in args.only:
        quiet()
        data["scorecard"] = child("scorecard_bench", "--runs", str(scorecard_runs))
        print("\n3. srishti scorecard vs LibreOffice\n\n"
              + report.scorecard_table(data["scorecard"]))
    if "offline" in args.only:  # bench/offline_bench.py, with its own section of the doc
        from bench import offline_bench

        quiet()
        data["offline"] = offline_bench.run_all(2 if args.quick else 7, args.postgres_url)
        print("\n4. Offline capture\n\n"
              + offline_bench.section(data["offline"], "bench/run.py --only offline"))
    sections = {}
    for part, module in SECTIONS.items():
        if part in args.only:
            quiet()
            result = child(module, "--runs", "5" if args.quick else "30")
            bench_module = importlib.import_module(f"bench.{module}")
            text = bench_module.section(result, f"bench/run.py --only {part}")
            sections[part] = (bench_module, text)
            print("\n" + text)
    data["machine"]["load_average_end"] = load_average()
    notes = analysis(data)
    if notes:
        print("\nTargets missed:\n" + notes)
    if args.write:
        command = ".venv/bin/python bench/run.py --write" + (" --quick" if args.quick else "")
        if set(args.only) != set(PARTS):
            command += " --only " + " ".join(args.only)
        DOC.parent.mkdir(parents=True, exist_ok=True)
        # Sections of the parts not run this time are kept as they were.
        kept = {part: read_doc_section(importlib.import_module(f"bench.{module}").HEADING)
                for part, module in OWN_SECTIONS.items() if part not in args.only}
        DOC.write_text(report.document(data, command=command, analysis=notes))
        for part in OWN_SECTIONS:
            if kept.get(part):
                with DOC.open("a") as doc:
                    doc.write("\n" + kept[part])
            elif part == "offline" and "offline" in data:
                offline_bench.write_section(offline_bench.section(data["offline"], command))
            elif part in sections:
                module, text = sections[part]
                write_doc_section(module.HEADING, text)
        print(f"\nwrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
