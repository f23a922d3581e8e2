"""The format-free score sheet (rows, parts, the sheet) and the titles of each review stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lowcarbon.core.messages import format_points, gettext_noop

Translate = Callable[[str], str]
Language = Callable[[Any], str]  # LocalText -> text in the document's language


@dataclass(frozen=True)
class SheetRow:
    """One table row; ``kind`` is "item", "group" (a heading row inside the table),
    "subtotal" or "total" (all but items in bold).
    ``span`` rows from this one share the first column's cell (the 一级指标 of a section)."""

    cells: Sequence[str | Decimal | int | None]
    kind: str = "item"
    span: int = 1


@dataclass(frozen=True)
class SheetPart:
    """A further table of a sheet, with its own columns and notes."""

    caption: str
    header: Sequence[str]
    rows: Sequence[SheetRow]
    numeric: frozenset[int]
    widths: Sequence[float]
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class Sheet:
    """A sheet independent of the file format."""

    title: str
    subtitle: str
    info: Sequence[tuple[str, str]]  # (label, value) lines above the table
    caption: str
    header: Sequence[str]
    rows: Sequence[SheetRow]
    numeric: frozenset[int]
    widths: Sequence[float]
    notes: Sequence[str]
    signature: str
    # Stored in the file's properties as well (title, subject, keywords, description).
    properties: dict[str, str] = field(default_factory=dict)
    # Further tables after the first and its notes (the expert's sheet: the explanations).
    parts: Sequence[SheetPart] = ()

    def column(self, index: int) -> list[str | Decimal | int | None]:
        return [row.cells[index] if index < len(row.cells) else None for row in self.rows]


#: The stages whose sheets these are: the selection review (综合评估), a zone's mid-term
#: evaluation (中期评估) and the final acceptance (验收). The layout is the same; the titles say
#: which.
STAGES = ("selection", "midterm", "final")

# stage -> (expert's sheet title, its subtitle with {round}, result sheet title, unit label)
_TITLES: dict[str, tuple[str, str, str, str]] = {
    "selection": (
        gettext_noop("Expert score sheet"),
        gettext_noop("{round} low-carbon demonstration: comprehensive assessment"),
        gettext_noop("Review result sheet"),
        gettext_noop("Applicant unit"),
    ),
    "midterm": (
        gettext_noop("Mid-term evaluation score sheet"),
        gettext_noop("{round} low-carbon demonstration: mid-term evaluation"),
        gettext_noop("Mid-term evaluation score summary"),
        gettext_noop("Creation unit"),
    ),
    "final": (
        gettext_noop("Acceptance score sheet"),
        gettext_noop("{round} low-carbon demonstration: acceptance"),
        gettext_noop("Acceptance score summary"),
        gettext_noop("Creation unit"),
    ),
}


def _titles(stage: str) -> tuple[str, str, str, str]:
    if stage not in _TITLES:
        raise ValueError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
    return _TITLES[stage]


def _text(value: str | Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_points(value)
    return str(value)
