"""The issues of one accounting input, and the checks every part of it uses: years in range,
numbers that are finite, units that measure what their category is counted in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lowcarbon.core.activity import SourceCategory
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.units import UnknownUnitError, dimension_name, parse_unit, same_dimension

from ..yamlio import format_path
from .vocabulary import CATEGORY_UNITS, YEARS_AFTER_BASE, YEARS_BEFORE_BASE

__all__ = ["AccountingIssue", "KeyPath", "Locate"]

KeyPath = tuple[str | int, ...]

#: Names the place of a key path as people see it (a file line, a sheet row).
Locate = Callable[[KeyPath], object]


@dataclass(frozen=True)
class AccountingIssue:
    """One problem :func:`check_accounting_data` found, at a key path of the data."""

    path: KeyPath
    expected: Message
    found: object = None
    code: str = "accounting"


def _year_range(base: int, *, not_before_base: bool) -> tuple[int, int, Message]:
    last = base + YEARS_AFTER_BASE
    if not_before_base:
        template = gettext_noop("a year from {first} to {last} (not before the base year {base})")
        first = base
    else:
        template = gettext_noop(
            "a year from {first} to {last} (the base year {base} minus 10 to plus 30)"
        )
        first = base - YEARS_BEFORE_BASE
    return first, last, Message(template, {"first": first, "last": last, "base": base})


class _Issues:
    """Collects :class:`AccountingIssue` s over the data, its base year and where a key path is."""

    def __init__(self, data: Mapping[str, Any], locate: Locate | None = None) -> None:
        self.data = data
        self.locate: Locate = locate or (lambda path: format_path(path))
        self.issues: list[AccountingIssue] = []
        profile = data.get("profile") or {}
        base = profile.get("base_year")
        self.base: int | None = base if isinstance(base, int) else None

    def add(self, path: KeyPath, expected: Message, found: object, code: str) -> None:
        self.issues.append(AccountingIssue(path, expected, found, code))

    def year(self, path: KeyPath, year: object, *, not_before_base: bool = False) -> bool:
        """Whether ``year`` is a year within range (False also when it cannot be told)."""
        if self.base is None or not isinstance(year, int):
            return False
        first, last, expected = _year_range(self.base, not_before_base=not_before_base)
        if first <= year <= last:
            return True
        self.add(path, expected, year, "year_out_of_range")
        return False

    def non_finite(self, value: object, path: KeyPath) -> None:
        # YAML reads .inf and .nan as numbers, and a schema's minimum does not stop NaN.
        if isinstance(value, Mapping):
            for key, item in value.items():
                self.non_finite(item, (*path, str(key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.non_finite(item, (*path, index))
        elif isinstance(value, float) and not math.isfinite(value):
            self.add(path, Message(gettext_noop("a finite number")), value, "not_finite")

    def record_years(self) -> list[int]:
        records = self.data.get("records") or []
        return sorted({r["year"] for r in records if isinstance(r.get("year"), int)})

    def unit(self, path: KeyPath, category: SourceCategory, text: str) -> None:
        examples = CATEGORY_UNITS[category]
        try:
            unit = parse_unit(text)
        except UnknownUnitError as error:
            self.add(
                path,
                Message(
                    gettext_noop("a unit for {category} such as {examples} ({reason})"),
                    {
                        "category": category.value,
                        "examples": ", ".join(examples),
                        "reason": error.reason,
                    },
                ),
                text,
                "unknown_unit",
            )
            return
        if any(same_dimension(unit, example) for example in examples):
            return
        dimensions: list[Message] = []
        for example in examples:
            name = dimension_name(example)
            if name not in dimensions:
                dimensions.append(name)
        measures = (
            dimensions[0]
            if len(dimensions) == 1
            else Message(
                gettext_noop("{first} or {second}"),
                {"first": dimensions[0], "second": dimensions[1]},
            )
        )
        self.add(
            path,
            Message(
                gettext_noop(
                    "a unit of {dimension} for {category}, such as {examples} "
                    "({unit} measures {found_dimension})"
                ),
                {
                    "dimension": measures,
                    "category": category.value,
                    "examples": ", ".join(examples),
                    "unit": text,
                    "found_dimension": dimension_name(unit),
                },
            ),
            text,
            "unit_dimension",
        )
