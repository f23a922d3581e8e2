"""``lowcarbon``: list, show and validate rubrics, write answer templates, score answers.

Exit status: 0 done; 1 the input or a data file is wrong (message says where and what is
expected); 2 the command line itself is wrong; 3 scored, but items were zeroed because evidence
is missing where the edition requires it (附件4 注).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Translate

from . import accounting, documents, factors, monitoring
from .i18n import LANGUAGES, default_language, translator

if TYPE_CHECKING:
    from lowcarbon.core.scoring import ScoreResult

# The commands import what they need (YAML and JSON Schema, the rubrics, the workbook reader)
# when they run, so that ``lowcarbon --help`` and a mistyped command answer at once.

__all__ = ["main"]

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_NO_EVIDENCE, EXIT_INTERNAL = 0, 1, 2, 3, 70

EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "examples"


class Context:
    def __init__(self, lang: str, as_json: bool) -> None:
        self.lang = lang
        self.json = as_json
        self._: Translate = translator(lang)

    def emit(self, text: str, data: Any) -> None:
        if self.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            print(text)


def _rubric_ref(ctx: Context, ref: str) -> tuple[str, str]:
    from lowcarbon.rules.schemes import list_rubrics

    scheme, sep, edition = ref.partition("/")
    if not sep:
        known = [f"{s}/{e}" for s, e in list_rubrics()]
        raise SystemExit(
            ctx._("{found} is not a rubric id; use scheme/edition, one of {known}").format(
                found=ref, known=", ".join(known)
            )
        )
    return scheme, edition


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from lowcarbon.rules.schemes import list_rubrics, load_rubric

    rubrics = [load_rubric(s, e) for s, e in list_rubrics()]
    text = "\n".join(f"{r.ref:<16} {r.title.get(ctx.lang)}  [{r.source}]" for r in rubrics)
    ctx.emit(
        text,
        [{"rubric": r.ref, "title": r.title.get(ctx.lang), "source": r.source} for r in rubrics],
    )
    return EXIT_OK


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    from lowcarbon.rules.schemes import load_rubric

    from . import jsonout, render

    rubric = load_rubric(*_rubric_ref(ctx, args.rubric))
    if args.item is not None and rubric.item(args.item) is None:
        raise SystemExit(
            ctx._("{rubric} has no item {item}; items: {items}").format(
                rubric=rubric.ref, item=args.item, items=", ".join(i.id for i in rubric.items())
            )
        )
    ctx.emit(
        render.render_rubric(rubric, ctx.lang, ctx._, args.item),
        jsonout.rubric_to_json(rubric, ctx.lang),
    )
    return EXIT_OK


def cmd_validate(ctx: Context, args: argparse.Namespace) -> int:
    from lowcarbon.core.validation import validate_rubric
    from lowcarbon.rules.schemes import list_rubrics, load_rubric

    from . import jsonout, render

    if not args.rubrics:  # all the data: the creation stage's reminder rules too
        from lowcarbon.rules.acceptance_rules import load_acceptance_rules
        from lowcarbon.rules.archive_categories import load_categories
        from lowcarbon.rules.household_selection import load_selection_rules
        from lowcarbon.rules.reminders import load_reminder_rules

        load_reminder_rules()
        load_categories()  # the archive's categories, each item checked against its rubric
        load_acceptance_rules()  # the pass rules, each section and item checked likewise
        load_selection_rules()  # the low-carbon household selection's rules (附件4 第7项)
    refs = [_rubric_ref(ctx, ref) for ref in args.rubrics] or list_rubrics()
    texts, data, ok = [], [], True
    for scheme, edition in refs:
        rubric = load_rubric(scheme, edition)
        report = validate_rubric(rubric)
        ok = ok and report.ok
        texts.append(render.render_report(report, rubric, ctx.lang, ctx._))
        data.append(jsonout.report_to_json(report, ctx._))
    ctx.emit("\n\n".join(texts), data)
    return EXIT_INPUT if args.strict and not ok else EXIT_OK


def cmd_template(ctx: Context, args: argparse.Namespace) -> int:
    from lowcarbon.rules.answers_template import write_answers_template
    from lowcarbon.rules.schemes import load_rubric

    rubric = load_rubric(*_rubric_ref(ctx, args.rubric))
    text = write_answers_template(rubric, ctx.lang, ctx._)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(ctx._("Template written to {path}").format(path=args.output), file=sys.stderr)
    else:
        print(text, end="")
    return EXIT_OK


def _score_one(ctx: Context, path: Path) -> tuple[ScoreResult, str, dict[str, Any]]:
    from lowcarbon.rules.answers import score_answers_file
    from lowcarbon.rules.schemes import load_rubric

    from . import jsonout, render

    result = score_answers_file(path)
    scheme, _, edition = result.rubric_ref.partition("/")
    rubric = load_rubric(scheme, edition)
    return (
        result,
        render.render_score(result, rubric, ctx.lang, ctx._),
        jsonout.score_to_json(result, ctx.lang, ctx._),
    )


def _exit_for(ctx: Context, results: Sequence[ScoreResult]) -> int:
    from lowcarbon.core.scoring import ItemStatus

    zeroed = [
        (r, i)
        for r in results
        for s in r.sections
        for i in s.items
        if i.status is ItemStatus.ZEROED_NO_EVIDENCE
    ]
    for result, item in zeroed:
        print(
            ctx._(
                "{unit}: item {item} has points but no evidence and scored 0; add "
                "evidence ids to its answer"
            ).format(unit=result.unit, item=item.item.id),
            file=sys.stderr,
        )
    return EXIT_NO_EVIDENCE if zeroed else EXIT_OK


def cmd_score(ctx: Context, args: argparse.Namespace) -> int:
    result, text, data = _score_one(ctx, Path(args.answers))
    ctx.emit(text, data)
    return _exit_for(ctx, [result])


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    files = sorted(EXAMPLES_DIR.glob("*/answers.yaml"))
    results, texts, data = [], [], []
    for path in files:
        result, text, item = _score_one(ctx, path)
        results.append(result)
        rule = "═" * 72
        title = ctx._("Example: {name}").format(name=f"{path.parent.name}/{path.name}")
        texts.append(f"{rule}\n{title}\n{rule}\n{text}")
        data.append(item)
        accounting_file = path.parent / "accounting.yaml"
        if accounting_file.exists():
            title = ctx._("Example: {name}").format(name=f"{path.parent.name}/accounting.yaml")
            texts.append(f"{rule}\n{title}\n{rule}\n{accounting.summary(ctx, accounting_file)}")
    ctx.emit("\n\n".join(texts), data)
    return _exit_for(ctx, results)


def _parser(_: Translate) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=argparse.SUPPRESS,
        help=_("output language (default zh, or LOWCARBON_LANG)"),
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("machine-readable JSON output"),
    )
    parser = argparse.ArgumentParser(
        prog="lowcarbon",
        parents=[common],
        description=_("Shanghai low-carbon demonstration creation: indicator systems and scoring"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, func: Callable[[Context, argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(func=func)
        return sub

    rubrics = commands.add_parser("rubrics", parents=[common], help=_("indicator systems"))
    rubric_commands = rubrics.add_subparsers(dest="rubric_command", required=True, metavar="ACTION")
    for name, func, text in (
        ("list", cmd_list, _("list the bundled indicator-system editions")),
        ("show", cmd_show, _("show an edition, or one item with its criteria")),
        (
            "validate",
            cmd_validate,
            _("report declared against reachable points and how each finding is resolved"),
        ),
    ):
        sub = rubric_commands.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(func=func)
        if name == "show":
            sub.add_argument("rubric", help=_("scheme/edition, e.g. community/2021"))
            sub.add_argument("--item", help=_("one item id, e.g. 19"))
        if name == "validate":
            sub.add_argument("rubrics", nargs="*", help=_("scheme/edition (default: all)"))
            sub.add_argument(
                "--strict",
                action="store_true",
                help=_("fail on unresolved findings or stale resolutions"),
            )
    answers = commands.add_parser("answers", parents=[common], help=_("answers files"))
    answer_commands = answers.add_subparsers(
        dest="answers_command", required=True, metavar="ACTION"
    )
    template = answer_commands.add_parser(
        "template", parents=[common], help=_("write a fill-in answers file for a rubric")
    )
    template.set_defaults(func=cmd_template)
    template.add_argument("rubric", help=_("scheme/edition, e.g. community/2021"))
    template.add_argument("-o", "--output", help=_("file to write (default: standard output)"))
    score = add("score", cmd_score, _("score an answers file and explain every point"))
    score.add_argument("answers", help=_("the answers file (YAML)"))
    add("demo", cmd_demo, _("score the bundled example applications"))
    factors.add_commands(commands, common, _)
    accounting.add_commands(commands, common, _)
    documents.add_commands(commands, common, _)
    monitoring.add_commands(commands, common, _)
    return parser


def _language(argv: Sequence[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            return argv[index + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    return default_language()


def _print_error(ctx: Context, error: LowcarbonError) -> None:
    from lowcarbon.rules.answers import AnswersFileError
    from lowcarbon.rules.workbook import WorkbookError

    if isinstance(error, AnswersFileError):
        for problem in error.problems:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            print(f"{where}: {problem.error.message.render(ctx._)}", file=sys.stderr)
        print(
            ctx._("{count} problem(s); nothing was scored").format(count=len(error.problems)),
            file=sys.stderr,
        )
    elif isinstance(error, WorkbookError):
        # One line per cell, so a long list stays readable and each can be fixed in turn.
        for workbook_problem in error.problems:
            print(f"{error.path}: {workbook_problem.message.render(ctx._)}", file=sys.stderr)
        print(
            ctx._("{count} problem(s); nothing was imported").format(count=len(error.problems)),
            file=sys.stderr,
        )
    else:
        print(
            ctx._("error: {message}").format(message=error.message.render(ctx._)),
            file=sys.stderr,
        )


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _language(args_list)
    _ = translator(lang)
    args = _parser(_).parse_args(args_list)
    ctx = Context(lang, bool(getattr(args, "json", False)))
    try:
        code: int = args.func(ctx, args)
    except LowcarbonError as error:
        _print_error(ctx, error)
        return EXIT_INPUT
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(_("error: {message}").format(message=stop.code), file=sys.stderr)
            return EXIT_INPUT
        raise
    except Exception:  # pragma: no cover - a bug; shown in full only when asked for
        if os.environ.get("LOWCARBON_DEBUG"):
            traceback.print_exc()
        print(
            _(
                "internal error: please report it with the command you ran "
                "(set LOWCARBON_DEBUG=1 for details)"
            ),
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
