"""#9 on the pages: the history tab of a detail page, a stale form refused with who changed what, deletes that
others depend on refused with a message, money records voided with a reason, the admin saving through the
services and recording its user."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from allocations.models import Allocation, Contract
from allocations.testing import make_allocation, make_contract, make_item
from dakportal.history.models import Event
from sentra.models import Sentra
from sentra.testing import make_sentra
from tests.sentra.test_views import sentra_form

pytestmark = pytest.mark.django_db


def test_the_history_tab_shows_the_change_with_labels_money_and_the_users_name(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, investment_value=100_000_000)
    client.force_login(cast.ministry_staff)
    url = reverse("sentra:sentra_edit", args=[sentra.pk])
    data = sentra_form(name=sentra.name, investment_value="250000000", version=sentra.version)
    assert client.post(url, data).status_code == 302
    detail = client.get(sentra.get_absolute_url()).content.decode()
    assert 'data-testid="history-tab"' in detail
    page = client.get(reverse("sentra:sentra_history", args=[sentra.pk])).content.decode()
    assert "Nilai investasi (Rp)" in page and "Rp 100.000.000" in page and "Rp 250.000.000" in page
    assert "ministry" in page and "investment_value" not in page
    assert client.get(reverse("sentra:sentra_history", args=[sentra.pk]), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    client.force_login(cast.officer_b)
    assert client.get(reverse("sentra:sentra_history", args=[sentra.pk])).status_code == 404


def test_a_stale_form_is_refused_with_who_changed_what_and_the_input_kept(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, investment_value=100_000_000)
    stale_version = sentra.version
    api = APIClient()
    api.force_authenticate(cast.ministry_staff)  # someone else saves first
    assert (
        api.patch(f"/api/v1/sentra/{sentra.pk}/", {"workers": 44, "version": stale_version}, format="json").status_code
        == 200
    )
    client.force_login(cast.officer_a)
    url = reverse("sentra:sentra_edit", args=[sentra.pk])
    data = sentra_form(name=sentra.name, products="Keripik tempe", version=stale_version)
    response = client.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="conflict"' in html and "ministry" in html and "44" in html
    assert "Keripik tempe" in html  # the user's input is kept, to apply again
    sentra.refresh_from_db()
    assert sentra.products != "Keripik tempe" and sentra.workers == 44
    data["version"] = response.context["form"]["version"].value()  # saving again applies it, deliberately
    assert client.post(url, data).status_code == 302
    sentra.refresh_from_db()
    assert sentra.products == "Keripik tempe"


def test_a_form_without_its_version_saves_nothing(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    client.force_login(cast.officer_a)
    response = client.post(reverse("sentra:sentra_edit", args=[sentra.pk]), sentra_form(name="Lain"))
    assert response.status_code == 200 and "version" in response.context["form"].errors
    assert Sentra.objects.get(pk=sentra.pk).name == sentra.name


def test_deleting_an_allocation_with_a_contract_is_refused_on_the_page(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, sentra)
    make_contract(cast.officer_a, allocation, 500_000_000)
    client.force_login(cast.ministry_staff)
    response = client.post(reverse("allocations:allocation_delete", args=[allocation.pk]), follow=True)
    assert "tidak dapat dihapus" in response.content.decode()
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_a_contract_is_voided_on_the_page_and_stays_visible(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, sentra)
    contract = make_contract(cast.officer_a, allocation, 500_000_000)
    client.force_login(cast.officer_a)
    url = reverse("allocations:contract_void", args=[contract.pk])
    response = client.post(url, {"reason": " ", "version": contract.version})
    assert response.status_code == 400 and "alasan" in response.content.decode().lower()
    assert client.post(url, {"reason": "Nomor kontrak salah", "version": contract.version}).status_code == 302
    contract = Contract.all_objects.get(pk=contract.pk)
    assert contract.is_voided and contract.voided_by == cast.officer_a
    page = client.get(allocation.get_absolute_url()).content.decode()
    assert 'data-testid="voided"' in page and "Nomor kontrak salah" in page
    assert Allocation.objects.with_totals().get(pk=allocation.pk).contracted == 0
    client.force_login(cast.officer_b)
    assert client.post(url, {"reason": "x", "version": 2}).status_code == 404


def test_the_admin_saves_through_the_services_and_is_recorded(client: Client, cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    allocation = make_allocation(cast.ministry_staff)
    make_item(cast.officer_a, allocation, sentra)
    client.force_login(cast.superuser)
    page = client.get(f"/admin/allocations/allocation/{allocation.pk}/change/").content.decode()
    assert "activity_items-0-unit_cost" not in page  # plan lines are read-only in the admin
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data = hidden | {
        "year": allocation.year, "regency": allocation.regency_id, "regency_code_then": allocation.regency_code_then,
        "sub_field": allocation.sub_field_id, "kind": allocation.kind, "amount": "5200000000", "legal_basis": "",
    }  # fmt: skip
    response = client.post(f"/admin/allocations/allocation/{allocation.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.filter(model="allocations.allocation", object_id=str(allocation.pk)).latest("id")
    assert (event.username, event.source) == ("root", "admin")
    assert event.changes["amount"] == [5_000_000_000, 5_200_000_000]


def test_saving_a_form_keeps_its_dates(client: Client, cast: Any) -> None:
    """A date input reads ISO dates only: a date written the Indonesian way looked empty and was erased."""
    import datetime

    sentra = make_sentra(cast.officer_a, sk_date=datetime.date(2026, 4, 3))
    client.force_login(cast.officer_a)
    url = reverse("sentra:sentra_edit", args=[sentra.pk])
    assert 'value="2026-04-03"' in client.get(url).content.decode()
    data = sentra_form(name=sentra.name, sk_date="2026-04-03", version=sentra.version)
    assert client.post(url, data).status_code == 302
    sentra.refresh_from_db()
    assert sentra.sk_date == datetime.date(2026, 4, 3)


def test_voiding_a_realisation_on_the_page_returns_to_the_allocation(client: Client, cast: Any) -> None:
    from allocations.testing import disburse, realise

    allocation = make_allocation(cast.ministry_staff)
    disburse(cast.ministry_staff, allocation, "Tahap I", 1_000_000_000)
    realisation = realise(cast.officer_a, allocation, 1, 100_000_000, "10")
    client.force_login(cast.officer_a)
    url = reverse("allocations:realisation_void", args=[realisation.pk])
    response = client.post(url, {"reason": "Salah kuartal", "version": realisation.version})
    assert response.status_code == 302 and response["Location"].endswith("#realisation")
    page = client.get(allocation.get_absolute_url()).content.decode()
    assert "Salah kuartal" in page


def test_the_whole_log_downloads_and_masks_personal_data(client: Client, cast: Any) -> None:
    from sentra.testing import VALID_NIK, make_unit

    make_unit(cast.officer_a, make_sentra(cast.officer_a))
    client.force_login(cast.auditor)
    assert client.get("/history/", {"export": "xlsx", "regency": "32.73"}).status_code == 200
    body = b"".join(client.get("/history/", {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert VALID_NIK not in body and VALID_NIK[:6] + "*" in body
    assert VALID_NIK not in client.get("/history/").content.decode()
    client.force_login(cast.officer_a)  # the unit's own region sees it in full
    assert VALID_NIK in client.get("/history/").content.decode()


def test_a_filter_that_cannot_be_read_shows_its_error_and_no_rows(client: Client, cast: Any) -> None:
    make_sentra(cast.officer_a)
    client.force_login(cast.auditor)
    response = client.get("/history/", {"since": "kemarin"})
    assert response.status_code == 200 and response.context["paginator"].count == 0
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert client.get("/history/").context["paginator"].count > 0
