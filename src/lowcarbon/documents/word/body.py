"""The blocks written into the body: headings, paragraphs, placeholders, tables, figures and the
applicant's narrative HTML.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from io import BytesIO
from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block, Figure, Heading, Narrative, Paragraph, Placeholder, Table
from ..table_layout import column_widths
from .template import _PLACEHOLDER_COLOUR, _TABLE_SIZE, _TEXT_WIDTH_MM, Translate


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
