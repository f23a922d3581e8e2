"""The annual work plan (年度工作计划) of one year, from the same data as the plan.

A creation area works to its plan year by year; the district asks each year for the work plan
of the coming year. It says, for that year:

* **the targets** — the staged targets of the baseline data for that year (附件2 三 "针对总体
  目标和分项指标，制定分阶段目标"), with what the plan forecast reaches, and the rows of the
  outline's indicator system (``indicator_system``, 附件1/附件3 三、1.) whose staged or final target
  year it is. When no target falls in the year, the next staged targets are shown as such;
* **the tasks and projects under way** — every entry of the task list
  (:mod:`lowcarbon.documents.task_list`, whose rule for matching the sources applies) whose start
  year is not after the year and whose completion year is not before it. The completion year is
  the later of the key project's end year and the schedule's last end date, else the year a task
  of the baseline data reaches its full effect (start year + ramp − 1: after it, the task works
  without further construction). Entries without any year (a list item that matches no task)
  cannot be scheduled; they are named in a note and a warning;
* **the schedule by quarter** — the stages of ``project_schedule`` (附件1 三、3. 进度安排) that
  overlap the year, with the quarters they cover;
* **the expected reduction** — the plan forecast's year row (business as usual, task
  reductions after removing double counting, plan emissions) and each task's counted effect
  that year, from :func:`lowcarbon.core.accounting.run_accounting`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from lowcarbon.core.activity import Target, TargetKind
from lowcarbon.core.forecast.plan import PlanYear
from lowcarbon.core.labels import TARGET
from lowcarbon.core.messages import gettext_noop
from lowcarbon.core.targets.report import TargetCheck

from .blocks import Block, Heading, Paragraph, Placeholder
from .formatting import places_needed, trimmed
from .plan import PlanInput
from .task_list import (
    Cell,
    Grid,
    ScheduleStage,
    TaskEntry,
    TaskList,
    as_year,
    build_task_list,
    document_fields,
    flags,
    subtitle,
    write_docx,
    write_workbook,
)

__all__ = [
    "ActiveEntry",
    "IndicatorStage",
    "WorkPlan",
    "YearTarget",
    "build_work_plan",
    "quarters",
    "shown_reached",
    "work_plan_blocks",
    "work_plan_grids",
    "write_work_plan",
]

Translate = Callable[[str], str]

_UNITS: dict[TargetKind, str] = {
    TargetKind.TOTAL: "tCO₂",
    TargetKind.DECLINE_RATE: "%",
    TargetKind.PER_CAPITA: gettext_noop("tCO₂ per person"),
    TargetKind.PER_CAPITA_DECLINE_RATE: "%",
    TargetKind.INTENSITY_GDP: gettext_noop("tCO₂ per 10⁴ yuan"),
    TargetKind.RENEWABLE_SHARE: "%",
    TargetKind.SOURCE_SINK_RATIO: "",
}


@dataclass(frozen=True)
class YearTarget:
    """A staged target of the baseline data, with what the plan forecast reaches."""

    target: Target
    reached: Decimal | None  # None without a forecast
    met: bool | None


@dataclass(frozen=True)
class IndicatorStage:
    """A row of the outline's indicator system whose staged or final target falls in the year."""

    indicator: str
    unit: str
    baseline_year: int | None
    baseline_value: str
    value: str
    final: bool  # the final target (目标年) rather than a staged target (阶段目标年)


@dataclass(frozen=True)
class ActiveEntry:
    entry: TaskEntry
    counted_tco2: Decimal | None  # the task's effect counted in the year's forecast
    share_pct: Decimal | None
    stages: tuple[ScheduleStage, ...]  # its schedule stages overlapping the year


@dataclass(frozen=True)
class WorkPlan:
    year: int
    title: str
    targets: tuple[YearTarget, ...]  # of the year; else the next staged targets
    targets_year: int | None  # the year of ``targets`` (the next one when none is in the year)
    indicators: tuple[IndicatorStage, ...]
    active: tuple[ActiveEntry, ...]
    undated: tuple[TaskEntry, ...]
    schedule: tuple[tuple[ScheduleStage, tuple[bool, bool, bool, bool]], ...]
    forecast: PlanYear | None
    task_list: TaskList
    warnings: tuple[str, ...]
    # Tasks completed before the year whose effect the year's forecast still counts: the
    # reductions of the year come from them too.
    operating: tuple[ActiveEntry, ...] = ()


def quarters(stage: ScheduleStage, year: int) -> tuple[bool, bool, bool, bool]:
    """Which quarters of ``year`` the stage covers (a day in the quarter is enough)."""
    covered = []
    for quarter in range(4):
        first = date(year, 3 * quarter + 1, 1)
        last = date(year + 1, 1, 1) if quarter == 3 else date(year, 3 * quarter + 4, 1)
        covered.append(stage.start < last and stage.end >= first)
    return covered[0], covered[1], covered[2], covered[3]


def _overlaps(stage: ScheduleStage, year: int) -> bool:
    return stage.start.year <= year <= stage.end.year


def _indicator_stages(plan: PlanInput, year: int) -> list[IndicatorStage]:
    rows = plan.sections.get("indicator_system")
    if plan.outline.element("indicator_system") is None or not isinstance(rows, list):
        return []
    found = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        for year_key, value_key, final in (
            ("stage_year", "stage_value", False),
            ("target_year", "target_value", True),
        ):
            if as_year(row.get(year_key)) == year and row.get(value_key) not in (None, ""):
                found.append(
                    IndicatorStage(
                        indicator=str(row.get("indicator") or ""),
                        unit=str(row.get("unit") or ""),
                        baseline_year=as_year(row.get("baseline_year")),
                        baseline_value=_cell(row.get("baseline_value")),
                        value=_cell(row.get(value_key)),
                        final=final,
                    )
                )
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return trimmed(value, 4)
    return str(value)


def _year_targets(plan: PlanInput, year: int) -> tuple[list[YearTarget], int | None]:
    accounting = plan.accounting
    if accounting is None:
        return [], None
    targets = accounting.input.targets
    chosen = year if any(t.year == year for t in targets) else None
    if chosen is None:
        chosen = min((t.year for t in targets if t.year > year), default=None)
    if chosen is None:
        return [], None
    checks: Sequence[TargetCheck] = (
        accounting.forecast.targets.checks if accounting.forecast is not None else ()
    )
    result = []
    for target in targets:
        if target.year != chosen:
            continue
        check = next((c for c in checks if c.target == target), None)
        result.append(
            YearTarget(
                target,
                None if check is None else check.reached,
                None if check is None else check.met,
            )
        )
    return result, chosen


def build_work_plan(plan: PlanInput, year: int, _: Translate) -> WorkPlan:
    """The work plan of ``year`` (no file is written)."""
    tasks = build_task_list(plan, _)
    warnings = list(tasks.warnings)
    accounting = plan.accounting
    forecast = (
        accounting.forecast.plan.get(year)
        if accounting is not None and accounting.forecast is not None
        else None
    )
    if forecast is None:
        warnings.append(
            _(
                gettext_noop(
                    "The plan forecast has no year {year}: the expected reduction of the year is "
                    "missing (the forecast runs from the base year to the last target year)."
                )
            ).format(year=year)
        )
    active = []
    operating: list[ActiveEntry] = []
    undated = []
    for entry in tasks.entries:
        if entry.start_year is None or entry.end_year is None:
            undated.append(entry)
            continue
        if entry.start_year > year:
            continue
        effect = None
        if forecast is not None and entry.task_id is not None:
            effect = next((e for e in forecast.effects if e.task.id == entry.task_id), None)
        found = ActiveEntry(
            entry,
            None if effect is None else effect.counted_tco2,
            None if effect is None else effect.share_pct,
            tuple(s for s in entry.schedule if _overlaps(s, year)),
        )
        if year <= entry.end_year:
            active.append(found)
        elif found.counted_tco2:
            operating.append(found)
    if undated:
        warnings.append(
            _(
                gettext_noop(
                    "{count} tasks have no year (not in the baseline data, the key projects or "
                    "the schedule) and are not scheduled in this work plan: {names}"
                )
            ).format(count=len(undated), names="、".join(e.name for e in undated))
        )
    targets, targets_year = _year_targets(plan, year)
    schedule = tuple(
        (stage, quarters(stage, year)) for stage in tasks.schedule if _overlaps(stage, year)
    )
    title = _(gettext_noop("{unit} {year} annual work plan of low-carbon development")).format(
        unit=plan.unit_name, year=year
    )
    return WorkPlan(
        year=year,
        title=title,
        targets=tuple(targets),
        targets_year=targets_year,
        indicators=tuple(_indicator_stages(plan, year)),
        active=tuple(active),
        undated=tuple(undated),
        schedule=schedule,
        forecast=forecast,
        task_list=tasks,
        warnings=tuple(warnings),
        operating=tuple(operating),
    )


# --- tables ---------------------------------------------------------------------------------


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
