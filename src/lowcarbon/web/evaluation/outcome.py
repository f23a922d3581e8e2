"""The outcome of a mid-term evaluation or a final acceptance (issue 16 §4) and the naming (命名).

The bureau decides on one frozen report scored by one panel: the outcome is the one the round's
rule gives from the panel's complete aggregate (:func:`~lowcarbon.core.acceptance.decide_outcome`
under :func:`round_rule`), never chosen by hand; the bureau writes its reasons, the required
improvements and the panel's findings. The effects follow the lifecycle table
(:mod:`lowcarbon.web.creation.lifecycle`):

* final acceptance: 通过 → 验收通过; 整改后复验 → a rectification order whose items are the
  improvements, the unit 整改中, its report open again so that it submits a new one (a new
  panel scores it and a new decision row follows, the earlier kept); 未通过 → 未通过;
* a zone's mid-term evaluation: 通过 → 继续创建 (创建中); otherwise 限期整改: a rectification
  order of the improvements, the unit 整改中.

A rectification order still open from the district's pre-acceptance or an earlier re-inspection
is closed by the decision on the report submitted after it (the report is the answer); other
orders of the unit are left as they are.

:func:`do_publish_naming` publishes the passed final decisions of a round and kind at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lowcarbon.core.acceptance import (
    AcceptanceError,
    AcceptanceOutcome,
    AcceptanceRule,
    OutcomeDecision,
    decide_outcome,
    panel_scores,
)
from lowcarbon.core.messages import format_points
from lowcarbon.rules.acceptance_rules import acceptance_editions, acceptance_rule
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import DistrictDecision, Submission
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.lifecycle import transition_error
from lowcarbon.web.creation.models import (
    CreationUnit,
    LifecycleStatus,
    RectificationOrder,
    RectificationStatus,
)
from lowcarbon.web.creation.rectification import (
    ItemInput,
    do_close_rectification,
    do_issue_rectification,
)
from lowcarbon.web.evaluation.actions import reopen_report
from lowcarbon.web.evaluation.models import PreAcceptance, ReportStatus, SelfEvaluation
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision, AcceptanceSettings
from lowcarbon.web.review.aggregate import ApplicationResult, application_result
from lowcarbon.web.review.models import Assignment, Panel
from lowcarbon.web.rounds.models import Kind, Round, Stage

__all__ = [
    "IMPROVEMENT_LIMIT",
    "Proposal",
    "UnitRow",
    "do_decide_acceptance",
    "do_publish_naming",
    "do_set_acceptance_rule",
    "latest_passed_report",
    "propose",
    "round_rule",
    "unit_rows",
]

TEXT_LIMIT = 5000
IMPROVEMENT_LIMIT = 2000
MAX_IMPROVEMENTS = 30
OUTCOME_STAGES = (Stage.MIDTERM.value, Stage.FINAL.value)


def _key(kind: str, stage: str) -> str:
    return f"{kind}/{stage}"


def round_rule(round_: Round, kind: str, stage: str) -> AcceptanceRule:
    """The rule the round applies to ``kind`` at ``stage``: the edition it recorded, else the
    current one. An :class:`AcceptanceError` when there is no rule."""
    stored = AcceptanceSettings.objects.filter(round=round_).first()
    edition = None if stored is None else stored.editions.get(_key(kind, stage))
    return acceptance_rule(kind, stage, edition)


def _refusal(message: str, code: str = "refused") -> ValidationError:
    return ValidationError({"__all__": [message]}, code=code)


def _stale() -> ValidationError:
    return _refusal(
        _(
            "Someone changed this unit meanwhile (another decision or a status change); nothing "
            "was saved. Reload the page and try again."
        ),
        code="stale",
    )


def do_set_acceptance_rule(
    round_: Round,
    kind: str,
    stage: str,
    *,
    edition: str,
    reason: str,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> AcceptanceSettings:
    """The round applies ``edition`` of the rule to ``kind`` at ``stage`` (a reason is required);
    refused once a unit of the round has been decided under the rule."""
    if not permissions.can_decide_acceptance(actor):
        raise _refusal(_("Only the municipal bureau decides on acceptance."))
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    editions = acceptance_editions(kind, stage)
    if edition not in editions:
        errors["edition"] = [
            _("“{found}” is not an edition of this rule; expected one of {expected}.").format(
                found=edition, expected="、".join(editions) or "—"
            )
        ]
    reason = reason.strip()
    if not reason:
        errors["reason"] = [_("Give the reason for choosing this edition.")]
    elif len(reason) > TEXT_LIMIT:
        errors["reason"] = [
            _("At most {limit} characters ({found} given).").format(
                limit=TEXT_LIMIT, found=len(reason)
            )
        ]
    if AcceptanceDecision.objects.filter(
        unit__application__round=round_, unit__application__kind=kind, stage=stage
    ).exists():
        errors["__all__"] = [
            _(
                "Units of this round have been decided under the rule already; its edition "
                "cannot change any more."
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored, _created = AcceptanceSettings.objects.select_for_update().get_or_create(
            round=round_, defaults={"version": 1}
        )
        if stored.version != expected_version:
            raise _refusal(
                _("The rule editions were changed meanwhile; reload the page and try again."),
                code="stale",
            )
        before = dict(stored.editions)
        stored.editions = {**stored.editions, _key(kind, stage): edition}
        stored.version += 1
        stored.updated_by = actor
        stored.updated_at = now
        stored.save()
        record_event(
            actor=actor,
            action="acceptance_rule_set",
            target=stored,
            before=before,
            after=stored.editions,
            reason=reason,
        )
    return stored


def latest_passed_report(unit: CreationUnit, stage: str) -> Submission | None:
    """The unit's latest report of ``stage`` the district passed on to the city, None when the
    latest report is not (yet) passed on."""
    evaluation = (
        SelfEvaluation.objects.filter(unit=unit, stage=stage).select_related("submission").first()
    )
    if evaluation is None or evaluation.submission is None:
        return None
    submission = evaluation.submission
    if (
        evaluation.status != ReportStatus.PASSED
        or submission.district_decision != DistrictDecision.RECOMMENDED
        or submission.withdrawn_at is not None
    ):
        return None
    return submission


@dataclass(frozen=True)
class Proposal:
    """What a panel's scores of a unit's report give: the outcome under the round's rule, or
    why there is none yet."""

    unit: CreationUnit
    stage: str
    panel: Panel | None
    submission: Submission | None
    result: ApplicationResult | None
    rule: AcceptanceRule | None
    decision: OutcomeDecision | None
    refusal: str | None

    @property
    def outcome(self) -> str | None:
        return None if self.decision is None else self.decision.outcome.value

    @property
    def outcome_label(self) -> str:
        return "" if self.decision is None else _outcome_label(self.decision.outcome)

    @property
    def explanation(self) -> list[str]:
        """The rule's reasons in the reader's language."""
        return [] if self.decision is None else [r.render(_) for r in self.decision.reasons]


def _render(decision: OutcomeDecision) -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return [reason.render(_) for reason in decision.reasons]


def panels_for(unit: CreationUnit, stage: str, submission: Submission | None) -> list[Panel]:
    """The panels of the stage that score ``submission``."""
    if submission is None:
        return []
    ids = (
        Assignment.objects.filter(
            submission=submission,
            panel__stage=stage,
            panel__kind=unit.kind,
            panel__round_id=unit.application.round_id,
        )
        .values_list("panel_id", flat=True)
        .distinct()
    )
    return list(Panel.objects.filter(pk__in=ids).select_related("round").order_by("pk"))


def propose(unit: CreationUnit, stage: str, panel: Panel | None = None) -> Proposal:
    """The outcome the rule gives for the unit's latest passed report of ``stage`` scored by
    ``panel`` (the report's panel of the stage when None)."""
    submission = latest_passed_report(unit, stage)

    def refused(message: str, **found: Any) -> Proposal:
        return Proposal(
            unit,
            stage,
            found.get("panel", panel),
            submission,
            found.get("result"),
            found.get("rule"),
            None,
            message,
        )

    if stage not in OUTCOME_STAGES or (stage == Stage.MIDTERM and unit.kind != Kind.ZONE):
        return refused(_("A {kind} has no such stage.").format(kind=unit.kind_label))
    if submission is None:
        return refused(
            _("The unit's latest report of this stage has not been passed on to the city.")
        )
    panels = panels_for(unit, stage, submission)
    if panel is None:
        panel = panels[-1] if panels else None
    if panel is None or panel.pk not in {p.pk for p in panels}:
        return refused(
            _("No panel of this stage scores the unit's latest report; assign it to a panel."),
            panel=panel,
        )
    try:
        rule = round_rule(unit.application.round, unit.kind, stage)
    except AcceptanceError as error:
        return refused(error.message.render(_), panel=panel)
    result = application_result(panel, unit.application)
    stray = [a for a in result.assignments if a.submission_id != submission.pk]
    if stray:
        return refused(
            _("The panel scored an earlier report of the unit; only the latest one is decided."),
            panel=panel,
            result=result,
            rule=rule,
        )
    if not result.complete or result.aggregate is None:
        return refused(
            _(
                "The panel's scores are not complete: {pending} expert(s) have not submitted "
                "their scores."
            ).format(pending=max(result.pending, 1 if result.aggregate is None else 0)),
            panel=panel,
            result=result,
            rule=rule,
        )
    try:
        decision = decide_outcome(rule, panel_scores(result.aggregate))
    except AcceptanceError as error:
        return refused(error.message.render(_), panel=panel, result=result, rule=rule)
    return Proposal(unit, stage, panel, submission, result, rule, decision, None)


def _basis(proposal: Proposal) -> dict[str, Any]:
    decision = proposal.decision
    result = proposal.result
    assert decision is not None
    assert result is not None
    assert result.aggregate is not None
    scores = panel_scores(result.aggregate)
    members = []
    for assignment in result.assignments:
        expert = assignment.expert
        profile = getattr(expert, "expert_profile", None)
        members.append(
            {
                "name": str(expert.get_full_name() or expert.get_username()),
                "organisation": "" if profile is None else profile.organisation_name,
            }
        )
    with translation.override(settings.LANGUAGE_CODE):
        method = str(result.settings.get_method_display())
        sections = [
            {
                "id": s.id,
                "label": s.label,
                "title": s.title.zh,
                "pool": s.pool.value,
                "points": format_points(s.points),
                "maximum": format_points(s.maximum),
            }
            for s in scores.sections
        ]
    return {
        "rubric": scores.rubric_ref,
        "main": format_points(scores.main),
        "main_maximum": format_points(scores.main_maximum),
        "bonus": format_points(scores.bonus),
        "bonus_maximum": format_points(scores.bonus_maximum),
        "method": method,
        "experts": len(result.assignments),
        "members": members,
        "sections": sections,
        "checks": [
            {
                "kind": c.kind.value,
                "target": c.target,
                "found": format_points(c.found),
                "mark": format_points(c.mark),
                "maximum": format_points(c.maximum),
                "met": c.met,
            }
            for c in decision.checks
        ],
        "explanation": _render(decision),
    }


def _clean_improvements(improvements: Sequence[str], errors: dict[str, list[str]]) -> list[str]:
    kept = [text.strip() for text in improvements if text.strip()]
    if len(kept) > MAX_IMPROVEMENTS:
        errors["improvements"] = [
            _("{found} improvements were given; at most {limit}.").format(
                found=len(kept), limit=MAX_IMPROVEMENTS
            )
        ]
    for number, text in enumerate(kept, start=1):
        if len(text) > IMPROVEMENT_LIMIT:
            errors.setdefault("improvements", []).append(
                _("Improvement {number} has {found} characters; at most {limit}.").format(
                    number=number, found=len(text), limit=IMPROVEMENT_LIMIT
                )
            )
    return kept


def _text(value: str, field: str, errors: dict[str, list[str]]) -> str:
    value = value.strip()
    if len(value) > TEXT_LIMIT:
        errors[field] = [
            _("At most {limit} characters ({found} given).").format(
                limit=TEXT_LIMIT, found=len(value)
            )
        ]
    return value


def _target(stage: str, outcome: AcceptanceOutcome) -> str:
    """The unit's next status: rectification goes through the order."""
    if outcome is AcceptanceOutcome.PASSED:
        return LifecycleStatus.ACCEPTED if stage == Stage.FINAL else LifecycleStatus.IN_CREATION
    if stage == Stage.FINAL and outcome is AcceptanceOutcome.FAILED:
        return LifecycleStatus.FAILED
    return LifecycleStatus.RECTIFICATION


def do_decide_acceptance(
    unit: CreationUnit,
    stage: str,
    *,
    panel: Panel,
    reasons: str,
    improvements: Sequence[str],
    opinion: str,
    expected_version: int,
    actor: User,
    deadline: date | None = None,
    now: datetime | None = None,
) -> AcceptanceDecision:
    """Decide the unit's latest passed report of ``stage`` on ``panel``'s complete scores: the
    outcome is the rule's; a rectification (re-inspection, or a mid-term evaluation not passed)
    needs the improvements, which become the order's items, and the order's ``deadline``."""
    if not permissions.can_decide_acceptance(actor):
        raise _refusal(_("Only the municipal bureau decides on acceptance."))
    now = now or timezone.now()
    proposal = propose(unit, stage, panel)
    if proposal.refusal is not None:
        raise _refusal(proposal.refusal)
    assert proposal.decision is not None
    assert proposal.submission is not None
    errors: dict[str, list[str]] = {}
    kept = _clean_improvements(improvements, errors)
    reasons = _text(reasons, "reasons", errors)
    opinion = _text(opinion, "opinion", errors)
    if not reasons:
        errors["reasons"] = [_("Write the reasons for the decision.")]
    outcome = proposal.decision.outcome
    target = _target(stage, outcome)
    if target == LifecycleStatus.RECTIFICATION and not kept:
        errors["improvements"] = [
            _(
                "The outcome “{outcome}” orders a rectification: list the required "
                "improvements, one a line; each becomes an item of the order."
            ).format(outcome=_outcome_label(outcome))
        ]
    if AcceptanceDecision.objects.filter(submission=proposal.submission).exists():
        errors["__all__"] = [_("This report has been decided already; nothing was saved.")]
    if errors:
        raise ValidationError(errors)
    submission = proposal.submission
    with transaction.atomic():
        locked = (
            CreationUnit.objects.select_for_update().select_related("application").get(pk=unit.pk)
        )
        if locked.version != expected_version:
            raise _stale()
        if AcceptanceDecision.objects.filter(submission=submission).exists():
            raise _refusal(_("This report has been decided already; nothing was saved."), "stale")
        if latest_passed_report(locked, stage) != submission:
            raise _stale()
        before_status = locked.status
        # Settle the round's edition on its first decision, so every unit gets the same one.
        stored, _created = AcceptanceSettings.objects.select_for_update().get_or_create(
            round_id=locked.application.round_id
        )
        key = _key(locked.kind, stage)
        if key not in stored.editions:
            stored.editions = {**stored.editions, key: proposal.decision.rule.edition}
            stored.version += 1
            stored.save(update_fields=["editions", "version"])
        # An order still open from an earlier report (the district's pre-acceptance, or an
        # earlier re-inspection) was answered by the report now decided: it is closed. Other
        # orders of the unit are not the evaluation's and stay as they are.
        answered = {
            *PreAcceptance.objects.filter(unit=locked, order__isnull=False).values_list(
                "order_id", flat=True
            ),
            *AcceptanceDecision.objects.filter(unit=locked, order__isnull=False).values_list(
                "order_id", flat=True
            ),
        }
        for old in RectificationOrder.objects.filter(pk__in=answered).exclude(
            status=RectificationStatus.CLOSED
        ):
            do_close_rectification(
                old,
                reason=_(
                    "Answered by the report submitted on {date}, decided by the municipal bureau."
                ).format(date=timezone.localtime(submission.submitted_at).date().isoformat()),
                expected_version=old.version,
                actor=actor,
                now=now,
            )
        locked.refresh_from_db()
        order = None
        if target == LifecycleStatus.RECTIFICATION:
            label = _("Acceptance opinion") if stage == Stage.FINAL else _("Mid-term evaluation")
            order = do_issue_rectification(
                locked,
                items=[
                    ItemInput(
                        problem=text,
                        requirement=_(
                            "Put this right and submit the self-evaluation report again."
                        ),
                        basis=f"{label} · {proposal.decision.rule.ref}",
                    )
                    for text in kept
                ],
                deadline=deadline,
                expected_version=locked.version,
                actor=actor,
                now=now,
            )
            locked.refresh_from_db()
            # The report opens again: the unit submits a new one for the re-inspection.
            reopen_report(locked, stage)
        else:
            refused = transition_error(locked.kind, locked.status, target)
            if refused:
                raise _refusal(refused)
            locked.status = target
            locked.version += 1
            locked.save(update_fields=["status", "version"])
        decision = AcceptanceDecision.objects.create(
            unit=locked,
            stage=stage,
            submission=submission,
            panel=panel,
            outcome=outcome.value,
            rule_ref=proposal.decision.rule.ref,
            basis=_basis(proposal),
            reasons=reasons,
            improvements=kept,
            opinion=opinion,
            decided_by=actor,
            decided_at=now,
            order=order,
        )
        record_event(
            actor=actor,
            action="acceptance_decided",
            target=decision,
            before={"unit_status": before_status},
            after={
                "stage": stage,
                "submission": submission.number,
                "panel": panel.pk,
                "outcome": outcome.value,
                "rule": decision.rule_ref,
                "main": decision.basis["main"],
                "improvements": len(kept),
                "order": None if order is None else order.pk,
                "unit_status": locked.status,
            },
            reason=reasons,
        )
    return decision


def _outcome_label(outcome: AcceptanceOutcome) -> str:
    from lowcarbon.web.evaluation.outcome_models import OutcomeChoice

    return str(OutcomeChoice(outcome.value).label)


def do_publish_naming(
    round_: Round, kind: str, *, actor: User, now: datetime | None = None
) -> list[AcceptanceDecision]:
    """Publish (命名) the passed final decisions of the round and kind not yet published; refused
    while a unit whose final report was passed on to the city has no decision on it."""
    if not permissions.can_decide_acceptance(actor):
        raise _refusal(_("Only the municipal bureau decides on acceptance."))
    now = now or timezone.now()
    if kind not in Kind.values:
        raise _refusal(_("“{found}” is not a kind of unit.").format(found=kind))
    with transaction.atomic():
        units = list(
            CreationUnit.objects.select_for_update()
            .filter(application__round=round_, application__kind=kind)
            .select_related("application", "application__unit")
        )
        undecided = [
            str(u.application.unit.name)
            for u in units
            if (report := latest_passed_report(u, Stage.FINAL)) is not None
            and not AcceptanceDecision.objects.filter(submission=report).exists()
        ]
        if undecided:
            raise _refusal(
                _(
                    "Decide every report passed on to the city first; without a decision: {units}."
                ).format(units="、".join(undecided))
            )
        pending = list(
            AcceptanceDecision.objects.select_for_update().filter(
                unit__in=units,
                stage=Stage.FINAL,
                outcome=AcceptanceOutcome.PASSED.value,
                published_at__isnull=True,
            )
        )
        if not pending:
            raise _refusal(_("There is no passed acceptance of this round and kind to publish."))
        for decision in pending:
            decision.published_at = now
            decision.version += 1
            decision.save(update_fields=["published_at", "version"])
        record_event(
            actor=actor,
            action="acceptance_naming_published",
            target=round_,
            after={"kind": kind, "units": [d.unit_id for d in pending], "count": len(pending)},
        )
    return pending


# -- the bureau's page -----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    unit: CreationUnit
    proposal: Proposal
    decisions: tuple[AcceptanceDecision, ...]  # every decision of the stage, the latest last

    @property
    def latest(self) -> AcceptanceDecision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def decided(self) -> bool:
        return (
            self.latest is not None
            and self.proposal.submission is not None
            and self.latest.submission_id == self.proposal.submission.pk
        )


def unit_rows(round_: Round, kind: str, stage: str) -> list[UnitRow]:
    """Every unit of the round and kind with a report of ``stage`` passed on to the city or a
    decision of that stage."""
    units = CreationUnit.objects.filter(
        application__round=round_, application__kind=kind
    ).select_related("application", "application__unit", "application__unit__district")
    rows = []
    for unit in units:
        decisions = tuple(
            AcceptanceDecision.objects.filter(unit=unit, stage=stage)
            .select_related("panel", "submission", "order")
            .order_by("decided_at", "pk")
        )
        proposal = propose(unit, stage)
        if proposal.submission is None and not decisions:
            continue
        rows.append(UnitRow(unit, proposal, decisions))
    return rows


def points(value: Decimal | None) -> str:
    return "" if value is None else format_points(value)
