"""The blank template in the layout of official documents: page set-up, fonts, styles, page
numbers and the body field.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop

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
