"""我的提醒: the signed-in person's reminders, newest first; showing them marks them read."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from lowcarbon.web.accounts.models import User
from lowcarbon.web.reminders.actions import do_mark_read
from lowcarbon.web.reminders.models import Delivery
from lowcarbon.web.reminders.texts import reminder_text

__all__ = ["my_reminders"]

SHOWN = 200


@require_safe
@login_required
def my_reminders(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # signed in (login_required)
    deliveries = list(
        Delivery.objects.filter(recipient=user)
        .select_related(
            "reminder",
            "reminder__item",
            "reminder__order",
            "reminder__unit",
            "reminder__unit__application",
            "reminder__unit__application__unit",
        )
        .order_by("-reminder__fires_at", "-id")[:SHOWN]
    )
    rows = [
        {
            "delivery": delivery,
            "reminder": delivery.reminder,
            "text": reminder_text(delivery.reminder),
            "new": delivery.read_at is None,
        }
        for delivery in deliveries
    ]
    do_mark_read(user, deliveries, timezone.now())
    return render(request, "reminders/list.html", {"rows": rows})
