"""Loading and refreshing the regions (#2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import translation

from dakportal.regions.models import District, Province, Regency, Village
from dakportal.regions.services import RegionSourceError, regions_from_csv, sync_regions

pytestmark = pytest.mark.django_db


def test_the_official_list_is_loaded_in_full() -> None:
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Regency.objects.filter(kind="kabupaten").count() == 416
    assert Regency.objects.filter(kind="kota").count() == 98
    assert District.objects.count() == 7285
    assert Village.objects.count() == 83762


def test_dki_jakartas_administrative_units_are_not_autonomous() -> None:
    assert set(Regency.objects.filter(autonomous=False).values_list("code", flat=True)) == {
        "31.01",
        "31.71",
        "31.72",
        "31.73",
        "31.74",
        "31.75",
    }
    assert Regency.objects.autonomous().count() == 508


def test_former_papua_codes_resolve_to_todays_regency() -> None:
    assert Regency.objects.resolve("91.01").code == "93.01"
    assert Regency.objects.resolve("9101").code == "93.01"
    assert Regency.objects.resolve("92.71").name == "Kota Sorong"
    assert Regency.objects.resolve("32.73").name == "Kota Bandung"
    assert Regency.objects.resolve("99.99") is None
    assert Regency.objects.filter(former_codes__kind="recoded").distinct().count() == 26


def test_renamed_regencies_remember_their_former_names() -> None:
    assert Regency.objects.get(code="76.01").former_codes.get().name == "Kabupaten Mamuju Utara"


def test_a_refresh_with_the_same_list_changes_nothing() -> None:
    report = sync_regions(
        [("32", "Jawa Barat"), ("34", "Daerah Istimewa Yogyakarta")]
        + [(r.code, r.name) for r in Province.objects.exclude(code__in=["32", "34"])]
    )
    assert not report.changed


def write_csv(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n" + "".join(f"{code},{name}\n" for code, name in rows), encoding="utf-8")
    return path


def test_a_refresh_renames_adds_deletes_and_keeps_what_data_points_to(tmp_path: Path, cast: Any) -> None:
    # officer_a works for 32.73, so that kab/kota must survive a list that lacks it.
    rows = [(r.code, r.name) for r in Regency.objects.all() if r.code not in ("32.73", "32.79")]
    rows = [(code, "Kabupaten Bogor Raya" if code == "32.01" else name) for code, name in rows]
    rows += [(p.code, p.name) for p in Province.objects.all()] + [("32.80", "Kota Baru Contoh")]
    # 32.79 Kota Banjar has kecamatan that point to it: they are in the list's absent kecamatan level, untouched,
    # so it too is kept as inactive rather than deleted.
    report = sync_regions(regions_from_csv(write_csv(tmp_path, rows)))
    changes = report.levels["kab/kota"]
    assert changes.added == 1
    assert changes.renamed == [("32.01", "Kabupaten Bogor", "Kabupaten Bogor Raya")]
    assert set(changes.deactivated) == {"32.73", "32.79"}
    assert Regency.objects.get(code="32.73").active is False
    assert cast.officer_a.regencies.filter(code="32.73").exists()


def test_a_region_nothing_points_to_is_deleted(tmp_path: Path) -> None:
    sync_regions([("32.80", "Kota Baru Contoh")])
    rows = [(r.code, r.name) for r in Regency.objects.exclude(code="32.80")]
    report = sync_regions(rows)
    assert report.levels["kab/kota"].deleted == ["32.80"]


def test_a_bad_csv_is_refused_line_by_line_and_changes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [("32.73", "Kota Bandung"), ("3273x", "Typo"), ("32.74", ""), ("32.73", "Again")])
    with translation.override("en"), pytest.raises(RegionSourceError) as error:
        regions_from_csv(path)
    assert error.value.errors == [
        "Line 3: '3273x' is not a Kemendagri code such as 32.73.",
        "Line 4: the region 32.74 has no name.",
        "Line 5: the code 32.73 appears twice.",
    ]
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("sync_regions", csv=path)


def test_the_dry_run_reports_without_saving(tmp_path: Path) -> None:
    path = write_csv(tmp_path, [("32.80", "Kota Baru Contoh")])
    call_command("sync_regions", csv=path, dry_run=True)
    assert not Regency.objects.filter(code="32.80").exists()


def test_every_foreign_key_to_a_region_protects_it() -> None:
    """#2: a region that data points to is never deleted, so every relation to one must be PROTECT."""
    region_models = {Province, Regency, District, Village}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model in region_models:
                if model in region_models or model._meta.model_name == "regencyformercode":
                    continue
                if model._meta.label == "history.Event":
                    continue  # the change log keeps the code, with no constraint: it outlives what it records
                assert field.remote_field.on_delete is models.PROTECT, f"{model.__name__}.{field.name}"
