"""Numbers the Indonesian way (#2, DOMAIN.md section 8): `.` groups thousands, `,` marks decimals.

rupiah(1234567) -> "Rp 1.234.567"; rupiah_short(166_300_000_000) -> "Rp 166,3 miliar";
percent(74.51) -> "74,51%". Integer arithmetic throughout: money never passes through a float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_UNITS = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")]


def group_thousands(value: int) -> str:
    return f"{abs(value):,}".replace(",", ".")


def _decimal(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    text = group_thousands(int(whole)) + ("," + fraction if fraction else "")
    return ("-" if rounded < 0 else "") + text


def number(value: int | Decimal | float | None, places: int = 0) -> str:
    if value is None:
        return "–"
    return _decimal(Decimal(str(value)), places)


def rupiah(value: int | None) -> str:
    """Whole rupiah with thousands separators: Rp 1.234.567 (negative: -Rp 1.234)."""
    if value is None:
        return "–"
    return ("-" if value < 0 else "") + "Rp " + group_thousands(int(value))


def rupiah_short(value: int | None, places: int = 1) -> str:
    """Rp 166,3 miliar; Rp 750 miliar; Rp 2,5 juta: one decimal, dropped when it is zero."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    magnitude = abs(int(value))
    for size, unit in _UNITS:
        if magnitude >= size:
            text = _decimal(Decimal(magnitude) / size, places)
            if "," in text:
                text = text.rstrip("0").rstrip(",")
            return f"{sign}Rp {text} {unit}"
    return f"{sign}Rp {group_thousands(magnitude)}"


def percent(value: int | Decimal | float | None, places: int = 2) -> str:
    """74,51%: two decimals by default."""
    if value is None:
        return "–"
    return _decimal(Decimal(str(value)), places) + "%"
