"""The dashboard (#14, #16): the apps register their panels with the foundation; each role sees real figures
computed in SQL, in a fixed number of queries stored here; every number on it links to a list showing that
number of rows."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from allocations.testing import disburse, make_allocation, realise
from monev import services
from monev.testing import make_finding, make_report
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db

# The queries of `/` for each role with the data below (session, user and permissions included): a new query, or
# one per row, shows as a diff of this dict.
QUERY_COUNTS = {  # #17: the risk panel, 16 of them (the latest year, the rules, one per rule)
    "ministry_staff": 27,
    "officer_a": 31,
    "auditor": 25,
    "analyst": 8,
}


@pytest.fixture
def data(cast: Any) -> dict[str, Any]:
    make_allocation(cast.ministry_staff, regency="32.73", year=2020, amount=2_000_000_000)
    bandung = make_allocation(cast.ministry_staff, regency="32.73", year=2021, amount=4_000_000_000)
    make_allocation(cast.ministry_staff, regency="34.04", year=2021, amount=1_000_000_000)
    operating = make_sentra(cast.officer_a, status="operating")
    make_sentra(cast.officer_a, name="Sentra Mangkrak", status="built", status_since=date(2020, 1, 1))
    make_sentra(cast.officer_b, village=VILLAGE_B, status="operating")
    disburse(cast.ministry_staff, bandung, "Tahap I", 1_000_000_000)
    realise(cast.officer_a, bandung, 1, 500_000_000, "20")
    waiting = make_report(cast.officer_a, operating, quarter=1)
    services.submit_report(waiting, acting_user=cast.officer_a)
    make_report(cast.officer_a, operating, quarter=2, deadline=timezone.localdate() - timedelta(days=3))
    make_finding(cast.auditor, operating, due_date=timezone.localdate() - timedelta(days=1))
    return {"bandung": bandung}


def links(html: str) -> list[tuple[str, int]]:
    """Every number of the dashboard that says how many rows it stands for, with its link."""
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*data-count="(\d+)"', html)
    return [(unescape(url), int(count)) for url, count in found]


def assert_each_number_leads_to_its_list(client: Client, html: str) -> int:
    checked = 0
    for url, count in links(html):
        response = client.get(url)
        assert response.status_code == 200, url
        listed = response.context["paginator"].count if "paginator" in response.context else None
        assert listed == count, f"{url}: the dashboard says {count}, the list shows {listed}"
        checked += 1
    return checked


def test_ministry_staff_see_the_trend_absorption_sentra_and_review_queue(client: Client, cast: Any, data: Any) -> None:
    client.force_login(cast.ministry_staff)
    response = client.get("/")
    panels = {shown.panel.key: shown.context for shown in response.context["panels"]}
    assert list(panels) == [
        "risk-top", "allocation-trend", "absorption-by-province", "sentra-by-status", "review-by-age",
    ]  # fmt: skip
    trend = panels["allocation-trend"]
    assert [(r["year"], r["amount"], r["regency_count"]) for r in trend["rows"]] == [
        (2020, 2_000_000_000, 1), (2021, 5_000_000_000, 2)]  # fmt: skip
    assert trend["svg"].startswith("<svg") and trend["svg"].count("<rect") == 3  # two years and the legend
    absorption = panels["absorption-by-province"]
    assert absorption["year"] == 2021
    assert [(r["name"], r["allocations"], r["spent"], r["absorption"]) for r in absorption["rows"]] == [
        ("Daerah Istimewa Yogyakarta", 1, 0, 0), ("Jawa Barat", 1, 500_000_000, 12.5)]  # fmt: skip
    sentra = panels["sentra-by-status"]
    assert sentra["total"] == 3 and sentra["idle"] == 1
    assert {r["value"]: r["count"] for r in sentra["rows"]}["operating"] == 2
    assert [r["count"] for r in panels["review-by-age"]["rows"]] == [1, 0, 0]
    with translation.override("en"):
        attention = {str(item.label): item.count for item in response.context["attention"]}
    assert attention["Monev reports waiting for review"] == 1
    html = response.content.decode()
    assert 'data-testid="trend-chart"' in html and "<svg" in html
    assert assert_each_number_leads_to_its_list(client, html) >= 12


def test_a_regional_officer_sees_the_years_allocations_stages_and_what_is_due(
    client: Client, cast: Any, data: Any
) -> None:
    client.force_login(cast.officer_a)
    response = client.get("/")
    panels = {shown.panel.key: shown.context for shown in response.context["panels"]}
    assert list(panels) == ["risk-warnings", "my-allocations", "sentra-by-status"]  # #17: their warnings first
    mine = panels["my-allocations"]
    assert mine["year"] == 2021 and mine["count"] == 1 and mine["total"] == 4_000_000_000
    stages = mine["rows"][0]["stages"]
    assert [s["name"] for s in stages][:1] == ["Tahap I"] and len(stages) >= 2
    assert stages[0]["state"] == "disbursed" and stages[0]["disbursed"] == 1_000_000_000
    assert all(s["state"] in ("ready", "waiting") for s in stages[1:])
    # warnings first: the overdue report and the overdue follow-up
    attention = response.context["attention"]
    assert [item.count for item in attention if item.warning] == [1, 1, 0]
    assert attention[0].warning and attention[0].count == 1
    deadlines = response.context["deadlines"]
    assert deadlines and all(d.due is None or d.due >= timezone.localdate() for d in deadlines)
    assert any("TW" in str(d.label) and d.count == 2 for d in deadlines)  # both reporting sentra
    html = response.content.decode()
    assert "Kabupaten Sleman" not in html and "Jawa Barat" in html
    assert assert_each_number_leads_to_its_list(client, html) >= 8


def test_itjen_sees_open_findings_by_age_and_class_and_the_teams_work(client: Client, cast: Any, data: Any) -> None:
    client.force_login(cast.auditor)
    response = client.get("/")
    panels = {shown.panel.key: shown.context for shown in response.context["panels"]}
    assert list(panels)[:2] == ["risk-top", "findings-by-age"]
    findings = panels["findings-by-age"]
    assert findings["total"] == 1
    counted = [(row["label"], cell["count"]) for row in findings["rows"] for cell in row["cells"] if cell["count"]]
    assert len(counted) == 1 and counted[0][1] == 1
    with translation.override("en"):
        attention = {str(item.label): item.count for item in response.context["attention"]}
    assert attention["Findings with follow-up overdue"] == 1
    assert assert_each_number_leads_to_its_list(client, response.content.decode()) >= 5


def test_the_foundation_does_not_import_the_apps() -> None:
    """#16 point 3: the dashboard is drawn from what the apps register."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path("dakportal/views.py").read_text())
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {m for m in modules if m and m.split(".")[0] in ("sentra", "allocations", "monev")}


@pytest.mark.parametrize("who", sorted(QUERY_COUNTS))
def test_the_dashboard_runs_the_stored_number_of_queries(client: Client, cast: Any, data: Any, who: str) -> None:
    client.force_login(getattr(cast, who))
    client.get("/")  # sessions and caches warmed
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) == QUERY_COUNTS[who], "\n".join(q["sql"][:150] for q in queries.captured_queries)
