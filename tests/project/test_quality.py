"""House rules checked with the suite (STYLE.md convention 14): lint, migrations in step with the models, and
strict typing of the whole package (#16)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# #16: the whole package under mypy --strict ([tool.mypy] in pyproject.toml; the migrations are excluded there).
TYPED = ["dakportal", "sentra", "allocations", "monev", "manage.py"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | {"DEBUG": "1"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing() -> None:
    result = run(str(BIN / "ruff"), "check", "--quiet", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_migrations_match_the_models() -> None:
    result = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_is_strictly_typed() -> None:
    result = run(str(BIN / "mypy"), *TYPED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_write_dates_one_way() -> None:
    """#14: a page writes a date through the named formats (dakportal/formats: 15 Apr 2021), never a literal of
    its own (a range may start "15 Apr"); only the letters (the PDFs, *_pdf.html) spell the month out in full, as
    an official letter does."""
    import re

    literal = re.compile(r"\|date:['\"](?![A-Z_]+['\"]|c['\"]|Y-m['\"]|D['\"]|j M['\"])")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if not path.name.endswith("_pdf.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if literal.search(line)
    ]
    assert offenders == [], offenders


# The foundation imports no app (#16): apps register with it (search, region-profile sections, national generators,
# demo loaders) in their AppConfig.ready(). Only the root URL configuration and the dashboard may name them.
APPS = {"sentra", "allocations", "monev"}
MAY_IMPORT_APPS = {"dakportal/urls.py"}


def app_imports(path: Path) -> list[str]:
    """The app modules a Python file imports, anywhere in it (inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [f"line {node.lineno}: {name}" for name in names if name.split(".")[0] in APPS]
    return found


def test_the_foundation_imports_no_app() -> None:
    offenders = {
        str(path.relative_to(ROOT)): imports
        for path in sorted((ROOT / "dakportal").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in MAY_IMPORT_APPS and (imports := app_imports(path))
    }
    assert offenders == {}, offenders
