"""The task list as a table: 序号, 领域, 任务/项目名称 … by field with subtotals, and the
summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lowcarbon.core.messages import gettext_noop

from ..blocks import Table
from ..formatting import percent, trimmed
from .entries import NOT_COUNTED, TaskEntry, TaskList, Translate


def flags(entry: TaskEntry, _: Translate) -> str:
    """是否重点项目/近零碳示范: "重点项目", "近零碳示范", both, or nothing."""
    parts = []
    if entry.key_project:
        parts.append(_(gettext_noop("key project")))
    if entry.near_zero:
        parts.append(_(gettext_noop("near-zero-carbon demonstration")))
    return "、".join(parts)


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
