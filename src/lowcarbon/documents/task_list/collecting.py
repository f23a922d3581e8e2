"""Gathering the entries from the baseline data, the key projects, the schedule, the task lists
and the task records, matched by name or by code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lowcarbon.core.activity import Domain
from lowcarbon.core.labels import DOMAIN
from lowcarbon.core.messages import gettext_noop
from lowcarbon.core.outline import is_missing

from ..formatting import trimmed
from ..plan.inputs import PlanInput
from .entries import (
    KEY_PROJECTS_FIELD,
    TASK_LISTS,
    FieldGroup,
    ScheduleStage,
    TaskEntry,
    TaskList,
    Translate,
)
from .matching import same_task

# The names of a field as each outline calls it; other domains use the engine's names.
_FIELD_NAMES: Mapping[str, Mapping[str, str]] = {
    "zone": {
        Domain.GOVERNANCE.value: gettext_noop("Regulatory system"),
        Domain.BEHAVIOUR.value: gettext_noop("Low-carbon culture"),
    },
    "community": {
        Domain.GOVERNANCE.value: gettext_noop("Organisation and management"),
        Domain.BEHAVIOUR.value: gettext_noop("Low-carbon behaviour"),
        Domain.DEMONSTRATION.value: gettext_noop("Low-carbon demonstration projects"),
    },
}


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def as_year(value: Any) -> int | None:
    number = _decimal(value)
    if number is None or number != number.to_integral_value() or not 1990 <= number <= 2100:
        return None
    return int(number)


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


@dataclass
class _Draft:
    field: str
    name: str
    content: str = ""
    implementer: str = ""
    start_year: int | None = None
    end_year: int | None = None
    full_year: int | None = None
    reduction: Decimal | None = None
    counted: bool = False
    key_project: bool = False
    near_zero: bool = False
    task_id: str | None = None
    budget: Decimal | None = None
    sources: list[str] = dataclasses.field(default_factory=list)
    schedule: list[ScheduleStage] = dataclasses.field(default_factory=list)


def _item_text(item: Any) -> tuple[str, str]:
    """A list item's name and content: "名称：内容" splits at the first colon."""
    if isinstance(item, Mapping):
        name = str(item.get("name") or item.get("text") or "").strip()
        content = str(item.get("content") or "").strip()
        if name and not content and item.get("name") and item.get("text"):
            content = str(item["text"]).strip()
    else:
        name, content = str(item).strip(), ""
    if not content:
        for colon in ("：", ":"):
            head, sep, tail = name.partition(colon)
            if sep and head.strip() and tail.strip() and len(head) <= 40:
                return head.strip(), tail.strip()
    return name, content


class _Collector:
    def __init__(self, plan: PlanInput, _: Translate) -> None:
        self.plan = plan
        self._ = _
        self.drafts: list[_Draft] = []
        self.schedule: list[ScheduleStage] = []
        self.warnings: list[str] = []

    def find(self, name: str) -> _Draft | None:
        return next((d for d in self.drafts if same_task(d.name, name)), None)

    def rows(self, element_id: str) -> list[Any]:
        if self.plan.outline.element(element_id) is None:
            return []
        value = self.plan.sections.get(element_id)
        if is_missing(value):
            return []
        return list(value) if isinstance(value, list) else [value]

    def collect(self) -> None:
        accounting = self.plan.accounting
        forecast = accounting.forecast if accounting is not None else None
        for task in accounting.input.tasks if accounting is not None else ():
            # The figure the forecast counts: computed from the task's activities, or typed.
            counted = forecast.reduction_of(task.id) if forecast is not None else None
            self.drafts.append(
                _Draft(
                    field=task.domain.value,
                    name=task.name,
                    start_year=task.start_year,
                    full_year=task.start_year + task.ramp_years - 1,
                    reduction=task.annual_reduction_tco2
                    if counted is None
                    else counted.reduction_tco2,
                    counted=True,
                    key_project=task.key_project,
                    near_zero=task.near_zero_demonstration,
                    task_id=task.id,
                    sources=["accounting"],
                )
            )
        self.key_projects()
        for item in self.rows("near_zero_carbon_projects"):
            name, content = _item_text(item)
            if not name:
                continue
            draft = self.find(name)
            if draft is None:
                draft = _Draft(field=Domain.DEMONSTRATION.value, name=name, content=content)
                self.drafts.append(draft)
            draft.near_zero = True
            draft.sources.append("near_zero_carbon_projects")
        for element_id, domain in TASK_LISTS.get(self.plan.scheme, ()):
            for item in self.rows(element_id):
                name, content = _item_text(item)
                if not name:
                    continue
                draft = self.find(name)
                if draft is None:
                    draft = _Draft(field=domain.value, name=name)
                    self.drafts.append(draft)
                draft.content = draft.content or content
                draft.sources.append(element_id)
        self.records()
        self.stages()

    def records(self) -> None:
        """The frozen task records, matched to the baseline data's tasks by id."""
        by_code = {record.code: record for record in self.plan.tasks or ()}
        for draft in self.drafts:
            record = by_code.get(draft.task_id) if draft.task_id is not None else None
            if record is None:
                continue
            draft.implementer = record.responsible.strip() or draft.implementer
            draft.content = record.content.strip() or draft.content
            if record.end_year is not None:
                draft.end_year = record.end_year
            draft.budget = record.budget_10k_yuan
            draft.sources.append("tasks")

    def key_projects(self) -> None:
        _ = self._
        for index, row in enumerate(self.rows("key_projects"), start=1):
            if not isinstance(row, Mapping) or not str(row.get("name") or "").strip():
                continue
            name = str(row["name"]).strip()
            stated = _decimal(row.get("expected_reduction"))
            draft = self.find(name)
            if draft is None:
                draft = _Draft(field=KEY_PROJECTS_FIELD, name=name, reduction=stated)
                self.drafts.append(draft)
                self.warnings.append(
                    _(
                        gettext_noop(
                            "Key project {number} “{name}” is not among the tasks of the baseline "
                            "data: its reduction is listed but not counted in the totals; enter it "
                            "under Baseline data → tasks to count it."
                        )
                    ).format(number=index, name=name)
                )
            elif (
                draft.counted
                and stated is not None
                and draft.reduction is not None
                and stated != draft.reduction
            ):
                self.warnings.append(
                    _(
                        gettext_noop(
                            "Key project {number} “{name}”: the table states {stated} tCO₂ a "
                            "year, the baseline data {counted} tCO₂; the task list uses the "
                            "baseline data."
                        )
                    ).format(
                        number=index,
                        name=name,
                        stated=trimmed(stated),
                        counted=trimmed(draft.reduction),
                    )
                )
            draft.key_project = True
            draft.content = draft.content or str(row.get("content") or "").strip()
            draft.implementer = str(row.get("implementer") or "").strip()
            start, end = as_year(row.get("start_year")), as_year(row.get("end_year"))
            if start is not None:
                draft.start_year = (
                    start if draft.start_year is None else min(start, draft.start_year)
                )
            if end is not None:
                draft.end_year = end
            draft.sources.append("key_projects")

    def stages(self) -> None:
        _ = self._
        for index, row in enumerate(self.rows("project_schedule"), start=1):
            if not isinstance(row, Mapping):
                continue
            start, end = _date(row.get("start_date")), _date(row.get("end_date"))
            project = str(row.get("project") or "").strip()
            if start is None or end is None or end < start or not project:
                self.warnings.append(
                    _(
                        gettext_noop(
                            "Schedule row {number}: no project or no valid start and end dates "
                            "(YYYY-MM-DD, the end not before the start); the row is left out."
                        )
                    ).format(number=index)
                )
                continue
            stage = ScheduleStage(
                project,
                str(row.get("stage") or "").strip(),
                start,
                end,
                str(row.get("milestone") or "").strip(),
            )
            self.schedule.append(stage)
            draft = self.find(project)
            if draft is not None:
                draft.schedule.append(stage)

    def result(self) -> TaskList:
        _ = self._
        plan = self.plan
        order = [domain.value for _id, domain in TASK_LISTS.get(plan.scheme, ())]
        order += [d.value for d in Domain if d.value not in order]
        order.append(KEY_PROJECTS_FIELD)
        names = _FIELD_NAMES.get(plan.scheme, {})
        groups: list[FieldGroup] = []
        number = 0
        for key in order:
            drafts = [d for d in self.drafts if d.field == key]
            if not drafts:
                continue
            entries = []
            for draft in drafts:
                number += 1
                entries.append(self.entry(number, draft))
            if key == KEY_PROJECTS_FIELD:
                label = _(gettext_noop("Key projects (field not stated)"))
            else:
                label = _(names.get(key) or DOMAIN.get(key, key))
            groups.append(FieldGroup(key, label, tuple(entries)))
        return TaskList(
            plan.scheme, plan.unit_name, tuple(groups), tuple(self.schedule), tuple(self.warnings)
        )

    def entry(self, number: int, draft: _Draft) -> TaskEntry:
        _ = self._
        start = draft.start_year
        end = draft.end_year if draft.end_year is not None else draft.full_year
        deadline = ""
        if draft.schedule:
            last = max(stage.end for stage in draft.schedule)
            first = min(stage.start for stage in draft.schedule)
            start = first.year if start is None else min(start, first.year)
            if draft.end_year is None or last.year >= draft.end_year:
                end = last.year
                deadline = _(gettext_noop("{month}/{year} (month)")).format(
                    year=last.year, month=last.month
                )
        if not deadline and end is not None:
            deadline = _(gettext_noop("year {year}")).format(year=end)
        return TaskEntry(
            number=number,
            field=draft.field,
            name=draft.name,
            content=draft.content,
            responsible=draft.implementer or self.plan.unit_name,
            start_year=start,
            end_year=end,
            deadline=deadline,
            reduction_tco2=draft.reduction,
            counted=draft.counted,
            key_project=draft.key_project,
            near_zero=draft.near_zero,
            task_id=draft.task_id,
            sources=tuple(draft.sources),
            schedule=tuple(draft.schedule),
            budget_10k_yuan=draft.budget,
        )


def build_task_list(plan: PlanInput, _: Translate) -> TaskList:
    """The task list of an application (no file is written)."""
    collector = _Collector(plan, _)
    collector.collect()
    return collector.result()
