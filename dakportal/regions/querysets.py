from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Prefetch, Q

if TYPE_CHECKING:
    from dakportal.regions.models import Regency


class RegencyQuerySet(models.QuerySet[Any]):
    def autonomous(self) -> RegencyQuerySet:
        """Kab/kota that can receive DAK: not DKI Jakarta's kota/kabupaten administrasi."""
        return self.filter(autonomous=True)

    def with_former_codes(self) -> RegencyQuerySet:
        from dakportal.regions.models import RegencyFormerCode

        return self.prefetch_related(
            Prefetch("former_codes", queryset=RegencyFormerCode.objects.order_by("changed_in"))
        )

    def resolve(self, code: str) -> Regency | None:
        """Today's kab/kota for `code`, current or former (`91.01` gives 93.01 Merauke); None if unknown."""
        code = normalize_code(code)
        return self.filter(Q(code=code) | Q(former_codes__code=code)).distinct().order_by("-active", "code").first()


def normalize_code(code: str) -> str:
    """`3273`, ` 32.73 ` and `32.73` all give `32.73` (Kemendagri's dotted form)."""
    raw = str(code).strip()
    if "." in raw:
        return raw
    digits = "".join(ch for ch in raw if ch.isdigit())
    return ".".join(part for part in (digits[0:2], digits[2:4], digits[4:6], digits[6:10]) if part)
