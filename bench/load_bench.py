"""Load benchmark: 50 assessors saving answers and syncing batches against gunicorn.

For each database (SQLite in a temporary SRISHTI_VAR; PostgreSQL in the database named by
`--postgres-url`, dropped and created anew):

1. `prepare`: the production settings (`srishti.config.settings.production`, a random
   secret key, host 127.0.0.1), `migrate`, `collectstatic`, then a fixture: ten district
   hospitals on the demo DH checklist (533 checkpoints, five departments), one assessment
   each, and an assessor per department (50 people), each assigned to their department.
   One assessor in five works offline: their device posts batches to the sync API.
2. gunicorn as `srishti serve` starts it (`--workers 2 --threads 4`) on a free port.
3. Locust, headless, bounded in time (`bench/load_locustfile.py`): every user logs in
   through the form, opens their department, then saves answers at up to `--rate` per
   second (`constant_throughput`), through the capture page's save endpoint or as sync
   batches of `--batch` changes. Every answer the server acknowledged is written down.
4. `check`: every acknowledged answer is in the database (its history row by client id
   with the value, remark and revision acknowledged; the stored answer equals the last
   acknowledged one), and every stored score row and assessment score equals a recount by
   the application's own scoring (`assessment_scorecard`, `score_rows`, `score_summary`).

Targets (issue 13): 0 errors, 0 lost, p95 of a save under 100 ms, at least 200 saves/s on
PostgreSQL.

    .venv/bin/python -m bench.load_bench [--users 50] [--duration 60] [--rate 5]
        [--databases sqlite postgresql] [--postgres-url URL] [--json] [--write]

Nothing outside a temporary directory and the named PostgreSQL database is touched.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    REPO,
    _conninfo,
    emit,
    load_average,
    machine,
    write_doc_section,
)

HEADING = "## Under load: 50 assessors saving and syncing (issue 13)"
POSTGRES_LOAD_URL = os.environ.get("BENCH_LOAD_POSTGRES_URL",
                                   "postgres://postgres@127.0.0.1:5432/load")
PASSWORD = "load-bench-pass-2026"
HOSPITALS_PER_USERS = 5  # one assessor per department of the demo DH checklist
SYNC_EVERY = 5  # one assessor in five syncs batches from a device
TARGET_P95_MS = 100.0
TARGET_SAVES_PER_S = 200.0
# gunicorn as `srishti serve` runs it (srishti/cli.py, cmd_serve).
GUNICORN = ["--workers", "2", "--threads", "4"]
PYTHON = sys.executable


# --------------------------------------------------------------------------- set-up

def environment(var: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "srishti.config.settings.production",
        "SRISHTI_SECRET_KEY": secrets.token_urlsafe(50),
        "SRISHTI_ALLOWED_HOSTS": "127.0.0.1",
        "SRISHTI_VAR": str(var),
        "SRISHTI_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    })
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = _conninfo(url.rsplit("/", 1)[0] + "/postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_fixture(users: int) -> dict[str, Any]:
    """Hospitals, assessments and assessors (run with Django set up)."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password

    from srishti.accounts.models import Membership, User
    from srishti.assessments.models import Assignment
    from srishti.assessments.services import assessment_create
    from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
    from srishti.demo.checklist import demo_checklist
    from srishti.geography.models import District, Facility, State

    rule_sets_seed()
    version = checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                       facility_type="DH", label="load")
    departments = list(version.departments.order_by("order"))
    state = State.objects.create(name="Loadstate", code="LS")
    district = District.objects.create(state=state, name="Loaddistrict")
    password = make_password(PASSWORD)  # hashed once: argon2 is slow on purpose
    people = []
    for index in range(users):
        hospital, slot = divmod(index, len(departments))
        if slot == 0:
            facility = Facility.objects.create(district=district, name=f"Load DH {hospital + 1}",
                                               facility_type="DH")
            assessment = assessment_create(facility=facility, version=version,
                                           start_date=dt.date(2026, 11, 1))
        department = departments[slot]
        user = User.objects.create(username=f"assessor{index + 1:03}", password=password)
        Membership.objects.create(user=user, role="assessor", facility=facility)
        Assignment.objects.create(assessment=assessment, department=department, assessor=user)
        people.append({
            "index": index, "username": user.username, "assessment": assessment.pk,
            "department": department.pk, "sync": index % SYNC_EVERY == 1,
            "checkpoints": list(department.checkpoints.order_by("order")
                                .values_list("id", flat=True)),
        })
    return {"password": PASSWORD, "people": people,
            "checkpoints_per_assessment": version.checkpoints.count()}


def check(fixture: dict[str, Any], acks: list[dict[str, Any]]) -> dict[str, Any]:
    """Every acknowledged answer stored; every stored score equal to a recount (run with
    Django set up)."""
    from decimal import Decimal

    from srishti.assessments.models import (
        Assessment,
        AssessmentScore,
        Response,
        ResponseChange,
        ScoreRow,
    )
    from srishti.assessments.scores import SCORE_ROW_FIELDS, score_rows, score_summary
    from srishti.assessments.services import assessment_scorecard
    from srishti.checklists.models import Checkpoint
    from srishti.scoring.criteria import evaluate, point_step

    def as_decimal(value: str) -> Decimal:
        return Decimal(value)

    history = {
        str(client_id): (assessment, checkpoint, value, remark, revision)
        for client_id, assessment, checkpoint, value, remark, revision in
        ResponseChange.objects.filter(client_id__in=[a["client_id"] for a in acks])
        .values_list("client_id", "response__assessment_id", "response__checkpoint_id",
                     "new_value", "new_remark", "revision")
    }
    lost, different = [], []
    last: dict[tuple[int, int], dict[str, Any]] = {}
    for ack in acks:
        found = history.get(ack["client_id"])
        if found is None:
            lost.append(ack)
            continue
        expected = (ack["assessment"], ack["checkpoint"], as_decimal(ack["value"]),
                    ack["remark"], ack["revision"])
        if found != expected:
            different.append({"ack": ack, "stored": [str(x) for x in found]})
        key = (ack["assessment"], ack["checkpoint"])
        if key not in last or ack["revision"] > last[key]["revision"]:
            last[key] = ack
    stored = {
        (a, c): (v, r, rev) for a, c, v, r, rev in Response.objects.filter(
            assessment_id__in={p["assessment"] for p in fixture["people"]})
        .values_list("assessment_id", "checkpoint_id", "value", "remark", "revision")
    }
    final_differs = [
        key for key, ack in last.items()
        if stored.get(key) != (as_decimal(ack["value"]), ack["remark"], ack["revision"])
    ]
    score_rows_checked = score_rows_differ = summaries_differ = 0
    for assessment in Assessment.objects.filter(
            pk__in={p["assessment"] for p in fixture["people"]}).select_related("version"):
        version = assessment.version
        card = assessment_scorecard(assessment)
        rule_set = version.rule_set.as_rule_set() if version.rule_set_id else None
        verdict = (evaluate(card, rule_set, point_step=point_step(version.levels))
                   if rule_set else None)
        recount = sorted(score_rows(card, dict(version.departments.values_list("name", "id"))),
                         key=repr)
        rows = sorted(ScoreRow.objects.filter(assessment=assessment)
                      .values_list(*SCORE_ROW_FIELDS), key=repr)
        score_rows_checked += len(rows)
        if rows != recount:
            score_rows_differ += len(set(rows) ^ set(recount)) or 1
        summary = score_summary(card, verdict, rule_set,
                                Checkpoint.objects.filter(version=version).count())
        kept = AssessmentScore.objects.filter(assessment=assessment).values(*summary).get()
        if kept != summary:
            summaries_differ += 1
    return {
        "acknowledged": len(acks),
        "lost": len(lost),
        "stored_differently": len(different),
        "final_answer_differs": len(final_differs),
        "answers_stored": len(stored),
        "score_rows_checked": score_rows_checked,
        "score_rows_differ": score_rows_differ,
        "assessment_scores_differ": summaries_differ,
        "examples": (lost + different)[:3],
    }


STEPS = ["access: the assessment and the person's rights",
         "access: the checkpoint, for writing",
         "response_save: lock, checks, write, history, rescore",
         "  of which assessment_rescore",
         "    of which reading the answers",
         "    of which writing the score rows that moved",
         "the answer: fragment, progress, live score card"]


def profile(fixture: dict[str, Any], saves: int = 200) -> dict[str, Any]:
    """Where one save's time goes, with nothing else running: `saves` saves through the
    capture endpoint in this process (Django's test client: the whole middleware stack,
    no network), CPU time of each step, medians (run with Django set up, after the load,
    on the same database)."""
    import functools
    import re
    import statistics
    import uuid

    from django.db import connection
    from django.test import Client

    import srishti.assessments.services as services
    import srishti.assessments.views.capture as capture
    from srishti.accounts.models import User
    from srishti.assessments.models import Response

    steps: dict[str, list[float]] = {}

    def timed(module, name: str, label: str) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                steps.setdefault(label, []).append(time.process_time() - start)

        setattr(module, name, wrapper)

    timed(capture, "capture_access", "access: the assessment and the person's rights")
    timed(capture, "checkpoint_for_capture", "access: the checkpoint, for writing")
    timed(capture, "response_save", "response_save: lock, checks, write, history, rescore")
    timed(services, "assessment_rescore", "  of which assessment_rescore")
    timed(services, "fetch_checkpoint_scores", "    of which reading the answers")
    timed(services, "_store_score_rows", "    of which writing the score rows that moved")
    timed(capture, "_answer", "the answer: fragment, progress, live score card")

    person = next(p for p in fixture["people"] if not p["sync"])
    client = Client(SERVER_NAME="127.0.0.1")  # the production settings' only host
    client.force_login(User.objects.get(username=person["username"]))
    checkpoints = person["checkpoints"]
    revisions = dict(Response.objects.filter(assessment_id=person["assessment"])
                     .values_list("checkpoint_id", "revision"))

    def save(n: int) -> None:
        checkpoint = checkpoints[n % len(checkpoints)]
        response = client.post(
            f"/assessments/{person['assessment']}/checkpoints/{checkpoint}/save/",
            {"value": "1" if n % 2 else "2", "remark": f"profiled {n}",
             "base_revision": revisions.get(checkpoint, 0), "client_id": str(uuid.uuid4())},
            HTTP_HX_REQUEST="true", secure=True)
        assert response.status_code == 200, response.status_code
        revisions[checkpoint] = int(re.search(rb'name="base_revision" value="(\d+)"',
                                              response.content).group(1))

    for n in range(20):  # warm
        save(n)
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        save(20)
    steps.clear()
    whole, wall = [], []
    for n in range(21, 21 + saves):
        start, cpu = time.perf_counter(), time.process_time()
        save(n)
        whole.append(time.process_time() - cpu)
        wall.append(time.perf_counter() - start)
    return {"saves": saves, "queries": len(statements),
            "request_cpu_ms": round(statistics.median(whole) * 1000, 1),
            "request_wall_ms": round(statistics.median(wall) * 1000, 1),
            "steps_cpu_ms": {k: round(statistics.median(v) * 1000, 1)
                             for k, v in steps.items()}}


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "-m", "srishti.cli", "manage", *args], env=env, check=True,
                   cwd=REPO, stdout=subprocess.DEVNULL)


# --------------------------------------------------------------------------- one run

def _step(env: dict[str, str], *args: str) -> dict[str, Any]:
    """A step of this module run in its own process with the run's settings; its JSON."""
    done = subprocess.run([PYTHON, "-m", "bench.load_bench", *args], env=env, cwd=REPO,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on port {port}")


def _warm_up(port: int, requests: int = 8) -> None:
    """Load the app in every gunicorn worker before the clock starts: the first request a
    worker serves imports the whole project (~4 s), which no steady server pays."""
    import concurrent.futures
    import urllib.request

    def get(_n: int) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/",
                                         headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status

    for _round in range(2):
        with concurrent.futures.ThreadPoolExecutor(requests) as pool:
            list(pool.map(get, range(requests)))


def _postgres_cpu(database: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving `database` (their
    titles name it; other databases on the server are someone else's work). The pooled
    connections live through the run, so their time is all counted at the end."""
    import psutil

    total = 0.0
    for process in psutil.process_iter(["name", "cmdline", "cpu_times"]):
        title = " ".join(process.info["cmdline"] or [])
        if title.startswith("postgres: ") and f" {database} " in title:
            times = process.info["cpu_times"]
            total += times.user + times.system
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _exceptions(log: str) -> list[str]:
    """The exception line ending each traceback in the server's log, with a count."""
    found: dict[str, int] = {}
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith(" ") or not lines[j].strip()):
                j += 1
            if j < len(lines):
                found[lines[j][:300]] = found.get(lines[j][:300], 0) + 1
        elif " CRITICAL " in line or "WORKER TIMEOUT" in line:
            found[line[:300]] = found.get(line[:300], 0) + 1
    return [f"{text} (x{n})" for text, n in found.items()]


def _stats(prefix: Path) -> dict[str, dict[str, Any]]:
    rows = {}
    with open(f"{prefix}_stats.csv") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0), "max_ms": float(row["Max Response Time"]),
                "per_s": float(row["Requests/s"]),
            }
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv") as f:
            failures = [{"name": r["Name"], "error": r["Error"][:200],
                         "occurrences": int(r["Occurrences"])} for r in csv.DictReader(f)]
    return {"requests": rows, "failures": failures}


def run_once(database: str, *, users: int, duration: int, rate: float, batch: int,
             postgres_url: str, profile_saves: int = 200) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="srishti-load-") as tmp:
        var = Path(tmp)
        url = None
        if database == "postgresql":
            url = postgres_url
            recreate_postgres(url)
        env = environment(var, url)
        database_name = url.rsplit("/", 1)[1] if url else ""
        started = time.monotonic()
        _manage(env, "migrate", "--verbosity", "0")
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        fixture_path, acks_path = var / "fixture.json", var / "acks.json"
        subprocess.run([PYTHON, "-m", "bench.load_bench", "prepare", "--users", str(users),
                        "--out", str(fixture_path)], env=env, check=True, cwd=REPO)
        fixture = json.loads(fixture_path.read_text())
        set_up_s = time.monotonic() - started

        port = _free_port()
        log = open(var / "gunicorn.log", "w")  # noqa: SIM115
        cpu_before = _children_cpu()
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "srishti.config.wsgi", "--bind", f"127.0.0.1:{port}",
             *GUNICORN], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for(port)
            _warm_up(port)
            prefix = var / "locust"
            locust_env = {**env, "LOAD_FIXTURE": str(fixture_path), "LOAD_ACKS": str(acks_path),
                          "LOAD_RATE": str(rate), "LOAD_BATCH": str(batch)}
            load_start = load_average()
            cpu_locust = _children_cpu()
            cpu_postgres = _postgres_cpu(database_name)
            done = subprocess.run(
                [PYTHON, "-m", "locust", "-f", str(REPO / "bench" / "load_locustfile.py"),
                 "--headless", "--users", str(users), "--spawn-rate", str(users),
                 "--run-time", f"{duration}s", "--host", f"http://127.0.0.1:{port}",
                 "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
                 "--exit-code-on-error", "0", "--loglevel", "WARNING"],
                env=locust_env, cwd=REPO, capture_output=True, text=True,
                timeout=duration + 180)
            locust_cpu = _children_cpu() - cpu_locust
            postgres_cpu = (_postgres_cpu(database_name) - cpu_postgres) if url else 0.0
            load_end = load_average()
            if done.returncode != 0:
                raise RuntimeError(f"locust exited {done.returncode}: {done.stderr[-2000:]}")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            log.close()
        server_cpu = _children_cpu() - cpu_before - locust_cpu
        stats = _stats(prefix)
        consistency = _step(env, "check", "--fixture", str(fixture_path), "--acks",
                            str(acks_path))
        one_save = _step(env, "profile", "--fixture", str(fixture_path), "--saves",
                         str(profile_saves))
        server_errors = _exceptions((var / "gunicorn.log").read_text())

    saves = stats["requests"].get("save (capture page)", {"requests": 0, "failures": 0})
    batch_name = next((n for n in stats["requests"] if n.startswith("sync batch")), None)
    batches = stats["requests"].get(batch_name, {"requests": 0, "failures": 0, "per_s": 0})
    total = stats["requests"].get("Aggregated", {})
    answers = consistency["acknowledged"]
    result = {
        "database": database, "users": users, "duration_s": duration, "rate_per_user": rate,
        "batch": batch, "set_up_s": round(set_up_s, 1),
        "web_savers": sum(not p["sync"] for p in fixture["people"]),
        "syncers": sum(p["sync"] for p in fixture["people"]),
        "checkpoints_per_assessment": fixture["checkpoints_per_assessment"],
        "assessments": len({p["assessment"] for p in fixture["people"]}),
        "saves": saves, "batches": batches, "batch_name": batch_name,
        "all_requests": total, "failures": stats["failures"],
        "answers_acknowledged": answers, "answers_per_s": round(answers / duration, 1),
        "errors": total.get("failures", 0), "server_errors": server_errors[:10],
        "consistency": consistency, "one_save": one_save, "cpu_s": {"server": round(server_cpu, 1),
                                              "locust": round(locust_cpu, 1),
                                              "postgres": round(postgres_cpu, 1)},
        "load_average": {"start": load_start, "end": load_end},
    }
    result["passed"] = {
        "errors": result["errors"] == 0 and not server_errors,
        "lost": consistency["lost"] == 0 and consistency["stored_differently"] == 0
        and consistency["final_answer_differs"] == 0 and consistency["score_rows_differ"] == 0
        and consistency["assessment_scores_differ"] == 0,
        "p95": saves.get("p95_ms", 0) < TARGET_P95_MS,
        "rate": database != "postgresql" or saves.get("per_s", 0) >= TARGET_SAVES_PER_S,
    }
    return result


# --------------------------------------------------------------------------- report

def section(results: list[dict[str, Any]], command: str) -> str:
    m = machine()
    lines = [
        HEADING, "",
        f"`{command}` on {m['cpu']}, {m['cores']} cores (shared with other work), "
        f"{m['memory_gib']} GiB, {m['os']}, Python {m['python']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgresql']}. Locust and gunicorn run on the same two cores.", "",
        "Set-up per database: the production settings, ten district hospitals on the demo DH "
        "checklist (533 checkpoints, five departments), one assessment each, one assessor per "
        "department (50), each assigned to their department; one in five syncs batches from a "
        "device, the others save through the capture page. gunicorn as `srishti serve` runs "
        "it (`--workers 2 --threads 4`). Each Locust user logs in through the form, opens its "
        "department, then saves at up to the rate below (`constant_throughput`, so a slow "
        "server lowers the rate instead of queueing without end). Targets: 0 errors, 0 lost, "
        f"save p95 < {TARGET_P95_MS:.0f} ms, at least {TARGET_SAVES_PER_S:.0f} saves/s on "
        "PostgreSQL.", "",
        "| database | users (web + sync) | offered | saves | saves/s | save p50 | save p95 | "
        "save p99 | batches (p50 / p95) | answers acknowledged (/s) | errors | lost | score "
        "rows = recount | CPU s: gunicorn / PostgreSQL / Locust | result |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "skipped" in r:
            lines.append(f"| {r['database']} | skipped: {r['skipped']} |" + " |" * 13)
            continue
        s, b, c = r["saves"], r["batches"], r["consistency"]
        ok = all(r["passed"].values())
        missed = [k for k, v in r["passed"].items() if not v]
        lines.append(
            f"| {r['database']} | {r['users']} ({r['web_savers']} + {r['syncers']}) | "
            f"{r['rate_per_user']}/s per user, {r['duration_s']} s | {s.get('requests', 0):,} | "
            f"{s.get('per_s', 0):.1f} | {s.get('median_ms', 0):.0f} ms | "
            f"{s.get('p95_ms', 0):.0f} ms | {s.get('p99_ms', 0):.0f} ms | "
            f"{b.get('requests', 0):,} x {r['batch']} changes ({b.get('median_ms', 0):.0f} / "
            f"{b.get('p95_ms', 0):.0f} ms) | {r['answers_acknowledged']:,} "
            f"({r['answers_per_s']}) | {r['errors']} | {c['lost']} | "
            f"{c['score_rows_checked'] - c['score_rows_differ']:,} of "
            f"{c['score_rows_checked']:,} | {r['cpu_s']['server']} / "
            f"{r['cpu_s'].get('postgres', 0)} / {r['cpu_s']['locust']} | "
            f"{'PASS' if ok else 'FAIL (' + ', '.join(missed) + ')'} |")
    ran = [r for r in results if "skipped" not in r]
    for r in ran:
        if r.get("failures") or r.get("server_errors"):
            lines += ["", f"Failures on {r['database']}: " + "; ".join(
                f"{f['name']}: {f['error']} x{f['occurrences']}" for f in r["failures"][:6])
                + ". In the server's log: " + ("; ".join(r["server_errors"]) or "nothing") + "."]
            logged = " ".join(r["server_errors"])
            for marker, explanation in KNOWN_FAILURES.items():
                if marker in logged:
                    lines += ["", explanation]
    for r in ran:
        lines += ["", f"Load average on {r['database']}: {r['load_average']['start']} at the "
                  f"start, {r['load_average']['end']} at the end (1, 5, 15 minutes)."]
    if ran:
        lines += ["", "### One save, step by step", "",
                  "After the load, on the same database, saves through the same endpoint in "
                  "one process with nothing else of ours running (Django's test client: the "
                  "whole middleware stack, no network): CPU time of the request and of each "
                  "step, medians; the PostgreSQL server's own time is not in them.", "",
                  "| step | " + " | ".join(r["database"] for r in ran) + " |",
                  "|---|" + "---|" * len(ran)]
        names = sorted(dict.fromkeys(k for r in ran for k in r["one_save"]["steps_cpu_ms"]),
                       key=lambda k: STEPS.index(k) if k in STEPS else len(STEPS))
        lines.append("| the whole request (CPU) | " + " | ".join(
            f"{r['one_save']['request_cpu_ms']} ms" for r in ran) + " |")
        lines.append("| the whole request (wall) | " + " | ".join(
            f"{r['one_save']['request_wall_ms']} ms" for r in ran) + " |")
        for name in names:
            lines.append(f"| {name} | " + " | ".join(
                f"{r['one_save']['steps_cpu_ms'].get(name, '')} ms" for r in ran) + " |")
        if all(r["one_save"].get("queries") for r in ran):  # not counted before 2026-12-05
            lines.append("| queries | " + " | ".join(str(r["one_save"]["queries"])
                                                   for r in ran) + " |")
        lines += ["", "### Against the targets", ""]
        for r in ran:
            s, cpu = r["saves"], r["one_save"]["request_cpu_ms"]
            ceiling = 2000.0 / cpu if cpu else 0
            lines.append(
                f"- {r['database']}: {s.get('per_s', 0):.1f} saves/s through the capture page "
                f"plus {r['batches'].get('requests', 0):,} batches "
                f"({r['answers_per_s']} answers/s acknowledged in all); save p95 "
                f"{s.get('p95_ms', 0):,.0f} ms"
                + (f", {s.get('p95_ms', 0) / TARGET_P95_MS:.0f}x the {TARGET_P95_MS:.0f} ms "
                   "target" if s.get("p95_ms", 0) >= TARGET_P95_MS else "")
                + (f"; {TARGET_SAVES_PER_S / max(s.get('per_s', 0), 0.1):.0f}x short of "
                   f"{TARGET_SAVES_PER_S:.0f} saves/s" if database_short(r) else "")
                + f". At {cpu} ms of CPU per save in Django alone, two whole cores would "
                f"serve at most ~{ceiling:.0f} saves/s before PostgreSQL, Locust and the "
                "machine's other work take their share.")
    return "\n".join(lines) + "\n"


# What a failure seen in the server's log has been traced to.
KNOWN_FAILURES = {
    "deadlock detected": (
        "Deadlocks: the sync batch path (`assessments.batch.responses_apply`) rescores the "
        "assessment without first taking the assessment's row lock, which `response_save` "
        "takes before anything else. A batch and a capture-page save on the same assessment "
        "(different departments) then rewrite the same stored score rows at once, and "
        "PostgreSQL breaks the deadlock by failing one of them (HTTP 500, that request rolled "
        "back as a whole: nothing half-written, nothing acknowledged lost). SQLite's "
        "IMMEDIATE transactions serialise writers, so it does not happen there."),
    "score_row_unique": (
        "Duplicate score rows: the same race, seen from the other side: two rescorings of one "
        "assessment each insert a facility-wide score row that the other's snapshot did not "
        "have yet."),
}


def database_short(r: dict[str, Any]) -> bool:
    return r["database"] == "postgresql" and r["saves"].get("per_s", 0) < TARGET_SAVES_PER_S


# --------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step")
    p = sub.add_parser("prepare")
    p.add_argument("--users", type=int, required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("profile")
    p.add_argument("--fixture", required=True)
    p.add_argument("--saves", type=int, default=200)
    p = sub.add_parser("check")
    p.add_argument("--fixture", required=True)
    p.add_argument("--acks", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--rate", type=float, default=5.0,
                        help="saves (or batches) per second each user attempts")
    parser.add_argument("--batch", type=int, default=20, help="changes per sync batch")
    parser.add_argument("--profile-saves", type=int, default=200,
                        help="saves timed step by step in one process after the load")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", default=POSTGRES_LOAD_URL)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--write", action="store_true", help="write its section of the doc")
    args = parser.parse_args(argv)

    if args.step == "prepare":
        _django({})
        Path(args.out).write_text(json.dumps(build_fixture(args.users)))
        return 0
    if args.step == "profile":
        _django({})
        emit(profile(json.loads(Path(args.fixture).read_text()), args.saves))
        return 0
    if args.step == "check":
        _django({})
        emit(check(json.loads(Path(args.fixture).read_text()),
                   json.loads(Path(args.acks).read_text())))
        return 0

    results = []
    for database in args.databases:
        if database == "postgresql":
            try:
                recreate_postgres(args.postgres_url)
            except Exception as exc:  # no server here: say so instead of failing
                results.append({"database": database, "skipped": f"no PostgreSQL ({exc})"})
                continue
        results.append(run_once(database, users=args.users, duration=args.duration,
                                rate=args.rate, batch=args.batch,
                                postgres_url=args.postgres_url,
                                profile_saves=args.profile_saves))
    if args.json:
        emit({"machine": machine(), "results": results})
        return 0
    command = "python -m bench.load_bench " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:]) if a != "--write")
    text = section(results, command.strip())
    print(text)
    if args.write:
        write_doc_section(HEADING, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
