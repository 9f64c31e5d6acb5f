"""Numbers about sentra, computed in SQL (#3; STYLE.md convention 8).

`CHECKLIST` is the one home of the completeness profile: each item belongs to one of the seed's three
weaknesses and is a SQL condition. `with_profile()` annotates one boolean per item, a score per aspect and an
overall score (0-100), plus the "built but idle" flag; the list page, detail page, API, exports and reports all
use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.scoping import RegionScopedQuerySet
from sentra.choices import NOT_OPERATING_AFTER_BUILD, EnvironmentalDocument, FacilityKind, ManagementBody

ASPECTS: dict[str, Promise] = {
    "facilities": _("Facilities"),
    "legality": _("Legality"),
    "institution": _("Institution"),
}


@dataclass(frozen=True)
class ChecklistItem:
    aspect: str
    key: str
    label: Promise

    def condition(self) -> Any:
        return _CONDITIONS[self.key]()


def _has_facility(*kinds: str) -> Exists:
    from sentra.models import Facility

    return Exists(Facility.objects.filter(sentra=OuterRef("pk"), kind__in=kinds))


_CONDITIONS: dict[str, Callable[[], Any]] = {
    "production_building": lambda: _has_facility(FacilityKind.PRODUCTION),
    "machines": lambda: _has_facility(FacilityKind.MACHINES),
    "storage": lambda: _has_facility(FacilityKind.WAREHOUSE, FacilityKind.PACKAGING),
    "waste_treatment": lambda: _has_facility(FacilityKind.WASTE),
    "sk": lambda: ~Q(sk_number="") & Q(sk_date__isnull=False),
    "land_certificate": lambda: ~Q(land_certificate=""),
    "building_permit": lambda: ~Q(building_permit=""),
    "environmental_document": lambda: ~Q(environmental_document=EnvironmentalDocument.NONE),
    "ded": lambda: Q(ded_available=True),
    "management_body": lambda: ~Q(management_body=ManagementBody.NONE) & ~Q(management_name=""),
    "management_sk": lambda: ~Q(management_sk=""),
    "asset_owner": lambda: ~Q(asset_owner=""),
    "members": lambda: Q(unit_count__gte=5),
}

CHECKLIST = [
    ChecklistItem("facilities", "production_building", _("Production building")),
    ChecklistItem("facilities", "machines", _("Machines and equipment")),
    ChecklistItem("facilities", "storage", _("Warehouse or packaging house")),
    ChecklistItem("facilities", "waste_treatment", _("IPAL / IPAB")),
    ChecklistItem("legality", "sk", _("SK penetapan (number and date)")),
    ChecklistItem("legality", "land_certificate", _("Land certificate")),
    ChecklistItem("legality", "building_permit", _("Building permit (PBG/IMB)")),
    ChecklistItem("legality", "environmental_document", _("Environmental document (SPPL/UKL-UPL)")),
    ChecklistItem("legality", "ded", _("DED")),
    ChecklistItem("institution", "management_body", _("Management body and its name")),
    ChecklistItem("institution", "management_sk", _("SK of the management body")),
    ChecklistItem("institution", "asset_owner", _("Asset owner")),
    ChecklistItem("institution", "members", _("At least 5 member units (PP 29/2018)")),
]


def idle_cutoff(today: date | None = None) -> date:
    """Sentra not operating since before this date are "built but idle" (SENTRA_IDLE_MONTHS, default 6)."""
    today = today or timezone.localdate()
    months = settings.SENTRA_IDLE_MONTHS
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return date(year, month + 1, day)


def idle_q() -> Q:
    """Built but idle: built (or inactive) and not operating since before `idle_cutoff()`; for `idle()` and the
    dashboard's count of it (#14)."""
    return Q(status__in=NOT_OPERATING_AFTER_BUILD, status_since__lt=idle_cutoff())


def _score(items: list[ChecklistItem]) -> Any:
    total = sum((Case(When(**{f"chk_{i.key}": True}, then=Value(1)), default=Value(0)) for i in items), Value(0))
    return ExpressionWrapper(total * 100 / len(items), output_field=IntegerField())


class SentraQuerySet(RegionScopedQuerySet):
    def with_profile(self) -> SentraQuerySet:
        """One `chk_<item>` boolean per checklist item, `score_<aspect>` and `completeness` (0-100), `is_idle`."""
        checks = {
            f"chk_{item.key}": ExpressionWrapper(item.condition(), output_field=BooleanField()) for item in CHECKLIST
        }
        scores = {
            f"score_{aspect}": _score([item for item in CHECKLIST if item.aspect == aspect]) for aspect in ASPECTS
        }
        return self.annotate(**checks).annotate(
            **scores,
            completeness=_score(CHECKLIST),
            is_idle=ExpressionWrapper(idle_q(), output_field=BooleanField()),  # the one rule of idleness
        )

    def with_unit_counts(self) -> SentraQuerySet:
        """`registered_units`: member units recorded in the registry (the declared number is `unit_count`)."""
        from sentra.models import IKMUnit

        counts = IKMUnit.objects.filter(sentra=OuterRef("pk")).order_by().values("sentra").annotate(n=Count("pk"))
        return self.annotate(registered_units=Coalesce(models.Subquery(counts.values("n")), 0))

    def idle(self) -> SentraQuerySet:
        return self.filter(idle_q())

    def completeness_band(self, band: str) -> SentraQuerySet:
        """`complete` (100), `partial` (50-99) or `low` (under 50); expects `with_profile()`."""
        bands = {"complete": Q(completeness=100), "partial": Q(completeness__gte=50, completeness__lt=100)}
        return self.filter(bands.get(band, Q(completeness__lt=50)))


def missing_items(sentra: Any) -> dict[str, list[Promise]]:
    """What an annotated sentra lacks, per aspect (for the detail page and exports)."""
    missing: dict[str, list[Promise]] = {aspect: [] for aspect in ASPECTS}
    for item in CHECKLIST:
        if not getattr(sentra, f"chk_{item.key}"):
            missing[item.aspect].append(item.label)
    return missing
