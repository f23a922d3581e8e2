"""The task list (任务清单): every main task and key project of an application, by field.

The bureau circulates the tasks of a creation area as one table — 序号, 领域, 任务/项目名称,
主要内容, 责任单位, 完成时限, 预期减排量（tCO₂/年）, 是否重点项目/近零碳示范 — grouped by field with
subtotals and a total. It restates what the plan already contains, so it is built from the same
data and never retyped:

* the tasks of the baseline data (``accounting.tasks``: name, domain, start year, ramp, expected
  annual reduction, key project and near-zero flags) — 附件2 三 "对主要低碳发展任务提出碳排放减量";
* the zone outline's table of key projects (``key_projects``, 附件1 三、3.: content, implementer,
  start and end year, expected reduction), its list of near-zero-carbon demonstration projects
  (``near_zero_carbon_projects``) and its schedule (``project_schedule``: stages with dates);
* the task lists per field of both outlines (zone 三、2. ``tasks_energy`` …, 附件1 三、2.;
  community 三、3. ``tasks_organisation`` …, 附件3 三、3.).

**Matching the sources.** The same task often appears in several of them under slightly
different names ("既有公共建筑节能改造（20万m²）" in the baseline data, "既有公共建筑节能改造"
in the key projects). Two names are the same task when they are equal after removing white space and
punctuation and ignoring case, or equal once bracketed parts （…） (…) 【…】 are removed too.
Nothing fuzzier is tried: a wrong merge would move a reduction to another task, a missed one
only shows a row twice, which a reader sees. A matched entry is one row: the name, field,
reduction and flags of the baseline data (what the engine counts), the content, implementer
and years of the key project, the stages of the schedule. A list item written "名称：内容" gives
its name before the colon and its content after it.

**Totals.** Subtotals and the total add up the reductions of the baseline data only, so the
total equals what the forecast counts (and what the plan checks against its targets, 附件2
三). A key project that matches no task of the baseline data is listed with the reduction its
table states, marked †, and left out of the totals (it may overlap a task under another name);
a warning asks for it to be entered in the baseline data. A list item that matches nothing has
no reduction of its own ("—").

**Task records.** A snapshot that holds the application's task records (``tasks``) gives each
entry of a baseline-data task its record's responsible unit, content, end year and budget,
matched by the task's id (its code), never by name; the record wins over the key-project table.
A snapshot without them is read as above, the applicant unit being responsible.

**Completion (完成时限).** The later of the key project's end year and the last end date of
the entry's schedule stages (shown as year and month when the schedule sets it); without
either, the year the task reaches its full effect (start year + ramp − 1). The start is the
earliest of the task's, the key project's and the schedule's.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lowcarbon.core.activity import Domain
from lowcarbon.core.labels import DOMAIN
from lowcarbon.core.messages import gettext_noop
from lowcarbon.core.outline import is_missing
from lowcarbon.rules.xlsx_safety import put

from .blocks import Block, Paragraph, Table
from .formatting import percent, trimmed
from .plan import PlanInput
from .word import build_template, render_document

__all__ = [
    "KEY_PROJECTS_FIELD",
    "Cell",
    "FieldGroup",
    "Grid",
    "ScheduleStage",
    "TaskEntry",
    "TaskList",
    "as_year",
    "build_task_list",
    "document_fields",
    "flags",
    "same_task",
    "subtitle",
    "task_list_blocks",
    "task_list_grid",
    "task_list_title",
    "write_docx",
    "write_task_list",
    "write_workbook",
]

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

# The reduction of an entry that is not counted in the totals carries this mark.
NOT_COUNTED = "†"


_PUNCTUATION = re.compile(r"[\s\u3000,，。.;；:：、!！?？\"'“”‘’《》〈〉「」\-—–_·/\\]+")
_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


def _keys(name: str) -> tuple[str, str]:
    full = _PUNCTUATION.sub("", name).casefold()
    short = _PUNCTUATION.sub("", _BRACKETED.sub("", name)).casefold()
    return full, short


def same_task(a: str, b: str) -> bool:
    """Whether two names are the same task (see the module's rule on matching)."""
    full_a, short_a = _keys(a)
    full_b, short_b = _keys(b)
    return bool(full_a) and (full_a == full_b or (bool(short_a) and short_a == short_b))


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


def flags(entry: TaskEntry, _: Translate) -> str:
    """是否重点项目/近零碳示范: "重点项目", "近零碳示范", both, or nothing."""
    parts = []
    if entry.key_project:
        parts.append(_(gettext_noop("key project")))
    if entry.near_zero:
        parts.append(_(gettext_noop("near-zero-carbon demonstration")))
    return "、".join(parts)


# --- tables: one grid serves the Word table and the spreadsheet ----------------------------

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Grid:
    """A table with typed cells: numbers stay numbers in the spreadsheet and are formatted in
    the Word table. ``emphasis`` rows (subtotals, totals) are bold in the spreadsheet."""

    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    numeric: frozenset[int] = frozenset()
    widths: Sequence[float] = ()
    note: str = ""
    emphasis: frozenset[int] = frozenset()
    sheet: str = ""  # the worksheet's name

    def block(self) -> Table:
        return Table(
            caption=self.caption,
            header=list(self.header),
            rows=[[_shown(cell) for cell in row] for row in self.rows],
            numeric=self.numeric,
            note=self.note,
            widths=tuple(self.widths),
        )


def _shown(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return trimmed(cell)
    return str(cell)


def task_list_grid(tasks: TaskList, _: Translate) -> Grid:
    """The task list table: entries by field, each field's subtotal, the total."""
    rows: list[list[Cell]] = []
    emphasis: set[int] = set()
    uncounted = False
    for group in tasks.groups:
        for entry in group.entries:
            reduction: Cell = entry.reduction_tco2
            if entry.reduction_tco2 is not None and not entry.counted:
                reduction = trimmed(entry.reduction_tco2) + NOT_COUNTED
                uncounted = True
            rows.append(
                [
                    entry.number,
                    group.label,
                    entry.name,
                    entry.content,
                    entry.responsible,
                    entry.deadline,
                    reduction if reduction is not None else "—",
                    flags(entry, _),
                ]
            )
        emphasis.add(len(rows))
        rows.append(
            [
                "",
                group.label,
                _(gettext_noop("Subtotal")),
                "",
                "",
                "",
                group.subtotal,
                "",
            ]
        )
    emphasis.add(len(rows))
    rows.append(["", "", _(gettext_noop("Total")), "", "", "", tasks.total, ""])
    notes = [
        _(
            gettext_noop(
                "Sources: the tasks and key projects of the implementation plan ({clauses}) and "
                "the reductions of the baseline data (附件2 三: 对主要低碳发展任务提出碳排放减量); "
                "reductions are full annual effects once a task is fully in place."
            )
        ).format(
            clauses="附件1 三、2.、三、3." if tasks.scheme == "zone" else "附件3 三、3.",
        )
    ]
    if uncounted:
        notes.append(
            _(
                gettext_noop(
                    "{mark} stated in the key project table but not among the tasks of the "
                    "baseline data: not counted in the subtotals and the total."
                )
            ).format(mark=NOT_COUNTED)
        )
    return Grid(
        caption=_(gettext_noop("Task list of low-carbon development")),
        header=[
            _(gettext_noop("No.")),
            _(gettext_noop("Field")),
            _(gettext_noop("Task or project")),
            _(gettext_noop("Main content")),
            _(gettext_noop("Responsible unit")),
            _(gettext_noop("Completion")),
            _(gettext_noop("Expected reduction (tCO₂ a year)")),
            _(gettext_noop("Key project / near-zero-carbon demonstration")),
        ],
        rows=rows,
        numeric=frozenset({0, 6}),
        widths=(0.6, 1.0, 2.4, 2.8, 1.6, 1.1, 1.3, 1.3),
        note=" ".join(notes),
        emphasis=frozenset(emphasis),
        sheet=_(gettext_noop("Task list")),
    )


def _summary_grid(tasks: TaskList, _: Translate) -> Grid:
    total = tasks.total
    rows: list[list[Cell]] = []
    for group in tasks.groups:
        share = None if not total else (group.subtotal / total * 100).quantize(Decimal("0.1"))
        rows.append(
            [
                group.label,
                len(group.entries),
                sum(1 for e in group.entries if e.key_project),
                sum(1 for e in group.entries if e.near_zero),
                group.subtotal,
                percent(share, 1),
            ]
        )
    entries = tasks.entries
    rows.append(
        [
            _(gettext_noop("Total")),
            len(entries),
            sum(1 for e in entries if e.key_project),
            sum(1 for e in entries if e.near_zero),
            total,
            "100%" if total else "—",
        ]
    )
    return Grid(
        caption=_(gettext_noop("Tasks and reductions by field")),
        header=[
            _(gettext_noop("Field")),
            _(gettext_noop("Tasks and projects")),
            _(gettext_noop("Key projects")),
            _(gettext_noop("Near-zero-carbon demonstrations")),
            _(gettext_noop("Expected reduction (tCO₂ a year)")),
            _(gettext_noop("Share")),
        ],
        rows=rows,
        numeric=frozenset({1, 2, 3, 4, 5}),
        widths=(2, 1, 1, 1.2, 1.6, 1),
        emphasis=frozenset({len(rows) - 1}),
        sheet=_(gettext_noop("By field")),
    )


def document_fields(plan: PlanInput, title: str, _: Translate) -> dict[str, str]:
    """The template fields, the same as the plan's, so one Word template serves every document."""
    status = (
        _(gettext_noop("Draft — not submitted"))
        if plan.submission_number is None
        else _(gettext_noop("Submission {number}")).format(number=plan.submission_number)
    )
    return {
        "title": title,
        "unit_name": plan.unit_name,
        "round_label": _(gettext_noop("{year} round")).format(year=plan.round_year),
        "status_text": status,
        "applicant_line": _(gettext_noop("Applicant: {unit}")).format(unit=plan.unit_name),
        "seal_text": _(gettext_noop("(seal)")),
        "date_text": _(gettext_noop("{year}-{month}-{day}")).format(
            year=plan.issued.year, month=plan.issued.month, day=plan.issued.day
        ),
        "snapshot_sha256": plan.snapshot_sha256,
    }


def task_list_title(plan: PlanInput, _: Translate) -> str:
    return _(gettext_noop("{unit} task list of low-carbon development")).format(unit=plan.unit_name)


def task_list_blocks(tasks: TaskList, _: Translate) -> list[Block]:
    entries = tasks.entries
    intro = _(
        gettext_noop(
            "{count} tasks and projects in {fields} fields, of which {key} key projects and "
            "{near_zero} near-zero-carbon demonstration projects; expected reduction "
            "{total} tCO₂ a year once all are in place."
        )
    ).format(
        count=len(entries),
        fields=len(tasks.groups),
        key=sum(1 for e in entries if e.key_project),
        near_zero=sum(1 for e in entries if e.near_zero),
        total=trimmed(tasks.total),
    )
    return [
        Paragraph(intro),
        task_list_grid(tasks, _).block(),
        _summary_grid(tasks, _).block(),
    ]


def write_docx(
    fields: Mapping[str, str],
    blocks: Sequence[Block],
    out: Path,
    _: Translate,
    template: Path | None = None,
) -> None:
    """Lay ``blocks`` out in ``template`` or the bundled official layout (as the plan)."""
    if template is not None:
        render_document(template, fields, blocks, out, _)
        return
    bundled = out.with_name(out.stem + ".template.docx")
    build_template(bundled, _)
    try:
        render_document(bundled, fields, blocks, out, _)
    finally:
        bundled.unlink(missing_ok=True)


# --- spreadsheet ----------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_EMPHASIS_FILL = PatternFill("solid", fgColor="F2F2F2")
_FONT = "宋体"
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def write_workbook(title: str, subtitle: str, grids: Sequence[Grid], out: Path) -> None:
    """One worksheet per grid, laid out for printing: the title over the table (row 1), the
    unit and date (row 2), the header (row 3, repeated on every printed page), notes below."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for index, grid in enumerate(grids, start=1):
        name = _SHEET_NAME.sub("", grid.sheet or grid.caption)[:31] or f"Sheet{index}"
        sheet = workbook.create_sheet(name)
        columns = len(grid.header)
        last = get_column_letter(columns)
        sheet.merge_cells(f"A1:{last}1")
        heading = put(
            sheet, 1, 1, f"{title}　{grid.caption}" if grid.caption not in title else title
        )
        heading.font = Font(name=_FONT, size=16, bold=True)
        heading.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 30
        sheet.merge_cells(f"A2:{last}2")
        put(sheet, 2, 1, subtitle).font = Font(name=_FONT, size=10)
        for column, text in enumerate(grid.header, start=1):
            cell = put(sheet, 3, column, text)
            cell.font = Font(name=_FONT, size=10, bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for offset, row in enumerate(grid.rows):
            emphasised = offset in grid.emphasis
            for column, value in enumerate(row, start=1):
                cell = put(sheet, 4 + offset, column, _plain(value))
                cell.font = Font(name=_FONT, size=10, bold=emphasised)
                cell.border = _BORDER
                numeric = column - 1 in grid.numeric
                cell.alignment = Alignment(
                    horizontal="right" if numeric else "left", vertical="center", wrap_text=True
                )
                if isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"
                if emphasised:
                    cell.fill = _EMPHASIS_FILL
        widths = list(grid.widths) if len(grid.widths) == columns else [1.0] * columns
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(6.0, width * 11)
        if grid.note:
            note_row = 5 + len(grid.rows)
            sheet.merge_cells(f"A{note_row}:{last}{note_row}")
            note = put(sheet, note_row, 1, grid.note)
            note.font = Font(name=_FONT, size=9)
            note.alignment = Alignment(wrap_text=True)
            sheet.row_dimensions[note_row].height = 15 * (1 + len(grid.note) // 90)
        sheet.freeze_panes = "A4"
        sheet.print_title_rows = "3:3"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.save(str(out))


def _plain(value: Cell) -> Any:
    # Decimals are written as floats: spreadsheets hold binary numbers; the shown format keeps
    # two places, and the exact figures remain in the snapshot.
    if isinstance(value, Decimal):
        return float(value)
    return value


def subtitle(plan: PlanInput, _: Translate) -> str:
    fields = document_fields(plan, "", _)
    return "　".join(
        part
        for part in (
            fields["applicant_line"],
            fields["round_label"],
            fields["status_text"],
            fields["date_text"],
        )
        if part
    )


def write_task_list(
    plan: PlanInput, out: Path, _: Translate, *, template: Path | None = None
) -> TaskList:
    """Write the task list to ``out``: a spreadsheet when it ends in ``.xlsx``, else Word."""
    tasks = build_task_list(plan, _)
    title = task_list_title(plan, _)
    if out.suffix.lower() == ".xlsx":
        write_workbook(
            title,
            subtitle(plan, _),
            [task_list_grid(tasks, _), _summary_grid(tasks, _)],
            out,
        )
    else:
        write_docx(document_fields(plan, title, _), task_list_blocks(tasks, _), out, _, template)
    return tasks
