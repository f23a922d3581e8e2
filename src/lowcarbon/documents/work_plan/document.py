"""The annual work plan as a Word document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block, Heading, Paragraph, Placeholder
from ..formatting import trimmed
from ..plan.inputs import PlanInput
from ..task_list.document import document_fields, subtitle, write_docx
from ..task_list.workbook import write_workbook
from .contents import Translate, WorkPlan, build_work_plan
from .grids import (
    _active_grid,
    _indicator_grid,
    _reduction_grid,
    _schedule_grid,
    _target_grid,
    work_plan_grids,
)


def work_plan_blocks(work: WorkPlan, _: Translate) -> list[Block]:
    blocks: list[Block] = []
    year = work.year
    blocks.append(Heading(1, "一、", _(gettext_noop("Targets of the year"))))
    if work.targets and work.targets_year == year:
        blocks.append(
            Paragraph(
                _(gettext_noop("In {year} the following staged targets are to be reached.")).format(
                    year=year
                )
            )
        )
    elif work.targets:
        blocks.append(
            Paragraph(
                _(
                    gettext_noop(
                        "No staged target falls in {year}; the work of the year prepares the next "
                        "staged targets, of {next}."
                    )
                ).format(year=year, next=work.targets_year)
            )
        )
    else:
        blocks.append(
            Placeholder(
                _(
                    gettext_noop(
                        "To be completed: no staged target for {year} or later (add the targets "
                        "under Baseline data)"
                    )
                ).format(year=year)
            )
        )
    if work.targets:
        blocks.append(_target_grid(work, _).block())
    if work.indicators:
        blocks.append(_indicator_grid(work, _).block())
    blocks.append(Heading(1, "二、", _(gettext_noop("Tasks and projects of the year"))))
    entries = [i.entry for i in work.active]
    blocks.append(
        Paragraph(
            _(
                gettext_noop(
                    "{count} tasks and projects are under way in {year}, of which {key} key "
                    "projects and {near_zero} near-zero-carbon demonstration projects."
                )
            ).format(
                count=len(entries),
                year=year,
                key=sum(1 for e in entries if e.key_project),
                near_zero=sum(1 for e in entries if e.near_zero),
            )
        )
    )
    if work.operating:
        blocks.append(
            Paragraph(
                _(
                    gettext_noop(
                        "Besides, {count} tasks and projects completed earlier keep reducing "
                        "emissions in {year} ({tco2} tCO₂ counted in the year): {names}."
                    )
                ).format(
                    count=len(work.operating),
                    year=year,
                    tco2=trimmed(
                        sum((o.counted_tco2 or Decimal(0) for o in work.operating), Decimal(0))
                    ),
                    names="、".join(o.entry.name for o in work.operating),
                )
            )
        )
    blocks.append(_active_grid(work, _).block())
    if work.undated:
        blocks.append(
            Paragraph(
                _(
                    gettext_noop(
                        "Tasks of the plan without a year, to be scheduled by the responsible "
                        "units: {names}."
                    )
                ).format(names="、".join(e.name for e in work.undated)),
                style="note",
            )
        )
    blocks.append(Heading(1, "三、", _(gettext_noop("Schedule by quarter"))))
    if work.schedule:
        blocks.append(_schedule_grid(work, _).block())
    else:
        blocks.append(
            Paragraph(
                _(
                    gettext_noop(
                        "The plan's schedule has no dated stage in {year}; the tasks above are "
                        "carried out over the whole year."
                    )
                ).format(year=year)
            )
        )
    blocks.append(Heading(1, "四、", _(gettext_noop("Expected reduction of the year"))))
    forecast = work.forecast
    if forecast is None:
        blocks.append(
            Placeholder(
                _(
                    gettext_noop(
                        "To be completed: the plan forecast has no year {year} (add targets or "
                        "tasks under Baseline data)"
                    )
                ).format(year=year)
            )
        )
    else:
        blocks.append(
            Paragraph(
                _(
                    gettext_noop(
                        "In {year} the plan forecast expects emissions of {plan} tCO₂: {bau} "
                        "tCO₂ in business as usual less {reduction} tCO₂ of task reductions."
                    )
                ).format(
                    year=year,
                    plan=trimmed(forecast.emissions_tco2),
                    bau=trimmed(forecast.bau.emissions_tco2),
                    reduction=trimmed(forecast.reduction_tco2),
                )
            )
        )
        blocks.append(_reduction_grid(work, _).block())
    return blocks


def write_work_plan(
    plan: PlanInput, year: int, out: Path, _: Translate, *, template: Path | None = None
) -> WorkPlan:
    """Write the work plan of ``year`` to ``out``: a spreadsheet for ``.xlsx``, else Word."""
    work = build_work_plan(plan, year, _)
    if out.suffix.lower() == ".xlsx":
        write_workbook(work.title, subtitle(plan, _), work_plan_grids(work, _), out)
    else:
        write_docx(
            document_fields(plan, work.title, _), work_plan_blocks(work, _), out, _, template
        )
    return work
