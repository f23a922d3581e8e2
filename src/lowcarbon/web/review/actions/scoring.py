"""An expert's scores: saved as drafts, submitted and locked as a revision, reopened by an
administrator; every answer validated by the scoring engine against the frozen snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.errors import AnswerProblems
from lowcarbon.core.messages import format_points
from lowcarbon.core.rubric import Item
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import (
    clean_answer,
    item_label,
    problem_field,  # shared: how an engine problem maps onto the item's form fields
)
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.review.actions.common import is_published, text_errors
from lowcarbon.web.review.aggregate import application_result, divergence_data
from lowcarbon.web.review.models import (
    Assignment,
    AssignmentStatus,
    Discussion,
    ExpertReview,
    ExpertReviewRevision,
    RevisionKind,
)
from lowcarbon.web.review.snapshots import evidence_codes, score_of, self_points, snapshot_rubric

__all__ = [
    "clean_item",
    "departure_errors",
    "departures_without_comment",
    "do_reopen_review",
    "do_save_review",
    "do_submit_review",
    "item_or_error",
    "new_revision",
    "scoring_refusal",
    "stale_error",
]


def scoring_refusal(assignment: Assignment, actor: User) -> str | None:
    if not permissions.can_score_assignment(actor, assignment):
        if assignment.status == AssignmentStatus.SUBMITTED and assignment.expert_id == actor.pk:
            return _("Your scores are submitted and locked; only an administrator can reopen them.")
        return _("You can only score applications assigned to you.")
    if timezone.localdate() > assignment.panel.deadline:
        return _("The scoring deadline ({deadline}) has passed.").format(
            deadline=assignment.panel.deadline.isoformat()
        )
    return None


def item_or_error(assignment: Assignment, item_id: str) -> Item:
    rubric = snapshot_rubric(assignment.submission)
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
    return item


def clean_item(
    assignment: Assignment, item: Item, raw: Mapping[str, Any], current: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The stored answer of the form fields, and the problems of it alone (engine included)."""
    submission = assignment.submission
    answer, errors = clean_answer(item, raw, evidence_codes(submission))
    if errors:
        return answer, errors
    items = dict(current)
    items[item.id] = answer
    try:
        score_of(submission, items)
    except AnswerProblems as problems:
        for error in problems.problems:
            if error.item_id != item.id:
                continue  # other items unanswered: the submission checks those
            field, message = problem_field(item, error)
            errors.setdefault(field, []).append(message)
    return answer, errors


def stale_error(locked: ExpertReview, expected: int) -> ValidationError:
    return ValidationError(
        _(
            "These scores were saved from another window or session first (now version "
            "{current}, you started from version {expected}). Nothing was saved; reload the page, "
            "check the item and save again."
        ).format(current=locked.version, expected=expected),
        code="stale",
    )


def do_save_review(
    assignment: Assignment,
    item_id: str,
    raw: Mapping[str, Any],
    *,
    expected_version: int,
    actor: User,
) -> ExpertReview:
    """Save the expert's draft score of one item; refused after submission or the deadline."""
    refusal = scoring_refusal(assignment, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    item = item_or_error(assignment, item_id)
    answer, errors = clean_item(assignment, item, raw, assignment.review.answers)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked_assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        review = ExpertReview.objects.select_for_update().get(assignment=locked_assignment)
        if not permissions.can_score_assignment(actor, locked_assignment):
            raise ValidationError(
                _("The assignment is now {status}; nothing was saved.").format(
                    status=locked_assignment.get_status_display()
                ),
                code="stale",
            )
        if review.version != expected_version:
            raise stale_error(review, expected_version)
        before = review.answers.get(item.id)
        review.answers = {**review.answers, item.id: answer}
        review.version += 1
        review.save(update_fields=["answers", "version", "updated_at"])
        if locked_assignment.status == AssignmentStatus.ASSIGNED:
            locked_assignment.status = AssignmentStatus.SCORING
            locked_assignment.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="review_item_saved",
            target=review,
            before={"version": expected_version, "item": item.id, "answer": before},
            after={"version": review.version, "item": item.id, "answer": answer},
        )
    return review


def departures_without_comment(
    submission: Submission, items: Mapping[str, Any]
) -> list[tuple[str, Decimal, Decimal]]:
    """``(item, expert points, self points)`` where the expert departs from the applicant's
    self-score without a comment (issue 5 §2: "a comment is required where the expert departs
    from the self-score"). ``items`` must be complete."""
    result = score_of(submission, items)
    own = self_points(submission)
    missing = []
    for section in result.sections:
        for item in section.items:
            claimed = own.get(item.item.id, Decimal(0))
            answer = items.get(item.item.id) or {}
            if item.points != claimed and not str(answer.get("comment") or "").strip():
                missing.append((item.item.id, item.points, claimed))
    return missing


def departure_errors(
    submission: Submission, items: Mapping[str, Any], only: str | None = None
) -> dict[str, list[str]]:
    rubric = snapshot_rubric(submission)
    errors: dict[str, list[str]] = {}
    for item_id, points, claimed in departures_without_comment(submission, items):
        if only is not None and item_id != only:
            continue
        item = rubric.item(item_id)
        errors[item_id] = [
            _(
                "{item}: your {points} points differ from the applicant's self-score of "
                "{claimed}; write a comment saying why."
            ).format(
                item=item_label(item) if item else item_id,
                points=format_points(points),
                claimed=format_points(claimed),
            )
        ]
    return errors


def _complete_errors(submission: Submission, items: Mapping[str, Any]) -> dict[str, list[str]]:
    """Unscored items and the engine's problems, keyed by item id."""
    rubric = snapshot_rubric(submission)
    errors: dict[str, list[str]] = {}
    for item in rubric.items():
        if item.id not in items:
            errors[item.id] = [_("{item}: not scored yet.").format(item=item_label(item))]
    if errors:
        return errors
    try:
        score_of(submission, items)
    except AnswerProblems as problems:
        for error in problems.problems:
            problem_item = rubric.item(error.item_id or "")
            if problem_item is None:
                errors.setdefault("__all__", []).append(error.message.render(_))
            else:
                errors.setdefault(problem_item.id, []).append(problem_field(problem_item, error)[1])
    return errors


def new_revision(review: ExpertReview, kind: str, reason: str, actor: User) -> ExpertReviewRevision:
    result = score_of(review.assignment.submission, review.answers)
    return ExpertReviewRevision.objects.create(
        review=review,
        number=review.revisions.count() + 1,
        kind=kind,
        answers=review.answers,
        main_points=result.main,
        bonus_points=result.bonus,
        reason=reason,
        created_by=actor,
    )


def _open_discussion_if_diverging(assignment: Assignment) -> Discussion | None:
    """When every active expert has submitted and the scores diverge, open the thread."""
    result = application_result(assignment.panel, assignment.application)
    if not result.complete or not result.flags:
        return None
    discussion, created = Discussion.objects.get_or_create(
        panel=assignment.panel,
        application=assignment.application,
        defaults={"flags": [divergence_data(flag) for flag in result.flags]},
    )
    return discussion if created else None


def do_submit_review(assignment: Assignment, *, expected_version: int, actor: User) -> Assignment:
    """Submit and lock the expert's scores: every item scored, the engine satisfied, a comment
    wherever the expert departs from the self-score. Kept as a new revision."""
    refusal = scoring_refusal(assignment, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    submission = assignment.submission
    items = assignment.review.answers
    errors = _complete_errors(submission, items)
    if not errors:
        errors = departure_errors(submission, items)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("panel", "panel__round", "application", "submission")
            .get(pk=assignment.pk)
        )
        review = ExpertReview.objects.select_for_update().get(assignment=locked)
        if not permissions.can_score_assignment(actor, locked):
            raise ValidationError(
                _("The assignment is now {status}; nothing was submitted.").format(
                    status=locked.get_status_display()
                ),
                code="stale",
            )
        if review.version != expected_version:
            raise stale_error(review, expected_version)
        before = locked.status
        review.submitted_at = timezone.now()
        review.save(update_fields=["submitted_at", "updated_at"])
        locked.status = AssignmentStatus.SUBMITTED
        locked.save(update_fields=["status"])
        revision = new_revision(review, RevisionKind.SUBMITTED, "", actor)
        discussion = _open_discussion_if_diverging(locked)
        record_event(
            actor=actor,
            action="review_submitted",
            target=review,
            before={"status": before},
            after={
                "status": locked.status,
                "version": review.version,
                "revision": revision.number,
                "main": str(revision.main_points),
                "bonus": str(revision.bonus_points),
                "discussion_opened": discussion.pk if discussion else None,
            },
        )
    return locked


def do_reopen_review(assignment: Assignment, *, reason: str, actor: User) -> Assignment:
    """An administrator reopens submitted scores (the only way they change outside a
    discussion); the submitted revisions stay."""
    errors: dict[str, list[str]] = {}
    if not permissions.can_manage_review(actor):
        errors["__all__"] = [_("Only an administrator can reopen submitted scores.")]
    elif assignment.status != AssignmentStatus.SUBMITTED:
        errors["__all__"] = [
            _("Only submitted scores can be reopened; these are {status}.").format(
                status=assignment.get_status_display()
            )
        ]
    elif is_published(assignment.application_id):
        errors["__all__"] = [_("The decision on this application has been published.")]
    reason = text_errors(
        "reason", reason, errors, required=_("Give the reason for reopening the scores.")
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != AssignmentStatus.SUBMITTED:
            raise ValidationError(
                _("The scores are now {status}; nothing was reopened.").format(
                    status=locked.get_status_display()
                ),
                code="stale",
            )
        locked.status = AssignmentStatus.REOPENED
        locked.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="review_reopened",
            target=locked,
            before={"status": AssignmentStatus.SUBMITTED},
            after={"status": locked.status},
            reason=reason,
        )
    return locked
