"""Allocation pages (#4): scoping, the contract's summary, exports, query counts (endpoints: api/test_views.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from allocations.models import Allocation
from allocations.testing import disburse, make_allocation, make_item
from dakportal.testing.cases import ViewTestCases
from sentra.testing import make_sentra


class AllocationData:
    model = Allocation
    wrong_role = None  # every role reads allocations

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()  # type: ignore[misc]
        cls.own_object = make_allocation(cls.cast.ministry_staff, regency="32.73")
        cls.other_object = make_allocation(cls.cast.ministry_staff, regency="34.04")
        for year in range(2016, 2021):
            make_allocation(cls.cast.ministry_staff, regency="34.04", year=year)
        for code in ("34.01", "34.02", "34.03", "34.71", "33.01", "33.02", "33.03", "33.04", "33.05", "33.06", "33.07"):
            make_allocation(cls.cast.ministry_staff, regency=code)


class AllocationViewTestCase(AllocationData, ViewTestCases.ListView, ViewTestCases.DetailView):
    url_prefix = "allocations:allocation"

    def csv_marker(self, obj: Any) -> str:
        return str(obj.regency.name)


pytestmark = pytest.mark.django_db


def test_the_list_totals_cover_the_whole_filtered_set(client: Client, cast: Any) -> None:
    for code in ("32.73", "32.01", "34.04"):
        make_allocation(cast.ministry_staff, regency=code, amount=2_000_000_000)
    client.force_login(cast.analyst)
    response = client.get(reverse("allocations:allocation_list"), {"province": "32", "page_size": 25})
    assert response.context["totals"] == {"amount": 4_000_000_000, "allocations": 2, "regency_count": 2}
    assert "Rp 4 miliar" in response.content.decode()


def test_the_report_and_its_downloads_agree(client: Client, cast: Any) -> None:
    """#4 through the report framework (#16: the per-year page was its twin; its old address leads there)."""
    make_allocation(cast.ministry_staff, year=2020, amount=1_500_000_000)
    make_allocation(cast.ministry_staff, year=2021, amount=3_000_000_000)
    client.force_login(cast.analyst)
    url = reverse("report", args=["allocations"])
    page = client.get(url)
    assert [(r["group"], r["amount"], r["growth"]) for r in page.context["built"].rows] == [
        ("2020", 1_500_000_000, None), ("2021", 3_000_000_000, 100.0)]  # fmt: skip
    body = b"".join(client.get(url, {"export": "csv"}).streaming_content)
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:] == [
        ["2020", "1500000000", "1", ""],
        ["2021", "3000000000", "1", "100.0"],
    ]
    workbook = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    sheet = workbook.worksheets[0]
    amounts = [cell for row in sheet.iter_rows() for cell in row if cell.value == 3_000_000_000]
    assert amounts and amounts[0].number_format == '"Rp" #,##0'
    moved = client.get("/reports/allocations-per-year/", {"year_min": "2021"})
    assert moved.status_code == 302 and moved["Location"] == "/reports/allocations/?year_min=2021"


def test_an_officer_plans_in_their_region_only(client: Client, cast: Any) -> None:
    own = make_allocation(cast.ministry_staff, regency="32.73")
    other = make_allocation(cast.ministry_staff, regency="34.04")
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    assert client.get(reverse("allocations:activityitem_add", args=[other.pk])).status_code == 404
    menu, detail, unit = (own.sub_field.__class__.objects.get(year=2021, kind=k, code=c).pk for k, c in
                          (("menu", "revitalisasi"), ("detail", "mesin"), ("unit", "paket")))  # fmt: skip
    data = {"menu": menu, "detail": detail, "sentra": sentra.pk, "volume": "2", "unit": unit, "unit_cost": "150000000"}
    response = client.post(reverse("allocations:activityitem_add", args=[own.pk]), data)
    assert response.status_code == 302
    assert own.activity_items.get().value == 300_000_000
    assert client.get(reverse("allocations:allocation_edit", args=[own.pk])).status_code == 403


def test_an_officer_reports_realisation_and_it_respects_the_rules(client: Client, cast: Any) -> None:
    allocation = make_allocation(cast.ministry_staff, regency="32.73")
    make_item(cast.officer_a, allocation, make_sentra(cast.officer_a))
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_250_000_000)
    client.force_login(cast.officer_a)
    url = reverse("allocations:realisation_add", args=[allocation.pk])
    response = client.post(url, {"quarter": 1, "spent": 2_000_000_000, "physical_progress": "10"})
    assert response.status_code == 200 and "spent" in response.context["form"].errors
    assert client.post(url, {"quarter": 1, "spent": 500_000_000, "physical_progress": "10"}).status_code == 302
    api = APIClient()
    api.force_authenticate(cast.officer_b)
    assert api.get("/api/v1/realisations/").json()["count"] == 0
    api.force_authenticate(cast.officer_a)
    body = api.get("/api/v1/realisations/").json()["results"][0]
    assert body == body | {
        "allocation": allocation.pk,
        "year": 2021,
        "quarter": 1,
        "spent": 500_000_000,
        "physical_progress": 10.0,
    }
    response = api.post("/api/v1/realisations/", {"allocation": allocation.pk, "quarter": 2, "spent": 400_000_000,
                                                  "physical_progress": 5}, format="json")  # fmt: skip
    assert response.status_code == 400 and set(response.json()) == {"physical_progress", "spent"}


def test_the_list_export_has_real_numbers(client: Client, cast: Any) -> None:
    make_allocation(cast.ministry_staff, amount=2_500_000_000)
    client.force_login(cast.analyst)
    workbook = load_workbook(io.BytesIO(client.get(reverse("allocations:allocation_list"), {"export": "xlsx"}).content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("Pagu (Rp)") + 1).value == 2_500_000_000
