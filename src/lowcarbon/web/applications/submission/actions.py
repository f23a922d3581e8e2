"""The audited actions on a submission: submitting, withdrawing, and the district's decision."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.rules.snapshot import snapshot_data, snapshot_sha256
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import (
    Application,
    ApplicationStatus,
    DistrictDecision,
    Submission,
)
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.rounds.models import RoundStatus, Stage

from .check import GROUPS, check_application, gap_text
from .frozen import part_versions
from .snapshot import _build_snapshot

REASON_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 5000

SUBMITTED = "application_submitted"
WITHDRAWN = "application_withdrawn"
DECIDED = {
    DistrictDecision.RECOMMENDED: "application_recommended",
    DistrictDecision.RETURNED: "application_returned",
}


def _deadline_passed(deadline: date) -> bool:
    return timezone.localdate() > deadline


def _own_unit_error(actor: User, application: Application) -> str | None:
    if actor.role != Role.APPLICANT or actor.organisation_id != application.unit_id:
        return _("Only the applicant unit's own people can do this.")
    return None


def _status_label(status: str) -> str:
    return str(ApplicationStatus(status).label)


def do_submit(
    application: Application,
    *,
    actor: User,
    expected_versions: Mapping[str, int] | None = None,
) -> Submission:
    """Freeze ``application`` as its next submission; refused while anything blocks.

    ``expected_versions`` (from :func:`part_versions` when the person checked) refuses the
    submission if a part was saved since, so nobody submits what they have not seen."""
    round_ = application.round
    errors: list[str] = []
    if problem := _own_unit_error(actor, application):
        errors.append(problem)
    elif not application.is_editable:
        errors.append(
            _("The application is {status}; it cannot be submitted again.").format(
                status=_status_label(application.status)
            )
        )
    if round_.status != RoundStatus.OPEN:
        errors.append(_("This round is not open."))
    elif _deadline_passed(round_.submission_deadline):
        errors.append(
            _("The submission deadline ({deadline}) has passed.").format(
                deadline=round_.submission_deadline.isoformat()
            )
        )
    if errors:
        raise ValidationError({"__all__": errors})
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round", "unit")
            .get(pk=application.pk)
        )
        if not locked.is_editable:
            raise ValidationError(
                _(
                    "The application was {status} by someone else in the meantime; "
                    "nothing was submitted."
                ).format(status=_status_label(locked.status)),
                code="stale",
            )
        now = part_versions(locked)
        if expected_versions is not None and dict(expected_versions) != now:
            labels = {
                "sections": GROUPS["outline"],
                "accounting": GROUPS["baseline"],
                "answers": GROUPS["assessment"],
            }
            changed = [
                str(labels[part]) for part in now if now[part] != expected_versions.get(part)
            ]
            raise ValidationError(
                _(
                    "The application was changed after you checked it ({parts}); check it "
                    "again before submitting. Nothing was submitted."
                ).format(parts="、".join(changed)),
                code="stale",
            )
        check = check_application(locked)
        if check.blocking:
            raise ValidationError(
                {
                    "__all__": [_("The application cannot be submitted yet:")]
                    + [gap_text(locked, gap.code, gap.params) for gap in check.blocking]
                }
            )
        previous = locked.submissions.aggregate(Max("number"))["number__max"] or 0
        submission = Submission.objects.create(
            application=locked,
            number=previous + 1,
            submitted_by=actor,
            snapshot={},
            snapshot_sha256="",
        )
        frozen = _build_snapshot(locked, submission, check, actor)
        digest = snapshot_sha256(frozen)
        submission.snapshot = snapshot_data(frozen)
        submission.snapshot_sha256 = digest
        submission.save(update_fields=["snapshot", "snapshot_sha256"])
        # Read it back: the hash must hold for what the database keeps, not only for what we
        # meant to write (a JSON column may change numbers or key order).
        stored = Submission.objects.values_list("snapshot", flat=True).get(pk=submission.pk)
        if snapshot_sha256(stored) != digest:
            raise ValidationError(
                _(
                    "The frozen snapshot did not read back identically from the database; "
                    "nothing was submitted. Please tell the administrator."
                ),
                code="snapshot_mismatch",
            )
        before = locked.status
        locked.status = ApplicationStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action=SUBMITTED,
            target=locked,
            before={"status": before},
            after={
                "status": locked.status,
                "submission": submission.number,
                "snapshot_sha256": digest,
                "versions": now,
            },
        )
    return submission


def _latest(application: Application) -> Submission | None:
    return application.submissions.filter(stage=Stage.SELECTION).order_by("-number").first()


def do_withdraw(application: Application, *, reason: str, actor: User) -> Submission:
    """Take back the latest submission before the deadline: the application is a draft again,
    the submission stays listed (withdrawn, by whom, why) and its snapshot unchanged."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if problem := _own_unit_error(actor, application):
        errors["__all__"] = [problem]
    elif application.status != ApplicationStatus.SUBMITTED:
        errors["__all__"] = [
            _("Only a submitted application awaiting the district's decision can be withdrawn.")
        ]
    elif _deadline_passed(application.round.submission_deadline):
        errors["__all__"] = [
            _(
                "The submission deadline ({deadline}) has passed; it can no longer be withdrawn."
            ).format(deadline=application.round.submission_deadline.isoformat())
        ]
    if not reason:
        errors["reason"] = [_("Give the reason for the withdrawal.")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [
            _("The reason is {length} characters long; at most {limit} are allowed.").format(
                length=len(reason), limit=REASON_MAX_LENGTH
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        latest = _latest(locked)
        if locked.status != ApplicationStatus.SUBMITTED or latest is None:
            raise ValidationError(
                _(
                    "The application is now {status} (changed in the meantime); "
                    "nothing was withdrawn."
                ).format(status=_status_label(locked.status)),
                code="stale",
            )
        if latest.district_decision or latest.withdrawn_at is not None:
            raise ValidationError(
                _("The district has already decided on this submission; it cannot be withdrawn."),
                code="decided",
            )
        latest.withdrawn_at = timezone.now()
        latest.withdrawn_by = actor
        latest.withdrawal_reason = reason
        latest.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        locked.status = ApplicationStatus.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action=WITHDRAWN,
            target=locked,
            before={"status": ApplicationStatus.SUBMITTED, "submission": latest.number},
            after={"status": locked.status, "submission": latest.number},
            reason=reason,
        )
    return latest


def do_district_decide(
    application: Application, *, decision: str, comment: str, actor: User
) -> Submission:
    """The district's decision on the latest submission: returned (with comments; the applicant
    edits and resubmits) or recommended (frozen for the municipal review)."""
    comment = (comment or "").strip()
    round_ = application.round
    errors: dict[str, list[str]] = {}
    if application.status != ApplicationStatus.SUBMITTED:
        errors["__all__"] = [
            _("The application is {status}; it is not awaiting the district's decision.").format(
                status=_status_label(application.status)
            )
        ]
    elif not permissions.can_decide_as_district(actor, application):
        errors["__all__"] = [
            _("Only a district officer of the applicant unit's district decides on it.")
        ]
    elif _deadline_passed(round_.recommendation_deadline):
        errors["__all__"] = [
            _("The recommendation deadline ({deadline}) has passed.").format(
                deadline=round_.recommendation_deadline.isoformat()
            )
        ]
    if decision not in DistrictDecision.values:
        errors["decision"] = [_("Choose whether to recommend or to return the application.")]
    elif decision == DistrictDecision.RETURNED and not comment:
        errors["comment"] = [_("Say what the applicant must revise when returning it.")]
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [
            _("The comments are {length} characters long; at most {limit} are allowed.").format(
                length=len(comment), limit=COMMENT_MAX_LENGTH
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update().select_related("unit").get(pk=application.pk)
        )
        latest = _latest(locked)
        if (
            locked.status != ApplicationStatus.SUBMITTED
            or latest is None
            or latest.district_decision
            or latest.withdrawn_at is not None
        ):
            raise ValidationError(
                _(
                    "The application is now {status} (changed in the meantime); "
                    "nothing was decided."
                ).format(status=_status_label(locked.status)),
                code="stale",
            )
        latest.district_decision = decision
        latest.district_comment = comment
        latest.decided_by = actor
        latest.decided_at = timezone.now()
        latest.save(
            update_fields=["district_decision", "district_comment", "decided_by", "decided_at"]
        )
        locked.status = (
            ApplicationStatus.RETURNED
            if decision == DistrictDecision.RETURNED
            else ApplicationStatus.RECOMMENDED
        )
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action=DECIDED[DistrictDecision(decision)],
            target=locked,
            before={"status": ApplicationStatus.SUBMITTED, "submission": latest.number},
            after={
                "status": locked.status,
                "submission": latest.number,
                "decision": decision,
                "snapshot_sha256": latest.snapshot_sha256,
            },
            reason=comment,
        )
    return latest
