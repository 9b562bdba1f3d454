"""Timing helpers, the machine's description and Django set-up shared by the benchmarks.

Every benchmark module runs as its own process (bench/run.py starts them), sets Django up
with its own settings and a temporary SRISHTI_VAR, so the user's var/srishti.sqlite3 is
never touched, and prints its figures as one JSON object.
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
REFERENCE_DIR = Path(os.environ.get(
    "SRISHTI_REFERENCE_WORKBOOKS", REPO.parent / "shared" / "reference-workbooks"))
DH_FILLED = REFERENCE_DIR / "NQAS-DH-2016-filled-DH-Anuppur.xlsx"
DH_BLANK = REFERENCE_DIR / "NQAS-DH-2016-blank.xlsx"
# The throwaway databases are created through this server's `test` database.
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


# --------------------------------------------------------------------------- timing

def ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile: the value that 95% of the runs do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(seconds: list[float]) -> dict[str, float]:
    """Median, p95, minimum and maximum of a list of durations, in milliseconds."""
    return {
        "runs": len(seconds),
        "median_ms": ms(statistics.median(seconds)),
        "p95_ms": ms(p95(seconds)),
        "min_ms": ms(min(seconds)),
        "max_ms": ms(max(seconds)),
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run `fn` once; (seconds, its result). Collects garbage first, outside the timing,
    so one run does not pay for the garbage of the previous one."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def progress(items: Iterable, *, desc: str, total: int | None = None) -> Iterator:
    """A tqdm bar on stderr when it is a terminal; the bare iterable otherwise."""
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is a dependency, but a bar is not worth failing for
        return iter(items)
    return iter(tqdm(items, desc=desc, total=total, file=sys.stderr, leave=False,
                     disable=None))


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Like `timed`, and also the CPU time this process spent: (wall, cpu, result).

    On a shared machine the wall time includes waiting for the processor; the CPU time
    does not (but neither does it include work done by another process, such as a
    PostgreSQL server)."""
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, time.process_time() - cpu, result


def ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 2) if baseline else float("inf")


# --------------------------------------------------------------------------- machine

def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def postgres_version(url: str = POSTGRES_URL) -> str | None:
    try:
        import psycopg

        with psycopg.connect(_conninfo(url), connect_timeout=3) as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0])
    except Exception:  # any failure means "not available here"
        return None


def libreoffice_version() -> str | None:
    soffice = shutil.which("soffice")
    if not soffice:
        return None
    try:
        out = subprocess.run([soffice, "--version"], capture_output=True, text=True,
                             timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out.split("\n")[0] or None


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": _os_name(),
        "python": platform.python_version(),
        "django": _version("Django"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(),
        "python_calamine": _version("python-calamine"),
        "libreoffice": libreoffice_version(),
        "load_average": load_average(),
    }


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def wait_for_quiet(max_wait: float, *, threshold: float | None = None) -> bool:
    """Wait up to `max_wait` seconds for the 1-minute load average to fall below
    `threshold` (default: 0.75 x cores); True if it did. Other work on a shared machine
    inflates wall times, the p95s most."""
    threshold = threshold if threshold is not None else 0.75 * (os.cpu_count() or 1)
    deadline = time.monotonic() + max_wait
    while True:
        load = load_average()
        if load is None or load[0] < threshold:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(5)


# --------------------------------------------------------------------------- Django

def setup_django(var_dir: Path, database_url: str | None = None) -> None:
    """Configure Django with the base settings, data in `var_dir`, DEBUG off.

    DEBUG stays off as in production: with it on, Django keeps every query's SQL in
    memory, which is a cost no deployed server pays. Without `database_url` the database
    is var_dir/srishti.sqlite3 (SQLite, the settings' own options).
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "srishti.config.settings.base"
    os.environ["SRISHTI_VAR"] = str(var_dir)
    os.environ["SRISHTI_DEBUG"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _conninfo(url: str) -> str:
    """A libpq URL (postgres:// -> postgresql://)."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", *parts[1:]))


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` on the same server."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


class Postgres:
    """Creates and drops throwaway databases through an administrative connection."""

    def __init__(self, admin_url: str = POSTGRES_URL) -> None:
        import psycopg

        self.admin_url = admin_url
        self.conn = psycopg.connect(_conninfo(admin_url), autocommit=True, connect_timeout=5)
        self.created: list[str] = []

    def create(self, name: str, template: str | None = None) -> str:
        self.drop(name)
        sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        self.conn.execute(sql)
        if name not in self.created:
            self.created.append(name)
        return with_database(self.admin_url, name)

    def drop(self, name: str) -> None:
        self.conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in reversed(self.created):
            self.drop(name)
        self.conn.close()


@contextmanager
def postgres_databases(admin_url: str = POSTGRES_URL) -> Iterator[Postgres]:
    server = Postgres(admin_url)
    try:
        yield server
    finally:
        server.close()


# --------------------------------------------------------------------------- output

def skipped(reason: str) -> dict[str, Any]:
    return {"skipped": reason}


DOC = REPO / "docs" / "benchmarks.md"


def _section_span(current: str, heading: str) -> tuple[int, int] | None:
    """Where the section starting with `heading` is in the doc's text: up to the next
    second-level heading, or the end."""
    import re

    start = current.find(heading)
    if start < 0:
        return None
    following = re.search(r"^## (?!#)", current[start + len(heading):], re.MULTILINE)
    return start, start + len(heading) + following.start() if following else len(current)


def read_doc_section(heading: str, doc: Path = DOC) -> str | None:
    """The section of docs/benchmarks.md that starts with `heading`, if there is one."""
    current = doc.read_text() if doc.exists() else ""
    span = _section_span(current, heading)
    return None if span is None else current[span[0]:span[1]].rstrip() + "\n"


def write_doc_section(heading: str, text: str, doc: Path = DOC) -> None:
    """Put a section (starting with `heading`) at the end of docs/benchmarks.md, replacing
    an earlier one; bench/run.py writes the rest of the file."""
    current = doc.read_text() if doc.exists() else "# Benchmarks\n"
    span = _section_span(current, heading)
    if span is not None:
        current = current[:span[0]].rstrip() + "\n\n" + current[span[1]:].lstrip()
    doc.write_text(current.rstrip() + "\n\n" + text.rstrip() + "\n")


def emit(result: dict[str, Any]) -> None:
    """The module's figures as the last line of stdout, for bench/run.py."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
