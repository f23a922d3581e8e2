"""The plan's task lists and key-project table (三、2./三、3.), made from the task records.

The outlines ask for the tasks by field (zone 附件1 三、2.: 能源、建筑、交通、监管体系、
低碳人文; community 附件3 三、3.: 组织管理、低碳行为、低碳示范项目), the zone's key projects as a
table and its near-zero-carbon demonstration projects as a list (附件1 三、3.). These elements
are not typed in the plan editor: they are written from the records whenever the records
change, so the plan says what the accounting counts.

* A task goes to the list of its field. The zone outline has no list for waste, greening or
  demonstration tasks: those appear in the key-project table when they are key projects (and in
  the task list in any case). A community's energy, building, transport, waste and greening
  tasks are its 低碳示范项目.
* An item reads "名称：主要内容" (the task list splits it back at the colon).
* A key-project row carries the name, content, responsible unit (实施主体), budget (总投资, 万元),
  start and end year (the end year, else the year the task reaches its full effect) and the
  planned reduction: what the accounting counts for the task, else the stated figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from lowcarbon.core.activity import Domain
from lowcarbon.core.outline import Outline
from lowcarbon.web.applications.task_models import ApplicationTask

__all__ = ["GENERATED_ELEMENTS", "TASK_LISTS", "plan_values"]

#: The list element of each field, by kind of application.
TASK_LISTS: Mapping[str, Mapping[str, str]] = {
    "zone": {
        Domain.ENERGY.value: "tasks_energy",
        Domain.BUILDINGS.value: "tasks_buildings",
        Domain.TRANSPORT.value: "tasks_transport",
        Domain.GOVERNANCE.value: "tasks_regulatory_system",
        Domain.BEHAVIOUR.value: "tasks_low_carbon_culture",
    },
    "community": {
        Domain.GOVERNANCE.value: "tasks_organisation",
        Domain.BEHAVIOUR.value: "tasks_low_carbon_behaviour",
        Domain.DEMONSTRATION.value: "tasks_demonstration_projects",
        Domain.ENERGY.value: "tasks_demonstration_projects",
        Domain.BUILDINGS.value: "tasks_demonstration_projects",
        Domain.TRANSPORT.value: "tasks_demonstration_projects",
        Domain.WASTE.value: "tasks_demonstration_projects",
        Domain.GREENING.value: "tasks_demonstration_projects",
    },
}
KEY_PROJECTS = "key_projects"
NEAR_ZERO = "near_zero_carbon_projects"

#: Every outline element written from the records (never typed in the plan editor).
GENERATED_ELEMENTS = frozenset(
    {element for lists in TASK_LISTS.values() for element in lists.values()}
    | {KEY_PROJECTS, NEAR_ZERO}
)


def _item(record: ApplicationTask) -> str:
    content = " ".join(record.content.split())
    return f"{record.name}：{content}" if content else record.name


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _row(record: ApplicationTask, planned: Decimal | None) -> dict[str, Any]:
    end = record.end_year or record.start_year + record.ramp_years - 1
    row: dict[str, Any] = {
        "name": record.name,
        "content": " ".join(record.content.split()),
        "implementer": record.responsible,
        "investment": None
        if record.budget_10k_yuan is None
        else _number(Decimal(record.budget_10k_yuan)),
        "start_year": record.start_year,
        "end_year": end,
        "expected_reduction": None if planned is None else _number(Decimal(planned)),
    }
    return {key: value for key, value in row.items() if value not in (None, "")}


def plan_values(
    outline: Outline,
    kind: str,
    records: Sequence[ApplicationTask],
    planned: Mapping[str, Decimal],
) -> dict[str, Any]:
    """Each generated element of ``outline`` with its value from ``records`` (``None``: no
    entry, the element is empty). ``planned`` maps task numbers to planned reductions."""
    values: dict[str, Any] = {}
    lists = TASK_LISTS.get(kind, {})
    for element_id in sorted(set(lists.values()) | {KEY_PROJECTS, NEAR_ZERO}):
        if outline.element(element_id) is None:
            continue
        if element_id == KEY_PROJECTS:
            entries: list[Any] = [_row(r, planned.get(r.code)) for r in records if r.key_project]
        elif element_id == NEAR_ZERO:
            entries = [_item(r) for r in records if r.near_zero]
        else:
            entries = [_item(r) for r in records if lists.get(r.domain) == element_id]
        values[element_id] = entries or None
    return values
