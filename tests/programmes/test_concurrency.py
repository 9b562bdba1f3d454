"""Concurrent programme records: the awards still go to the best scores, never an error,
on PostgreSQL (threads in this process) and SQLite (a child process on a file database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .concurrency import check, scenarios

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_concurrent_kayakalp_records_on_postgresql(rules):
    from django.db import connection

    from tests.factories import DistrictFactory, FacilityFactory, UserFactory

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL run; SQLite runs in test_concurrent_kayakalp_records_on_sqlite")
    district = DistrictFactory()
    ids = [FacilityFactory(district=district).pk for _ in range(6)]
    check(scenarios(ids, UserFactory().pk))


def test_concurrent_kayakalp_records_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SRISHTI_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="srishti.config.settings.base")
    done = subprocess.run([sys.executable, "-m", "tests.programmes.concurrency"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    check(json.loads(done.stdout.strip().splitlines()[-1]))
