"""Reminders of the creation stage (提醒): before and after a unit's due dates, escalating to
its district and the bureau, by the rules of ``data/creation/reminders.yaml``.

* :class:`Reminder`: one step of the rules for one unit, one schedule item (or one rectification
  order) and the due date it reminds of. The unique constraints on (unit, item, step, due date)
  and (order, step, due date) are what make a reminder go out once, whatever runs the walk
  (twice, after a restart, two at the same instant): the second insert fails and sends nothing.
  A due date moved by an extension (or a returned order's new deadline) is another key, so it
  gets its own reminders;
* :class:`Delivery`: the reminder as one recipient has it: in the platform (read or not) and,
  when mail is configured and the person has an address, by mail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.creation.models import CreationUnit, RectificationOrder, ScheduleItem

__all__ = ["Audience", "Delivery", "Reminder"]


class Audience(models.TextChoices):
    UNIT = "unit", _("the unit")
    DISTRICT = "district", _("the district")
    BUREAU = "bureau", _("the bureau")


class Reminder(models.Model):
    unit = models.ForeignKey(
        CreationUnit, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("unit")
    )
    # What is due: a schedule item, or a rectification order's deadline.
    item = models.ForeignKey(
        ScheduleItem,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("item"),
    )
    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.PROTECT,
        related_name="reminders",
        null=True,
        blank=True,
        verbose_name=_("rectification order"),
    )
    # The rule's code (before_14, escalate_district ...): with the due date, the key.
    step = models.CharField(_("step"), max_length=30)
    audience = models.CharField(_("to"), max_length=10, choices=Audience.choices)
    due_at = models.DateTimeField(_("due at"))
    # When the step fell due (00:00 Asia/Shanghai on its day) and when the walk sent it.
    fires_at = models.DateTimeField(_("falls due at"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-fires_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "item", "step", "due_at"],
                condition=Q(item__isnull=False),
                name="reminder_once_per_due_date",
            ),
            models.UniqueConstraint(
                fields=["order", "step", "due_at"],
                condition=Q(order__isnull=False),
                name="reminder_once_per_order_deadline",
            ),
            models.CheckConstraint(
                condition=Q(item__isnull=False, order__isnull=True)
                | Q(item__isnull=True, order__isnull=False),
                name="reminder_of_an_item_or_an_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.label} · {self.step}"

    @property
    def label(self) -> str:
        """What is due: the schedule item's name, or the rectification order with its date."""
        if self.item is not None:
            return self.item.label
        assert self.order is not None
        from lowcarbon.web.creation.schedule import local_date

        return gettext("the rectification order of {date}").format(
            date=local_date(self.order.issued_at).isoformat()
        )

    @property
    def overdue(self) -> bool:
        """Sent after the due date (a notice of lateness or an escalation), not before it."""
        return self.fires_at > self.due_at


class Delivery(models.Model):
    reminder = models.ForeignKey(
        Reminder, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("reminder")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reminder_deliveries",
        verbose_name=_("recipient"),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-reminder__fires_at", "-id"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient"], name="reminder_delivery_once_per_person"
            )
        ]
