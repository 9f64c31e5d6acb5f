"""Rules of the sentra registry (#3): validation in the model and the database, the completeness profile and
the "built but idle" flag."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from sentra import services
from sentra.models import IKMUnit, Sentra
from sentra.querysets import missing_items
from sentra.testing import VALID_NIK, make_facility, make_sentra, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def test_the_kab_kota_follows_the_desa(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    assert sentra.regency_id == "32.73"


def test_a_duplicate_sentra_in_the_same_desa_is_refused(cast: Any) -> None:
    make_sentra(cast.officer_a, name="Sentra Roti")
    with pytest.raises(ValidationError) as error:
        make_sentra(cast.officer_a, name="sentra roti")
    assert messages(error)["__all__"] == ["A sentra with this name already exists in this desa/kelurahan."]
    assert Sentra.objects.count() == 1


def test_the_database_refuses_a_duplicate_too(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, name="Sentra Roti")
    with pytest.raises(IntegrityError), transaction.atomic():
        Sentra.objects.create(
            name="SENTRA ROTI", village=sentra.village, regency=sentra.regency, commodity_group="pangan",
            kbli="10710", unit_count=5,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        # #14: a constraint on one field is reported beside that field
        ({"latitude": Decimal("40"), "longitude": Decimal("107")}, "latitude", "The latitude is outside Indonesia"),
        ({"latitude": Decimal("-6.9"), "longitude": Decimal("20")}, "longitude", "The longitude is outside Indonesia"),
        ({"latitude": Decimal("-6.9")}, "__all__", "Give both latitude and longitude"),
        ({"workers": -3}, "workers", "greater than or equal to 0"),
        ({"investment_value": -1}, "investment_value", "greater than or equal to 0"),
        ({"kbli": "107"}, "kbli", "A KBLI code has exactly 5 digits."),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(
    cast: Any, fields: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        make_sentra(cast.officer_a, **fields)
    assert any(message in text for text in messages(error)[field])
    assert not Sentra.objects.exists()


def test_fewer_than_five_members_is_allowed_but_flagged(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, unit_count=3)
    assert sentra.below_minimum_members
    profile = Sentra.objects.with_profile().get(pk=sentra.pk)
    assert "At least 5 member units (PP 29/2018)" in [str(item) for item in missing_items(profile)["institution"]]


@pytest.mark.parametrize(
    ("nib", "nik", "field", "message"),
    [
        ("12345", VALID_NIK, "nib", "An NIB has exactly 13 digits."),
        ("91200000000AB", VALID_NIK, "nib", "An NIB has exactly 13 digits."),
        ("9120000000001", "32730141059000", "owner_nik", "A NIK has exactly 16 digits."),
        ("9120000000001", "3273019905900001", "owner_nik", "This NIK is not valid"),
    ],
)
def test_a_bad_nib_or_nik_is_refused(cast: Any, nib: str, nik: str, field: str, message: str) -> None:
    sentra = make_sentra(cast.officer_a)
    with pytest.raises(ValidationError) as error:
        make_unit(cast.officer_a, sentra, nib=nib, owner_nik=nik)
    assert any(text.startswith(message) for text in messages(error)[field])
    assert not IKMUnit.objects.exists()


def test_an_nib_belongs_to_one_unit(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    make_unit(cast.officer_a, sentra, nib="9120000000001")
    with pytest.raises(ValidationError):
        make_unit(cast.officer_a, sentra, nib="9120000000001")


@pytest.mark.parametrize(
    ("male", "female", "investment", "expected"),
    [
        (5, 4, 900_000_000, "kecil"),
        (10, 9, 1_000_000_000, "menengah"),
        (15, 5, 15_000_000_000, "menengah"),
        (15, 5, 15_000_000_001, "besar"),
    ],
)
def test_the_size_class_follows_permenperin_64_2016(
    cast: Any, male: int, female: int, investment: int, expected: str
) -> None:
    unit = make_unit(
        cast.officer_a,
        make_sentra(cast.officer_a),
        workers_male=male,
        workers_female=female,
        investment_value=investment,
    )
    unit.refresh_from_db()
    assert unit.size_class == expected


def test_the_completeness_profile_counts_what_is_there(cast: Any) -> None:
    sentra = make_sentra(
        cast.officer_a, sk_number="12/2020", sk_date=timezone.localdate(), land_certificate="SHM 1",
        management_body="koperasi", management_name="Koperasi Maju",
    )  # fmt: skip
    make_facility(cast.officer_a, sentra, kind="production")
    make_facility(cast.officer_a, sentra, kind="machines")
    profile = Sentra.objects.with_profile().get(pk=sentra.pk)
    assert profile.score_facilities == 50  # 2 of 4
    assert profile.score_legality == 40  # 2 of 5: SK, land certificate
    assert profile.score_institution == 50  # management body, 5 members
    assert profile.completeness == 46  # 6 of 13
    missing = missing_items(profile)
    assert [str(m) for m in missing["facilities"]] == ["Warehouse or packaging house", "IPAL / IPAB"]


def test_a_built_sentra_not_operating_for_too_long_is_idle(cast: Any, settings: Any) -> None:
    settings.SENTRA_IDLE_MONTHS = 6
    old = timezone.localdate() - timedelta(days=250)
    idle = make_sentra(cast.officer_a, name="Lama", status="built", status_since=old)
    recent = make_sentra(cast.officer_a, name="Baru", status="built", status_since=timezone.localdate())
    working = make_sentra(cast.officer_a, name="Jalan", status="operating", status_since=old)
    flags = dict(Sentra.objects.with_profile().values_list("pk", "is_idle"))
    assert flags == {idle.pk: True, recent.pk: False, working.pk: False}
    assert list(Sentra.objects.idle()) == [idle]


def test_a_status_change_is_recorded_with_who_when_and_why(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a, status="construction")
    services.change_status(sentra, status="operating", reason="Diresmikan bupati", acting_user=cast.officer_a)
    sentra.refresh_from_db()
    assert sentra.status == "operating" and sentra.status_since == timezone.localdate()
    change = sentra.status_changes.first()
    assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
        "construction", "operating", "Diresmikan bupati", cast.officer_a,
    )  # fmt: skip


def test_a_status_change_needs_a_reason(cast: Any) -> None:
    sentra = make_sentra(cast.officer_a)
    with pytest.raises(ValidationError):
        services.change_status(sentra, status="operating", reason=" ", acting_user=cast.officer_a)
    assert sentra.status_changes.count() == 1  # only the registration
