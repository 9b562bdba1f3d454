"""How long the server takes to render a 600-checkpoint department capture page.

Builds, in a fresh SQLite database, a DH checklist whose Emergency department holds 600
checkpoints (the demo department, each checkpoint repeated in place), opens an
assessment, answers half the department through the services, then renders the page N
times with Django's test client as the assigned assessor. A trivial page (the login
form) is timed in the same run as a baseline, and one save through the capture endpoint
for reference.

    .venv/bin/python bench/capture_page.py [--runs 30] [--checkpoints 600]

Nothing is written outside a temporary directory.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def setup_django(home: Path) -> None:
    sys.path.insert(0, str(REPO))
    os.environ["SRISHTI_VAR"] = str(home)
    os.environ["SRISHTI_DEBUG"] = "0"  # DEBUG keeps every query in memory: not production
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "srishti.config.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(checkpoints: int):
    import datetime as dt
    from dataclasses import replace

    from srishti.accounts.models import Membership, User
    from srishti.assessments.models import Assignment
    from srishti.assessments.services import assessment_create, responses_import
    from srishti.checklists.models import Checkpoint
    from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
    from srishti.demo.checklist import demo_checklist
    from srishti.geography.models import District, Facility, State

    rule_sets_seed()
    parsed = demo_checklist("DH")
    department = parsed.departments[0]
    standards = [std for area in department.areas for std in area.standards]
    times = math.ceil(checkpoints / sum(len(std.checkpoints) for std in standards))
    left = checkpoints
    for std in standards:
        grown = [cp if i == 0 else replace(cp, text=f"{cp.text} ({i + 1})")
                 for cp in std.checkpoints for i in range(times)]
        std.checkpoints = grown[:left]
        left -= len(std.checkpoints)
    version = checklist_version_create(parsed=parsed, tool=tool_get(code="NQAS"),
                                       facility_type="DH", label="bench")
    state = State.objects.create(name="Benchstate", code="BS")
    district = District.objects.create(state=state, name="Benchdistrict")
    facility = Facility.objects.create(district=district, name="Bench DH", facility_type="DH")
    assessment = assessment_create(facility=facility, version=version,
                                   start_date=dt.date(2025, 1, 1))
    dep = version.departments.get(name=department.name)
    ids = list(Checkpoint.objects.filter(department=dep).order_by("order")
               .values_list("id", flat=True))
    # Half answered, a realistic mid-assessment page: full scores, gaps with remarks, NA.
    responses_import(assessment=assessment, answers=[
        (cid, [2, 2, 1, 0, None][i % 5], "" if i % 5 in (0, 1, 4) else "gap noted")
        for i, cid in enumerate(ids[: len(ids) // 2])
    ])
    user = User.objects.create_user("bench_assessor", password="bench-pass-123")
    Membership.objects.create(user=user, role="assessor", facility=facility)
    Assignment.objects.create(assessment=assessment, department=dep, assessor=user)
    return assessment, dep, user, ids


def timed(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run. CPU time is what the request costs
    this process; wall time also counts waiting for a busy machine's cores."""
    fn()  # warm the template cache and the connection
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _p95(ms: list[float]) -> float:
    ms = sorted(ms)
    return ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)]


def report(name: str, timings: tuple[list[float], list[float]]) -> None:
    wall, cpu = timings
    print(f"{name:<40} wall median {statistics.median(wall):6.1f} ms, p95 {_p95(wall):6.1f} ms"
          f" | cpu median {statistics.median(cpu):6.1f} ms, p95 {_p95(cpu):6.1f} ms"
          f"  (n={len(wall)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--checkpoints", type=int, default=600)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="srishti-bench-") as home:
        setup_django(Path(home))
        from django.test import Client
        from django.urls import reverse

        assessment, department, user, ids = build(args.checkpoints)
        client = Client()
        client.force_login(user)
        url = reverse("capture-department", args=[assessment.pk, department.pk])
        baseline_url = reverse("login")

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        def page_gzip():
            assert client.get(url, HTTP_ACCEPT_ENCODING="gzip").status_code == 200

        def baseline():
            assert client.get(baseline_url).status_code == 200

        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        shown = page().content
        articles = shown.count(b'<article id="cp-')
        compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip").content
        print(f"department with {articles} checkpoints ({len(ids) // 2} answered); "
              f"HTML {len(shown) / 1024:.0f} KiB, gzip {len(compressed) / 1024:.0f} KiB")
        report("capture page (no compression)", timed(page, args.runs))
        report("capture page (gzip, as browsers ask)", timed(page_gzip, args.runs))
        report("baseline: login page", timed(baseline, args.runs))

        # One save through the endpoint: validation, history, rescoring, fragments.
        save_url = reverse("capture-save", args=[assessment.pk, ids[-1]])
        flips = iter(range(10**6))

        def save():
            n = next(flips)
            from srishti.assessments.models import Response

            current = Response.objects.filter(assessment=assessment, checkpoint_id=ids[-1])
            base = current.values_list("revision", flat=True).first() or 0
            response = client.post(save_url, {"value": "2" if n % 2 else "na",
                                              "base_revision": base}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, response.status_code

        report("save one answer (htmx endpoint)", timed(save, max(5, args.runs // 3)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
