"""Status tags in the platform's design (docs/architecture.md, "Visual design").

``{{ code|status_tone }}`` gives the tone class of a status code: ``success``, ``warning``,
``error``, ``primary`` or ``""`` (neutral). Pages write the tag with
``{% include "includes/status_tag.html" with label=obj.get_status_display code=obj.status %}``
(or ``tone=`` to choose it directly). The codes are the values of the platform's status choices
(applications, assignments, filings, rectifications, creation duties, documents, units).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

__all__ = ["TONES", "lifecycle_steps", "status_tag", "status_tone"]

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


@register.simple_tag
def status_tag(label: object, code: object, tone: str = "") -> SafeString:
    """``{% status_tag label code %}``: the tag ``includes/status_tag.html`` writes, as a value
    (``… as name``) that can go inside a ``blocktranslate``."""
    return format_html('<span class="tag {}">{}</span>', tone or status_tone(code), label)


@register.filter
def lifecycle_steps(status: object, kind: str) -> list[tuple[str, str]]:
    """A creation unit's lifecycle as steps for ``includes/steps.html``: (label, state) pairs,
    state "done", "current", "failed" or "" (to come). A zone is evaluated mid-term, a community
    pre-accepted, before the final acceptance; rectification keeps that evaluation current."""
    from lowcarbon.web.creation.models import LifecycleStatus as S

    middle = S.MIDTERM_EVALUATION if kind == "zone" else S.PRE_ACCEPTANCE
    path = [S.APPLYING, S.RECOMMENDED, S.SELECTED, S.IN_CREATION, middle, S.ACCEPTED]
    code = str(getattr(status, "value", status))
    stand = {
        S.NOT_SELECTED.value: (S.SELECTED, "failed"),
        S.RECTIFICATION.value: (middle, "current"),
        S.FAILED.value: (S.ACCEPTED, "failed"),
        S.ACCEPTED.value: (S.ACCEPTED, "done"),
    }
    at, state = stand.get(code, (S(code) if code in S.values else S.APPLYING, "current"))
    if at in (S.MIDTERM_EVALUATION, S.PRE_ACCEPTANCE):
        at = middle
    here = path.index(at)
    steps = []
    for index, step in enumerate(path):
        label = str(S(code).label if index == here and state == "failed" else step.label)
        if step == S.APPLYING:
            label = gettext("Application")
        if index < here:
            steps.append((label, "done"))
        elif index == here:
            steps.append((label, state))
        else:
            steps.append((label, ""))
    return steps
