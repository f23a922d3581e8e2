"""The content of a generated document as a list of blocks, independent of the file format.

Builders (the plan, the task list, the score sheets) produce blocks from domain results; the
Word writer (:mod:`lowcarbon.documents.word`) lays them out. Keeping the two apart lets the
same content be checked in tests without opening a file, and lets a template change the look
without touching what is said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "Block",
    "Figure",
    "Heading",
    "Narrative",
    "Paragraph",
    "Placeholder",
    "Table",
]


@dataclass(frozen=True)
class Heading:
    """A numbered heading; ``level`` 1–4 is 一、 / （一） / 1. / （1） in the body."""

    level: int
    number: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    # "body" (indented first line), "label" (a bold lead-in such as 面积：), "note" (small print),
    # "signature" (signature and date lines: right-aligned, never split across pages)
    style: str = "body"
    lead: str = ""  # bold words before the text, e.g. "面积："
    # Kept on the page of the next block (what a signature signs stays with it).
    keep_with_next: bool = False


@dataclass(frozen=True)
class Narrative:
    """Sanitised HTML written by the applicant (p, br, strong, em, h3, h4, ul, ol, li, table)."""

    html: str


@dataclass(frozen=True)
class Table:
    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    # Column indexes whose cells are numbers: right-aligned.
    numeric: frozenset[int] = frozenset()
    note: str = ""
    # Relative column widths; equal when empty.
    widths: Sequence[float] = field(default_factory=tuple)
    # Cells merged down a column: (row index in ``rows``, column, number of rows).
    merged: Sequence[tuple[int, int, int]] = ()
    # Row indexes set in bold (heading rows inside the table, totals).
    emphasis: frozenset[int] = frozenset()
    # Row indexes laid out like the header row (a heading row inside the table: bold, centred).
    subheaders: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Figure:
    caption: str
    png: bytes
    width_mm: float = 150.0
    # The same figures as text, for readers who cannot see the image.
    description: str = ""


@dataclass(frozen=True)
class Placeholder:
    """A visible gap: what is missing and where it is filled in (never a silent hole)."""

    text: str


Block = Heading | Paragraph | Narrative | Table | Figure | Placeholder
