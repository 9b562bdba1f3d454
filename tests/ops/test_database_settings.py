"""PostgreSQL connections come from a bounded pool; SQLite writers queue."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

from srishti.accounts.models import User

postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the pool is PostgreSQL's")


def open_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                       "current_database() AND backend_type = 'client backend'")
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_requests_leaves_no_more_connections_than_the_pool_holds():
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool", {"max_size": 8})
    start = threading.Barrier(30)

    def request():
        start.wait()
        User.objects.count()
        close_old_connections()  # what Django does at the end of every request

    threads = [threading.Thread(target=request) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert open_connections() <= pool["max_size"] + 1  # + this test's own


def test_sqlite_writers_wait_in_line_long_enough():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite's settings")
    options = database["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    timeout = int(options["init_command"].split("busy_timeout=")[1].split(";")[0])
    assert timeout >= 20_000
