"""Targets and staged targets against the forecast, with the trend chart (三、1.)."""

from __future__ import annotations

from lowcarbon.core.labels import TARGET
from lowcarbon.core.messages import gettext_noop

from .. import result_charts
from ..blocks import Figure, Paragraph, Placeholder, Table
from ..formatting import number
from .drafting import _Draft


class _TargetsTable(_Draft):
    """The computed targets table of the section on targets."""

    def _computed_targets(self) -> None:
        if self._no_accounting():
            return
        _ = self._
        result = self.plan.accounting
        assert result is not None
        forecast = result.forecast
        if forecast is None:
            self.blocks.append(
                Placeholder(
                    _(
                        gettext_noop(
                            "To be completed: targets and tasks (add them to the baseline data)"
                        )
                    )
                )
            )
            self.warnings.append(
                _(
                    gettext_noop(
                        "No targets or tasks: the forecast and the target check are missing"
                    )
                )
            )
            return
        rows = []
        for check in forecast.targets.checks:
            requirement = check.requirement
            rows.append(
                [
                    _(TARGET.get(check.target.kind.value, check.target.kind.value)),
                    str(check.target.year),
                    _(gettext_noop("overall"))
                    if check.target.overall
                    else _(gettext_noop("sub-indicator")),
                    # The target and what the plan reaches at the same precision (4 decimals
                    # for per-capita and intensity targets), so the verdict can be read off.
                    number(
                        check.target.value, result_charts.target_places(check.target.kind.value)
                    ),
                    number(check.reached, result_charts.target_places(check.target.kind.value)),
                    _(gettext_noop("met")) if check.met else _(gettext_noop("not met")),
                    number(requirement.required_tco2) if requirement else "—",
                ]
            )
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Targets and staged targets")),
                header=[
                    _(gettext_noop("Target")),
                    _(gettext_noop("Year")),
                    _(gettext_noop("Kind")),
                    _(gettext_noop("Target value")),
                    _(gettext_noop("Plan reaches")),
                    _(gettext_noop("Verdict")),
                    _(gettext_noop("Required reduction (tCO₂)")),
                ],
                rows=rows,
                numeric=frozenset({3, 4, 6}),
            )
        )
        years = [
            [
                str(y.year),
                number(y.bau.emissions_tco2),
                number(y.reduction_tco2),
                number(y.emissions_tco2),
            ]
            for y in forecast.plan.years
        ]
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Forecast of emissions (tCO₂)")),
                header=[
                    _(gettext_noop("Year")),
                    _(gettext_noop("Business as usual")),
                    _(gettext_noop("Task reductions")),
                    _(gettext_noop("Plan")),
                ],
                rows=years,
                numeric=frozenset({1, 2, 3}),
            )
        )
        verdict = (
            _(gettext_noop("consistent"))
            if forecast.targets.consistency
            else _(gettext_noop("not consistent"))
        )
        self.blocks.append(
            Paragraph(
                forecast.targets.consistency_explanation.render(_, self.present),
                lead=_(
                    gettext_noop("Task reductions against the overall target: {verdict}. ")
                ).format(verdict=verdict),
            )
        )
        trend = self._chart("trend")
        if trend is not None:
            self.blocks.append(
                Figure(_(gettext_noop("Emissions: trend, forecast and targets")), trend)
            )
