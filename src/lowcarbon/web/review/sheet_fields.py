"""The field names of the expert's one score-sheet form: each item's fields carry its id
(``2.1:level``, ``2.1:part-a-ticked``, ``2.1:evidence``), so one POST holds the whole sheet and
an autosave posts the same names for one item."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from lowcarbon.web.applications.assessment_views import raw_fields

__all__ = ["SHOWN", "item_fields", "sheet_items", "sheet_prefix"]

# The hidden field each item of the sheet carries: an item is read only when it was on the page
# (a POST without it leaves the item as stored, whatever else is missing).
SHOWN = "shown"


def sheet_prefix(item_id: str) -> str:
    return f"{item_id}:"


def item_fields(data: QueryDict, item_id: str) -> dict[str, Any]:
    """The posted fields of one item, its prefix taken off, lists kept as lists."""
    prefix = sheet_prefix(item_id)
    plain = QueryDict(mutable=True)
    for key in data:
        if key.startswith(prefix) and key != prefix + SHOWN:
            plain.setlist(key[len(prefix) :], data.getlist(key))
    return raw_fields(plain)


def sheet_items(data: QueryDict) -> dict[str, dict[str, Any]]:
    """Every item the sheet showed (its ``shown`` field posted), with its fields."""
    ids = [key[: -len(":" + SHOWN)] for key in data if key.endswith(":" + SHOWN)]
    return {item_id: item_fields(data, item_id) for item_id in dict.fromkeys(ids) if item_id}
