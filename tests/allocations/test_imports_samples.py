"""#18: the sample annexes of fixtures/samples/ import as they promise, and the import page offers them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from allocations.imports import import_allocations
from allocations.models import Allocation, latest_allowed_year
from dakportal.reference.registry import fixtures_dir
from dakportal.spreadsheets import read_table

pytestmark = pytest.mark.django_db


def sample(name: str) -> Any:
    return read_table(SimpleUploadedFile(name, (fixtures_dir() / "samples" / name).read_bytes()))


def test_the_good_annex_imports_cleanly(cast: Any) -> None:
    result = import_allocations(sample("allocations-annex.csv"), acting_user=cast.ministry_staff, dry_run=False)
    assert result.ok and not result.warnings and len(result.created) == 7
    assert result.total == 24_950_000_000
    merauke = Allocation.objects.get(regency="93.01")
    assert merauke.regency_code_then == "91.01" and merauke.kind == "penugasan"


def test_the_annex_with_mistakes_gives_exactly_the_expected_errors(cast: Any) -> None:
    with translation.override("en"):
        result = import_allocations(
            sample("allocations-annex-with-mistakes.csv"), acting_user=cast.ministry_staff, dry_run=False
        )
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "year", f"2012 is outside the program's years 2016-{latest_allowed_year()}. Did you mean 2021?"),
        (4, "regency_code", "Kota Administrasi Jakarta Selatan is not autonomous and cannot receive DAK."),
        (5, "regency_code", "Same year, kab/kota and sub-field as row 2."),
    ]
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (
            6,
            "amount",
            "Rp 6.000.000 is very small: was it entered in thousands or millions of rupiah?",
        )  # #12: one rule, API too
    ]
    assert not Allocation.objects.exists()


def test_the_import_page_offers_the_samples_to_the_ministry_only(client: Client, cast: Any) -> None:
    url = reverse("allocations:allocation_import_sample", args=["allocations-annex.csv"])
    client.force_login(cast.ministry_staff)
    assert url in client.get(reverse("allocations:allocation_import")).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"year,regency_code,amount")
    assert client.get(reverse("allocations:allocation_import_sample", args=["sentra.csv"])).status_code == 404
    client.force_login(cast.officer_a)
    assert client.get(url).status_code == 403
