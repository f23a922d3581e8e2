"""Status tags in the platform's design (docs/architecture.md, "Visual design").

``{{ code|status_tone }}`` gives the tone class of a status code: ``success``, ``warning``,
``error``, ``primary`` or ``""`` (neutral). Pages write the tag with
``{% include "includes/status_tag.html" with label=obj.get_status_display code=obj.status %}``
(or ``tone=`` to choose it directly). The codes are the values of the platform's status choices
(applications, assignments, filings, rectifications, creation duties, documents, units).
"""

from __future__ import annotations

from django import template

__all__ = ["TONES", "status_tone"]

register = template.Library()

#: Status code -> tone. A code not listed reads neutral (grey).
TONES: dict[str, str] = {
    # finished well
    "submitted": "success",
    "recommended": "success",
    "selected": "success",
    "accepted": "success",
    "done": "success",
    "confirmed": "success",
    "completed": "success",
    "published": "success",
    "succeeded": "success",
    "ok": "success",
    # in progress, the user's turn
    "applying": "primary",
    "assigned": "primary",
    "scoring": "primary",
    "in_creation": "primary",
    "midterm_evaluation": "primary",
    "pre_acceptance": "primary",
    "open": "primary",
    "running": "primary",
    "queued": "primary",
    "upcoming": "primary",
    # needs attention
    "draft": "warning",
    "due": "warning",
    "review": "warning",
    "reopened": "warning",
    "returned": "warning",
    "rectification": "warning",
    "partly": "warning",
    "late": "warning",
    "stale": "warning",
    # went wrong or refused
    "overdue": "error",
    "failed": "error",
    "not_selected": "error",
    "declined_conflict": "error",
    "not_found": "error",
    "withdrawn": "error",
}


@register.filter
def status_tone(code: object) -> str:
    """The tone class for a status code (an enum member or its value); "" when unknown."""
    value = getattr(code, "value", code)
    return TONES.get(str(value), "")
