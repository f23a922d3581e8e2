"""What a reminder says, on its page and in its mail, in the reader's language (mail in the
platform's language, Chinese)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.reminders.models import Audience, Reminder

__all__ = ["reminder_body", "reminder_subject", "reminder_text"]


def _figures(reminder: Reminder) -> dict[str, object]:
    due_on = local_date(reminder.due_at)
    return {
        "unit": reminder.unit.application.unit.name,
        "item": reminder.label,
        "date": due_on.isoformat(),
        "days": abs((due_on - local_date(reminder.fires_at)).days),
    }


def reminder_text(reminder: Reminder) -> str:
    """One sentence: what is due, when, and how late."""
    figures = _figures(reminder)
    if not reminder.overdue:
        return _("{unit}: {item} is due on {date}, in {days} days.").format(**figures)
    if reminder.order_id is not None:
        if reminder.audience == Audience.UNIT:
            return _("{unit}: {item} was due on {date} and has not been answered.").format(
                **figures
            )
        return _(
            "{unit} has not answered {item}, due on {date}: {days} days overdue, passed on to you."
        ).format(**figures)
    if reminder.audience == Audience.UNIT:
        return _("{unit}: {item} was due on {date} and has not been filed.").format(**figures)
    return _(
        "{unit} has not filed {item}, due on {date}: {days} days overdue, passed on to you."
    ).format(**figures)


def reminder_subject(reminder: Reminder) -> str:
    figures = _figures(reminder)
    if not reminder.overdue:
        return _("Reminder: {item} of {unit} due on {date}").format(**figures)
    if reminder.audience == Audience.UNIT:
        return _("Overdue: {item} of {unit}, due on {date}").format(**figures)
    return _("Escalated: {item} of {unit} {days} days overdue").format(**figures)


def reminder_body(reminder: Reminder) -> str:
    return "\n\n".join(
        [
            reminder_text(reminder),
            _("Log in to the platform and open My reminders to see the unit's schedule."),
            _("This message was sent once by the Shanghai low-carbon demonstration platform."),
        ]
    )
