"""Two people saving one plan section: a three-way comparison instead of "the last save wins".

When a save is refused because someone else saved the application first, each element of the
section that changed since the version the editor started from is compared three ways: the value
it started from (*base*, read from the audit trail), the other person's (*theirs*, stored now)
and what was typed (*mine*):

- mine equals theirs: nothing to decide;
- mine equals base (only the other person changed it): theirs is kept and shown in the editor;
- otherwise it is a conflict: both versions are shown side by side and the person must choose,
  for each, to keep theirs or to keep their own (which they may first edit into a merge).

Nothing is decided silently: saving again without a choice for every conflict is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from lowcarbon.core.outline import ElementKind, OutlineElement, OutlineSection
from lowcarbon.web.applications import narrative
from lowcarbon.web.applications.actions import (
    changed_since,
    clean_section_values,
    same_value,
    values_at,
)
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import is_editable

__all__ = [
    "KEEP_MINE",
    "KEEP_THEIRS",
    "Comparison",
    "Conflict",
    "choice_field",
    "compare_section",
    "conflict_ids",
    "keep",
    "with_stored_value",
]

KEEP_THEIRS = "theirs"
KEEP_MINE = "mine"


@dataclass(frozen=True)
class Conflict:
    element: OutlineElement
    theirs: Any
    mine: Any


@dataclass(frozen=True)
class Comparison:
    """What changed since ``base_version`` and what the person must decide."""

    base_version: int
    conflicts: tuple[Conflict, ...]
    taken: tuple[OutlineElement, ...]  # changed by the other person only: theirs is kept

    @property
    def ids(self) -> list[str]:
        return [conflict.element.id for conflict in self.conflicts]


def choice_field(element_id: str) -> str:
    """The name of the radio group that decides ``element_id``."""
    return f"resolve__{element_id}"


def compare_section(
    application: Application,
    section: OutlineSection,
    base_version: int,
    typed: Mapping[str, Any],
) -> Comparison:
    """Compare what was typed for ``section`` with what was saved after ``base_version``.

    ``application`` is the stored application as it is now."""
    editable = {element.id: element for element in section.elements if is_editable(element)}
    changed = [i for i in changed_since(application, base_version) if i in editable]
    base = values_at(application, base_version, changed)
    mine = clean_section_values(
        application,
        section.id,
        {i: typed[i] for i in changed if i in typed},
        stored=application.sections,
    )
    conflicts: list[Conflict] = []
    taken: list[OutlineElement] = []
    for element_id in changed:
        element = editable[element_id]
        theirs = application.sections.get(element_id)
        own = mine.get(element_id)
        if same_value(element, own, theirs):
            continue
        if element_id not in mine and element_id in typed:
            # What was typed cannot be read any more (it was valid against the older version);
            # the person decides with what they typed shown as it is.
            own = typed[element_id]
        elif same_value(element, own, base.get(element_id)):
            taken.append(element)
            continue
        conflicts.append(Conflict(element, theirs, own))
    return Comparison(base_version, tuple(conflicts), tuple(taken))


def _drop(data: QueryDict, pattern: re.Pattern[str]) -> None:
    for key in [key for key in data if pattern.match(key)]:
        data.pop(key)


def with_stored_value(data: QueryDict, element: OutlineElement, value: Any) -> None:
    """Put ``value`` (stored form) into the posted ``data`` as the editor would post it, so the
    editor shows it and saving posts it back unchanged."""
    prefix = re.escape(element.id)
    if element.kind == ElementKind.TEXT:
        text = "" if value is None else str(value)
        data[element.id] = text
        if narrative.is_html(text):
            data[f"{element.id}__format"] = "html"
        else:
            data.pop(f"{element.id}__format", None)
    elif element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
        data[element.id] = "" if value is None else str(value)
    elif element.kind == ElementKind.GEOMETRY:
        data[f"{element.id}__four_sides"] = (value or {}).get("four_sides", "")
        data.pop(f"{element.id}__geojson", None)
        data.pop(f"{element.id}__clear", None)
    elif element.kind == ElementKind.LIST:
        _drop(data, re.compile(rf"^{prefix}-[0-9]+(?:-|$)"))
        for index, entry in enumerate(value or []):
            data[f"{element.id}-{index}"] = str(entry)
    else:
        _drop(data, re.compile(rf"^{prefix}-[0-9]+(?:-|$)"))
        for index, row in enumerate(value or []):
            for column, cell in row.items():
                data[f"{element.id}-{index}-{column}"] = "" if cell is None else str(cell)


def conflict_ids(posted: str) -> list[str]:
    """The element ids a conflict form asked to decide (``posted`` is its hidden field)."""
    return [part for part in posted.split(",") if part]


def keep(values: dict[str, Any], ids: Iterable[str]) -> None:
    """Leave ``ids`` out of a save: their stored value stays."""
    for element_id in ids:
        values.pop(element_id, None)
