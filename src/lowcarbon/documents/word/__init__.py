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

The package: :mod:`.template` makes the blank official template (page set-up, styles, page
numbers), :mod:`.rendering` fills a template's fields and body, :mod:`.title` lays the title
out, and :mod:`.body` writes the blocks (text, tables, figures, narrative HTML).
"""

from .rendering import render_document, template_fields
from .template import (
    BODY_FIELD,
    FONT_BODY,
    FONT_HEI,
    FONT_KAI,
    FONT_LATIN,
    FONT_SONG,
    FONT_TITLE,
    TemplateError,
    Translate,
    build_template,
)
from .title import title_lines

__all__ = [
    "BODY_FIELD",
    "FONT_BODY",
    "FONT_HEI",
    "FONT_KAI",
    "FONT_LATIN",
    "FONT_SONG",
    "FONT_TITLE",
    "TemplateError",
    "Translate",
    "build_template",
    "render_document",
    "template_fields",
    "title_lines",
]
