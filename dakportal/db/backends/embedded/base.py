"""Django's PostgreSQL backend, pointed at the embedded server, which it starts on the first connection (#2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.postgresql import base

from dakportal.db.embedded import ensure_server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        # Test databases (test_dakportal) are created by Django through the `postgres` maintenance database.
        params["host"] = ensure_server(Path(self.settings_dict["DATA_DIR"]), database="dakportal")
        return params
