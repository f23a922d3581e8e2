"""The reminders' writes: the walk that sends what is due (each reminder once, in one
transaction with its deliveries and its audit event, then by mail), and marking a person's
reminders read once they have seen them."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from lowcarbon.rules.reminders import ReminderStep
from lowcarbon.web.accounts.models import User
from lowcarbon.web.accounts.recovery import mail_configured
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.duties import DutyState, duties_of
from lowcarbon.web.creation.models import (
    CreationUnit,
    LifecycleStatus,
    RectificationOrder,
    RectificationStatus,
    ScheduleItem,
)
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.reminders.models import Delivery, Reminder
from lowcarbon.web.reminders.rules import DueStep, recipients, steps_due
from lowcarbon.web.reminders.texts import reminder_body, reminder_subject

__all__ = ["SendReport", "do_mark_read", "do_send_reminders"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendReport:
    reminders: int  # made by this run
    deliveries: int  # in the platform
    mailed: int
    mail_failed: int


def _local(instant: datetime) -> str:
    return instant.astimezone(SHANGHAI).isoformat()


@dataclass(frozen=True)
class Due:
    """A date one unit must meet: a schedule item (with its extension), or an open
    rectification order's deadline."""

    unit: CreationUnit
    due_at: datetime
    item: ScheduleItem | None = None
    order: RectificationOrder | None = None

    @property
    def key(self) -> tuple[int | None, int | None]:
        return (
            self.item.pk if self.item is not None else None,
            self.order.pk if self.order is not None else None,
        )


def _make(due: Due, step: DueStep, now: datetime) -> Reminder | None:
    """The reminder with its deliveries, or ``None`` when it exists already (made by an earlier
    run, or by another run a moment ago: the unique constraints decide)."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                unit=due.unit,
                item=due.item,
                order=due.order,
                step=step.step.code,
                audience=step.step.audience,
                due_at=due.due_at,
                fires_at=step.fires_at,
                sent_at=now,
            )
            people = list(recipients(due.unit, step.step.audience))
            Delivery.objects.bulk_create(
                Delivery(reminder=reminder, recipient=person) for person in people
            )
            record_event(
                actor=None,
                action="reminder_sent",
                target=reminder,
                after={
                    "unit": due.unit.pk,
                    "item": due.item.code if due.item is not None else None,
                    "order": due.order.pk if due.order is not None else None,
                    "step": step.step.code,
                    "audience": step.step.audience,
                    "due_at": _local(due.due_at),
                    "recipients": [person.get_username() for person in people],
                },
            )
    except IntegrityError:
        return None
    return reminder


def _dues(units: list[CreationUnit], now: datetime) -> list[Due]:
    """Every date the ``units`` still have to meet: their duties not done, and the deadlines of
    the rectification orders they still have to answer."""
    dues = [
        Due(duty.unit, duty.due_at, item=duty.item)
        for duty in duties_of(units, now)
        if duty.state != DutyState.DONE
    ]
    finished = {LifecycleStatus.ACCEPTED, LifecycleStatus.FAILED}
    by_pk = {unit.pk: unit for unit in units if unit.status not in finished}
    orders = RectificationOrder.objects.filter(
        unit_id__in=list(by_pk),
        status__in=[RectificationStatus.OPEN, RectificationStatus.RETURNED],
    ).order_by("deadline", "pk")
    dues += [Due(by_pk[order.unit_id], order.due_at, order=order) for order in orders]
    return dues


def _mail(reminder: Reminder, now: datetime) -> tuple[int, int]:
    """Mail each recipient with an address; ``(sent, failed)``. A failure is logged and left
    unmarked: the reminder stays in the platform, and is not mailed twice."""
    sent = failed = 0
    deliveries = reminder.deliveries.select_related("recipient").exclude(recipient__email="")
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = reminder_subject(reminder), reminder_body(reminder)
    for delivery in deliveries:
        try:
            send_mail(subject, body, None, [delivery.recipient.email])
        except (smtplib.SMTPException, OSError):
            logger.exception(
                "reminder %s: mail to user %s failed", reminder.pk, delivery.recipient_id
            )
            failed += 1
            continue
        Delivery.objects.filter(pk=delivery.pk).update(mailed_at=now)
        sent += 1
    return sent, failed


def do_send_reminders(
    now: datetime,
    *,
    units: list[CreationUnit] | None = None,
    steps: tuple[ReminderStep, ...] | None = None,
) -> SendReport:
    """Send every reminder due at ``now`` (Asia/Shanghai) that has not gone out: walk the
    duties and the open rectification orders of every unit in creation (or of ``units``), make
    each step's reminder once, then mail it when mail is configured. Running it again, after a
    restart, or twice at the same instant sends nothing more."""
    if units is None:
        units = list(
            CreationUnit.objects.select_related(
                "application", "application__round", "application__unit"
            )
        )
    ids = [unit.pk for unit in units]
    sent = {
        (r.item_id, r.order_id, r.step, r.due_at)
        for r in Reminder.objects.filter(unit_id__in=ids).only(
            "item_id", "order_id", "step", "due_at"
        )
    }
    made: list[Reminder] = []
    for due in _dues(units, now):
        for step in steps_due(due.due_at, now, steps):
            if (*due.key, step.step.code, due.due_at) in sent:
                continue
            reminder = _make(due, step, now)
            if reminder is not None:
                made.append(reminder)
    mailed = failed = 0
    if mail_configured():
        for reminder in made:
            ok, bad = _mail(reminder, now)
            mailed, failed = mailed + ok, failed + bad
    deliveries = Delivery.objects.filter(reminder__in=made).count()
    return SendReport(len(made), deliveries, mailed, failed)


def do_mark_read(user: User, deliveries: list[Delivery], now: datetime) -> int:
    """Mark the ``deliveries`` of ``user`` read (those shown to them); how many were unread."""
    unread = [d.pk for d in deliveries if d.recipient_id == user.pk and d.read_at is None]
    if not unread:
        return 0
    with transaction.atomic():
        count = Delivery.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=now)
        if count:
            record_event(
                actor=user,
                action="reminders_read",
                target=user,
                after={"deliveries": unread, "read_at": _local(now)},
            )
    return count
