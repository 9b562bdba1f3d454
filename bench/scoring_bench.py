"""Benchmark 2: scoring a whole DH assessment from the database.

Set-up (untimed except where said): a fresh migrated database, a State, District and
Facility (DH), and the filled Anuppur workbook imported as an assessment with
`assessment_import` (6,518 responses; its duration is reported once).

On PostgreSQL the set-up ends with ANALYZE, as autovacuum would run it shortly after
such an import (without statistics the planner joins row by row: fetch ~3x slower).

Then, interleaved, `runs` times each:

* baseline: `Assessment.objects.get(pk=...)`, a trivial indexed query;
* the engine alone on in-memory input (`scoring.engine.score` over the already fetched
  checkpoint scores);
* `fetch_checkpoint_scores(assessment)`: the query and the scoring input;
* `assessment_scorecard(assessment)`: fetch + engine, what a score page computes;
* `assessment_rescore(assessment=...)` after one answer changed (changed in the database,
  untimed, before each run): fetch + engine + certification verdict + storing the score
  rows that moved, what each saved answer costs;
* the same rescore with no score rows stored (deleted untimed before each run), so that
  all ~1,200 are written, as after a whole-workbook import.

Target: scoring under 50 ms, read as p95 < 50 ms for the score card and for the rescore
after one changed answer.

    .venv/bin/python -m bench.scoring_bench [--database sqlite|postgresql] [--runs 30] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from decimal import Decimal
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
    from srishti.assessments.workbook_import import assessment_import
    from srishti.geography.models import District, Facility, State
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
    from srishti.assessments.models import Assessment, ScoreRow
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
    change_one_answer = _answer_changer(assessment)

    def forget_score_rows() -> None:
        ScoreRow.objects.filter(assessment_id=pk).delete()

    # name -> (untimed preparation or None, timed call)
    cases = {
        "baseline_get": (None, lambda: Assessment.objects.get(pk=pk)),
        "engine_only": (None, lambda: score(scores, rule=rule, department_order=departments)),
        "fetch": (None, lambda: fetch_checkpoint_scores(assessment)),
        "scorecard": (None, lambda: assessment_scorecard(assessment)),
        "rescore": (change_one_answer, lambda: assessment_rescore(assessment=assessment)),
        "rescore_all_rows": (forget_score_rows,
                             lambda: assessment_rescore(assessment=assessment)),
    }
    for prepare, fn in cases.values():  # one untimed round: connections, caches, imports
        if prepare:
            prepare()
        fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpu_times: dict[str, list[float]] = {name: [] for name in cases}
    steps = range(runs)
    if show_progress:
        steps = progress(steps, desc="scoring", total=runs)
    for _ in steps:
        for name, (prepare, fn) in cases.items():
            if prepare:
                prepare()
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


def _answer_changer(assessment):
    """A function that flips one scored answer between the lowest and the highest level,
    in the database only, as a save would before its rescore (untimed)."""
    from srishti.assessments.models import Response

    levels = sorted({Decimal(str(v)) for v in assessment.version.levels})
    first = (Response.objects.filter(assessment=assessment, value__isnull=False)
             .order_by("checkpoint__order").values_list("pk", "value").first())
    if first is None or len(levels) < 2:
        return None
    response_id, current = first
    state = {"value": current}

    def change() -> None:
        state["value"] = levels[0] if state["value"] != levels[0] else levels[-1]
        Response.objects.filter(pk=response_id).update(value=state["value"])

    return change


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
    if connection.vendor == "postgresql":
        # Statistics as autovacuum leaves them within a minute of a bulk import; right
        # after it the planner believes the tables empty and joins row by row.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
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
    result.setdefault("database", args.database)
    if args.json:
        emit(result)
    else:
        from bench.report import scoring_table

        print(scoring_table([result]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
