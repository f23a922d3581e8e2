"""Experts and panels: an expert's profile, forming a panel, assigning experts (with the
conflict check and an administrator's audited override) and an expert declaring a conflict."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import (
    Application,
    ApplicationStatus,
    Submission,
)
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.organisations.models import District
from lowcarbon.web.review.actions.common import (
    NAME_LIMIT,
    is_published,
    recommended_submission,
    text_errors,
)
from lowcarbon.web.review.conflicts import detect_conflicts
from lowcarbon.web.review.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConflictSource,
    ExpertProfile,
    ExpertReview,
    Panel,
)
from lowcarbon.web.rounds.models import Round, Stage

__all__ = [
    "do_assign",
    "do_assign_experts",
    "do_declare_conflict",
    "do_form_panel",
    "do_override_conflict",
    "do_save_expert_profile",
]


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
    stage: str = Stage.SELECTION,
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
    if stage not in Stage.values:
        errors["stage"] = [
            _("“{found}” is not a stage; expected one of {expected}.").format(
                found=stage, expected="、".join(str(label) for label in Stage.labels)
            )
        ]
    elif panel is not None and panel.stage != stage and panel.assignments.exists():
        errors["stage"] = [_("The panel already has assignments; its stage cannot change.")]
    if deadline < timezone.localdate():
        errors["deadline"] = [
            _("The scoring deadline {deadline} is in the past.").format(
                deadline=deadline.isoformat()
            )
        ]
    elif stage == Stage.SELECTION and deadline > round_.review_deadline:
        # The round's comprehensive assessment ends on its review deadline; a panel's scores
        # are due by then (mid-term and final panels judge later reports, on their own dates).
        errors["deadline"] = [
            _(
                "The scoring deadline {deadline} is after the round's review deadline "
                "{review_deadline}; choose {review_deadline} or earlier."
            ).format(
                deadline=deadline.isoformat(), review_deadline=round_.review_deadline.isoformat()
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
                round=round_, kind=kind, stage=stage, name=name, deadline=deadline, created_by=actor
            )
        else:
            panel = Panel.objects.select_for_update().get(pk=panel.pk)
            before = {
                "name": panel.name,
                "kind": panel.kind,
                "stage": panel.stage,
                "deadline": panel.deadline.isoformat(),
                "members": sorted(panel.members.values_list("pk", flat=True)),
            }
            panel.name, panel.kind, panel.stage, panel.deadline = name, kind, stage, deadline
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
                "stage": stage,
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
    selection = panel.stage == Stage.SELECTION
    if application.round_id != panel.round_id or application.kind != panel.kind:
        errors["application"] = [_("The application is not of this panel's round and kind.")]
    elif selection and application.status != ApplicationStatus.RECOMMENDED:
        errors["application"] = [
            _(
                "The application is {status}; only applications the district recommended are "
                "reviewed."
            ).format(status=application.get_status_display())
        ]
    else:
        submission = recommended_submission(application, panel.stage)
        if submission is None:
            errors["application"] = [
                _("The application has no recommended submission.")
                if selection
                else _(
                    "The unit has no self-evaluation report for {stage} that its district "
                    "passed on to the city."
                ).format(stage=Stage(panel.stage).label)
            ]
        elif (
            # A re-inspection after rectification scores a new report with a new panel.
            Assignment.objects.filter(application=application, panel__stage=panel.stage)
            .filter(**({} if selection else {"submission": submission}))
            .exclude(panel=panel)
            .exists()
        ):
            errors["application"] = [_("The application is already assigned to another panel.")]
    if Assignment.objects.filter(panel=panel, application=application, expert=expert).exists():
        errors["expert"] = [_("This expert is already assigned to this application.")]
    if selection and is_published(application.pk):
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
    reason = text_errors(
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
    reason = text_errors(
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


def do_assign_experts(
    panel: Panel,
    application: Application,
    experts: Iterable[User],
    *,
    actor: User,
    override_reason: str = "",
) -> list[Assignment]:
    """Assign several experts to ``application`` at once: one transaction, one audited
    :func:`do_assign` per expert (:func:`do_override_conflict` for a conflicting one when an
    override reason is given). Every expert is checked first; a conflict without a reason, or
    any other refusal, refuses them all, naming each expert and why, and nothing is assigned."""
    chosen = list(dict.fromkeys(experts))
    if not chosen:
        raise ValidationError({"experts": [_("Choose at least one expert.")]})
    errors: dict[str, list[str]] = {}
    conflicted: set[int] = set()
    for expert in chosen:
        name = expert.get_full_name() or expert.get_username()
        problems, submission = _assignment_errors(panel, application, expert, actor)
        if problems:
            for field, messages in problems.items():
                key = "experts" if field == "expert" else field
                errors.setdefault(key, []).extend(
                    _("{expert}: {problem}").format(expert=name, problem=message)
                    if key == "experts"
                    else message
                    for message in messages
                )
            continue
        assert submission is not None
        conflicts = detect_conflicts(expert, application, submission)
        if conflicts:
            conflicted.add(expert.pk)
            if ConflictDeclaration.objects.filter(
                expert=expert, application=application, source=ConflictSource.DECLARED
            ).exists():
                errors.setdefault("experts", []).append(
                    _(
                        "{expert}: declared this conflict themselves; it cannot be overridden."
                    ).format(expert=name)
                )
            elif not override_reason.strip():
                errors.setdefault("experts", []).append(
                    _("{expert}: conflict of interest: {conflicts}").format(
                        expert=name, conflicts="；".join(conflicts)
                    )
                )
    if errors:
        for key in errors:
            errors[key] = list(dict.fromkeys(errors[key]))
        raise ValidationError(errors, code="conflict" if conflicted else "invalid")
    with transaction.atomic():
        return [
            do_override_conflict(panel, application, expert, reason=override_reason, actor=actor)
            if expert.pk in conflicted
            else do_assign(panel, application, expert, actor=actor)
            for expert in chosen
        ]
