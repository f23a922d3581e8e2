"""The title of a document broken into balanced lines that fit the type area."""

from __future__ import annotations

from docx.enum.text import WD_BREAK
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from ..table_layout import text_width

# A title line holds 156 mm / 22 pt ≈ 20 Chinese characters (Latin letters and digits: half).
_TITLE_LINE = 20.0
_TITLE_SIZE = 22.0
_TITLE_MIN_SIZE = 16.0
# Places a title may break: after a place name or a year, before the document's kind.
_BREAK_AFTER = "区社村镇街道园）)度"
_BREAK_BEFORE = ("低碳", "近零碳", "创建", "实施方案", "工作计划", "任务清单", "专家", "评审")


def title_lines(text: str, line: float = _TITLE_LINE) -> list[str]:
    """The title in lines that never break inside a word: a title wider than a line breaks at
    the most balanced sensible place (after a place name or year, before the kind of
    document), else in the middle of the widest run of Chinese without cutting a number."""
    if text_width(text) <= line or "\n" in text:
        return [text]
    candidates = [
        i
        for i in range(1, len(text))
        if text[i - 1] in _BREAK_AFTER or text.startswith(_BREAK_BEFORE, i)
    ]
    # Never inside brackets or quotes (a line would end on "（"), never before a closing mark.
    depth = [0] * (len(text) + 1)
    for i, character in enumerate(text):
        depth[i + 1] = depth[i] + (character in "（(《“") - (character in "）)》”")
    candidates = [i for i in candidates if depth[i] <= 0 and text[i] not in "）)》”，、。：；"]
    fitting = [i for i in candidates if max(text_width(text[:i]), text_width(text[i:])) <= line]
    pool = fitting or candidates
    if not pool:
        # No sensible place: the middle, moved off any run of digits or Latin letters.
        middle = len(text) // 2
        pool = [
            i for i in range(1, len(text)) if not (text[i - 1].isascii() and text[i].isascii())
        ] or [middle]
    best = min(pool, key=lambda i: abs(text_width(text[:i]) - text_width(text[i:])))
    return [text[:best], text[best:]]


def _break_title(paragraph: DocxParagraph) -> None:
    """Lay a title paragraph out in :func:`title_lines`; a line still too wide for the type
    area shrinks the title's type (down to 3号) rather than breaking inside a word."""
    text = paragraph.text
    lines = title_lines(text)
    if len(lines) == 1:
        return
    runs = paragraph.runs
    first = runs[0]
    for run in runs[1:]:
        run._r.getparent().remove(run._r)
    first.text = lines[0]
    for line in lines[1:]:
        first.add_break(WD_BREAK.LINE)
        first.add_text(line)
    widest = max(text_width(line) for line in lines)
    if widest > _TITLE_LINE:
        first.font.size = Pt(max(_TITLE_MIN_SIZE, _TITLE_SIZE * _TITLE_LINE / widest))
