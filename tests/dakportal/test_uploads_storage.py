"""Uploads on shared storage (#15): STORAGE_URL selects a shared folder or S3-compatible object storage, and the
scoped file views serve from the storage (storage.open, never a path on disk) on both.

The S3 case runs against moto's S3 server in this process (offline, from PyPI: the dev tools include it)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dakportal.backup import stored_files
from dakportal.env import envstorage
from dakportal.testing.files import pdf_bytes
from sentra.models import SentraDocument
from sentra.testing import make_sentra

ROOT = Path(__file__).resolve().parents[2]
MEDIA = Path("/var/lib/dakportal/media")


def test_without_storage_url_uploads_go_to_the_media_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORAGE_URL", raising=False)
    storage, media_root = envstorage("STORAGE_URL", media_root=MEDIA)
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"} and media_root == MEDIA


def test_a_file_url_names_a_shared_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_URL", "file:///mnt/dak%20shared/media")
    storage, media_root = envstorage("STORAGE_URL", media_root=MEDIA)
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert media_root == Path("/mnt/dak shared/media")


def test_the_portal_stores_uploads_in_the_folder_of_storage_url(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", STORAGE_URL=f"file://{tmp_path}/shared")
    code = "from django.core.files.storage import default_storage as s; print(s.location)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == f"{tmp_path}/shared", result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file://server/media", "is not a folder URL"),
        ("file:media", "is not a folder URL"),
        ("ftp://server/media", "is not supported"),
        ("s3://", "needs a bucket"),
        ("s3://key:secret@bucket/media", "no credentials"),
        ("s3://bucket/media?acl=public-read", "unknown parameters (acl)"),
    ],
)
def test_a_bad_storage_url_is_one_sentence(monkeypatch: pytest.MonkeyPatch, url: str, message: str) -> None:
    monkeypatch.setenv("STORAGE_URL", url)
    with pytest.raises(ImproperlyConfigured, match=f"STORAGE_URL.*{message.replace('(', r'\(').replace(')', r'\)')}"):
        envstorage("STORAGE_URL", media_root=MEDIA)


def test_an_s3_url_selects_django_storages(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("storages")
    monkeypatch.setenv("STORAGE_URL", "s3://dak-files/portal/media/?endpoint_url=https://s3.example.go.id&region=id-1")
    storage, _ = envstorage("STORAGE_URL", media_root=MEDIA)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] | {} == {
        "bucket_name": "dak-files",
        "location": "portal/media",
        "endpoint_url": "https://s3.example.go.id",
        "region_name": "id-1",
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
    }


# ---------------------------------------------------------------------------------------------------------------------
# S3 for real: moto's server
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    pytest.importorskip("storages")
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket="dak-files")
    monkeypatch.setenv("STORAGE_URL", f"s3://dak-files/media?endpoint_url={s3_endpoint}&region=us-east-1")
    storage, _ = envstorage("STORAGE_URL", media_root=MEDIA)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield boto3.resource("s3", endpoint_url=s3_endpoint).Bucket("dak-files")


def test_uploads_on_s3_are_served_only_in_scope(client: Client, cast: Any, s3_storage: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")
    client.post(reverse("sentra:document_add", args=[sentra.pk]), {"kind": "sk", "title": "SK", "file": upload})
    document = SentraDocument.objects.get()
    assert [obj.key for obj in s3_storage.objects.all()] == [f"media/{document.file.name}"]
    assert list(stored_files(default_storage)) == [document.file.name]  # what a backup copies

    response = client.get(document.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    client.force_login(cast.officer_b)
    assert client.get(document.get_absolute_url()).status_code == 404
