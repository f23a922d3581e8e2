"""The implementation plan as a Word document."""

from __future__ import annotations

from pathlib import Path

from ..word.rendering import render_document
from ..word.template import build_template
from .builder import _Builder
from .inputs import Language, PlanDocument, PlanInput, Translate


def build_plan(plan: PlanInput, _: Translate, local: Language) -> PlanDocument:
    """The plan's template fields, blocks and warnings (no file is written)."""
    return _Builder(plan, _, local).build()


def write_plan(
    plan: PlanInput,
    out: Path,
    _: Translate,
    local: Language,
    *,
    template: Path | None = None,
) -> PlanDocument:
    """Write the plan to ``out`` (DOCX) with ``template`` or the bundled default layout."""
    document = build_plan(plan, _, local)
    if template is None:
        template = out.with_name(out.stem + ".template.docx")
        build_template(template, _)
        try:
            render_document(template, document.fields, document.blocks, out, _)
        finally:
            template.unlink(missing_ok=True)
    else:
        render_document(template, document.fields, document.blocks, out, _)
    return document
