"""Column widths of a document table, from what its cells hold.

A number, a date or a Latin word must never break inside a cell ("11,240,00/0 kWh",
"2026-01-/01", "2/1" in a narrow 序号 column). Chinese may break between any two characters, but
short words read best whole ("未达/标" does not) and a column one character wide reads as a
vertical strip. So each column has a *minimum* (its widest unbreakable run, and its Chinese kept
to four characters a line — two, then one, only where the table could not fit otherwise — plus
the cell's padding) and a *natural* width (its longest body cell on one line; a header wraps to
its column). The layout is the one browsers use for automatic tables:

* everything fits on one line: natural widths, stretched to the text width;
* otherwise every column gets its minimum, and the room left is shared in proportion to how much
  each column would still like (natural − minimum);
* a builder's own proportions (``Table.widths``) are kept as far as the minimums allow: a column
  below its minimum takes the difference from the columns that have room to spare;
* where even the minimums do not fit, the columns share the width in proportion to them.

Widths are estimated from the characters (Chinese full width, ASCII half width), which is how
仿宋/宋体 set them to within a few percent; a small margin covers the rest. Pure: no document
library here, so the rule is tested on its own (``tests/documents/test_table_layout.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["column_widths", "minimum_width", "text_width"]

# Word's default cell margins are 0.19 cm left and right.
_PADDING_MM = 3.8
# Half-width digits and letters of 仿宋/宋体 are a little wider than half an em in places.
_MARGIN = 1.06
# Chinese text may break anywhere, but short words ("未达标", "总体目标") read best whole: a
# column is first given four characters, then two, then one, whichever first lets the table fit.
_CJK_FLOORS = (4.0, 2.0, 1.0)
# What never breaks: a run of characters without a space or a Chinese character in it
# ("11,240,000", "2026-01-01", "tCO2/10^4kWh", "2.1").
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\uffff]+")
_CJK_RUN = re.compile(r"[\u2e80-\uffff]+")


def text_width(text: str) -> float:
    """The width of ``text`` on one line, in em: Chinese characters, and the dashes, quotes and
    ellipsis Chinese fonts set full width (— “ ” …), one em; digits and letters half."""
    return sum(
        1.0 if ord(character) >= 0x2E80 or 0x2010 <= ord(character) <= 0x206F else 0.5
        for character in text
    )


def minimum_width(text: str, floor: float = _CJK_FLOORS[0]) -> float:
    """The narrowest the cell can be set without breaking a number or a word, in em, with
    Chinese kept to at least ``floor`` characters a line (or its whole length, if shorter)."""
    widest = max((text_width(run) for run in _UNBREAKABLE.findall(text)), default=0.0)
    chinese = max((text_width(run) for run in _CJK_RUN.findall(text)), default=0.0)
    return max(widest, min(chinese, floor))


def column_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    total_mm: float,
    font_mm: float,
    preferred: Sequence[float] = (),
) -> list[float]:
    """Widths in millimetres of each column, adding up to ``total_mm`` (module docstring).

    ``font_mm`` is the type size (an em) in millimetres; ``preferred`` the builder's relative
    widths, or empty. Where even the minimums do not fit, the columns share the width in
    proportion to their minimums: the least breaking there is."""
    count = max(len(header), max((len(row) for row in rows), default=0), 1)
    natural = [_PADDING_MM] * count

    def mm(em: float) -> float:
        return em * font_mm * _MARGIN + _PADDING_MM

    cells = [line for row in [header, *rows] for line in _lines(row)]
    # The body sets the natural widths; a header wraps to its column (it counts only in a table
    # without rows, and through its minimum).
    for column, line in cells[len(_lines(header)) :] if rows else cells:
        natural[column] = max(natural[column], mm(text_width(line)))
    for floor in _CJK_FLOORS:
        minimum = [_PADDING_MM] * count
        for column, line in cells:
            minimum[column] = max(minimum[column], mm(minimum_width(line, floor)))
        if sum(minimum) <= total_mm:
            break
    natural = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    if sum(minimum) >= total_mm:
        return _scaled(minimum, total_mm)
    if len(preferred) == count and all(p > 0 for p in preferred):
        return _respecting(_scaled(list(preferred), total_mm), minimum)
    if sum(natural) <= total_mm:
        return _scaled(natural, total_mm)
    room = total_mm - sum(minimum)
    wanted = [n - m for n, m in zip(natural, minimum, strict=True)]
    share = room / sum(wanted)  # sum(wanted) > room > 0 here: natural does not fit
    return [m + w * share for m, w in zip(minimum, wanted, strict=True)]


def _lines(row: Sequence[str]) -> list[tuple[int, str]]:
    return [(column, line) for column, text in enumerate(row) for line in text.splitlines()]


def _scaled(widths: list[float], total: float) -> list[float]:
    whole = sum(widths)
    return [total * width / whole for width in widths]


def _respecting(widths: list[float], minimum: list[float]) -> list[float]:
    """``widths`` with every column raised to its minimum, the difference taken from the
    columns above theirs in proportion to their room (the minimums fit: checked by the caller)."""
    deficit = sum(max(m - w, 0.0) for w, m in zip(widths, minimum, strict=True))
    if deficit == 0:
        return widths
    spare = [max(w - m, 0.0) for w, m in zip(widths, minimum, strict=True)]
    take = deficit / sum(spare)  # the minimums fit, so the spare room covers the deficit
    return [m if w <= m else w - s * take for w, m, s in zip(widths, minimum, spare, strict=True)]
