"""Benchmark 2: scoring a whole DH assessment from the database.

Set-up (untimed except where said): a fresh migrated database, a State, District and
Facility (DH), and the filled Anuppur workbook imported as an assessment with
`assessment_import` (6,518 responses; its duration is reported once).

Then, interleaved, `runs` times each:

* baseline: `Assessment.objects.get(pk=...)`, a trivial indexed query;
* the engine alone on in-memory input (`scoring.engine.score` over the already fetched
  checkpoint scores);
* `fetch_checkpoint_scores(assessment)`: the query and the scoring input;
* `assessment_scorecard(assessment)`: fetch + engine, what a score page computes;
* `assessment_rescore(assessment=...)`: fetch + engine + certification verdict + storing
  every score row, what each saved answer costs.

Target: scoring under 50 ms, read as p95 < 50 ms for both the score card and the rescore.

    .venv/bin/python -m bench.scoring_bench [--database sqlite|postgresql] [--runs 30] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
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
    timed_cpu,
)

TARGET_MS = 50.0
TEMPLATE_DB = "srishti_bench_scoring"


def import_assessment(path: Path):
    """The filled workbook as an assessment of a new facility; (assessment, seconds)."""
    from srishti.geography.models import District, Facility, State
    from srishti.workbooks.importers import assessment_import
    from srishti.workbooks.reader import read_workbook

    state = State.objects.create(name="Madhya Pradesh", code="MP")
    district = District.objects.create(state=state, name="Anuppur")
    facility = Facility.objects.create(district=district, name="DH Anuppur",
                                       facility_type="DH")
    parsed = read_workbook(path)
    start = time.perf_counter()
    result = assessment_import(parsed, facility=facility, start_date=dt.date(2024, 1, 15))
    return result.assessment, time.perf_counter() - start


def measure(assessment, *, runs: int = 30, show_progress: bool = True) -> dict[str, Any]:
    """Time the scoring of `assessment` (already in the database); figures in ms.

    Works on whatever database Django is configured with, so the tests can run it on
    their own small checklist.
    """
    from srishti.assessments.models import Assessment
    from srishti.assessments.services import (
        assessment_rescore,
        assessment_scorecard,
        fetch_checkpoint_scores,
    )
    from srishti.scoring.engine import score
    from srishti.scoring.types import OverallRule

    pk = assessment.pk
    # Loaded as a page would load it: with its checklist version and rule set.
    assessment = Assessment.objects.select_related("version__rule_set").get(pk=pk)
    scores, departments = fetch_checkpoint_scores(assessment)
    rule = OverallRule(assessment.version.overall_rule)

    cases = {
        "baseline_get": lambda: Assessment.objects.get(pk=pk),
        "engine_only": lambda: score(scores, rule=rule, department_order=departments),
        "fetch": lambda: fetch_checkpoint_scores(assessment),
        "scorecard": lambda: assessment_scorecard(assessment),
        "rescore": lambda: assessment_rescore(assessment=assessment),
    }
    for fn in cases.values():  # one untimed round: connections, caches, lazy imports
        fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpu_times: dict[str, list[float]] = {name: [] for name in cases}
    steps = range(runs)
    if show_progress:
        steps = progress(steps, desc="scoring", total=runs)
    for _ in steps:
        for name, fn in cases.items():
            wall, cpu, _result = timed_cpu(fn)
            times[name].append(wall)
            cpu_times[name].append(cpu)

    figures = {name: summary(values) for name, values in times.items()}
    for name, values in cpu_times.items():
        figures[name]["cpu_median_ms"] = summary(values)["median_ms"]
    baseline = figures["baseline_get"]["median_ms"]
    engine = figures["engine_only"]["median_ms"]
    card = assessment_scorecard(assessment)
    return {
        "checkpoints": len(scores),
        "score_rows": assessment.score_rows.count(),
        "overall": card.overall,
        "figures": figures,
        "ratios": {
            name: {"vs_get": ratio(f["median_ms"], baseline),
                   "vs_engine": ratio(f["median_ms"], engine)}
            for name, f in figures.items()
        },
        "target_ms": TARGET_MS,
        "passed": {
            "scorecard": figures["scorecard"]["p95_ms"] < TARGET_MS,
            "rescore": figures["rescore"]["p95_ms"] < TARGET_MS,
        },
    }


def run(database: str, runs: int, admin_url: str) -> dict[str, Any]:
    if not DH_FILLED.is_file():
        return skipped(f"the reference workbook {DH_FILLED.name} is not in {DH_FILLED.parent}")
    if database == "postgresql" and postgres_version(admin_url) is None:
        return skipped(f"PostgreSQL is not reachable at {admin_url}")
    var = Path(tempfile.mkdtemp(prefix="srishti-bench-"))
    try:
        if database == "sqlite":
            setup_django(var)
            return _run(runs, database)
        with postgres_databases(admin_url) as server:
            setup_django(var, database_url=server.create(TEMPLATE_DB))
            return _run(runs, database)
    finally:
        shutil.rmtree(var, ignore_errors=True)


def _run(runs: int, database: str) -> dict[str, Any]:
    from django.db import connection

    migrate()
    assessment, import_seconds = import_assessment(DH_FILLED)
    result = measure(assessment, runs=runs)
    connection.close()
    result["database"] = database
    result["workbook"] = DH_FILLED.name
    result["assessment_import_ms"] = round(import_seconds * 1000, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.database, args.runs, args.postgres_url)
    if args.json:
        emit(result)
    else:
        from bench.report import scoring_table

        print(scoring_table([result]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
