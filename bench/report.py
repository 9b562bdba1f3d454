"""Turn the benchmarks' JSON figures into terminal tables and docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table (also readable as plain text in a terminal)."""
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
             for r in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "PASS" if value else "FAIL"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 10 else f"{value:.2f}"
    return "" if value is None else str(value)


def _ms(figure: dict[str, float], key: str = "median_ms") -> str:
    value = figure[key]
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _skipped(result: dict[str, Any], name: str) -> str | None:
    if "skipped" in result:
        return f"{name}: skipped, {result['skipped']}."
    if "error" in result:
        return f"{name}: failed, {result['error']}"
    return None


# --------------------------------------------------------------------------- tables

def import_table(results: list[dict[str, Any]]) -> str:
    out, rows = [], []
    for result in results:
        note = _skipped(result, f"import ({result.get('database', '?')})")
        if note:
            out.append(note)
            continue
        for r in result["results"]:
            rows.append([
                result["database"], r["workbook"], r["checkpoints"],
                _ms(r["bare_parse"]), _ms(r["import"]),
                _ms(r["bulk_inserts"]), _ms(r["commit"]),
                f"{r['ratio']:.2f}x", f"<= {r['target_ratio']}x", r["passed"],
            ])
    if rows:
        out.insert(0, _table(
            ["database", "workbook", "checkpoints", "bare parse (baseline)", "import",
             "of which inserts", "of which commit", "import / bare parse", "target",
             "result"], rows))
    return "\n\n".join(out)


SCORING_LABELS = {
    "baseline_get": "baseline: Assessment.objects.get(pk)",
    "engine_only": "engine alone, in-memory input",
    "fetch": "fetch_checkpoint_scores",
    "scorecard": "assessment_scorecard (fetch + engine)",
    "rescore": "assessment_rescore, one answer changed (fetch + engine + store)",
    "rescore_all_rows": "assessment_rescore writing all score rows",
}


def scoring_table(results: list[dict[str, Any]]) -> str:
    out, rows = [], []
    for result in results:
        note = _skipped(result, f"scoring ({result.get('database', '?')})")
        if note:
            out.append(note)
            continue
        for name, label in SCORING_LABELS.items():
            f = result["figures"][name]
            passed = result["passed"].get(name)
            rows.append([
                result["database"], label, _ms(f), _ms(f, "p95_ms"), _ms(f, "cpu_median_ms"),
                f"{result['ratios'][name]['vs_get']:.1f}x",
                f"{result['ratios'][name]['vs_engine']:.2f}x",
                f"p95 < {result['target_ms']:.0f} ms" if passed is not None else "",
                passed,
            ])
    if rows:
        out.insert(0, _table(["database", "measurement", "median", "p95",
                              "median CPU (this process)", "x get", "x engine", "target",
                              "result"], rows))
    return "\n\n".join(out)


SCORECARD_LABELS = {
    "srishti": "srishti scorecard FILE --format json",
    "libreoffice_recalc": "LibreOffice: load, recalculate all, save (baseline)",
    "srishti_no_bytecode_cache": "srishti scorecard, no bytecode cache",
    "libreoffice_default": "LibreOffice: load, save (default: no recalculation)",
    "python_startup": "python -c pass (the interpreter starting)",
}


def scorecard_table(result: dict[str, Any]) -> str:
    note = _skipped(result, "scorecard")
    if note:
        return note
    rows = []
    for name, label in SCORECARD_LABELS.items():
        f = result["figures"].get(name)
        if f:
            rows.append([label, f["runs"], _ms(f), _ms(f, "p95_ms"), _ms(f, "min_ms"),
                         _ms(f, "cpu_median_ms")])
    out = [_table(["process", "runs", "median", "p95", "min", "median CPU"], rows)]
    if "speedup" in result:
        out.append(
            f"speed-up over LibreOffice recalculating: {result['speedup']:.1f}x "
            f"(target >= {result['target_speedup']:.0f}x): "
            f"{'PASS' if result['passed'] else 'FAIL'}; over a plain LibreOffice "
            f"load+save: {result['speedup_vs_default']:.1f}x; in CPU time (recalculating): "
            f"{result['cpu_speedup']:.1f}x")
    else:
        out.append(result.get("libreoffice_skipped", ""))
    phases = result["phases"]
    out.append(
        "inside the srishti process: import srishti.cli {import_cli_ms:.0f} ms, reader and "
        "scoring modules {import_reader_scoring_ms:.0f} ms, reading the workbook "
        "{read_workbook_ms:.0f} ms, score {score_ms:.0f} ms, "
        "JSON {json_ms:.0f} ms (for scale: the bare calamine parse of the file in one "
        "process, {bare_parse_ms:.0f} ms); Django imported: {django}".format(
            django="yes (it must not be)" if phases["django_imported"] else "no", **phases))
    return "\n\n".join(out)


# --------------------------------------------------------------------------- document

def _machine(m: dict[str, Any]) -> str:
    load, load_end = m.get("load_average"), m.get("load_average_end")
    rows = [
        ["CPU", f"{m['cpu']}, {m['cores']} cores"],
        ["memory", f"{m['memory_gib']} GiB"],
        ["system", m["os"]],
        ["Python", m["python"]],
        ["Django", m["django"]],
        ["SQLite", m["sqlite"]],
        ["PostgreSQL", m["postgresql"] or "not available"],
        ["python-calamine", m["python_calamine"]],
        ["LibreOffice", m["libreoffice"] or "not installed"],
        ["load average at start (1, 5, 15 min)", ", ".join(map(str, load)) if load else "?"],
        ["load average at the end", ", ".join(map(str, load_end)) if load_end else "?"],
    ]
    return _table(["", ""], rows)


def _import_notes(results: list[dict[str, Any]]) -> str:
    lines = [
        "What the numbers include. *Bare parse*: `CalamineWorkbook.from_path(p)` and "
        "`.to_python()` on every sheet in one process, nothing else; the fastest way to "
        "get the cells into Python. *Import*: what `srishti checklist import FILE` does, "
        "in one process: `read_workbook` (the sheets' XML scanned for extents and hidden "
        "rows, every sheet parsed, what the workbook is told from its content), then "
        "`checklist_version_create` of the whole parsed workbook into a freshly migrated database "
        "(a copy of a migrated SQLite file; for PostgreSQL a database cloned from a "
        "migrated template): opening the file, reading, the structure hash, the hierarchy "
        "inserts and the commit, timed as one span (the import runs in one outer "
        "transaction so that the commit can be timed on its own). Each import gets a new "
        "database; runs alternate. Medians; p95 and extremes are in the JSON "
        "(`python -m bench.import_bench --json`).",
    ]
    for result in results:
        if "results" not in result:
            continue
        for r in result["results"]:
            parse = r["bare_parse"]["median_ms"]
            lines.append(
                f"{r['workbook']} on {result['database']}: the import takes "
                f"{r['import']['median_ms']:,.0f} ms, {r['ratio']:.2f}x the bare parse in "
                f"one process ({parse:,.0f} ms); of it, "
                f"{r['bulk_inserts']['median_ms']:,.0f} ms of bulk inserts and "
                f"{r['commit']['median_ms']:,.0f} ms of commit."
            )
    lines.append(
        "~13,600 rows per workbook: 18 departments, 144 areas, 1,259 standards, 5,618 "
        "measurable elements, 6,518 checkpoints.")
    return "\n\n".join(lines)


def document(data: dict[str, Any], *, command: str, analysis: str = "") -> str:
    imports = data.get("import", [])
    scoring = data.get("scoring", [])
    scorecard = data.get("scorecard")
    parts = [
        "# Benchmarks",
        "",
        "Generated by `bench/run.py` (`make bench`); do not edit by hand, rerun instead:",
        "",
        f"    {command}",
        "",
        f"Measured on {dt.datetime.now(dt.UTC).date().isoformat()}. Every target is a ratio to a "
        "baseline measured in the same run (machines are noisy, ratios travel), except "
        "the scoring target, which is an absolute time; its ratios to a trivial query "
        "and to the engine alone are given for scale. Django runs with the base settings "
        "and DEBUG off, on a temporary SRISHTI_VAR; nothing outside temporary "
        "directories and throwaway PostgreSQL databases is touched. The machine may be "
        "shared: its load average, below, says how busy it was; with a load above its "
        "core count, wall times (and p95 most) include waiting for a processor, which "
        "the CPU-time column of the scoring table leaves out.",
        "",
        "## Machine",
        "",
        _machine(data["machine"]),
        "",
        "## 1. Importing the DH workbook into the database",
        "",
        "Target: import (read + database) at most 1.5x the bare parse of the same file.",
        "",
        import_table(imports),
        "",
        _import_notes(imports),
        "",
        "## 2. Scoring a whole DH assessment from the database",
        "",
        "The filled Anuppur workbook imported as an assessment (`assessment_import`), "
        "then each measurement repeated, interleaved, with garbage collected before "
        "each run. Target: under 50 ms, read strictly as p95 < 50 ms.",
        "",
        scoring_table(scoring),
        "",
        _scoring_notes(scoring),
        "",
        "## 3. `srishti scorecard` against LibreOffice recalculating",
        "",
        "Target: srishti at least 15x faster than LibreOffice opening, recalculating and "
        "saving the same workbook.",
        "",
        scorecard_table(scorecard) if scorecard else "not run",
        "",
        _scorecard_notes(scorecard),
    ]
    if analysis:
        parts += ["", "## Targets missed and why", "", analysis]
    parts += ["", "## Optimisations behind these figures", "", OPTIMISATIONS]
    return "\n".join(parts).rstrip() + "\n"


# Measured once when the changes were made (same machine, same run for before and after,
# medians of 5); kept as text because the old code is gone.
OPTIMISATIONS = """\
- `srishti/core/bulk.py` `insert_rows(model, names, rows, **constants)`: inserts plain
  tuples instead of model instances. Column list from the model's fields, constants and
  defaults prepared once per call, timestamps one `now`; multi-row INSERTs (as many rows
  as SQLite's 999 parameters allow) on SQLite, `COPY ... FROM STDIN` on PostgreSQL
  (Django's psycopg cursor binds parameters client-side, so `executemany` there sends
  each row as its own statement: slower than `bulk_create`).
- The checklist hierarchy (`checklists.services._HierarchyWriter`): every level goes in
  through `insert_rows`, with ids reserved beforehand (`core.bulk.reserve_ids`: the
  table's sequence on PostgreSQL; on SQLite the ids after the highest ever used, safe
  under the writing transaction's lock) instead of `bulk_create` for departments and
  areas and a read-back query for standards and MEs (a code repeated in a standard
  still maps to its last ME). Rows written are identical (checked field by field on
  every reference workbook, SQLite and PostgreSQL). Creating the DH version in one
  batch: 616 -> 68 ms on SQLite, 697 -> 201 ms on PostgreSQL, with the first
  `insert_rows` version; the reserved ids took a streamed import (several small
  batches) from ~111 to ~97 ms on SQLite.
- `assessments.services.responses_import`: responses through `insert_rows`, each
  distinct value checked against the levels and prepared once. 6,518 answers with
  their rescore: 313 -> 65 ms (SQLite), 382 -> 112 ms (PostgreSQL).
- `assessments.services.fetch_checkpoint_scores`: the value is cast to a float in SQL
  (no Decimal per row), ordered by checkpoint order only (Response's default ordering
  joined the assessment table for nothing), positional `CheckpointScore` construction.
- `assessments.services.assessment_rescore`: the stored score rows are compared with
  the new figures and only those that moved are written: one `UPDATE ... CASE` for up
  to 50 rows, delete and insert beyond that, new rows through `insert_rows` (a saved
  answer moves five rows; the old code deleted and re-inserted all ~1,200 on every
  save, leaving as many dead rows to vacuum on PostgreSQL). A whole DH rescore, the
  old way: 57 ms (SQLite), 78 ms (PostgreSQL); now see the table above.
- The workbook is read in one process (`srishti/workbooks/reader.py`), before anything
  is written: what it is (tool, facility type, version) is known only once every sheet
  has been seen. The forked readers, the streamed import and the start-up tricks
  (a hand-written zip reader, `os._exit`, the collector switched off in the console
  script, `tuple.__new__` record factories) are gone: they saved tens of milliseconds
  on a command run a few times a year.
- SQLite inserts go through the driver's own connection with `?` placeholders: Django's
  cursor rewrote every `%s` of every 999-parameter statement with a regex, ~10 ms of a
  DH import.
- Tried and dropped: hashing the structure in one `sha256` call over a joined string
  (no faster than 13,000 `update` calls, because of the encoding of the joined text);
  SQLite statements larger than 999 parameters (no faster).

Suggested, outside the files of this work:

- PostgreSQL: after a whole-workbook import into a new or small database the planner
  has no statistics until autovacuum's ANALYZE (within a minute); until then the
  scoring query joins row by row, ~3x slower. An `ANALYZE` of the response table
  after `assessment_import` would remove that window."""


def _scoring_notes(results: list[dict[str, Any]]) -> str:
    done = [r for r in results if "figures" in r]
    if not done:
        return ""
    r = done[0]
    return (
        f"What the numbers include: {r['checkpoints']:,} responses. *fetch*: one query "
        "joining responses to checkpoints, departments, standards and areas, and the "
        "scoring input built from its rows. *assessment_scorecard*: fetch + the pure "
        "engine (`srishti.scoring.engine.score`): what a score page computes. "
        "*assessment_rescore*: the score card, the certification verdict, the stored "
        f"score rows (department, area and standard figures; {r['score_rows']:,} here) "
        "compared with the new figures and those that moved updated, and the "
        "assessment's score row, in one transaction; measured after one answer was "
        "changed in the database (untimed): what every saved answer costs. *writing all "
        "score rows*: the same with none stored beforehand, as after an import. "
        "Assessment import (untimed set-up, one run): "
        + ", ".join(f"{x['assessment_import_ms']:,.0f} ms ({x['database']})" for x in done)
        + "."
    )


def _scorecard_notes(result: dict[str, Any] | None) -> str:
    if not result or "figures" not in result:
        return ""
    lo = result.get("libreoffice") or {}
    lines = [
        "What was measured: the wall time of each whole process, started from Python's "
        "`subprocess` and waited for in a blocking `waitpid` (`subprocess.run` with a "
        "timeout polls with sleeps of up to 50 ms and notices an end that late), output "
        "discarded; the CPU column adds the processes each waited for (LibreOffice's "
        "soffice.bin). srishti: `.venv/bin/srishti scorecard FILE "
        "--format json`, with Python's bytecode cache (kept in a temporary "
        "PYTHONPYCACHEPREFIX, filled by one untimed run); the row without it shows a "
        "first run after install, or a machine with PYTHONDONTWRITEBYTECODE set. "
        "LibreOffice: `soffice -env:UserInstallation=<profile> --headless --norestore "
        "--convert-to xlsx --outdir <tmp> FILE`, the profile (created by one untimed run) "
        "setting Calc > Formula > *Recalculation on File Load* for Excel 2007 and newer "
        "(`/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode`) to 0, *always*: a "
        "hard recalculation of every formula on load, then the save.",
    ]
    if "recalculation_verified" in lo:
        lines.append(
            "Checked in this run: on a copy of the workbook whose first formula's cached "
            "value was replaced by 12345, the conversion with that profile "
            + ("wrote the computed value back (it did recalculate)"
               if lo["recalculation_verified"] else "kept 12345 (it did NOT recalculate)")
            + "; with LibreOffice's default setting (never recalculate) it "
            + ("recalculated too." if lo["default_recalculates"] else "kept 12345.")
        )
    imports = result.get("slowest_imports") or []
    if imports:
        lines.append(
            "Slowest imports of `srishti scorecard` (`python -X importtime`, with the "
            "bytecode cache, cumulative): "
            + "; ".join(f"`{i['module']}` {i['cumulative_ms']:.0f} ms" for i in imports[:6])
            + ".")
    return "\n\n".join(lines)
