"""sentra/ and ikm-units/ endpoints (#3, CONTRACT.md)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from dakportal.testing.cases import APIViewTestCases
from sentra.models import IKMUnit, Sentra
from sentra.testing import VALID_NIK, VILLAGE_A, VILLAGE_B, make_sentra, make_unit


class SentraAPITestCase(APIViewTestCases.Full):
    model = Sentra
    api_basename = "api:sentra"
    wrong_role = None
    create_data = {
        "name": "Sentra API",
        "village": VILLAGE_A,
        "commodity_group": "sandang",
        "kbli": "13134",
        "unit_count": 8,
    }
    other_region_data = {
        "name": "Sentra Asing",
        "village": VILLAGE_B,
        "commodity_group": "sandang",
        "kbli": "13134",
        "unit_count": 8,
    }
    update_data = {"workers": 30}

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own_object = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        cls.other_object = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        for i in range(20):
            make_sentra(cls.cast.ministry_staff, name=f"Sentra Isi {i:02}", village=VILLAGE_B)


class IKMUnitAPITestCase(APIViewTestCases.Full):
    model = IKMUnit
    api_basename = "api:ikmunit"
    wrong_role = None
    update_data = {"workers_female": 4}

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        bandung = make_sentra(cls.cast.officer_a, name="Sentra Bandung")
        sleman = make_sentra(cls.cast.officer_b, name="Sentra Sleman", village=VILLAGE_B)
        cls.own_object = make_unit(cls.cast.officer_a, bandung, nib="9120000000001")
        cls.other_object = make_unit(cls.cast.officer_b, sleman, nib="9120000000002")
        for i in range(20):
            make_unit(cls.cast.officer_b, sleman, nib=f"91200000001{i:02}")
        cls.create_data = {"sentra": bandung.pk, "nib": "9120000000999", "business_name": "Baru", "owner_name": "Ani"}
        cls.other_region_data = {"sentra": sleman.pk, "nib": "9120000000998", "business_name": "X", "owner_name": "Y"}


pytestmark = pytest.mark.django_db


def api(user: Any, language: str = "id") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def test_a_create_with_bad_values_answers_400_per_field_and_saves_nothing(cast: Any) -> None:
    data = {"name": "Sentra X", "village": VILLAGE_A, "commodity_group": "pangan", "kbli": "1", "unit_count": -2,
            "latitude": "50.0", "longitude": "107.0"}  # fmt: skip
    response = api(cast.officer_a, "en").post("/api/v1/sentra/", data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["kbli"] == ["A KBLI code has exactly 5 digits."]
    assert "unit_count" in body
    assert not Sentra.objects.exists()


def test_a_duplicate_answers_400_in_indonesian(cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra Roti")
    data = {"name": "Sentra Roti", "village": VILLAGE_A, "commodity_group": "pangan", "kbli": "10710", "unit_count": 5}
    response = api(cast.officer_a).post("/api/v1/sentra/", data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_an_unknown_village_is_refused(cast: Any) -> None:
    data = {
        "name": "Sentra X",
        "village": "99.99.99.9999",
        "commodity_group": "pangan",
        "kbli": "10710",
        "unit_count": 5,
    }
    response = api(cast.officer_a).post("/api/v1/sentra/", data, format="json")
    assert response.status_code == 400 and "village" in response.json()


def test_filters_of_the_contract(cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra Batik", commodity_group="sandang", kbli="13134")
    make_sentra(cast.officer_b, name="Sentra Gerabah", village=VILLAGE_B, commodity_group="kerajinan", kbli="23931")
    client = api(cast.analyst)
    names = lambda **params: [row["name"] for row in client.get("/api/v1/sentra/", params).json()["results"]]  # noqa: E731
    assert names(province="32") == ["Sentra Batik"]
    assert names(regency="34.04") == ["Sentra Gerabah"]
    assert names(commodity="kerajinan") == ["Sentra Gerabah"]
    assert names(status="planned", ordering="-name") == ["Sentra Gerabah", "Sentra Batik"]
    assert names(q="batik") == ["Sentra Batik"]


def test_the_owner_nik_is_masked_for_everyone_but_ministry_and_own_region(cast: Any) -> None:
    unit = make_unit(cast.officer_a, make_sentra(cast.officer_a))
    url = f"/api/v1/ikm-units/{unit.pk}/"
    assert api(cast.ministry_staff).get(url).json()["owner_nik"] == VALID_NIK
    assert api(cast.officer_a).get(url).json()["owner_nik"] == VALID_NIK
    assert api(cast.analyst).get(url).json()["owner_nik"] == "327301**********"
    assert api(cast.auditor).get(url).json()["owner_nik"] == "327301**********"
    csv_body = b"".join(api(cast.analyst).get("/api/v1/ikm-units/", {"format": "csv"}).streaming_content).decode()
    assert VALID_NIK not in csv_body and "327301**********" in csv_body


def test_the_profile_is_in_the_api(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, unit_count=3)
    body = api(cast.analyst).get(f"/api/v1/sentra/{sentra.pk}/").json()
    assert body["regency"] == "32.73" and body["province"] == "32"
    assert body["below_minimum_members"] is True and 0 <= body["completeness"] < 50
    assert body["investment_value"] == 0 and isinstance(body["investment_value"], int)


def test_the_geojson_holds_the_scoped_filtered_sentra_with_coordinates(cast: Any) -> None:
    """#14 (CONTRACT.md): `?format=geojson` is a FeatureCollection of the sentra with coordinates."""
    make_sentra(cast.officer_a, name="Sentra Batik", latitude="-6.914744", longitude="107.609810")
    make_sentra(cast.officer_a, name="Sentra Tanpa Titik")
    make_sentra(cast.officer_b, name="Sentra Sleman", village=VILLAGE_B, latitude="-7.7", longitude="110.35")
    response = api(cast.officer_a).get("/api/v1/sentra/", {"format": "geojson"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 1
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [107.60981, -6.914744]}
    assert {"id", "name", "regency", "status"} <= set(feature["properties"])
    assert feature["properties"]["regency"] == "32.73"
    national = api(cast.analyst).get("/api/v1/sentra/", {"format": "geojson", "regency": "34.04"}).json()
    assert [f["properties"]["name"] for f in national["features"]] == ["Sentra Sleman"]
    located = api(cast.analyst).get("/api/v1/sentra/", {"located": "false"}).json()
    assert [row["name"] for row in located["results"]] == ["Sentra Tanpa Titik"]
