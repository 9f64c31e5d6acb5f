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
        if not code:
            return None
        return self.filter(Q(code=code) | Q(former_codes__code=code)).distinct().order_by("-active", "code").first()


def normalize_code(code: str) -> str:
    """`3273`, ` 32.73 ` and `32.73` all give `32.73` (Kemendagri's dotted form)."""
    raw = str(code).strip()
    if "." in raw:
        return raw
    digits = "".join(ch for ch in raw if ch.isdigit())
    return ".".join(part for part in (digits[0:2], digits[2:4], digits[4:6], digits[6:10]) if part)


def current_code(model: Any, text: Any) -> str | None:
    """Today's code of a region of `model` (Province, Regency, District or Village) as people write it (#12): the
    dotted or undotted form (`3273`), or a former code, the kab/kota's (`91.01` for today's 93.01 Merauke) or a
    kecamatan's or desa's under a former kab/kota code (`91.01.01` for 93.01.01). None when unknown. The one rule
    behind the API's region fields, the filters and the imports."""
    if not isinstance(text, str | int) or isinstance(text, bool):
        return None
    code = normalize_code(str(text))
    if not code or len(code) > 13 or "\x00" in code:
        return None
    if model.objects.filter(code=code).exists():
        return code
    from dakportal.regions.models import Regency

    if len(code) < 5:
        return None
    regency = Regency.objects.resolve(code[:5])
    if regency is None:
        return None
    moved = regency.code + code[5:]
    if moved == code or not model.objects.filter(code=moved).exists():
        return None
    return moved
