"""The comparisons of a mid-term evaluation or a final acceptance (issue 16 §5), read from the
stored scores and records (no writes).

* **Application against acceptance score** (:func:`score_comparison`): the application's side is
  the selection panel's aggregate when a panel of stage "selection" scored the unit's
  application, else the application's frozen self-score; the acceptance side is the aggregate
  of the panel of the stage that scores the unit's latest report passed on to the city, once
  every expert of it has submitted, else that report's frozen self-score. Each side says which
  it is (:class:`ScoreSide`); :func:`lowcarbon.core.acceptance.compare_scores` matches the two
  item by item across rubric editions.
* **Planned against achieved per task** (:func:`plan_of`): the tasks of the plan the unit was
  selected on (the frozen task records; a task added during creation follows), each with the
  planned annual reduction the record states, else the one the accounting gives; the achieved
  reduction, status and percent as the latest frozen self-evaluation report recorded them, else
  as the unit tracks them now. :func:`lowcarbon.core.acceptance.compare_tasks` adds shortfalls
  and flags.
* **The batch side by side** (:func:`batch_rows`): one line per creation unit of a round, kind
  and stage, with the bureau's decision on its latest report when there is one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lowcarbon.core.acceptance import (
    AcceptanceError,
    AcceptanceOutcome,
    BatchRow,
    PanelScores,
    PlanComparison,
    ScoreComparison,
    TaskProgress,
    batch_row,
    compare_scores,
    compare_tasks,
    panel_scores,
)
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.rules.snapshot import TaskOutcome
from lowcarbon.web.applications.assessment import answers_running_total
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.applications.tasks import planned_reductions
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision
from lowcarbon.web.review.actions.common import recommended_submission
from lowcarbon.web.review.aggregate import application_result
from lowcarbon.web.review.models import Panel
from lowcarbon.web.review.snapshots import answers_mapping, snapshot_rubric
from lowcarbon.web.rounds.models import Stage

__all__ = [
    "EXPERTS",
    "SELF",
    "BatchLine",
    "PlanView",
    "ScoreSide",
    "batch_rows",
    "decision_of",
    "latest_report",
    "plan_of",
    "score_comparison",
]

# Where a side's figures come from.
EXPERTS = "experts"  # the panel's aggregate (专家评分)
SELF = "self"  # the unit's frozen self-score (自评分)

EVALUATION_STAGES = (Stage.MIDTERM.value, Stage.FINAL.value)


@dataclass(frozen=True)
class ScoreSide:
    """One side of the comparison: the figures, where they come from (:data:`EXPERTS` or
    :data:`SELF`), the frozen submission they score and the panel when the experts'."""

    scores: PanelScores
    source: str
    submission: Submission
    panel: Panel | None = None

    @property
    def by_experts(self) -> bool:
        return self.source == EXPERTS


def self_score(submission: Submission) -> PanelScores:
    """The frozen self-score of a submission, scored again under its hash-checked rubric (an
    item left unanswered counts 0, as the running total counted it when frozen)."""
    rubric = snapshot_rubric(submission)
    answers = frozen_snapshot(submission).answers
    total = answers_running_total(rubric, answers, lambda items: answers_mapping(submission, items))
    return panel_scores(total.result)


def application_side(unit: CreationUnit) -> ScoreSide:
    """The selection panel's aggregate of the application, else its frozen self-score."""
    application = unit.application
    panels = Panel.objects.filter(
        round_id=application.round_id,
        stage=Stage.SELECTION,
        assignments__application=application,
    ).distinct()
    for panel in panels.order_by("pk"):
        result = application_result(panel, application)
        if result.aggregate is not None:
            submission = result.assignments[0].submission
            return ScoreSide(panel_scores(result.aggregate), EXPERTS, submission, panel)
    return ScoreSide(self_score(unit.submission), SELF, unit.submission)


def latest_report(unit: CreationUnit, stage: str) -> Submission | None:
    """The unit's latest report of ``stage`` passed on to the city, else its latest frozen
    report of the stage (None before the first is submitted)."""
    passed = recommended_submission(unit.application, stage)
    if passed is not None:
        return passed
    return (
        unit.application.submissions.filter(stage=stage, withdrawn_at__isnull=True)
        .order_by("-number")
        .first()
    )


def acceptance_side(unit: CreationUnit, stage: str) -> ScoreSide | None:
    """The acceptance panel's aggregate of the latest passed-on report once complete, else the
    report's frozen self-score; None without a report."""
    report = latest_report(unit, stage)
    if report is None:
        return None
    panel = (
        Panel.objects.filter(stage=stage, assignments__submission=report)
        .distinct()
        .order_by("-pk")
        .first()
    )
    if panel is not None:
        result = application_result(panel, unit.application)
        if result.complete and result.aggregate is not None:
            return ScoreSide(panel_scores(result.aggregate), EXPERTS, report, panel)
    return ScoreSide(self_score(report), SELF, report)


@dataclass(frozen=True)
class Scores:
    application: ScoreSide
    acceptance: ScoreSide | None
    comparison: ScoreComparison | None


def score_comparison(unit: CreationUnit, stage: str) -> Scores:
    application = application_side(unit)
    acceptance = acceptance_side(unit, stage)
    comparison = (
        compare_scores(application.scores, acceptance.scores) if acceptance is not None else None
    )
    return Scores(application, acceptance, comparison)


# -- planned against achieved -------------------------------------------------------------------


@dataclass(frozen=True)
class PlanView:
    """The tasks compared, where the achieved figures come from (the frozen report, or None for
    the live tracking), each task's name by code, and the problem when they cannot be compared."""

    plan: PlanComparison | None
    report: Submission | None
    names: dict[str, str]
    problem: str = ""


def _latest_frozen_report(unit: CreationUnit) -> Submission | None:
    return (
        unit.application.submissions.filter(stage__in=EVALUATION_STAGES, withdrawn_at__isnull=True)
        .order_by("-number")
        .first()
    )


def plan_of(unit: CreationUnit) -> PlanView:
    application = unit.application
    frozen = frozen_snapshot(unit.submission).tasks or ()
    live = {t.code: t for t in ApplicationTask.objects.filter(application=application)}
    accounted = planned_reductions(application)
    report = _latest_frozen_report(unit)
    outcomes: dict[str, TaskOutcome] = {}
    if report is not None:
        part = frozen_snapshot(report).evaluation
        if part is not None:
            outcomes = {o.code: o for o in part.outcomes}
    codes = [t.code for t in frozen]
    codes += [
        t.code
        for t in sorted(live.values(), key=lambda t: (t.position, t.code))
        if t.code not in codes
    ]
    names: dict[str, str] = {}
    tasks: list[TaskProgress] = []
    for code in codes:
        record = next((t for t in frozen if t.code == code), None)
        tracked = live.get(code)
        planned: Decimal | None = record.stated_reduction_tco2 if record is not None else None
        if planned is None:
            planned = accounted.get(code)
        if planned is None and tracked is not None and tracked.stated_reduction_tco2 is not None:
            planned = Decimal(tracked.stated_reduction_tco2)
        names[code] = record.name if record is not None else (tracked.name if tracked else code)
        outcome = outcomes.get(code)
        if outcome is not None:
            achieved = outcome.achieved_reduction_tco2
            status, percent = outcome.status, outcome.percent_done
        elif tracked is not None and not outcomes:
            achieved = (
                None
                if tracked.achieved_reduction_tco2 is None
                else Decimal(tracked.achieved_reduction_tco2)
            )
            status, percent = tracked.status, tracked.percent_complete
        else:
            # Not in the frozen report (added after it) or no longer tracked: not started.
            achieved, status, percent = None, "not_started", None
        tasks.append(TaskProgress(code, names[code], planned, achieved, status, percent))
    try:
        plan = compare_tasks(tasks)
    except AcceptanceError as error:
        return PlanView(None, report if outcomes else None, names, error.message.render(_))
    return PlanView(plan, report if outcomes else None, names)


# -- the batch ----------------------------------------------------------------------------------


def decision_of(unit: CreationUnit, stage: str) -> AcceptanceDecision | None:
    """The bureau's latest decision on the unit's reports of ``stage`` (None: not decided)."""
    return (
        AcceptanceDecision.objects.filter(unit=unit, stage=stage)
        .order_by("-decided_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class BatchLine:
    unit: CreationUnit
    row: BatchRow
    application_source: str
    decision: AcceptanceDecision | None
    problem: str = ""


def _line(unit: CreationUnit, stage: str) -> BatchLine:
    problem = ""
    application: ScoreSide | None = None
    acceptance: ScoreSide | None = None
    try:
        application = application_side(unit)
        acceptance = acceptance_side(unit, stage)
    except ValidationError as error:
        problem = " ".join(error.messages)
    except LowcarbonError as error:
        problem = error.message.render(_)
    plan = plan_of(unit)
    row = batch_row(
        unit.application.unit.name,
        application=application.scores if application else None,
        plan=plan.plan,
    )
    decision = decision_of(unit, stage)
    row = dataclasses.replace(
        row,
        acceptance_main=(
            acceptance.scores.main if acceptance is not None and acceptance.by_experts else None
        ),
        outcome=None,
    )
    if decision is not None:
        row = dataclasses.replace(row, outcome=AcceptanceOutcome(decision.outcome))
    return BatchLine(
        unit,
        row,
        application.source if application else "",
        decision,
        problem or plan.problem,
    )


def batch_rows(units: Iterable[CreationUnit], stage: str) -> list[BatchLine]:
    """One line per unit, by name."""
    return [_line(unit, stage) for unit in sorted(units, key=lambda u: u.application.unit.name)]
