"""The kab/kota codes and names that changed since the program began (#18; DOMAIN.md sections 0 and 7), as the
reference file `fixtures/reference/former_codes.yaml`: the 2016-2021 allocations name the Papua kab/kota by their
old codes (91.xx, 92.xx), and three kab/kota were renamed. Each row: the former code and name, today's code, the
change (recoded or renamed), its year and its source (the law and article, and the Kemendagri decree of the code).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dakportal.reference.rows import Counts, ReferenceDataError, RowError, columns_of, sync_table
from dakportal.regions.models import Regency, RegencyFormerCode

COLUMNS = ("former_code", "former_name", "code", "change", "year", "source")
# model field -> the file's column
_FIELDS = {
    "code": "former_code",
    "name": "former_name",
    "regency": "code",
    "regency_id": "code",
    "kind": "change",
    "changed_in": "year",
    "legal_basis": "source",
}


def load_former_codes(rows: list[dict[str, Any]]) -> Counts:
    """Make the former codes equal the file's rows (today's kab/kota must exist: regions are loaded first)."""
    errors: list[RowError] = []
    wanted = []
    regencies = set(Regency.objects.values_list("code", flat=True))
    for number, row in enumerate(rows, start=1):
        values = columns_of(row, number, COLUMNS, (), errors)
        if values is not None and values["code"] not in regencies:
            message = _("%(code)s is not a kab/kota code of today's region list.") % {"code": values["code"]}
            errors.append(RowError(number, "code", message))
        elif values is not None:
            wanted.append((number, {field: values[column] for field, column in _FIELDS.items() if field != "regency"}))
    if errors:
        raise ReferenceDataError(errors)
    return sync_table(RegencyFormerCode, wanted, key=("regency_id", "code", "name"), columns=_FIELDS)


def dump_former_codes() -> list[dict[str, Any]]:
    """In order of the year of change, then of the former code."""
    return [
        {
            "former_code": former.code,
            "former_name": former.name,
            "code": former.regency_id,
            "change": former.kind,
            "year": former.changed_in,
            "source": former.legal_basis,
        }
        for former in RegencyFormerCode.objects.order_by("changed_in", "code", "regency_id")
    ]
