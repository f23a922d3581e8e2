"""``lowcarbon factors …``: the factor sets, what each pins, and the derivation check."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from lowcarbon.core.messages import Translate, format_points

from .table import clip, render_table

if TYPE_CHECKING:  # the factors layer (and the units behind it) loads when a command runs
    from lowcarbon.core.factors import FactorLibrary

__all__ = ["cmd_factors_check", "cmd_factors_list", "cmd_factors_show"]


def _library() -> FactorLibrary:
    # The loader (YAML, JSON Schema) is imported when a command runs, not for --help.
    from lowcarbon.rules.factors import load_factor_library

    return load_factor_library()


def cmd_factors_list(ctx: Any, args: argparse.Namespace) -> int:
    library = _library()
    rows, data = [], []
    for factor_set in sorted(library.sets.values(), key=lambda s: s.id):
        until = factor_set.valid_to.isoformat() if factor_set.valid_to else ctx._("now")
        rows.append(
            [
                factor_set.id,
                f"{factor_set.valid_from.isoformat()} – {until}",
                clip(factor_set.title.get(ctx.lang), 50),
            ]
        )
        data.append(
            {
                "id": factor_set.id,
                "valid_from": factor_set.valid_from.isoformat(),
                "valid_to": factor_set.valid_to.isoformat() if factor_set.valid_to else None,
                "title": factor_set.title.get(ctx.lang),
                "supersedes": factor_set.supersedes,
            }
        )
    header = [ctx._("Factor set"), ctx._("Valid"), ctx._("Title")]
    ctx.emit(render_table(header, rows), data)
    return 0


def cmd_factors_show(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.documents.formatting import unit_name

    library = _library()
    factor_set = library.factor_set(args.set)
    rows, data = [], []
    for entry in factor_set.entries:
        resolved = library.resolve(
            factor_set.id,
            entry.category,
            factor_set.valid_from
            if entry.value_from <= factor_set.valid_from
            else entry.value_from,
        )
        flag = ctx._("low confidence") if resolved.low_confidence else ""
        rows.append(
            [
                entry.category,
                format_points(resolved.value),
                unit_name(resolved.unit.text, lambda text: text.get(ctx.lang)),
                resolved.source_id,
                flag,
            ]
        )
        data.append(
            {
                "category": entry.category,
                "factor": resolved.factor_id,
                "value": str(resolved.value),
                "unit": resolved.unit.text,
                "source_id": resolved.source_id,
                "confidence": resolved.confidence.value,
                "reference": resolved.reference,
            }
        )
    header = [
        ctx._("Category"),
        ctx._("Value"),
        ctx._("Unit"),
        ctx._("Source row"),
        ctx._("Confidence"),
    ]
    text = "\n".join(
        [
            f"{factor_set.id}: {factor_set.title.get(ctx.lang)}",
            factor_set.citation,
            "",
            render_table(header, rows, right=(1,)),
        ]
    )
    ctx.emit(text, data)
    return 0


def cmd_factors_check(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.core.factors import check_derivations

    checks = check_derivations(_library())
    rows, data = [], []
    for check in checks:
        rows.append(
            [
                check.factor_id,
                check.source_id,
                format_points(check.published.value),
                format_points(round(check.derived.value, 4)),
                f"{check.difference:+.5f} {check.comparison_unit.text}",
                ctx._("agrees") if check.agrees else ctx._("differs"),
            ]
        )
        data.append(
            {
                "factor": check.factor_id,
                "source_id": check.source_id,
                "published": str(check.published.value),
                "derived": str(check.derived.value),
                "difference": str(check.difference),
                "agrees": check.agrees,
            }
        )
    header = [
        ctx._("Factor"),
        ctx._("Source row"),
        ctx._("Published"),
        ctx._("Derived"),
        ctx._("Difference"),
        "",
    ]
    summary = ctx._(
        "Derived NCV × carbon content × oxidation × 44/12 against published "
        "factors (tolerance 0.0005 kgCO2 per unit of fuel)."
    )
    ctx.emit(summary + "\n" + render_table(header, rows, right=(2, 3)), data)
    return 0


def add_commands(commands: Any, common: argparse.ArgumentParser, _: Translate) -> None:
    factors = commands.add_parser("factors", parents=[common], help=_("emission factor library"))
    sub = factors.add_subparsers(dest="factors_command", required=True, metavar="ACTION")
    listing = sub.add_parser("list", parents=[common], help=_("list the factor sets"))
    listing.set_defaults(func=cmd_factors_list)
    show = sub.add_parser(
        "show", parents=[common], help=_("show what a factor set pins for each category")
    )
    show.add_argument("set", help=_("a factor set id, e.g. shanghai-2022"))
    show.set_defaults(func=cmd_factors_show)
    check = sub.add_parser(
        "check",
        parents=[common],
        help=_("load every factor file and compare derived fuel factors with published ones"),
    )
    check.set_defaults(func=cmd_factors_check)
