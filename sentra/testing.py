"""Building sentra test data through the registry's services (STYLE.md convention 11)."""

from __future__ import annotations

from typing import Any

from dakportal.regions.models import Village
from sentra import services
from sentra.models import Facility, IKMUnit, Sentra

VILLAGE_A = "32.73.01.1001"  # Sukarasa, Kota Bandung (REGION_A)
VILLAGE_B = "34.04.15.2002"  # Donokerto, Kab. Sleman (REGION_B)
VALID_NIK = "3273014105900001"  # 32.73.01, woman born 1 May 1990


def make_sentra(user: Any, name: str = "Sentra Uji", village: str = VILLAGE_A, **fields: Any) -> Sentra:
    values: dict[str, Any] = {"commodity_group": "pangan", "kbli": "10710", "unit_count": 6} | fields
    sentra = Sentra(name=name, village=Village.objects.get(code=village), **values)
    return services.save_sentra(sentra, acting_user=user)


def make_unit(user: Any, sentra: Sentra, nib: str = "9120000000001", **fields: Any) -> IKMUnit:
    values: dict[str, Any] = {"business_name": f"Usaha {nib[-3:]}", "owner_name": "Siti Rahayu", "owner_nik": VALID_NIK}
    return services.save_unit(IKMUnit(sentra=sentra, nib=nib, **(values | fields)), acting_user=user)


def make_facility(user: Any, sentra: Sentra, kind: str = "production", **fields: Any) -> Facility:
    return services.save_facility(Facility(sentra=sentra, kind=kind, **fields), acting_user=user)
