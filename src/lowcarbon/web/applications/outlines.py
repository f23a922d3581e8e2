"""The plan outline of an application, and the element kinds this increment lets people enter."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language

from lowcarbon.core.outline import ElementKind, Outline, OutlineElement
from lowcarbon.core.text import LocalText
from lowcarbon.rules.outlines import load_outline
from lowcarbon.web.applications.models import Application

__all__ = ["EDITABLE_KINDS", "application_outline", "local", "outline_of"]

# Every kind has its editor: text (rich text), numbers, the boundary (GeoJSON), tables, lists.
EDITABLE_KINDS = frozenset(ElementKind)


@cache
def outline_of(kind: str, edition: str) -> Outline:
    return load_outline(kind, edition)


def application_outline(application: Application) -> Outline:
    """The outline edition the application was created under (not the round's current one)."""
    return outline_of(application.kind, application.outline_edition)


def local(text: LocalText) -> str:
    """``text`` in the language of the current request (Chinese unless English is asked for)."""
    return text.get(get_language() or "zh-hans")


def is_editable(element: OutlineElement) -> bool:
    return element.kind in EDITABLE_KINDS
