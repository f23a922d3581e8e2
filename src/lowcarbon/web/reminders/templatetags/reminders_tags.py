from __future__ import annotations

from typing import Any

from django import template

from lowcarbon.web.reminders.models import Delivery

register = template.Library()


@register.simple_tag
def unread_reminders(user: Any) -> int:
    """How many reminders ``user`` has not seen (the count in the navigation)."""
    if user is None or not user.is_authenticated:
        return 0
    return Delivery.objects.filter(recipient=user, read_at__isnull=True).count()
