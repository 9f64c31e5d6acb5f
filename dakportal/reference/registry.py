"""Every reference file of the portal, in load order (#18): one line per file.

An entry names the file, `fixtures/reference/<name>.yaml`, and the module of the app that owns the data, which
has two functions:

- `load_<name>(rows: list[dict]) -> (added, changed, unchanged)` (or a `rows.Counts`, which also counts removals):
  make the database hold the file's rows, validated by the models' own rules; on bad data raise
  `rows.ReferenceDataError` (each error naming its row and column) or a `ValueError` naming them in its message;
- `dump_<name>() -> list[dict]`: the database's rows in the file's order and format, so that a load followed by a
  dump gives back the same file, byte for byte.

The module is named, not imported, so that this list can be read before the apps are ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ReferenceFile:
    name: str  # the file fixtures/reference/<name>.yaml
    module: str  # where load_<name>() and dump_<name>() are

    @property
    def path(self) -> str:
        """The file's path under fixtures/."""
        return f"reference/{self.name}.yaml"

    def loader(self) -> Callable[[list[dict[str, Any]]], Any]:
        return import_string(f"{self.module}.load_{self.name}")  # type: ignore[no-any-return]

    def dumper(self) -> Callable[[], list[dict[str, Any]]]:
        return import_string(f"{self.module}.dump_{self.name}")  # type: ignore[no-any-return]


REFERENCE_FILES: list[ReferenceFile] = [
    ReferenceFile("former_codes", "dakportal.regions.reference"),  # needs the regions (sync_regions) loaded
    ReferenceFile("fiscal_years", "allocations.reference"),  # #13: the disbursement rules of each year
    ReferenceFile("reference_lists", "allocations.reference"),
    ReferenceFile("national_totals", "allocations.reference"),
]


def fixtures_dir() -> Any:
    """The repository's `fixtures/` folder (beside `templates/` and `tests/`)."""
    return settings.BASE_DIR / "fixtures"
