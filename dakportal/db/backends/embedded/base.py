"""Django's PostgreSQL backend, pointed at the embedded server, which it starts on the first connection (#2)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.db import OperationalError
from django.db.backends.postgresql import base

from dakportal.db.embedded import ensure_server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        # Test databases (test_dakportal) are created by Django through the `postgres` maintenance database.
        # The database to make sure of: the portal's (DATABASE_NAME), also for its test database; Django's maintenance
        # connections (NAME None) use `postgres`, which is always there.
        name = self.settings_dict["NAME"]
        database = name.removeprefix("test_") if name else "postgres"
        try:
            params["host"] = ensure_server(Path(self.settings_dict["DATA_DIR"]), database=database)
        except (OSError, RuntimeError, subprocess.SubprocessError) as error:
            # #10: a server that cannot start is an unreachable database (503), not a server error.
            raise OperationalError(f"The embedded PostgreSQL could not start: {error}") from error
        return params
