"""`srishti backup` and `srishti restore`: the database and every stored file (evidence,
photos, certificates, made reports: everything under MEDIA_ROOT) in one tar archive.

The archive holds
  manifest.json   when, which database engine, rows per table, size and SHA-256 per file
  database.sqlite3  (SQLite: a copy by SQLite's online backup API, consistent while the
                     app keeps writing)  or  database.dump  (PostgreSQL: pg_dump -Fc)
  media/...       the stored files as they are

Restoring replaces the database and the stored files by the archive's, then checks both
against the manifest. Stop the app and the worker first: a request running during the
restore would write into a database that is being replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from .errors import DomainError

FORMAT = 1
Progress = Callable[[str, int], None]  # (what, how many more done)


def _noop(what: str, n: int) -> None:
    pass


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    rows: int
    files: int
    bytes: int


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def row_counts() -> dict[str, int]:
    """Rows of every table a model of the project (or of Django's apps) keeps."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_hashes() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): sha256(p) for p in media_files()}


# --- PostgreSQL tools ----------------------------------------------------------------------

def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # never on the command line
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise DomainError(f"{command[0]} is not installed (Debian: apt-get install "
                          "postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise DomainError(f"{command[0]} failed: {result.stderr.strip().splitlines()[-1:]}")


# --- backup --------------------------------------------------------------------------------

def backup_create(*, path: Path, progress: Progress = _noop) -> BackupSummary:
    """Write the archive to `path` (a temporary name first, so a failed backup never
    leaves a file that looks complete)."""
    path = Path(path)
    if connection.in_atomic_block:
        # SQLite's backup would wait forever for the transaction's own lock.
        raise DomainError("a backup cannot be made inside a transaction")
    kind = engine()
    files = media_files()
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        work_dir = Path(work)
        if kind == "sqlite":
            database = work_dir / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(database)
            with target:
                connection.connection.backup(target)
            target.close()
        else:
            database = work_dir / "database.dump"
            args, env = _pg_args()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  "--file", str(database), *args], env)
        progress("database", 1)
        manifest = {
            "format": FORMAT, "created": dt.datetime.now(dt.UTC).isoformat(),
            "engine": kind, "rows": row_counts(), "files": {},
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(database, arcname=database.name)
            for file in files:
                name = str(file.relative_to(root))
                manifest["files"][name] = {"sha256": sha256(file), "size": file.stat().st_size}
                archive.add(file, arcname=f"media/{name}")
                progress("files", 1)
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, path)
    return BackupSummary(path=path, engine=kind, rows=sum(manifest["rows"].values()),
                         files=len(files), bytes=path.stat().st_size)


# --- restore -------------------------------------------------------------------------------

def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError
            manifest = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise DomainError(f"{Path(path).name}: not a Srishti backup ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise DomainError(f"{Path(path).name}: backup format {manifest.get('format')} is not "
                          f"the {FORMAT} this version reads")
    return manifest


def backup_restore(*, path: Path, progress: Progress = _noop) -> BackupSummary:
    """Replace the database and the stored files by those of the archive, then check both
    against its manifest (rows per table, SHA-256 per file)."""
    path = Path(path)
    manifest = read_manifest(path)
    kind = engine()
    if manifest["engine"] != kind:
        raise DomainError(f"{path.name} holds a {manifest['engine']} database; this "
                          f"installation uses {kind}. Restore it into the same kind.")
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root.parent) as work:
        work_dir = Path(work)
        with tarfile.open(path, "r") as archive:
            archive.extractall(work_dir, filter="data")
        _restore_database(work_dir, kind)
        progress("database", 1)
        new_media = work_dir / "media"
        new_media.mkdir(exist_ok=True)
        for name, entry in manifest["files"].items():
            if sha256(new_media / name) != entry["sha256"]:
                raise DomainError(f"{path.name}: the file {name} is damaged in the archive")
            progress("files", 1)
        # Swap whole folders: the stored files are the archive's, none left over.
        old = work_dir / "media-before-restore"
        if root.exists():
            os.replace(root, old)
        os.replace(new_media, root)
    problems = restore_differences(manifest)
    if problems:
        raise DomainError("restored, but it differs from the backup: " + "; ".join(problems))
    return BackupSummary(path=path, engine=kind, rows=sum(manifest["rows"].values()),
                         files=len(manifest["files"]), bytes=path.stat().st_size)


def _restore_database(work_dir: Path, kind: str) -> None:
    if kind == "sqlite":
        source = sqlite3.connect(work_dir / "database.sqlite3")
        connection.ensure_connection()
        with source:
            # The online backup API again, into the live database: pages are replaced in
            # one step, whatever the file holds now.
            source.backup(connection.connection)
        source.close()
        return
    connections.close_all()
    args, env = _pg_args()
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", *args, str(work_dir / "database.dump")], env)


def restore_differences(manifest: dict) -> list[str]:
    """What differs between the database and files now and the manifest's."""
    problems = []
    rows = row_counts()
    for table, count in manifest["rows"].items():
        if rows.get(table) != count:
            problems.append(f"{table}: {rows.get(table)} rows, {count} in the backup")
    hashes = file_hashes()
    expected = {name: entry["sha256"] for name, entry in manifest["files"].items()}
    if hashes != expected:
        problems.append(f"{len(set(hashes.items()) ^ set(expected.items()))} stored file(s) "
                        "differ")
    return problems
