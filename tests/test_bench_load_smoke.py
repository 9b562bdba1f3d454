"""The load benchmark still runs: two simulated assessors (one saving through the capture
page, one syncing batches) against gunicorn for a few seconds, then the consistency check.
How fast is for bench/load_bench.py and docs/benchmarks.md; this checks that it works."""

import importlib.util
import json
import subprocess
import sys

import pytest

from bench.common import REPO

# Not imported here: Locust patches the standard library (gevent) as it is imported.
needs_locust = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None,
    reason="the bench extra is not installed (pip install -e .[bench])")


@needs_locust
def test_the_load_benchmark_saves_syncs_and_finds_every_acknowledged_answer_stored():
    done = subprocess.run(
        [sys.executable, "-m", "bench.load_bench", "--users", "2", "--duration", "12",
         "--rate", "2", "--batch", "5", "--profile-saves", "5", "--databases", "sqlite",
         "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (result,) = json.loads(done.stdout.strip().splitlines()[-1])["results"]

    assert (result["web_savers"], result["syncers"]) == (1, 1)
    assert result["saves"]["requests"] > 0 and result["batches"]["requests"] > 0
    assert result["errors"] == 0, result["failures"]
    checked = result["consistency"]
    assert checked["acknowledged"] > 0
    assert (checked["lost"], checked["stored_differently"], checked["final_answer_differs"]) == (
        0, 0, 0)
    assert checked["score_rows_checked"] > 0 and checked["score_rows_differ"] == 0
    assert checked["assessment_scores_differ"] == 0
    assert result["one_save"]["request_cpu_ms"] > 0 and result["one_save"]["queries"] > 0
    assert "  of which assessment_rescore" in result["one_save"]["steps_cpu_ms"]


def test_the_load_report_names_the_targets_and_each_database():
    from bench import load_bench

    row = {"database": "sqlite", "users": 2, "web_savers": 1, "syncers": 1,
           "rate_per_user": 2.0, "duration_s": 6, "batch": 5,
           "saves": {"requests": 10, "per_s": 1.7, "median_ms": 20, "p95_ms": 40, "p99_ms": 50},
           "batches": {"requests": 5, "median_ms": 60, "p95_ms": 90},
           "answers_acknowledged": 35, "answers_per_s": 5.8, "errors": 0,
           "consistency": {"lost": 0, "score_rows_checked": 100, "score_rows_differ": 0},
           "cpu_s": {"server": 3.0, "locust": 0.5}, "failures": [], "server_errors": [],
           "load_average": {"start": [1.0, 1.0, 1.0], "end": [1.5, 1.0, 1.0]},
           "one_save": {"request_cpu_ms": 20.0, "request_wall_ms": 25.0, "queries": 31,
                        "steps_cpu_ms": {"  of which assessment_rescore": 8.0}},
           "passed": {"errors": True, "lost": True, "p95": True, "rate": True}}
    text = load_bench.section([row, {"database": "postgresql", "skipped": "no server"}],
                              "python -m bench.load_bench")

    assert "| sqlite | 2 (1 + 1) |" in text and "| PASS |" in text
    assert "postgresql | skipped: no server" in text
    assert "p95 < 100 ms" in text and "200 saves/s" in text
    assert "| the whole request (CPU) | 20.0 ms |" in text
    assert "at most ~100 saves/s" in text
