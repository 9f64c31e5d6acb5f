"""Spreadsheet import and export of the registry (#3): dry run, errors per row and cell, all or nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from dakportal.spreadsheets import read_table
from sentra.imports import import_sentra
from sentra.models import Sentra
from sentra.spreadsheet import COLUMNS
from sentra.testing import VILLAGE_A, VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db
HEADER = [column for column, _name, _kind in COLUMNS]


def xlsx(rows: list[dict[str, Any]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(column) for column in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("sentra.xlsx", buffer.getvalue())


def row(**values: Any) -> dict[str, Any]:
    base = {
        "name": "Sentra Impor",
        "village_code": VILLAGE_A,
        "commodity_group": "pangan",
        "kbli": "10710",
        "unit_count": 6,
    }
    return base | values


def test_a_good_file_creates_and_updates_in_one_go(cast: Any) -> None:
    existing = make_sentra(cast.officer_a, name="Sentra Lama")
    table = read_table(
        xlsx([row(), row(name="Sentra Lama", workers=44), row(name="Sentra Kedua", status="Beroperasi")])
    )
    with translation.override("id"):
        dry = import_sentra(table, acting_user=cast.officer_a, dry_run=True)
    assert dry.ok and dry.created == ["Sentra Impor", "Sentra Kedua"] and dry.updated == ["Sentra Lama"]
    assert Sentra.objects.count() == 1  # the dry run saved nothing
    result = import_sentra(
        read_table(xlsx([row(), row(name="Sentra Lama", workers=44)])), acting_user=cast.officer_a, dry_run=False
    )
    assert result.ok and Sentra.objects.count() == 2
    existing.refresh_from_db()
    assert existing.workers == 44


def test_a_bad_file_reports_each_row_and_cell_and_saves_nothing(cast: Any) -> None:
    rows = [
        row(name="Baik"),
        row(name="Tanpa Desa", village_code="99.99.99.9999"),
        row(name="KBLI Salah", kbli="12"),
        row(name="Negatif", workers=-5),
        row(name="Di Sleman", village_code=VILLAGE_B),
        row(name="Koordinat", latitude=45, longitude=107),
        row(name="Baik"),
        row(name="Status Aneh", status="mangkrak"),
        row(name="Uang Pecahan", investment_value="12,5 juta"),
    ]
    with translation.override("en"):
        result = import_sentra(read_table(xlsx(rows)), acting_user=cast.officer_a, dry_run=False)
    problems = {(e.row, e.column): e.message for e in result.errors}
    assert problems[(3, "village_code")].startswith("99.99.99.9999 is not a desa/kelurahan code")
    assert problems[(4, "kbli")] == "A KBLI code has exactly 5 digits."
    assert "greater than or equal to 0" in problems[(5, "workers")]
    assert problems[(6, "village_code")] == "This desa/kelurahan is outside your region."
    assert "latitude is outside Indonesia" in problems[(7, "latitude")]  # #14: on its own cell
    assert problems[(8, "name")] == "Same sentra as row 2."
    assert problems[(9, "status")].startswith("Unknown value mangkrak")
    assert problems[(10, "investment_value")] == "12,5 juta is not a whole number."
    assert not Sentra.objects.exists()


def test_the_import_page_shows_the_dry_run_then_applies(
    client: Client, cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.officer_a)
    response = client.post(reverse("sentra:sentra_import"), {"file": xlsx([row()])})
    assert response.context["result"].ok and not Sentra.objects.exists()
    response = client.post(reverse("sentra:sentra_import"), {"confirm": "1"})
    assert response.status_code == 302 and Sentra.objects.filter(name="Sentra Impor").exists()


def test_the_import_page_lists_errors(client: Client, cast: Any) -> None:
    client.force_login(cast.officer_a)
    response = client.post(reverse("sentra:sentra_import"), {"file": xlsx([row(kbli="1")])})
    assert response.context["result"].errors[0].column == "kbli"
    assert b"import-errors" in response.content


def test_a_csv_with_semicolons_is_read(cast: Any) -> None:
    text = "name;village_code;commodity_group;kbli;unit_count\nSentra CSV;32.73.01.1001;pangan;10710;5\n"
    result = import_sentra(
        read_table(SimpleUploadedFile("s.csv", text.encode())), acting_user=cast.officer_a, dry_run=False
    )
    assert result.ok and Sentra.objects.get().name == "Sentra CSV"


def test_a_file_of_another_kind_is_refused(client: Client, cast: Any) -> None:
    client.force_login(cast.officer_a)
    response = client.post(reverse("sentra:sentra_import"), {"file": SimpleUploadedFile("notes.docx", b"hello")})
    assert response.context["error"]


def test_the_template_downloads(client: Client, cast: Any) -> None:
    client.force_login(cast.ministry_staff)
    response = client.get(reverse("sentra:sentra_import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER


def test_exports_neutralise_formulas_and_keep_numbers(client: Client, cast: Any) -> None:
    make_sentra(cast.officer_a, name='=HYPERLINK("http://evil")', investment_value=1_500_000)
    client.force_login(cast.officer_a)
    response = client.get(reverse("sentra:sentra_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    values = [cell for cell in sheet[2]]
    assert values[header.index("name")].value.startswith("'=")
    assert values[header.index("name")].data_type == "s"
    assert values[header.index("investment_value")].value == 1_500_000
    body = b"".join(client.get(reverse("sentra:sentra_list"), {"export": "csv"}).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["name"].startswith("'=") and rows[0]["investment_value"] == "1500000"


def test_an_export_can_be_imported_back(client: Client, cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra Bolak Balik", workers=12)
    client.force_login(cast.officer_a)
    exported = client.get(reverse("sentra:sentra_list"), {"export": "xlsx"})
    result = import_sentra(
        read_table(SimpleUploadedFile("x.xlsx", exported.content)), acting_user=cast.officer_a, dry_run=True
    )
    assert result.ok and result.updated == ["Sentra Bolak Balik"]


def test_an_exported_csv_with_negative_coordinates_imports_back_unchanged(client: Client, cast: Any) -> None:
    """#10: numbers stay numbers in every export, negative latitudes included, so the file round-trips."""
    from decimal import Decimal

    sentra = make_sentra(
        cast.officer_a, name="Sentra Selatan", latitude=Decimal("-6.914744"), longitude=Decimal("107.609810")
    )
    client.force_login(cast.officer_a)
    body = b"".join(client.get(reverse("sentra:sentra_list"), {"export": "csv"}).streaming_content)
    row = next(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert row["latitude"] == "-6.914744"
    api = b"".join(client.get("/api/v1/sentra/", {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "-6.914744" in api and "'-6" not in api
    result = import_sentra(read_table(SimpleUploadedFile("x.csv", body)), acting_user=cast.officer_a, dry_run=False)
    assert result.ok, result.errors
    sentra.refresh_from_db()
    assert sentra.latitude == Decimal("-6.914744") and sentra.name == "Sentra Selatan"


def test_the_one_csv_writer_neutralises_formulas_and_keeps_numbers() -> None:
    """#10: lists, API, reports and the region profile all write through `csv_rows`, which makes every cell safe."""
    from decimal import Decimal

    from dakportal.exports import csv_rows

    lines = "".join(csv_rows(["a", "b", "c", "d"], [["=cmd|' /C calc'!A0", -6.5, Decimal("-107.25"), "-12"]]))
    assert lines.splitlines()[1] == "'=cmd|' /C calc'!A0,-6.5,-107.25,-12"
    assert "".join(csv_rows(["x"], [["-1+2"], ["@SUM(A1)"]])).splitlines()[1:] == ["'-1+2", "'@SUM(A1)"]
