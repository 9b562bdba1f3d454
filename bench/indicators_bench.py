"""Benchmark: a district's indicator page at 12 indicators x 24 months x 60 facilities, on
PostgreSQL.

Generates, in a throwaway PostgreSQL database (`indicators_bench`): one district of 60
district hospitals, a library of 12 active indicators over three departments, and 24
months of figures for every facility (17,280 values in 4,320 department-month reports,
written by the loader the demo uses), some months late or missing and some indicators
out of range. Then, interleaved, `runs` times each, through Django's test client as the
district quality unit: the district page (work list, reporting grid, pooled trends), one
indicator across the district, one facility's runs and control charts, and a baseline,
the log-in page, which reads no data. Target: district page p95 under 300 ms.

    .venv/bin/python -m bench.indicators_bench [--runs 30] [--json] [--write]

The administrative connection (to create and drop the database) defaults to the server's
`postgres` database; set BENCH_POSTGRES_URL to use another.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
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
HEADING = "## Outcome indicators: a district page at 60 facilities (issue 12)"
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "indicators_bench"
FACILITIES = 60
MONTHS = 24
INDICATORS = ["BOR", "ALOS", "LAMA", "IPD-REF", "PSS-IPD",  # IPD
              "CSR", "NND", "SBR", "PPH", "PARTOGRAPH",  # Labour Room
              "LWBS", "PSS-OPD"]  # OPD


def generate(seed: int = 12) -> dict[str, Any]:
    """Fill the database; returns counts and what to ask for."""
    from django.db import connection, transaction
    from django.utils import timezone

    from srishti.accounts.models import Membership, User
    from srishti.geography.models import District, Facility, State
    from srishti.indicators.demo import TYPICAL, _figures
    from srishti.indicators.library_reads import (
        active_indicators,
        departments_for,
        indicators_for,
    )
    from srishti.indicators.models import Indicator, IndicatorValue
    from srishti.indicators.months import add_months, last_complete_month
    from srishti.indicators.services import LoadRow, indicators_seed, monthly_reports_load

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        indicators_seed()
        Indicator.objects.exclude(code__in=INDICATORS).update(active=False)
        library = active_indicators()
        assert len(library) == len(INDICATORS) and set(TYPICAL) >= set(INDICATORS)
        state = State.objects.create(name="Bihar", code="BR")
        district = District.objects.create(state=state, name="Benchpur")
        facilities = Facility.objects.bulk_create(
            Facility(district=district, facility_type="DH", name=f"Hospital {n:02d}")
            for n in range(1, FACILITIES + 1))
        last = last_complete_month(timezone.localdate())
        months = [add_months(last, -i) for i in range(MONTHS - 1, -1, -1)]
        rows = []
        for facility in facilities:
            for department in departments_for("DH", library):
                for index, month in enumerate(months):
                    if rng.random() < 0.03:
                        continue  # a month missing now and then
                    figures = {}
                    for indicator in indicators_for("DH", department, library):
                        drift = 6.0 if index == MONTHS - 1 and rng.random() < 0.08 else 0.0
                        figures[indicator.code] = _figures(rng, indicator, 1.0, drift)
                    following = add_months(month, 1)
                    day = 25 if rng.random() < 0.1 else 5
                    rows.append(LoadRow(facility.pk, department, month,
                                        {k: (Decimal(n), Decimal(d))
                                         for k, (n, d) in figures.items()},
                                        dt.datetime(following.year, following.month, day, 6,
                                                    tzinfo=dt.UTC)))
        monthly_reports_load(rows=rows, library=library)
        user = User.objects.create_user("bench-district", password="x")
        Membership.objects.create(user=user, role="district_quality_unit", district=district)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would shortly after such a load
    return {
        "facilities": len(facilities), "indicators": len(library), "months": MONTHS,
        "reports": len(rows), "values": IndicatorValue.objects.count(),
        "generation_s": round(time.perf_counter() - started, 1), "user": user.pk,
        "district_id": district.pk, "facility_id": facilities[0].pk,
    }


def measure(figures: dict[str, Any], runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from srishti.accounts.models import User

    client, anonymous = Client(), Client()
    client.force_login(User.objects.get(pk=figures["user"]))
    district, facility = figures["district_id"], figures["facility_id"]
    pages = {
        "baseline: log-in page": (anonymous, "/accounts/login/"),
        "district page": (client, f"/indicators/districts/{district}/"),
        "one indicator across the district": (client, f"/indicators/districts/{district}/LAMA/"),
        "facility page (runs, control charts)": (client, f"/indicators/facilities/{facility}/"),
    }
    queries, sizes = {}, {}
    for name, (who, url) in pages.items():  # warm up, and count queries once
        with CaptureQueriesContext(connection) as captured:
            response = who.get(url)
        assert response.status_code == 200, (name, response.status_code)
        queries[name], sizes[name] = len(captured), len(response.content)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in progress(range(runs), desc="indicator pages", total=runs):
        for name, (who, url) in pages.items():
            gc.collect()
            start = time.perf_counter()
            who.get(url)
            times[name].append(time.perf_counter() - start)
    results = {name: {**summary(values), "queries": queries[name],
                      "kib": round(sizes[name] / 1024)} for name, values in times.items()}
    base = results["baseline: log-in page"]["median_ms"]
    for name in list(pages)[1:]:
        results[name]["x_baseline"] = ratio(results[name]["median_ms"], base)
    results["district page"]["target_p95_ms"] = TARGET_P95_MS
    results["district page"]["passed"] = results["district page"]["p95_ms"] < TARGET_P95_MS
    return results


def run(runs: int = 30) -> dict[str, Any]:
    try:
        import psycopg  # noqa: F401

        with postgres_databases(ADMIN_URL) as server:
            url = server.create(DATABASE)
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
            return skipped(f"PostgreSQL at {ADMIN_URL} is not reachable: {exc}")
        raise
    return {"machine": machine(), "load_average_end": load_average(), "data": figures,
            "results": results}


def section(results: list[dict[str, Any]], command: str) -> str:
    """The doc section for one or more runs of the benchmark (one table per run)."""
    if any("skipped" in r for r in results):
        return f"{HEADING}\n\nSkipped: {results[0].get('skipped')}\n"
    first = results[0]
    data = first["data"]
    lines = [HEADING, "",
             f"`{command}`, run {len(results)} times one after the other, on "
             f"{first['machine'].get('cpu', 'this machine')} "
             f"({first['machine'].get('cores')} cores), PostgreSQL "
             f"{first['machine'].get('postgresql', '')}. Generated: {data['facilities']} "
             f"district hospitals of one district, {data['indicators']} indicators, "
             f"{data['months']} months: {data['values']:,} values in {data['reports']:,} "
             f"department-month reports (3% of months missing, 10% late, some indicators out "
             f"of range), in {data['generation_s']} s. Pages through Django's test client as "
             f"the district quality unit; the baseline is the log-in page, measured in the "
             f"same run. Target: district page p95 under {TARGET_P95_MS:.0f} ms.", ""]
    for number, result in enumerate(results, start=1):
        lines += [f"Run {number} (load average at the end {result.get('load_average_end')}):",
                  "", "| page | median | p95 | queries | size | x baseline | result |",
                  "|---|---|---|---|---|---|---|"]
        for name, r in result["results"].items():
            verdict = "" if "passed" not in r else ("PASS" if r["passed"] else "FAIL")
            lines.append(f"| {name} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['queries']} | "
                         f"{r['kib']} KiB | {r.get('x_baseline', '')}"
                         f"{'x' if 'x_baseline' in r else ''} | {verdict} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=1,
                        help="run the whole benchmark this many times (a fresh database each)")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--write", action="store_true", help="write its section of the doc")
    args = parser.parse_args()
    if args.repeat > 1:
        import json
        import subprocess

        results = []
        for _ in range(args.repeat):
            done = subprocess.run([sys.executable, "-m", "bench.indicators_bench", "--json",
                                   "--runs", str(args.runs)], capture_output=True, text=True,
                                  cwd=Path(__file__).resolve().parents[1], check=True)
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    else:
        results = [run(args.runs)]
    if args.json:
        emit(results[0] if len(results) == 1 else {"runs": results})
        return
    command = "python -m bench.indicators_bench" + (
        f" --repeat {args.repeat}" if args.repeat > 1 else "")
    text = section(results, command)
    print(text)
    if args.write:
        write_doc_section(HEADING, text)


if __name__ == "__main__":
    main()
