"""`manage.py generate_national` (#11): a small country made in bulk keeps every rule the models keep, every
reference points at a real row, the same seed gives the same data, and a portal in use is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from rest_framework.test import APIClient

from dakportal import national
from monev.national import REPORT_QUARTERS

SCALE = 0.01  # 200 sentra, about 3,000 units, every kab/kota's allocations

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def country(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Generated once for the tests of `TestCountry` (about 10 s) in a transaction rolled back after them; each test
    runs in a savepoint of its own inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_national", scale=SCALE, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _generated_models() -> list[type[models.Model]]:
    tables = set(national.tables())
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]


@pytest.mark.usefixtures("country")
class TestCountry:
    """A small country, generated once for these tests."""

    def test_counts_follow_the_scale(self) -> None:
        from allocations.models import Allocation
        from dakportal.regions.models import Regency
        from monev.models import Finding, MonevReport
        from sentra.models import IKMUnit, Sentra

        assert Sentra.objects.count() == 200
        assert 2_000 < IKMUnit.objects.count() < 4_000
        years = national.default_today().year - national.FIRST_YEAR + 1
        assert Allocation.objects.count() == Regency.objects.autonomous().count() * years
        assert MonevReport.objects.count() == 200 * REPORT_QUARTERS
        assert Finding.objects.count() == 300

    def test_every_reference_points_at_a_row(self) -> None:
        """The load runs with foreign-key checks off (session_replication_role): check every foreign key here."""
        checked = 0
        with connection.cursor() as cursor:
            for model in _generated_models():
                for field in model._meta.concrete_fields:
                    if not field.is_relation:
                        continue
                    table, column = model._meta.db_table, field.column
                    parent, key = field.related_model._meta.db_table, field.target_field.column
                    cursor.execute(
                        f'SELECT count(*) FROM "{table}" t WHERE t."{column}" IS NOT NULL AND NOT '  # noqa: S608
                        f'EXISTS (SELECT 1 FROM "{parent}" p WHERE p."{key}" = t."{column}")'
                    )
                    assert cursor.fetchone()[0] == 0, f"{model._meta.label}.{field.name} points at missing rows"
                    checked += 1
        assert checked > 30

    def test_a_sample_of_every_table_passes_the_models_validation(self) -> None:
        """full_clean(): field validators (NIK, NIB, KBLI), the models' clean() rules (the plan within the pagu,
        contracts within the plan, disbursements within the pagu, realisation in order and within the funds received)
        and the constraints."""
        for model in _generated_models():
            if model._meta.auto_created:
                continue
            manager = getattr(model, "all_objects", model._default_manager)
            rows = list(manager.order_by("?")[:15])
            assert rows, f"{model._meta.label} is empty"
            for row in rows:
                exclude = ["password"] if model._meta.label == "accounts.User" else None
                row.full_clean(exclude=exclude)

    def test_regional_officers_reach_only_their_kab_kota_with_their_token(self) -> None:
        from dakportal.accounts.models import User

        officer = User.objects.get(username="perf.000")
        regency = officer.regencies.get()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token " + national.token_key("perf.000"))
        response = client.get("/api/v1/sentra/", {"page_size": 1000})
        assert response.status_code == 200
        assert response.json()["results"]
        assert {row["regency"] for row in response.json()["results"]} == {regency.code}

    def test_a_portal_in_use_is_refused_unless_forced(self) -> None:
        with pytest.raises(CommandError, match="already holds data"):
            call_command("generate_national", scale=0.001, stdout=StringIO())
        call_command("generate_national", scale=0.001, force=True, stdout=StringIO())


def test_the_same_seed_gives_the_same_country(db: Any) -> None:
    def fingerprint() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(concat_ws('|', s.name, s.unit_count, s.status, s.latitude), ',' ORDER BY s.id), "
                "(SELECT sum(amount) FROM allocations_allocation), (SELECT sum(spent) FROM allocations_realisation)"
                " FROM sentra_sentra s"
            )
            return hashlib.sha256(repr(cursor.fetchone()).encode()).hexdigest()

    prints = []
    for _ in range(2):
        with transaction.atomic():
            national.generate(national.Plan(scale=0.002, seed=7, today=national.default_today()))
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]


def test_the_scale_must_be_sensible(db: Any) -> None:
    with pytest.raises(CommandError, match="--scale"):
        call_command("generate_national", scale=0, stdout=StringIO())
