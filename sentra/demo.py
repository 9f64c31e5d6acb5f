"""Demo data of the registry (#3): 320 sentra in 110 kab/kota (Kota Bandung and Kab. Sleman among them) with
members, facilities, documents-free profiles of every completeness and every status, created through the
services the app uses. Deterministic (a fixed seed) and loaded once."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dakportal.regions.models import Regency, Village
from sentra import services
from sentra.choices import (
    CommodityGroup,
    EnvironmentalDocument,
    FacilityCondition,
    FacilityKind,
    LandStatus,
    LegalForm,
    ManagementBody,
    SentraStatus,
)
from sentra.models import Facility, IKMUnit, Sentra

SEED = 2021
SENTRA_COUNT = 320
REGENCY_COUNT = 110
DEMO_REGENCIES = ["32.73", "34.04"]

# (commodity group, product, KBLI)
PRODUCTS = [
    (CommodityGroup.FOOD, "Keripik Singkong", "10799"),
    (CommodityGroup.FOOD, "Tahu dan Tempe", "10393"),
    (CommodityGroup.FOOD, "Kopi Bubuk", "10761"),
    (CommodityGroup.FOOD, "Olahan Ikan", "10221"),
    (CommodityGroup.FOOD, "Roti dan Kue", "10710"),
    (CommodityGroup.FOOD, "Gula Aren", "10722"),
    (CommodityGroup.CRAFTS, "Anyaman Bambu", "16292"),
    (CommodityGroup.CRAFTS, "Gerabah", "23931"),
    (CommodityGroup.CRAFTS, "Ukiran Kayu", "16291"),
    (CommodityGroup.CRAFTS, "Kerajinan Perak", "32112"),
    (CommodityGroup.TEXTILES, "Batik", "13134"),
    (CommodityGroup.TEXTILES, "Tenun Ikat", "13121"),
    (CommodityGroup.TEXTILES, "Konveksi", "14111"),
    (CommodityGroup.TEXTILES, "Rajut", "13911"),
    (CommodityGroup.CHEMICALS, "Batu Bata", "23921"),
    (CommodityGroup.CHEMICALS, "Genteng", "23922"),
    (CommodityGroup.CHEMICALS, "Sabun Herbal", "20231"),
    (CommodityGroup.FURNITURE, "Mebel Kayu", "31001"),
    (CommodityGroup.FURNITURE, "Rotan", "31002"),
    (CommodityGroup.METAL, "Pandai Besi", "25931"),
    (CommodityGroup.METAL, "Alat Pertanian", "28210"),
    (CommodityGroup.METAL, "Sepatu Kulit", "15201"),
]
# Well-known sentra of the two demo regions: (village code, product index, name)
NAMED = [
    ("32.73.17.1003", 21, "Sentra Sepatu Cibaduyut"),
    ("32.73.17.1006", 12, "Sentra Konveksi Cibaduyut Wetan"),
    ("32.73.01.1001", 13, "Sentra Rajut Sukarasa"),
    ("32.73.01.1002", 4, "Sentra Roti Gegerkalong"),
    ("34.04.15.2002", 7, "Sentra Gerabah Donokerto"),
    ("34.04.05.2001", 6, "Sentra Anyaman Bambu Margoluwih"),
    ("34.04.15.2001", 0, "Sentra Keripik Turi"),
]
OWNER_NAMES = ["Siti", "Budi", "Ahmad", "Dewi", "Sri", "Agus", "Wahyu", "Nur", "Rina", "Eko", "Yuni", "Hendra", "Ani"]
SURNAMES = ["Rahayu", "Santoso", "Hidayat", "Lestari", "Wibowo", "Kurniawan", "Susanti", "Pratama", "Handayani"]


def load(acting_user: Any) -> int:
    """Create the demo sentra unless they are there already; returns how many were created."""
    if Sentra.objects.filter(name=NAMED[0][2]).exists():
        return 0
    rng = random.Random(SEED)
    with transaction.atomic():
        regencies = _pick_regencies(rng)
        created = 0
        for village_code, product, name in NAMED:
            village = Village.objects.select_related("district").filter(code=village_code).first()
            if village is not None:
                _make_sentra(rng, village, PRODUCTS[product], name, acting_user)
                created += 1
        while created < SENTRA_COUNT:
            regency = regencies[created % len(regencies)]
            villages = list(
                Village.objects.filter(district__regency=regency).order_by("code").values_list("code", flat=True)
            )
            village = Village.objects.get(code=rng.choice(villages))
            chosen = rng.choice(PRODUCTS)
            name = f"Sentra {chosen[1]} {village.name}"
            if Sentra.objects.filter(name__iexact=name, village=village).exists():
                continue
            _make_sentra(rng, village, chosen, name, acting_user)
            created += 1
    return created


def _pick_regencies(rng: random.Random) -> list[Regency]:
    codes = list(
        Regency.objects.autonomous().exclude(code__in=DEMO_REGENCIES).order_by("code").values_list("code", flat=True)
    )
    chosen = DEMO_REGENCIES + rng.sample(codes, REGENCY_COUNT - len(DEMO_REGENCIES))
    return list(Regency.objects.filter(code__in=chosen).order_by("code"))


def _make_sentra(rng: random.Random, village: Village, product: tuple[str, str, str], name: str, user: Any) -> None:
    group, product_name, kbli = product
    status = rng.choices(list(SentraStatus), weights=[1, 2, 2, 8, 2])[0]
    built = status not in (SentraStatus.PLANNED, SentraStatus.CONSTRUCTION)
    complete = rng.random()
    units = rng.choice([3, 4, 6, 8, 10, 12, 15, 20, 25, 40]) if built else rng.choice([0, 4, 6])
    since = timezone.localdate() - timedelta(days=rng.randint(20, 1400))
    sentra = Sentra(
        name=name,
        village=village,
        address=f"Jl. {rng.choice(['Raya', 'Industri', 'Mawar', 'Merdeka', 'Pahlawan'])} No. {rng.randint(1, 200)}",
        latitude=None,
        longitude=None,
        commodity_group=group,
        kbli=kbli,
        products=product_name,
        unit_count=max(units, 1),
        workers=units * rng.randint(2, 9),
        production_capacity=rng.randint(5, 500) * 100 if built else None,
        capacity_unit=rng.choice(["kg/bulan", "pcs/bulan", "m²/bulan", "unit/bulan"]) if built else "",
        production_value=rng.randint(2, 400) * 25_000_000 if status == SentraStatus.OPERATING else 0,
        investment_value=rng.randint(4, 160) * 50_000_000,
        sk_number=f"{rng.randint(100, 999)}/Kep.{rng.randint(1, 300)}-Disperindag/{since.year}"
        if complete > 0.25
        else "",
        sk_date=since - timedelta(days=rng.randint(30, 400)) if complete > 0.25 else None,
        sk_issuer="Bupati/Wali Kota" if complete > 0.25 else "",
        land_status=rng.choice(list(LandStatus)) if complete > 0.2 else LandStatus.UNCLEAR,
        land_certificate=f"SHM {rng.randint(1000, 99999)}" if complete > 0.45 else "",
        land_area=rng.randint(4, 60) * 100 if complete > 0.2 else None,
        building_permit=f"PBG-{rng.randint(1000, 9999)}/{since.year}" if complete > 0.55 and built else "",
        environmental_document=rng.choice([EnvironmentalDocument.SPPL, EnvironmentalDocument.UKL_UPL])
        if complete > 0.4
        else EnvironmentalDocument.NONE,
        ded_available=complete > 0.35,
        management_body=rng.choice([ManagementBody.UPTD, ManagementBody.KOPERASI, ManagementBody.PENGURUS])
        if complete > 0.3
        else ManagementBody.NONE,
        management_name=f"Koperasi {product_name} Mandiri" if complete > 0.3 else "",
        management_sk=f"SK-{rng.randint(10, 999)}/{since.year}" if complete > 0.6 else "",
        asset_owner="Pemerintah Daerah" if complete > 0.15 else "",
        status=status,
        status_since=since,
    )
    if rng.random() < 0.8:
        sentra.latitude, sentra.longitude = _coordinates(rng, village)
    services.save_sentra(sentra, acting_user=user, reason="Data demo")
    for kind in _facility_kinds(rng, built, complete):
        services.save_facility(
            Facility(
                sentra=sentra,
                kind=kind,
                quantity=rng.randint(1, 12) if kind == FacilityKind.MACHINES else 1,
                unit="unit",
                condition=rng.choices(list(FacilityCondition), weights=[8, 2, 1, 1])[0],
                year_built=since.year,
            ),
            acting_user=user,
        )
    for _ in range(min(units, 12)):
        services.save_unit(_make_unit(rng, sentra, village), acting_user=user)


def _facility_kinds(rng: random.Random, built: bool, complete: float) -> list[str]:
    if not built:
        return []
    kinds: list[str] = [FacilityKind.PRODUCTION]
    if complete > 0.2:
        kinds.append(FacilityKind.MACHINES)
    if complete > 0.4:
        kinds.append(rng.choice([FacilityKind.WAREHOUSE, FacilityKind.PACKAGING]))
    if complete > 0.6:
        kinds.append(FacilityKind.WASTE)
    if rng.random() < 0.3:
        kinds.append(rng.choice([FacilityKind.SHOWROOM, FacilityKind.OFFICE]))
    return kinds


_unit_counter = [0]


def _make_unit(rng: random.Random, sentra: Sentra, village: Village) -> IKMUnit:
    _unit_counter[0] += 1
    female = rng.random() < 0.5
    birth = date(1960, 1, 1) + timedelta(days=rng.randint(0, 14000))
    district_digits = village.district_id.replace(".", "")
    birth_part = f"{birth.day + (40 if female else 0):02d}{birth.month:02d}{birth.year % 100:02d}"  # women: day + 40
    nik = f"{district_digits}{birth_part}{rng.randint(1, 9999):04d}"
    owner = f"{rng.choice(OWNER_NAMES)} {rng.choice(SURNAMES)}"
    return IKMUnit(
        sentra=sentra,
        nib=f"9120{_unit_counter[0]:09d}",
        business_name=f"{sentra.products} {owner.split()[0]} {_unit_counter[0]}",
        owner_name=owner,
        owner_nik=nik,
        contact=f"08{rng.randint(1000000000, 9999999999)}",
        legal_form=rng.choices(list(LegalForm), weights=[10, 3, 2, 1, 1, 1])[0],
        kbli=sentra.kbli,
        products=sentra.products,
        workers_male=rng.randint(0, 12),
        workers_female=rng.randint(0, 12),
        investment_value=rng.choice([25, 50, 100, 250, 500, 1200, 2500]) * 1_000_000,
        halal_certified=sentra.commodity_group == CommodityGroup.FOOD and rng.random() < 0.5,
        sni_certified=rng.random() < 0.15,
        trademark_registered=rng.random() < 0.3,
        year_joined=rng.randint(2010, 2024),
    )


# Rough centres of the provinces (latitude, longitude), for demo coordinates only.
_PROVINCE_CENTRES = {
    "11": (4.7, 96.7),
    "12": (2.1, 99.5),
    "13": (-0.7, 100.5),
    "14": (0.3, 101.7),
    "15": (-1.6, 103.6),
    "16": (-3.3, 104.0),
    "17": (-3.8, 102.3),
    "18": (-4.6, 105.2),
    "19": (-2.7, 106.4),
    "21": (3.9, 108.1),
    "31": (-6.2, 106.8),
    "32": (-6.9, 107.6),
    "33": (-7.1, 110.4),
    "34": (-7.8, 110.4),
    "35": (-7.5, 112.2),
    "36": (-6.4, 106.1),
    "51": (-8.4, 115.2),
    "52": (-8.6, 117.4),
    "53": (-8.7, 121.1),
    "61": (-0.3, 111.5),
    "62": (-1.7, 113.4),
    "63": (-3.1, 115.3),
    "64": (0.5, 116.4),
    "65": (3.1, 116.0),
    "71": (0.6, 124.0),
    "72": (-1.4, 121.4),
    "73": (-3.7, 120.0),
    "74": (-4.1, 122.2),
    "75": (0.7, 122.5),
    "76": (-2.8, 119.2),
    "81": (-3.2, 130.1),
    "82": (1.6, 127.8),
    "91": (-2.5, 140.7),
    "92": (-1.3, 133.2),
    "93": (-7.0, 139.5),
    "94": (-3.8, 136.4),
    "95": (-4.1, 138.9),
    "96": (-1.0, 131.5),
}


def _coordinates(rng: random.Random, village: Village) -> tuple[Any, Any]:
    from decimal import Decimal

    latitude, longitude = _PROVINCE_CENTRES.get(village.code[:2], (-2.5, 118.0))
    return (
        Decimal(str(round(latitude + rng.uniform(-0.4, 0.4), 6))),
        Decimal(str(round(longitude + rng.uniform(-0.4, 0.4), 6))),
    )
