"""Finding a creation unit for a request: the one place its pages, filings, rectification orders
and archive ask, so that a unit the user may not see is always the same logged 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from lowcarbon.web import permissions
from lowcarbon.web.creation.models import CreationUnit

__all__ = ["visible_unit"]


def visible_unit(request: HttpRequest, pk: int, what: str = "creation unit") -> CreationUnit:
    """The unit if the user may see it; 404 (logged, naming ``what`` was asked for) whether or
    not it exists otherwise."""
    unit: CreationUnit | None = (
        permissions.visible_creation_units(request.user).filter(pk=pk).first()
    )
    if unit is None:
        permissions.log_denied(request, f"view {what} {pk}")
        raise Http404
    return unit
