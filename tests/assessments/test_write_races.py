"""Answers written at once from devices (sync batches) and browsers (the capture page) to
one assessment: every writer gets an answer (applied, conflict, replayed or refused), never
a server error or a deadlock, and the stored scores always equal a recount. On PostgreSQL
the threads run in this process; on SQLite in a child process on a file database, as
Srishti runs it. The scenarios and their promises: write_races.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .write_races import check, scenarios, world_ids

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_on_postgresql_are_applied_or_refused_and_scores_stay_true():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL run; SQLite runs in the test below")
    check(scenarios(*world_ids()))


def test_concurrent_answers_on_sqlite_are_applied_or_refused_and_scores_stay_true(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SRISHTI_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="srishti.config.settings.test")
    done = subprocess.run([sys.executable, "-m", "tests.assessments.write_races"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    check(json.loads(done.stdout.strip().splitlines()[-1]))
