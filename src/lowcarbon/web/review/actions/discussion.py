"""The panel's discussion of diverging scores, and an expert revising one item after it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.review.actions.common import is_published, text_errors
from lowcarbon.web.review.actions.scoring import (
    clean_item,
    departure_errors,
    item_or_error,
    new_revision,
    stale_error,
)
from lowcarbon.web.review.models import (
    Assignment,
    Discussion,
    DiscussionPost,
    ExpertReview,
    RevisionKind,
)

__all__ = [
    "do_post_discussion",
    "do_revise_review",
]


def do_post_discussion(discussion: Discussion, *, text: str, actor: User) -> DiscussionPost:
    errors: dict[str, list[str]] = {}
    if not permissions.can_view_panel_scores(actor, discussion.panel, discussion.application):
        errors["__all__"] = [
            _("Only the panel's experts, after submitting their scores, take part.")
        ]
    elif is_published(discussion.application_id):
        errors["__all__"] = [_("The decision on this application has been published.")]
    text = text_errors("text", text, errors, required=_("Write something to post."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Discussion.objects.select_for_update().get(pk=discussion.pk)
        post = DiscussionPost.objects.create(discussion=discussion, author=actor, text=text)
        record_event(
            actor=actor,
            action="review_discussion_posted",
            target=discussion,
            after={"post": post.pk, "text": text},
        )
    return post


def do_revise_review(
    assignment: Assignment,
    item_id: str,
    raw: Mapping[str, Any],
    *,
    reason: str,
    expected_version: int,
    actor: User,
) -> ExpertReview:
    """After discussion, the expert changes one item of their submitted scores; the change is a
    new revision with its reason, the earlier revisions stay."""
    errors: dict[str, list[str]] = {}
    if not permissions.can_revise_review(actor, assignment):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Scores can be revised only by their expert, after submission, while the "
                        "panel discusses the application."
                    )
                ]
            }
        )
    item = item_or_error(assignment, item_id)
    answer, item_errors = clean_item(assignment, item, raw, assignment.review.answers)
    errors |= item_errors
    reason = text_errors(
        "revision_reason", reason, errors, required=_("Say why you revise this score.")
    )
    if not errors:
        items = {**assignment.review.answers, item.id: answer}
        departure = departure_errors(assignment.submission, items, only=item.id)
        if departure:
            errors["comment"] = departure[item.id]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        review = ExpertReview.objects.select_for_update().get(assignment=locked)
        if not permissions.can_revise_review(actor, locked):
            raise ValidationError(_("The scores can no longer be revised."), code="stale")
        if review.version != expected_version:
            raise stale_error(review, expected_version)
        before = review.answers.get(item.id)
        review.answers = {**review.answers, item.id: answer}
        review.version += 1
        review.save(update_fields=["answers", "version", "updated_at"])
        revision = new_revision(review, RevisionKind.REVISED, reason, actor)
        record_event(
            actor=actor,
            action="review_revised",
            target=review,
            before={"item": item.id, "answer": before},
            after={
                "item": item.id,
                "answer": answer,
                "version": review.version,
                "revision": revision.number,
                "main": str(revision.main_points),
                "bonus": str(revision.bonus_points),
            },
            reason=reason,
        )
    return review
