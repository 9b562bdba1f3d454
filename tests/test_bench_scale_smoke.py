"""The national-scale generator still runs: a few hundred facilities in a throwaway
PostgreSQL database, partitioned by state, and every dashboard case timed once. How fast
is for bench/scale_bench.py and docs/scaling.md; this checks that it works."""

import os

import pytest

from bench import scale_bench
from bench.common import POSTGRES_URL, with_database

SERVER = os.environ.get("DATABASE_URL", "")
SERVER = SERVER if SERVER.startswith(("postgres://", "postgresql://")) else POSTGRES_URL
NAME = f"scale_smoke_{os.getpid()}"  # two test runs on one server do not collide
URL = with_database(SERVER, NAME)


@pytest.fixture
def database():
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(scale_bench._conninfo(SERVER), connect_timeout=3).close()
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server")
    yield URL
    with scale_bench.connect(URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


def test_the_generator_partitions_by_state_and_every_dashboard_case_runs(database):
    figures = scale_bench.generate(database, facilities=400, per_year=2, sample=10)

    counts = figures["counts"]
    assert counts["facilities"] == 400 and counts["states"] == 36
    assert counts["assessments"] > 700 and counts["facility-wide score rows"] > 40_000
    assert counts["responses (sample)"] > 0
    with scale_bench.connect(database) as conn:
        partitions = conn.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = "
                                  "'nat.score_row'::regclass").fetchone()[0]
        # An area row is the sum of its standards' rows.
        mismatched = conn.execute("""
            SELECT count(*) FROM nat.score_row a JOIN (
                SELECT state_id, assessment_id, left(code, 1) AS area, sum(obtained) AS o
                FROM nat.score_row WHERE level = 'standard' AND department_id IS NULL
                GROUP BY 1, 2, 3) s ON s.state_id = a.state_id
                AND s.assessment_id = a.assessment_id AND s.area = a.code
            WHERE a.level = 'area' AND a.department_id IS NULL AND a.obtained <> s.o
        """).fetchone()[0]
    assert partitions == 36 and mismatched == 0

    results = scale_bench.measure(database, 1, figures)

    assert len(results) == 7
    national = results["national dashboard (all 36 states)"]
    rollup = results["national dashboard from per-district totals (materialised)"]
    assert national["latest"] == rollup["latest"] > 0
    assert all(r["median_ms"] > 0 for r in results.values())
    text = scale_bench.section({"generated": figures, "machine": scale_bench.machine(),
                                "runs": 1, "dashboards": results,
                                "load_average_end": [1, 1, 1]}, "test")
    assert text.startswith("## Measured") and "| facilities | 400 |" in text
