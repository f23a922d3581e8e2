"""Checks of what the plan promises: tasks and where they act, reductions with their project
factors, and the staged targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from lowcarbon.core.activity import ActivityChange, Sector, SourceCategory
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.units import UnknownUnitError, parse_unit

from .issues import KeyPath, _Issues
from .vocabulary import _REDUCTION_CATEGORIES, PERCENT_TARGETS, _source_key

__all__ = []


class _PlanChecks(_Issues):
    """The checks of tasks, reductions and targets."""

    def tasks(self) -> None:
        seen: dict[str, int] = {}
        for index, raw in enumerate(self.data.get("tasks") or []):
            path: KeyPath = ("tasks", index)
            task_id = raw.get("id")
            if task_id in seen:
                self.add(
                    (*path, "id"),
                    Message(
                        gettext_noop("an id not used by another task (used by tasks[{first}])"),
                        {"first": seen[task_id]},
                    ),
                    task_id,
                    "duplicate_task_id",
                )
            elif isinstance(task_id, str):
                seen[task_id] = index
            self.year((*path, "start_year"), raw.get("start_year"), not_before_base=True)
            self.acts_on(path, raw)

    def reductions(self) -> None:
        """Each activity names a task, and its unit measures what its category counts."""
        tasks = {raw.get("id") for raw in self.data.get("tasks") or []}
        for index, raw in enumerate(self.data.get("reductions") or []):
            path: KeyPath = ("reductions", index)
            task = raw.get("task")
            if isinstance(task, str) and task not in tasks:
                self.add(
                    (*path, "task"),
                    Message(
                        gettext_noop("the id of a task of this file: {tasks}"),
                        {"tasks": ", ".join(sorted(t for t in tasks if isinstance(t, str)))},
                    ),
                    task,
                    "unknown_task",
                )
            category, unit = raw.get("category"), raw.get("unit")
            if category in _REDUCTION_CATEGORIES and isinstance(unit, str):
                self.unit((*path, "unit"), SourceCategory(category), unit)
            factor = raw.get("factor")
            if isinstance(factor, Mapping):
                self.project_factor((*path, "factor"), factor)

    def project_factor(self, path: KeyPath, factor: Mapping[str, Any]) -> None:
        missing = [key for key in ("value", "unit", "source", "confidence") if not factor.get(key)]
        if missing:
            self.add(
                path,
                Message(
                    gettext_noop(
                        "a project factor with its value, unit, source and confidence; missing: "
                        "{missing}"
                    ),
                    {"missing": ", ".join(missing)},
                ),
                None,
                "project_factor_incomplete",
            )
            return
        try:
            parse_unit(str(factor["unit"]))
        except UnknownUnitError as error:
            self.add(
                (*path, "unit"),
                Message(
                    gettext_noop("a factor unit such as tCO2/t or kgCO2/kWh ({reason})"),
                    {"reason": error.reason},
                ),
                factor["unit"],
                "unknown_unit",
            )

    def acts_on(self, path: KeyPath, raw: Mapping[str, Any]) -> None:
        sources = raw.get("acts_on") or []
        reduction = raw.get("annual_reduction_tco2")
        computed = any(
            item.get("task") == raw.get("id") and item.get("change") == ActivityChange.AVOIDED.value
            for item in self.data.get("reductions") or []
        )
        declared = isinstance(reduction, int | float | Decimal) and reduction > 0
        if not sources and (declared or computed):
            self.add(
                (*path, "acts_on"),
                Message(
                    gettext_noop(
                        "at least one source as category/sector that the annual reduction "
                        "applies to, e.g. electricity/residential"
                    )
                ),
                None,
                "task_without_source",
            )
        seen: set[str] = set()
        for index, text in enumerate(sources):
            if _source_key(text) is None:
                self.add(
                    (*path, "acts_on", index),
                    Message(
                        gettext_noop(
                            "a source as category/sector, e.g. electricity/residential; "
                            "categories: {categories}; sectors: {sectors}"
                        ),
                        {
                            "categories": ", ".join(c.value for c in SourceCategory),
                            "sectors": ", ".join(s.value for s in Sector),
                        },
                    ),
                    text,
                    "unknown_source",
                )
            elif text in seen:
                self.add(
                    (*path, "acts_on", index),
                    Message(gettext_noop("each source only once")),
                    text,
                    "duplicate_source",
                )
            seen.add(text)

    def targets(self) -> None:
        seen: dict[tuple[str, int], int] = {}
        for index, raw in enumerate(self.data.get("targets") or []):
            path: KeyPath = ("targets", index)
            year = raw.get("year")
            kind = raw.get("kind")
            self.year((*path, "year"), year, not_before_base=True)
            if (kind, year) in seen:
                self.add(
                    (*path, "year"),
                    Message(
                        gettext_noop(
                            "one target per kind and year ({kind} {year} is in targets[{first}])"
                        ),
                        {"kind": kind, "year": year, "first": seen[(kind, year)]},
                    ),
                    year,
                    "duplicate_target",
                )
            elif isinstance(kind, str) and isinstance(year, int):
                seen[(kind, year)] = index
            value = raw.get("value")
            if kind in PERCENT_TARGETS and isinstance(value, int | float | Decimal) and value > 100:
                self.add(
                    (*path, "value"),
                    Message(gettext_noop("a percentage from 0 to 100")),
                    value,
                    "percent_out_of_range",
                )
