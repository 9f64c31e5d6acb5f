"""#18: the sample sentra files of fixtures/samples/ import as they promise, and the import page offers them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dakportal.reference.registry import fixtures_dir
from dakportal.spreadsheets import read_table
from sentra.imports import import_sentra
from sentra.models import Sentra
from sentra.spreadsheet import COLUMNS

pytestmark = pytest.mark.django_db


def sample(name: str) -> Any:
    return read_table(SimpleUploadedFile(name, (fixtures_dir() / "samples" / name).read_bytes()))


@pytest.mark.parametrize("role", ["officer_a", "ministry_staff"])
def test_the_good_sample_imports_cleanly(cast: Any, role: str) -> None:
    table = sample("sentra.csv")
    assert table.header == [column for column, _name, _kind in COLUMNS]  # the template's columns, all of them
    result = import_sentra(table, acting_user=getattr(cast, role), dry_run=False)
    assert result.ok and result.created == ["Sentra Rajut Binong Jati", "Sentra Kaos Suci", "Sentra Kue Cibuntu"]
    assert set(Sentra.objects.values_list("regency", flat=True)) == {"32.73"}


def test_the_sample_with_mistakes_gives_exactly_the_expected_errors(cast: Any) -> None:
    with translation.override("en"):
        result = import_sentra(sample("sentra-with-mistakes.csv"), acting_user=cast.officer_a, dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "name", "Same sentra as row 2."),
        (4, "village_code", "32.73 is not a desa/kelurahan code such as 32.73.01.1001."),
        (5, "kbli", "A KBLI code has exactly 5 digits."),
        (6, "production_value", "1,2 M is not a whole number."),
        (7, "latitude", "The latitude is outside Indonesia (between -11.5 and 6.5)."),  # #14: on their own cells
        (7, "longitude", "The longitude is outside Indonesia (between 94.5 and 141.5)."),
    ]
    assert not Sentra.objects.exists()


def test_the_import_page_offers_the_samples_to_whoever_may_import(client: Client, cast: Any) -> None:
    client.force_login(cast.officer_a)
    page = client.get(reverse("sentra:sentra_import"))
    url = reverse("sentra:sentra_import_sample", args=["sentra.csv"])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="sentra.csv"'
    assert b"".join(response.streaming_content) == (fixtures_dir() / "samples" / "sentra.csv").read_bytes()
    assert client.get(reverse("sentra:sentra_import_sample", args=["users.csv"])).status_code == 404
    assert client.get(reverse("sentra:sentra_import_sample", args=["..%2Fsettings.py"])).status_code == 404
    client.force_login(cast.analyst)  # reads the registry, imports nothing
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
