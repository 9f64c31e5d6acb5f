"""#13: the data migration that moves each per-finding follow-up onto its finding's first recommendation (a
finding without one gets a recommendation made from it), and gives each recommendation its status."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("monev", "0008_follow_up_per_recommendation")]
AFTER = [("monev", "0010_follow_up_without_finding")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def latest_schema_after() -> Any:
    """Put the schema back to the latest migrations, whatever the test left it at: the flush after it re-installs
    the history triggers of every model, those of later migrations too (#17's risk rules)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_follow_ups_move_onto_their_findings_first_recommendation() -> None:
    old = migrate(BEFORE)
    Province, Regency = old.get_model("regions", "Province"), old.get_model("regions", "Regency")
    Finding, Recommendation = old.get_model("monev", "Finding"), old.get_model("monev", "Recommendation")
    FollowUp = old.get_model("monev", "FollowUp")
    province = Province.objects.get_or_create(code="32", defaults={"name": "Jawa Barat"})[0]
    regency = Regency.objects.get_or_create(code="32.73", defaults={"name": "Kota Bandung", "province": province,
                                                                    "kind": "kota"})[0]  # fmt: skip

    def finding(title: str, **fields: Any) -> Any:
        values = {"regency": regency, "title": title, "category": "other", "condition": f"Kondisi {title}",
                  "due_date": date(2022, 5, 24), "loss_value": fields.pop("loss", 0)}  # fmt: skip
        return Finding.objects.create(**values, **fields)

    with_two = finding("Dua rekomendasi")
    first = Recommendation.objects.create(finding=with_two, text="Pertama", responsible_official="PPK",
                                          due_date=date(2022, 5, 24))  # fmt: skip
    second = Recommendation.objects.create(finding=with_two, text="Kedua", responsible_official="PPK",
                                           due_date=date(2022, 5, 24))  # fmt: skip
    FollowUp.objects.create(finding=with_two, reply="Belum lengkap", verification="belum_sesuai")
    FollowUp.objects.create(finding=with_two, reply="Lagi")
    bare = finding("Tanpa rekomendasi", loss=12_500_000, status="closed", follow_up_class="sesuai")
    FollowUp.objects.create(finding=bare, reply="Sudah disetor", verification="sesuai")
    untouched = finding("Tanpa tindak lanjut")

    new = migrate(AFTER)
    FollowUp, Recommendation = new.get_model("monev", "FollowUp"), new.get_model("monev", "Recommendation")
    moved = FollowUp.objects.filter(reply__in=["Belum lengkap", "Lagi"]).values_list("recommendation", flat=True)
    assert set(moved) == {first.pk}
    assert Recommendation.objects.get(pk=first.pk).status == "belum_sesuai"  # the latest verification
    assert Recommendation.objects.get(pk=second.pk).status == "belum_ditindaklanjuti"
    made = Recommendation.objects.get(finding_id=bare.pk)  # made from the finding, which had none
    assert (made.text, made.amount_to_recover, made.status) == ("Tanpa rekomendasi", 12_500_000, "sesuai")
    assert FollowUp.objects.get(reply="Sudah disetor").recommendation_id == made.pk
    assert not Recommendation.objects.filter(finding_id=untouched.pk).exists()  # nothing to move: nothing made
    assert "finding_id" not in {f.column for f in FollowUp._meta.concrete_fields}
