"""A unit's task progress: the planned reductions and the tracked achievement summed."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_models import TaskStatus

from .derived import _planned, _records


@dataclasses.dataclass(frozen=True)
class TaskProgress:
    """How the tasks of one creation unit stand: counts by status, planned and achieved
    reductions (tCO₂ a year; planned: the counted figure of the accounting, else the stated)."""

    total: int
    by_status: Mapping[str, int]
    planned_tco2: Decimal
    achieved_tco2: Decimal

    @property
    def done(self) -> int:
        return self.by_status.get(TaskStatus.DONE, 0)

    @property
    def lagging(self) -> int:
        return self.by_status.get(TaskStatus.LAGGING, 0)


def planned_reductions(application: Application) -> dict[str, Decimal]:
    """Each task's planned reduction by task number: what the accounting counts (computed from
    its activities, or stated), else the stated figure."""
    return _planned(application, _records(application))


def task_progress(unit: Any) -> TaskProgress:
    """The progress of a creation unit's tasks (for the unit's pages and the overview)."""
    application = unit.application
    records = [r for r in _records(application) if r.status != TaskStatus.CANCELLED]
    every = _records(application)
    by_status = dict.fromkeys(TaskStatus.values, 0)
    for record in every:
        by_status[record.status] += 1
    planned = planned_reductions(application)
    return TaskProgress(
        total=len(every),
        by_status=by_status,
        planned_tco2=sum((planned.get(r.code, Decimal(0)) for r in records), Decimal(0)),
        achieved_tco2=sum((Decimal(r.achieved_reduction_tco2 or 0) for r in records), Decimal(0)),
    )
