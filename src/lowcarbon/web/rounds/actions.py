"""Opening a round and changing its deadlines: validated, one transaction, one audit event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.recording import record_event, snapshot
from lowcarbon.web.rounds import editions
from lowcarbon.web.rounds.models import Kind, Round

__all__ = ["do_change_round_deadlines", "do_open_round"]

DEADLINES = ["submission_deadline", "recommendation_deadline", "review_deadline"]
SNAPSHOT = [
    "year",
    "status",
    "kinds",
    *DEADLINES,
    "rubric_editions",
    "outline_editions",
    "factor_set_id",
]


def _deadline_errors(submission: date, recommendation: date, review: date) -> dict[str, list[str]]:
    # 工作方案: units submit, districts then recommend, the city then reviews.
    errors: dict[str, list[str]] = {}
    if recommendation <= submission:
        errors["recommendation_deadline"] = [
            _("The recommendation deadline must come after the submission deadline.")
        ]
    if review <= recommendation:
        errors["review_deadline"] = [
            _("The review deadline must come after the recommendation deadline.")
        ]
    return errors


def _edition_errors(
    kinds: Sequence[str], rubrics: Mapping[str, str], outlines: Mapping[str, str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for kind in kinds:
        rubric, outline = rubrics.get(kind, ""), outlines.get(kind, "")
        if rubric not in editions.rubric_editions(kind):
            errors.setdefault("rubric_editions", []).append(
                _("No bundled rubric edition '{edition}' for {kind}; available: {known}.").format(
                    edition=rubric, kind=kind, known=", ".join(editions.rubric_editions(kind))
                )
            )
        if outline not in editions.outline_editions(kind):
            errors.setdefault("outline_editions", []).append(
                _(
                    "No bundled plan outline edition '{edition}' for {kind}; available: {known}."
                ).format(
                    edition=outline, kind=kind, known=", ".join(editions.outline_editions(kind))
                )
            )
    return errors


def do_open_round(
    *,
    year: int,
    kinds: Sequence[str],
    submission_deadline: date,
    recommendation_deadline: date,
    review_deadline: date,
    rubric_editions: Mapping[str, str],
    outline_editions: Mapping[str, str],
    factor_set_id: str,
    actor: User,
) -> Round:
    errors: dict[str, list[str]] = {}
    if not 2021 <= year <= 2100:
        errors["year"] = [_("The year must lie between 2021 and 2100.")]
    elif Round.objects.filter(year=year).exists():
        errors["year"] = [_("A round for {year} already exists.").format(year=year)]
    unknown = [kind for kind in kinds if kind not in Kind.values]
    if not kinds or unknown:
        errors["kinds"] = [_("Open the round for at least one kind: community, zone.")]
    errors |= _deadline_errors(submission_deadline, recommendation_deadline, review_deadline)
    if not unknown:
        errors |= _edition_errors(kinds, rubric_editions, outline_editions)
    if factor_set_id not in editions.factor_set_ids():
        errors["factor_set_id"] = [
            _("No bundled factor set '{id}'; available: {known}.").format(
                id=factor_set_id, known=", ".join(editions.factor_set_ids())
            )
        ]
    if errors:
        raise ValidationError(errors)
    ordered = [kind for kind in Kind.values if kind in kinds]
    with transaction.atomic():
        round_ = Round.objects.create(
            year=year,
            kinds=ordered,
            submission_deadline=submission_deadline,
            recommendation_deadline=recommendation_deadline,
            review_deadline=review_deadline,
            rubric_editions={kind: rubric_editions[kind] for kind in ordered},
            outline_editions={kind: outline_editions[kind] for kind in ordered},
            factor_set_id=factor_set_id,
            opened_by=actor,
        )
        record_event(
            actor=actor, action="round_opened", target=round_, after=snapshot(round_, SNAPSHOT)
        )
    return round_


def do_change_round_deadlines(
    round_: Round,
    *,
    submission_deadline: date,
    recommendation_deadline: date,
    review_deadline: date,
    actor: User,
    reason: str,
) -> Round:
    errors = _deadline_errors(submission_deadline, recommendation_deadline, review_deadline)
    if not reason.strip():
        errors["reason"] = [_("Give the reason for changing the deadlines.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        before = snapshot(locked, DEADLINES)
        locked.submission_deadline = submission_deadline
        locked.recommendation_deadline = recommendation_deadline
        locked.review_deadline = review_deadline
        locked.save(update_fields=DEADLINES)
        record_event(
            actor=actor,
            action="round_deadlines_changed",
            target=locked,
            before=before,
            after=snapshot(locked, DEADLINES),
            reason=reason.strip(),
        )
    return locked
