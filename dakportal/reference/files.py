"""Reading and writing the reference files (#18): YAML, a list of rows (mappings), one row per block.

The writer is the canonical form: keys in the order the dumper gives them, block style, a blank line between
rows, whole numbers of 10,000 and more grouped with `_` (166_300_000_000, which YAML reads as a number), text
unquoted unless YAML needs the quotes, no line folding. The comment block at the top of a file is the file's
own explanation: the loader skips it and the writer keeps it, so it is written by a person, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _


class FileFormatError(ValueError):
    """The file is not YAML, or not a list of rows."""


@dataclass
class ParsedFile:
    rows: list[dict[str, Any]]
    lines: list[int]  # the line of each row in the file


def parse(text: str) -> ParsedFile:
    """The rows of a reference file and the line each starts on."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("line %(line)d: ") % {"line": mark.line + 1} if mark is not None else ""
        raise FileFormatError(where + str(getattr(error, "problem", None) or error)) from None
    finally:
        loader.dispose()
    if data is None:
        return ParsedFile([], [])
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        raise FileFormatError(_("The file must be a list of rows, each starting with '- '."))
    return ParsedFile(data, [item.start_mark.line + 1 for item in node.value])


def header(text: str) -> str:
    """The comment block (and the blank lines) at the top of a file."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_int(dumper: yaml.SafeDumper, value: int) -> yaml.ScalarNode:
    text = f"{value:_}" if abs(value) >= 10_000 else str(value)
    return dumper.represent_scalar("tag:yaml.org,2002:int", text)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    """25.00 as 25 and 12.50 as 12.5: a number, never a quoted string."""
    if value == value.to_integral_value():
        return _represent_int(dumper, int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


_Dumper.add_representer(int, _represent_int)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(date, yaml.SafeDumper.represent_date)


def render(rows: list[dict[str, Any]], top: str = "") -> str:
    """The canonical text of a reference file: its comment block, then the rows."""
    if not rows:
        return top + "[]\n"
    body = yaml.dump(rows, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    blocks = body.replace("\n- ", "\n\n- ")  # a blank line between rows: each row reads as one block
    return top + blocks


def write(path: Path, rows: list[dict[str, Any]], top: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(rows, top), encoding="utf-8")
