"""``lowcarbon documents``: the official documents, made from an exported application.

The exported application is a submission's frozen snapshot (JSON, as the web platform stores
it), so a document can be made again, on any machine, from exactly what was submitted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lowcarbon.core.text import LocalText
from lowcarbon.documents.pdf import PdfConversionError, convert_to_pdf
from lowcarbon.documents.plan import PlanInput, score_sheet_from_data, write_plan
from lowcarbon.documents.word import build_template
from lowcarbon.rules.application_file import load_application_file

from .i18n import translator

__all__ = ["EXIT_NO_PDF", "add_commands"]

# The DOCX was written but its PDF could not be made (the reason is printed).
EXIT_NO_PDF = 5


def _local(ctx: Any) -> Any:
    def local(text: LocalText) -> str:
        return text.get(ctx.lang)

    return local


def cmd_plan(ctx: Any, args: argparse.Namespace) -> int:
    _ = ctx._
    exported = load_application_file(Path(args.file))
    local = _local(ctx)
    plan = PlanInput(
        outline=exported.outline,
        sections=exported.sections,
        unit_name=exported.unit_name,
        scheme=exported.kind,
        round_year=exported.round_year,
        accounting=None if exported.accounting is None else _accounting(exported),
        score=None
        if not exported.score
        else score_sheet_from_data(exported.score, exported.rubric, local),
        submission_number=exported.submission_number,
        snapshot_sha256=exported.snapshot_sha256,
        draw_charts=not args.no_charts,
    )
    out = Path(args.output)
    document = write_plan(
        plan,
        out,
        translator(ctx.lang),
        local,
        template=Path(args.template) if args.template else None,
    )
    data: dict[str, Any] = {
        "docx": str(out),
        "snapshot_sha256": exported.snapshot_sha256,
        "warnings": list(document.warnings),
        "pdf": None,
    }
    lines = [_("Plan written to {path}").format(path=out)]
    lines += [_("Snapshot SHA-256: {sha}").format(sha=exported.snapshot_sha256)]
    if document.warnings:
        lines.append(
            _("Missing ({count}), shown as placeholders in the document:").format(
                count=len(document.warnings)
            )
        )
        lines += [f"  · {warning}" for warning in document.warnings]
    code = 0
    if args.pdf:
        try:
            pdf = convert_to_pdf(out, out.parent)
        except PdfConversionError as error:
            reason = error.message.render(_)
            lines.append(_("No PDF: {reason}").format(reason=reason))
            data["pdf_error"] = reason
            code = EXIT_NO_PDF
        else:
            data["pdf"] = str(pdf)
            lines.append(_("PDF written to {path}").format(path=pdf))
    ctx.emit("\n".join(lines), data)
    return code


def _accounting(exported: Any) -> Any:
    from lowcarbon.core.accounting import run_accounting
    from lowcarbon.rules.factors import load_factor_library

    return run_accounting(exported.accounting, load_factor_library())


def cmd_template(ctx: Any, args: argparse.Namespace) -> int:
    out = Path(args.output)
    build_template(out, translator(ctx.lang))
    print(ctx._("Template written to {path}").format(path=out), file=sys.stderr)
    return 0


def add_commands(commands: Any, common: argparse.ArgumentParser, _: Any) -> None:
    documents = commands.add_parser(
        "documents", parents=[common], help=_("official documents (Word, PDF)")
    )
    sub = documents.add_subparsers(dest="documents_command", required=True, metavar="ACTION")
    plan = sub.add_parser(
        "plan",
        parents=[common],
        help=_("write the implementation plan of an exported application (DOCX, optionally PDF)"),
    )
    plan.add_argument("file", help=_("the exported application (a submission snapshot, JSON)"))
    plan.add_argument("-o", "--output", required=True, help=_("the DOCX file to write"))
    plan.add_argument("--pdf", action="store_true", help=_("also convert it to PDF (LibreOffice)"))
    plan.add_argument("--template", help=_("a Word template to use instead of the bundled one"))
    plan.add_argument("--no-charts", action="store_true", help=_("leave the charts out (faster)"))
    plan.set_defaults(func=cmd_plan)
    template = sub.add_parser(
        "template",
        parents=[common],
        help=_("write the bundled Word template of the plan, to edit in Word"),
    )
    template.add_argument("-o", "--output", required=True, help=_("the DOCX file to write"))
    template.set_defaults(func=cmd_template)
