"""Scenario tests as data: loading the case files shared by every scenario runner.

A scenario file is a YAML list of cases read with the project's strict reader (duplicate keys
refused, ``no`` and dates kept as text). A file that cannot be read, or is not a non-empty list,
becomes one case whose ``unreadable`` says why, so the runner fails it by name instead of
silently collecting nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.yamlio import read_yaml

__all__ = ["Case", "load_cases"]


@dataclass(frozen=True)
class Case:
    file: Path
    index: int
    data: Any
    unreadable: str = ""  # why the file could not be read (the case then fails)
    root: Path | None = None  # the folder case locations are given relative to

    @property
    def name(self) -> str:
        name = self.data.get("name") if isinstance(self.data, dict) else None
        return name if isinstance(name, str) else f"{self.file.name}[{self.index}]"

    @property
    def where(self) -> str:
        file = self.file.relative_to(self.root) if self.root else self.file.name
        return f"{file}[{self.index}] ({self.name})"


def load_cases(path: Path, root: Path | None = None) -> list[Case]:
    try:
        data = read_yaml(path).data
    except DataFileError as error:
        return [Case(path, 0, None, str(error), root)]
    if not isinstance(data, list) or not data:
        return [Case(path, 0, data, "a scenario file is a non-empty list of cases", root)]
    return [Case(path, index, case, root=root) for index, case in enumerate(data)]
