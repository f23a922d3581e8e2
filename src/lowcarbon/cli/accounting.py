"""``lowcarbon accounting …``: data template, inventory, forecast and targets, year comparison.

Inputs are the accounting file (YAML or JSON, see ``examples/*/accounting.yaml``) or the
data-collection workbook (XLSX) that ``accounting template`` writes.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lowcarbon.core.activity import UnitKind
from lowcarbon.core.messages import Translate

from . import labels
from .table import clip, render_table

if TYPE_CHECKING:
    # The engine is imported when a command runs, so that ``lowcarbon --help`` need not load it.
    from lowcarbon.core.accounting import AccountingResult, Forecast
    from lowcarbon.core.activity import AccountingInput
    from lowcarbon.core.inventory import Inventory
    from lowcarbon.core.shares import ShareTable

__all__ = ["add_commands", "read_input", "result_to_json", "summary"]

EXIT_DRAFT = 4


def _fmt(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:,.{places}f}"


def read_input(path: Path) -> AccountingInput:
    """The workbook when the file is an XLSX (by its content), else the YAML/JSON file."""
    # Readers are imported when a file is read: YAML, JSON Schema, openpyxl and the geometry
    # libraries need not load for ``lowcarbon --help``.
    from lowcarbon.rules.activity import load_accounting_file
    from lowcarbon.rules.workbook import read_workbook

    with path.open("rb") as handle:
        is_zip = handle.read(4) == b"PK\x03\x04"
    return read_workbook(path) if is_zip else load_accounting_file(path)


def _result(args: argparse.Namespace) -> AccountingResult:
    from lowcarbon.core.accounting import run_accounting
    from lowcarbon.rules.factors import load_factor_library

    data = read_input(Path(args.file))
    if getattr(args, "set", None):
        # One set for every year, the years' own sets included.
        data = replace(data, factor_set=args.set, year_factor_sets={})
    return run_accounting(data, load_factor_library())


def _label(table: dict[str, str], key: str, _: Translate) -> str:
    return _(table[key]) if key in table else key


def _inventory_text(inventory: Inventory, ctx: Any) -> list[str]:
    _ = ctx._
    out = [
        _("{year} inventory under factor set {set_id}").format(
            year=inventory.year, set_id=inventory.set_id
        )
    ]
    rows = []
    for line in inventory.lines:
        record, factor = line.record, line.factor
        rows.append(
            [
                _label(labels.CATEGORY, record.category.value, _),
                _label(labels.SECTOR, record.sector.value, _),
                clip(record.label, 20),
                f"{record.quantity:,} {record.unit}",
                f"{factor.value} {factor.unit.text}"
                if factor
                else (line.notation_key.value if line.notation_key else "—"),
                factor.source_id + (" *" if factor.low_confidence else "") if factor else "",
                _fmt(line.tco2),
                _fmt(line.energy_tce),
                _label(labels.QUALITY, record.quality.value, _),
            ]
        )
    header = [
        _("Category"),
        _("Sector"),
        _("Label"),
        _("Quantity"),
        _("Factor"),
        _("Source row"),
        "tCO2",
        "tce",
        _("Data quality"),
    ]
    out += ["  " + row for row in render_table(header, rows, right=(6, 7)).splitlines()]
    out.append("  " + _("* low-confidence factor (secondary or literature source)"))
    scopes = _("; ").join(
        _("scope {number}: {tco2}").format(number=int(k), tco2=_fmt(v))
        for k, v in sorted(inventory.by_scope.items())
    )
    out += [
        "  "
        + _("Gross emissions (scope 1+2): {total} tCO2 ({scopes})").format(
            total=_fmt(inventory.gross_tco2), scopes=scopes
        ),
        *_shares_text(inventory, ctx),
        "  "
        + _(
            "Energy: {tce} tce; sinks: {sinks} tCO2 a year (reported separately, not netted)"
        ).format(tce=_fmt(inventory.total_tce), sinks=_fmt(inventory.sinks_tco2)),
    ]
    for category in dict.fromkeys(line.record.category.value for line in inventory.not_estimated):
        out.append(
            "  "
            + _("Not estimated (NE): {category} — no official inventory factor").format(
                category=_label(labels.CATEGORY, category, _)
            )
        )
    if not inventory.is_final:
        out.append("  ⚠ " + _("DRAFT — incomplete, not a final result:"))
        out += [f"    · {gap.render(_)}" for gap in inventory.completeness.gaps()]
    return out


def _shares_text(inventory: Inventory, ctx: Any) -> list[str]:
    """Shares of gross by scope, category and sector, each adding up to 100 %."""
    _ = ctx._
    shares = inventory.shares()
    if not shares.by_scope.shares:
        return []
    rows = [
        (
            _("by scope"),
            [
                (_("scope {number}").format(number=int(s.key)), s.shown_pct)
                for s in shares.by_scope.shares
            ],
        ),
        (
            _("by category"),
            [
                (_label(labels.CATEGORY, s.key.value, _), s.shown_pct)
                for s in shares.by_category.shares
            ],
        ),
        (
            _("by sector"),
            [(_label(labels.SECTOR, s.key.value, _), s.shown_pct) for s in shares.by_sector.shares],
        ),
    ]
    out = [
        "  "
        + _(
            "Shares of gross emissions (each line adds up to 100 %, rounded to 0.1 % by the "
            "largest remainder):"
        )
    ]
    for title, parts in rows:
        listed = _("; ").join(f"{name} {value:.1f} %" for name, value in parts)
        out.append(f"    {title}: {listed}")
    return out


def _share_json(table: ShareTable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": str(getattr(share.key, "value", share.key)),
            "tco2": _num(share.amount),
            "exact_pct": _num(share.exact_pct),
            "shown_pct": _num(share.shown_pct),
        }
        for share in table.shares
    ]


def _indicators_text(result: AccountingResult, ctx: Any) -> list[str]:
    _ = ctx._
    years = [i.year for i in result.indicators]
    rows = []
    for index, first in enumerate(result.indicators[0] if result.indicators else ()):
        row = [_label(labels.INDICATOR, first.id.value, _), first.unit]
        for indicators in result.indicators:
            indicator = list(indicators)[index]
            row.append(_fmt(indicator.value, 4) if indicator.applicable else _("n/a"))
        rows.append(row)
    header = [_("Indicator"), _("Unit"), *map(str, years)]
    return [
        _("Indicators"),
        *(
            "  " + r
            for r in render_table(header, rows, right=tuple(range(2, 2 + len(years)))).splitlines()
        ),
    ]


def _comparison_text(result: AccountingResult, ctx: Any) -> list[str]:
    _ = ctx._
    comparison = result.comparison
    if comparison is None:
        return []
    out = [
        _("{current} against the base year {base}").format(
            current=comparison.current_year, base=comparison.base_year
        )
    ]
    if comparison.refused is not None:
        out.append(
            "  ⚠ " + _("No decline rate: {reason}").format(reason=comparison.refused.render(_))
        )
    for indicator in (
        comparison.decline_rate,
        comparison.per_capita_decline_rate,
        comparison.factor_change_effect,
    ):
        if indicator.value is None and indicator.not_applicable == comparison.refused:
            value = _("n/a")
        elif indicator.value is None:
            value = _("n/a ({reason})").format(
                reason=indicator.not_applicable.render(_) if indicator.not_applicable else ""
            )
        else:
            value = f"{_fmt(indicator.value)} {indicator.unit}"
        line = _("{label}: {value}").format(
            label=_label(labels.INDICATOR, indicator.id.value, _), value=value
        )
        out.append("  " + line)
    out += [f"  ※ {note.render(_)}" for note in comparison.notes]
    if comparison.caveats:
        out.append("  ⚠ " + _("Provisional: a compared year is a draft, not a final result:"))
        out += [f"    · {caveat.render(_)}" for caveat in comparison.caveats]
    if result.decomposition is not None:
        effects = _("; ").join(
            f"{_label(labels.EFFECT, effect.value, _)} {_fmt(value)}"
            for effect, value in result.decomposition.effects.items()
        )
        out.append(
            "  "
            + _("Change {change} tCO2 = {effects} (LMDI)").format(
                change=_fmt(result.decomposition.change_tco2), effects=effects
            )
        )
    return out


def _forecast_text(result: AccountingResult, ctx: Any) -> list[str]:
    _ = ctx._
    forecast = result.forecast
    if forecast is None:
        return [_("No tasks or targets: nothing to forecast.")]
    years = sorted({t.year for t in result.input.targets} | {forecast.baseline.year})
    rows = []
    for year in years:
        plan_year = forecast.plan.get(year)
        if plan_year is not None:
            rows.append(
                [
                    str(year),
                    _fmt(plan_year.bau.emissions_tco2),
                    _fmt(plan_year.reduction_tco2),
                    _fmt(plan_year.emissions_tco2),
                ]
            )
    out = [
        _("Forecast (tCO2)"),
        *(
            "  " + r
            for r in render_table(
                [_("Year"), _("Business as usual"), _("Task reductions"), _("Plan")],
                rows,
                right=(1, 2, 3),
            ).splitlines()
        ),
    ]
    rows = []
    for check in forecast.targets.checks:
        requirement = check.requirement
        rows.append(
            [
                _label(labels.TARGET, check.target.kind.value, _),
                str(check.target.year),
                _fmt(check.target.value, 4),
                _fmt(check.reached, 4),
                _("met") if check.met else _("not met"),
                _fmt(requirement.required_tco2) if requirement else "",
                _fmt(requirement.gap_tco2) if requirement else "",
            ]
        )
    out += [
        "",
        _("Targets"),
        *(
            "  " + r
            for r in render_table(
                [
                    _("Target"),
                    _("Year"),
                    _("Target value"),
                    _("Plan reaches"),
                    "",
                    _("Required (tCO2)"),
                    _("Gap (tCO2)"),
                ],
                rows,
                right=(2, 3, 5, 6),
            ).splitlines()
        ),
    ]
    verdict = _("consistent") if forecast.targets.consistency else _("not consistent")
    out += [
        "",
        _("Task reductions and overall target (附件2 三): {verdict}").format(verdict=verdict),
        "  " + forecast.targets.consistency_explanation.render(_),
    ]
    decomposition = forecast.targets.decomposition
    if decomposition is not None:
        shares = _("; ").join(
            f"{_label(labels.DOMAIN, s.key, _)} {s.shown_pct:.1f} %"
            for s in decomposition.domain_split().shares
        )
        coverage_pct = decomposition.coverage_pct
        coverage = "—" if coverage_pct is None else _fmt(coverage_pct, 1)
        out.append(
            "  "
            + _(
                "Task reductions in {year} by domain (shares of the tasks' {tasks} tCO2, adding "
                "up to 100 %): {shares}; they cover {coverage} % of the {required} tCO2 required"
            ).format(
                year=decomposition.year,
                tasks=_fmt(decomposition.tasks_tco2),
                shares=shares or "—",
                coverage=coverage,
                required=_fmt(decomposition.required_tco2),
            )
        )
    out += _reductions_text(forecast, ctx)
    return out


def _reductions_text(forecast: Forecast, ctx: Any) -> list[str]:
    """Each task's reduction, computed (with its calculation) or declared, and the findings."""
    from lowcarbon.core.reductions import ReductionStatus

    _ = ctx._
    rows = []
    for reduction in forecast.reductions:
        status = _label(labels.REDUCTION_STATUS, reduction.status.value, _)
        if reduction.status is ReductionStatus.DECLARED:
            status = "⚑ " + status
        rows.append(
            [
                reduction.task.id,
                clip(reduction.task.name, 24),
                status,
                _fmt(reduction.reduction_tco2),
                _fmt(reduction.sink_tco2) if reduction.sink_tco2 else "",
            ]
        )
    if not rows:
        return []
    out = [
        "",
        _("Task reductions (a year at full effect)"),
        *(
            "  " + r
            for r in render_table(
                [_("Task"), _("Name"), _("How"), "tCO2", _("Sinks (tCO2)")], rows, right=(3, 4)
            ).splitlines()
        ),
    ]
    for reduction in forecast.reductions:
        out += [f"    {reduction.task.id}: {e.explanation.render(_)}" for e in reduction.effects]
    if forecast.claims:
        out += ["", "⚑ " + _("Findings on the task reductions:")]
        out += [f"  · {claim.render(_)}" for claim in forecast.claims]
    return out


def _header(result: AccountingResult, ctx: Any) -> list[str]:
    profile = result.input.profile
    kind = ctx._("community") if profile.kind is UnitKind.COMMUNITY else ctx._("practice zone")
    return [
        f"{profile.name} ({kind})",
        ctx._("Boundary: {four_sides}").format(four_sides=profile.boundary.four_sides),
        "",
    ]


def _finish(
    ctx: Any,
    args: argparse.Namespace,
    result: AccountingResult,
    text: list[str],
    data: dict[str, Any],
) -> int:
    if getattr(args, "xlsx", None):
        from lowcarbon.documents.accounting_report import write_accounting_report

        write_accounting_report(result, Path(args.xlsx), ctx.lang, ctx._)
        text.append(ctx._("Report written to {path}").format(path=args.xlsx))
    ctx.emit("\n".join(text), data)
    return EXIT_DRAFT if args.final and not result.is_final else 0


def cmd_inventory(ctx: Any, args: argparse.Namespace) -> int:
    result = _result(args)
    text = _header(result, ctx)
    for inventory in result.inventories:
        if args.year is None or inventory.year == args.year:
            text += [*_inventory_text(inventory, ctx), ""]
    text += _indicators_text(result, ctx)
    return _finish(ctx, args, result, text, result_to_json(result, ctx._))


def cmd_forecast(ctx: Any, args: argparse.Namespace) -> int:
    result = _result(args)
    text = _header(result, ctx) + _forecast_text(result, ctx)
    return _finish(ctx, args, result, text, result_to_json(result, ctx._))


def cmd_compare(ctx: Any, args: argparse.Namespace) -> int:
    result = _result(args)
    text = _header(result, ctx) + (
        _comparison_text(result, ctx) or [ctx._("Only one accounting year: nothing to compare.")]
    )
    code = _finish(ctx, args, result, text, result_to_json(result, ctx._))
    # A refused comparison has no decline to report: never a success.
    refused = result.comparison is not None and result.comparison.refused is not None
    return EXIT_DRAFT if refused else code


def summary(ctx: Any, path: Path) -> str:
    """The demo's view of an accounting file: indicators, comparison, forecast and targets."""
    from lowcarbon.core.accounting import run_accounting
    from lowcarbon.rules.factors import load_factor_library

    result = run_accounting(read_input(path), load_factor_library())
    parts = [
        *_header(result, ctx),
        *_indicators_text(result, ctx),
        "",
        *_comparison_text(result, ctx),
        "",
        *_forecast_text(result, ctx),
    ]
    return "\n".join(parts)


def cmd_template(ctx: Any, args: argparse.Namespace) -> int:
    from lowcarbon.rules.activity import load_accounting_file
    from lowcarbon.rules.workbook import write_workbook_template

    example = None
    if args.example:
        example = load_accounting_file(
            Path(__file__).resolve().parents[3] / "examples" / args.kind / "accounting.yaml"
        )
    write_workbook_template(
        Path(args.output),
        kind=UnitKind(args.kind),
        language=ctx.lang,
        translate=ctx._,
        example=example,
    )
    print(ctx._("Template written to {path}").format(path=args.output))
    return 0


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def result_to_json(result: AccountingResult, _: Translate) -> dict[str, Any]:
    """Every number as a decimal string, with its trace."""
    return {
        "unit": result.input.profile.name,
        "factor_set": result.input.factor_set,
        "factor_sets": {str(i.year): i.set_id for i in result.inventories},
        "final": result.is_final,
        "inventories": [
            {
                "year": inventory.year,
                "gross_tco2": _num(inventory.gross_tco2),
                "total_tce": _num(inventory.total_tce),
                "sinks_tco2": _num(inventory.sinks_tco2),
                "by_scope": {str(int(k)): _num(v) for k, v in inventory.by_scope.items()},
                "shares": {
                    "scope": _share_json(inventory.shares().by_scope),
                    "category": _share_json(inventory.shares().by_category),
                    "sector": _share_json(inventory.shares().by_sector),
                },
                "gaps": [gap.render(_) for gap in inventory.completeness.gaps()],
                "findings": [
                    {
                        "metric": finding.metric.value,
                        "value": _num(finding.value),
                        "unit": finding.range.unit,
                        "low": _num(finding.range.low),
                        "high": _num(finding.range.high),
                        "range": finding.range.id,
                        "basis": finding.range.basis.value,
                        "source": finding.range.source,
                        "message": finding.message.render(_),
                    }
                    for finding in inventory.completeness.implausible
                ],
                "lines": [
                    {
                        "category": line.record.category.value,
                        "sector": line.record.sector.value,
                        "label": line.record.label,
                        "quantity": _num(line.record.quantity),
                        "unit": line.record.unit,
                        "quality": line.record.quality.value,
                        "source": line.record.source,
                        "scope": None if line.scope is None else int(line.scope),
                        "factor": None
                        if line.factor is None
                        else {
                            "id": line.factor.factor_id,
                            "value": _num(line.factor.value),
                            "unit": line.factor.unit.text,
                            "source_id": line.factor.source_id,
                            "confidence": line.factor.confidence.value,
                            "reference": line.factor.reference,
                            "set": line.factor.set_id,
                        },
                        "notation_key": line.notation_key and line.notation_key.value,
                        "tco2": _num(line.tco2),
                        "tce": _num(line.energy_tce),
                        "explanation": line.explanation().render(_),
                    }
                    for line in inventory.lines
                ],
            }
            for inventory in result.inventories
        ],
        "indicators": [
            {
                "year": indicators.year,
                **{
                    i.id.value: {
                        "value": _num(i.value),
                        "unit": i.unit,
                        "explanation": [m.render(_) for m in i.explanation()],
                    }
                    for i in indicators
                },
            }
            for indicators in result.indicators
        ],
        "comparison": None
        if result.comparison is None
        else {
            "base_year": result.comparison.base_year,
            "year": result.comparison.current_year,
            "decline_rate": _num(result.comparison.decline_rate.value),
            "per_capita_decline_rate": _num(result.comparison.per_capita_decline_rate.value),
            "factor_change_effect": _num(result.comparison.factor_change_effect.value),
            "refused": None
            if result.comparison.refused is None
            else result.comparison.refused.render(_),
            "provisional": result.comparison.provisional,
            "caveats": [caveat.render(_) for caveat in result.comparison.caveats],
            "lmdi": None
            if result.decomposition is None
            else {k.value: _num(v) for k, v in result.decomposition.effects.items()},
        },
        "forecast": None
        if result.forecast is None
        else {
            "years": [
                {
                    "year": y.year,
                    "bau_tco2": _num(y.bau.emissions_tco2),
                    "reduction_tco2": _num(y.reduction_tco2),
                    "plan_tco2": _num(y.emissions_tco2),
                }
                for y in result.forecast.plan.years
            ],
            "targets": [
                {
                    "kind": c.target.kind.value,
                    "year": c.target.year,
                    "value": _num(c.target.value),
                    "reached": _num(c.reached),
                    "met": c.met,
                    "required_tco2": _num(c.requirement.required_tco2) if c.requirement else None,
                    "gap_tco2": _num(c.requirement.gap_tco2) if c.requirement else None,
                    "explanation": c.explanation.render(_),
                }
                for c in result.forecast.targets.checks
            ],
            "reductions": [
                {
                    "task": r.task.id,
                    "status": r.status.value,
                    "reduction_tco2": _num(r.reduction_tco2),
                    "declared_tco2": _num(r.declared_tco2),
                    "renewable_kwh": _num(r.renewable_kwh),
                    "sink_tco2": _num(r.sink_tco2),
                    "calculation": [e.explanation.render(_) for e in r.effects],
                    "low_confidence": any(e.low_confidence for e in r.effects),
                }
                for r in result.forecast.reductions
            ],
            "claims": [claim.render(_) for claim in result.forecast.claims],
            "consistency": result.forecast.targets.consistency,
            "consistency_explanation": result.forecast.targets.consistency_explanation.render(_),
        },
    }


def add_commands(commands: Any, common: argparse.ArgumentParser, _: Translate) -> None:
    accounting = commands.add_parser(
        "accounting", parents=[common], help=_("carbon accounting, forecast and targets")
    )
    sub = accounting.add_subparsers(dest="accounting_command", required=True, metavar="ACTION")
    template = sub.add_parser(
        "template", parents=[common], help=_("write the data-collection workbook (XLSX)")
    )
    template.add_argument(
        "--kind", choices=["community", "zone"], default="community", help=_("community or zone")
    )
    template.add_argument(
        "--example", action="store_true", help=_("fill the workbook with the bundled example")
    )
    template.add_argument("-o", "--output", required=True, help=_("the XLSX file to write"))
    template.set_defaults(func=cmd_template)
    for name, func, text in (
        ("inventory", cmd_inventory, _("compute the inventory and indicators of every year")),
        ("forecast", cmd_forecast, _("forecast, check the targets and their consistency")),
        ("compare", cmd_compare, _("compare the latest year with the base year (LMDI)")),
    ):
        command = sub.add_parser(name, parents=[common], help=text, description=text)
        command.add_argument("file", help=_("accounting file (YAML, JSON) or workbook (XLSX)"))
        command.add_argument(
            "--set",
            help=_("factor set for every year, replacing the file's (default: the file's sets)"),
        )
        command.add_argument("--xlsx", help=_("also write the full report to this XLSX file"))
        command.add_argument(
            "--final",
            action="store_true",
            help=_("exit with status 4 when any inventory is a draft"),
        )
        if name == "inventory":
            command.add_argument("--year", type=int, help=_("show only this year"))
        command.set_defaults(func=func)
