"""Benchmark: state and district dashboards at Bihar scale, on PostgreSQL.

Generates, in a throwaway PostgreSQL database: Bihar's facilities (the shared list of
2,038 when it is there, else the demo's generated ~2,000), the demo checklists for every
facility type, four assessments per facility (quarterly, scores rising), each scored by
the real engine and criteria and stored as the application stores them
(`assessments.scores`), some certification records and some action items. Responses are
not generated: dashboards read stored scores only.

Then, interleaved, `runs` times each, through Django's test client as a signed-in user:
the state dashboard (state quality unit), a district dashboard (district quality unit of
the district with the most facilities), and a baseline, the log-in page, a page that
reads no data. Target: p95 under 300 ms for both dashboards.

    .venv/bin/python -m bench.dashboard_bench [--runs 30] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    POSTGRES_URL,
    emit,
    load_average,
    machine,
    postgres_databases,
    progress,
    ratio,
    setup_django,
    skipped,
    summary,
    write_doc_section,
)

TARGET_P95_MS = 300.0
HEADING = "## State and district dashboards at Bihar scale (issue 4)"
QUARTERS = [dt.date(2022, 6, 15), dt.date(2022, 9, 15), dt.date(2022, 12, 15),
            dt.date(2023, 3, 15)]
BIHAR_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "bihar-facilities.csv"


def generate(seed: int = 2023) -> dict[str, Any]:
    """Fill the database; returns counts and the users to sign in as."""
    from django.db import transaction

    from srishti.accounts.models import Membership, User
    from srishti.assessments.models import Assessment, AssessmentScore, ScoreRow
    from srishti.assessments.scores import SCORE_ROW_FIELDS, score_rows, score_summary
    from srishti.certification.models import CertificationRecord, MissionTarget
    from srishti.certification.standing import standings_rebuild
    from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
    from srishti.core.bulk import insert_rows
    from srishti.demo.checklist import demo_checklist
    from srishti.demo.facilities import generated_facilities
    from srishti.geography.models import District, Facility
    from srishti.geography.services import (
        facilities_create,
        facilities_import_csv,
        state_get_or_create,
    )
    from srishti.scoring.criteria import evaluate
    from srishti.scoring.engine import score
    from srishti.scoring.types import CheckpointScore, OverallRule

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        rule_sets_seed()
        state = state_get_or_create(name="Bihar")
        if BIHAR_CSV.is_file():
            facilities_import_csv(path=BIHAR_CSV, state_name="Bihar")
            source = "shared list"
        else:
            facilities_create(state=state, rows=generated_facilities())
            source = "generated list"
        nqas = tool_get(code="NQAS")
        content = {"DH": "DH", "SDH": "DH", "CHC": "CHC", "PHC": "PHC", "UPHC": "PHC",
                   "AAM-SC": "PHC"}
        versions = {
            ftype: checklist_version_create(parsed=demo_checklist(base), tool=nqas,
                                            facility_type=ftype, label="bench")
            for ftype, base in content.items()
        }
        # The structure each version's scores are drawn on: (department, area, standard).
        structure, department_ids, rule_sets, totals = {}, {}, {}, {}
        for ftype, version in versions.items():
            structure[ftype] = list(version.checkpoints.order_by("order").values_list(
                "department__name", "standard__area__letter", "standard__code"))
            department_ids[ftype] = dict(version.departments.values_list("name", "id"))
            rule_sets[ftype] = version.rule_set.as_rule_set() if version.rule_set else None
            totals[ftype] = len(structure[ftype])

        facilities = list(Facility.objects.values_list("id", "facility_type"))
        assessments = Assessment.objects.bulk_create(
            Assessment(facility_id=fid, version=versions[ftype], kind="internal",
                       start_date=day, status="submitted")
            for fid, ftype in facilities for day in QUARTERS
        )
        scores, rows = [], []
        for assessment in progress(assessments, desc="scoring", total=len(assessments)):
            ftype = assessment.version.facility_type
            quarter = QUARTERS.index(assessment.start_date)
            maturity = min(0.97, 0.35 + 0.12 * quarter + rng.uniform(-0.1, 0.25))
            card = score((CheckpointScore(d, a, s, _draw(rng, maturity))
                          for d, a, s in structure[ftype]),
                         rule=OverallRule.POOLED)
            rule_set = rule_sets[ftype]
            verdict = evaluate(card, rule_set) if rule_set else None
            scores.append(AssessmentScore(assessment=assessment, **score_summary(
                card, verdict, rule_set, totals[ftype])))
            rows += [(assessment.pk, *row) for row in score_rows(card, department_ids[ftype])]
        AssessmentScore.objects.bulk_create(scores, batch_size=2000)
        insert_rows(ScoreRow, ("assessment", *SCORE_ROW_FIELDS), rows)
        standings_rebuild()

        certified = [s.assessment for s in scores
                     if s.passed and s.assessment.start_date == QUARTERS[-1]]
        CertificationRecord.objects.bulk_create(
            CertificationRecord(facility_id=a.facility_id, tool=nqas, stage="state_certified",
                                level="state", result="passed", assessment=a,
                                decided_on=a.start_date,
                                valid_until=a.start_date + dt.timedelta(days=365))
            for a in certified)

        district = _largest_district(District, state)
        MissionTarget.objects.create(
            name="At least 10 facilities NQAS-ready by 31 March 2023", state=state, tool=nqas,
            criterion="passes_rule_set", count=10, start=dt.date(2022, 12, 1),
            deadline=dt.date(2023, 3, 31))
        state_user = User.objects.create_user("bench-state", password="x")
        Membership.objects.create(user=state_user, role="state_quality_unit", state=state)
        district_user = User.objects.create_user("bench-district", password="x")
        Membership.objects.create(user=district_user, role="district_quality_unit",
                                  district=district)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would shortly after such a load
    return {
        "facilities": len(facilities),
        "facility_source": source,
        "assessments": len(assessments),
        "score_rows": len(rows),
        "certified": len(certified),
        "generation_s": round(time.perf_counter() - started, 1),
        "state_user": state_user.pk,
        "district_user": district_user.pk,
        "district": district.name,
        "district_id": district.pk,
    }


def _draw(rng: random.Random, maturity: float) -> float | None:
    draw = rng.random()
    if draw < 0.04:
        return None
    if draw < 0.04 + maturity * 0.96:
        return 2.0
    return 1.0 if rng.random() < 0.5 else 0.0


def _largest_district(District, state):
    from django.db.models import Count

    return (District.objects.filter(state=state).annotate(n=Count("facilities"))
            .order_by("-n", "name").first())


def measure(figures: dict[str, Any], runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from srishti.accounts.models import User

    state_client, district_client, anonymous = Client(), Client(), Client()
    state_client.force_login(User.objects.get(pk=figures["state_user"]))
    district_client.force_login(User.objects.get(pk=figures["district_user"]))
    pages = {
        "baseline: log-in page": (anonymous, "/accounts/login/"),
        "state dashboard": (state_client, "/dashboards/"),
        "district dashboard": (district_client, f"/dashboards/districts/{figures['district_id']}/"),
    }
    queries = {}
    for name, (client, url) in pages.items():  # warm up, and count queries once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(captured)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in progress(range(runs), desc="dashboards", total=runs):
        for name, (client, url) in pages.items():
            gc.collect()
            start = time.perf_counter()
            client.get(url)
            times[name].append(time.perf_counter() - start)
    results = {name: {**summary(values), "queries": queries[name]}
               for name, values in times.items()}
    base = results["baseline: log-in page"]["median_ms"]
    for name in ("state dashboard", "district dashboard"):
        results[name]["x_baseline"] = ratio(results[name]["median_ms"], base)
        results[name]["target_p95_ms"] = TARGET_P95_MS
        results[name]["passed"] = results[name]["p95_ms"] < TARGET_P95_MS
    return results


def run(runs: int = 30) -> dict[str, Any]:
    try:
        import psycopg  # noqa: F401

        with postgres_databases() as server:
            url = server.create("srishti_bench_dashboards")
            with tempfile.TemporaryDirectory() as var:
                setup_django(Path(var), url)
                from django.core.management import call_command

                call_command("migrate", verbosity=0)
                figures = generate()
                results = measure(figures, runs)
                from django.db import connections

                connections.close_all()  # the database is dropped next
    except Exception as exc:  # noqa: BLE001 - report, don't crash the other benchmarks
        if "connect" in str(exc).lower():
            return skipped(f"PostgreSQL at {POSTGRES_URL} is not reachable: {exc}")
        raise
    return {"machine": machine(), "load_average_end": load_average(), "data": figures,
            "results": results}


def section(result: dict[str, Any], command: str) -> str:
    if "skipped" in result:
        return f"{HEADING}\n\nSkipped: {result['skipped']}\n"
    data = result["data"]
    lines = [HEADING, "",
             f"`{command}` on {result['machine'].get('cpu', 'this machine')}, PostgreSQL "
             f"{result['machine'].get('postgresql', '')}; load average at the end "
             f"{result.get('load_average_end')}. Generated: {data['facilities']} facilities "
             f"({data['facility_source']}), {data['assessments']} assessments (four each, "
             f"scored by the engine and stored as the application stores them), "
             f"{data['score_rows']:,} score rows, {data['certified']} certifications, the "
             f"Bihar target; in {data['generation_s']} s. Pages through Django's test client "
             f"as a signed-in state quality unit and as the district quality unit of "
             f"{data['district']}. Target: p95 under {TARGET_P95_MS:.0f} ms.", "",
             "| page | median | p95 | queries | x baseline | result |",
             "|---|---|---|---|---|---|"]
    for name, r in result["results"].items():
        verdict = "" if "passed" not in r else ("PASS" if r["passed"] else "FAIL")
        lines.append(f"| {name} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['queries']} | "
                     f"{r.get('x_baseline', '')}{'x' if 'x_baseline' in r else ''} | "
                     f"{verdict} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--write", action="store_true", help="write its section of the doc")
    args = parser.parse_args()
    result = run(args.runs)
    if args.json:
        emit(result)
        return
    text = section(result, "python -m bench.dashboard_bench")
    print(text)
    if args.write:
        write_doc_section(HEADING, text)


if __name__ == "__main__":
    main()
