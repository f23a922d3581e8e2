"""三、目标指标完成情况: each indicator in the base year and now against its staged targets."""

from __future__ import annotations

from collections.abc import Sequence

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block, Heading, Paragraph, Placeholder, Table
from ..formatting import NO_VALUE, column, year
from .report import EvaluationReport, StagedTarget, Translate


def _target_lines(targets: Sequence[StagedTarget], shown: Sequence[str], _: Translate) -> str:
    return "\n".join(
        _(gettext_noop("{year}: {target}")).format(year=year(t.year), target=value)
        for t, value in zip(targets, shown, strict=True)
    )


def _verdict_lines(targets: Sequence[StagedTarget], _: Translate) -> str:
    return "\n".join(
        _(gettext_noop("{year}: {verdict}")).format(
            year=year(t.year),
            verdict=NO_VALUE
            if t.met is None
            else _(gettext_noop("met"))
            if t.met
            else _(gettext_noop("not met")),
        )
        for t in targets
    )


def _indicator_table(report: EvaluationReport, _: Translate) -> Table:
    apart = report.vintage_changed
    rows: list[list[str]] = []
    for indicator in report.indicators:
        values = [indicator.base_value, indicator.current_value]
        values += [indicator.like_for_like_value] if apart else []
        values += [t.value for t in indicator.targets]
        shown = column(values)
        fixed = 3 if apart else 2
        row = [indicator.name, indicator.unit, *shown[:fixed]]
        row.append(_target_lines(indicator.targets, shown[fixed:], _) or NO_VALUE)
        row.append(_verdict_lines(indicator.targets, _) or NO_VALUE)
        rows.append(row)
    header = [
        _(gettext_noop("Indicator")),
        _(gettext_noop("Unit")),
        _(gettext_noop("Base year {year}")).format(year=year(report.base_year)),
        _(gettext_noop("{year} (current factors)")).format(year=year(report.current_year))
        if apart
        else _(gettext_noop("Now ({year})")).format(year=year(report.current_year)),
    ]
    if apart:
        header.append(
            _(gettext_noop("{year} (base-year factors, like for like)")).format(
                year=year(report.current_year)
            )
        )
    header += [_(gettext_noop("Staged targets")), _(gettext_noop("Reached"))]
    numeric = frozenset({2, 3, 4}) if apart else frozenset({2, 3})
    widths = (1.7, 1.0, 1.0, 1.1, 1.2, 1.8, 1.8) if apart else (2.0, 1.0, 1.1, 1.1, 1.8, 1.8)
    return Table(
        caption=_(gettext_noop("Indicators against the base year and the staged targets")),
        header=header,
        rows=rows,
        numeric=numeric,
        widths=widths,
    )


def _vintage_paragraph(report: EvaluationReport, _: Translate) -> Paragraph:
    return Paragraph(
        _(
            gettext_noop(
                "Because the emission factor edition changed (base year: {base}; {year}: "
                "{current}), the current figures are also given under the base year's factors "
                "(like for like); only the like-for-like change is a reduction."
            )
        ).format(
            base=report.base_factor_set,
            current=report.current_factor_set,
            year=year(report.current_year),
        )
    )


def _indicators(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Heading(1, "三、", _(gettext_noop("Achievement of the target indicators")))
    ]
    if not report.indicators:
        blocks.append(
            Placeholder(
                _(gettext_noop("To be completed: the indicators with their staged targets"))
            )
        )
        return blocks
    met = sum(1 for i in report.indicators for t in i.targets if t.met)
    due = sum(1 for i in report.indicators for t in i.targets if t.met is not None)
    blocks.append(
        Paragraph(
            _(
                gettext_noop(
                    "{count} indicators are compared with the base year {base}; of the staged "
                    "targets due, {met} of {due} are met."
                )
            ).format(count=len(report.indicators), base=year(report.base_year), met=met, due=due)
        )
    )
    if report.vintage_changed:
        blocks.append(_vintage_paragraph(report, _))
    blocks.append(_indicator_table(report, _))
    return blocks
