"""House rules checked with the suite (STYLE.md convention 14): lint, migrations in step with the models, strict
typing of the whole package, the foundation free of the apps and the tests laid out like the code (#16)."""

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


# #16: the tests are laid out like the code (docs/architecture.md, "Tests"): tests/<package path>/test_<module>.py
# or test_<module>_<topic>.py tests <package path>/<module>.py or the package <package path>/<module>/. The suites
# that cut across the whole project by design have a home of their own; tests/scoping/ is a test-only app and holds
# no test module.
CROSS_CUTTING = {"tests/project", "tests/browser"}


def code_tested_by(test: Path) -> Path | None:
    """The code module or package that a test module's path names, or None."""
    package = ROOT / test.parent.relative_to(ROOT / "tests")
    if not (package / "__init__.py").is_file():
        return None
    words = test.stem.removeprefix("test_").split("_")
    for end in range(len(words), 0, -1):  # the longest name first: test_copy_export.py is copy_export.py
        name = "_".join(words[:end])
        for candidate in (package / f"{name}.py", package / name / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def test_every_test_module_sits_where_the_code_it_tests_sits() -> None:
    misplaced = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        if not any(path.is_relative_to(ROOT / home) for home in CROSS_CUTTING) and code_tested_by(path) is None
    ]
    assert misplaced == [], f"name the module they test (docs/architecture.md, Tests): {misplaced}"


def test_every_test_folder_is_a_package() -> None:
    """Test modules of the same name in two folders (tests/sentra/test_views.py, tests/monev/test_views.py) need
    each folder to be a package, or pytest cannot import the second."""
    folders = {path.parent for path in (ROOT / "tests").rglob("test_*.py")}
    assert sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file()) == []


# #16: status values only through their choices classes: in Python (`ReportStatus.DRAFT`) and in the templates
# (`choices.ReportStatus.DRAFT`, dakportal/tones.py), so a renamed value cannot leave a comparison behind.
STATUS_FIELD = r"\b(?:status|plan_status|verification|correction|result|to_status|from_status)"


def test_status_values_are_named_through_their_choices() -> None:
    import re

    from dakportal.tones import CHOICES

    in_python = re.compile(STATUS_FIELD + r"(?:__\w+)?\s*(?:=|==|!=)\s*['\"][a-z_]+['\"]")
    in_templates = re.compile(STATUS_FIELD + r"\s*(?:==|!=)\s*['\"]")
    named = re.compile(r"\bchoices\.(\w+)\.(\w+)")
    code = [
        path
        for app in ("dakportal", "sentra", "allocations", "monev")
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and path.name != "national.py"  # history; raw SQL of generate_national
    ]
    offenders, unknown = [], []
    for path in [*code, *sorted((ROOT / "templates").rglob("*.html"))]:
        pattern = in_python if path.suffix == ".py" else in_templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
            if path.suffix == ".html":
                unknown += [
                    f"{path.relative_to(ROOT)}:{number}: {cls}.{member}"
                    for cls, member in named.findall(line)
                    if not hasattr(CHOICES.get(cls), member)
                ]
    assert offenders == [], offenders
    assert unknown == [], unknown
