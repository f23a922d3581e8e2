"""``{% lifecycle_status application %}``: where an application stands in the whole lifecycle
(申报中 … 验收通过), for the application's pages."""

from __future__ import annotations

from typing import Any

from django import template

from lowcarbon.web.creation.lifecycle import application_lifecycle

register = template.Library()


@register.simple_tag
def lifecycle_status(application: Any) -> str:
    return str(application_lifecycle(application).label)
