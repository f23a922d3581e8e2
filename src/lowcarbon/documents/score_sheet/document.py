"""A score sheet as a Word document in the official layout, and as PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Emu, Mm

from ..blocks import Block, Paragraph, Table
from ..pdf import convert_to_pdf
from ..word.rendering import render_document
from ..word.template import build_template
from .sheet import Sheet, Translate, _text


def _sheet_template(path: Path, _: Translate) -> None:
    """The official layout's template (styles, A4, margins, page numbers) without the plan's
    cover and contents: a title, a subtitle and the body."""
    build_template(path, _)
    document = Document(str(path))
    paragraphs = document.paragraphs
    # The body section starts at the last title paragraph; what precedes it (cover, contents
    # and the section break that ends them) is the plan's.
    start = max(i for i, p in enumerate(paragraphs) if p.text == "{{ title }}")
    for paragraph in paragraphs[:start]:
        paragraph._p.getparent().remove(paragraph._p)
    subtitle = paragraphs[start + 1]
    subtitle.text = "{{ subtitle }}"
    document.save(str(path))


def _blocks(sheet: Sheet, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(text=value, style="note", lead=f"{label}：") for label, value in sheet.info
    ]
    tables = [(sheet.caption, sheet.header, sheet.rows, sheet.numeric, sheet.widths, sheet.notes)]
    tables += [(p.caption, p.header, p.rows, p.numeric, p.widths, p.notes) for p in sheet.parts]
    for caption, header, rows, numeric, widths, notes in tables:
        blocks.append(
            Table(
                caption=caption,
                header=list(header),
                rows=[[_text(cell) for cell in row.cells] for row in rows],
                numeric=numeric,
                widths=tuple(widths),
                merged=tuple((i, 0, row.span) for i, row in enumerate(rows) if row.span > 1),
                emphasis=frozenset(
                    i for i, row in enumerate(rows) if row.kind in {"subtotal", "total"}
                ),
                subheaders=frozenset(i for i, row in enumerate(rows) if row.kind == "group"),
            )
        )
        blocks.extend(Paragraph(text=note, style="note") for note in notes)
    # The last note, a blank line and the signature stay on one page: a signature alone on a
    # page signs nothing visible.
    if blocks and isinstance(blocks[-1], Paragraph):
        last = blocks[-1]
        blocks[-1] = Paragraph(
            text=last.text, style=last.style, lead=last.lead, keep_with_next=True
        )
    blocks.append(Paragraph(text="", keep_with_next=True))
    blocks.append(Paragraph(text=sheet.signature, style="signature"))
    return blocks


# More columns than this do not fit a portrait A4 page legibly: the sheet turns landscape.
_PORTRAIT_COLUMNS = 8
_PORTRAIT_WIDTH_MM = 156.0  # the type area of the official layout (GB/T 9704 §5.2.1)


def _landscape(document: Any) -> None:
    """Turn the page to landscape A4 and widen the tables to the wider type area."""
    section = document.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    factor = (297 - 50) / _PORTRAIT_WIDTH_MM
    for table in document.tables:
        for column in table.columns:
            width = column.width
            if width is None:
                continue
            column.width = Emu(int(width * factor))
            for cell in column.cells:
                cell.width = Emu(int(width * factor))


def write_docx(sheet: Sheet, out: Path, _: Translate) -> None:
    """The sheet in the official Word layout (A4, GB/T 9704 margins and fonts)."""
    template = out.with_name(out.stem + ".template.docx")
    _sheet_template(template, _)
    try:
        render_document(
            template,
            {"title": sheet.title, "subtitle": sheet.subtitle},
            _blocks(sheet, _),
            out,
            _,
        )
    finally:
        template.unlink(missing_ok=True)
    document = Document(str(out))
    if len(sheet.header) > _PORTRAIT_COLUMNS:
        _landscape(document)
    core = document.core_properties
    core.title = sheet.properties.get("title", sheet.title)
    core.subject = sheet.subtitle
    core.keywords = sheet.properties.get("keywords", "")
    core.comments = sheet.properties.get("description", "")
    core.author = "lowcarbon"
    document.save(str(out))


def write_pdf(sheet: Sheet, out_dir: Path, stem: str, _: Translate) -> tuple[Path, Path]:
    """The DOCX and its PDF in ``out_dir``; :class:`~lowcarbon.documents.pdf.PdfConversionError`
    when no PDF can be made (the DOCX is then still there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = out_dir / f"{stem}.docx"
    write_docx(sheet, docx, _)
    return docx, convert_to_pdf(docx, out_dir)
