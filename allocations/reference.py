"""The yearly reference data of DAK Fisik Bidang IKM (DOMAIN.md sections 1-3 and 5.2): disbursement rules per
fiscal year, and the sub-fields, menus, details (rincian) and units each year's Perpres lists. Loaded by
`ensure_reference_data()` (idempotent) at set-up; a later year starts as a copy of the year before it, and the
ministry can change any of it in the admin."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from allocations.choices import ReferenceKind
from allocations.models import PROGRAM_FIRST_YEAR, DisbursementRule, FiscalYear, ReferenceItem, latest_allowed_year

LEGAL_BASIS = {
    2016: "PMK 48/PMK.07/2016",
    2017: "Perpres 123/2016; PMK 50/PMK.07/2017",
    2018: "Perpres 123/2016 as amended by Perpres 5/2018; PMK 50/PMK.07/2017 as amended by PMK 112/2017",
    2019: "Perpres 141/2018; PMK 50/PMK.07/2017 as amended by PMK 121/2018",
    2020: "Perpres 88/2019; PMK 130/PMK.07/2019",
    2021: "Perpres 123/2020; PMK 130/PMK.07/2019",
}
SINGLE_PAYMENT_MAX = 1_000_000_000  # from 2017: a pagu up to Rp 1 miliar is disbursed at once

# (name, share %, minimum absorption of funds received %, minimum output %, needs previous quarter's report)
QUARTERLY_2016 = [
    ("Triwulan I", Decimal(30), None, None, False),
    ("Triwulan II", Decimal(25), None, None, True),
    ("Triwulan III", Decimal(25), None, None, True),
    ("Triwulan IV", Decimal(20), None, None, True),
]
STAGED = [
    ("Tahap I", Decimal(25), None, None, False),
    ("Tahap II", Decimal(45), Decimal(75), None, False),
    ("Tahap III", None, Decimal(90), Decimal(70), False),
]
SINGLE = ("Sekaligus", Decimal(100), None, None, False)

SUB_FIELDS = [("revitalisasi", "Revitalisasi Sentra IKM"), ("pembangunan", "Pembangunan Sentra IKM baru")]
MENUS = [("revitalisasi", "Revitalisasi Sentra IKM"), ("pembangunan", "Pembangunan Sentra IKM")]
DETAILS = [
    ("bangunan_produksi", "Bangunan produksi"),
    ("upt", "UPT / kantor pengelola"),
    ("gudang", "Gudang"),
    ("rumah_kemasan", "Rumah kemasan"),
    ("ruang_pamer", "Ruang pamer / galeri"),
    ("ipal", "IPAL / IPAB"),
    ("infrastruktur", "Infrastruktur pendukung (jalan, paving, tower air)"),
    ("mesin", "Mesin dan peralatan produksi"),
]
UNITS = [("m2", "m²"), ("unit", "unit"), ("paket", "paket")]


@transaction.atomic
def ensure_reference_data(last_year: int | None = None) -> int:
    """Create what is missing for every year from 2016 to next year; returns how many rows were added."""
    added = 0
    for year in range(PROGRAM_FIRST_YEAR, (last_year or latest_allowed_year()) + 1):
        fiscal_year, created = FiscalYear.objects.get_or_create(
            year=year,
            defaults={
                "legal_basis": LEGAL_BASIS.get(year, ""),
                "single_payment_max": 0 if year == PROGRAM_FIRST_YEAR else SINGLE_PAYMENT_MAX,
            },
        )
        added += created
        if created or not fiscal_year.rules.exists():
            stages = QUARTERLY_2016 if year == PROGRAM_FIRST_YEAR else STAGED
            for order, (name, share, absorption, output, report) in enumerate(stages, start=1):
                DisbursementRule.objects.create(
                    fiscal_year=fiscal_year, order=order, name=name, share_percent=share,
                    min_absorption_percent=absorption, min_output_percent=output, needs_previous_quarter_report=report,
                )  # fmt: skip
            if year > PROGRAM_FIRST_YEAR:
                name, share, *_ = SINGLE
                DisbursementRule.objects.create(
                    fiscal_year=fiscal_year, order=1, name=name, share_percent=share, single_payment=True
                )
        for kind, rows in (
            (ReferenceKind.SUB_FIELD, SUB_FIELDS),
            (ReferenceKind.MENU, MENUS),
            (ReferenceKind.DETAIL, DETAILS),
            (ReferenceKind.UNIT, UNITS),
        ):
            for code, name in rows:
                added += ReferenceItem.objects.get_or_create(kind=kind, year=year, code=code, defaults={"name": name})[
                    1
                ]
    return added


def sub_field(year: int, code: str = "revitalisasi") -> ReferenceItem:
    return ReferenceItem.objects.get(kind=ReferenceKind.SUB_FIELD, year=year, code=code)
