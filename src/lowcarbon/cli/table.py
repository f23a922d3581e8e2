"""Plain-text tables that line up with Chinese text (full-width characters take two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["clip", "render_table", "width"]


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` columns, ending in … when cut."""
    if width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        step = width(ch)
        if used + step > limit - 1:
            break
        out, used = out + ch, used + step
    return out + "…"


def _pad(text: str, size: int, right: bool) -> str:
    gap = " " * (size - width(text))
    return gap + text if right else text + gap


def render_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()
) -> str:
    """Columns padded to their widest cell; columns listed in ``right`` are right-aligned."""
    sizes = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(str(cell), sizes[i], i in right) for i, cell in enumerate(row)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("─" * size for size in sizes))
    return "\n".join(lines)
