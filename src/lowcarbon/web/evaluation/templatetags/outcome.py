"""The acceptance decisions a person may see of a unit (its creation page)."""

from __future__ import annotations

from typing import Any

from django import template

from lowcarbon.web import permissions
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision

register = template.Library()


@register.simple_tag(takes_context=True)
def visible_outcomes(context: Any, unit: Any) -> list[AcceptanceDecision]:
    request = context.get("request")
    if request is None:
        return []
    return [
        decision
        for decision in AcceptanceDecision.objects.filter(unit=unit).order_by("decided_at", "pk")
        if permissions.can_view_acceptance_decision(request.user, decision)
    ]
