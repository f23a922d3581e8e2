"""The main tasks with their expected reductions, and their consistency with the overall target."""

from __future__ import annotations

from decimal import Decimal

from lowcarbon.core.labels import DOMAIN, REDUCTION_STATUS
from lowcarbon.core.messages import gettext_noop

from ..blocks import Table
from ..formatting import number, year
from .drafting import _Draft


class _TasksTable(_Draft):
    """The computed tasks table of the section on tasks."""

    def _computed_tasks(self) -> None:
        result = self.plan.accounting
        if result is None or result.forecast is None or not result.input.tasks:
            return
        _ = self._
        forecast = result.forecast
        rows = []
        total = Decimal(0)
        declared = False
        for task in result.input.tasks:
            reduction = forecast.reduction_of(task.id)
            tco2 = task.annual_reduction_tco2 if reduction is None else reduction.reduction_tco2
            total += tco2
            status = "declared" if reduction is None else reduction.status.value
            declared = declared or status == "declared"
            rows.append(
                [
                    task.name + (" ★" if task.near_zero_demonstration else ""),
                    _(DOMAIN.get(task.domain.value, task.domain.value)),
                    year(task.start_year),
                    number(tco2),
                    _(REDUCTION_STATUS[status]),
                    _(gettext_noop("yes")) if task.key_project else "",
                ]
            )
        rows.append([_(gettext_noop("Total")), "", "", number(total), "", ""])
        notes = []
        if any(task.near_zero_demonstration for task in result.input.tasks):
            notes.append(_(gettext_noop("★ near-zero-carbon demonstration project")))
        if declared:
            notes.append(
                _(
                    gettext_noop(
                        "A reduction declared, not computed, states no activity it arises from; "
                        "the consistency with the overall target does not count it as proven."
                    )
                )
            )
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Main tasks and their expected reductions")),
                header=[
                    _(gettext_noop("Task")),
                    _(gettext_noop("Field")),
                    _(gettext_noop("Start year")),
                    _(gettext_noop("Reduction (tCO₂ a year)")),
                    _(gettext_noop("How it was obtained")),
                    _(gettext_noop("Key project")),
                ],
                rows=rows,
                numeric=frozenset({2, 3}),
                widths=(3.6, 1.5, 1, 1.6, 1.5, 1),
                note="　".join(notes),
            )
        )
