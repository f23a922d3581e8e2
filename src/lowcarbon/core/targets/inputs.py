"""The checks of the inputs: target values in range and not given twice, target years inside
the forecast, and forecasts and tasks that belong together.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..activity import Target, TargetKind, Task
from ..forecast import Baseline, PlanForecast, PlanYear, YearProjection
from ..messages import Message, gettext_noop
from .errors import TargetError, TargetValueError, TargetYearError
from .kinds import _kind_name

__all__: list[str] = []


def _value_problem(target: Target) -> str | None:
    """What a valid value of this kind looks like, when ``target.value`` is not one."""
    kind, value = target.kind, target.value
    # Decline rates may be negative (emissions allowed to grow up to a cap) but cannot exceed
    # 100 %; a share lies within 0…100 %; every other value is an amount or a ratio, never < 0.
    if kind in (TargetKind.DECLINE_RATE, TargetKind.PER_CAPITA_DECLINE_RATE):
        return gettext_noop("at most 100 %") if value > 100 else None
    if kind is TargetKind.RENEWABLE_SHARE:
        return None if 0 <= value <= 100 else gettext_noop("between 0 and 100 %")
    return gettext_noop("zero or more") if value < 0 else None


def _check_values(targets: Sequence[Target]) -> None:
    seen: set[tuple[TargetKind, int]] = set()
    for target in targets:
        if (target.kind, target.year) in seen:
            raise TargetValueError(
                target,
                Message(
                    gettext_noop("two {kind} targets for {year}"),
                    {"kind": _kind_name(target.kind), "year": target.year},
                ),
            )
        seen.add((target.kind, target.year))
        problem = _value_problem(target)
        if problem is not None:
            raise TargetValueError(
                target,
                Message(
                    gettext_noop("the {kind} target for {year} is {value}: it must be {expected}"),
                    {
                        "kind": _kind_name(target.kind),
                        "year": target.year,
                        "value": target.value,
                        "expected": Message(problem),
                    },
                ),
            )


def _year_of(
    target: Target, baseline: Baseline, bau: Sequence[YearProjection], plan: PlanForecast
) -> tuple[YearProjection, PlanYear]:
    if target.year < baseline.year:
        raise TargetYearError(
            target,
            baseline.year,
            Message(
                gettext_noop("the {kind} target for {year} lies before the base year {base_year}"),
                {"kind": _kind_name(target.kind), "year": target.year, "base_year": baseline.year},
            ),
        )
    projection = next((p for p in bau if p.year == target.year), None)
    planned = plan.get(target.year)
    if projection is None or planned is None:
        raise TargetYearError(
            target,
            baseline.year,
            Message(
                gettext_noop(
                    "the {kind} target for {year} cannot be checked: the forecast does not "
                    "contain {year}"
                ),
                {"kind": _kind_name(target.kind), "year": target.year},
            ),
        )
    return projection, planned


def _check_inputs(
    baseline: Baseline, bau: Sequence[YearProjection], plan: PlanForecast, tasks: Sequence[Task]
) -> None:
    if any(p.base_year != baseline.year for p in bau) or plan.base_year != baseline.year:
        raise TargetError(
            Message(
                gettext_noop("the forecasts do not start from the base year {base_year}"),
                {"base_year": baseline.year},
            ),
            code="target_base_year",
        )
    if sorted(t.id for t in tasks) != sorted(t.id for t in plan.tasks):
        raise TargetError(
            Message(
                gettext_noop("the tasks {tasks} are not those the plan was computed with: {plan}"),
                {"tasks": sorted(t.id for t in tasks), "plan": sorted(t.id for t in plan.tasks)},
            ),
            code="target_tasks",
        )
