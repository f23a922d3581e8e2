"""The plan scenario (规划情景, §9): business as usual less the tasks' reductions, each ramped up
linearly and counted after removing double counting (:func:`forecast_plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ..activity import SourceKey, Task
from ..messages import Message, gettext_noop
from ..records import quick_init
from .double_counting import _Group, _remove_double_counting
from .errors import ForecastError, TaskError
from .projection import YearProjection
from .quantities import _ZERO, _shown, source_label, to_decimal, to_places

__all__ = [
    "Overlap",
    "PlanForecast",
    "PlanYear",
    "TaskEffect",
    "forecast_plan",
    "ramp_fraction",
]


def _check_task(task: Task) -> None:
    problem: str | None = None
    if task.annual_reduction_tco2 < 0:
        problem = gettext_noop("the annual reduction cannot be negative")
    elif task.ramp_years < 1:
        problem = gettext_noop("the ramp-up must last at least one year")
    elif task.adds_renewable_kwh < 0 or task.adds_sink_tco2 < 0:
        problem = gettext_noop("added renewable electricity and sinks cannot be negative")
    elif task.annual_reduction_tco2 > 0 and not task.acts_on:
        # The double-counting guard (§9) needs to know whose emissions a task reduces.
        problem = gettext_noop("a task that reduces emissions must name the sources it acts on")
    if problem is not None:
        raise TaskError(task.id, Message(problem))


def _check_tasks(tasks: Sequence[Task]) -> None:
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            raise TaskError(task.id, Message(gettext_noop("two tasks have this id")))
        seen.add(task.id)
        _check_task(task)


def _ramp(start_year: int, ramp_years: int, year: int) -> Fraction:
    """Share of the task's full annual effect reached in ``year``: nothing before its start,
    then 1/ramp, 2/ramp … and the full effect from start + ramp − 1 on (the linear ramp-up
    follows 重点项目及进度安排, 附件1 三、3)."""
    if year < start_year:
        return Fraction(0)
    return Fraction(min(year - start_year + 1, ramp_years), ramp_years)


@lru_cache(maxsize=4096)
def _share(start_year: int, ramp_years: int, year: int, base_year: int) -> tuple[Fraction, Decimal]:
    """ramp_fraction and it in per cent, rounded: the same few values recur for every unit."""
    share = _ramp(start_year, ramp_years, year) - _ramp(start_year, ramp_years, base_year)
    return share, to_decimal(share * 100)


def ramp_fraction(task: Task, year: int, base_year: int) -> Fraction:
    """Share of ``task``'s full effect that the plan counts in ``year``.

    It is the ramp reached in ``year`` less the ramp already reached in the base year. The base
    inventory is measured, so it already contains whatever a task achieved by then (§9).
    """
    return _share(task.start_year, task.ramp_years, year, base_year)[0]


@quick_init
@dataclass(frozen=True)
class TaskEffect:
    """What one task claims in one year and what is counted after removing double counting."""

    task: Task
    year: int
    share_pct: Decimal  # share of its full effect counted this year (ramp-up)
    requested_tco2: Decimal
    counted_tco2: Decimal
    renewable_kwh: Decimal
    sink_tco2: Decimal

    @property
    def removed_tco2(self) -> Decimal:
        return self.requested_tco2 - self.counted_tco2

    @property
    def explanation(self) -> Message:
        return Message(
            gettext_noop(
                "task '{task}' {year}: {share} % of its full {annual} tCO2 a year (from "
                "{start}, in full from {full}) = {requested} tCO2 claimed, {counted} tCO2 counted "
                "after removing double counting"
            ),
            {
                "task": self.task.id,
                "year": self.year,
                "share": _shown(self.share_pct),
                "annual": self.task.annual_reduction_tco2,
                "start": self.task.start_year,
                "full": self.task.start_year + self.task.ramp_years - 1,
                "requested": _shown(self.requested_tco2),
                "counted": _shown(self.counted_tco2),
            },
        )


@dataclass(frozen=True)
class Overlap:
    """Tasks that together claim more than their sources emit in one year (double counting, §9).

    ``sources`` are the sources these tasks act on, and ``bau_tco2`` is what those sources emit
    in business as usual. ``available_tco2`` is the part still free after the claims of tasks
    that overlap even more have been counted first. Every task of the group keeps the same
    share ``scale_pct`` of its claim.
    """

    year: int
    task_ids: tuple[str, ...]
    sources: tuple[SourceKey, ...]
    bau_tco2: Decimal
    available_tco2: Decimal
    requested_tco2: Decimal
    counted_tco2: Decimal
    scale_pct: Decimal

    @property
    def removed_tco2(self) -> Decimal:
        return self.requested_tco2 - self.counted_tco2

    @property
    def message(self) -> Message:
        return Message(
            gettext_noop(
                "{year}: tasks {tasks} claim {requested} tCO2 from {sources}, which emit "
                "{bau} tCO2 in business as usual, {available} tCO2 of it left by other tasks; "
                "{removed} tCO2 of double counting removed, each claim scaled to {scale} %"
            ),
            {
                "year": self.year,
                "tasks": list(self.task_ids),
                "requested": _shown(self.requested_tco2),
                "sources": [source_label(s) for s in self.sources],
                "bau": _shown(self.bau_tco2),
                "available": _shown(self.available_tco2),
                "removed": _shown(self.removed_tco2),
                "scale": _shown(self.scale_pct),
            },
        )


@quick_init
@dataclass(frozen=True)
class PlanYear:
    """The plan in one year: business as usual less the counted task reductions.

    Energy and electricity stay as in business as usual: a task states its effect in tCO2, not
    in tce, so the denominator of the renewable share is not lowered (a conservative choice).
    """

    bau: YearProjection
    effects: tuple[TaskEffect, ...]
    overlaps: tuple[Overlap, ...]
    reduction_tco2: Decimal
    emissions_tco2: Decimal
    renewable_tce: Decimal
    renewable_kwh: Decimal
    sinks_tco2: Decimal

    @property
    def year(self) -> int:
        return self.bau.year

    @property
    def energy_tce(self) -> Decimal:
        return self.bau.energy_tce

    @property
    def electricity_kwh(self) -> Decimal:
        return self.bau.electricity_kwh

    def effect(self, task_id: str) -> TaskEffect:
        """The effect of the task ``task_id`` this year; KeyError when there is no such task."""
        for effect in self.effects:
            if effect.task.id == task_id:
                return effect
        raise KeyError(task_id)

    @property
    def explanation(self) -> Message:
        return Message(
            gettext_noop(
                "plan {year}: business as usual {bau} tCO2 − task reductions {reduction} tCO2 "
                "= {plan} tCO2"
            ),
            {
                "year": self.year,
                "bau": _shown(self.bau.emissions_tco2),
                "reduction": _shown(self.reduction_tco2),
                "plan": _shown(self.emissions_tco2),
            },
        )


@dataclass(frozen=True)
class PlanForecast:
    """The plan scenario (规划情景) for every projected year, with the tasks it counts."""

    base_year: int
    tasks: tuple[Task, ...]
    years: tuple[PlanYear, ...]
    notes: tuple[Message, ...]

    def get(self, year: int) -> PlanYear | None:
        return next((y for y in self.years if y.year == year), None)


def _check_projections(bau: Sequence[YearProjection]) -> int:
    if not bau:
        raise ForecastError(
            Message(gettext_noop("the plan needs a business-as-usual forecast with one year")),
            code="forecast_empty",
        )
    base_years = {p.base_year for p in bau}
    years = [p.year for p in bau]
    if len(base_years) > 1 or len(set(years)) != len(years):
        raise ForecastError(
            Message(
                gettext_noop(
                    "the business-as-usual years {years} do not form one forecast "
                    "(base years {base_years})"
                ),
                {"years": years, "base_years": sorted(base_years)},
            ),
            code="forecast_inconsistent",
        )
    return base_years.pop()


def _plan_notes(tasks: Sequence[Task], known: set[SourceKey], base_year: int) -> list[Message]:
    notes: list[Message] = []
    for task in tasks:
        unknown = [s for s in task.acts_on if s not in known]
        if unknown:
            notes.append(
                Message(
                    gettext_noop(
                        "task '{task}' acts on {sources}, which the base-year inventory does not "
                        "have: no reduction can be counted there"
                    ),
                    {"task": task.id, "sources": [source_label(s) for s in unknown]},
                )
            )
        if task.start_year <= base_year:
            notes.append(
                Message(
                    gettext_noop(
                        "task '{task}' starts in {start}, not after the base year {base_year}: "
                        "only the effect it adds after the base year counts, the rest is already "
                        "in the base-year inventory"
                    ),
                    {"task": task.id, "start": task.start_year, "base_year": base_year},
                )
            )
    return notes


_WHOLE = Fraction(1)
_NONE = to_places(0, 1)


def _part(value: Decimal, share: Fraction, *, down: bool = False) -> Decimal:
    """``value × share`` rounded (to_decimal), on the integers of their ratios."""
    if not value or not share:
        return _NONE  # what to_places gives for 0, without the arithmetic
    numerator, denominator = value.as_integer_ratio()
    return to_places(numerator * share.numerator, denominator * share.denominator, down=down)


def _claims_fit(
    tasks: Sequence[Task], requested: Mapping[str, Decimal], emitted: Mapping[SourceKey, Decimal]
) -> bool:
    """Whether no two claiming tasks share a source and each claims no more than its sources
    emit. Every group of tasks then claims at most what its sources emit (their sources are
    apart): nothing is double counted and the minimum cuts need not be searched."""
    seen: set[SourceKey] = set()
    for task in tasks:
        claim = requested[task.id]
        if claim <= 0:
            continue  # claims nothing this year
        sources = frozenset(task.acts_on)
        if not seen.isdisjoint(sources) or claim > sum(
            (emitted.get(s, _ZERO) for s in sources), _ZERO
        ):
            return False
        seen |= sources
    return True


def _plan_year(projection: YearProjection, tasks: Sequence[Task]) -> PlanYear:
    year, base_year = projection.year, projection.base_year
    percent = {}
    shares = {}
    for task in tasks:
        shares[task.id], percent[task.id] = _share(
            task.start_year, task.ramp_years, year, base_year
        )
    requested = {task.id: _part(task.annual_reduction_tco2, shares[task.id]) for task in tasks}
    emitted = projection.emissions_by_source
    scale: dict[str, Fraction] = {}
    groups: list[_Group] = []
    if not _claims_fit(tasks, requested, emitted):
        capacity = {s: Fraction(emitted.get(s, _ZERO)) for t in tasks for s in t.acts_on}
        scale, groups = _remove_double_counting(
            {t: Fraction(c) for t, c in requested.items()},
            {t.id: frozenset(t.acts_on) for t in tasks},
            capacity,
        )
    counted = {
        # A claim kept whole is counted as it is (already rounded); a scaled one rounded down.
        task_id: claim
        if (share := scale.get(task_id, _WHOLE)) == 1
        else _part(claim, share, down=True)
        for task_id, claim in requested.items()
    }
    effects = tuple(
        TaskEffect(
            task=task,
            year=year,
            share_pct=percent[task.id],
            requested_tco2=requested[task.id],
            counted_tco2=counted[task.id],
            renewable_kwh=_part(task.adds_renewable_kwh, shares[task.id]),
            sink_tco2=_part(task.adds_sink_tco2, shares[task.id]),
        )
        for task in tasks
    )
    by_id = {task.id: task for task in tasks}
    overlaps = []
    for group_tasks, group_sources, share in groups:
        declared = sorted({s for t in group_tasks for s in by_id[t].acts_on})
        overlaps.append(
            Overlap(
                year=year,
                task_ids=tuple(sorted(group_tasks)),
                sources=tuple(declared),
                bau_tco2=sum((emitted.get(s, _ZERO) for s in declared), _ZERO),
                available_tco2=sum((emitted.get(s, _ZERO) for s in group_sources), _ZERO),
                requested_tco2=sum((requested[t] for t in group_tasks), _ZERO),
                counted_tco2=sum((counted[t] for t in group_tasks), _ZERO),
                scale_pct=to_decimal(share * 100),
            )
        )
    reduction = sum((e.counted_tco2 for e in effects), _ZERO)
    added_kwh = sum((e.renewable_kwh for e in effects), _ZERO)
    kwh_n, kwh_d = added_kwh.as_integer_ratio()
    per_kwh_n, per_kwh_d = projection.renewable_tce_per_kwh.as_integer_ratio()
    # added_kwh × the conversion, rounded as to_decimal() rounds their exact product.
    added_tce = to_places(kwh_n * per_kwh_n, kwh_d * per_kwh_d)
    return PlanYear(
        bau=projection,
        effects=effects,
        overlaps=tuple(overlaps),
        reduction_tco2=reduction,
        emissions_tco2=projection.emissions_tco2 - reduction,
        renewable_tce=projection.renewable_tce + added_tce,
        renewable_kwh=projection.renewable_kwh + added_kwh,
        sinks_tco2=projection.sinks_tco2 + sum((e.sink_tco2 for e in effects), _ZERO),
    )


def forecast_plan(bau: Sequence[YearProjection], tasks: Sequence[Task]) -> PlanForecast:
    """The plan scenario (规划情景, §9): business as usual less the tasks' counted reductions.

    A task counts nothing before its start year and ramps up linearly to its full annual
    reduction, reached in start + ramp − 1. Claims that exceed what their sources emit in
    business as usual are removed as double counting (see :class:`Overlap`), so plan emissions
    never fall below zero. Renewable electricity and sinks that tasks add ramp up in the same way.
    """
    base_year = _check_projections(bau)
    _check_tasks(tasks)
    known = {s.source for s in bau[0].sources}
    years = tuple(_plan_year(projection, tasks) for projection in sorted(bau, key=lambda p: p.year))
    return PlanForecast(
        base_year=base_year,
        tasks=tuple(tasks),
        years=years,
        notes=tuple(_plan_notes(tasks, known, base_year)),
    )
