"""Allocation endpoints (#4): scoping, the summary, the demo's published figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from allocations import demo
from allocations.models import Allocation
from dakportal.testing.cases import APIViewTestCases
from tests.allocations.test_views import AllocationData

PUBLISHED = [(2016, 166_300_000_000, 149), (2017, 161_500_000_000, 113), (2018, 173_700_000_000, 73),
             (2019, 178_300_000_000, 79), (2020, 400_000_000_000, 106), (2021, 750_000_000_000, 162)]  # fmt: skip


class AllocationAPITestCase(AllocationData, APIViewTestCases.List, APIViewTestCases.Retrieve):
    api_basename = "api:allocation"

    def test_a_regional_officer_cannot_create_allocations(self) -> None:
        data = {"year": 2021, "regency": "32.73", "sub_field": "revitalisasi", "amount": 1}
        assert self.api(self.cast.officer_a).post(self.list_url(), data, format="json").status_code == 403

    def test_the_ministry_creates_one_with_a_clear_error_when_bad(self) -> None:
        client = self.api(self.cast.ministry_staff)
        data = {"year": 2019, "regency": "31.71", "sub_field": "tidak-ada", "amount": 5}  # #12: by its code
        response = client.post(self.list_url(), data, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert set(response.json()) >= {"regency", "sub_field"}

    def test_the_summary_holds_only_the_users_region(self) -> None:
        rows = self.api(self.cast.officer_a).get(reverse("api:allocation-summary")).json()
        assert rows == [{"year": 2021, "amount": 5_000_000_000, "regency_count": 1}]

    def test_the_summary_groups_by_province_and_regency(self) -> None:
        client = self.api(self.cast.analyst)
        by_province = client.get(reverse("api:allocation-summary"), {"group_by": "province", "year": 2021}).json()
        assert by_province == [
            {"province": "32", "amount": 5_000_000_000, "regency_count": 1},
            {"province": "33", "amount": 35_000_000_000, "regency_count": 7},
            {"province": "34", "amount": 25_000_000_000, "regency_count": 5},
        ]
        by_regency = client.get(reverse("api:allocation-summary"), {"group_by": "regency", "province": "34"}).json()
        assert by_regency[-1] == {"regency": "34.71", "amount": 5_000_000_000, "regency_count": 1}
        assert client.get(reverse("api:allocation-summary"), {"group_by": "planet"}).status_code == 400


pytestmark = pytest.mark.django_db


def test_the_demo_data_reproduces_the_published_figures(cast: Any) -> None:
    demo.load(cast.ministry_staff)
    client = APIClient()
    client.force_authenticate(cast.analyst)
    rows = client.get("/api/v1/allocations/summary/?group_by=year").json()
    assert [(r["year"], r["amount"], r["regency_count"]) for r in rows] == PUBLISHED
    for code in ("32.73", "34.04"):
        assert sorted(Allocation.objects.filter(regency=code).values_list("year", flat=True)) == list(range(2016, 2022))
    assert (
        Allocation.objects.filter(year__lt=2022, regency_code_then__startswith="9")
        .exclude(regency__code__startswith="9")
        .count()
        == 0
    )
