"""#17: "Prioritas monev", the rules page, the API (`/api/v1/risk/...`), the ranking's downloads, the warnings on
the record pages and dashboards, and a surat tugas started from the ranking: each scoped like everything."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from allocations.testing import make_allocation
from dakportal.testing.users import PASSWORD
from monev.models import RiskRule
from sentra.testing import VILLAGE_B, make_sentra


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def places(cast: Any) -> dict[str, Any]:
    """A sentra with warnings in each region, and a 2021 allocation in each (the year the pages default to; nothing
    done with it, so both fire the same rules: behind the plan and Tahap I's window closed, 3 + 3 points)."""
    make_allocation(cast.ministry_staff, regency="32.73")
    make_allocation(cast.ministry_staff, regency="34.04")
    return {
        "a": make_sentra(cast.officer_a, name="Sentra Bandung", unit_count=3),
        "b": make_sentra(cast.officer_b, name="Sentra Sleman", village=VILLAGE_B, status="built",
                         status_since=date(2019, 5, 1), latitude=Decimal("-7.7"), longitude=Decimal("110.35")),
    }  # fmt: skip


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_priorities_page_ranks_with_reasons(cast: Any, places: Any) -> None:
    page = client_for(cast.auditor).get("/monev/risk/?year=2021")
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('data-testid="risk-table"') :]
    assert table.index("Kabupaten Sleman") < table.index("Kota Bandung")  # 10 points before 9
    assert "Sentra Sleman: not operating since 1 May 2019" in html
    assert 'data-testid="assign-selected"' in html  # Itjen starts a surat tugas from here
    assert 'data-testid="risk-map"' in html


def test_a_regional_officer_sees_only_their_region_not_even_a_name(cast: Any, places: Any) -> None:
    client = client_for(cast.officer_a)
    for url in ("/monev/risk/?year=2021", "/monev/risk/?year=2021&level=sentra", "/monev/risk/?regency=34.04",
                "/reports/risk-ranking/?year=2021", "/reports/risk-ranking/?year=2021&export=csv"):  # fmt: skip
        response = client.get(url)
        body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
        assert response.status_code == 200 and "Sleman" not in body, url
    assert "Sentra Bandung" in client.get("/monev/risk/?year=2021&level=sentra").content.decode()
    assert 'data-testid="assign-selected"' not in client.get("/monev/risk/").content.decode()


def test_bad_filters_say_so_and_nothing_breaks(cast: Any, places: Any) -> None:
    client = client_for(cast.ministry_staff)
    page = client.get("/monev/risk/?year=abc&rule=nope&level=x")
    assert page.status_code == 200
    assert "Enter a number." in page.content.decode()
    answer = client.get("/api/v1/risk/regencies/?year=abc&rule=nope")
    assert answer.status_code == 400
    assert set(answer.json()) >= {"year", "rule"}


def test_the_api_ranks_each_level_with_score_and_reasons(cast: Any, places: Any) -> None:
    client = client_for(cast.analyst)
    regencies = client.get("/api/v1/risk/regencies/?year=2021").json()
    assert regencies["count"] == 2 and regencies["year"] == 2021
    first = regencies["results"][0]
    assert (first["rank"], first["key"], first["score"]) == (1, "34.04", 10)
    idle = next(reason for reason in first["reasons"] if reason["rule"] == "sentra_idle")
    assert idle["details"] == ["Sentra Sleman: not operating since 1 May 2019"] and idle["weight"] == 3
    sentra = client.get("/api/v1/risk/sentra/?year=2021&province=32").json()
    assert [row["name"] for row in sentra["results"]] == ["Sentra Bandung"]
    only = client.get("/api/v1/risk/regencies/?year=2021&rule=few_members").json()
    assert [row["key"] for row in only["results"]] == ["32.73"]
    assert client.get("/api/v1/risk/allocations/?year=2021").json()["count"] >= 0
    csv = b"".join(client.get("/api/v1/risk/regencies/?year=2021&format=csv").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0] == "rank,key,name,regency,regency_name,province,score,reasons"


def test_the_api_is_scoped(cast: Any, places: Any) -> None:
    answer = client_for(cast.officer_b).get("/api/v1/risk/regencies/?year=2021").json()
    assert [row["key"] for row in answer["results"]] == ["34.04"]
    outside = client_for(cast.officer_b).get("/api/v1/risk/sentra/?regency=32.73")
    assert outside.status_code == 400 and "regency" in outside.json()  # not a choice of theirs: not even named


def test_the_rules_through_the_api(cast: Any) -> None:
    rule = RiskRule.objects.get(code="few_members")
    url = f"/api/v1/risk/rules/{rule.pk}/"
    listed = client_for(cast.officer_a).get("/api/v1/risk/rules/").json()
    assert {row["code"] for row in listed["results"]} >= {"few_members", "unit_cost_outlier"}
    assert client_for(cast.officer_a).patch(url, {"weight": 2, "version": 1}, content_type="application/json"
                                            ).status_code == 403  # fmt: skip
    itjen = client_for(cast.auditor)
    refused = itjen.patch(url, {"weight": -3, "version": 1}, content_type="application/json")
    assert refused.status_code == 400 and "weight" in refused.json()
    wrong_type = itjen.patch(url, {"threshold": "lima", "version": 1}, content_type="application/json")
    assert wrong_type.status_code == 400 and "threshold" in wrong_type.json()
    changed = itjen.patch(url, {"weight": 2, "version": 1}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["weight"] == 2 and changed.json()["version"] == 2
    stale = itjen.patch(url, {"weight": 4, "version": 1}, content_type="application/json")
    assert stale.status_code == 409


def test_the_rules_page_and_its_edit_form(cast: Any) -> None:
    rule = RiskRule.objects.get(code="contract_late")
    assert 'data-testid="edit-contract_late"' not in client_for(cast.analyst).get("/monev/risk/rules/").content.decode()
    client = client_for(cast.ministry_staff)
    assert 'data-testid="edit-contract_late"' in client.get("/monev/risk/rules/").content.decode()
    edit = f"/monev/risk/rules/{rule.pk}/edit/"
    form = {"label": rule.label, "description": "", "threshold": "13", "weight": "1", "active": "on", "version": "1"}
    refused = client.post(edit, form)
    assert refused.status_code == 200 and "The threshold must be between 1 and 12." in refused.content.decode()
    assert client.post(edit, form | {"threshold": "11"}).status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == 11 and rule.version == 2
    assert client_for(cast.officer_a).get(edit).status_code in (403, 404)


def test_a_surat_tugas_starts_from_the_ranking(cast: Any, places: Any) -> None:
    page = client_for(cast.auditor).get("/monev/assignments/add/?regency=34.04&regency=32.73&year=2021")
    assert page.status_code == 200
    form = page.context["form"]
    assert sorted(regency.pk for regency in form.initial["regencies"]) == ["32.73", "34.04"]
    assert set(form.initial["sentra"]) == {places["a"].pk, places["b"].pk}
    assert form.initial["fiscal_years"] == [2021]
    assert "Kabupaten Sleman (score 10)" in form.initial["notes"]
    assert client_for(cast.officer_a).get("/monev/assignments/add/?regency=32.73").status_code == 403


def test_the_record_pages_and_dashboards_show_the_warnings(cast: Any, places: Any) -> None:
    officer = client_for(cast.officer_a)
    sentra_page = officer.get(places["a"].get_absolute_url()).content.decode()
    assert 'data-testid="record-warnings"' in sentra_page and "3 member units (at least 5)" in sentra_page
    dashboard = officer.get("/").content.decode()
    assert 'data-testid="risk-warning-region"' in dashboard and "Sleman" not in dashboard
    assert dashboard.index('data-testid="risk-warning-region"') < dashboard.index("Sentra Bandung: no coordinates") + 1
    itjen = client_for(cast.auditor).get("/").content.decode()
    assert 'data-testid="risk-top"' in itjen and "Kabupaten Sleman" in itjen
