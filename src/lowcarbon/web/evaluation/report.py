"""What a self-evaluation report holds, read from the unit's tracked data (no writes).

The report evaluates the unit on the indicator system it was selected under — the rubric
edition frozen in the submission its selection was based on, checked against its hash — with
its archive as the evidence (:mod:`.evidence`). Its figures come from what the unit tracked
during creation: each task's recorded outcome, and the inventory of the latest progress report
it filed (the year's activity data accounted with the base year like for like,
:func:`lowcarbon.web.creation.filing_content.progress_figures`).

Frozen, a report is a snapshot of format 1 like the application's: the application's plan and
task records as selected, the progress year's accounting in place of the application's, the
self-score in place of the application's, the archive files as its evidence, and the
``evaluation`` part (:class:`lowcarbon.rules.snapshot.EvaluationRecord`). The review reads it with
the same readers, so experts score it exactly as they scored the application.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.rubric import Rubric
from lowcarbon.rules.activity import accounting_input_from_data
from lowcarbon.rules.snapshot import EvaluationRecord, Person, Snapshot, TaskOutcome
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.assessment import RunningTotal, answers_running_total
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.applications.submission import (
    accounting_figures,
    frozen_score,
    frozen_snapshot,
)
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.archive.evidence import ArchiveEvidence, archive_evidence, cited_records
from lowcarbon.web.creation.filing_models import Filing, FilingKind, FilingStatus
from lowcarbon.web.creation.models import CreationUnit, ScheduleItem, ScheduleKey
from lowcarbon.web.evaluation.models import SelfEvaluation
from lowcarbon.web.review.snapshots import snapshot_rubric
from lowcarbon.web.rounds.models import Kind, Stage

__all__ = [
    "TEXT_FIELDS",
    "ProgressYear",
    "answers_mapping",
    "evidence_listing",
    "frozen_report",
    "latest_progress",
    "report_ordinal",
    "report_rubric",
    "report_total",
    "schedule_item",
    "stages_of",
    "stages_of_kind",
    "task_outcomes",
    "text_labels",
]

# The report's own words, in the order of the report (自评价报告): the overview, what was
# achieved, the problems and the next steps.
TEXT_FIELDS = ("summary", "results", "problems", "next_steps")


def text_labels() -> list[tuple[str, str]]:
    """The report's texts by name with their headings, in the report's order."""
    labels = {
        "summary": _("Overview"),
        "results": _("Main results"),
        "problems": _("Problems"),
        "next_steps": _("Next steps"),
    }
    return [(name, labels[name]) for name in TEXT_FIELDS]


# The schedule item a report of a stage is due by, per kind (data/creation/schedule.yaml).
_DUE_ITEM = {
    (Kind.ZONE.value, Stage.MIDTERM.value): ScheduleKey.ZONE_MIDTERM_REPORT,
    (Kind.ZONE.value, Stage.FINAL.value): ScheduleKey.ZONE_FINAL_ACCEPTANCE,
    (Kind.COMMUNITY.value, Stage.FINAL.value): ScheduleKey.COMMUNITY_SELF_REPORT,
}


def report_ordinal(submission: Submission) -> int:
    """The how-many-th report of its stage ``submission`` is (the submission numbers run on
    from the application's own, so the second report of a stage may be submission 4)."""
    return Submission.objects.filter(
        application_id=submission.application_id,
        stage=submission.stage,
        number__lte=submission.number,
    ).count()


def stages_of_kind(kind: str) -> list[str]:
    """The stages a unit of ``kind`` reports on: a zone's mid-term evaluation and final
    acceptance; a community's final acceptance (communities have no mid-term evaluation)."""
    return [stage for (found, stage) in _DUE_ITEM if found == kind]


def stages_of(unit: CreationUnit) -> list[str]:
    return stages_of_kind(unit.kind)


def schedule_item(unit: CreationUnit, stage: str) -> ScheduleItem | None:
    key = _DUE_ITEM.get((unit.kind, stage))
    if key is None:
        return None
    return ScheduleItem.objects.filter(round_id=unit.application.round_id, key=key).first()


def report_rubric(unit: CreationUnit) -> Rubric:
    """The indicator system the unit was selected under (refused if its text has changed)."""
    return snapshot_rubric(unit.submission)


def evidence_listing(evidence: Sequence[ArchiveEvidence]) -> dict[str, Any]:
    return {
        found.entry.code: {"title": found.entry.title, "file": found.entry.original_name}
        for found in evidence
    }


def answers_mapping(
    unit: CreationUnit, rubric: Rubric, items: Mapping[str, Any], listing: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "rubric": rubric.ref,
        "unit": unit.application.unit.name,
        "items": dict(items),
        "evidence": dict(listing),
    }


def report_total(
    evaluation: SelfEvaluation, evidence: Sequence[ArchiveEvidence] | None = None
) -> RunningTotal:
    """The self-score as it stands (unanswered items counted as 0)."""
    unit = evaluation.unit
    rubric = report_rubric(unit)
    listing = evidence_listing(archive_evidence(unit) if evidence is None else evidence)
    return answers_running_total(
        rubric,
        evaluation.answers,
        lambda items: answers_mapping(unit, rubric, items, listing),
    )


def task_outcomes(unit: CreationUnit) -> tuple[TaskOutcome, ...]:
    """Each task's outcome as the unit recorded it during creation."""
    return tuple(
        TaskOutcome(
            code=task.code,
            status=task.status,
            percent_done=task.percent_complete,
            achieved_reduction_tco2=task.achieved_reduction_tco2,
            note=task.tracking_note,
        )
        for task in ApplicationTask.objects.filter(application=unit.application).order_by(
            "position", "code"
        )
    )


@dataclasses.dataclass(frozen=True)
class ProgressYear:
    """The latest filed progress report with its inventory: the report's year and data."""

    filing: Filing
    year: int
    data: Mapping[str, Any]  # the year's activity merged with the base year (accounting format)
    figures: Mapping[str, Any]


def latest_progress(unit: CreationUnit) -> ProgressYear | None:
    filed = Filing.objects.filter(
        unit=unit,
        kind=FilingKind.PROGRESS_REPORT,
        status__in=[FilingStatus.SUBMITTED, FilingStatus.ACKNOWLEDGED],
    ).order_by("-year", "-number")
    for filing in filed:
        # What was filed (frozen), not the draft's content.
        activity = ((filing.snapshot or {}).get("content") or {}).get("activity") or {}
        if activity.get("data") and filing.year is not None:
            return ProgressYear(
                filing, filing.year, activity["data"], activity.get("figures") or {}
            )
    return None


def frozen_report(
    evaluation: SelfEvaluation,
    submission: Submission,
    *,
    actor: User,
    submitted_at: datetime,
    late: bool,
    progress: ProgressYear | None,
    evidence: Sequence[ArchiveEvidence],
) -> Snapshot:
    """The report frozen as ``submission``: refused (``ValidationError``) when an item is
    unanswered or the progress year cannot be accounted."""
    unit = evaluation.unit
    base = frozen_snapshot(unit.submission)
    total = report_total(evaluation, evidence)
    if not total.complete:
        raise ValidationError(
            {
                "__all__": [
                    _("Score every item before submitting: {items} not answered yet.").format(
                        items="、".join(total.unanswered)
                    )
                ]
            }
        )
    accounting = base.accounting
    accounting_result = base.accounting_result
    if progress is not None:
        try:
            result = computing.compute(accounting_input_from_data(dict(progress.data)))
        except LowcarbonError as error:
            raise ValidationError(
                {
                    "__all__": [
                        _("The inventory of {year} cannot be accounted: {problem}").format(
                            year=progress.year, problem=error.message.render(_)
                        )
                    ]
                }
            ) from error
        accounting = progress.data
        accounting_result = accounting_figures(result)
    texts = {name: str(evaluation.texts.get(name) or "") for name in TEXT_FIELDS}
    return dataclasses.replace(
        base,
        number=submission.number,
        submitted_at=submitted_at,
        submitted_by=Person(id=actor.pk, username=actor.get_username(), name=actor.get_full_name()),
        accounting=accounting,
        accounting_result=accounting_result,
        answers=dict(evaluation.answers),
        score=frozen_score(total.result, ()),
        evidence=tuple(found.entry for found in evidence),
        warnings=(),
        evaluation=EvaluationRecord(
            stage=evaluation.stage,
            base_submission=unit.submission.number,
            report_year=None if progress is None else progress.year,
            late=late,
            outcomes=task_outcomes(unit),
            texts=texts,
            records=tuple(cited_records(evidence, (found.entry.code for found in evidence))),
        ),
    )
