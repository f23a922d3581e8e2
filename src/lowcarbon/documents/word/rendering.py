"""A template's fields and body filled from a data dictionary and a list of blocks."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from io import BytesIO
from pathlib import Path

import jinja2
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from lowcarbon.core.messages import Message, gettext_noop

from ..blocks import Block, Heading
from .body import _BodyWriter
from .template import _BODY_MARKER, BODY_FIELD, TemplateError, Translate
from .title import _break_title

logger = logging.getLogger(__name__)


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
