"""House rules checked with the suite (STYLE.md convention 14): lint, migrations in step with the models, and
strict typing of the services and querysets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TYPED = [
    "dakportal/services.py",
    "dakportal/models.py",
    "dakportal/copy_export.py",
    "dakportal/national.py",
    "dakportal/jobs/exports.py",
    "dakportal/jobs/worker.py",
    "dakportal/jobs/imports.py",
    "dakportal/history/context.py",
    "dakportal/history/registry.py",
    "dakportal/history/triggers.py",
    "dakportal/history/querysets.py",
    "dakportal/history/display.py",
    "dakportal/accounts/scoping.py",
    "dakportal/accounts/services.py",
    "dakportal/regions/services.py",
    "sentra/services.py",
    "sentra/querysets.py",
    "allocations/services.py",
    "allocations/querysets.py",
    "monev/services.py",
    "dakportal/backup.py",  # #15
    "dakportal/db/routing.py",
    "dakportal/dashboard.py",  # #14, #16: the dashboard registry and the panels the apps register
    "allocations/dashboard.py",
    "monev/dashboard.py",
    "sentra/dashboard.py",
]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | {"DEBUG": "1"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing() -> None:
    result = run(str(BIN / "ruff"), "check", "--quiet", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_migrations_match_the_models() -> None:
    result = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_services_and_querysets_are_strictly_typed() -> None:
    result = run(str(BIN / "mypy"), *TYPED)
    assert result.returncode == 0, result.stdout + result.stderr
