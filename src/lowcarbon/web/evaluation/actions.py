"""The audited actions of mid-term evaluation and final acceptance (issue 16).

* the unit scores itself item by item against the indicator system it was selected under,
  citing its archive (:func:`do_save_item`), writes the report's texts (:func:`do_save_texts`)
  and submits the report (:func:`do_submit_report`): frozen as a submission of the stage, its
  archive records cited (so none of them can be changed or removed afterwards), marked late or
  refused after the due date as the round's rule for late filings says, and the unit moved to
  中期评估 or 预验收;
* the district pre-accepts the frozen report (:func:`do_pre_accept`): findings item by item, and
  either passes it on to the city (the review's panels of the stage then score it) or orders a
  rectification whose items are the findings, after which the unit submits again.

Every action checks the version the person started from, runs in one transaction and records
one audit event; nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.rules.snapshot import snapshot_data, snapshot_sha256
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import clean_answer, engine_errors
from lowcarbon.web.applications.models import DistrictDecision, Submission
from lowcarbon.web.archive.citations import cite
from lowcarbon.web.archive.evidence import archive_evidence
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.filings import lateness
from lowcarbon.web.creation.lifecycle import transition_error
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus
from lowcarbon.web.creation.rectification import ItemInput, do_issue_rectification
from lowcarbon.web.creation.schedule import is_late, local_date
from lowcarbon.web.evaluation.models import (
    PreAcceptance,
    Recommendation,
    ReportStatus,
    SelfEvaluation,
)
from lowcarbon.web.evaluation.report import (
    TEXT_FIELDS,
    answers_mapping,
    evidence_listing,
    frozen_report,
    latest_progress,
    report_ordinal,
    report_rubric,
    schedule_item,
    stages_of,
)
from lowcarbon.web.language import local
from lowcarbon.web.rounds.models import Stage

__all__ = [
    "TEXT_LIMIT",
    "Finding",
    "do_pre_accept",
    "do_save_item",
    "do_save_texts",
    "do_submit_report",
    "evaluation_of",
    "reopen_report",
]

TEXT_LIMIT = 5000
# The unit's status a submitted report moves it to, per stage.
_UNDER_EVALUATION = {
    Stage.MIDTERM.value: LifecycleStatus.MIDTERM_EVALUATION,
    Stage.FINAL.value: LifecycleStatus.PRE_ACCEPTANCE,
}
# Units that report no more: not yet in creation, or judged.
_NOT_REPORTING = {LifecycleStatus.SELECTED, LifecycleStatus.ACCEPTED, LifecycleStatus.FAILED}


def reopen_report(unit: CreationUnit, stage: str) -> None:
    """The unit's report of ``stage`` opens again for a new submission (a rectification ordered
    on it: the district's, or the bureau's re-inspection). Runs inside the caller's action and
    transaction, whose audit event records the order; the version moves on, so a page opened
    before cannot save over the reopened report unseen."""
    evaluation = SelfEvaluation.objects.select_for_update().get(unit=unit, stage=stage)
    evaluation.status = ReportStatus.RETURNED
    evaluation.version += 1
    evaluation.save(update_fields=["status", "version"])


def evaluation_of(unit: CreationUnit, stage: str) -> SelfEvaluation:
    """The unit's report of ``stage``; an unsaved empty one (version 0) before its first save."""
    found = SelfEvaluation.objects.filter(unit=unit, stage=stage).first()
    return found or SelfEvaluation(unit=unit, stage=stage, version=0)


def _stage_error(unit: CreationUnit, stage: str) -> str | None:
    if stage not in stages_of(unit):
        return _("A {kind} reports on no such stage: “{found}”.").format(
            kind=unit.kind_label, found=Stage(stage).label if stage in Stage.values else stage
        )
    return None


def _writer_refusal(unit: CreationUnit, stage: str, actor: User) -> str | None:
    if not permissions.can_write_self_evaluation(actor, unit):
        return _("Only the unit's own people write its self-evaluation report.")
    if problem := _stage_error(unit, stage):
        return problem
    if unit.status in _NOT_REPORTING:
        return _("The unit is {status}; it does not report now.").format(
            status=LifecycleStatus(unit.status).label
        )
    return None


def _editable_refusal(evaluation: SelfEvaluation) -> str | None:
    if evaluation.pk is not None and not evaluation.is_editable:
        return _(
            "The report is {status}; it can be changed only when the district asks for a "
            "rectification."
        ).format(status=ReportStatus(evaluation.status).label)
    return None


def _stale(current: int, expected: int) -> ValidationError:
    return ValidationError(
        {
            "__all__": [
                _(
                    "The report was saved from another window or session first (now version "
                    "{current}, you started from version {expected}). Nothing was saved; reload "
                    "the page and try again."
                ).format(current=current, expected=expected)
            ]
        },
        code="stale",
    )


def _locked(unit: CreationUnit, stage: str, expected_version: int) -> SelfEvaluation:
    """The report locked for writing (created empty on its first save), at the version the
    person started from."""
    CreationUnit.objects.select_for_update().get(pk=unit.pk)
    evaluation, _created = SelfEvaluation.objects.select_for_update().get_or_create(
        unit=unit, stage=stage, defaults={"version": 0}
    )
    if evaluation.version != expected_version:
        raise _stale(evaluation.version, expected_version)
    refusal = _editable_refusal(evaluation)
    if refusal:
        raise ValidationError({"__all__": [refusal]}, code="stale")
    return evaluation


def _save(evaluation: SelfEvaluation, actor: User, now: datetime, fields: list[str]) -> None:
    evaluation.version += 1
    evaluation.updated_at = now
    evaluation.updated_by = actor
    evaluation.save(update_fields=[*fields, "version", "updated_at", "updated_by"])


def do_save_item(
    unit: CreationUnit,
    stage: str,
    item_id: str,
    raw: Mapping[str, Any],
    *,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> SelfEvaluation:
    """Save the self-score of one item (as the expert's form posts it), citing archive files;
    the answers with it must pass the scoring engine."""
    now = now or timezone.now()
    refusal = _writer_refusal(unit, stage, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    rubric = report_rubric(unit)
    item = rubric.item(item_id)
    if item is None:
        raise ValidationError(
            {
                "__all__": [
                    _("The indicator system {rubric} has no item {item}.").format(
                        rubric=rubric.ref, item=item_id
                    )
                ]
            }
        )
    listing = evidence_listing(archive_evidence(unit))
    answer, errors = clean_answer(item, raw, listing)
    if not errors:
        items = {**evaluation_of(unit, stage).answers, item.id: answer}
        errors = engine_errors(rubric, item, answers_mapping(unit, rubric, items, listing))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        evaluation = _locked(unit, stage, expected_version)
        before = evaluation.answers.get(item.id)
        evaluation.answers = {**evaluation.answers, item.id: answer}
        _save(evaluation, actor, now, ["answers"])
        record_event(
            actor=actor,
            action="evaluation_item_saved",
            target=evaluation,
            before={"version": expected_version, "item": item.id, "answer": before},
            after={"version": evaluation.version, "item": item.id, "answer": answer},
        )
    return evaluation


def do_save_texts(
    unit: CreationUnit,
    stage: str,
    texts: Mapping[str, str],
    *,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> SelfEvaluation:
    """Save the report's texts (概况, 主要成效, 存在问题, 下一步工作)."""
    now = now or timezone.now()
    refusal = _writer_refusal(unit, stage, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        value = str(texts.get(name) or "").strip()
        if len(value) > TEXT_LIMIT:
            errors[name] = [
                _("At most {limit} characters ({found} given).").format(
                    limit=TEXT_LIMIT, found=len(value)
                )
            ]
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        evaluation = _locked(unit, stage, expected_version)
        before = dict(evaluation.texts)
        evaluation.texts = cleaned
        _save(evaluation, actor, now, ["texts"])
        record_event(
            actor=actor,
            action="evaluation_texts_saved",
            target=evaluation,
            before={"version": expected_version, "texts": before},
            after={"version": evaluation.version, "texts": cleaned},
        )
    return evaluation


def _due(unit: CreationUnit, stage: str, now: datetime) -> tuple[datetime | None, bool]:
    """The report's due date and whether submitting now is late; refused before the window
    opens and after the round's hard deadline for late filings. A report submitted again after
    the district ordered a rectification is due by the order's deadline instead."""
    returned = (
        PreAcceptance.objects.filter(unit=unit, submission__stage=stage, order__isnull=False)
        .select_related("order")
        .order_by("-decided_at")
        .first()
    )
    if returned is not None and returned.order is not None:
        return returned.order.due_at, is_late(now, returned.order.due_at)
    item = schedule_item(unit, stage)
    if item is None:
        return None, False
    if item.opens_at is not None and now < item.opens_at:
        raise ValidationError(
            {
                "__all__": [
                    _("The window for the {item} opens on {opens}; submit the report then.").format(
                        item=item.get_key_display(), opens=local_date(item.opens_at).isoformat()
                    )
                ]
            }
        )
    due_at, late, last = lateness(unit, item, now)
    if last is not None:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "The {item} was due on {due}; this round accepts late reports until "
                        "{last} and refuses them after. Ask the municipal bureau for an extension."
                    ).format(
                        item=item.get_key_display(),
                        due=local_date(due_at).isoformat(),
                        last=local_date(last).isoformat(),
                    )
                ]
            }
        )
    return due_at, late


def do_submit_report(
    unit: CreationUnit,
    stage: str,
    *,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Submission:
    """Freeze the report as the unit's next submission of ``stage`` and send it to the district."""
    now = now or timezone.now()
    refusal = _writer_refusal(unit, stage, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    current = evaluation_of(unit, stage)
    errors: list[str] = []
    if refusal := _editable_refusal(current):
        errors.append(refusal)
    if not str(current.texts.get("summary") or "").strip():
        errors.append(_("Write the report's overview (基本情况) before submitting."))
    progress = latest_progress(unit)
    if progress is None:
        errors.append(
            _(
                "File an annual progress report with the year's activity workbook first: the "
                "report compares that year's inventory with the base year."
            )
        )
    if errors:
        raise ValidationError({"__all__": errors})
    due_at, late = _due(unit, stage, now)
    with transaction.atomic():
        evaluation = _locked(unit, stage, expected_version)
        locked_unit = (
            CreationUnit.objects.select_related("application", "submission")
            .select_for_update()
            .get(pk=unit.pk)
        )
        application = locked_unit.application
        previous = application.submissions.aggregate(Max("number"))["number__max"] or 0
        submission = Submission.objects.create(
            application=application,
            number=previous + 1,
            stage=stage,
            submitted_by=actor,
            snapshot={},
            snapshot_sha256="",
        )
        evidence = archive_evidence(locked_unit)
        frozen = frozen_report(
            evaluation,
            submission,
            actor=actor,
            submitted_at=submission.submitted_at,
            late=late,
            progress=progress,
            evidence=evidence,
        )
        digest = snapshot_sha256(frozen)
        submission.snapshot = snapshot_data(frozen)
        submission.snapshot_sha256 = digest
        submission.save(update_fields=["snapshot", "snapshot_sha256"])
        stored = Submission.objects.values_list("snapshot", flat=True).get(pk=submission.pk)
        if snapshot_sha256(stored) != digest:
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "The frozen report did not read back identically from the database; "
                            "nothing was submitted. Please tell the administrator."
                        )
                    ]
                },
                code="snapshot_mismatch",
            )
        # Every record the report froze stays as it was: none can be changed or removed now.
        label = _("{stage} self-evaluation report, submission {number}").format(
            stage=Stage(stage).label, number=report_ordinal(submission)
        )
        cite(
            locked_unit,
            {found.record.pk: found.record for found in evidence}.values(),
            label,
            f"evaluation:{submission.pk}",
            now=now,
        )
        evaluation.status = ReportStatus.SUBMITTED
        evaluation.submission = submission
        _save(evaluation, actor, now, ["status", "submission"])
        before_status = locked_unit.status
        target = _UNDER_EVALUATION[stage]
        if locked_unit.status != target and not transition_error(
            locked_unit.kind, locked_unit.status, target
        ):
            locked_unit.status = target
            locked_unit.version += 1
            locked_unit.save(update_fields=["status", "version"])
        record_event(
            actor=actor,
            action="evaluation_report_submitted",
            target=evaluation,
            before={"status": before_status},
            after={
                "stage": stage,
                "submission": submission.number,
                "snapshot_sha256": digest,
                "late": late,
                "due_at": None if due_at is None else due_at.isoformat(),
                "unit_status": locked_unit.status,
                "records": len({found.record.pk for found in evidence}),
            },
        )
    return submission


@dataclass(frozen=True)
class Finding:
    """The district's finding on one item: met as reported, or the problem found."""

    ok: bool
    note: str = ""


def do_pre_accept(
    submission: Submission,
    *,
    findings: Mapping[str, Finding],
    recommendation: str,
    comment: str,
    deadline: date | None,
    actor: User,
    now: datetime | None = None,
) -> PreAcceptance:
    """The district's pre-acceptance of a frozen report: findings on every item, then pass it
    on to the city or order a rectification (one item per finding not met; ``deadline`` is the
    order's)."""
    now = now or timezone.now()
    unit = CreationUnit.objects.select_related("application", "submission").get(
        application=submission.application
    )
    if not permissions.can_pre_accept(actor, unit):
        raise ValidationError(
            {"__all__": [_("Only the officers of the unit's district pre-accept its report.")]}
        )
    evaluation = SelfEvaluation.objects.filter(unit=unit, submission=submission).first()
    errors: dict[str, list[str]] = {}
    if (
        evaluation is None
        or evaluation.status != ReportStatus.SUBMITTED
        or submission.withdrawn_at is not None
        or submission.district_decision
    ):
        raise ValidationError(
            {"__all__": [_("This report is not waiting for the district; nothing was saved.")]},
            code="stale",
        )
    rubric = report_rubric(unit)
    cleaned: dict[str, dict[str, Any]] = {}
    problems: list[ItemInput] = []
    for item in rubric.items():
        finding = findings.get(item.id)
        if finding is None:
            errors.setdefault("findings", []).append(
                _("Item {item}: say whether it is met as reported.").format(item=item.id)
            )
            continue
        note = finding.note.strip()
        if len(note) > TEXT_LIMIT:
            errors.setdefault(f"note_{item.id}", []).append(
                _("At most {limit} characters ({found} given).").format(
                    limit=TEXT_LIMIT, found=len(note)
                )
            )
        if not finding.ok and not note:
            errors.setdefault(f"note_{item.id}", []).append(
                _("Item {item}: describe the problem found.").format(item=item.id)
            )
        cleaned[item.id] = {"ok": finding.ok, "note": note}
        if not finding.ok:
            problems.append(
                ItemInput(
                    problem=_("Item {item} ({title}): {note}").format(
                        item=item.id, title=local(item.title), note=note
                    ),
                    requirement=_(
                        "Rectify item {item} and submit the self-evaluation report again with "
                        "the records that prove it."
                    ).format(item=item.id),
                    basis=item.citation,
                )
            )
    if recommendation not in Recommendation.values:
        errors["recommendation"] = [
            _("“{found}” is not a recommendation; expected {expected}.").format(
                found=recommendation,
                expected="、".join(str(label) for label in Recommendation.labels),
            )
        ]
    elif recommendation == Recommendation.RECTIFY and not problems and not errors:
        errors["recommendation"] = [_("A rectification needs at least one item found not met.")]
    comment = comment.strip()
    if len(comment) > TEXT_LIMIT:
        errors["comment"] = [
            _("At most {limit} characters ({found} given).").format(
                limit=TEXT_LIMIT, found=len(comment)
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.district_decision or PreAcceptance.objects.filter(submission=locked).exists():
            raise ValidationError(
                {"__all__": [_("Someone decided on this report meanwhile; nothing was saved.")]},
                code="stale",
            )
        order = None
        if recommendation == Recommendation.RECTIFY:
            order = do_issue_rectification(
                unit,
                items=problems,
                deadline=deadline,
                expected_version=unit.version,
                actor=actor,
                now=now,
            )
        pre = PreAcceptance.objects.create(
            submission=locked,
            unit=unit,
            findings=cleaned,
            recommendation=recommendation,
            comment=comment,
            order=order,
            decided_by=actor,
            decided_at=now,
        )
        passed = recommendation == Recommendation.PASS
        locked.district_decision = (
            DistrictDecision.RECOMMENDED if passed else DistrictDecision.RETURNED
        )
        locked.district_comment = comment
        locked.decided_by = actor
        locked.decided_at = now
        locked.save(
            update_fields=["district_decision", "district_comment", "decided_by", "decided_at"]
        )
        if passed:
            SelfEvaluation.objects.filter(pk=evaluation.pk).update(
                status=ReportStatus.PASSED, version=F("version") + 1
            )
        else:
            reopen_report(unit, locked.stage)
        record_event(
            actor=actor,
            action="evaluation_pre_accepted",
            target=pre,
            after={
                "submission": locked.number,
                "stage": locked.stage,
                "recommendation": recommendation,
                "not_met": [item for item, found in cleaned.items() if not found["ok"]],
                "order": None if order is None else order.pk,
            },
            reason=comment,
        )
    return pre
