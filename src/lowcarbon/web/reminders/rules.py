"""Which reminder steps a duty has reached at an instant, and who receives them. Nothing here
reads the clock or writes: the walk (:func:`lowcarbon.web.reminders.actions.do_send_reminders`)
passes ``now`` in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.db.models import QuerySet

from lowcarbon.rules.reminders import ReminderStep, load_reminder_rules
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.creation.duties import Duty, DutyState
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import local_date, opening_of
from lowcarbon.web.reminders.models import Audience

__all__ = ["DueStep", "due_steps", "recipients", "reminder_steps", "steps_due"]


@cache
def reminder_steps() -> tuple[ReminderStep, ...]:
    """The bundled rules (``data/creation/reminders.yaml``), checked once per process."""
    return load_reminder_rules()


@dataclass(frozen=True)
class DueStep:
    step: ReminderStep
    fires_at: datetime  # 00:00:00 Asia/Shanghai on the step's day


def fires_at(step: ReminderStep, due_at: datetime) -> datetime:
    return opening_of(local_date(due_at) + timedelta(days=step.days))


def steps_due(
    due_at: datetime, now: datetime, steps: tuple[ReminderStep, ...] | None = None
) -> list[DueStep]:
    """The steps of a date ``due_at`` to send at ``now``: for each audience the latest step
    whose day has begun (an earlier one missed is not sent late)."""
    latest: dict[str, DueStep] = {}
    for step in sorted(steps if steps is not None else reminder_steps(), key=lambda s: s.days):
        instant = fires_at(step, due_at)
        if instant <= now:
            latest[step.audience] = DueStep(step, instant)
    return sorted(latest.values(), key=lambda d: (d.fires_at, d.step.code))


def due_steps(
    duty: Duty, now: datetime, steps: tuple[ReminderStep, ...] | None = None
) -> list[DueStep]:
    """The steps of ``duty`` to send at ``now`` (:func:`steps_due`); none for a duty done."""
    if duty.state == DutyState.DONE:
        return []
    return steps_due(duty.due_at, now, steps)


def recipients(unit: CreationUnit, audience: str) -> QuerySet[User]:
    """The active accounts a step to ``audience`` reaches: the unit's own people, the officers
    of its district, or the bureau's administrators."""
    people = User.objects.filter(is_active=True).order_by("pk")
    found: dict[str, Any] = {
        Audience.UNIT: {"role": Role.APPLICANT, "organisation_id": unit.application.unit_id},
        Audience.DISTRICT: {
            "role": Role.DISTRICT_OFFICER,
            "organisation__district_id": unit.application.unit.district_id,
        },
        Audience.BUREAU: {"role": Role.ADMINISTRATOR},
    }
    if audience == Audience.DISTRICT and unit.application.unit.district_id is None:
        return people.none()
    return people.filter(**found[audience])
