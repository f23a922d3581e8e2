"""The errors of the workbook: each :class:`WorkbookProblem` says where (sheet, row, column,
cell), what was found and what was expected; :class:`WorkbookError` collects them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop

__all__ = [
    "WorkbookError",
    "WorkbookProblem",
]


_MAX_SHOWN = 80


@dataclass(frozen=True)
class WorkbookProblem:
    """One problem: where (sheet, row, column header, cell such as ``D7``), the value found and
    what was expected. ``sheet`` is None for the workbook as a whole, ``cell`` for a sheet."""

    sheet: str | None
    row: int | None
    column: str | None
    cell: str | None
    found: object
    expected: Message
    code: str = "workbook"

    @property
    def message(self) -> Message:
        if self.cell is not None:
            place = Message(
                gettext_noop("{sheet}!{cell} {column}"),
                {"sheet": self.sheet, "cell": self.cell, "column": self.column},
            )
        elif self.sheet is not None and self.row is not None:
            place = Message(
                gettext_noop("sheet {sheet}, row {row}"), {"sheet": self.sheet, "row": self.row}
            )
        elif self.sheet is not None:
            place = Message(gettext_noop("sheet {sheet}"), {"sheet": self.sheet})
        else:
            place = Message(gettext_noop("the workbook"))
        if self.found is not None:
            return Message(
                gettext_noop("{place}: found “{found}”, expected {expected}"),
                {"place": place, "found": _shown(self.found), "expected": self.expected},
            )
        if self.cell is not None:
            template = gettext_noop("{place}: empty, expected {expected}")
        else:
            template = gettext_noop("{place}: expected {expected}")
        return Message(template, {"place": place, "expected": self.expected})


def _shown(value: object) -> str:
    text = format(value, ".15g") if isinstance(value, float) else str(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


class WorkbookError(LowcarbonError):
    """A workbook that cannot be imported; ``problems`` lists every problem found."""

    code = "workbook"

    def __init__(self, path: Path | str, problems: Sequence[WorkbookProblem]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(
            Message(
                gettext_noop("{path}: {count} problem(s), nothing was imported: {problems}"),
                {
                    "path": self.path,
                    "count": len(self.problems),
                    "problems": [problem.message for problem in self.problems],
                },
            )
        )


class _Invalid(Exception):
    def __init__(self, expected: Message) -> None:
        super().__init__(expected.render())
        self.expected = expected
