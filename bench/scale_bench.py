"""National scale, simulated: 175,000 facilities in 36 states with a year of assessments,
in PostgreSQL with the assessment, score and response tables partitioned by state; the
state and national dashboards' queries timed on it (docs/scaling.md).

The generator writes its own schema (`nat`, in the database named by `--url`, default
`scale`), not the application's tables: partitioning needs the partition key (the state)
in every partitioned table and in its primary key, which the application's ScoreRow and
Response do not carry (they reach the state through assessment -> facility -> district).
The tables have the application's columns plus `state_id`; the dashboard queries are the
ones `srishti.dashboards.selectors` issues, written in SQL with the state key added so
that PostgreSQL can prune partitions (what the application's queries would have to do).

What is generated, and what is scaled down (see docs/scaling.md for the extrapolation):
- 36 states and union territories with weights close to their share of India's
  facilities, ~780 districts, 175,000 facilities (sub-centres 85%); full size.
- Assessments: two internal assessments per facility in the year (350,000); full size.
- Facility-wide score rows (areas and standards: what the dashboards read), for every
  assessment, consistent sums (area = sum of its standards); full size (~22 million).
- The assessment score (overall, passed) per assessment; full size.
- Department-level score rows and responses (one row per checkpoint): only for one
  assessment in `--sample` (default 50), since no dashboard reads them; their sizes are
  measured and multiplied out.

    .venv/bin/python -m bench.scale_bench [--url postgres://postgres@127.0.0.1:5432/scale]
        [--facilities 175000] [--per-year 2] [--sample 50] [--runs 15] [--json] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import _conninfo, emit, load_average, machine, summary  # noqa: E402

URL = "postgres://postgres@127.0.0.1:5432/scale"
DOC = Path(__file__).resolve().parents[1] / "docs" / "scaling.md"
TARGET_P95_MS = 1000.0

# Share of India's public health facilities (rounded; sub-centre counts dominate), and
# districts. Weights, not data: the generator only needs a realistic spread, from a
# Lakshadweep of a dozen facilities to an Uttar Pradesh of ~30,000.
STATES = [
    ("Uttar Pradesh", 17.0, 75), ("Maharashtra", 8.0, 36), ("Bihar", 7.5, 38),
    ("West Bengal", 7.0, 23), ("Madhya Pradesh", 6.5, 55), ("Rajasthan", 7.0, 50),
    ("Tamil Nadu", 5.5, 38), ("Karnataka", 5.5, 31), ("Gujarat", 5.0, 33),
    ("Andhra Pradesh", 4.5, 26), ("Odisha", 4.5, 30), ("Telangana", 3.0, 33),
    ("Kerala", 3.0, 14), ("Jharkhand", 2.7, 24), ("Assam", 3.0, 35), ("Punjab", 2.0, 23),
    ("Chhattisgarh", 3.0, 33), ("Haryana", 1.8, 22), ("Delhi", 0.8, 11),
    ("Jammu and Kashmir", 1.5, 20), ("Uttarakhand", 1.2, 13), ("Himachal Pradesh", 1.3, 12),
    ("Tripura", 0.6, 8), ("Meghalaya", 0.4, 12), ("Manipur", 0.4, 16), ("Nagaland", 0.4, 16),
    ("Goa", 0.15, 2), ("Arunachal Pradesh", 0.35, 26), ("Puducherry", 0.1, 4),
    ("Mizoram", 0.25, 11), ("Chandigarh", 0.04, 1), ("Sikkim", 0.1, 6),
    ("Dadra and Nagar Haveli and Daman and Diu", 0.05, 3),
    ("Andaman and Nicobar Islands", 0.1, 3), ("Ladakh", 0.05, 2), ("Lakshadweep", 0.01, 1),
]
# Facility types and their share; standards per area of concern (A..H) of each type's
# checklist, checkpoints per standard and departments (for the sampled rows).
TYPES = {
    "AAM-SC": (0.846, (6, 7, 8, 6, 8, 5, 5, 5), 12, 1),
    "PHC": (0.108, (7, 8, 10, 7, 10, 6, 6, 6), 14, 3),
    "UPHC": (0.014, (7, 8, 10, 7, 10, 6, 6, 6), 14, 3),
    "CHC": (0.024, (8, 9, 12, 8, 11, 6, 7, 6), 40, 12),
    "SDH": (0.004, (9, 10, 12, 9, 12, 7, 7, 7), 70, 16),
    "DH": (0.004, (9, 10, 12, 9, 12, 7, 7, 7), 90, 18),
}
AREAS = "ABCDEFGH"
YEAR = 2026


def connect(url: str, **kwargs):
    import psycopg

    return psycopg.connect(_conninfo(url), **kwargs)


def recreate(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


SCHEMA = """
CREATE SCHEMA nat;
-- Small tables read by every query: in Citus, reference tables (copied to every node).
CREATE TABLE nat.state (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE nat.district (id int PRIMARY KEY, state_id int NOT NULL REFERENCES nat.state,
                           name text NOT NULL);
CREATE TABLE nat.facility (id bigint PRIMARY KEY, state_id int NOT NULL,
                           district_id int NOT NULL REFERENCES nat.district,
                           facility_type text NOT NULL, name text NOT NULL);
CREATE INDEX ON nat.facility (district_id);
CREATE INDEX ON nat.facility (state_id);
CREATE TABLE nat.standard (facility_type text, area char(1), code text, checkpoints int,
                           PRIMARY KEY (facility_type, code));

-- Partitioned by state (LIST), all four on the same key, so that a join between them
-- pairs partition with partition and a state's query touches its own partitions only.
CREATE TABLE nat.assessment (
    id bigint NOT NULL, state_id int NOT NULL, facility_id bigint NOT NULL,
    start_date date NOT NULL, kind text NOT NULL DEFAULT 'internal',
    status text NOT NULL DEFAULT 'submitted', PRIMARY KEY (state_id, id)
) PARTITION BY LIST (state_id);
CREATE TABLE nat.assessment_score (
    assessment_id bigint NOT NULL, state_id int NOT NULL, overall float, obtained float,
    maximum float, passed boolean, PRIMARY KEY (state_id, assessment_id)
) PARTITION BY LIST (state_id);
CREATE TABLE nat.score_row (
    id bigint GENERATED ALWAYS AS IDENTITY, state_id int NOT NULL,
    assessment_id bigint NOT NULL, department_id int, level text NOT NULL,
    code text NOT NULL, obtained float NOT NULL, maximum float NOT NULL, scored int NOT NULL,
    not_applicable int NOT NULL, score float, PRIMARY KEY (state_id, id)
) PARTITION BY LIST (state_id);
CREATE TABLE nat.response (
    id bigint GENERATED ALWAYS AS IDENTITY, state_id int NOT NULL,
    assessment_id bigint NOT NULL, checkpoint_id int NOT NULL, value numeric(3, 1),
    remark text NOT NULL DEFAULT '', revision int NOT NULL DEFAULT 1,
    PRIMARY KEY (state_id, id), UNIQUE (state_id, assessment_id, checkpoint_id)
) PARTITION BY LIST (state_id);
"""

# Created after the load (faster than maintaining them row by row), on the parents, so
# that every partition gets its own. The two covering partial indexes are migration 0004's.
INDEXES = """
CREATE INDEX ON nat.assessment (state_id, facility_id, start_date DESC, id DESC);
CREATE INDEX score_row_facility_areas ON nat.score_row (state_id, assessment_id, code)
    INCLUDE (obtained, maximum, score) WHERE department_id IS NULL AND level = 'area';
CREATE INDEX score_row_facility_standards ON nat.score_row (state_id, assessment_id, code)
    INCLUDE (obtained, maximum, score) WHERE department_id IS NULL AND level = 'standard';
"""


def _copy(conn, table: str, columns: str, rows) -> int:
    n = 0
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def generate(url: str, *, facilities: int, per_year: int, sample: int,
             seed: int = 13) -> dict[str, Any]:
    rng = random.Random(seed)
    recreate(url)
    figures: dict[str, Any] = {"steps": {}}
    started = time.perf_counter()

    def step(name: str, t0: float) -> float:
        now = time.perf_counter()
        figures["steps"][name] = round(now - t0, 1)
        return now

    with connect(url, autocommit=True) as conn:
        t = time.perf_counter()
        conn.execute(SCHEMA)
        for table in ("assessment", "assessment_score", "score_row", "response"):
            for sid in range(1, len(STATES) + 1):
                conn.execute(f"CREATE TABLE nat.{table}_s{sid:02} PARTITION OF nat.{table} "
                             f"FOR VALUES IN ({sid})")
        _copy(conn, "nat.state", "id, name", ((i + 1, s[0]) for i, s in enumerate(STATES)))
        districts, district_of_state = [], {}
        for sid, (name, _w, n) in enumerate(STATES, start=1):
            ids = list(range(len(districts) + 1, len(districts) + n + 1))
            district_of_state[sid] = ids
            districts += [(d, sid, f"{name} district {k + 1}") for k, d in enumerate(ids)]
        _copy(conn, "nat.district", "id, state_id, name", districts)
        standards = []
        for ftype, (_share, per_area, cps, _deps) in TYPES.items():
            standards += [(ftype, area, f"{area}{k + 1}", cps)
                          for area, n in zip(AREAS, per_area, strict=True)
                          for k in range(n)]
        _copy(conn, "nat.standard", "facility_type, area, code, checkpoints", standards)

        weights = [s[1] for s in STATES]
        type_names = list(TYPES)
        type_weights = [TYPES[t][0] for t in type_names]
        states_drawn = rng.choices(range(1, len(STATES) + 1), weights=weights, k=facilities)
        types_drawn = rng.choices(type_names, weights=type_weights, k=facilities)
        rows = [(i + 1, sid, rng.choice(district_of_state[sid]), ftype, f"{ftype} {i + 1}")
                for i, (sid, ftype) in enumerate(zip(states_drawn, types_drawn, strict=True))]
        _copy(conn, "nat.facility", "id, state_id, district_id, facility_type, name", rows)
        t = step("states, districts, facilities", t)

        # Assessments: `per_year` a facility, spread over the year; one in 40 facilities
        # not assessed yet.
        assessments = []
        aid = 0
        for fid, sid, _d, _t, _n in rows:
            if rng.random() < 0.025:
                continue
            first = rng.randrange(0, 365 // per_year)
            for k in range(per_year):
                aid += 1
                day = dt.date(YEAR, 1, 1) + dt.timedelta(days=first + k * (365 // per_year))
                assessments.append((aid, sid, fid, day))
        # Sorted by state then date, as a year of state-by-state work would arrive.
        _copy(conn, "nat.assessment", "id, state_id, facility_id, start_date",
              sorted(assessments, key=lambda a: (a[1], a[3], a[0])))
        t = step("assessments", t)

        # Standard rows: each facility has a maturity; the second assessment of the year
        # is better than the first. Points are whole (checkpoints scored 0, 1 or 2).
        conn.execute("SELECT setseed(0.13)")
        conn.execute("""
            CREATE TEMP TABLE maturity AS
            SELECT id AS facility_id, 0.35 + 0.5 * random() AS base FROM nat.facility""")
        conn.execute("""
            INSERT INTO nat.score_row (state_id, assessment_id, department_id, level, code,
                                       obtained, maximum, scored, not_applicable, score)
            SELECT a.state_id, a.id, NULL, 'standard', s.code, o.obtained, s.checkpoints * 2,
                   s.checkpoints, 0, 100.0 * o.obtained / (s.checkpoints * 2)
            FROM nat.assessment a
            JOIN nat.facility f ON f.id = a.facility_id
            JOIN maturity m ON m.facility_id = a.facility_id
            JOIN nat.standard s ON s.facility_type = f.facility_type
            CROSS JOIN LATERAL (SELECT floor(s.checkpoints * 2 * least(1.0, greatest(0.0,
                m.base + (extract(doy FROM a.start_date) / 365.0) * 0.15
                + (random() - 0.5) * 0.5)))::float AS obtained) o""")
        t = step("standard score rows", t)
        conn.execute("""
            INSERT INTO nat.score_row (state_id, assessment_id, department_id, level, code,
                                       obtained, maximum, scored, not_applicable, score)
            SELECT r.state_id, r.assessment_id, NULL, 'area', left(r.code, 1),
                   sum(r.obtained), sum(r.maximum), sum(r.scored), 0,
                   100.0 * sum(r.obtained) / sum(r.maximum)
            FROM nat.score_row r
            GROUP BY r.state_id, r.assessment_id, left(r.code, 1)""")
        t = step("area score rows", t)
        # Passed: 70% overall and every area at least 50% (the shape of the NQAS rule).
        conn.execute("""
            INSERT INTO nat.assessment_score (assessment_id, state_id, overall, obtained,
                                              maximum, passed)
            SELECT assessment_id, state_id, 100.0 * sum(obtained) / sum(maximum),
                   sum(obtained), sum(maximum),
                   100.0 * sum(obtained) / sum(maximum) >= 70 AND min(score) >= 50
            FROM nat.score_row WHERE level = 'area'
            GROUP BY state_id, assessment_id""")
        t = step("assessment scores", t)

        # The sample: department rows and responses of one assessment in `sample`.
        conn.execute(f"""
            INSERT INTO nat.score_row (state_id, assessment_id, department_id, level, code,
                                       obtained, maximum, scored, not_applicable, score)
            SELECT r.state_id, r.assessment_id, d.n, r.level, r.code, r.obtained, r.maximum,
                   r.scored, 0, r.score
            FROM nat.score_row r
            JOIN nat.assessment a ON a.state_id = r.state_id AND a.id = r.assessment_id
            JOIN nat.facility f ON f.id = a.facility_id
            CROSS JOIN LATERAL generate_series(1, CASE f.facility_type
                {' '.join(f"WHEN '{k}' THEN {v[3]}" for k, v in TYPES.items())} END) d(n)
            WHERE r.assessment_id % {sample} = 0 AND r.department_id IS NULL""")
        conn.execute(f"""
            INSERT INTO nat.response (state_id, assessment_id, checkpoint_id, value, remark)
            SELECT a.state_id, a.id, c.n,
                   (ARRAY[2, 2, 2, 1, 0, NULL])[1 + floor(random() * 6)::int]::numeric,
                   CASE WHEN random() < 0.2 THEN 'gap noted' ELSE '' END
            FROM nat.assessment a
            JOIN nat.facility f ON f.id = a.facility_id
            CROSS JOIN LATERAL generate_series(1, (SELECT sum(checkpoints)::int
                FROM nat.standard s WHERE s.facility_type = f.facility_type)
                * CASE f.facility_type WHEN 'AAM-SC' THEN 1 ELSE 2 END) c(n)
            WHERE a.id % {sample} = 0""")
        t = step(f"sampled department rows and responses (1 assessment in {sample})", t)
        conn.execute(INDEXES)
        t = step("indexes", t)
        conn.execute("VACUUM ANALYZE")
        t = step("vacuum analyze", t)
        figures["generation_s"] = round(time.perf_counter() - started, 1)
        figures["counts"] = dict(conn.execute("""
            SELECT 'states', count(*) FROM nat.state UNION ALL
            SELECT 'districts', count(*) FROM nat.district UNION ALL
            SELECT 'facilities', count(*) FROM nat.facility UNION ALL
            SELECT 'assessments', count(*) FROM nat.assessment UNION ALL
            SELECT 'facility-wide score rows', count(*) FROM nat.score_row
                WHERE department_id IS NULL UNION ALL
            SELECT 'department score rows (sample)', count(*) FROM nat.score_row
                WHERE department_id IS NOT NULL UNION ALL
            SELECT 'responses (sample)', count(*) FROM nat.response UNION ALL
            SELECT 'sampled assessments', count(*) FROM nat.assessment
                WHERE id %% %s = 0""", (sample,)).fetchall())
        figures["types"] = dict(conn.execute(
            "SELECT facility_type, count(*) FROM nat.facility GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall())
        figures["sizes_mb"] = {
            table: round(conn.execute(
                "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                "WHERE inhparent = %s::regclass", (f"nat.{table}",)).fetchone()[0] / 2**20)
            for table in ("assessment", "assessment_score", "score_row", "response")}
        figures["database_mb"] = round(conn.execute(
            "SELECT pg_database_size(current_database())").fetchone()[0] / 2**20)
        figures["largest_state"] = conn.execute("""
            SELECT s.id, s.name, count(*) FROM nat.facility f JOIN nat.state s
            ON s.id = f.state_id GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1""").fetchone()
        figures["smallest_state"] = conn.execute("""
            SELECT s.id, s.name, count(*) FROM nat.facility f JOIN nat.state s
            ON s.id = f.state_id GROUP BY 1, 2 ORDER BY 3 LIMIT 1""").fetchone()
    figures["sample"] = sample
    figures["per_year"] = per_year
    return figures


# --------------------------------------------------------------------------- dashboards

def _latest(conn, state: int | None) -> list[int]:
    """latest_assessment_ids: the newest assessment of each facility in scope."""
    where = "WHERE a.state_id = %(s)s" if state else ""
    return [r[0] for r in conn.execute(f"""
        SELECT id FROM (SELECT a.id, row_number() OVER (PARTITION BY a.facility_id
                        ORDER BY a.start_date DESC, a.id DESC) AS rank
                        FROM nat.assessment a {where}) ranked
        WHERE rank = 1""", {"s": state})]


def dashboard(conn, state: int | None, joined: bool = False) -> dict[str, Any]:
    """The queries of `state_dashboard` (a state quality unit's page when `state` is
    given; a national user's, grouped by state, when it is None), each with the state key
    on the partitioned tables so that PostgreSQL reads the state's partitions only.

    As the application does, the newest assessment of each facility is read first and
    its ids passed to the other queries; with `joined`, it is computed inside each
    statement instead (a join to `DISTINCT ON (facility_id)`), as a national page needs.
    """
    p: dict[str, Any] = {"s": state}
    on_state = "AND {t}.state_id = %(s)s" if state else ""
    group = "f.district_id" if state else "f.state_id"
    if joined:
        where = "WHERE a.state_id = %(s)s" if state else ""
        p["latest"] = None
        with_latest = f"""WITH latest AS MATERIALIZED (
            SELECT DISTINCT ON (a.facility_id) a.state_id, a.id FROM nat.assessment a {where}
            ORDER BY a.facility_id, a.start_date DESC, a.id DESC) """
        latest_count = conn.execute(with_latest + "SELECT count(*) FROM latest",
                                    p).fetchone()[0]

        def among_latest(t: str) -> tuple[str, str]:
            return (f"JOIN latest l ON l.state_id = {t}.state_id AND l.id = {t}.assessment_id",
                    "TRUE")
    else:
        with_latest = ""
        latest = _latest(conn, state)
        latest_count = len(latest)
        p["latest"] = latest

        def among_latest(t: str) -> tuple[str, str]:
            return "", f"{t}.assessment_id = ANY(%(latest)s::bigint[])"

    facilities_where = "WHERE f.state_id = %(s)s" if state else ""
    groups = conn.execute(
        f"SELECT {group}, count(*) FROM nat.facility f {facilities_where} GROUP BY 1",
        p).fetchall()
    join, cond = among_latest("sc")
    ranking = conn.execute(f"""{with_latest}
        SELECT {group}, count(*), avg(sc.overall), count(*) FILTER (WHERE sc.passed)
        FROM nat.assessment_score sc {join}
        JOIN nat.assessment a ON a.state_id = sc.state_id AND a.id = sc.assessment_id
        JOIN nat.facility f ON f.id = a.facility_id
        WHERE {cond} {on_state.format(t='sc')} {on_state.format(t='a')}
        GROUP BY 1""", p).fetchall()
    tiles = conn.execute(f"""{with_latest}
        SELECT count(*), avg(overall), count(*) FILTER (WHERE passed)
        FROM nat.assessment_score sc {join}
        WHERE {cond} {on_state.format(t='sc')}""", p).fetchone()
    join, cond = among_latest("r")
    heat = conn.execute(f"""{with_latest}
        SELECT {group}, r.code, sum(r.obtained), sum(r.maximum)
        FROM nat.score_row r {join}
        JOIN nat.assessment a ON a.state_id = r.state_id AND a.id = r.assessment_id
        JOIN nat.facility f ON f.id = a.facility_id
        WHERE {cond} AND r.department_id IS NULL
              AND r.level = 'area' {on_state.format(t='r')} {on_state.format(t='a')}
        GROUP BY 1, 2""", p).fetchall()
    weakest = conn.execute(f"""{with_latest}
        SELECT r.code, sum(r.obtained), sum(r.maximum), count(*)
        FROM nat.score_row r {join}
        WHERE {cond} AND r.department_id IS NULL
              AND r.level = 'standard' AND r.maximum > 0 {on_state.format(t='r')}
        GROUP BY 1 ORDER BY sum(r.obtained) / sum(r.maximum) LIMIT 10""", p).fetchall()
    trend = conn.execute(f"""
        SELECT date_trunc('quarter', a.start_date), avg(sc.overall)
        FROM nat.assessment_score sc
        JOIN nat.assessment a ON a.state_id = sc.state_id AND a.id = sc.assessment_id
        WHERE sc.overall IS NOT NULL {on_state.format(t='sc')} {on_state.format(t='a')}
        GROUP BY 1 ORDER BY 1""", p).fetchall()
    return {"latest": latest_count, "groups": len(groups), "ranking": len(ranking),
            "tiles": tiles, "heat_cells": len(heat), "weakest": weakest[:1],
            "quarters": len(trend)}


# A national page cannot sum 175,000 facilities' rows on every view; it reads totals per
# district of every facility's latest assessment, refreshed by the background worker
# (every few minutes, or after a batch of saves).
ROLLUP = """
DROP MATERIALIZED VIEW IF EXISTS nat.latest_district_rows, nat.latest_district_scores,
    nat.quarter_scores;
CREATE MATERIALIZED VIEW nat.latest_district_scores AS
    WITH latest AS (SELECT DISTINCT ON (a.facility_id) a.state_id, a.id, a.facility_id
                    FROM nat.assessment a
                    ORDER BY a.facility_id, a.start_date DESC, a.id DESC)
    SELECT f.state_id, f.district_id, count(*) AS assessed, sum(sc.overall) AS overall,
           count(*) FILTER (WHERE sc.passed) AS ready
    FROM latest l JOIN nat.assessment_score sc ON sc.state_id = l.state_id
         AND sc.assessment_id = l.id
    JOIN nat.facility f ON f.id = l.facility_id
    GROUP BY 1, 2;
CREATE MATERIALIZED VIEW nat.latest_district_rows AS
    WITH latest AS (SELECT DISTINCT ON (a.facility_id) a.state_id, a.id, a.facility_id
                    FROM nat.assessment a
                    ORDER BY a.facility_id, a.start_date DESC, a.id DESC)
    SELECT f.state_id, f.district_id, r.level, r.code, sum(r.obtained) AS obtained,
           sum(r.maximum) AS maximum, count(*) AS facilities
    FROM latest l JOIN nat.score_row r ON r.state_id = l.state_id AND r.assessment_id = l.id
    JOIN nat.facility f ON f.id = l.facility_id
    WHERE r.department_id IS NULL
    GROUP BY 1, 2, 3, 4;
CREATE MATERIALIZED VIEW nat.quarter_scores AS
    SELECT sc.state_id, date_trunc('quarter', a.start_date) AS quarter,
           sum(sc.overall) AS overall, count(*) AS n
    FROM nat.assessment_score sc
    JOIN nat.assessment a ON a.state_id = sc.state_id AND a.id = sc.assessment_id
    WHERE sc.overall IS NOT NULL GROUP BY 1, 2;
"""


def national_from_rollup(conn) -> dict[str, Any]:
    """The national dashboard read from the per-district totals."""
    ranking = conn.execute("""
        SELECT state_id, sum(assessed), sum(overall) / nullif(sum(assessed), 0), sum(ready)
        FROM nat.latest_district_scores GROUP BY 1""").fetchall()
    groups = conn.execute("SELECT state_id, count(*) FROM nat.facility GROUP BY 1").fetchall()
    conn.execute("""SELECT sum(assessed), sum(overall) / nullif(sum(assessed), 0), sum(ready)
                    FROM nat.latest_district_scores""").fetchone()
    conn.execute("""SELECT state_id, code, sum(obtained), sum(maximum)
                    FROM nat.latest_district_rows WHERE level = 'area' GROUP BY 1, 2""")
    conn.execute("""SELECT code, sum(obtained), sum(maximum), sum(facilities)
                    FROM nat.latest_district_rows WHERE level = 'standard' AND maximum > 0
                    GROUP BY 1 ORDER BY sum(obtained) / sum(maximum) LIMIT 10""")
    conn.execute("""SELECT quarter, sum(overall) / sum(n) FROM nat.quarter_scores
                    GROUP BY 1 ORDER BY 1""")
    latest = conn.execute("SELECT sum(assessed) FROM nat.latest_district_scores").fetchone()[0]
    return {"latest": int(latest), "groups": len(groups), "ranking": len(ranking)}


def measure(url: str, runs: int, figures: dict[str, Any]) -> dict[str, Any]:
    import gc

    big, small = figures["largest_state"][0], figures["smallest_state"][0]
    largest = f"largest state ({figures['largest_state'][1]}, " \
        f"{figures['largest_state'][2]:,} facilities)"
    smallest = f"smallest ({figures['smallest_state'][1]}, " \
        f"{figures['smallest_state'][2]:,} facilities)"
    # name: (state, partition pruning, latest computed in each statement)
    cases = {
        f"state dashboard, {largest}": (big, True, False),
        f"state dashboard, {smallest}": (small, True, False),
        "national dashboard (all 36 states)": (None, True, False),
        f"state dashboard, {largest}, latest joined in each query": (big, True, True),
        "national dashboard, latest joined in each query": (None, True, True),
        "state dashboard, largest state, partition pruning off": (big, False, False),
    }
    # A national page over the live rows takes seconds: fewer runs of it.
    national_runs = max(3, runs // 3)
    times: dict[str, list[float]] = {name: [] for name in cases}
    shapes = {}
    with connect(url, autocommit=True) as conn:
        conn.execute("SET enable_partitionwise_aggregate = on")
        conn.execute("SET enable_partitionwise_join = on")
        for name, (state, pruning, joined) in cases.items():  # warm the cache once
            conn.execute(f"SET enable_partition_pruning = {'on' if pruning else 'off'}")
            shapes[name] = dashboard(conn, state, joined)
        for run in range(runs):
            for name, (state, pruning, joined) in cases.items():
                if state is None and run >= national_runs:
                    continue
                conn.execute(f"SET enable_partition_pruning = {'on' if pruning else 'off'}")
                gc.collect()
                t = time.perf_counter()
                dashboard(conn, state, joined)
                times[name].append(time.perf_counter() - t)
    with connect(url, autocommit=True) as conn:
        start = time.perf_counter()
        conn.execute(ROLLUP)
        refresh_s = time.perf_counter() - start
        conn.execute("ANALYZE nat.latest_district_scores, nat.latest_district_rows, "
                     "nat.quarter_scores")
        name = "national dashboard from per-district totals (materialised)"
        shapes[name] = national_from_rollup(conn)
        times[name] = []
        for _ in range(runs):
            gc.collect()
            t = time.perf_counter()
            national_from_rollup(conn)
            times[name].append(time.perf_counter() - t)
    figures["rollup_refresh_s"] = round(refresh_s, 1)
    results = {}
    for name, values in times.items():
        results[name] = {**summary(values), "latest": shapes[name]["latest"],
                         "groups": shapes[name]["groups"]}
        results[name]["passed"] = results[name]["p95_ms"] < TARGET_P95_MS
    return results


def section(data: dict[str, Any], command: str) -> str:
    g, m = data["generated"], data["machine"]
    counts = g["counts"]
    lines = [
        "## Measured", "",
        f"`{command}` on {m['cpu']}, {m['cores']} cores shared with other work, "
        f"{m['memory_gib']} GiB, PostgreSQL {m['postgresql']} with its Debian defaults "
        f"(shared_buffers 128 MB, work_mem 4 MB, 2 parallel workers per gather); load "
        f"average at the end {data['load_average_end']}.", "",
        "| generated | rows |", "|---|---|",
        *[f"| {k} | {v:,} |" for k, v in counts.items()],
        "", "Facility types: " + ", ".join(f"{k} {v:,}" for k, v in g["types"].items()) + ".",
        "", f"Generation took {g['generation_s']} s of wall time: " + "; ".join(
            f"{k} {v} s" for k, v in g["steps"].items()) + ".",
        "", "Sizes on disk (tables with their indexes, all partitions): " + ", ".join(
            f"{k} {v:,} MB" for k, v in g["sizes_mb"].items())
        + f"; the database {g['database_mb']:,} MB.", "",
        f"Dashboards: the queries of `state_dashboard` in SQL (see bench/scale_bench.py), "
        f"{data['runs']} runs each (a third as many, at least 3, of the national pages over the "
        "live rows), interleaved, after one warm-up; wall time of all the "
        "page's queries through one connection, rendering not included (it is the same "
        "template as at Bihar scale). Target: p95 under 1 s.", "",
        "| dashboard | latest assessments read | rows in ranking | median | p95 | result |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in data["dashboards"].items():
        if "materialised" in name:
            name += f" (building the totals: {g.get('rollup_refresh_s', '?')} s)"
        lines.append(f"| {name} | {r['latest']:,} | {r['groups']:,} | {r['median_ms']:,} ms "
                     f"| {r['p95_ms']:,} ms | {'PASS' if r['passed'] else 'FAIL'} |")
    return "\n".join(lines) + "\n"


def write_measured(text: str) -> None:
    current = DOC.read_text()
    start = current.index("## Measured")
    following = current.find("\n## ", start + 1)
    DOC.write_text(current[:start] + text.rstrip() + "\n"
                   + (current[following:] if following >= 0 else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=URL)
    parser.add_argument("--facilities", type=int, default=175_000)
    parser.add_argument("--per-year", type=int, default=2)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--measure-only", action="store_true",
                        help="time the dashboards on the data generated before")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the figures into the doc")
    args = parser.parse_args(argv)
    if args.measure_only:
        import json

        generated = json.loads((Path("/tmp") / "srishti-scale.json").read_text())
    else:
        generated = generate(args.url, facilities=args.facilities, per_year=args.per_year,
                             sample=args.sample)
        import json

        (Path("/tmp") / "srishti-scale.json").write_text(json.dumps(generated))
    data = {"machine": machine(), "generated": generated, "runs": args.runs,
            "dashboards": measure(args.url, args.runs, generated),
            "load_average_end": load_average()}
    if args.json:
        emit(data)
        return 0
    command = "python -m bench.scale_bench " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:]) if a != "--write")
    text = section(data, command.strip())
    print(text)
    if args.write:
        write_measured(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
