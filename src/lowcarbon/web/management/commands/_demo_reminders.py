"""The demo's reminders: the walk run once for the 2024 batch's units at the demo's date, as the
platform's timer would have run it (``send_reminders``). The zone's work plan left overdue
reaches its people (overdue), 浦东新区's officer (7 days overdue) and the bureau (30 days);
its rectification order, due in 14 days, reminds its people; whatever else is due soon reaches
the units."""

from __future__ import annotations

from django.utils import timezone

from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.reminders.actions import SendReport, do_send_reminders

__all__ = ["load_reminders"]


def load_reminders(units: list[CreationUnit]) -> SendReport:
    return do_send_reminders(timezone.now(), units=units)
