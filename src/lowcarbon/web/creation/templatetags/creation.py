"""``{% lifecycle_status application %}``: where an application stands in the whole lifecycle
(申报中 … 验收通过), for the application's pages, with a link to its creation unit for those
who may see it."""

from __future__ import annotations

from typing import Any

from django import template

from lowcarbon.web import permissions
from lowcarbon.web.creation.lifecycle import application_lifecycle
from lowcarbon.web.creation.models import CreationUnit

register = template.Library()


@register.inclusion_tag("creation/lifecycle_status.html", takes_context=True)
def lifecycle_status(context: dict[str, Any], application: Any) -> dict[str, Any]:
    unit = CreationUnit.objects.filter(application_id=application.pk).first()
    request = context.get("request")
    user = getattr(request, "user", None)
    linked = unit if unit and user and permissions.can_view_creation_unit(user, unit) else None
    return {"label": application_lifecycle(application).label, "unit": linked}
