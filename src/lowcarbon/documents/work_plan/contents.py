"""What a work plan says for its year: targets, indicator stages, entries under way, schedule and
reductions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lowcarbon.core.activity import Target
from lowcarbon.core.forecast.plan import PlanYear
from lowcarbon.core.messages import gettext_noop
from lowcarbon.core.targets.report import TargetCheck

from ..formatting import trimmed
from ..plan.inputs import PlanInput
from ..task_list.collecting import as_year, build_task_list
from ..task_list.entries import ScheduleStage, TaskEntry, TaskList

Translate = Callable[[str], str]


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
