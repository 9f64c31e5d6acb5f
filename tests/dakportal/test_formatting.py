from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template

from dakportal.formatting import percent, rupiah, rupiah_short


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (166_300_000_000, "Rp 166,3 miliar"),
        (750_000_000_000, "Rp 750 miliar"),
        (161_500_000_000, "Rp 161,5 miliar"),
        (2_500_000, "Rp 2,5 juta"),
        (1_200_000_000_000, "Rp 1,2 triliun"),
        (999, "Rp 999"),
        (-4_000_000, "-Rp 4 juta"),
    ],
)
def test_it_writes_short_rupiah_the_indonesian_way(amount: int, expected: str) -> None:
    assert rupiah_short(amount) == expected


def test_it_writes_whole_rupiah_with_dots() -> None:
    assert rupiah(1_234_567) == "Rp 1.234.567"
    assert rupiah(0) == "Rp 0"
    assert rupiah(-250_000) == "-Rp 250.000"
    assert rupiah(None) == "–"


def test_it_writes_percentages_with_a_decimal_comma() -> None:
    assert percent(74.51) == "74,51%"
    assert percent(99.145) == "99,15%"
    assert percent(100) == "100,00%"


def test_its_template_filters_format_money() -> None:
    html = Template("{% load dak %}{{ a|rupiah_short }} / {{ b|rupiah }} / {{ c|percent }}").render(
        Context({"a": 166_300_000_000, "b": 1_234_567, "c": 74.51})
    )
    assert html == "Rp 166,3 miliar / Rp 1.234.567 / 74,51%"


@pytest.mark.django_db
def test_list_pages_show_money_as_rupiah_never_raw(cast: Any) -> None:
    """#14: every amount on a list page reads as Rupiah (Rp 6.439.000.000), "Rp" kept with its number."""
    from django.test import Client

    from allocations.testing import make_allocation
    from monev.testing import make_finding
    from sentra.testing import make_sentra

    make_allocation(cast.ministry_staff, regency="32.73", year=2021, amount=6_439_000_000)
    make_finding(cast.auditor, make_sentra(cast.officer_a), loss_value=150_000_000)
    client = Client()
    client.force_login(cast.ministry_staff)
    allocations = client.get("/allocations/").content.decode()
    assert "Rp\u00a06.439.000.000" in allocations and "6439000000" not in allocations
    client.force_login(cast.auditor)
    findings = client.get("/monev/findings/").content.decode()
    assert "150000000" not in findings


def test_xlsx_keeps_its_header_in_view_filters_every_column_and_formats_each_kind() -> None:
    """#14: frozen header, autofilter, years without a thousands separator, coordinates with all their decimals."""
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    from dakportal.spreadsheets import xlsx_response

    rows = [[2021, Decimal("-6.914744"), 5_000_000, 1234], [2022, Decimal("-7.1"), 1, 5]]
    response = xlsx_response("t", ["year", "latitude", "amount", "workers"], rows, money_columns=[2])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"
    assert [cell.number_format for cell in sheet[2]] == ["0", "#,##0.000000", '"Rp" #,##0', "#,##0"]


def test_dates_are_written_one_way_in_both_languages() -> None:
    """#14: 3 Agu 2021 / 3 Aug 2021, with the time as 14:30: no "Agu. 3, 2021" or "3 Agu. 2021" beside it."""
    from datetime import date, datetime

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("id"):
        assert date_format(date(2021, 8, 3)) == "3 Agu 2021"
        assert date_format(datetime(2021, 8, 3, 14, 30), "DATETIME_FORMAT") == "3 Agu 2021 14:30"
    with translation.override("en"):
        assert date_format(date(2021, 8, 3)) == "3 Aug 2021"
