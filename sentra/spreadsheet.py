"""The sentra registry as a spreadsheet (#3): one column list serves the import template, the list page's export and
the import (`sentra/imports.py`), so an exported file can be edited and imported back."""

from __future__ import annotations

from typing import Any

from sentra.choices import CommodityGroup, EnvironmentalDocument, LandStatus, ManagementBody, SentraStatus
from sentra.models import Sentra

# (column, model field, kind). Kinds: text, int, decimal, date, bool, village, or a TextChoices class.
COLUMNS: list[tuple[str, str, Any]] = [
    ("id", "pk", "int"),
    ("name", "name", "text"),
    ("village_code", "village", "village"),
    ("address", "address", "text"),
    ("latitude", "latitude", "decimal"),
    ("longitude", "longitude", "decimal"),
    ("commodity_group", "commodity_group", CommodityGroup),
    ("kbli", "kbli", "text"),
    ("products", "products", "text"),
    ("unit_count", "unit_count", "int"),
    ("workers", "workers", "int"),
    ("production_capacity", "production_capacity", "decimal"),
    ("capacity_unit", "capacity_unit", "text"),
    ("production_value", "production_value", "int"),
    ("investment_value", "investment_value", "int"),
    ("sk_number", "sk_number", "text"),
    ("sk_date", "sk_date", "date"),
    ("sk_issuer", "sk_issuer", "text"),
    ("land_status", "land_status", LandStatus),
    ("land_certificate", "land_certificate", "text"),
    ("land_area", "land_area", "decimal"),
    ("building_permit", "building_permit", "text"),
    ("environmental_document", "environmental_document", EnvironmentalDocument),
    ("ded_available", "ded_available", "bool"),
    ("management_body", "management_body", ManagementBody),
    ("management_name", "management_name", "text"),
    ("management_sk", "management_sk", "text"),
    ("asset_owner", "asset_owner", "text"),
    ("status", "status", SentraStatus),
]
REQUIRED = {"name", "village_code", "commodity_group", "kbli", "unit_count"}
MONEY_COLUMNS = {"production_value", "investment_value"}


def export_row(sentra: Sentra) -> list[Any]:
    """A sentra as a row of COLUMNS (the village by its code)."""
    row = []
    for _column, name, _kind in COLUMNS:
        value = sentra.pk if name == "pk" else getattr(sentra, f"{name}_id" if name == "village" else name)
        row.append(value)
    return row
