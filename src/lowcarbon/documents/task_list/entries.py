"""The task list's rows (one entry a task or key project), its groups by field and its totals."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lowcarbon.core.activity import Domain

Translate = Callable[[str], str]
Language = Callable[[Any], str]

#: The group of key projects that match no task of the baseline data (their field is unknown).
KEY_PROJECTS_FIELD = "key_projects"

# The outlines' task lists and the domain each one is, in outline order (the order of the
# groups): 附件1 三、2. 能源、建筑、交通、监管体系、低碳人文; 附件3 三、3. 组织管理、低碳行为、
# 低碳示范项目.
TASK_LISTS: Mapping[str, tuple[tuple[str, Domain], ...]] = {
    "zone": (
        ("tasks_energy", Domain.ENERGY),
        ("tasks_buildings", Domain.BUILDINGS),
        ("tasks_transport", Domain.TRANSPORT),
        ("tasks_regulatory_system", Domain.GOVERNANCE),
        ("tasks_low_carbon_culture", Domain.BEHAVIOUR),
    ),
    "community": (
        ("tasks_organisation", Domain.GOVERNANCE),
        ("tasks_low_carbon_behaviour", Domain.BEHAVIOUR),
        ("tasks_demonstration_projects", Domain.DEMONSTRATION),
    ),
}

# The reduction of an entry that is not counted in the totals carries this mark.
NOT_COUNTED = "†"


@dataclass(frozen=True)
class ScheduleStage:
    """One row of the schedule (进度安排, 附件1 三、3.): a stage of a project with its dates."""

    project: str
    stage: str
    start: date
    end: date
    milestone: str = ""


@dataclass(frozen=True)
class TaskEntry:
    """One row of the task list: a task, a key project, or both when they match."""

    number: int
    field: str  # a Domain value, or KEY_PROJECTS_FIELD
    name: str
    content: str
    responsible: str
    start_year: int | None
    end_year: int | None  # the completion year (see the module's rule)
    deadline: str  # 完成时限 as shown
    reduction_tco2: Decimal | None  # full annual effect
    counted: bool  # the reduction is the baseline data's, counted in the totals
    key_project: bool
    near_zero: bool
    task_id: str | None  # the baseline data's task, whose yearly effect the forecast has
    sources: tuple[str, ...]  # "accounting" and the outline element ids it was found in
    schedule: tuple[ScheduleStage, ...] = ()
    budget_10k_yuan: Decimal | None = None  # 万元, from the task record; None: not stated


@dataclass(frozen=True)
class FieldGroup:
    field: str
    label: str
    entries: tuple[TaskEntry, ...]

    @property
    def subtotal(self) -> Decimal:
        return sum(
            (e.reduction_tco2 for e in self.entries if e.counted and e.reduction_tco2 is not None),
            Decimal(0),
        )


@dataclass(frozen=True)
class TaskList:
    scheme: str
    unit_name: str
    groups: tuple[FieldGroup, ...]
    schedule: tuple[ScheduleStage, ...]  # every dated stage, matched to an entry or not
    warnings: tuple[str, ...]

    @property
    def entries(self) -> tuple[TaskEntry, ...]:
        return tuple(e for g in self.groups for e in g.entries)

    @property
    def total(self) -> Decimal:
        return sum((g.subtotal for g in self.groups), Decimal(0))
