"""Task and project reductions as calculations, and the plausibility of what tasks claim.

附件2 三 gives points to the reductions of the main tasks and to their consistency with the
overall target (任务碳减排量与总体目标衔接). A figure typed into a task proves nothing; this
module computes a task's annual reduction at full effect from how it arises (accounting-method.md
§9: "ΔE = baseline AD × EF − project AD × EF"):

* each :class:`~lowcarbon.core.activity.ReductionActivity` of the task is an amount of activity
  **avoided** (kWh or m³ saved, fuel no longer burnt) or **added** (charging electricity of
  converted vehicles, self-consumed PV, trees planted) a year at full effect;
* it is multiplied by the factor the locked set gives its category (with the usual trace), or by
  a project-specific factor that states its source and confidence;
* avoided emissions count positive, added ones negative; self-consumed on-site renewable
  electricity (PV) displaces grid electricity at the set's grid factor (§5.3) and adds renewable
  kWh; green space and trees add sinks, reported apart and never netted (§5.9).

A task with a typed figure and no activity keeps it, marked **declared, not computed**; it is
flagged wherever it is shown and the consistency verdict cannot say "衔接" on it.

:func:`claim_findings` turns silent wrong claims into findings with reasons: a declared figure;
a declared figure far from what its activities give; renewable electricity added with no
reduction stated, or a declared reduction above what that electricity could avoid at any grid
factor of the library; a claim above what the sources a task acts on emit in the base year; and,
ex post, task reductions far above the change the inventories show.

::

    LowcarbonError (core)
    └── ReductionError        an activity that cannot be turned into a reduction
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from weakref import WeakKeyDictionary

from .activity import (
    CATEGORY_NAMES,
    ActivityChange,
    ReductionActivity,
    SourceCategory,
    Task,
)
from .errors import LowcarbonError
from .factors import Confidence, FactorLibrary, FactorSet, ResolvedFactor
from .forecast import Baseline, PlanForecast
from .inventory import FUEL_CATEGORIES, SINK_LABELS
from .inventory.categories import _SINK_LOOKUP, _label_key
from .messages import Message, Term, gettext_noop
from .targets import TargetReport
from .units import UnitDimensionError, UnknownUnitError, apply_rate, convert, parse_unit

__all__ = [
    "DECLARED_TOLERANCE",
    "EX_POST_TOLERANCE",
    "ActivityEffect",
    "ReductionError",
    "ReductionStatus",
    "TaskReduction",
    "claim_findings",
    "compute_reductions",
    "describe_activity",
    "reconcile",
]

ZERO = Decimal(0)

#: A declared figure and the activities of the same task agree within this share (5 %).
DECLARED_TOLERANCE = Decimal("0.05")

#: Ex post, task reductions are "far from" the change between inventories when they exceed the
#: reduction the inventories show against business as usual by more than this share (10 %) of
#: that year's business-as-usual emissions. A team assumption: the business-as-usual projection
#: is itself uncertain by a few percent.
EX_POST_TOLERANCE = Decimal("0.10")

_EMISSION_CATEGORIES = frozenset(
    {
        SourceCategory.ELECTRICITY,
        SourceCategory.GREEN_ELECTRICITY,
        SourceCategory.HEAT,
        *FUEL_CATEGORIES,
    }
)
_SINK_CATEGORIES = frozenset(SINK_LABELS)
_ADDED_ONLY = frozenset(
    {SourceCategory.ONSITE_RENEWABLE_ELECTRICITY, *_SINK_CATEGORIES},
)
_TCO2 = parse_unit("tCO2")
_KWH = parse_unit("kWh")


class ReductionError(LowcarbonError):
    code = "reduction"

    def __init__(self, activity: ReductionActivity, problem: Message) -> None:
        self.task_id = activity.task_id
        super().__init__(
            Message(
                gettext_noop("task '{task}', activity {activity}: {problem}"),
                {
                    "task": activity.task_id,
                    "activity": describe_activity(activity),
                    "problem": problem,
                },
            )
        )


def describe_activity(activity: ReductionActivity) -> Message:
    """How messages name an activity: change, category, quantity and unit (and where read)."""
    return Message(
        gettext_noop("{change} {category} {quantity} {unit}{origin}"),
        {
            "change": Message(_CHANGE_NAMES[activity.change]),
            "category": Message(CATEGORY_NAMES[activity.category]),
            "quantity": activity.quantity,
            "unit": Term("unit", activity.unit),
            "origin": f" ({activity.origin})" if activity.origin else "",
        },
    )


_CHANGE_NAMES = {
    ActivityChange.AVOIDED: gettext_noop("avoided"),
    ActivityChange.ADDED: gettext_noop("added"),
}


class ReductionStatus(StrEnum):
    COMPUTED = "computed"  # activities × factors, with the trace
    DECLARED = "declared"  # a typed figure: declared, not computed
    NONE = "none"  # no reduction claimed (governance; sinks only)


@dataclass(frozen=True)
class ActivityEffect:
    """One line of a task's calculation: activity × factor = tCO2 (avoided +, added −)."""

    activity: ReductionActivity
    factor: ResolvedFactor | None  # from the locked set
    tco2: Decimal  # signed contribution to the task's reduction
    renewable_kwh: Decimal
    sink_tco2: Decimal
    explanation: Message

    @property
    def low_confidence(self) -> bool:
        if self.activity.factor is not None:
            return Confidence(self.activity.factor.confidence).is_low
        return self.factor is not None and self.factor.low_confidence


@dataclass(frozen=True)
class TaskReduction:
    """A task's annual reduction at full effect, how it was obtained, and what it adds."""

    task: Task
    status: ReductionStatus
    reduction_tco2: Decimal
    renewable_kwh: Decimal
    sink_tco2: Decimal
    effects: tuple[ActivityEffect, ...]
    declared_tco2: Decimal | None  # the typed figure, when the task states one

    @property
    def computed(self) -> bool:
        return self.status is ReductionStatus.COMPUTED

    @property
    def counted_task(self) -> Task:
        """The task as the forecast counts it: the computed figures replace the typed ones."""
        if not self.computed:
            return self.task
        task = self.task
        return Task(
            id=task.id,
            name=task.name,
            domain=task.domain,
            acts_on=task.acts_on,
            annual_reduction_tco2=self.reduction_tco2,
            start_year=task.start_year,
            ramp_years=task.ramp_years,
            key_project=task.key_project,
            near_zero_demonstration=task.near_zero_demonstration,
            adds_renewable_kwh=self.renewable_kwh,
            adds_sink_tco2=self.sink_tco2,
            reduction_stated=task.reduction_stated,
        )

    @property
    def explanation(self) -> Message:
        if self.status is ReductionStatus.DECLARED:
            return Message(
                gettext_noop(
                    "task '{task}': {tco2} tCO2 a year, declared, not computed (no activity "
                    "states how it arises)"
                ),
                {"task": self.task.id, "tco2": self.reduction_tco2},
            )
        if self.status is ReductionStatus.NONE:
            return Message(
                gettext_noop("task '{task}': no reduction claimed"), {"task": self.task.id}
            )
        return Message(
            gettext_noop("task '{task}': {lines} = {tco2} tCO2 a year at full effect"),
            {
                "task": self.task.id,
                "lines": [effect.explanation for effect in self.effects],
                "tco2": self.reduction_tco2,
            },
        )


@dataclass(frozen=True)
class _Context:
    library: FactorLibrary
    factor_set: FactorSet
    on: date


def _resolve(context: _Context, activity: ReductionActivity, category: str) -> ResolvedFactor:
    return context.library.resolve(context.factor_set.id, category, context.on)


def _sink_category(activity: ReductionActivity) -> str:
    target = _SINK_LOOKUP[activity.category].get(_label_key(activity.label))
    if target is None:
        raise ReductionError(
            activity,
            Message(
                gettext_noop("'{label}' names no sink factor; use one of: {accepted}"),
                {"label": activity.label, "accepted": list(SINK_LABELS[activity.category])},
            ),
        )
    return target


def _effect(context: _Context, activity: ReductionActivity) -> ActivityEffect:
    category = activity.category
    if activity.quantity <= 0 or not activity.quantity.is_finite():
        raise ReductionError(
            activity, Message(gettext_noop("the quantity must be a finite number above 0"))
        )
    if category in _ADDED_ONLY and activity.change is not ActivityChange.ADDED:
        raise ReductionError(
            activity,
            Message(
                gettext_noop(
                    "on-site renewable electricity, green space and trees can only be added"
                )
            ),
        )
    if category not in _EMISSION_CATEGORIES and category not in _ADDED_ONLY:
        raise ReductionError(
            activity,
            Message(
                gettext_noop(
                    "{category} has no inventory factor (not estimated, NE), so no reduction "
                    "can be computed from it"
                ),
                {"category": Message(CATEGORY_NAMES[category])},
            ),
        )
    sign = Decimal(1) if activity.change is ActivityChange.AVOIDED else Decimal(-1)
    renewable = sink = tco2 = ZERO
    resolved: ResolvedFactor | None = None
    project = activity.factor
    if category in _SINK_CATEGORIES:
        resolved = _resolve(context, activity, _sink_category(activity))
        sink = resolved.apply(activity.quantity, activity.unit, "tCO2/a")
        shown = resolved.explanation()
        template = gettext_noop("{activity} × {factor} = {tco2} tCO2 of sinks a year")
        amount = sink
    else:
        if category is SourceCategory.ONSITE_RENEWABLE_ELECTRICITY:
            # Self-consumed PV displaces grid electricity (§5.3): the grid factor applies.
            renewable = convert(activity.quantity, activity.unit, _KWH)
            sign, factor_category = Decimal(1), SourceCategory.ELECTRICITY.value
        else:
            factor_category = category.value
        if project is not None:
            magnitude = apply_rate(
                activity.quantity, activity.unit, project.value, project.unit, _TCO2
            )
            shown = Message(
                gettext_noop("{value} {unit} (project factor: {source}, confidence {confidence})"),
                {
                    "value": project.value,
                    "unit": Term("unit", project.unit),
                    "source": project.source,
                    "confidence": Term("confidence", project.confidence),
                },
            )
        else:
            resolved = _resolve(context, activity, factor_category)
            magnitude = resolved.apply(activity.quantity, activity.unit, _TCO2)
            shown = resolved.explanation()
        tco2 = sign * magnitude
        template = gettext_noop("{activity} × {factor} = {tco2} tCO2")
        amount = tco2
    return ActivityEffect(
        activity=activity,
        factor=resolved,
        tco2=tco2,
        renewable_kwh=renewable,
        sink_tco2=sink,
        explanation=Message(
            template,
            {"activity": describe_activity(activity), "factor": shown, "tco2": amount},
        ),
    )


def _checked_effect(context: _Context, activity: ReductionActivity) -> ActivityEffect:
    try:
        return _effect(context, activity)
    except (UnknownUnitError, UnitDimensionError) as error:
        raise ReductionError(activity, error.message) from error


def compute_reductions(
    tasks: Sequence[Task],
    activities: Iterable[ReductionActivity],
    library: FactorLibrary,
    set_id: str,
    year: int,
) -> tuple[TaskReduction, ...]:
    """Each task's reduction under set ``set_id`` (the factors in force for ``year``, the
    baseline year): computed from its activities, else its declared figure."""
    context = _Context(library, library.factor_set(set_id), date(year, 12, 31))
    by_task: dict[str, list[ReductionActivity]] = {}
    known = {task.id for task in tasks}
    for activity in activities:
        if activity.task_id not in known:
            raise ReductionError(
                activity,
                Message(
                    gettext_noop("no task has the id '{task}'; tasks: {tasks}"),
                    {"task": activity.task_id, "tasks": sorted(known)},
                ),
            )
        by_task.setdefault(activity.task_id, []).append(activity)
    results = []
    for task in tasks:
        declared = task.annual_reduction_tco2 if task.reduction_stated else None
        mine = by_task.get(task.id, [])
        if not mine:
            status = (
                ReductionStatus.DECLARED if task.annual_reduction_tco2 > 0 else ReductionStatus.NONE
            )
            results.append(
                TaskReduction(
                    task,
                    status,
                    task.annual_reduction_tco2,
                    task.adds_renewable_kwh,
                    task.adds_sink_tco2,
                    (),
                    declared,
                )
            )
            continue
        effects = tuple(_checked_effect(context, activity) for activity in mine)
        reduction = sum((effect.tco2 for effect in effects), ZERO)
        if reduction < 0:
            raise ReductionError(
                mine[0],
                Message(
                    gettext_noop(
                        "the activities of the task add {tco2} tCO2 a year more than they avoid; "
                        "a task that raises emissions is no reduction"
                    ),
                    {"tco2": -reduction},
                ),
            )
        renewable = sum((effect.renewable_kwh for effect in effects), ZERO)
        sinks = sum((effect.sink_tco2 for effect in effects), ZERO)
        results.append(
            TaskReduction(
                task,
                ReductionStatus.COMPUTED,
                reduction,
                # Activities that add renewables or sinks replace the typed figures (never both).
                renewable if any(e.renewable_kwh for e in effects) else task.adds_renewable_kwh,
                sinks if any(e.sink_tco2 for e in effects) else task.adds_sink_tco2,
                effects,
                declared,
            )
        )
    return tuple(results)


# Worked out once per library (which does not change once built).
_HIGHEST_GRID_FACTOR: WeakKeyDictionary[FactorLibrary, Decimal] = WeakKeyDictionary()


def _highest_grid_factor(library: FactorLibrary) -> Decimal:
    """The highest grid electricity factor of the library, in tCO2/kWh (any plausible factor)."""
    highest = _HIGHEST_GRID_FACTOR.get(library)
    if highest is None:
        highest = _HIGHEST_GRID_FACTOR[library] = _highest_of(library)
    return highest


def _highest_of(library: FactorLibrary) -> Decimal:
    return max(
        convert(value.value, value.unit, "tCO2/kWh")
        for factor in library.factors.values()
        if factor.family == "electricity" and factor.inventory_use
        for value in factor.values
        if value.value > 0
    )


def _finding(template: str, **params: object) -> Message:
    return Message(template, params)


def claim_findings(
    reductions: Sequence[TaskReduction],
    library: FactorLibrary,
    baseline: Baseline,
    plan: PlanForecast,
    observed: tuple[int, Decimal] | None = None,
) -> tuple[Message, ...]:
    """What is implausible about the tasks' claims, each with its reason (module docstring).

    ``baseline`` gives what each source emits in the base year; ``observed`` is (year, gross
    emissions of the inventory of that year, under the baseline's set) for the ex-post check
    against the plan's business as usual of that year.
    """
    findings: list[Message] = []
    highest = _highest_grid_factor(library)
    for result in reductions:
        task = result.task
        if result.status is ReductionStatus.DECLARED:
            findings.append(
                _finding(
                    gettext_noop(
                        "task '{task}': {tco2} tCO2 a year is declared, not computed: state the "
                        "activity it avoids or adds and its factor"
                    ),
                    task=task.id,
                    tco2=result.reduction_tco2,
                )
            )
        declared = result.declared_tco2
        if (
            result.computed
            and declared is not None
            and declared > 0
            and abs(declared - result.reduction_tco2) > DECLARED_TOLERANCE * declared
        ):
            findings.append(
                _finding(
                    gettext_noop(
                        "task '{task}': {declared} tCO2 a year is declared, its activities "
                        "give {computed} tCO2; the computed figure is counted"
                    ),
                    task=task.id,
                    declared=declared,
                    computed=result.reduction_tco2,
                )
            )
        if not result.effects and task.adds_renewable_kwh > 0:
            most = task.adds_renewable_kwh * highest
            if result.reduction_tco2 == 0:
                findings.append(
                    _finding(
                        gettext_noop(
                            "task '{task}': adds {kwh} kWh of renewable electricity a year but "
                            "states no reduction; state it as added on-site renewable "
                            "electricity to compute it"
                        ),
                        task=task.id,
                        kwh=task.adds_renewable_kwh,
                    )
                )
            elif result.reduction_tco2 > most and task.acts_on == tuple(
                s for s in task.acts_on if s[0] is SourceCategory.ELECTRICITY
            ):
                findings.append(
                    _finding(
                        gettext_noop(
                            "task '{task}': {tco2} tCO2 a year is more than {kwh} kWh of "
                            "renewable electricity can avoid at the highest grid factor of the "
                            "library ({most} tCO2)"
                        ),
                        task=task.id,
                        tco2=result.reduction_tco2,
                        kwh=task.adds_renewable_kwh,
                        most=most.quantize(Decimal("0.01")),
                    )
                )
        if result.reduction_tco2 > 0:
            emitted = sum((baseline.emissions_tco2.get(s, ZERO) for s in task.acts_on), ZERO)
            if result.reduction_tco2 > emitted:
                findings.append(
                    _finding(
                        gettext_noop(
                            "task '{task}': {tco2} tCO2 a year is more than the sources it acts "
                            "on ({sources}) emit in the base year, {emitted} tCO2"
                        ),
                        task=task.id,
                        tco2=result.reduction_tco2,
                        sources=[f"{c.value}/{s.value}" for c, s in task.acts_on] or "—",
                        emitted=emitted.quantize(Decimal("0.01")),
                    )
                )
    if observed is not None:
        year, actual = observed
        planned = plan.get(year)
        if planned is not None and year > plan.base_year:
            bau = planned.bau.emissions_tco2
            shown = bau - actual
            if planned.reduction_tco2 - shown > EX_POST_TOLERANCE * bau:
                findings.append(
                    _finding(
                        gettext_noop(
                            "{year}: the tasks claim {claimed} tCO2 below business as usual "
                            "({bau} tCO2), but the inventory of {year} is {actual} tCO2, "
                            "{shown} tCO2 below it: the claims are far from the change the "
                            "inventories show"
                        ),
                        year=year,
                        claimed=planned.reduction_tco2.quantize(Decimal("0.01")),
                        bau=bau.quantize(Decimal("0.01")),
                        actual=actual.quantize(Decimal("0.01")),
                        shown=shown.quantize(Decimal("0.01")),
                    )
                )
    return tuple(findings)


def reconcile(report: TargetReport, findings: Sequence[Message]) -> TargetReport:
    """The consistency verdict of 附件2 三 says "衔接" only when the tasks' reductions are
    computed and plausible: any finding withdraws it, with the findings as the reason."""
    if not findings:
        return report
    explanation = Message(
        gettext_noop(
            "{verdict}; not consistent while task reductions are declared or implausible: "
            "{findings}"
        ),
        {"verdict": report.consistency_explanation, "findings": list(findings)},
    )
    return TargetReport(
        checks=report.checks,
        staged=report.staged,
        consistency=False,
        consistency_explanation=explanation,
        decomposition=report.decomposition,
    )
