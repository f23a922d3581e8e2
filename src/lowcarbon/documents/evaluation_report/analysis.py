"""四、碳排放变化分析: emissions of the base year and now, the like-for-like change and its
effects.
"""

from __future__ import annotations

from decimal import Decimal

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block, Heading, Paragraph, Placeholder, Table
from ..formatting import year
from .report import Emissions, EvaluationReport, Translate
from .values import _tonnes


def _emission_table(report: EvaluationReport, emissions: Emissions, _: Translate) -> Table:
    base, current = year(report.base_year), year(report.current_year)
    rows: list[tuple[str, Decimal | None]] = [
        (
            _(gettext_noop("Emissions of the base year {year} ({factors})")).format(
                year=base, factors=report.base_factor_set
            ),
            emissions.base_tco2e,
        ),
        (
            _(gettext_noop("Emissions of {year} ({factors})")).format(
                year=current, factors=report.current_factor_set
            ),
            emissions.current_tco2e,
        ),
        (
            _(gettext_noop("Change as reported")),
            emissions.current_tco2e - emissions.base_tco2e,
        ),
    ]
    if report.vintage_changed:
        like = emissions.like_for_like_tco2e
        rows += [
            (
                _(
                    gettext_noop("Emissions of {year} under the base year's factors ({factors})")
                ).format(year=current, factors=report.base_factor_set),
                like,
            ),
            (
                _(gettext_noop("Change like for like (the reduction)")),
                None if like is None else like - emissions.base_tco2e,
            ),
            (
                _(gettext_noop("Due to the change of emission factor edition (not a reduction)")),
                None if like is None else emissions.current_tco2e - like,
            ),
        ]
    return Table(
        caption=_(gettext_noop("Change of emissions since the base year")),
        header=[_(gettext_noop("Emissions")), _(gettext_noop("tCO₂e"))],
        rows=[[label, _tonnes(value)] for label, value in rows],
        numeric=frozenset({1}),
        widths=(4, 1.4),
        note=_(gettext_noop("A negative change is a decrease.")),
    )


def _effects_table(report: EvaluationReport, _: Translate) -> Table:
    rows = [[effect.name, _tonnes(effect.tco2e)] for effect in report.effects]
    total = sum((effect.tco2e for effect in report.effects), Decimal(0))
    rows.append([_(gettext_noop("Total")), _tonnes(total)])
    return Table(
        caption=_(gettext_noop("Decomposition of the change (LMDI)")),
        header=[_(gettext_noop("Effect")), _(gettext_noop("tCO₂e"))],
        rows=rows,
        numeric=frozenset({1}),
        widths=(4, 1.4),
        emphasis=frozenset({len(rows) - 1}),
        note=_(
            gettext_noop(
                "Additive decomposition (LMDI): the effects add up to the change of the "
                "emissions; a negative effect lowered them."
            )
        ),
    )


def _change_paragraph(report: EvaluationReport, emissions: Emissions, _: Translate) -> Paragraph:
    text = _(
        gettext_noop(
            "Emissions went from {base} tCO₂e in the base year {base_year} to {current} tCO₂e in "
            "{year}, a change of {change} tCO₂e as reported."
        )
    ).format(
        base=_tonnes(emissions.base_tco2e),
        base_year=year(report.base_year),
        current=_tonnes(emissions.current_tco2e),
        year=year(report.current_year),
        change=_tonnes(emissions.current_tco2e - emissions.base_tco2e),
    )
    like = emissions.like_for_like_tco2e
    if report.vintage_changed and like is not None:
        text += _(
            gettext_noop(
                " Under the base year's factors (like for like) the change is {like} tCO₂e; "
                "because the emission factor edition changed, {vintage} tCO₂e of the reported "
                "change are not a reduction."
            )
        ).format(
            like=_tonnes(like - emissions.base_tco2e),
            vintage=_tonnes(emissions.current_tco2e - like),
        )
    return Paragraph(text)


def _analysis(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Heading(1, "四、", _(gettext_noop("Analysis of the change of emissions")))
    ]
    emissions = report.emissions
    if emissions is None:
        blocks.append(
            Placeholder(
                _(
                    gettext_noop("To be completed: the emissions of the base year and of {year}")
                ).format(year=year(report.current_year))
            )
        )
    else:
        if report.vintage_changed and emissions.like_for_like_tco2e is None:
            blocks.append(
                Placeholder(
                    _(
                        gettext_noop(
                            "To be completed: the emissions of {year} under the base year's factors"
                        )
                    ).format(year=year(report.current_year))
                )
            )
        blocks.append(_change_paragraph(report, emissions, _))
        blocks.append(_emission_table(report, emissions, _))
    if report.effects:
        blocks.append(_effects_table(report, _))
    else:
        blocks.append(
            Paragraph(_(gettext_noop("No decomposition of the change is given.")), style="note")
        )
    return blocks
