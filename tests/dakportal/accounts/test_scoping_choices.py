"""#10: every choice a user is offered or may send is limited to their scope, by the same rule as the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from allocations.testing import make_allocation
from dakportal.accounts.scoping import scoped_choices
from dakportal.regions.models import Province, Regency, Village
from monev.models import Notification
from monev.testing import make_report
from sentra.testing import VILLAGE_B, make_sentra

pytestmark = pytest.mark.django_db


def test_choices_follow_the_scope(cast: Any) -> None:
    assert list(scoped_choices(Regency, cast.officer_a).values_list("code", flat=True)) == ["32.73"]
    assert set(scoped_choices(Province, cast.officer_a).values_list("code", flat=True)) == {"32"}
    assert scoped_choices(Regency, cast.ministry_staff).count() > 500
    assert scoped_choices(Village, cast.officer_a).exists()  # reference data: the official list
    Notification.objects.create(user=cast.officer_b, text="x")
    assert not scoped_choices(Notification, cast.ministry_staff).exists()  # neither scoped nor reference: nothing
    assert not scoped_choices(Regency, None).exists()  # no user, no choice: fail closed


def test_the_units_page_names_no_other_regions_sentra(client: Client, cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra Bandung")
    make_sentra(cast.officer_b, name="Sentra Sleman Rahasia", village=VILLAGE_B)
    client.force_login(cast.officer_a)
    html = client.get("/sentra/units/").content.decode()
    assert "Sentra Sleman Rahasia" not in html and "data-autocomplete-url" in html
    assert "Sentra Bandung" not in html  # search-as-you-type: the page carries no list of every sentra
    found = client.get("/sentra/choices/", {"q": "sentra"}).json()["results"]
    assert [row["text"] for row in found] == ["Sentra Bandung"]
    client.force_login(cast.ministry_staff)
    assert len(client.get("/sentra/choices/", {"q": "sentra"}).json()["results"]) == 2
    client.force_login(cast.officer_b)
    assert "Sentra Bandung" not in client.get("/sentra/?regency=32.73").content.decode()


def test_a_report_cannot_link_another_regions_allocation(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    other = make_allocation(cast.ministry_staff, regency="34.04")
    api = APIClient()
    api.force_authenticate(cast.officer_a)
    data = {"sentra": sentra.pk, "allocations": [other.pk], "period_kind": "quarter", "year": 2021, "quarter": 1}
    response = api.post("/api/v1/monev/reports/", data, format="json")
    assert response.status_code == 400 and "allocations" in response.json()


def test_a_duplicate_report_in_another_region_is_not_revealed(cast: Any) -> None:
    other_sentra = make_sentra(cast.officer_b, village=VILLAGE_B)
    make_report(cast.officer_b, other_sentra, year=2021, quarter=1)
    api = APIClient()
    api.force_authenticate(cast.officer_a)
    data = {"sentra": other_sentra.pk, "period_kind": "quarter", "year": 2021, "quarter": 1}
    body = api.post("/api/v1/monev/reports/", data, format="json").json()
    assert "sentra" in body and "already" not in str(body) and "sudah" not in str(body)


def test_every_model_is_scoped_or_says_why() -> None:
    from django.core.checks import run_checks

    assert [e for e in run_checks() if e.id == "dakportal.E001"] == []


def test_a_queryset_without_a_scope_is_refused_not_served(cast: Any) -> None:
    """#16: `scoped()` fails closed: a queryset without `for_user` raises rather than pass every row through."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import ImproperlyConfigured

    from dakportal.generic import scoped

    Notification.objects.create(user=cast.officer_b, text="x")
    with pytest.raises(ImproperlyConfigured, match="monev.Notification has no region scope"):
        scoped(Notification.objects.all(), cast.ministry_staff, "view")
    assert scoped(Regency.objects.all(), cast.officer_a, "view").exists()  # reference data
    assert not scoped(Regency.objects.all(), AnonymousUser(), "view").exists()


@pytest.mark.parametrize(
    "url", ["/sentra/", "/allocations/", "/monev/reports/", "/monev/findings/", "/monev/dashboard/",
            "/reports/absorption/", "/reports/allocations/"]
)  # fmt: skip
def test_one_region_filter_everywhere_in_the_users_scope(client: Client, cast: Any, url: str) -> None:
    """#14: every list filtering by region offers the same select of the user's regions; a single-region officer
    has their own fixed (no 38 provinces, no other kab/kota named)."""
    import re

    client.force_login(cast.officer_a)
    html = client.get(url).content.decode()
    selects = re.findall(r"<select[^>]*data-region-select[^>]*>(.*?)</select>", html, re.S)
    assert selects, url
    for options in selects:
        values = re.findall(r'<option value="([^"]*)"', options)
        assert values in (["32.73"], ["32"]), (url, values)  # fixed: no "all", nothing else
    assert "Kabupaten Sleman" not in html and "Jawa Tengah" not in html
    client.force_login(cast.ministry_staff)
    html = client.get(url).content.decode()
    regency = re.search(r'<select name="regency"[^>]*data-region-select[^>]*>(.*?)</select>', html, re.S)
    assert regency and regency.group(1).count("<option") > 500 and "Kabupaten Sleman" in regency.group(1)
