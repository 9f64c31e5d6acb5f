"""#18: the program's reference data lives in fixtures/reference/ as YAML, loaded by `manage.py load_reference` (all
or nothing, errors by file, row, line and column) and written back by `manage.py dump_reference` (byte for byte)."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from allocations.choices import ReferenceKind
from allocations.models import PublishedTotal, ReferenceItem, latest_allowed_year
from allocations.testing import make_allocation, make_item
from dakportal.history.models import Event
from dakportal.history.registry import tracked
from dakportal.reference import files
from dakportal.reference.models import LoadedFile
from dakportal.reference.registry import REFERENCE_FILES, fixtures_dir
from dakportal.reference.services import ReferenceLoadError, dump_reference, load_reference
from dakportal.regions.models import Regency, RegencyFormerCode
from sentra.testing import make_sentra

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """These tests read the messages in English (the portal's default language is Indonesian)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


REFERENCE_MODELS = (ReferenceItem, PublishedTotal, RegencyFormerCode, LoadedFile)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the reference tables, ids aside."""
    return {
        model._meta.label: sorted(
            tuple(str(value) for key, value in row.items() if key not in ("id", "loaded_at"))
            for row in model._default_manager.values()
        )
        for model in REFERENCE_MODELS
    }


@pytest.fixture
def empty() -> None:
    for model in REFERENCE_MODELS:
        model._default_manager.all().delete()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of fixtures/ to break (its files show as fixtures/reference/...)."""
    shutil.copytree(fixtures_dir() / "reference", tmp_path / "fixtures" / "reference")
    return tmp_path / "fixtures"


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "reference" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loading_every_file_into_an_empty_database_twice_gives_the_same_rows(empty: None) -> None:
    first = {report.file.name: report.counts for report in load_reference()}
    rows = snapshot()
    second = {report.file.name: report.counts for report in load_reference()}
    assert snapshot() == rows
    years = latest_allowed_year() - 2016 + 1
    assert first["reference_lists"].added == 15 * years  # 2 sub-fields, 2 menus, 8 details, 3 units, every year
    assert first["former_codes"].added == 29 and first["national_totals"].added == 6
    for name, counts in second.items():
        assert (counts.added, counts.changed, counts.removed) == (0, 0, 0), name
        if name == "fiscal_years":  # #13: the years' rules are not emptied (allocations hang on them): unchanged
            continue
        assert counts.unchanged == first[name].added, name


def test_the_files_hold_what_the_portal_runs_on() -> None:
    assert Regency.objects.resolve("91.01").code == "93.01"
    assert RegencyFormerCode.objects.get(regency="76.01").legal_basis.startswith("PP 61/2017")
    assert PublishedTotal.objects.get(year=2021).amount == 750_000_000_000
    assert "2012" in PublishedTotal.objects.get(year=2021).source  # the article's misprint, said where it is
    last = latest_allowed_year()
    assert set(ReferenceItem.objects.filter(kind=ReferenceKind.UNIT, year=last).values_list("code", flat=True)) == {
        "m2",
        "paket",
        "unit",
    }
    assert not ReferenceItem.objects.filter(source="").exists()  # every row says where it comes from


def test_every_reference_file_is_registered_once() -> None:
    on_disk = {path.relative_to(fixtures_dir()).as_posix() for path in (fixtures_dir() / "reference").glob("*.yaml")}
    registered = [file.path for file in REFERENCE_FILES]
    assert sorted(registered) == sorted(on_disk)
    assert len({file.name for file in REFERENCE_FILES}) == len(REFERENCE_FILES)


def test_dump_after_load_reproduces_the_files_byte_for_byte(tmp_path: Path) -> None:
    load_reference()
    for path in dump_reference(output=tmp_path):
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (fixtures_dir() / relative).read_bytes(), relative


def test_an_admin_change_is_dumped_and_kept_in_the_history(tmp_path: Path) -> None:
    unit = ReferenceItem.objects.get(kind=ReferenceKind.UNIT, code="paket", year=2019)
    unit.name = "paket pekerjaan"
    unit.save()
    assert Event.objects.filter(model="allocations.referenceitem", object_id=str(unit.pk), action="update").exists()
    call_command("dump_reference", "reference_lists", output=tmp_path, stdout=StringIO())
    rows = files.parse((tmp_path / "reference" / "reference_lists.yaml").read_text()).rows
    paket = [(row["name"], row["from_year"], row["to_year"]) for row in rows if row["code"] == "paket"]
    assert paket == [("paket", 2016, 2018), ("paket pekerjaan", 2019, 2019), ("paket", 2020, None)]


def test_a_start_keeps_admin_changes_and_a_changed_file_wins(copy: Path) -> None:
    load_reference(root=copy)
    total = PublishedTotal.objects.get(year=2018)
    total.regency_count = 74
    total.save()  # an edit in the admin
    reports = load_reference(root=copy, if_changed=True)  # what setup_portal does at every start
    assert all(report.skipped for report in reports)
    assert PublishedTotal.objects.get(year=2018).regency_count == 74
    edit(copy, "national_totals.yaml", "amount: 161_500_000_000", "amount: 161_600_000_000")
    reports = {report.file.name: report for report in load_reference(root=copy, if_changed=True)}
    assert reports["reference_lists"].skipped and not reports["national_totals"].skipped
    assert reports["national_totals"].counts.changed == 2  # 2017 from the file, 2018 back to the file's figure
    assert PublishedTotal.objects.get(year=2018).regency_count == 73
    assert PublishedTotal.objects.get(year=2017).amount == 161_600_000_000
    reasons = set(Event.objects.filter(model="allocations.publishedtotal").values_list("reason", flat=True))
    assert "Loaded from fixtures/reference/national_totals.yaml" in reasons


@pytest.mark.parametrize(
    ("name", "old", "new", "error"),
    [
        (
            "reference_lists.yaml",
            "- kind: menu\n  code: pembangunan",
            "- kind: sektor\n  code: pembangunan",
            "reference_lists.yaml, row 3 (line 27), column kind: Value 'sektor' is not a valid choice.",
        ),
        (
            "reference_lists.yaml",
            "  code: gudang\n  name: Gudang\n  from_year: 2016",
            "  code: gudang\n  name: Gudang\n  from_year: 2061",
            f"reference_lists.yaml, row 6 (line 48), column from_year: The year must be between 2016 and "
            f"{latest_allowed_year()}.",
        ),
        (
            "reference_lists.yaml",
            "  code: upt\n  name: UPT / kantor pengelola\n  from_year: 2016\n  to_year: null",
            "  code: upt\n  name: UPT / kantor pengelola\n  from_year: 2016\n  to_year: 2012",
            "reference_lists.yaml, row 12 (line 90), column to_year: The last year cannot be before the first.",
        ),
        (
            "reference_lists.yaml",
            "  code: ipal\n",
            "  code: gudang\n",
            "reference_lists.yaml, row 8 (line 62), column code: detail · 2016 · gudang is already in row 6.",
        ),
        (
            "reference_lists.yaml",
            "  name: Rumah kemasan\n",
            "  nama: Rumah kemasan\n",
            "reference_lists.yaml, row 11 (line 83), column nama: Unknown column; the columns are kind, code, name, "
            "from_year, to_year, source.",
        ),
        (
            "former_codes.yaml",
            "  code: '93.01'",
            "  code: '99.01'",
            "former_codes.yaml, row 4 (line 30), column code: 99.01 is not a kab/kota code of today's region list.",
        ),
        (
            "national_totals.yaml",
            "  regency_count: 73",
            "  regency_count: 0",
            "national_totals.yaml, row 3 (line 16): At least one kab/kota is funded.",
        ),
        (
            "national_totals.yaml",
            "- year: 2019\n",
            "- year: 2019\n  - oops\n",
            "national_totals.yaml: line 22: expected <block end>, but found '-'",
        ),
    ],
)
def test_a_broken_row_is_refused_by_file_row_line_and_column_and_nothing_changes(
    copy: Path, name: str, old: str, new: str, error: str
) -> None:
    edit(copy, name, old, new)
    # A good change in another file is refused too: one transaction for the whole load.
    other = "former_codes.yaml" if name != "former_codes.yaml" else "national_totals.yaml"
    if other == "former_codes.yaml":
        edit(copy, other, "former_name: Kabupaten Toba Samosir", "former_name: Kabupaten Tobasa")
    else:
        edit(copy, other, "regency_count: 149", "regency_count: 150")
    before = snapshot()
    with translation.override("en"), pytest.raises(ReferenceLoadError) as refused:
        load_reference(root=copy)
    assert any(message.startswith(f"fixtures/reference/{error}") for message in refused.value.errors), (
        refused.value.errors
    )
    assert snapshot() == before


def test_a_year_no_longer_listed_is_removed_unless_a_plan_uses_it(copy: Path, cast: Any) -> None:
    edit(
        copy,
        "reference_lists.yaml",
        "  code: bangunan_produksi\n  name: Bangunan produksi\n  from_year: 2016\n  to_year: null",
        "  code: bangunan_produksi\n  name: Bangunan produksi\n  from_year: 2016\n  to_year: 2020",
    )
    allocation = make_allocation(cast.ministry_staff, regency="32.73", year=2021)
    make_item(cast.officer_a, allocation, make_sentra(cast.officer_a))
    with translation.override("en"), pytest.raises(ReferenceLoadError) as refused:
        load_reference(root=copy)
    assert refused.value.errors == [
        "fixtures/reference/reference_lists.yaml: Bangunan produksi is no longer in the file, but 1 records use it: "
        "keep it in the file."
    ]
    allocation.activity_items.all().delete()
    reports = {report.file.name: report for report in load_reference(root=copy)}
    assert reports["reference_lists"].counts.removed == latest_allowed_year() - 2020
    assert not ReferenceItem.objects.filter(code="bangunan_produksi", year=2021).exists()


def test_the_dry_run_reports_and_saves_nothing(empty: None) -> None:
    out = StringIO()
    call_command("load_reference", dry_run=True, stdout=out)
    assert "fixtures/reference/national_totals.yaml: 6 added, 0 changed, 0 unchanged, 0 removed." in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()
    assert not PublishedTotal.objects.exists() and not LoadedFile.objects.exists()


def test_the_command_names_every_problem_and_fails(copy: Path, settings: Any) -> None:
    settings.BASE_DIR = copy.parent  # the copy's fixtures/ is the repository's
    edit(copy, "national_totals.yaml", "  regency_count: 73", "  regency_count: -1")
    with translation.override("en"), pytest.raises(CommandError) as failed:
        call_command("load_reference", stdout=StringIO())
    assert str(failed.value).startswith("Nothing was loaded: 1 problem(s).")
    assert "fixtures/reference/national_totals.yaml, row 3 (line 16), column regency_count:" in str(failed.value)
    with pytest.raises(CommandError, match="Unknown reference file fiscal"):
        call_command("load_reference", "fiscal", stdout=StringIO())


def test_the_reference_models_are_tracked_by_the_history() -> None:
    for label in ("allocations.referenceitem", "allocations.publishedtotal", "regions.regencyformercode"):
        assert label in tracked(), label
    assert "reference.loadedfile" not in tracked()  # the loader's bookkeeping is not a record
