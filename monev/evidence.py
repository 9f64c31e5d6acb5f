"""Reading a photo's EXIF position and time (#5), to flag (never refuse) a photo taken far from the sentra or
outside the report's period."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass
class PhotoFacts:
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    taken_at: datetime | None = None
    flags: list[str] = field(default_factory=list)
    distance_km: Decimal | None = None


def _degrees(values: Any, reference: str) -> Decimal:
    degrees, minutes, seconds = (float(v) for v in values)
    value = degrees + minutes / 60 + seconds / 3600
    return Decimal(str(round(-value if reference in ("S", "W") else value, 6)))


def read_exif(upload: Any) -> PhotoFacts:
    """GPS position and the time the photo was taken, when the camera wrote them."""
    from PIL import ExifTags, Image

    facts = PhotoFacts()
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            exif = image.getexif()
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            details = exif.get_ifd(ExifTags.IFD.Exif)
    except (OSError, ValueError):
        return facts
    finally:
        upload.seek(0)
    try:
        if gps.get(2) and gps.get(4):
            facts.latitude = _degrees(gps[2], gps.get(1, "N"))
            facts.longitude = _degrees(gps[4], gps.get(3, "E"))
    except (TypeError, ValueError, ZeroDivisionError):
        facts.latitude = facts.longitude = None
    stamp = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if stamp:
        try:
            facts.taken_at = datetime.strptime(str(stamp), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            pass
    return facts


def distance_km(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> Decimal:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return Decimal(str(round(6371 * 2 * math.asin(math.sqrt(a)), 2)))


def check_photo(facts: PhotoFacts, *, sentra: Any, period: tuple[date, date], max_km: int) -> PhotoFacts:
    """Add the flags: `far_from_sentra`, `outside_period`."""
    if facts.latitude is not None and sentra.latitude is not None:
        facts.distance_km = distance_km(facts.latitude, facts.longitude, sentra.latitude, sentra.longitude)  # type: ignore[arg-type]
        if facts.distance_km > max_km:
            facts.flags.append("far_from_sentra")
    if facts.taken_at is not None and not (period[0] <= facts.taken_at.date() <= period[1]):
        facts.flags.append("outside_period")
    return facts
