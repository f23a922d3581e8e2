"""The self-evaluation report (自评价报告) as a document: the input of
:mod:`lowcarbon.documents.evaluation_report` gathered from the unit's tracked data (no writes).

* A frozen report (a submission of the stage midterm or final) gives exactly what was frozen:
  the plan's task records of the application the unit was selected on, each task's outcome,
  the progress year's accounting, the self-score, the answers' statements and cited files, the
  texts and the submission's date.
* The unit's current draft gives the report as it stands: the answers and texts saved so far,
  the running self-score (an item not yet scored is a gap, not a zero), each task's outcome as
  the unit recorded it, the latest filed progress report's inventory and the current archive.

Both read the plan from the application's frozen snapshot (what the plan promised when the unit
was selected; the application's task records when that snapshot froze none): a task's planned
reduction is what the plan's accounting counts for it (computed from its activities, or its
stated figure), as every document of the plan lists it. Both years
of the comparison are accounted under the plan's factor set, so the like-for-like columns stay
out (one factor set: no vintage change to show apart).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, cast

from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.activity import TargetKind
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.labels import DOMAIN, EFFECT, INDICATOR
from lowcarbon.core.rubric import Rubric
from lowcarbon.documents.evaluation_report import (
    ChangeEffect,
    CitedRecord,
    Emissions,
    EvaluationReport,
    ReportIndicator,
    ReportTask,
    ScoreItem,
    ScoreSection,
    StagedTarget,
)
from lowcarbon.documents.formatting import factor_set_name, unit_name
from lowcarbon.rules.activity import accounting_input_from_data
from lowcarbon.rules.archive_categories import categories_of
from lowcarbon.rules.snapshot import (
    AccountingFigures,
    EvidenceEntry,
    Snapshot,
    TaskOutcome,
    TaskRecord,
)
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.applications.submission import accounting_figures, frozen_snapshot, task_records
from lowcarbon.web.archive.evidence import archive_evidence
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.evaluation.actions import evaluation_of
from lowcarbon.web.evaluation.report import (
    latest_progress,
    report_rubric,
    report_total,
    schedule_item,
    task_outcomes,
)
from lowcarbon.web.language import local
from lowcarbon.web.review.snapshots import snapshot_rubric
from lowcarbon.web.rounds.models import Stage

__all__ = ["document_stem", "evaluation_report_input"]

# The indicators the report compares with the base year, in the order of the accounting's
# pages (the apparent rate and the factor effect belong to a change of factor set: none here).
_INDICATORS = (
    "total",
    "per_capita",
    "per_household",
    "per_floor_area",
    "per_gdp",
    "renewable_share",
    "renewable_electricity_share",
    "source_sink_ratio",
    "decline_rate",
    "per_capita_decline_rate",
)
# A staged target of a kind is the target of this indicator, met when the value is at most
# (or at least) the target (core.activity.TargetKind).
_TARGET_INDICATOR = {
    TargetKind.TOTAL: "total",
    TargetKind.DECLINE_RATE: "decline_rate",
    TargetKind.PER_CAPITA: "per_capita",
    TargetKind.PER_CAPITA_DECLINE_RATE: "per_capita_decline_rate",
    TargetKind.INTENSITY_GDP: "per_gdp",
    TargetKind.RENEWABLE_SHARE: "renewable_share",
    TargetKind.SOURCE_SINK_RATIO: "source_sink_ratio",
}
_AT_MOST = {
    TargetKind.TOTAL,
    TargetKind.PER_CAPITA,
    TargetKind.INTENSITY_GDP,
    TargetKind.SOURCE_SINK_RATIO,
}


@dataclass(frozen=True)
class _Cited:
    """One archive file an answer can cite: its code, its record and the file's hash."""

    code: str
    title: str
    category: str
    date: date
    sha256: str


def document_stem(unit_name_: str, stage: str) -> str:
    """The file name without its suffix: 田林十二村社区_验收自评价报告."""
    if stage == Stage.MIDTERM.value:
        return _("{unit}_mid-term evaluation self-evaluation report").format(unit=unit_name_)
    return _("{unit}_acceptance self-evaluation report").format(unit=unit_name_)


# --- the plan's tasks -----------------------------------------------------------------------


def _planned(plan: Snapshot, records: Sequence[TaskRecord]) -> dict[str, Decimal]:
    """What the plan's accounting counts for each task (computed from its activities, or
    stated), else the stated figure: the figure every document of the plan lists."""
    counted: dict[str, Decimal] = {}
    if plan.accounting:
        try:
            data = accounting_input_from_data(dict(plan.accounting))
            result = computing.compute(
                dataclasses.replace(data, factor_set=plan.editions.factor_set.id)
            )
        except LowcarbonError:
            result = None
        forecast = None if result is None else result.forecast
        if forecast is not None:
            for record in records:
                found = forecast.reduction_of(record.code)
                if found is not None:
                    counted[record.code] = found.reduction_tco2
    for record in records:
        if record.code not in counted and record.stated_reduction_tco2 is not None:
            counted[record.code] = record.stated_reduction_tco2
    return counted


def _plan_records(plan: Snapshot, unit: CreationUnit) -> tuple[TaskRecord, ...]:
    """The plan's task records as frozen with the application; when it froze none (a
    snapshot written before task records were frozen), the application's records, which a
    submitted application no longer changes."""
    if plan.tasks:
        return plan.tasks
    return task_records(unit.application)


def _tasks(
    plan: Snapshot,
    records: Sequence[TaskRecord],
    outcomes: Sequence[TaskOutcome],
    unit_label: str,
) -> tuple[ReportTask, ...]:
    planned = _planned(plan, records)
    by_code = {outcome.code: outcome for outcome in outcomes}
    tasks = []
    for record in records:
        outcome = by_code.get(record.code)
        tasks.append(
            ReportTask(
                code=record.code,
                name=record.name,
                domain=_(DOMAIN[record.domain]) if record.domain in DOMAIN else record.domain,
                responsible=record.responsible or unit_label,
                start_year=record.start_year,
                end_year=record.end_year,
                key_project=record.key_project,
                near_zero=record.near_zero,
                planned_tco2e=planned.get(record.code),
                status="not_started" if outcome is None else outcome.status,
                percent_done=None if outcome is None else outcome.percent_done,
                achieved_tco2e=None if outcome is None else outcome.achieved_reduction_tco2,
                note="" if outcome is None else outcome.note,
            )
        )
    return tuple(tasks)


# --- the indicators and the emissions -------------------------------------------------------


@dataclass(frozen=True)
class _Accounted:
    """The progress year's accounting: the figures and the decomposition of the change."""

    figures: AccountingFigures
    base_year: int
    year: int
    targets: tuple[tuple[TargetKind, int, Decimal], ...]
    result: AccountingResult | None


def _accounted(
    data: Mapping[str, Any], year: int, figures: AccountingFigures | None
) -> _Accounted | None:
    """The year's accounting from its frozen input (``figures`` as frozen, when given)."""
    try:
        parsed = accounting_input_from_data(dict(data))
        result = computing.compute(parsed)
    except LowcarbonError:
        if figures is None:
            return None
        result = None
        targets: tuple[tuple[TargetKind, int, Decimal], ...] = ()
    else:
        targets = tuple((t.kind, t.year, t.value) for t in parsed.targets)
    figures = figures or (accounting_figures(result) if result is not None else None)
    if figures is None:
        return None
    base_year = int((data.get("profile") or {}).get("base_year") or year)
    return _Accounted(figures, base_year, year, targets, result)


# The rates against the base year: the comparison's, in per cent (none in the base year).
_RATES = {"decline_rate", "per_capita_decline_rate"}


def _value(figures: AccountingFigures, year: int, indicator: str) -> tuple[Decimal | None, str]:
    comparison = figures.comparison
    if indicator in _RATES:
        if comparison is None or comparison.year != year:
            return None, "%"
        if indicator == "decline_rate":
            return comparison.decline_rate, "%"
        return comparison.per_capita_decline_rate, "%"
    for found in figures.indicators:
        if found.year == year and indicator in found.values:
            figure = found.values[indicator]
            return figure.value, figure.unit
    return None, ""


def _indicators(accounted: _Accounted) -> tuple[ReportIndicator, ...]:
    figures = accounted.figures
    shown = []
    for indicator in _INDICATORS:
        base, base_unit = _value(figures, accounted.base_year, indicator)
        current, current_unit = _value(figures, accounted.year, indicator)
        staged = [t for t in accounted.targets if _TARGET_INDICATOR.get(t[0]) == indicator]
        if base is None and current is None and not staged:
            continue
        targets = []
        for kind, target_year, value in sorted(staged, key=lambda t: t[1]):
            met: bool | None = None
            # Assessed once its year is reached; a later target is not yet due.
            if current is not None and target_year <= accounted.year:
                met = current <= value if kind in _AT_MOST else current >= value
            targets.append(StagedTarget(target_year, value, met))
        shown.append(
            ReportIndicator(
                name=_(INDICATOR[indicator]),
                unit=unit_name(current_unit or base_unit, local),
                base_value=base,
                current_value=current,
                targets=tuple(targets),
            )
        )
    return tuple(shown)


def _emissions(accounted: _Accounted) -> Emissions | None:
    gross = {i.year: i.gross_tco2 for i in accounted.figures.inventories}
    if accounted.base_year not in gross or accounted.year not in gross:
        return None
    return Emissions(base_tco2e=gross[accounted.base_year], current_tco2e=gross[accounted.year])


def _effects(accounted: _Accounted) -> tuple[ChangeEffect, ...]:
    decomposition = None if accounted.result is None else accounted.result.decomposition
    if decomposition is None:
        return ()
    return tuple(
        ChangeEffect(_(EFFECT[effect.value]) if effect.value in EFFECT else effect.value, tco2e)
        for effect, tco2e in decomposition.effects.items()
    )


# --- the self-score -------------------------------------------------------------------------


def _category_label(kind: str, code: str) -> str:
    found = categories_of(kind).get(code)
    return local(found.title) if found is not None else code


def _statement(answer: Mapping[str, Any]) -> str:
    parts = [str(answer.get(key) or "").strip() for key in ("reason", "comment")]
    return "\n".join(part for part in parts if part)


def _score(
    rubric: Rubric,
    answers: Mapping[str, Any],
    points: Mapping[str, tuple[Decimal, Decimal | None]],
    cited: Mapping[str, _Cited],
) -> tuple[ScoreSection, ...]:
    sections = []
    for section in rubric.sections:
        items = []
        for item in section.items:
            answer = answers.get(item.id) or {}
            maximum, scored = points.get(
                item.id, (rubric.effective_maxima.get(item.id, item.reachable_maximum), None)
            )
            records = tuple(
                CitedRecord(c.code, c.title, c.category, c.date, c.sha256)
                for code in answer.get("evidence") or ()
                if (c := cited.get(str(code))) is not None
            )
            items.append(
                ScoreItem(
                    item_id=item.id,
                    title=local(item.title),
                    max_points=maximum,
                    self_points=scored,
                    statement=_statement(answer),
                    records=records,
                )
            )
        sections.append(ScoreSection(f"{section.label} {local(section.title)}", tuple(items)))
    return tuple(sections)


# --- the report -----------------------------------------------------------------------------


def _period_end(unit: CreationUnit, stage: str, fallback: int) -> int:
    item = schedule_item(unit, stage)
    return fallback if item is None else local_date(item.due_at).year


def _draft_cited(unit: CreationUnit) -> dict[str, _Cited]:
    return {
        found.entry.code: _Cited(
            found.entry.code,
            found.record.title,
            _category_label(unit.kind, found.record.category),
            found.record.date,
            found.file.sha256,
        )
        for found in archive_evidence(unit)
    }


def _frozen_cited(unit: CreationUnit, frozen: Snapshot) -> dict[str, _Cited]:
    entries: dict[str, EvidenceEntry] = {entry.code: entry for entry in frozen.evidence}
    cited: dict[str, _Cited] = {}
    records = () if frozen.evaluation is None else frozen.evaluation.records
    for record in records:
        for code in record.evidence:
            entry = entries.get(code)
            if entry is None:
                continue
            cited[code] = _Cited(
                code,
                record.title,
                _category_label(unit.kind, record.category),
                date.fromisoformat(record.date),
                entry.sha256,
            )
    return cited


def evaluation_report_input(
    unit: CreationUnit, stage: str, *, submission: Submission | None = None
) -> EvaluationReport:
    """The report of ``stage`` as frozen in ``submission``, or the unit's draft as it stands."""
    application = unit.application
    plan = frozen_snapshot(unit.submission)
    organisation = application.unit
    district = organisation.district.name if organisation.district is not None else ""
    unit_label = organisation.name
    if submission is not None:
        frozen = frozen_snapshot(submission)
        part = frozen.evaluation
        rubric = snapshot_rubric(submission)
        answers: Mapping[str, Any] = frozen.answers
        texts: Mapping[str, str] = {} if part is None else part.texts
        outcomes: Sequence[TaskOutcome] = () if part is None else part.outcomes
        points: dict[str, tuple[Decimal, Decimal | None]] = {}
        if frozen.score is not None:
            points = {
                item: (score.maximum, None if score.status == "unanswered" else score.points)
                for item, score in frozen.score.items.items()
            }
        cited = _frozen_cited(unit, frozen)
        accounted = None
        if part is not None and part.report_year is not None:
            accounted = _accounted(frozen.accounting, part.report_year, frozen.accounting_result)
        unit_label = frozen.application.unit.name
        batch_year = frozen.application.round.year
        reported_on = local_date(submission.submitted_at)
    else:
        evaluation = evaluation_of(unit, stage)
        rubric = report_rubric(unit)
        answers = evaluation.answers or {}
        texts = evaluation.texts or {}
        outcomes = task_outcomes(unit)
        evidence = archive_evidence(unit)
        total = report_total(evaluation, evidence)
        points = {
            result.item.id: (
                result.maximum,
                None if result.item.id in total.unanswered else result.points,
            )
            for section in total.result.sections
            for result in section.items
        }
        cited = _draft_cited(unit)
        progress = latest_progress(unit)
        accounted = None if progress is None else _accounted(progress.data, progress.year, None)
        batch_year = application.round.year
        reported_on = timezone.localdate()
    base_year = accounted.base_year if accounted is not None else _plan_base_year(plan)
    current_year = accounted.year if accounted is not None else base_year
    factor_set = (
        accounted.figures.factor_set if accounted is not None else plan.editions.factor_set.id
    )
    set_name = factor_set_name(factor_set, local)
    return EvaluationReport(
        unit_name=unit_label,
        district=district,
        kind=cast(Literal["community", "zone"], unit.kind),
        stage=cast(Literal["midterm", "final"], stage),
        batch_year=batch_year,
        period_start=batch_year,
        period_end=_period_end(unit, stage, max(batch_year, current_year)),
        report_date=reported_on,
        rubric=f"{local(rubric.title)}（{rubric.source}）"
        if rubric.source
        else local(rubric.title),
        base_year=base_year,
        current_year=current_year,
        base_factor_set=set_name,
        current_factor_set=set_name,
        tasks=_tasks(plan, _plan_records(plan, unit), outcomes, unit_label),
        indicators=() if accounted is None else _indicators(accounted),
        emissions=None if accounted is None else _emissions(accounted),
        effects=() if accounted is None else _effects(accounted),
        score=_score(rubric, answers, points, cited),
        summary=str(texts.get("summary") or ""),
        achievements=str(texts.get("results") or ""),
        problems=str(texts.get("problems") or ""),
        next_steps=str(texts.get("next_steps") or ""),
    )


def _rubric_cited(rubric: Rubric) -> str:
    title = local(rubric.title)
    return f"{title}（{rubric.source}）" if rubric.source else title


def _plan_base_year(plan: Snapshot) -> int:
    profile = (plan.accounting or {}).get("profile") or {}
    if profile.get("base_year"):
        return int(profile["base_year"])
    return plan.application.round.year
