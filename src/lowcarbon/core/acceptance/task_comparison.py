"""Each task's planned annual reduction beside the reduction achieved, with the shortfall, the
share done and a flag where a row looks wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..messages import Message, gettext_noop
from ..rubric import ZERO
from .rule import HUNDRED, AcceptanceError

__all__ = [
    "FAR_ABOVE_PLAN_FACTOR",
    "TASK_STATUSES",
    "PlanComparison",
    "TaskFlag",
    "TaskProgress",
    "TaskRow",
    "TaskTotals",
    "compare_tasks",
]

#: A task's status as the creation stage records it (``ApplicationTask.status``).
TASK_STATUSES = ("not_started", "in_progress", "done", "lagging", "cancelled")

#: An achieved reduction more than this many times the planned one is flagged: three times the
#: plan is beyond what a better-than-expected project delivers and is the mark of a unit slip
#: (kg for t, a total over years for a yearly figure) or of a reduction counted twice.
FAR_ABOVE_PLAN_FACTOR = Decimal(3)


# -- planned against achieved reductions ------------------------------------------------------


@dataclass(frozen=True)
class TaskProgress:
    """One task as tracked: planned and achieved reductions in tCO2e a year (None: not stated),
    its status (one of :data:`TASK_STATUSES`) and its percent complete (0 to 100, None: not
    stated)."""

    code: str
    name: str
    planned_tco2: Decimal | None
    achieved_tco2: Decimal | None
    status: str
    percent: int | None


class TaskFlag(StrEnum):
    """Something off in one row, for the panel to ask about."""

    DONE_WITHOUT_REDUCTION = "done_without_reduction"
    FAR_ABOVE_PLAN = "far_above_plan"
    NEGATIVE_REDUCTION = "negative_reduction"
    NO_PLANNED_REDUCTION = "no_planned_reduction"
    DONE_BUT_INCOMPLETE = "done_but_incomplete"
    COMPLETE_BUT_NOT_DONE = "complete_but_not_done"
    LAGGING = "lagging"
    CANCELLED_WITH_REDUCTION = "cancelled_with_reduction"


@dataclass(frozen=True)
class TaskRow:
    """One task's comparison. ``shortfall_tco2`` is planned minus achieved, at least 0 (an
    achieved reduction not stated counts 0); ``achieved_percent`` is achieved as a percent of
    planned. Both are None for a cancelled task or one without a planned reduction."""

    task: TaskProgress
    shortfall_tco2: Decimal | None
    achieved_percent: Decimal | None
    flags: tuple[TaskFlag, ...]
    notes: tuple[Message, ...]

    @property
    def cancelled(self) -> bool:
        return self.task.status == "cancelled"


@dataclass(frozen=True)
class TaskTotals:
    """Sums over rows: reductions not stated count 0; ``achieved_percent`` is None without a
    planned reduction."""

    tasks: int
    planned_tco2: Decimal
    achieved_tco2: Decimal
    shortfall_tco2: Decimal

    @property
    def achieved_percent(self) -> Decimal | None:
        if self.planned_tco2 <= 0:
            return None
        return self.achieved_tco2 / self.planned_tco2 * HUNDRED


@dataclass(frozen=True)
class PlanComparison:
    """Every task's row in the order given; totals of the tasks kept and, apart, of those
    cancelled."""

    rows: tuple[TaskRow, ...]
    totals: TaskTotals
    cancelled: TaskTotals

    @property
    def flagged(self) -> tuple[TaskRow, ...]:
        return tuple(row for row in self.rows if row.flags)


def _check_task(task: TaskProgress, seen: set[str]) -> None:
    if task.code in seen:
        raise AcceptanceError(
            Message(gettext_noop("task {code} is listed twice"), {"code": task.code}),
            code="acceptance_task_duplicate",
        )
    if task.status not in TASK_STATUSES:
        raise AcceptanceError(
            Message(
                gettext_noop("task {code}: status {found} is not one of {allowed}"),
                {"code": task.code, "found": task.status, "allowed": list(TASK_STATUSES)},
            ),
            code="acceptance_task_status",
        )
    if task.percent is not None and not 0 <= task.percent <= 100:
        raise AcceptanceError(
            Message(
                gettext_noop("task {code}: {found} percent complete is not 0 to 100"),
                {"code": task.code, "found": task.percent},
            ),
            code="acceptance_task_percent",
        )


def _flags(task: TaskProgress, factor: Decimal) -> list[tuple[TaskFlag, Message]]:
    planned, achieved, status = task.planned_tco2, task.achieved_tco2, task.status
    found: list[tuple[TaskFlag, Message]] = []

    def flag(kind: TaskFlag, template: str, **params: object) -> None:
        found.append((kind, Message(template, {"code": task.code, **params})))

    if status == "cancelled":
        if achieved:
            flag(
                TaskFlag.CANCELLED_WITH_REDUCTION,
                gettext_noop("task {code} is cancelled but reports {achieved} tCO2e achieved"),
                achieved=achieved,
            )
        return found
    if (planned is not None and planned < 0) or (achieved is not None and achieved < 0):
        flag(
            TaskFlag.NEGATIVE_REDUCTION,
            gettext_noop(
                "task {code}: a negative reduction (planned {planned}, achieved {achieved})"
            ),
            planned="—" if planned is None else planned,
            achieved="—" if achieved is None else achieved,
        )
    if not planned and achieved:
        flag(
            TaskFlag.NO_PLANNED_REDUCTION,
            gettext_noop(
                "task {code}: {achieved} tCO2e achieved without a planned reduction to compare with"
            ),
            achieved=achieved,
        )
    if status == "done" and planned and planned > 0 and not achieved:
        flag(
            TaskFlag.DONE_WITHOUT_REDUCTION,
            gettext_noop(
                "task {code} is completed with no achieved reduction against {planned} tCO2e "
                "planned"
            ),
            planned=planned,
        )
    if planned and planned > 0 and achieved and achieved > planned * factor:
        flag(
            TaskFlag.FAR_ABOVE_PLAN,
            gettext_noop(
                "task {code}: {achieved} tCO2e achieved is more than {factor} times the "
                "{planned} tCO2e planned; check the unit and double counting"
            ),
            achieved=achieved,
            planned=planned,
            factor=factor,
        )
    if status == "done" and task.percent is not None and task.percent < 100:
        flag(
            TaskFlag.DONE_BUT_INCOMPLETE,
            gettext_noop("task {code} is completed at {percent} %"),
            percent=task.percent,
        )
    if status != "done" and task.percent == 100:
        flag(
            TaskFlag.COMPLETE_BUT_NOT_DONE,
            gettext_noop("task {code} is at 100 % but not marked completed"),
        )
    if status == "lagging":
        flag(TaskFlag.LAGGING, gettext_noop("task {code} is lagging behind"))
    return found


def _row(task: TaskProgress, factor: Decimal) -> TaskRow:
    flags = _flags(task, factor)
    planned = task.planned_tco2
    achieved = task.achieved_tco2 or ZERO
    shortfall: Decimal | None = None
    percent: Decimal | None = None
    if task.status != "cancelled" and planned is not None and planned > 0:
        shortfall = max(ZERO, planned - achieved)
        percent = achieved / planned * HUNDRED
    return TaskRow(
        task, shortfall, percent, tuple(kind for kind, _ in flags), tuple(m for _, m in flags)
    )


def _totals(rows: Sequence[TaskRow]) -> TaskTotals:
    return TaskTotals(
        len(rows),
        sum((r.task.planned_tco2 or ZERO for r in rows), ZERO),
        sum((r.task.achieved_tco2 or ZERO for r in rows), ZERO),
        sum((r.shortfall_tco2 or ZERO for r in rows), ZERO),
    )


def compare_tasks(
    tasks: Sequence[TaskProgress], *, far_above_factor: Decimal = FAR_ABOVE_PLAN_FACTOR
) -> PlanComparison:
    """Each task's planned reduction beside the achieved one; totals of the tasks kept and of
    the cancelled ones apart. Raises :class:`AcceptanceError` for a code listed twice, an
    unknown status or a percent outside 0 to 100."""
    seen: set[str] = set()
    for task in tasks:
        _check_task(task, seen)
        seen.add(task.code)
    rows = tuple(_row(task, far_above_factor) for task in tasks)
    return PlanComparison(
        rows,
        _totals([r for r in rows if not r.cancelled]),
        _totals([r for r in rows if r.cancelled]),
    )
