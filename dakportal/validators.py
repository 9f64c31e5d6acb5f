"""Validators of Indonesian identifiers and places, shared by every app (#3)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Indonesia's extent, with a margin: Sabang/Miangas in the north, Rote in the south, Aceh to Merauke.
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))


def validate_nib(value: str) -> None:
    """NIB (Nomor Induk Berusaha), issued by OSS: exactly 13 digits."""
    if not re.fullmatch(r"\d{13}", value or ""):
        raise ValidationError(_("An NIB has exactly 13 digits."), code="nib")


def validate_nik(value: str) -> None:
    """NIK (Nomor Induk Kependudukan): 16 digits, a real region and birth date (lokal-id's rules)."""
    from lokal.nik import is_valid_nik

    if not re.fullmatch(r"\d{16}", value or ""):
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik")
    if not is_valid_nik(value):
        raise ValidationError(_("This NIK is not valid: its region or birth date does not exist."), code="nik")


def validate_kbli(value: str) -> None:
    """KBLI 2015/2020: a 5-digit business classification code."""
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError(_("A KBLI code has exactly 5 digits."), code="kbli")


def mask_nik(value: str) -> str:
    """3273014105900001 -> 327301**********: the region part stays, the person's part is hidden."""
    return value[:6] + "*" * (len(value) - 6) if value else value
