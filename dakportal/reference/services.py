"""Loading the reference files into the database and writing it back to them (#18).

`load_reference()` reads every registered file (`registry.REFERENCE_FILES`), hands its rows to the owning app's
loader and reports, per file, the rows added, changed, unchanged and removed. It is one transaction: a file with
an error is refused with its path, row, line and column, the other files are still checked so that every
problem shows at once, and then nothing at all is saved. `if_changed` (what `setup_portal` uses at every start)
skips a file whose content did not change since its last load in the same calendar year, so a start of the
portal never undoes what the ministry changed in the admin; a changed file wins over the admin (its report says
what it changed; the history keeps both). `dump_reference()` writes the database back to the files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dakportal.history.context import history_context
from dakportal.reference import files
from dakportal.reference.models import LoadedFile
from dakportal.reference.registry import REFERENCE_FILES, ReferenceFile, fixtures_dir
from dakportal.reference.rows import Counts, ReferenceDataError


class ReferenceLoadError(ValueError):
    """Some reference file is bad: one message per problem; nothing was saved."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class FileReport:
    file: ReferenceFile
    path: Path
    counts: Counts = field(default_factory=Counts)
    skipped: bool = False  # unchanged since its last load (if_changed)

    def line(self) -> str:
        if self.skipped:
            return _("%(path)s: unchanged since its last load, skipped.") % {"path": self.path}
        return _("%(path)s: %(added)d added, %(changed)d changed, %(unchanged)d unchanged, %(removed)d removed.") % {
            "path": self.path,
            "added": self.counts.added,
            "changed": self.counts.changed,
            "unchanged": self.counts.unchanged,
            "removed": self.counts.removed,
        }


def _display(path: Path, root: Path) -> Path:
    """The path as a person finds it: relative to the repository when it is inside it."""
    try:
        return path.relative_to(root.parent)
    except ValueError:
        return path


def load_reference(
    reference_files: list[ReferenceFile] | None = None,
    *,
    root: Path | None = None,
    dry_run: bool = False,
    if_changed: bool = False,
) -> list[FileReport]:
    """Load the files (all registered ones by default) from `root` (default `fixtures/`); see the module
    docstring. Raises ReferenceLoadError, with nothing saved, when any file is bad."""
    root = root or fixtures_dir()
    year = timezone.localdate().year
    reports: list[FileReport] = []
    errors: list[str] = []
    with transaction.atomic():
        for reference_file in reference_files or REFERENCE_FILES:
            path = root / reference_file.path
            report = FileReport(reference_file, _display(path, root))
            reports.append(report)
            try:
                text = path.read_text(encoding="utf-8")
            except (FileNotFoundError, UnicodeDecodeError) as error:
                errors.append(f"{report.path}: {error}")
                continue
            digest = hashlib.sha256(text.encode()).hexdigest()
            if if_changed and LoadedFile.objects.filter(name=reference_file.name, sha256=digest, year=year).exists():
                report.skipped = True
                continue
            try:
                parsed = files.parse(text)
            except files.FileFormatError as error:
                errors.append(f"{report.path}: {error}")
                continue
            try:
                with transaction.atomic(), history_context(reason=_("Loaded from %(path)s") % {"path": report.path}):
                    report.counts = Counts.of(reference_file.loader()(parsed.rows))
            except ReferenceDataError as error:
                errors += [_located(report.path, parsed.lines, e.row, e.column, e.message) for e in error.errors]
                continue
            except ValidationError as error:
                errors += [f"{report.path}: {message}" for message in error.messages]
                continue
            except (ValueError, DatabaseError) as error:  # a loader's own message names the row and column
                errors.append(f"{report.path}: {error}")
                continue
            LoadedFile.objects.update_or_create(name=reference_file.name, defaults={"sha256": digest, "year": year})
        if errors:
            raise ReferenceLoadError(errors)
        if dry_run:
            transaction.set_rollback(True)
    return reports


def _located(path: Path, lines: list[int], row: int, column: str, message: str) -> str:
    if row == 0:
        return f"{path}: {message}"
    line = lines[row - 1] if 0 < row <= len(lines) else 0
    where = _("row %(row)d (line %(line)d)") % {"row": row, "line": line}
    if column:
        where += ", " + _("column %(column)s") % {"column": column}
    return f"{path}, {where}: {message}"


def dump_reference(reference_files: list[ReferenceFile] | None = None, *, output: Path | None = None) -> list[Path]:
    """Write the database's reference data to the files (to `output` instead of `fixtures/` when given), each
    keeping the comment block of the file in `fixtures/`; returns the paths written."""
    root = fixtures_dir()
    written = []
    for reference_file in reference_files or REFERENCE_FILES:
        source = root / reference_file.path
        top = files.header(source.read_text(encoding="utf-8")) if source.exists() else ""
        target = (output or root) / reference_file.path
        files.write(target, reference_file.dumper()(), top)
        written.append(target)
    return written
