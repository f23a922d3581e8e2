"""The plan outline of an application, and the element kinds this increment lets people enter."""

from __future__ import annotations

from functools import cache

from lowcarbon.core.outline import ElementKind, Outline, OutlineElement
from lowcarbon.rules.outlines import load_outline
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_plan import GENERATED_ELEMENTS
from lowcarbon.web.language import local

__all__ = [
    "EDITABLE_KINDS",
    "application_outline",
    "is_editable",
    "is_generated",
    "local",
    "outline_of",
]

# Every kind has its editor: text (rich text), numbers, the boundary (GeoJSON), tables, lists.
EDITABLE_KINDS = frozenset(ElementKind)


@cache
def outline_of(kind: str, edition: str) -> Outline:
    return load_outline(kind, edition)


def application_outline(application: Application) -> Outline:
    """The outline edition the application was created under (not the round's current one)."""
    return outline_of(application.kind, application.outline_edition)


def is_editable(element: OutlineElement) -> bool:
    """Whether the plan editor enters the element: not the task lists and key-project table,
    which are made from the application's tasks and key projects (``task_plan``)."""
    return element.kind in EDITABLE_KINDS and element.id not in GENERATED_ELEMENTS


def is_generated(element: OutlineElement) -> bool:
    """Whether the element is made from the application's tasks and key projects."""
    return element.id in GENERATED_ELEMENTS
