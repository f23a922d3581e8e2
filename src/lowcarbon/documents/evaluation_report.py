"""The self-evaluation report (自评价报告) of a creation unit, for its mid-term evaluation
(中期评估) or its acceptance (验收), from the tracked data.

It sets what the plan promised against what was done, in the order the evaluators read it:

* 一、基本情况 — the unit, its district, batch and creation period, the unit's own summary
  and its main results;
* 二、创建任务完成情况 — every task and key project with its status, how far it has come and the
  reduction achieved beside the reduction the plan promised, the totals of both, and the
  near-zero-carbon demonstration projects by name. A cancelled task keeps its promised
  reduction in the planned total (the promise was made; the shortfall is the report's to
  explain); a task without a promised reduction shows ``—`` and adds nothing;
* 三、目标指标完成情况 — each indicator in the base year and now against its staged targets.
  When the factor set of the current year is not the base year's, the current value under the
  base-year factors (同口径) has its own column: a change of factor edition is not a reduction;
* 四、碳排放变化分析 — the emissions of the base year and now, the like-for-like change and the
  effect of the factor edition apart, then the decomposition of the change (LMDI effects);
* 五、自评分情况 — the self-score item by item against the indicator system, each with the
  archive records that support it (code, title, date and the first 12 hex digits of the
  record's SHA-256), section subtotals and the total;
* 六、存在问题与下一步工作;
* 附件：佐证材料清单 — every cited record with its category, date and full SHA-256.

A text the unit has not written yet is a visible placeholder, never an empty heading. The input
is plain values (:class:`EvaluationReport`): the web layer and the command line gather them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import LIST_SEPARATOR, Message, gettext_noop

from .blocks import Block, Heading, Paragraph, Placeholder, Table
from .formatting import NO_VALUE, column, number, percent, trimmed, year
from .pdf import convert_to_pdf
from .task_list import write_docx

__all__ = [
    "ChangeEffect",
    "CitedRecord",
    "Emissions",
    "EvaluationInputError",
    "EvaluationReport",
    "ReportIndicator",
    "ReportTask",
    "ScoreItem",
    "ScoreSection",
    "StagedTarget",
    "evaluation_report_blocks",
    "evaluation_report_fields",
    "evaluation_report_from_data",
    "evaluation_report_title",
    "write_evaluation_report",
    "write_evaluation_report_pdf",
]

Translate = Callable[[str], str]

#: Hex digits of a record's SHA-256 shown beside an item (the annex gives all 64).
HASH_PREFIX = 12

# The task statuses of the creation stage (the web layer's TaskStatus values); another text is
# shown as written.
_STATUS: dict[str, str] = {
    "not_started": gettext_noop("not started"),
    "in_progress": gettext_noop("under way"),
    "done": gettext_noop("completed"),
    "lagging": gettext_noop("lagging behind"),
    "cancelled": gettext_noop("cancelled"),
}
_KIND: dict[str, str] = {
    "community": gettext_noop("low-carbon community"),
    "zone": gettext_noop("low-carbon development practice zone"),
}
_STAGE: dict[str, str] = {
    "midterm": gettext_noop("mid-term evaluation"),
    "final": gettext_noop("acceptance"),
}


# --- input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportTask:
    """A task or key project of the plan with its progress."""

    code: str  # the task number (Z01, T03 …)
    name: str
    domain: str  # the field as the reader reads it (能源、建筑 …)
    responsible: str
    start_year: int | None
    end_year: int | None
    key_project: bool
    near_zero: bool
    planned_tco2e: Decimal | None  # the promised reduction, tCO₂e a year; None: none stated
    status: str  # not_started / in_progress / done / lagging / cancelled
    percent_done: int | None
    achieved_tco2e: Decimal | None  # tCO₂e a year; None: not yet measured
    note: str = ""


@dataclass(frozen=True)
class StagedTarget:
    year: int
    value: Decimal
    met: bool | None  # None: not yet due, or not assessed


@dataclass(frozen=True)
class ReportIndicator:
    name: str
    unit: str  # as the reader reads it (formatting.unit_name)
    base_value: Decimal | None
    current_value: Decimal | None  # under the current year's factor set
    targets: tuple[StagedTarget, ...] = ()
    # The current value under the base year's factor set (同口径), for an indicator that depends
    # on the factors; shown only when the two factor sets differ.
    like_for_like_value: Decimal | None = None


@dataclass(frozen=True)
class Emissions:
    """Gross emissions of the base year and of the current year (tCO₂e)."""

    base_tco2e: Decimal
    current_tco2e: Decimal  # under the current year's factor set
    # The current year under the base year's factor set; None when the sets are the same.
    like_for_like_tco2e: Decimal | None = None


@dataclass(frozen=True)
class ChangeEffect:
    """One effect of the decomposition of the change (LMDI), tCO₂e."""

    name: str
    tco2e: Decimal


@dataclass(frozen=True)
class CitedRecord:
    """A record of the archive cited as evidence."""

    code: str
    title: str
    category: str
    date: date
    sha256: str  # 64 hex digits


@dataclass(frozen=True)
class ScoreItem:
    item_id: str
    title: str
    max_points: Decimal
    self_points: Decimal | None  # None: not scored yet
    statement: str = ""
    records: tuple[CitedRecord, ...] = ()


@dataclass(frozen=True)
class ScoreSection:
    title: str
    items: tuple[ScoreItem, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((item.max_points for item in self.items), Decimal(0))

    @property
    def self_points(self) -> Decimal:
        return sum(
            (item.self_points for item in self.items if item.self_points is not None), Decimal(0)
        )


@dataclass(frozen=True)
class EvaluationReport:
    unit_name: str
    district: str
    kind: Literal["community", "zone"]
    stage: Literal["midterm", "final"]
    batch_year: int
    period_start: int  # the creation period, in years
    period_end: int
    report_date: date
    rubric: str  # the indicator system scored against, as cited (附件4 …)
    base_year: int
    current_year: int  # the latest year with data
    base_factor_set: str  # the factor sets' titles as the reader reads them
    current_factor_set: str
    tasks: tuple[ReportTask, ...] = ()
    indicators: tuple[ReportIndicator, ...] = ()
    emissions: Emissions | None = None
    effects: tuple[ChangeEffect, ...] = ()
    score: tuple[ScoreSection, ...] = ()
    # The unit's own texts; paragraphs separated by line breaks; empty: a placeholder.
    summary: str = ""
    achievements: str = ""
    problems: str = ""
    next_steps: str = ""
    # Records listed in the annex besides those the score items cite.
    evidence: tuple[CitedRecord, ...] = ()

    @property
    def vintage_changed(self) -> bool:
        """The current year is accounted with another factor set than the base year."""
        return self.base_factor_set != self.current_factor_set

    @property
    def cited_records(self) -> tuple[CitedRecord, ...]:
        """The annex: every record cited by an item or listed as evidence, once, by code."""
        found: dict[str, CitedRecord] = {}
        for section in self.score:
            for item in section.items:
                for record in item.records:
                    found.setdefault(record.code, record)
        for record in self.evidence:
            found.setdefault(record.code, record)
        return tuple(sorted(found.values(), key=lambda r: (r.code, r.date)))

    @property
    def max_points(self) -> Decimal:
        return sum((section.max_points for section in self.score), Decimal(0))

    @property
    def self_points(self) -> Decimal:
        return sum((section.self_points for section in self.score), Decimal(0))


# --- text helpers ---------------------------------------------------------------------------


def _tonnes(value: Decimal | None) -> str:
    return number(value, 2)


def _date(value: date, _: Translate) -> str:
    return _(gettext_noop("{year}-{month}-{day}")).format(
        year=value.year, month=value.month, day=value.day
    )


def _years(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return NO_VALUE
    if start == end or end is None or start is None:
        return year(start if start is not None else end)
    return f"{year(start)}—{year(end)}"


def _status(task: ReportTask, _: Translate) -> str:
    label = _(_STATUS[task.status]) if task.status in _STATUS else task.status
    if task.percent_done is None or task.status == "cancelled":
        return label
    return f"{label}\n{percent(task.percent_done, 0)}"


def _texts(text: str, missing: str) -> list[Block]:
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if not paragraphs:
        return [Placeholder(missing)]
    return [Paragraph(line) for line in paragraphs]


def _hash_prefix(record: CitedRecord) -> str:
    return record.sha256.lower()[:HASH_PREFIX]


def _hash_lines(sha256: str) -> str:
    """The full hash in four lines of 16 digits: a column narrow enough for the annex table."""
    digest = sha256.lower()
    return "\n".join(digest[i : i + 16] for i in range(0, len(digest), 16))


# --- title and cover ------------------------------------------------------------------------


def evaluation_report_title(report: EvaluationReport, _: Translate) -> str:
    if report.stage == "midterm":
        title = _(gettext_noop("{unit} self-evaluation report for the mid-term evaluation"))
    else:
        title = _(gettext_noop("{unit} self-evaluation report for acceptance"))
    return title.format(unit=report.unit_name)


def evaluation_report_fields(report: EvaluationReport, _: Translate) -> dict[str, str]:
    """The template fields of the official layout's cover (the same names as the plan's)."""
    return {
        "title": evaluation_report_title(report, _),
        "unit_name": report.unit_name,
        "round_label": _(gettext_noop("{year} round")).format(year=report.batch_year),
        "status_text": _(
            gettext_noop("{year} batch · creation period {start} to {end} · {stage}")
        ).format(
            year=year(report.batch_year),
            start=year(report.period_start),
            end=year(report.period_end),
            stage=_(_STAGE[report.stage]),
        ),
        "applicant_line": _(gettext_noop("Reporting unit: {unit}")).format(unit=report.unit_name),
        "seal_text": _(gettext_noop("(seal)")),
        "date_text": _date(report.report_date, _),
        "snapshot_sha256": "",
    }


# --- sections -------------------------------------------------------------------------------


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


def _target_lines(targets: Sequence[StagedTarget], shown: Sequence[str], _: Translate) -> str:
    return "\n".join(
        _(gettext_noop("{year}: {target}")).format(year=year(t.year), target=value)
        for t, value in zip(targets, shown, strict=True)
    )


def _verdict_lines(targets: Sequence[StagedTarget], _: Translate) -> str:
    return "\n".join(
        _(gettext_noop("{year}: {verdict}")).format(
            year=year(t.year),
            verdict=NO_VALUE
            if t.met is None
            else _(gettext_noop("met"))
            if t.met
            else _(gettext_noop("not met")),
        )
        for t in targets
    )


def _indicator_table(report: EvaluationReport, _: Translate) -> Table:
    apart = report.vintage_changed
    rows: list[list[str]] = []
    for indicator in report.indicators:
        values = [indicator.base_value, indicator.current_value]
        values += [indicator.like_for_like_value] if apart else []
        values += [t.value for t in indicator.targets]
        shown = column(values)
        fixed = 3 if apart else 2
        row = [indicator.name, indicator.unit, *shown[:fixed]]
        row.append(_target_lines(indicator.targets, shown[fixed:], _) or NO_VALUE)
        row.append(_verdict_lines(indicator.targets, _) or NO_VALUE)
        rows.append(row)
    header = [
        _(gettext_noop("Indicator")),
        _(gettext_noop("Unit")),
        _(gettext_noop("Base year {year}")).format(year=year(report.base_year)),
        _(gettext_noop("{year} (current factors)")).format(year=year(report.current_year))
        if apart
        else _(gettext_noop("Now ({year})")).format(year=year(report.current_year)),
    ]
    if apart:
        header.append(
            _(gettext_noop("{year} (base-year factors, like for like)")).format(
                year=year(report.current_year)
            )
        )
    header += [_(gettext_noop("Staged targets")), _(gettext_noop("Reached"))]
    numeric = frozenset({2, 3, 4}) if apart else frozenset({2, 3})
    widths = (1.7, 1.0, 1.0, 1.1, 1.2, 1.8, 1.8) if apart else (2.0, 1.0, 1.1, 1.1, 1.8, 1.8)
    return Table(
        caption=_(gettext_noop("Indicators against the base year and the staged targets")),
        header=header,
        rows=rows,
        numeric=numeric,
        widths=widths,
    )


def _vintage_paragraph(report: EvaluationReport, _: Translate) -> Paragraph:
    return Paragraph(
        _(
            gettext_noop(
                "Because the emission factor edition changed (base year: {base}; {year}: "
                "{current}), the current figures are also given under the base year's factors "
                "(like for like); only the like-for-like change is a reduction."
            )
        ).format(
            base=report.base_factor_set,
            current=report.current_factor_set,
            year=year(report.current_year),
        )
    )


def _indicators(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Heading(1, "三、", _(gettext_noop("Achievement of the target indicators")))
    ]
    if not report.indicators:
        blocks.append(
            Placeholder(
                _(gettext_noop("To be completed: the indicators with their staged targets"))
            )
        )
        return blocks
    met = sum(1 for i in report.indicators for t in i.targets if t.met)
    due = sum(1 for i in report.indicators for t in i.targets if t.met is not None)
    blocks.append(
        Paragraph(
            _(
                gettext_noop(
                    "{count} indicators are compared with the base year {base}; of the staged "
                    "targets due, {met} of {due} are met."
                )
            ).format(count=len(report.indicators), base=year(report.base_year), met=met, due=due)
        )
    )
    if report.vintage_changed:
        blocks.append(_vintage_paragraph(report, _))
    blocks.append(_indicator_table(report, _))
    return blocks


def _emission_table(report: EvaluationReport, emissions: Emissions, _: Translate) -> Table:
    base, current = year(report.base_year), year(report.current_year)
    rows: list[tuple[str, Decimal | None]] = [
        (
            _(gettext_noop("Emissions of the base year {year} ({factors})")).format(
                year=base, factors=report.base_factor_set
            ),
            emissions.base_tco2e,
        ),
        (
            _(gettext_noop("Emissions of {year} ({factors})")).format(
                year=current, factors=report.current_factor_set
            ),
            emissions.current_tco2e,
        ),
        (
            _(gettext_noop("Change as reported")),
            emissions.current_tco2e - emissions.base_tco2e,
        ),
    ]
    if report.vintage_changed:
        like = emissions.like_for_like_tco2e
        rows += [
            (
                _(
                    gettext_noop("Emissions of {year} under the base year's factors ({factors})")
                ).format(year=current, factors=report.base_factor_set),
                like,
            ),
            (
                _(gettext_noop("Change like for like (the reduction)")),
                None if like is None else like - emissions.base_tco2e,
            ),
            (
                _(gettext_noop("Due to the change of emission factor edition (not a reduction)")),
                None if like is None else emissions.current_tco2e - like,
            ),
        ]
    return Table(
        caption=_(gettext_noop("Change of emissions since the base year")),
        header=[_(gettext_noop("Emissions")), _(gettext_noop("tCO₂e"))],
        rows=[[label, _tonnes(value)] for label, value in rows],
        numeric=frozenset({1}),
        widths=(4, 1.4),
        note=_(gettext_noop("A negative change is a decrease.")),
    )


def _effects_table(report: EvaluationReport, _: Translate) -> Table:
    rows = [[effect.name, _tonnes(effect.tco2e)] for effect in report.effects]
    total = sum((effect.tco2e for effect in report.effects), Decimal(0))
    rows.append([_(gettext_noop("Total")), _tonnes(total)])
    return Table(
        caption=_(gettext_noop("Decomposition of the change (LMDI)")),
        header=[_(gettext_noop("Effect")), _(gettext_noop("tCO₂e"))],
        rows=rows,
        numeric=frozenset({1}),
        widths=(4, 1.4),
        emphasis=frozenset({len(rows) - 1}),
        note=_(
            gettext_noop(
                "Additive decomposition (LMDI): the effects add up to the change of the "
                "emissions; a negative effect lowered them."
            )
        ),
    )


def _change_paragraph(report: EvaluationReport, emissions: Emissions, _: Translate) -> Paragraph:
    text = _(
        gettext_noop(
            "Emissions went from {base} tCO₂e in the base year {base_year} to {current} tCO₂e in "
            "{year}, a change of {change} tCO₂e as reported."
        )
    ).format(
        base=_tonnes(emissions.base_tco2e),
        base_year=year(report.base_year),
        current=_tonnes(emissions.current_tco2e),
        year=year(report.current_year),
        change=_tonnes(emissions.current_tco2e - emissions.base_tco2e),
    )
    like = emissions.like_for_like_tco2e
    if report.vintage_changed and like is not None:
        text += _(
            gettext_noop(
                " Under the base year's factors (like for like) the change is {like} tCO₂e; "
                "because the emission factor edition changed, {vintage} tCO₂e of the reported "
                "change are not a reduction."
            )
        ).format(
            like=_tonnes(like - emissions.base_tco2e),
            vintage=_tonnes(emissions.current_tco2e - like),
        )
    return Paragraph(text)


def _analysis(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Heading(1, "四、", _(gettext_noop("Analysis of the change of emissions")))
    ]
    emissions = report.emissions
    if emissions is None:
        blocks.append(
            Placeholder(
                _(
                    gettext_noop("To be completed: the emissions of the base year and of {year}")
                ).format(year=year(report.current_year))
            )
        )
    else:
        if report.vintage_changed and emissions.like_for_like_tco2e is None:
            blocks.append(
                Placeholder(
                    _(
                        gettext_noop(
                            "To be completed: the emissions of {year} under the base year's factors"
                        )
                    ).format(year=year(report.current_year))
                )
            )
        blocks.append(_change_paragraph(report, emissions, _))
        blocks.append(_emission_table(report, emissions, _))
    if report.effects:
        blocks.append(_effects_table(report, _))
    else:
        blocks.append(
            Paragraph(_(gettext_noop("No decomposition of the change is given.")), style="note")
        )
    return blocks


def _evidence(item: ScoreItem, _: Translate) -> str:
    return "\n".join(
        f"{r.code} {r.title}\n{_date(r.date, _)} {_hash_prefix(r)}" for r in item.records
    ) or _(gettext_noop("none"))


def _score_table(report: EvaluationReport, _: Translate) -> Table:
    rows: list[list[str]] = []
    points: list[list[Decimal | None]] = []  # the two point columns, formatted together
    subheaders: set[int] = set()
    emphasis: set[int] = set()
    for section in report.score:
        subheaders.add(len(rows))
        rows.append(["", section.title, "", "", "", ""])
        points.append([None, None])
        for item in section.items:
            rows.append([item.item_id, item.title, "", "", item.statement, _evidence(item, _)])
            points.append([item.max_points, item.self_points])
        emphasis.add(len(rows))
        rows.append(["", _(gettext_noop("Subtotal")), "", "", "", ""])
        points.append([section.max_points, section.self_points])
    emphasis.add(len(rows))
    rows.append(["", _(gettext_noop("Total")), "", "", "", ""])
    points.append([report.max_points, report.self_points])
    for index in (0, 1):
        shown = column([p[index] for p in points], most=2)
        for row, value, kind in zip(rows, shown, points, strict=True):
            if kind[0] is not None:
                row[2 + index] = value
    return Table(
        caption=_(gettext_noop("Self-score by item")),
        header=[
            _(gettext_noop("No.")),
            _(gettext_noop("Evaluation item")),
            _(gettext_noop("Maximum points")),
            _(gettext_noop("Self-assessed points")),
            _(gettext_noop("Statement")),
            _(gettext_noop("Evidence (record, date, SHA-256)")),
        ],
        rows=rows,
        numeric=frozenset({2, 3}),
        widths=(0.8, 2.0, 0.8, 0.8, 2.6, 2.6),
        emphasis=frozenset(emphasis),
        subheaders=frozenset(subheaders),
        note=_(
            gettext_noop(
                "Each record is named by its archive code and title, its date and the first "
                "{digits} hex digits of its SHA-256; the annex gives the full hash."
            )
        ).format(digits=HASH_PREFIX),
    )


def _score(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [Heading(1, "五、", _(gettext_noop("Self-score")))]
    if not report.score:
        blocks.append(Placeholder(_(gettext_noop("To be completed: the self-score item by item"))))
        return blocks
    items = [item for section in report.score for item in section.items]
    unscored = [item.item_id for item in items if item.self_points is None]
    blocks.append(
        Paragraph(
            _(
                gettext_noop(
                    "Scored against {rubric}: {points} of {maximum} points, over {count} items "
                    "supported by {records} archive records."
                )
            ).format(
                rubric=report.rubric,
                points=trimmed(report.self_points),
                maximum=trimmed(report.max_points),
                count=len(items),
                records=len({r.code for item in items for r in item.records}),
            )
        )
    )
    if unscored:
        blocks.append(
            Placeholder(
                _(gettext_noop("To be completed: the self-score of items {items}")).format(
                    items="、".join(unscored)
                )
            )
        )
    blocks.append(_score_table(report, _))
    return blocks


def _closing(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Heading(1, "六、", _(gettext_noop("Problems and next steps"))),
        Heading(2, "（一）", _(gettext_noop("Problems"))),
    ]
    blocks += _texts(
        report.problems, _(gettext_noop("To be completed: the problems met in the creation"))
    )
    blocks.append(Heading(2, "（二）", _(gettext_noop("Next steps"))))
    blocks += _texts(report.next_steps, _(gettext_noop("To be completed: the work planned next")))
    return blocks


def _annex(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [Heading(1, "", _(gettext_noop("Annex: list of evidence")))]
    records = report.cited_records
    if not records:
        blocks.append(Paragraph(_(gettext_noop("No archive record is cited."))))
        return blocks
    blocks.append(
        Table(
            caption=_(gettext_noop("Archive records cited as evidence")),
            header=[
                _(gettext_noop("No.")),
                _(gettext_noop("Record")),
                _(gettext_noop("Title")),
                _(gettext_noop("Category")),
                _(gettext_noop("Date")),
                "SHA-256",
            ],
            rows=[
                [
                    str(index),
                    record.code,
                    record.title,
                    record.category,
                    record.date.isoformat(),
                    _hash_lines(record.sha256),
                ]
                for index, record in enumerate(records, start=1)
            ],
            numeric=frozenset({0}),
            widths=(0.5, 1.2, 2.4, 1.0, 1.1, 1.6),
            note=_(
                gettext_noop(
                    "The SHA-256 of each record identifies the file kept in the archive: a "
                    "reader can check a copy against it."
                )
            ),
        )
    )
    return blocks


def evaluation_report_blocks(report: EvaluationReport, _: Translate) -> list[Block]:
    """The body of the report (module docstring), without the cover."""
    return [
        *_basics(report, _),
        *_tasks(report, _),
        *_indicators(report, _),
        *_analysis(report, _),
        *_score(report, _),
        *_closing(report, _),
        *_annex(report, _),
    ]


def write_evaluation_report(
    report: EvaluationReport, out_docx: Path, _: Translate, *, template: Path | None = None
) -> None:
    """The report in the official Word layout (cover, contents, body), as the plan's."""
    write_docx(
        evaluation_report_fields(report, _),
        evaluation_report_blocks(report, _),
        out_docx,
        _,
        template,
    )


def write_evaluation_report_pdf(
    report: EvaluationReport,
    out_dir: Path,
    stem: str,
    _: Translate,
    *,
    template: Path | None = None,
) -> tuple[Path, Path]:
    """The DOCX and its PDF in ``out_dir``; :class:`~lowcarbon.documents.pdf.PdfConversionError`
    when no PDF can be made (the DOCX is then still there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = out_dir / f"{stem}.docx"
    write_evaluation_report(report, docx, _, template=template)
    return docx, convert_to_pdf(docx, out_dir)


# --- input from JSON ------------------------------------------------------------------------


class EvaluationInputError(LowcarbonError):
    """Input of the report that cannot be read; the message names the field, the value found
    and what is expected."""

    code = "evaluation_input"


_HEX = frozenset("0123456789abcdef")
_VALUE_SHOWN = 40  # characters of a wrong value quoted in a message


def _found(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    text = str(value)
    return text if len(text) <= _VALUE_SHOWN else text[:_VALUE_SHOWN] + "…"


class _Reader:
    """Typed values out of the decoded JSON, every problem naming where it is (tasks[2].name)."""

    def __init__(self, data: Mapping[str, Any], where: str = "") -> None:
        self.data = data
        self.where = where

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _wrong(self, key: str, value: object, expected: str) -> EvaluationInputError:
        if value is None and key not in self.data:
            return EvaluationInputError(
                Message(
                    gettext_noop("the field {field} is missing (expected {expected})"),
                    {"field": self._path(key), "expected": Message(expected)},
                )
            )
        return EvaluationInputError(
            Message(
                gettext_noop("the field {field} holds {value}; expected {expected}"),
                {"field": self._path(key), "value": _found(value), "expected": Message(expected)},
            )
        )

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self._wrong(key, value, gettext_noop("a text"))
        return value

    def year(self, key: str, *, required: bool = True) -> int | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            raise self._wrong(key, value, gettext_noop("a year of four digits"))
        return value

    def required_year(self, key: str) -> int:
        found = self.year(key)
        assert found is not None  # required
        return found

    def number(self, key: str, *, required: bool = True) -> Decimal | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise self._wrong(key, value, gettext_noop("a number"))
        try:
            found = Decimal(str(value).strip())
        except InvalidOperation:
            raise self._wrong(key, value, gettext_noop("a number")) from None
        if not found.is_finite():
            raise self._wrong(key, value, gettext_noop("a number"))
        return found

    def required_number(self, key: str) -> Decimal:
        found = self.number(key)
        assert found is not None  # required
        return found

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self._wrong(key, value, gettext_noop("true or false"))
        return value

    def verdict(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is not None and not isinstance(value, bool):
            raise self._wrong(key, value, gettext_noop("true, false or null (not yet due)"))
        return value

    def day(self, key: str) -> date:
        value = self.data.get(key)
        try:
            if not isinstance(value, str):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise self._wrong(key, value, gettext_noop("a date written YYYY-MM-DD")) from None

    def percent(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise self._wrong(key, value, gettext_noop("a whole number from 0 to 100"))
        return value

    def choice(self, key: str, choices: Mapping[str, str]) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or value not in choices:
            raise self._wrong(key, value, choices[""])
        return value

    def sha256(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or len(value) != 64 or not set(value.lower()) <= _HEX:
            raise self._wrong(key, value, gettext_noop("a SHA-256 of 64 hexadecimal digits"))
        return value.lower()

    def objects(self, key: str) -> list[_Reader]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, value, gettext_noop("a list"))
        found = []
        for index, entry in enumerate(value):
            where = f"{self._path(key)}[{index}]"
            if not isinstance(entry, dict):
                raise EvaluationInputError(
                    Message(
                        gettext_noop("the field {field} holds {value}; expected {expected}"),
                        {
                            "field": where,
                            "value": _found(entry),
                            "expected": Message(gettext_noop("an object")),
                        },
                    )
                )
            found.append(_Reader(entry, where))
        return found

    def codes(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise self._wrong(key, value, gettext_noop("a list of record codes"))
        return list(value)

    def object(self, key: str) -> _Reader | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._wrong(key, value, gettext_noop("an object"))
        return _Reader(value, self._path(key))


_KINDS = {"": gettext_noop("community or zone"), "community": "", "zone": ""}
_STAGES = {"": gettext_noop("midterm or final"), "midterm": "", "final": ""}


def _record(entry: _Reader) -> CitedRecord:
    day = entry.day("date")
    return CitedRecord(
        code=entry.text("code"),
        title=entry.text("title"),
        category=entry.text("category", required=False),
        date=day,
        sha256=entry.sha256("sha256"),
    )


def _task(entry: _Reader) -> ReportTask:
    return ReportTask(
        code=entry.text("code"),
        name=entry.text("name"),
        domain=entry.text("domain", required=False),
        responsible=entry.text("responsible", required=False),
        start_year=entry.year("start_year", required=False),
        end_year=entry.year("end_year", required=False),
        key_project=entry.flag("key_project"),
        near_zero=entry.flag("near_zero"),
        planned_tco2e=entry.number("planned_tco2e", required=False),
        status=entry.text("status"),
        percent_done=entry.percent("percent_done"),
        achieved_tco2e=entry.number("achieved_tco2e", required=False),
        note=entry.text("note", required=False),
    )


def _indicator(entry: _Reader) -> ReportIndicator:
    return ReportIndicator(
        name=entry.text("name"),
        unit=entry.text("unit", required=False),
        base_value=entry.number("base_value", required=False),
        current_value=entry.number("current_value", required=False),
        targets=tuple(
            StagedTarget(
                year=target.required_year("year"),
                value=target.required_number("value"),
                met=target.verdict("met"),
            )
            for target in entry.objects("targets")
        ),
        like_for_like_value=entry.number("like_for_like_value", required=False),
    )


def _item(entry: _Reader, records: Mapping[str, CitedRecord]) -> ScoreItem:
    cited = []
    for code in entry.codes("records"):
        if code not in records:
            raise EvaluationInputError(
                Message(
                    gettext_noop(
                        "the field {field} cites the record {code}, which is not in the list "
                        "of records (records)"
                    ),
                    {"field": f"{entry.where}.records", "code": code},
                )
            )
        cited.append(records[code])
    return ScoreItem(
        item_id=entry.text("item_id"),
        title=entry.text("title"),
        max_points=entry.required_number("max_points"),
        self_points=entry.number("self_points", required=False),
        statement=entry.text("statement", required=False),
        records=tuple(cited),
    )


def evaluation_report_from_data(data: object) -> EvaluationReport:
    """The report's input from decoded JSON (the field names of :class:`EvaluationReport`;
    ``records`` lists the archive records, which the score items cite by code); an
    :class:`EvaluationInputError` names the first field that cannot be read."""
    if not isinstance(data, dict):
        raise EvaluationInputError(
            Message(
                gettext_noop("the input holds {value}; expected {expected}"),
                {"value": _found(data), "expected": Message(gettext_noop("an object"))},
            )
        )
    top = _Reader(data)
    records = {record.code: record for record in map(_record, top.objects("records"))}
    emissions = top.object("emissions")
    kind = top.choice("kind", _KINDS)
    stage = top.choice("stage", _STAGES)
    return EvaluationReport(
        unit_name=top.text("unit_name"),
        district=top.text("district", required=False),
        kind="zone" if kind == "zone" else "community",
        stage="midterm" if stage == "midterm" else "final",
        batch_year=top.required_year("batch_year"),
        period_start=top.required_year("period_start"),
        period_end=top.required_year("period_end"),
        report_date=top.day("report_date"),
        rubric=top.text("rubric"),
        base_year=top.required_year("base_year"),
        current_year=top.required_year("current_year"),
        base_factor_set=top.text("base_factor_set"),
        current_factor_set=top.text("current_factor_set"),
        tasks=tuple(_task(entry) for entry in top.objects("tasks")),
        indicators=tuple(_indicator(entry) for entry in top.objects("indicators")),
        emissions=None
        if emissions is None
        else Emissions(
            base_tco2e=emissions.required_number("base_tco2e"),
            current_tco2e=emissions.required_number("current_tco2e"),
            like_for_like_tco2e=emissions.number("like_for_like_tco2e", required=False),
        ),
        effects=tuple(
            ChangeEffect(entry.text("name"), entry.required_number("tco2e"))
            for entry in top.objects("effects")
        ),
        score=tuple(
            ScoreSection(
                section.text("title"),
                tuple(_item(entry, records) for entry in section.objects("items")),
            )
            for section in top.objects("score")
        ),
        summary=top.text("summary", required=False),
        achievements=top.text("achievements", required=False),
        problems=top.text("problems", required=False),
        next_steps=top.text("next_steps", required=False),
        evidence=tuple(records.values()),
    )
