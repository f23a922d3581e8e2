"""Every write of the expert review: validated first, then one transaction that locks the rows
it changes (``select_for_update``), re-checks what may have changed, and records one event.

Expert scores are stored in the answers format and validated by the scoring engine exactly as
the self-assessment is (the form fields are read by the self-assessment's own
:func:`~lowcarbon.web.applications.assessment.clean_answer`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.errors import AnswerProblems
from lowcarbon.core.messages import format_points
from lowcarbon.core.numbers import NumberError, NumberSpec, parse_number
from lowcarbon.core.rubric import Item
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.assessment import (
    clean_answer,
    item_label,
    problem_field,  # shared: how an engine problem maps onto the item's form fields
)
from lowcarbon.web.applications.models import (
    Application,
    ApplicationStatus,
    DistrictDecision,
    Submission,
)
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.numbers import number_message
from lowcarbon.web.organisations.models import District
from lowcarbon.web.review.aggregate import application_result, ranking, total_of
from lowcarbon.web.review.conflicts import detect_conflicts
from lowcarbon.web.review.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConflictSource,
    Decision,
    DecisionOutcome,
    Discussion,
    DiscussionPost,
    ExpertProfile,
    ExpertReview,
    ExpertReviewRevision,
    Panel,
    ReviewSettings,
    RevisionKind,
    round_settings,
)
from lowcarbon.web.review.snapshots import evidence_codes, score_of, self_points, snapshot_rubric
from lowcarbon.web.rounds.models import Round

__all__ = [
    "TEXT_LIMIT",
    "departures_without_comment",
    "do_assign",
    "do_decide",
    "do_declare_conflict",
    "do_form_panel",
    "do_override_conflict",
    "do_post_discussion",
    "do_publish_decisions",
    "do_reopen_review",
    "do_revise_review",
    "do_save_expert_profile",
    "do_save_review",
    "do_save_review_settings",
    "do_submit_review",
    "recommended_submission",
]

TEXT_LIMIT = 5000
NAME_LIMIT = 200


def _text_errors(name: str, text: str, errors: dict[str, list[str]], *, required: str) -> str:
    text = (text or "").strip()
    if not text:
        errors[name] = [required]
    elif len(text) > TEXT_LIMIT:
        errors[name] = [
            _("At most {limit} characters ({found} given).").format(
                limit=TEXT_LIMIT, found=len(text)
            )
        ]
    return text


def recommended_submission(application: Application) -> Submission | None:
    """The submission the district recommended: what the experts score (工作方案: 各区推荐)."""
    return (
        application.submissions.filter(
            district_decision=DistrictDecision.RECOMMENDED, withdrawn_at__isnull=True
        )
        .order_by("-number")
        .first()
    )


def _published(application_id: int) -> bool:
    return Decision.objects.filter(
        application_id=application_id, published_at__isnull=False
    ).exists()


# --- experts and panels ----------------------------------------------------------------------


def do_save_expert_profile(
    expert: User,
    *,
    districts: Iterable[District],
    organisation_name: str,
    consultancies: Iterable[str],
    actor: User,
) -> ExpertProfile:
    """An expert's affiliations, saved by the expert or an administrator."""
    errors: dict[str, list[str]] = {}
    if expert.role != Role.EXPERT:
        errors["__all__"] = [_("Only experts have review affiliations.")]
    elif actor.pk != expert.pk and not permissions.can_manage_review(actor):
        errors["__all__"] = [_("Only the expert or an administrator can change these.")]
    organisation_name = (organisation_name or "").strip()
    if len(organisation_name) > NAME_LIMIT:
        errors["organisation_name"] = [
            _("At most {limit} characters ({found} given).").format(
                limit=NAME_LIMIT, found=len(organisation_name)
            )
        ]
    names = list(dict.fromkeys(c.strip() for c in consultancies if c and c.strip()))
    too_long = [c for c in names if len(c) > NAME_LIMIT]
    if too_long:
        errors["consultancies"] = [
            _("“{name}”: at most {limit} characters.").format(name=too_long[0], limit=NAME_LIMIT)
        ]
    if errors:
        raise ValidationError(errors)
    chosen = sorted({d.pk for d in districts})
    with transaction.atomic():
        profile, _created = ExpertProfile.objects.select_for_update().get_or_create(user=expert)
        before = {
            "districts": sorted(profile.districts.values_list("pk", flat=True)),
            "organisation_name": profile.organisation_name,
            "consultancies": profile.consultancies,
        }
        profile.organisation_name = organisation_name
        profile.consultancies = names
        profile.version += 1
        profile.save()
        profile.districts.set(chosen)
        record_event(
            actor=actor,
            action="expert_profile_saved",
            target=profile,
            before=before,
            after={
                "districts": chosen,
                "organisation_name": organisation_name,
                "consultancies": names,
            },
        )
    return profile


def do_form_panel(
    *,
    round_: Round,
    kind: str,
    name: str,
    deadline: date,
    members: Iterable[User],
    actor: User,
    panel: Panel | None = None,
) -> Panel:
    """Form a panel (or change one): a name, a scoring deadline and its experts."""
    errors: dict[str, list[str]] = {}
    if not permissions.can_manage_review(actor):
        raise ValidationError({"__all__": [_("Only an administrator forms panels.")]})
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the panel a name, e.g. 2026年低碳社区第一组.")]
    elif len(name) > NAME_LIMIT:
        errors["name"] = [
            _("At most {limit} characters ({found} given).").format(
                limit=NAME_LIMIT, found=len(name)
            )
        ]
    elif (
        Panel.objects.filter(round=round_, name=name)
        .exclude(pk=panel.pk if panel is not None else 0)
        .exists()
    ):
        errors["name"] = [_("The round already has a panel named “{name}”.").format(name=name)]
    if kind not in round_.kinds:
        errors["kind"] = [_("The round is not open for that kind of demonstration.")]
    elif panel is not None and panel.kind != kind and panel.assignments.exists():
        errors["kind"] = [_("The panel already has assignments; its kind cannot change.")]
    if deadline < timezone.localdate():
        errors["deadline"] = [
            _("The scoring deadline {deadline} is in the past.").format(
                deadline=deadline.isoformat()
            )
        ]
    experts = list(dict.fromkeys(members))
    not_experts = [u.get_username() for u in experts if u.role != Role.EXPERT or not u.is_active]
    if not experts:
        errors["members"] = [_("Choose at least one expert.")]
    elif not_experts:
        errors["members"] = [_("Not active experts: {names}.").format(names="、".join(not_experts))]
    if panel is not None and not errors:
        removed = set(panel.members.values_list("pk", flat=True)) - {u.pk for u in experts}
        busy = panel.assignments.filter(expert_id__in=removed).exclude(
            status=AssignmentStatus.DECLINED_CONFLICT
        )
        if busy.exists():
            errors["members"] = [
                _("{names} still have assignments in this panel and cannot be removed.").format(
                    names="、".join(sorted({a.expert.get_username() for a in busy}))
                )
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None
        if panel is None:
            panel = Panel.objects.create(
                round=round_, kind=kind, name=name, deadline=deadline, created_by=actor
            )
        else:
            panel = Panel.objects.select_for_update().get(pk=panel.pk)
            before = {
                "name": panel.name,
                "kind": panel.kind,
                "deadline": panel.deadline.isoformat(),
                "members": sorted(panel.members.values_list("pk", flat=True)),
            }
            panel.name, panel.kind, panel.deadline = name, kind, deadline
            panel.save()
        panel.members.set(experts)
        record_event(
            actor=actor,
            action="review_panel_formed" if before is None else "review_panel_changed",
            target=panel,
            before=before,
            after={
                "round": round_.pk,
                "name": name,
                "kind": kind,
                "deadline": deadline.isoformat(),
                "members": sorted(u.pk for u in experts),
            },
        )
    return panel


def _assignment_errors(
    panel: Panel, application: Application, expert: User, actor: User
) -> tuple[dict[str, list[str]], Submission | None]:
    errors: dict[str, list[str]] = {}
    if not permissions.can_manage_review(actor):
        return {"__all__": [_("Only an administrator assigns experts.")]}, None
    if not panel.members.filter(pk=expert.pk).exists():
        errors["expert"] = [
            _("{expert} is not a member of the panel {panel}.").format(
                expert=expert.get_full_name() or expert.get_username(), panel=panel.name
            )
        ]
    submission = None
    if application.round_id != panel.round_id or application.kind != panel.kind:
        errors["application"] = [_("The application is not of this panel's round and kind.")]
    elif application.status != ApplicationStatus.RECOMMENDED:
        errors["application"] = [
            _(
                "The application is {status}; only applications the district recommended are "
                "reviewed."
            ).format(status=application.get_status_display())
        ]
    else:
        submission = recommended_submission(application)
        if submission is None:
            errors["application"] = [_("The application has no recommended submission.")]
        elif Assignment.objects.filter(application=application).exclude(panel=panel).exists():
            errors["application"] = [_("The application is already assigned to another panel.")]
    if Assignment.objects.filter(panel=panel, application=application, expert=expert).exists():
        errors["expert"] = [_("This expert is already assigned to this application.")]
    if _published(application.pk):
        errors["application"] = [_("The decision on this application has been published.")]
    return errors, submission


def _create_assignment(
    panel: Panel, application: Application, submission: Submission, expert: User, actor: User
) -> Assignment:
    assignment = Assignment.objects.create(
        panel=panel,
        application=application,
        submission=submission,
        expert=expert,
        assigned_by=actor,
    )
    ExpertReview.objects.create(assignment=assignment)
    return assignment


def do_assign(panel: Panel, application: Application, expert: User, *, actor: User) -> Assignment:
    """Assign ``expert`` to score ``application``; refused when a conflict is detected (an
    administrator may then override with a reason, :func:`do_override_conflict`)."""
    errors, submission = _assignment_errors(panel, application, expert, actor)
    if errors:
        raise ValidationError(errors)
    assert submission is not None
    conflicts = detect_conflicts(expert, application, submission)
    if conflicts:
        raise ValidationError(
            {"expert": [_("Conflict of interest; the assignment was refused:"), *conflicts]},
            code="conflict",
        )
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        assignment = _create_assignment(panel, application, submission, expert, actor)
        record_event(
            actor=actor,
            action="review_assigned",
            target=assignment,
            after={
                "panel": panel.pk,
                "application": application.pk,
                "submission": submission.number,
                "snapshot_sha256": submission.snapshot_sha256,
                "expert": expert.pk,
            },
        )
    return assignment


def do_override_conflict(
    panel: Panel, application: Application, expert: User, *, reason: str, actor: User
) -> Assignment:
    """Assign despite a detected conflict: an administrator's decision with a reason. A conflict
    the expert declared themselves is never overridden."""
    errors, submission = _assignment_errors(panel, application, expert, actor)
    reason = _text_errors(
        "reason", reason, errors, required=_("Give the reason for overriding the conflict.")
    )
    if errors:
        raise ValidationError(errors)
    assert submission is not None
    if ConflictDeclaration.objects.filter(
        expert=expert, application=application, source=ConflictSource.DECLARED
    ).exists():
        raise ValidationError(
            {
                "__all__": [
                    _("The expert declared this conflict themselves; it cannot be overridden.")
                ]
            }
        )
    conflicts = detect_conflicts(expert, application, submission)
    if not conflicts:
        raise ValidationError(
            {"__all__": [_("No conflict was detected; assign the expert normally.")]}
        )
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        ConflictDeclaration.objects.create(
            expert=expert,
            application=application,
            source=ConflictSource.DETECTED,
            reason="\n".join(conflicts),
            overridden_by=actor,
            override_reason=reason,
            overridden_at=timezone.now(),
        )
        assignment = _create_assignment(panel, application, submission, expert, actor)
        record_event(
            actor=actor,
            action="review_conflict_overridden",
            target=assignment,
            before={"conflicts": conflicts},
            after={
                "panel": panel.pk,
                "application": application.pk,
                "submission": submission.number,
                "expert": expert.pk,
            },
            reason=reason,
        )
    return assignment


def do_declare_conflict(assignment: Assignment, *, reason: str, actor: User) -> Assignment:
    """The expert steps back from an assignment for a conflict of interest."""
    errors: dict[str, list[str]] = {}
    if not permissions.can_declare_conflict(actor, assignment):
        errors["__all__"] = [
            _("Only the assigned expert can declare a conflict, before submitting the scores.")
        ]
    reason = _text_errors(
        "reason", reason, errors, required=_("Say what the conflict of interest is.")
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if not permissions.can_declare_conflict(actor, locked):
            raise ValidationError(
                _(
                    "The assignment changed in the meantime ({status}); nothing was declared."
                ).format(status=locked.get_status_display()),
                code="stale",
            )
        before = locked.status
        locked.status = AssignmentStatus.DECLINED_CONFLICT
        locked.save(update_fields=["status"])
        ConflictDeclaration.objects.create(
            expert=actor,
            application_id=locked.application_id,
            source=ConflictSource.DECLARED,
            reason=reason,
        )
        record_event(
            actor=actor,
            action="review_conflict_declared",
            target=locked,
            before={"status": before},
            after={"status": locked.status},
            reason=reason,
        )
    return locked


# --- scoring ---------------------------------------------------------------------------------


def _scoring_refusal(assignment: Assignment, actor: User) -> str | None:
    if not permissions.can_score_assignment(actor, assignment):
        if assignment.status == AssignmentStatus.SUBMITTED and assignment.expert_id == actor.pk:
            return _("Your scores are submitted and locked; only an administrator can reopen them.")
        return _("You can only score applications assigned to you.")
    if timezone.localdate() > assignment.panel.deadline:
        return _("The scoring deadline ({deadline}) has passed.").format(
            deadline=assignment.panel.deadline.isoformat()
        )
    return None


def _item_or_error(assignment: Assignment, item_id: str) -> Item:
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


def _clean_item(
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


def _stale(locked: ExpertReview, expected: int) -> ValidationError:
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
    refusal = _scoring_refusal(assignment, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    item = _item_or_error(assignment, item_id)
    answer, errors = _clean_item(assignment, item, raw, assignment.review.answers)
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
            raise _stale(review, expected_version)
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


def _departure_errors(
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


def _revision(review: ExpertReview, kind: str, reason: str, actor: User) -> ExpertReviewRevision:
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
        defaults={"flags": [flag.as_data() for flag in result.flags]},
    )
    return discussion if created else None


def do_submit_review(assignment: Assignment, *, expected_version: int, actor: User) -> Assignment:
    """Submit and lock the expert's scores: every item scored, the engine satisfied, a comment
    wherever the expert departs from the self-score. Kept as a new revision."""
    refusal = _scoring_refusal(assignment, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    submission = assignment.submission
    items = assignment.review.answers
    errors = _complete_errors(submission, items)
    if not errors:
        errors = _departure_errors(submission, items)
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
            raise _stale(review, expected_version)
        before = locked.status
        review.submitted_at = timezone.now()
        review.save(update_fields=["submitted_at", "updated_at"])
        locked.status = AssignmentStatus.SUBMITTED
        locked.save(update_fields=["status"])
        revision = _revision(review, RevisionKind.SUBMITTED, "", actor)
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
    elif _published(assignment.application_id):
        errors["__all__"] = [_("The decision on this application has been published.")]
    reason = _text_errors(
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


# --- discussion ------------------------------------------------------------------------------


def do_post_discussion(discussion: Discussion, *, text: str, actor: User) -> DiscussionPost:
    errors: dict[str, list[str]] = {}
    if not permissions.can_view_panel_scores(actor, discussion.panel, discussion.application):
        errors["__all__"] = [
            _("Only the panel's experts, after submitting their scores, take part.")
        ]
    elif _published(discussion.application_id):
        errors["__all__"] = [_("The decision on this application has been published.")]
    text = _text_errors("text", text, errors, required=_("Write something to post."))
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
    item = _item_or_error(assignment, item_id)
    answer, item_errors = _clean_item(assignment, item, raw, assignment.review.answers)
    errors |= item_errors
    reason = _text_errors(
        "revision_reason", reason, errors, required=_("Say why you revise this score.")
    )
    if not errors:
        items = {**assignment.review.answers, item.id: answer}
        departure = _departure_errors(assignment.submission, items, only=item.id)
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
            raise _stale(review, expected_version)
        before = review.answers.get(item.id)
        review.answers = {**review.answers, item.id: answer}
        review.version += 1
        review.save(update_fields=["answers", "version", "updated_at"])
        revision = _revision(review, RevisionKind.REVISED, reason, actor)
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


# --- settings, decisions, publication --------------------------------------------------------


def do_save_review_settings(
    round_: Round,
    *,
    method: str,
    item_range_share: Any,
    total_spread_limit: Any,
    panel_visibility: str,
    applicant_visibility: str,
    actor: User,
) -> ReviewSettings:
    errors: dict[str, list[str]] = {}
    if not permissions.can_manage_review(actor):
        raise ValidationError({"__all__": [_("Only an administrator sets the review.")]})
    from lowcarbon.web.review.models import ApplicantVisibility, MethodChoice, PanelVisibility

    if method not in MethodChoice.values:
        errors["method"] = [_("Choose mean, trimmed mean or median.")]
    numbers: dict[str, Decimal] = {}
    for name, raw, low, high, places in (
        # The places are those the database columns keep.
        ("item_range_share", item_range_share, Decimal("0.05"), Decimal(1), 2),
        ("total_spread_limit", total_spread_limit, Decimal(1), Decimal(120), 1),
    ):
        label = getattr(ReviewSettings, name).field.verbose_name
        try:
            numbers[name] = parse_number(raw, NumberSpec(label, low, high, places))
        except NumberError as error:
            errors[name] = [number_message(error)]
    if panel_visibility not in PanelVisibility.values:
        errors["panel_visibility"] = [_("Choose when the panel sees each other's scores.")]
    if applicant_visibility not in ApplicantVisibility.values:
        errors["applicant_visibility"] = [_("Choose what applicants see after publication.")]
    if Decision.objects.filter(application__round=round_).exists():
        errors["__all__"] = [
            _("Decisions have been recorded for this round; its review settings are fixed.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round_.pk)
        settings = round_settings(round_)
        fields = [
            "method",
            "item_range_share",
            "total_spread_limit",
            "panel_visibility",
            "applicant_visibility",
        ]
        before = {f: str(getattr(settings, f)) for f in fields} if settings.pk else None
        settings.method = method
        settings.item_range_share = numbers["item_range_share"]
        settings.total_spread_limit = numbers["total_spread_limit"]
        settings.panel_visibility = panel_visibility
        settings.applicant_visibility = applicant_visibility
        if settings.pk:
            settings.version += 1
        settings.save()
        record_event(
            actor=actor,
            action="review_settings_saved",
            target=settings,
            before=before,
            after={f: str(getattr(settings, f)) for f in fields},
        )
    return settings


def _panel_of(application: Application) -> Panel | None:
    assignment = Assignment.objects.filter(application=application).select_related("panel").first()
    return assignment.panel if assignment else None


def do_decide(application: Application, *, outcome: str, reasons: str, actor: User) -> Decision:
    """Record (or, before publication, change) the decision on an application, keeping the
    aggregate and rank it was based on."""
    errors: dict[str, list[str]] = {}
    if not permissions.can_manage_review(actor):
        raise ValidationError({"__all__": [_("Only an administrator decides.")]})
    panel = _panel_of(application)
    if panel is None:
        errors["__all__"] = [_("The application has not been assigned to a panel.")]
    elif _published(application.pk):
        errors["__all__"] = [_("The decision on this application has been published.")]
    else:
        result = application_result(panel, application)
        if not result.complete:
            errors["__all__"] = [
                _(
                    "Not every expert has submitted ({pending} outstanding); decide afterwards."
                ).format(pending=result.pending)
            ]
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = [_("Choose selected or not selected.")]
    reasons = _text_errors(
        "reasons", reasons, errors, required=_("Give the reasons for the decision.")
    )
    if errors:
        raise ValidationError(errors)
    assert panel is not None
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        entry = next(e for e in ranking(locked.round, locked.kind) if e.application.pk == locked.pk)
        result = entry.result
        assert result.aggregate is not None
        basis = {
            "method": result.settings.method,
            "main": str(result.aggregate.main),
            "bonus": str(result.aggregate.bonus),
            "total": str(total_of(result.aggregate)),
            "rank": entry.rank,
            "tied": entry.tied,
            "revisions": [
                a.review.revisions.order_by("-number").values_list("pk", flat=True).first()
                for a in result.assignments
            ],
        }
        decision = Decision.objects.select_for_update().filter(application=locked).first()
        before = (
            None
            if decision is None
            else {"outcome": decision.outcome, "reasons": decision.reasons, "basis": decision.basis}
        )
        if decision is None:
            decision = Decision(application=locked)
        decision.submission = result.assignments[0].submission
        decision.outcome = outcome
        decision.reasons = reasons
        decision.basis = basis
        decision.decided_by = actor
        decision.decided_at = timezone.now()
        decision.save()
        record_event(
            actor=actor,
            action="review_decided",
            target=decision,
            before=before,
            after={"outcome": outcome, "reasons": reasons, "basis": basis},
        )
    return decision


def do_publish_decisions(round_: Round, *, actor: User) -> int:
    """Publish every decision of the round at once (公示); refused while any application under
    review is undecided. Returns how many decisions were published."""
    if not permissions.can_manage_review(actor):
        raise ValidationError({"__all__": [_("Only an administrator publishes decisions.")]})
    reviewed = set(
        Assignment.objects.filter(panel__round=round_).values_list("application_id", flat=True)
    )
    decided = set(
        Decision.objects.filter(application__round=round_).values_list("application_id", flat=True)
    )
    errors: list[str] = []
    if not reviewed:
        errors.append(_("No application of this round is under review."))
    undecided = Application.objects.filter(pk__in=reviewed - decided).select_related("unit")
    if undecided:
        errors.append(
            _("Not decided yet: {units}.").format(units="、".join(a.unit.name for a in undecided))
        )
    pending = Decision.objects.filter(application__round=round_, published_at__isnull=True)
    if not errors and not pending.exists():
        errors.append(_("Every decision of this round is already published."))
    if errors:
        raise ValidationError({"__all__": errors})
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round_.pk)
        now = timezone.now()
        rows = list(pending.select_for_update().values_list("pk", "application_id", "outcome"))
        Decision.objects.filter(pk__in=[r[0] for r in rows]).update(published_at=now)
        record_event(
            actor=actor,
            action="review_decisions_published",
            target=round_,
            after={
                "published_at": now.isoformat(),
                "decisions": [
                    {"application": application, "outcome": outcome}
                    for _pk, application, outcome in rows
                ],
            },
        )
    return len(rows)
