"""Rectification orders (整改通知, issue 15 §6): the unit's district or the bureau issues an
order (items, reasons, a deadline) and the unit moves to 整改中; the unit answers each item,
with evidence files checked by content, and submits the answers (frozen); the issuer closes
the order (the unit returns to the status it had) or returns it with comments and a new
deadline for another round of answers, the earlier answers kept.

Each write is validated first, then one transaction with a version check and one audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.evidence import CheckedFile, read_uploads, store_by_hash
from lowcarbon.web.archive.citations import archive_records, cite
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.lifecycle import transition_error
from lowcarbon.web.creation.models import (
    CreationUnit,
    LifecycleStatus,
    RectificationAnswer,
    RectificationFile,
    RectificationItem,
    RectificationOrder,
    RectificationStatus,
    rectification_path,
)
from lowcarbon.web.creation.schedule import SHANGHAI, local_date

__all__ = [
    "MAX_FILES",
    "ItemInput",
    "do_answer_rectification_item",
    "do_close_rectification",
    "do_issue_rectification",
    "do_return_rectification",
    "do_submit_rectification",
    "issue_refusal",
]

TEXT_LIMIT = 2000
MAX_ITEMS = 30
MAX_FILES = 5


@dataclass(frozen=True)
class ItemInput:
    problem: str
    requirement: str
    basis: str = ""


def _stale(what: str) -> ValidationError:
    return ValidationError(
        {
            "__all__": [
                _("Someone changed this {what} meanwhile; reload the page and try again.").format(
                    what=what
                )
            ]
        }
    )


def _text(
    value: str, field: str, errors: dict[str, list[str]], missing: str | None, label: str
) -> str:
    value = (value or "").strip()
    if not value and missing is not None:
        errors.setdefault(field, []).append(missing)
    elif len(value) > TEXT_LIMIT:
        errors.setdefault(field, []).append(
            _("{label} has {found} characters; at most {limit} are kept.").format(
                label=label, found=len(value), limit=TEXT_LIMIT
            )
        )
    return value


def _deadline(deadline: date | None, now: datetime, errors: dict[str, list[str]]) -> None:
    if deadline is None:
        errors["deadline"] = [_("Give the deadline.")]
    elif deadline < local_date(now):
        errors["deadline"] = [
            _("The deadline {found} lies in the past; give today ({today}) or a later day.").format(
                found=deadline.isoformat(), today=local_date(now).isoformat()
            )
        ]


def _local(instant: datetime) -> str:
    return instant.astimezone(SHANGHAI).isoformat()


def do_issue_rectification(
    unit: CreationUnit,
    *,
    items: Sequence[ItemInput],
    deadline: date | None,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> RectificationOrder:
    """Issue an order of at least one item; the unit moves to 整改中 (as the lifecycle table
    allows), the status it came from kept so that closing the order returns it there."""
    if not permissions.can_issue_rectification(actor, unit):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Only the officers of the unit's district and the municipal bureau issue "
                        "rectification orders."
                    )
                ]
            }
        )
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    kept: list[ItemInput] = []
    for number, item in enumerate(items, start=1):
        problem = (item.problem or "").strip()
        requirement = (item.requirement or "").strip()
        basis = (item.basis or "").strip()
        if not (problem or requirement or basis):
            continue
        field = f"item_{number}"
        if not problem:
            errors.setdefault(field, []).append(
                _("Item {number}: describe the problem found.").format(number=number)
            )
        if not requirement:
            errors.setdefault(field, []).append(
                _("Item {number}: say what is required.").format(number=number)
            )
        for value, label in ((problem, _("the problem")), (requirement, _("the requirement"))):
            if len(value) > TEXT_LIMIT:
                errors.setdefault(field, []).append(
                    _("Item {number}: {label} has {found} characters; at most {limit}.").format(
                        number=number, label=label, found=len(value), limit=TEXT_LIMIT
                    )
                )
        kept.append(ItemInput(problem, requirement, basis[:TEXT_LIMIT]))
    if not kept:
        errors["items"] = [_("An order needs at least one item: the problem and what is required.")]
    elif len(kept) > MAX_ITEMS:
        errors["items"] = [
            _("The order has {found} items; at most {limit}.").format(
                found=len(kept), limit=MAX_ITEMS
            )
        ]
    _deadline(deadline, now, errors)
    refused = issue_refusal(unit)
    if refused:
        errors["__all__"] = [refused]
    if errors:
        raise ValidationError(errors)
    assert deadline is not None
    with transaction.atomic():
        locked = (
            CreationUnit.objects.select_for_update().select_related("application").get(pk=unit.pk)
        )
        if locked.version != expected_version:
            raise _stale(_("unit"))
        refused = issue_refusal(locked)
        if refused:
            raise ValidationError({"__all__": [refused]})
        order = RectificationOrder.objects.create(
            unit=locked,
            issued_by=actor,
            issued_at=now,
            deadline=deadline,
            previous_status=locked.status,
        )
        for number, item in enumerate(kept, start=1):
            RectificationItem.objects.create(
                order=order,
                number=number,
                problem=item.problem,
                requirement=item.requirement,
                basis=item.basis,
            )
        before = {"status": locked.status}
        locked.status = LifecycleStatus.RECTIFICATION
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        record_event(
            actor=actor,
            action="creation_rectification_issued",
            target=locked,
            before=before,
            after={
                "status": locked.status,
                "order": order.pk,
                "items": len(kept),
                "due_at": _local(order.due_at),
            },
        )
    return order


def issue_refusal(unit: CreationUnit) -> str | None:
    if (
        RectificationOrder.objects.filter(unit=unit)
        .exclude(status=RectificationStatus.CLOSED)
        .exists()
    ):
        return _(
            "The unit already has a rectification order that is not closed; add to it by "
            "returning it, or close it first."
        )
    return transition_error(unit.kind, unit.status, LifecycleStatus.RECTIFICATION)


def _order_for_update(order: RectificationOrder, expected_version: int) -> RectificationOrder:
    locked = (
        RectificationOrder.objects.select_for_update()
        .select_related("unit", "unit__application", "unit__application__unit")
        .get(pk=order.pk)
    )
    if locked.version != expected_version:
        raise _stale(_("rectification order"))
    return locked


def _not_answerable(order: RectificationOrder) -> str:
    return _(
        "The order is “{status}”: answers can be given only while it is open or returned."
    ).format(status=RectificationStatus(order.status).label)


def _read_files(files: Sequence[UploadedFile], errors: dict[str, list[str]]) -> list[CheckedFile]:
    """At most ``MAX_FILES`` files, each read and checked by content."""
    if len(files) > MAX_FILES:
        errors["files"] = [
            _("{found} files were sent; attach at most {limit} to one answer.").format(
                found=len(files), limit=MAX_FILES
            )
        ]
        return []
    return read_uploads(files, errors)


def do_answer_rectification_item(
    item: RectificationItem,
    *,
    text: str,
    files: Sequence[UploadedFile] = (),
    records: Sequence[object] = (),
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> RectificationAnswer:
    """The unit's answer to one item in the order's current round (a second answer in the same
    round replaces the text and the archive records it cites, and adds its files); the order's
    version moves on. ``records``: keys of the unit's archive records given as evidence."""
    order = item.order
    if not permissions.can_answer_rectification(actor, order):
        raise ValidationError(
            {"__all__": [_("Only the unit's own people answer its rectification order.")]}
        )
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if not order.is_answerable:
        errors["__all__"] = [_not_answerable(order)]
    text = _text(text, "text", errors, _("Write the answer: what was done."), _("The answer"))
    read = _read_files(files, errors)
    evidence = archive_records(order.unit, records, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _order_for_update(order, expected_version)
        if not locked.is_answerable:
            raise ValidationError({"__all__": [_not_answerable(locked)]})
        answer = RectificationAnswer.objects.filter(
            item=item, round_number=locked.round_number
        ).first()
        before = {"text": answer.text} if answer is not None else None
        if answer is None:
            answer = RectificationAnswer(item=item, round_number=locked.round_number)
        answer.text = text
        answer.answered_by = actor
        answer.answered_at = now
        answer.save()
        names = []
        for checked in read:
            stored = RectificationFile(
                answer=answer,
                unit=locked.unit,
                original_name=checked.name,
                content_kind=checked.kind,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
                uploaded_at=now,
            )
            path = rectification_path(stored, checked.name)
            store_by_hash(stored.file, path, checked.name, checked.content)
            stored.save()
            names.append({"name": checked.name, "sha256": checked.sha256})
        cite(
            locked.unit,
            evidence,
            _("rectification order of {date}, item {number}, answer of round {round}").format(
                date=local_date(locked.issued_at).isoformat(),
                number=item.number,
                round=locked.round_number,
            ),
            f"rectification:{locked.pk}:{item.number}:{locked.round_number}",
            now=now,
        )
        locked.version += 1
        locked.save(update_fields=["version"])
        record_event(
            actor=actor,
            action="creation_rectification_answered",
            target=locked,
            before=before,
            after={
                "item": item.number,
                "round": locked.round_number,
                "text": text,
                "files": names,
                "records": [r.pk for r in evidence],
            },
        )
    return answer


def do_submit_rectification(
    order: RectificationOrder, *, expected_version: int, actor: User, now: datetime | None = None
) -> RectificationOrder:
    """Every item answered in this round: the answers are frozen and go to the issuer."""
    if not permissions.can_answer_rectification(actor, order):
        raise ValidationError(
            {"__all__": [_("Only the unit's own people answer its rectification order.")]}
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = _order_for_update(order, expected_version)
        if not locked.is_answerable:
            raise ValidationError({"__all__": [_not_answerable(locked)]})
        answered = set(
            RectificationAnswer.objects.filter(
                item__order=locked, round_number=locked.round_number
            ).values_list("item__number", flat=True)
        )
        missing = [i.number for i in locked.items.all() if i.number not in answered]
        if missing:
            raise ValidationError(
                {
                    "__all__": [
                        _("Item {numbers} has no answer yet; answer every item first.").format(
                            numbers="、".join(str(n) for n in missing)
                        )
                    ]
                }
            )
        before = {"status": locked.status}
        locked.status = RectificationStatus.ANSWERED
        locked.submitted_at = now
        locked.version += 1
        locked.save(update_fields=["status", "submitted_at", "version"])
        record_event(
            actor=actor,
            action="creation_rectification_submitted",
            target=locked,
            before=before,
            after={"status": locked.status, "round": locked.round_number},
        )
    return locked


def _issuer_refusal(actor: User, order: RectificationOrder) -> None:
    if not permissions.can_review_rectification(actor, order):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Only the officers of the unit's district and the municipal bureau "
                        "close or return rectification orders."
                    )
                ]
            }
        )


def do_close_rectification(
    order: RectificationOrder,
    *,
    reason: str,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> RectificationOrder:
    """The order is closed with its reason; the unit goes back to the status it had before."""
    _issuer_refusal(actor, order)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if order.status == RectificationStatus.CLOSED:
        errors["__all__"] = [_("The order is already closed.")]
    reason = _text(
        reason, "reason", errors, _("Give the reason for closing the order."), _("The reason")
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _order_for_update(order, expected_version)
        if locked.status == RectificationStatus.CLOSED:
            raise ValidationError({"__all__": [_("The order is already closed.")]})
        unit = (
            CreationUnit.objects.select_for_update()
            .select_related("application")
            .get(pk=locked.unit_id)
        )
        before = {"status": locked.status, "unit_status": unit.status}
        if unit.status == LifecycleStatus.RECTIFICATION:
            refused = transition_error(unit.kind, unit.status, locked.previous_status)
            if refused:
                raise ValidationError({"__all__": [refused]})
            unit.status = LifecycleStatus(locked.previous_status)
            unit.version += 1
            unit.save(update_fields=["status", "version"])
        locked.status = RectificationStatus.CLOSED
        locked.closed_at = now
        locked.close_reason = reason
        locked.version += 1
        locked.save(update_fields=["status", "closed_at", "close_reason", "version"])
        record_event(
            actor=actor,
            action="creation_rectification_closed",
            target=locked,
            before=before,
            after={"status": locked.status, "unit_status": unit.status},
            reason=reason,
        )
    return locked


def do_return_rectification(
    order: RectificationOrder,
    *,
    comment: str,
    item_comments: dict[int, str],
    deadline: date | None,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> RectificationOrder:
    """Submitted answers are returned, with comments overall or per item (at least one) and a
    new deadline: another round of answers opens, the earlier ones kept with their comments."""
    _issuer_refusal(actor, order)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if order.status != RectificationStatus.ANSWERED:
        errors["__all__"] = [
            _("The order is “{status}”: only submitted answers can be returned.").format(
                status=RectificationStatus(order.status).label
            )
        ]
    comment = _text(comment, "comment", errors, None, _("The comment"))
    numbers = {i.number for i in order.items.all()}
    kept: dict[int, str] = {}
    for number, text in item_comments.items():
        text = (text or "").strip()
        if not text:
            continue
        if number not in numbers:
            errors.setdefault("comment", []).append(
                _("The order has no item {number}.").format(number=number)
            )
        elif len(text) > TEXT_LIMIT:
            errors.setdefault("comment", []).append(
                _("The comment on item {number} has {found} characters; at most {limit}.").format(
                    number=number, found=len(text), limit=TEXT_LIMIT
                )
            )
        kept[number] = text
    if not comment and not kept:
        errors.setdefault("comment", []).append(
            _("Say what is still missing: a comment overall or on an item.")
        )
    _deadline(deadline, now, errors)
    if errors:
        raise ValidationError(errors)
    assert deadline is not None
    with transaction.atomic():
        locked = _order_for_update(order, expected_version)
        if locked.status != RectificationStatus.ANSWERED:
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "The order is “{status}”: only submitted answers can be returned."
                        ).format(status=RectificationStatus(locked.status).label)
                    ]
                }
            )
        for answer in RectificationAnswer.objects.filter(
            item__order=locked, round_number=locked.round_number
        ).select_related("item"):
            if answer.item.number in kept:
                answer.return_comment = kept[answer.item.number]
                answer.save(update_fields=["return_comment"])
        before = {
            "status": locked.status,
            "round": locked.round_number,
            "deadline": locked.deadline.isoformat(),
        }
        locked.returns = [
            *locked.returns,
            {
                "round": locked.round_number,
                "comment": comment,
                "items": {str(k): v for k, v in sorted(kept.items())},
                "previous_deadline": locked.deadline.isoformat(),
                "deadline": deadline.isoformat(),
                "at": _local(now),
                "by": actor.get_full_name() or actor.get_username(),
            },
        ]
        locked.status = RectificationStatus.RETURNED
        locked.round_number += 1
        locked.deadline = deadline
        locked.version += 1
        locked.save(update_fields=["returns", "status", "round_number", "deadline", "version"])
        record_event(
            actor=actor,
            action="creation_rectification_returned",
            target=locked,
            before=before,
            after={
                "status": locked.status,
                "round": locked.round_number,
                "deadline": deadline.isoformat(),
                "items": {str(k): v for k, v in sorted(kept.items())},
            },
            reason=comment,
        )
    return locked
