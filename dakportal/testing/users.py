"""The fixed cast of test users (STYLE.md convention 11), created through the accounts service.

officer_a works for REGION_A (32.73 Kota Bandung), officer_b for REGION_B (34.04 Kab. Sleman), provincial for
Jawa Barat (32, which holds REGION_A but not REGION_B)."""

from __future__ import annotations

from dataclasses import dataclass

from dakportal.accounts.choices import Role
from dakportal.accounts.models import User
from dakportal.accounts.services import create_user
from dakportal.regions.models import Province, Regency

REGION_A = "32.73"
REGION_B = "34.04"
PROVINCE_A = "32"
PASSWORD = "test-password-123"  # noqa: S105


@dataclass
class Cast:
    ministry_staff: User
    auditor: User
    analyst: User
    officer_a: User
    officer_b: User
    provincial: User
    superuser: User


def make_cast() -> Cast:
    def user(username: str, role: str, **kwargs: object) -> User:
        email = f"{username}@dakportal.example"
        return create_user(
            username=username,
            role=role,
            full_name=username.title(),
            email=email,
            password=PASSWORD,
            **kwargs,  # type: ignore[arg-type]
        )

    superuser = user("root", Role.MINISTRY)
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    return Cast(
        ministry_staff=user("ministry", Role.MINISTRY),
        auditor=user("auditor", Role.AUDITOR),
        analyst=user("analyst", Role.ANALYST),
        officer_a=user("officer_a", Role.REGIONAL, regencies=[Regency.objects.get(code=REGION_A)]),
        officer_b=user("officer_b", Role.REGIONAL, regencies=[Regency.objects.get(code=REGION_B)]),
        provincial=user("provincial", Role.PROVINCIAL, provinces=[Province.objects.get(code=PROVINCE_A)]),
        superuser=superuser,
    )
