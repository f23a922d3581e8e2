"""``lowcarbon documents``: the official documents, made from an exported application: the
implementation plan (``plan``), the task list (``task-list``) and the annual work plan
(``work-plan``), as Word or spreadsheet files with an optional PDF of the Word file; and the
self-evaluation report (``evaluation-report``) from its own input file (JSON).

The exported application is a submission's frozen snapshot (JSON, as the web platform stores
it), so a document can be made again, on any machine, from exactly what was submitted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.text import LocalText

from .i18n import translator

__all__ = ["EXIT_NO_PDF", "add_commands"]

# The DOCX was written but its PDF could not be made (the reason is printed).
EXIT_NO_PDF = 5


def _local(ctx: Any) -> Any:
    def local(text: LocalText) -> str:
        return text.get(ctx.lang)

    return local


# Each command imports its writer when it runs (python-docx, Jinja, the charts, the application
# reader): ``lowcarbon --help`` need not load them.


def cmd_plan(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.documents.plan import plan_input_from_file, write_plan
    from lowcarbon.rules.application_file import load_application_file

    _ = ctx._
    exported = load_application_file(Path(args.file))
    local = _local(ctx)
    plan = plan_input_from_file(exported, local, draw_charts=not args.no_charts)
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
    code = _pdf(ctx, out, lines, data) if args.pdf else 0
    ctx.emit("\n".join(lines), data)
    return code


def _pdf(ctx: Any, out: Path, lines: list[str], data: dict[str, Any]) -> int:
    """Convert ``out`` to PDF, saying so in ``lines`` and ``data``; the DOCX stays either way."""
    from lowcarbon.documents.pdf import PdfConversionError, convert_to_pdf

    _ = ctx._
    try:
        pdf = convert_to_pdf(out, out.parent)
    except PdfConversionError as error:
        reason = error.message.render(_)
        lines.append(_("No PDF: {reason}").format(reason=reason))
        data["pdf_error"] = reason
        return EXIT_NO_PDF
    data["pdf"] = str(pdf)
    lines.append(_("PDF written to {path}").format(path=pdf))
    return 0


def _output(args: argparse.Namespace) -> Path:
    """The file to write: a Word file or a spreadsheet, told by its extension (the content is
    ours to write); a PDF is made from the Word file only, so it is refused before any work."""
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in {".docx", ".xlsx"}:
        raise LowcarbonError(
            Message(
                gettext_noop(
                    "the output file {path} must end in .docx (Word) or .xlsx (spreadsheet)"
                ),
                {"path": str(out)},
            ),
            code="output_kind",
        )
    if args.pdf and suffix != ".docx":
        raise LowcarbonError(
            Message(
                gettext_noop(
                    "--pdf needs a Word output (.docx): the PDF is made from the Word file, not "
                    "from {path}"
                ),
                {"path": str(out)},
            ),
            code="output_kind",
        )
    return out


def _report(
    ctx: Any,
    args: argparse.Namespace,
    out: Path,
    written: str,
    sha: str,
    warnings: tuple[str, ...],
    extra: dict[str, Any],
) -> int:
    _ = ctx._
    kind = "xlsx" if out.suffix.lower() == ".xlsx" else "docx"
    data: dict[str, Any] = {
        kind: str(out),
        "snapshot_sha256": sha,
        "warnings": list(warnings),
        "pdf": None,
    } | extra
    lines = [written, _("Snapshot SHA-256: {sha}").format(sha=sha)]
    if warnings:
        lines.append(_("To check ({count}):").format(count=len(warnings)))
        lines += [f"  · {warning}" for warning in warnings]
    code = _pdf(ctx, out, lines, data) if args.pdf else 0
    ctx.emit("\n".join(lines), data)
    return code


def cmd_task_list(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.documents.plan import plan_input_from_file
    from lowcarbon.documents.task_list import write_task_list
    from lowcarbon.rules.application_file import load_application_file

    _ = ctx._
    out = _output(args)
    exported = load_application_file(Path(args.file))
    plan = plan_input_from_file(exported, _local(ctx), draw_charts=False)
    tasks = write_task_list(plan, out, translator(ctx.lang))
    return _report(
        ctx,
        args,
        out,
        _("Task list written to {path}").format(path=out),
        exported.snapshot_sha256,
        tasks.warnings,
        {
            "entries": len(tasks.entries),
            "total_reduction_tco2": str(tasks.total),
        },
    )


def cmd_work_plan(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.documents.plan import plan_input_from_file
    from lowcarbon.documents.work_plan import write_work_plan
    from lowcarbon.rules.application_file import load_application_file

    _ = ctx._
    out = _output(args)
    exported = load_application_file(Path(args.file))
    plan = plan_input_from_file(exported, _local(ctx), draw_charts=False)
    work = write_work_plan(plan, args.year, out, translator(ctx.lang))
    return _report(
        ctx,
        args,
        out,
        _("Work plan of {year} written to {path}").format(year=args.year, path=out),
        exported.snapshot_sha256,
        work.warnings,
        {
            "year": args.year,
            "active": [item.entry.name for item in work.active],
            "reduction_tco2": None if work.forecast is None else str(work.forecast.reduction_tco2),
        },
    )


def _read_json(path: Path) -> object:
    """A JSON file's content, numbers with a fraction as exact decimals; a file that cannot be
    read or is not JSON is named with the line and column at fault."""
    import json
    from decimal import Decimal

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LowcarbonError(
            Message(
                gettext_noop("{path}: the file cannot be read ({problem})"),
                {"path": str(path), "problem": type(error).__name__},
            ),
            code="input_file",
        ) from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as problem:
        raise LowcarbonError(
            Message(
                gettext_noop("{path}: not valid JSON at line {line}, column {column}"),
                {"path": str(path), "line": problem.lineno, "column": problem.colno},
            ),
            code="input_file",
        ) from None


def cmd_evaluation_report(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.documents.evaluation_report import (
        EvaluationInputError,
        evaluation_report_from_data,
        write_evaluation_report,
    )

    _ = ctx._
    path = Path(args.file)
    out = Path(args.output)
    if out.suffix.lower() != ".docx":
        raise LowcarbonError(
            Message(
                gettext_noop("the output file {path} must end in .docx (Word)"),
                {"path": str(out)},
            ),
            code="output_kind",
        )
    try:
        report = evaluation_report_from_data(_read_json(path))
    except EvaluationInputError as error:
        raise LowcarbonError(
            Message(
                gettext_noop("{path}: {problem}"), {"path": str(path), "problem": error.message}
            ),
            code=error.code,
        ) from None
    write_evaluation_report(report, out, translator(ctx.lang))
    data: dict[str, Any] = {
        "docx": str(out),
        "stage": report.stage,
        "tasks": len(report.tasks),
        "self_points": str(report.self_points),
        "max_points": str(report.max_points),
        "records": [record.code for record in report.cited_records],
        "pdf": None,
    }
    lines = [_("Self-evaluation report written to {path}").format(path=out)]
    code = _pdf(ctx, out, lines, data) if args.pdf else 0
    ctx.emit("\n".join(lines), data)
    return code


def _year_type(_: Any) -> Any:
    def plan_year(text: str) -> int:
        try:
            year = int(text)
        except ValueError:
            year = 0
        if not 1990 <= year <= 2100:
            raise argparse.ArgumentTypeError(
                _("“{value}” is not a year between 1990 and 2100").format(value=text)
            )
        return year

    return plan_year


def cmd_template(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.documents.word import build_template

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
    task_list = sub.add_parser(
        "task-list",
        parents=[common],
        help=_("write the task list of an exported application (XLSX or DOCX, optionally PDF)"),
    )
    task_list.add_argument("file", help=_("the exported application (a submission snapshot, JSON)"))
    task_list.add_argument(
        "-o", "--output", required=True, help=_("the file to write: .xlsx or .docx")
    )
    task_list.add_argument(
        "--pdf", action="store_true", help=_("also convert it to PDF (LibreOffice)")
    )
    task_list.set_defaults(func=cmd_task_list)
    work_plan = sub.add_parser(
        "work-plan",
        parents=[common],
        help=_("write the annual work plan of one year (DOCX or XLSX, optionally PDF)"),
    )
    work_plan.add_argument("file", help=_("the exported application (a submission snapshot, JSON)"))
    work_plan.add_argument(
        "--year", required=True, type=_year_type(_), help=_("the year of the work plan")
    )
    work_plan.add_argument(
        "-o", "--output", required=True, help=_("the file to write: .docx or .xlsx")
    )
    work_plan.add_argument(
        "--pdf", action="store_true", help=_("also convert it to PDF (LibreOffice)")
    )
    work_plan.set_defaults(func=cmd_work_plan)
    evaluation = sub.add_parser(
        "evaluation-report",
        parents=[common],
        help=_("write a self-evaluation report from its input (JSON) as DOCX, optionally PDF"),
    )
    evaluation.add_argument(
        "file", help=_("the report's input: the unit, tasks, indicators, self-score (JSON)")
    )
    evaluation.add_argument("-o", "--output", required=True, help=_("the DOCX file to write"))
    evaluation.add_argument(
        "--pdf", action="store_true", help=_("also convert it to PDF (LibreOffice)")
    )
    evaluation.set_defaults(func=cmd_evaluation_report)
