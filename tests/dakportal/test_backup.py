"""Backups that restore (#15): `manage.py backup` then `manage.py restore` into a new database and an empty media
folder gives every table the same row count and every file the same checksum; a database or a folder that is not
empty is refused.

Runs on the test database's server: PostgreSQL 15 with DATABASE_URL (Debian's pg_dump 15), the embedded
PostgreSQL 18 without (the package's own pg_dump)."""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend

from allocations.testing import make_allocation, make_item, realise
from dakportal.backup import stored_files
from dakportal.history.models import Event
from dakportal.testing.files import image_bytes, pdf_bytes
from dakportal.testing.users import make_cast
from monev.services import add_evidence
from monev.testing import make_finding, make_report
from sentra.services import add_document
from sentra.testing import make_facility, make_sentra, make_unit

ALIAS = "restored"


@pytest.fixture
def empty_database(portal_data: None) -> Iterator[str]:
    """A new, empty database on the test database's server, as the connection alias `restored` (made here, not in
    settings.DATABASES: Django's test case lets a test open such a connection)."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings_dict = {**connection.settings_dict, "NAME": name}
    connections[ALIAS] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, ALIAS)
    yield ALIAS
    connections[ALIAS].close()
    del connections[ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_data() -> None:
    """Demo-like data through the services: a sentra with members, facilities and documents, an allocation with
    its plan and a realisation photo, a monev report with evidence and a finding (and their history)."""
    cast = make_cast()
    sentra = make_sentra(cast.officer_a, name="Sentra Keripik")
    make_unit(cast.officer_a, sentra)
    make_facility(cast.officer_a, sentra)
    add_document(
        sentra, upload=SimpleUploadedFile("sk.pdf", pdf_bytes()), kind="sk", title="SK", acting_user=cast.officer_a
    )
    add_document(sentra, upload=SimpleUploadedFile("depan.png", image_bytes("PNG")), kind="photo", title="Depan",
                 acting_user=cast.officer_a)  # fmt: skip
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, sentra)
    realise(cast.officer_a, allocation, 1, 0, "10")
    report = make_report(cast.officer_a, sentra)
    add_evidence(upload=SimpleUploadedFile("bukti.jpg", image_bytes()), title="Bukti", acting_user=cast.officer_a,
                 report=report)  # fmt: skip
    make_finding(cast.auditor, sentra)


def counts(alias: str) -> dict[str, int]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            result[table] = cursor.fetchone()[0]
    return result


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_backup_restores_into_a_new_database_with_equal_counts_and_checksums(
    empty_database: str, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_data()
    assert Event.objects.exists() and len(checksums(settings.MEDIA_ROOT)) == 3
    before, files_before = counts("default"), checksums(settings.MEDIA_ROOT)

    out = StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out)
    [archive] = (tmp_path / "backups").glob("dakportal-backup-*.tar")
    assert f"{sum(before.values())} rows, 3 files" in out.getvalue()
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert {k.removeprefix("public."): v for k, v in manifest["database"]["tables"].items()} == before

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    out = StringIO()
    call_command("restore", str(archive), database=empty_database, stdout=out)
    assert "every row count and checksum matches the manifest" in out.getvalue()
    # Every table, the history and its append-only log included: the restore neither fired the history triggers
    # (no extra events) nor was refused by them.
    assert counts(empty_database) == before
    assert checksums(settings.MEDIA_ROOT) == files_before
    with connections[empty_database].cursor() as cursor:  # the triggers are back, and still refuse changes
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'dak_history_append_only'")
        assert cursor.fetchone()[0] == 1


def test_restore_refuses_a_database_or_a_storage_that_is_not_empty(
    empty_database: str, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "sentra").mkdir(parents=True)
    (settings.MEDIA_ROOT / "sentra" / "old.pdf").write_bytes(pdf_bytes())
    call_command("backup", output=tmp_path, stdout=StringIO())
    [archive] = tmp_path.glob("*.tar")

    # The test database has tables: refused, nothing changed.
    with pytest.raises(CommandError, match=r"is not empty \(\d+ tables\): restore only into a new, empty database"):
        call_command("restore", str(archive), stdout=StringIO())
    # An empty database but a media folder with a file in it: refused before anything is restored.
    with pytest.raises(CommandError, match="The file storage is not empty"):
        call_command("restore", str(archive), database=empty_database, stdout=StringIO())
    assert counts(empty_database) == {}
    assert list(stored_files_of(settings.MEDIA_ROOT)) == ["sentra/old.pdf"]


def stored_files_of(folder: Path) -> Iterator[str]:
    from django.core.files.storage import FileSystemStorage

    return stored_files(FileSystemStorage(location=folder))
