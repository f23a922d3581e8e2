"""The expert's whole score sheet at once: saving every changed item in one transaction, and
starting the unsaved items from the applicant's self-assessment.

Both go through the per-item action :func:`~.scoring.do_save_review` (one audited event per
item, its own version check); the sheet adds what a sheet needs: every item is checked before
anything is written, and a sheet opened before another window saved is refused as a whole,
naming the items saved since, so nothing is ever half-saved.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lowcarbon.core.rubric import Item
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import (
    answer_form_fields,
    clean_answer,
    form_values,
    item_label,
)
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.review.actions.scoring import (
    clean_item,
    do_save_review,
    scoring_refusal,
    stale_error,
)
from lowcarbon.web.review.models import Assignment, AssignmentStatus, ExpertReview
from lowcarbon.web.review.snapshots import evidence_codes, snapshot_rubric

__all__ = [
    "SAVED",
    "applicant_answer",
    "changed_since",
    "do_save_review_sheet",
    "do_start_from_self_assessment",
    "starting_evidence",
]

SAVED = "review_item_saved"
STARTED = "review_started_from_self_assessment"


def applicant_answer(assignment: Assignment, item_id: str) -> dict[str, Any]:
    """The applicant's own answer of the item as frozen in the snapshot (empty if none)."""
    answers = assignment.submission.snapshot.get("answers") or {}
    return dict(answers.get(item_id) or {})


def starting_evidence(assignment: Assignment, item_id: str) -> list[str]:
    """The evidence an unscored item starts from: the files the applicant cited for it."""
    known = set(evidence_codes(assignment.submission))
    cited = applicant_answer(assignment, item_id).get("evidence") or []
    return [str(code) for code in cited if str(code) in known]


def _untouched(assignment: Assignment, item: Item) -> dict[str, Any]:
    """What an unscored item's fields clean to as the sheet shows them, untouched."""
    values = form_values(item, None)
    values["evidence"] = starting_evidence(assignment, item.id)
    answer, _errors = clean_answer(item, values, evidence_codes(assignment.submission))
    return answer


def changed_since(review: ExpertReview, version: int) -> list[str]:
    """Item ids saved after ``version`` of ``review``, in save order."""
    events = AuditEvent.objects.filter(
        action__in=[SAVED, STARTED],
        object_type=ExpertReview._meta.label,
        object_id=str(review.pk),
    ).order_by("pk")
    changed: list[str] = []
    for event in events:
        after = event.after or {}
        if int(after.get("version") or 0) <= version:
            continue
        for item_id in after.get("items") or [after.get("item")]:
            if item_id and item_id not in changed:
                changed.append(str(item_id))
    return changed


def _sheet_stale(assignment: Assignment, review: ExpertReview, expected: int) -> ValidationError:
    rubric = snapshot_rubric(assignment.submission)
    names = [
        item_label(item) if (item := rubric.item(i)) else i for i in changed_since(review, expected)
    ]
    return ValidationError(
        {
            "__all__": [
                _(
                    "The score sheet was saved from another window or session after you opened "
                    "it (now version {current}, you started from version {expected}). Saved "
                    "since: {items}. Nothing was saved; reload the page, check those items and "
                    "save again."
                ).format(current=review.version, expected=expected, items="、".join(names) or "—")
            ]
        },
        code="stale",
    )


def do_save_review_sheet(
    assignment: Assignment,
    raws: Mapping[str, Mapping[str, Any]],
    *,
    expected_version: int,
    actor: User,
    force: Collection[str] = (),
) -> list[str]:
    """Save every item of ``raws`` (item id -> its form fields) that changed, in one transaction,
    each through :func:`do_save_review`. An unscored item left as the sheet showed it is not
    saved unless named in ``force`` (its own save button). Every item is checked first; any
    problem refuses the whole sheet (errors keyed by item id) and nothing is saved. Returns the
    ids saved, in rubric order."""
    refusal = scoring_refusal(assignment, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    rubric = snapshot_rubric(assignment.submission)
    stored = assignment.review.answers
    errors: dict[str, list[str]] = {}
    unknown = [item_id for item_id in raws if rubric.item(item_id) is None]
    if unknown:
        errors["__all__"] = [
            _("The indicator system {rubric} has no item {item}.").format(
                rubric=rubric.ref, item="、".join(unknown)
            )
        ]
    chosen: list[str] = []
    codes = evidence_codes(assignment.submission)
    for item in rubric.items():
        if item.id not in raws:
            continue
        before = stored.get(item.id)
        if before is None and item.id not in force:
            # Left as the sheet showed it: not an answer yet, so not checked either.
            plain, _problems = clean_answer(item, raws[item.id], codes)
            if plain == _untouched(assignment, item):
                continue
        answer, problems = clean_item(assignment, item, raws[item.id], stored)
        if problems:
            errors[item.id] = [message for field in problems.values() for message in field]
        elif answer != before:
            chosen.append(item.id)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        review = ExpertReview.objects.select_for_update().get(assignment=locked)
        if review.version != expected_version:
            raise _sheet_stale(assignment, review, expected_version)
        version = expected_version
        for item_id in chosen:
            # The per-item action, with its own lock, version check and audit event; an
            # exception here rolls the whole sheet back.
            review = do_save_review(
                locked, item_id, raws[item_id], expected_version=version, actor=actor
            )
            locked.review = review
            version = review.version
    assignment.review = review
    return chosen


def do_start_from_self_assessment(
    assignment: Assignment, *, expected_version: int, actor: User
) -> list[str]:
    """Copy the applicant's self-assessment (choices, reasons, evidence) into every item the
    expert has not saved yet; a saved score is never overwritten. An item whose copy the engine
    refuses (e.g. a judgement without its reason) stays unsaved. One audited event lists the
    items copied. Returns their ids."""
    refusal = scoring_refusal(assignment, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    rubric = snapshot_rubric(assignment.submission)
    copies: dict[str, dict[str, Any]] = {}
    current = dict(assignment.review.answers)
    for item in rubric.items():
        if item.id in current:
            continue
        theirs = applicant_answer(assignment, item.id)
        theirs.pop("comment", None)  # the applicant's comment is theirs, not the expert's
        if not theirs:
            continue
        raw = answer_form_fields(theirs)
        raw["evidence"] = starting_evidence(assignment, item.id)
        answer, problems = clean_item(assignment, item, raw, {**current, **copies})
        if not problems:
            copies[item.id] = answer
    if not copies:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Every item the applicant answered is already scored by you; nothing "
                        "was copied."
                    )
                ]
            }
        )
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        review = ExpertReview.objects.select_for_update().get(assignment=locked)
        if review.version != expected_version:
            raise stale_error(review, expected_version)
        review.answers = {**review.answers, **copies}
        review.version += 1
        review.save(update_fields=["answers", "version", "updated_at"])
        if locked.status == AssignmentStatus.ASSIGNED:
            locked.status = AssignmentStatus.SCORING
            locked.save(update_fields=["status"])
        items = [item.id for item in rubric.items() if item.id in copies]
        record_event(
            actor=actor,
            action=STARTED,
            target=review,
            before={"version": expected_version, "items": items, "answers": None},
            after={"version": review.version, "items": items, "answers": copies},
        )
    assignment.review = review
    return items
