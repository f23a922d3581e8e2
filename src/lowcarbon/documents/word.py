"""Word documents in the layout of official documents, from a template and a list of blocks.

Layout (GB/T 9704-2012《党政机关公文格式》, the layout government readers expect):

* A4, top margin 37 mm, bottom 35 mm, left (binding side) 28 mm, right 26 mm (§5.2.1: 天头
  37 mm, 订口 28 mm, 版心 156 mm × 225 mm);
* body in 3号 (16 pt) 仿宋_GB2312, 22 lines of 28 characters a page (§5.2.2), hence an exact
  line pitch of 28.95 pt; first-line indent of two characters;
* the title in 2号 (22 pt) 小标宋; headings 一、 in 3号黑体, （一） in 3号楷体, 1. and （1） in
  仿宋 (§7.3.3 结构层次序数);
* page numbers in 4号 (14 pt) 宋体 as "— 1 —", odd pages right and even pages left (§7.5).

Where a named font is absent the reader's software substitutes; PDF conversion maps the names
to the CJK fonts installed with the converter (:mod:`lowcarbon.documents.pdf`).

The template is a Word file an administrator may replace. It holds the cover, the styles, the
page set-up and Jinja fields (``{{ title }}``, ``{{ unit_name }}`` …) filled from a plain data
dictionary, and one paragraph ``{{ body }}`` where the blocks go. A field the template uses
but the dictionary lacks, or a template that cannot be read, raises :class:`TemplateError`
naming the field.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop

from .blocks import Block, Figure, Heading, Narrative, Paragraph, Placeholder, Table
from .table_layout import column_widths, text_width

logger = logging.getLogger(__name__)

__all__ = [
    "BODY_FIELD",
    "TemplateError",
    "build_template",
    "render_document",
    "template_fields",
]

Translate = Callable[[str], str]

BODY_FIELD = "body"
_BODY_MARKER = "\u2063lowcarbon-body\u2063"

# Font names as Word and WPS know them; PDF conversion maps them to installed fonts.
FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
FONT_LATIN = "Times New Roman"

_BODY_SIZE = Pt(16)  # 3号
_LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
_TABLE_SIZE = Pt(10.5)  # 5号: tables keep several columns legible
_TEXT_WIDTH_MM = 156.0  # 版心 width (GB/T 9704): tables and figures span it
_PLACEHOLDER_COLOUR = RGBColor(0xC0, 0x00, 0x00)

# heading level -> (font, bold)
_HEADING_FONTS = {
    1: (FONT_HEI, False),
    2: (FONT_KAI, False),
    3: (FONT_BODY, True),
    4: (FONT_BODY, False),
}


class TemplateError(LowcarbonError):
    """A Word template that cannot be used, with the field or part at fault."""

    code = "template"

    def __init__(self, problem: Message, template: str) -> None:
        super().__init__(
            Message("{template}: {problem}", {"template": template, "problem": problem})
        )
        self.problem = problem
        self.template = template

    def render(self, translate: Translate) -> str:
        return self.message.render(translate)


# --- template ------------------------------------------------------------------------------


def _set_fonts(
    element: Any, east_asian: str, size: Pt | None = None, bold: bool | None = None
) -> None:
    """Set the Latin and East Asian fonts of a style or run (python-docx sets only Latin)."""
    font = element.font
    font.name = FONT_LATIN
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    r_pr = element.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    # Theme fonts would win over the names (Word's built-in heading styles use them).
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), FONT_LATIN)
    fonts.set(qn("w:hAnsi"), FONT_LATIN)


def _paragraph_format(style: Any, *, indent: bool, align: Any = None) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = _LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32) if indent else Pt(0)
    if align is not None:
        fmt.alignment = align


def _define_styles(document: DocumentObject) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _set_fonts(normal, FONT_BODY, _BODY_SIZE)
    _paragraph_format(normal, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for level, (font, bold) in _HEADING_FONTS.items():
        style = styles[f"Heading {level}"]
        _set_fonts(style, font, _BODY_SIZE, bold)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        _paragraph_format(style, indent=True)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"]
    _set_fonts(title, FONT_TITLE, Pt(22), False)
    title.font.color.rgb = RGBColor(0, 0, 0)
    _paragraph_format(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    # python-docx's default Title style draws a bottom border; official titles have none.
    p_pr = title.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)
    caption = styles["Caption"]
    _set_fonts(caption, FONT_HEI, Pt(12), False)
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.font.italic = False
    _paragraph_format(caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    caption.paragraph_format.line_spacing = Pt(20)
    caption.paragraph_format.keep_with_next = True
    for name, size, align in (
        ("Table Text", _TABLE_SIZE, WD_ALIGN_PARAGRAPH.LEFT),
        ("Table Number", _TABLE_SIZE, WD_ALIGN_PARAGRAPH.RIGHT),
        ("Note", Pt(12), WD_ALIGN_PARAGRAPH.LEFT),
        ("Cover", Pt(16), WD_ALIGN_PARAGRAPH.CENTER),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _set_fonts(style, FONT_BODY, size)
        _paragraph_format(style, indent=False, align=align)
        style.paragraph_format.line_spacing = Pt(size.pt * 1.25)
    toc = styles["TOC Heading"] if "TOC Heading" in [s.name for s in styles] else None
    if toc is None:
        toc = styles.add_style("TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
    _set_fonts(toc, FONT_HEI, _BODY_SIZE, False)
    _paragraph_format(toc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    # The contents' lines as Word and LibreOffice build them when they update the field: in the
    # body's 仿宋, level 2 indented by two characters.
    for level in (1, 2):
        entry = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        entry.base_style = normal
        _set_fonts(entry, FONT_BODY, _BODY_SIZE)
        _paragraph_format(entry, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
        entry.paragraph_format.left_indent = Pt(32 * (level - 1))


def _page_setup(section: Any) -> None:
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # page number 7 mm below the type area (§7.5)


def _add_field(paragraph: DocxParagraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC …) that Word and LibreOffice compute when they lay out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _page_number(footer: Any, align: Any) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
    paragraph.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
    paragraph.add_run("— ")
    _add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")
    for run in paragraph.runs:
        _set_fonts(run, FONT_SONG, Pt(14))


def build_template(path: Path, _: Translate) -> None:
    """Write the bundled default template to ``path``: cover, contents, numbered body pages.

    An administrator downloads it, changes fonts, cover or styles in Word, keeps the ``{{ … }}``
    fields they want (``{{ body }}`` is required) and uploads it as the template of an outline
    edition.
    """
    document = Document()
    _define_styles(document)
    cover = document.sections[0]
    _page_setup(cover)
    for _index in range(4):
        document.add_paragraph("", style="Cover")
    document.add_paragraph("{{ unit_name }}", style="Title")
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("", style="Cover")
    document.add_paragraph("{{ status_text }}", style="Cover")
    for _index in range(6):
        document.add_paragraph("", style="Cover")
    document.add_paragraph("{{ applicant_line }}", style="Cover")
    document.add_paragraph("{{ seal_text }}", style="Cover")
    document.add_paragraph("{{ date_text }}", style="Cover")
    contents = document.add_paragraph(_(gettext_noop("Contents")), style="TOC Heading")
    contents.paragraph_format.page_break_before = True
    toc = document.add_paragraph(style="Normal")
    toc.paragraph_format.first_line_indent = Pt(0)
    _add_field(
        toc, 'TOC \\o "1-2" \\h \\z \\u', _(gettext_noop("Update the field to see the contents."))
    )
    body = document.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(body)
    body.footer.is_linked_to_previous = False
    body.even_page_footer.is_linked_to_previous = False
    _page_number(body.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(body.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    document.settings.odd_and_even_pages_header_footer = True
    # Body pages are numbered from 1; the cover and the contents carry no number.
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    body._sectPr.append(number_type)
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("", style="Cover")
    document.add_paragraph("{{ " + BODY_FIELD + " }}", style="Normal")
    document.save(str(path))


def template_fields(template: Path) -> set[str]:
    """The names of the fields a template uses."""
    try:
        return set(DocxTemplate(str(template)).get_undeclared_template_variables())
    except jinja2.TemplateError as error:
        # A field written wrongly ("{{ title }" …): the template language's words name it.
        raise TemplateError(
            Message(
                gettext_noop("not a readable Word template ({problem})"),
                {"problem": error.message or type(error).__name__},
            ),
            template.name,
        ) from error
    except Exception as error:  # docx, zip and XML errors alike for a file that is not one
        # Their text names temporary paths and parser internals: logged, never shown.
        logger.warning(
            "Word template %s cannot be read: %s: %s", template.name, type(error).__name__, error
        )
        raise TemplateError(
            Message(
                gettext_noop(
                    "not a readable Word template: the file is damaged or not a .docx document; "
                    "open it in Word or WPS, save it as .docx and upload it again"
                )
            ),
            template.name,
        ) from error


# --- rendering ----------------------------------------------------------------------------


def render_document(
    template: Path, fields: Mapping[str, str], blocks: Sequence[Block], out: Path, _: Translate
) -> None:
    """Fill ``template``'s fields from ``fields`` and put ``blocks`` where ``{{ body }}`` is."""
    used = template_fields(template)
    if BODY_FIELD not in used:
        raise TemplateError(
            Message(
                gettext_noop("the template has no {field} field for the body"),
                {"field": "{{ body }}"},
            ),
            template.name,
        )
    missing = sorted(used - set(fields) - {BODY_FIELD})
    if missing:
        raise TemplateError(
            Message(
                gettext_noop(
                    "the template uses the field {field}, which this document does not have "
                    "(available: {known})"
                ),
                {"field": "{{ " + missing[0] + " }}", "known": "、".join(sorted(fields))},
            ),
            template.name,
        )
    filled = DocxTemplate(str(template))
    try:
        filled.render(
            dict(fields) | {BODY_FIELD: _BODY_MARKER},
            jinja_env=jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True),
        )
    except jinja2.TemplateError as error:
        raise TemplateError(
            Message(
                gettext_noop("a template field cannot be filled: {problem}"),
                {"problem": str(error)},
            ),
            template.name,
        ) from error
    buffer = BytesIO()
    filled.save(buffer)
    buffer.seek(0)
    document = Document(buffer)
    marker = next((p for p in document.paragraphs if _BODY_MARKER in p.text), None)
    if marker is None:  # pragma: no cover - the field check above guarantees the marker
        raise TemplateError(Message(gettext_noop("the body field was lost")), template.name)
    writer = _BodyWriter(document, marker, _)
    for block in blocks:
        writer.write(block)
    marker._p.getparent().remove(marker._p)
    _fill_contents(document, [b for b in blocks if isinstance(b, Heading) and b.level <= 2])
    for paragraph in document.paragraphs:
        if paragraph.style is not None and paragraph.style.name == "Title":
            _break_title(paragraph)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    document.save(str(out))


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


def _fill_contents(document: DocumentObject, headings: Sequence[Heading]) -> None:
    """Put the headings into the contents field's shown text, so a reader that does not update
    fields (a viewer) still shows the contents; Word and the PDF conversion fill in the page
    numbers. A document without headings gets no contents page at all (not an empty one)."""
    paragraphs = document.paragraphs
    for position, paragraph in enumerate(paragraphs):
        instructions = "".join(t.text or "" for t in paragraph._p.iter(qn("w:instrText")))
        if "TOC" not in instructions:
            continue
        if not headings:
            # The paragraph stays (it may end the cover's section), emptied of the field; the
            # "Contents" title before it, which starts the page, goes.
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)
            title = paragraphs[position - 1] if position else None
            if title is not None and title.style is not None and title.style.name == "TOC Heading":
                title._p.getparent().remove(title._p)
            return
        runs = paragraph.runs
        separate = next(
            i
            for i, r in enumerate(runs)
            if any(c.get(qn("w:fldCharType")) == "separate" for c in r._r.iter(qn("w:fldChar")))
        )
        shown = runs[separate + 1]
        lines = [("　" * (h.level - 1)) + f"{h.number}{h.text}" for h in headings]
        shown.text = ""
        for index, line in enumerate(lines):
            if index:
                shown.add_break(WD_BREAK.LINE)
            shown.add_text(line)
        return


class _BodyWriter:
    def __init__(self, document: DocumentObject, anchor: DocxParagraph, _: Translate) -> None:
        self.document = document
        self.anchor = anchor
        self._ = _
        self.tables = 0
        self.figures = 0

    def _paragraph(self, text: str = "", style: str = "Normal") -> DocxParagraph:
        paragraph = self.document.add_paragraph(text, style=style)
        self.anchor._p.addprevious(paragraph._p)
        return paragraph

    def write(self, block: Block) -> None:
        if isinstance(block, Heading):
            self._paragraph(f"{block.number}{block.text}", style=f"Heading {min(block.level, 4)}")
        elif isinstance(block, Paragraph):
            self._text(block)
        elif isinstance(block, Narrative):
            _HtmlWriter(self).feed_all(block.html)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Figure):
            self._figure(block)
        else:
            self._placeholder(block)

    def _text(self, block: Paragraph) -> None:
        style = "Note" if block.style == "note" else "Normal"
        paragraph = self._paragraph(style=style)
        if block.keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        if block.style == "signature":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.keep_together = True
        if block.lead:
            paragraph.add_run(block.lead).bold = True
        for index, line in enumerate(_clean(block.text).split("\n")):
            if index:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            paragraph.add_run(line)

    def _placeholder(self, block: Placeholder) -> None:
        paragraph = self._paragraph()
        run = paragraph.add_run(f"【{_clean(block.text)}】")
        run.font.color.rgb = _PLACEHOLDER_COLOUR
        run.bold = True

    def _table(self, block: Table) -> None:
        self.tables += 1
        caption = self._paragraph(
            self._(gettext_noop("Table {number}")).format(number=self.tables) + " " + block.caption,
            style="Caption",
        )
        del caption
        columns = max(len(block.header), max((len(r) for r in block.rows), default=0), 1)
        table = self.document.add_table(rows=1 + len(block.rows), cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.anchor._p.addprevious(table._tbl)
        # Style ids resolved once per table: looking a style up by name on every cell is what
        # made large plans slow (bench/bench_documents.py).
        styles = (
            self.document.styles["Table Text"].style_id,
            self.document.styles["Table Number"].style_id,
        )
        _fill_row(table, 0, list(block.header), frozenset(), styles, header=True)
        for index, row in enumerate(block.rows, start=1):
            _fill_row(table, index, list(row), block.numeric, styles, header=False)
            if index - 1 in block.emphasis or index - 1 in block.subheaders:
                for cell in table.rows[index].cells:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
                    if index - 1 in block.subheaders:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for first, column, count in block.merged:
            _merge_down(table, first + 1, column, count)
        # Widths from the content: no number, date or word breaks inside a cell (the builder's
        # proportions kept as far as that allows); heading rows inside the table span the row.
        widths = column_widths(
            block.header,
            [row for index, row in enumerate(block.rows) if index not in block.subheaders],
            _TEXT_WIDTH_MM,
            _TABLE_SIZE.mm,
            block.widths,
        )
        table.autofit = False
        # Word reads the cell widths, LibreOffice the grid: set both.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)
        if block.note:
            self._paragraph(_clean(block.note), style="Note")

    def _figure(self, block: Figure) -> None:
        self.figures += 1
        paragraph = self._paragraph(style="Caption")
        paragraph.paragraph_format.keep_with_next = True
        # The caption style's exact 20 pt line would show only a strip of the picture.
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        try:
            paragraph.add_run().add_picture(
                BytesIO(block.png), width=Mm(min(block.width_mm, _TEXT_WIDTH_MM))
            )
        except Exception:  # an image the library cannot read must not break the document
            paragraph.add_run(self._(gettext_noop("[figure could not be embedded]")))
        self._paragraph(
            self._(gettext_noop("Figure {number}")).format(number=self.figures)
            + " "
            + block.caption,
            style="Caption",
        )
        if block.description:
            self._paragraph(_clean(block.description), style="Note")


def _fill_row(
    table: DocxTable,
    index: int,
    cells: list[str],
    numeric: frozenset[int],
    styles: tuple[str, str],
    *,
    header: bool,
) -> None:
    row = table.rows[index]
    # A row never splits across pages; the header row repeats on every page (clean breaks).
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    if header:
        repeat = OxmlElement("w:tblHeader")
        tr_pr.append(repeat)
    for column, cell in enumerate(row.cells):
        text = cells[column] if column < len(cells) else ""
        paragraph = cell.paragraphs[0]
        paragraph._p.style = styles[1] if column in numeric and not header else styles[0]
        if header:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(_clean(text))
        run.bold = header


def _merge_down(table: DocxTable, row: int, column: int, count: int) -> None:
    """Merge ``count`` cells of ``column`` from ``row`` down into one, keeping the first
    cell's text (the cells below are blank by construction; their empty paragraphs go)."""
    last = min(row + count, len(table.rows)) - 1
    if last <= row:
        return
    merged = table.cell(row, column).merge(table.cell(last, column))
    paragraphs = merged.paragraphs
    for paragraph in paragraphs[1:]:
        if not paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)
    merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Characters XML cannot hold are dropped, so an odd character never breaks a document."""
    return _CONTROL.sub("", text)


class _HtmlWriter(HTMLParser):
    """The sanitised narrative HTML as Word paragraphs, lists, headings and tables."""

    def __init__(self, body: _BodyWriter) -> None:
        super().__init__(convert_charrefs=True)
        self.body = body
        self.paragraph: DocxParagraph | None = None
        self.bold = 0
        self.italic = 0
        self.lists: list[list[Any]] = []  # [kind, counter]
        self.rows: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def feed_all(self, text: str) -> None:
        self.feed(text)
        self.close()

    def _new(self, style: str = "Normal") -> DocxParagraph:
        self.paragraph = self.body._paragraph(style=style)
        return self.paragraph

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "div"}:
            self._new()
        elif tag in {"h3", "h4"}:
            self._new("Heading 4" if tag == "h4" else "Heading 3")
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "br":
            if self.cell is not None:
                self.cell.append("\n")
            elif self.paragraph is not None:
                self.paragraph.add_run().add_break(WD_BREAK.LINE)
        elif tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
        elif tag == "li":
            paragraph = self._new()
            depth = len(self.lists)
            if self.lists:
                self.lists[-1][1] += 1
                kind, count = self.lists[-1]
                mark = f"{count}." if kind == "ol" else "•"
            else:
                mark = "•"
            paragraph.paragraph_format.first_line_indent = Pt(32 * depth)
            paragraph.add_run(mark + " ")
        elif tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in {"td", "th"} and self.rows is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"p", "div", "h3", "h4", "li"}:
            self.paragraph = None
        elif tag in {"strong", "b"}:
            self.bold = max(0, self.bold - 1)
        elif tag in {"em", "i"}:
            self.italic = max(0, self.italic - 1)
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag in {"td", "th"} and self.rows is not None and self.cell is not None:
            if not self.rows:
                self.rows.append([])
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table" and self.rows is not None:
            rows = [row for row in self.rows if row]
            self.rows = None
            if rows:
                self.body._table(Table(caption="", header=rows[0], rows=rows[1:]))

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
            return
        if not data.strip() and self.paragraph is None:
            return
        paragraph = self.paragraph or self._new()
        run = paragraph.add_run(_clean(html.unescape(data) if "&" in data else data))
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
