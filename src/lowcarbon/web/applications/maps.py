"""The boundary map on the workspace pages: the documents layer's drawing
(:func:`lowcarbon.documents.maps.boundary_svg`, the same one the Word plan embeds) with
Django's translations, marked safe because that function escapes every text it writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from lowcarbon.documents import maps

__all__ = ["boundary_svg"]


def boundary_svg(geometry: Mapping[str, Any], *, title: str = "") -> SafeString:
    """An inline SVG map of a Polygon or MultiPolygon in WGS 84 longitude/latitude."""
    return mark_safe(maps.boundary_svg(geometry, gettext, title=title))  # escaped by documents.maps
