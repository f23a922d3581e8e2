"""The work plan's parts as tables: targets, indicators, entries under way, schedule by quarter
and expected reduction.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from lowcarbon.core.activity import TargetKind
from lowcarbon.core.labels import TARGET
from lowcarbon.core.messages import gettext_noop

from ..formatting import places_needed
from ..task_list.entries import ScheduleStage
from ..task_list.grid import Cell, Grid, flags
from .contents import Translate, WorkPlan

_UNITS: dict[TargetKind, str] = {
    TargetKind.TOTAL: "tCO₂",
    TargetKind.DECLINE_RATE: "%",
    TargetKind.PER_CAPITA: gettext_noop("tCO₂ per person"),
    TargetKind.PER_CAPITA_DECLINE_RATE: "%",
    TargetKind.INTENSITY_GDP: gettext_noop("tCO₂ per 10⁴ yuan"),
    TargetKind.RENEWABLE_SHARE: "%",
    TargetKind.SOURCE_SINK_RATIO: "",
}


def shown_reached(reached: Decimal, target: Decimal) -> Decimal:
    """What the plan reaches, at the target's precision (two decimals at least), and with more
    only where rounding would make it read equal to a target it misses or beats: 0.7009 against
    a target of 0.7 shows 0.701, never 0.70 beside 未达标."""
    places = max(2, places_needed(target))
    while places < 6 and reached != target and _rounded(reached, places) == target:
        places += 1
    return _rounded(reached, places)


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _target_grid(work: WorkPlan, _: Translate) -> Grid:
    rows: list[list[Cell]] = []
    for item in work.targets:
        target = item.target
        unit = _UNITS.get(target.kind, "")
        verdict = (
            "—"
            if item.met is None
            else _(gettext_noop("met"))
            if item.met
            else _(gettext_noop("not met"))
        )
        rows.append(
            [
                _(TARGET.get(target.kind.value, target.kind.value)),
                str(target.year),
                _(gettext_noop("overall")) if target.overall else _(gettext_noop("sub-indicator")),
                target.value,
                _(unit) if unit else "",
                None if item.reached is None else shown_reached(item.reached, target.value),
                verdict,
                target.note,
            ]
        )
    return Grid(
        caption=_(gettext_noop("Staged targets of {year}")).format(year=work.targets_year),
        header=[
            _(gettext_noop("Target")),
            _(gettext_noop("Year")),
            _(gettext_noop("Kind")),
            _(gettext_noop("Target value")),
            _(gettext_noop("Unit")),
            _(gettext_noop("Plan reaches")),
            _(gettext_noop("Verdict")),
            _(gettext_noop("Note")),
        ],
        rows=rows,
        numeric=frozenset({3, 5}),
        widths=(1.6, 0.8, 1, 1, 1, 1, 0.9, 2.4),
        note=_(
            gettext_noop(
                "Staged targets of the baseline data (附件2 三: 针对总体目标和分项指标，制定分阶段"
                "目标); “plan reaches” is the plan forecast of that year."
            )
        ),
        sheet=_(gettext_noop("Targets")),
    )


def _indicator_grid(work: WorkPlan, _: Translate) -> Grid:
    rows: list[list[Cell]] = [
        [
            stage.indicator,
            stage.unit,
            "" if stage.baseline_year is None else str(stage.baseline_year),
            stage.baseline_value,
            stage.value,
            _(gettext_noop("final target")) if stage.final else _(gettext_noop("staged target")),
        ]
        for stage in work.indicators
    ]
    return Grid(
        caption=_(gettext_noop("Indicator system: values to reach in {year}")).format(
            year=work.year
        ),
        header=[
            _(gettext_noop("Indicator")),
            _(gettext_noop("Unit")),
            _(gettext_noop("Baseline year")),
            _(gettext_noop("Baseline value")),
            _(gettext_noop("Value for {year}")).format(year=work.year),
            _(gettext_noop("Kind")),
        ],
        rows=rows,
        numeric=frozenset({3, 4}),
        widths=(2.4, 1, 1, 1.2, 1.2, 1.2),
        sheet=_(gettext_noop("Indicators")),
    )


def _stage_text(stages: Sequence[ScheduleStage], _: Translate) -> str:
    return "；".join(
        _(gettext_noop("{stage} ({start} to {end})")).format(
            stage=s.stage or s.project, start=s.start.isoformat(), end=s.end.isoformat()
        )
        + (f"：{s.milestone}" if s.milestone else "")
        for s in stages
    )


def _active_grid(work: WorkPlan, _: Translate) -> Grid:
    labels = {e.number: g.label for g in work.task_list.groups for e in g.entries}
    rows: list[list[Cell]] = []
    for number, item in enumerate(work.active, start=1):
        entry = item.entry
        content = "；".join(p for p in (entry.content, _stage_text(item.stages, _)) if p)
        rows.append(
            [
                number,
                labels.get(entry.number, ""),
                entry.name,
                content,
                entry.responsible,
                entry.deadline,
                item.counted_tco2 if item.counted_tco2 is not None else "—",
                flags(entry, _),
            ]
        )
    total = sum((i.counted_tco2 for i in work.active if i.counted_tco2 is not None), Decimal(0))
    rows.append(["", "", _(gettext_noop("Total")), "", "", "", total, ""])
    return Grid(
        caption=_(gettext_noop("Tasks and projects under way in {year}")).format(year=work.year),
        header=[
            _(gettext_noop("No.")),
            _(gettext_noop("Field")),
            _(gettext_noop("Task or project")),
            _(gettext_noop("Work of the year")),
            _(gettext_noop("Responsible unit")),
            _(gettext_noop("Completion")),
            _(gettext_noop("Reduction in {year} (tCO₂)")).format(year=work.year),
            _(gettext_noop("Key project / near-zero-carbon demonstration")),
        ],
        rows=rows,
        numeric=frozenset({0, 6}),
        widths=(0.6, 1.0, 2.4, 3.0, 1.5, 1.1, 1.2, 1.3),
        note=_(
            gettext_noop(
                "Under way: started and not yet completed in the year (completion: the schedule's "
                "last date, the key project's end year, or the year the task reaches its full "
                "effect). The reduction is the task's effect counted in the year's forecast."
            )
        ),
        emphasis=frozenset({len(rows) - 1}),
        sheet=_(gettext_noop("Tasks of the year")),
    )


def _schedule_grid(work: WorkPlan, _: Translate) -> Grid:
    mark = "●"
    rows: list[list[Cell]] = [
        [
            number,
            stage.project,
            stage.stage,
            stage.start.isoformat(),
            stage.end.isoformat(),
            *[mark if q else "" for q in covered],
            stage.milestone,
        ]
        for number, (stage, covered) in enumerate(work.schedule, start=1)
    ]
    return Grid(
        caption=_(gettext_noop("Schedule of {year} by quarter")).format(year=work.year),
        header=[
            _(gettext_noop("No.")),
            _(gettext_noop("Project or task")),
            _(gettext_noop("Stage")),
            _(gettext_noop("Start")),
            _(gettext_noop("End")),
            _(gettext_noop("Q1")),
            _(gettext_noop("Q2")),
            _(gettext_noop("Q3")),
            _(gettext_noop("Q4")),
            _(gettext_noop("Milestone")),
        ],
        rows=rows,
        numeric=frozenset({0}),
        widths=(0.5, 2.2, 1.2, 1.3, 1.3, 0.5, 0.5, 0.5, 0.5, 2),
        note=_(gettext_noop("● the stage is under way in that quarter (附件1 三、3. 进度安排).")),
        sheet=_(gettext_noop("Schedule")),
    )


def _reduction_grid(work: WorkPlan, _: Translate) -> Grid:
    year = work.forecast
    assert year is not None
    rows: list[list[Cell]] = [
        [
            effect.task.name,
            effect.share_pct.quantize(Decimal("0.1")),
            effect.requested_tco2,
            effect.counted_tco2,
        ]
        for effect in year.effects
    ]
    rows.append(
        [
            _(gettext_noop("Total")),
            "",
            sum((e.requested_tco2 for e in year.effects), Decimal(0)),
            year.reduction_tco2,
        ]
    )
    return Grid(
        caption=_(gettext_noop("Expected reduction in {year} by task")).format(year=work.year),
        header=[
            _(gettext_noop("Task")),
            _(gettext_noop("Share of the full effect (%)")),
            _(gettext_noop("Claimed (tCO₂)")),
            _(gettext_noop("Counted (tCO₂)")),
        ],
        rows=rows,
        numeric=frozenset({1, 2, 3}),
        widths=(4, 1.4, 1.4, 1.4),
        note=_(
            gettext_noop(
                "From the plan forecast: a task counts the share of its full effect reached in "
                "the year since the base year; claims on the same sources beyond what they emit "
                "are removed (double counting)."
            )
        ),
        emphasis=frozenset({len(rows) - 1}),
        sheet=_(gettext_noop("Reductions")),
    )


def work_plan_grids(work: WorkPlan, _: Translate) -> list[Grid]:
    grids = []
    if work.targets:
        grids.append(_target_grid(work, _))
    if work.indicators:
        grids.append(_indicator_grid(work, _))
    grids.append(_active_grid(work, _))
    if work.schedule:
        grids.append(_schedule_grid(work, _))
    if work.forecast is not None:
        grids.append(_reduction_grid(work, _))
    return grids
