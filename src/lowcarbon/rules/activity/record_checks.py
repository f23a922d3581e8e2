"""Checks of the activity records: years, categories, units and duplicates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lowcarbon.core.activity import Sector, SourceCategory
from lowcarbon.core.inventory import record_identity
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.units import UnitError

from .issues import KeyPath, _Issues
from .values import _decimal, _text
from .vocabulary import _GROUP_INDEX

__all__ = []


class _RecordChecks(_Issues):
    """The activity records' checks."""

    def duplicate(self, index: int, raw: Mapping[str, Any], seen: dict[object, int]) -> None:
        """The same year, source, label and quantity (in the category's unit) twice is one
        record entered twice: refused at the second, naming the first."""
        try:
            key = (
                raw["year"],
                record_identity(
                    SourceCategory(raw["category"]),
                    Sector(raw["sector"]),
                    _text(raw.get("label")),
                    _decimal(raw["quantity"]),
                    _text(raw["unit"]),
                ),
            )
        except (KeyError, ValueError, TypeError, ArithmeticError, UnitError):
            return  # an absent, unreadable or mistyped field has its own problem reported
        first = seen.setdefault(key, index)
        if first != index:
            self.add(
                ("records", index),
                Message(
                    gettext_noop(
                        "a record not entered before: {first} has the same year, category, "
                        "sector, label and quantity; remove one, or give each its own label if "
                        "they are two different sources"
                    ),
                    {"first": self.locate(("records", first))},
                ),
                f"{raw['category']}/{raw['sector']} {raw['quantity']} {raw['unit']}",
                "duplicate_record",
            )

    def records(self, years: list[int] | None) -> None:
        seen: dict[object, int] = {}
        for index, raw in enumerate(self.data.get("records") or []):
            self.duplicate(index, raw, seen)
            path: KeyPath = ("records", index)
            year = raw.get("year")
            if self.year((*path, "year"), year) and years is not None and year not in years:
                self.add(
                    (*path, "year"),
                    Message(
                        gettext_noop("one of the accounting years {years}"),
                        {"years": ", ".join(map(str, years))},
                    ),
                    year,
                    "year_not_accounted",
                )
            category = raw.get("category")
            unit = raw.get("unit")
            if category in _GROUP_INDEX and isinstance(unit, str):
                self.unit((*path, "unit"), SourceCategory(category), unit)
