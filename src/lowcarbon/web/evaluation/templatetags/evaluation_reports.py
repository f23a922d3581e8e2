"""The self-evaluation reports of a unit as its creation page lists them."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from lowcarbon.web import permissions
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.evaluation.actions import evaluation_of
from lowcarbon.web.evaluation.report import report_ordinal, stages_of
from lowcarbon.web.rounds.models import Stage

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_reports(context: Any, unit: Any) -> list[dict[str, Any]]:
    """Per stage the unit reports on: the report's page, its status and the latest frozen one."""
    request = context.get("request")
    if request is None or not permissions.can_view_self_evaluation(request.user, unit):
        return []
    rows = []
    for stage in stages_of(unit):
        evaluation = evaluation_of(unit, stage)
        latest = (
            Submission.objects.filter(application=unit.application, stage=stage)
            .order_by("-number")
            .first()
        )
        rows.append(
            {
                "label": Stage(stage).label,
                "url": reverse("evaluation:report", args=[unit.pk, stage]),
                "status": evaluation.get_status_display() if evaluation.pk else None,
                "latest": latest,
                "ordinal": report_ordinal(latest) if latest else None,
                "latest_url": reverse("evaluation:frozen", args=[latest.pk]) if latest else "",
            }
        )
    return rows


@register.simple_tag
def report_number(submission: Any) -> int:
    """The how-many-th report of its stage a frozen report is, as people count them."""
    return report_ordinal(submission)
