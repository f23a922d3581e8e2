"""一、基本情况 and 二、创建任务完成情况: the unit, and every task and key project against
its promise.
"""

from __future__ import annotations

from decimal import Decimal

from lowcarbon.core.messages import LIST_SEPARATOR, gettext_noop

from ..blocks import Block, Heading, Paragraph, Placeholder, Table
from ..formatting import NO_VALUE, percent, year
from .report import _KIND, _STAGE, _STATUS, EvaluationReport, Translate
from .values import _status, _texts, _tonnes, _years


def _basics(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Heading(1, "一、", _(gettext_noop("Basic information"))),
        Heading(2, "（一）", _(gettext_noop("The unit"))),
        Paragraph(
            _(
                gettext_noop(
                    "{unit} ({district}) is a {kind} of the {year} batch, with a creation period "
                    "from {start} to {end}. This report is its self-evaluation for the {stage}; "
                    "its figures compare {current} with the base year {base}."
                )
            ).format(
                unit=report.unit_name,
                district=report.district,
                kind=_(_KIND[report.kind]),
                year=year(report.batch_year),
                start=year(report.period_start),
                end=year(report.period_end),
                stage=_(_STAGE[report.stage]),
                current=year(report.current_year),
                base=year(report.base_year),
            )
        ),
    ]
    blocks += _texts(
        report.summary,
        _(gettext_noop("To be completed: the unit's summary of its creation work")),
    )
    blocks.append(Heading(2, "（二）", _(gettext_noop("Main results"))))
    blocks += _texts(
        report.achievements,
        _(gettext_noop("To be completed: the main results of the creation work")),
    )
    return blocks


def _task_table(report: EvaluationReport, _: Translate) -> Table:
    tasks = report.tasks
    planned_total = sum((t.planned_tco2e for t in tasks if t.planned_tco2e is not None), Decimal(0))
    achieved_total = sum(
        (t.achieved_tco2e for t in tasks if t.achieved_tco2e is not None), Decimal(0)
    )
    rows: list[list[str]] = []
    subheaders: set[int] = set()
    # Grouped by field, the fields in the order the plan first names them (a heading row each:
    # a column of its own would leave the others too narrow on a portrait page).
    for domain in dict.fromkeys(task.domain for task in tasks):
        subheaders.add(len(rows))
        rows.append(["", domain or NO_VALUE, "", "", "", "", "", ""])
        for task in tasks:
            if task.domain != domain:
                continue
            flags = [
                _(gettext_noop("key project")) if task.key_project else "",
                _(gettext_noop("near-zero-carbon demonstration")) if task.near_zero else "",
            ]
            marks = _(LIST_SEPARATOR).join(f for f in flags if f)
            rows.append(
                [
                    task.code,
                    task.name + (f"\n（{marks}）" if marks else ""),
                    task.responsible,
                    _years(task.start_year, task.end_year),
                    _tonnes(task.planned_tco2e),
                    _status(task, _),
                    _tonnes(task.achieved_tco2e),
                    task.note,
                ]
            )
    rows.append(
        [
            "",
            _(gettext_noop("Total")),
            "",
            "",
            _tonnes(planned_total),
            "",
            _tonnes(achieved_total),
            "",
        ]
    )
    return Table(
        caption=_(gettext_noop("Tasks and key projects: promised and done")),
        header=[
            _(gettext_noop("No.")),
            _(gettext_noop("Task or project")),
            _(gettext_noop("Responsible unit")),
            _(gettext_noop("Start and end years")),
            _(gettext_noop("Planned reduction")) + "\n" + _(gettext_noop("(tCO₂e a year)")),
            _(gettext_noop("Status and progress")),
            _(gettext_noop("Achieved reduction")) + "\n" + _(gettext_noop("(tCO₂e a year)")),
            _(gettext_noop("Note")),
        ],
        rows=rows,
        numeric=frozenset({4, 6}),
        widths=(0.7, 2.2, 1.3, 1.2, 1.5, 1.0, 1.5, 1.5),
        note=_(
            gettext_noop(
                "Tasks by field. The planned reduction is the plan's promise at full effect; a "
                "cancelled task keeps its promise in the planned total. — : no reduction stated "
                "or measured, not counted in the total."
            )
        ),
        subheaders=frozenset(subheaders),
        emphasis=frozenset({len(rows) - 1}),
    )


def _tasks(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [Heading(1, "二、", _(gettext_noop("Completion of the creation tasks")))]
    tasks = report.tasks
    if not tasks:
        blocks.append(
            Placeholder(
                _(gettext_noop("To be completed: the plan's tasks and key projects with progress"))
            )
        )
        return blocks

    def count(status: str) -> int:
        return sum(1 for t in tasks if t.status == status)

    planned = sum((t.planned_tco2e for t in tasks if t.planned_tco2e is not None), Decimal(0))
    achieved = sum((t.achieved_tco2e for t in tasks if t.achieved_tco2e is not None), Decimal(0))
    blocks.append(
        Paragraph(
            _(
                gettext_noop(
                    "The plan has {count} tasks and key projects: {done} completed, {under_way} "
                    "under way, {lagging} lagging behind, {not_started} not started and "
                    "{cancelled} cancelled. They promised {planned} tCO₂e a year of reductions; "
                    "{achieved} tCO₂e a year are achieved ({share} of the promise)."
                )
            ).format(
                count=len(tasks),
                done=count("done"),
                under_way=count("in_progress"),
                lagging=count("lagging"),
                not_started=count("not_started"),
                cancelled=count("cancelled"),
                planned=_tonnes(planned),
                achieved=_tonnes(achieved),
                share=percent(achieved / planned * 100, 1) if planned else NO_VALUE,
            )
        )
    )
    blocks.append(_task_table(report, _))
    near_zero = [t for t in tasks if t.near_zero]
    if near_zero:
        names = "、".join(
            f"{t.name}（{_(_STATUS[t.status]) if t.status in _STATUS else t.status}）"
            for t in near_zero
        )
        blocks.append(
            Paragraph(
                _(
                    gettext_noop("Near-zero-carbon demonstration projects ({count}): {names}.")
                ).format(count=len(near_zero), names=names)
            )
        )
    else:
        blocks.append(
            Paragraph(_(gettext_noop("The plan has no near-zero-carbon demonstration project.")))
        )
    return blocks
