"""The round's review settings, the administrator's decisions with the aggregate and rank they
rest on, and their publication."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.numbers import NumberError, NumberSpec, parse_number
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.numbers import number_message
from lowcarbon.web.review.actions.common import TEXT_LIMIT, is_published, text_errors
from lowcarbon.web.review.aggregate import application_result, ranking
from lowcarbon.web.review.models import (
    Assignment,
    Decision,
    DecisionOutcome,
    Discussion,
    Panel,
    ReviewSettings,
    round_settings,
)
from lowcarbon.web.rounds.models import Round, Stage

__all__ = [
    "do_decide",
    "do_publish_decisions",
    "do_save_review_settings",
    "open_discussions",
]


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
    assignment = (
        Assignment.objects.filter(application=application, panel__stage=Stage.SELECTION)
        .select_related("panel")
        .first()
    )
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
    elif is_published(application.pk):
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
    reasons = text_errors(
        "reasons", reasons, errors, required=_("Give the reasons for the decision.")
    )
    if errors:
        raise ValidationError(errors)
    assert panel is not None
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        entry = next(
            e for e in ranking(locked.round, locked.kind) if e.subject.application.pk == locked.pk
        )
        result = entry.subject.result
        assert result.aggregate is not None
        basis = {
            "method": result.settings.method,
            "main": str(result.aggregate.main),
            "bonus": str(result.aggregate.bonus),
            "total": str(result.aggregate.total),
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


def open_discussions(round_: Round) -> list[Discussion]:
    """The round's discussions of diverging scores that are still open: the panel's submitted
    scores of the application diverge today (a discussion closes when revisions end the
    divergence)."""
    discussions = Discussion.objects.filter(
        panel__round=round_, panel__stage=Stage.SELECTION
    ).select_related("panel", "panel__round", "application", "application__unit")
    return [
        d
        for d in discussions.order_by("application__unit__name", "pk")
        if application_result(d.panel, d.application).flags
    ]


def do_publish_decisions(round_: Round, *, actor: User, reason: str = "") -> int:
    """Publish every decision of the round at once (公示); refused while any application under
    review is undecided. While a discussion of diverging scores is open, publication needs a
    reason, which the audit event keeps. Returns how many decisions were published."""
    if not permissions.can_manage_review(actor):
        raise ValidationError({"__all__": [_("Only an administrator publishes decisions.")]})
    reviewed = set(
        Assignment.objects.filter(panel__round=round_, panel__stage=Stage.SELECTION).values_list(
            "application_id", flat=True
        )
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
    diverging = open_discussions(round_)
    reason = (reason or "").strip()
    if len(reason) > TEXT_LIMIT:
        errors.append(
            _("At most {limit} characters ({found} given).").format(
                limit=TEXT_LIMIT, found=len(reason)
            )
        )
    elif diverging and not reason:
        errors.append(
            _(
                "The experts' scores still diverge and their discussion is open for: {units}. "
                "To publish anyway, give the reason (it is recorded)."
            ).format(units="、".join(d.application.unit.name for d in diverging))
        )
    if errors:
        raise ValidationError({"__all__": errors})
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round_.pk)
        now = timezone.now()
        rows = list(pending.select_for_update().values_list("pk", "application_id", "outcome"))
        Decision.objects.filter(pk__in=[r[0] for r in rows]).update(published_at=now)
        Round.objects.filter(pk=round_.pk, published_at__isnull=True).update(published_at=now)
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
                "open_discussions": [d.application_id for d in diverging],
            },
            reason=reason,
        )
        # Publication makes each selected application a creation unit, in this transaction.
        # (Imported here: the creation stage follows the review, not the other way round.)
        from lowcarbon.web.creation.actions import do_create_units

        do_create_units(round_, actor=actor)
    return len(rows)
