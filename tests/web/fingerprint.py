"""A cheap fingerprint of everything the platform stores: per model of the project, the number
of rows and the largest version counter and change time. Every write goes through an audited
action that adds a row or moves a counter, so an unchanged fingerprint after a refused request
means nothing was stored (one aggregate query per model: a few milliseconds on SQLite)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Count, Max

__all__ = ["database_fingerprint"]

# Columns that every audited write moves: the optimistic version counters and change times.
_TRACKED = (
    "version",
    "accounting_version",
    "answers_version",
    "updated_at",
    "recorded_at",
    "removed_at",
    "submitted_at",
    "published_at",
    "heartbeat_at",
    "status",
)


def database_fingerprint() -> dict[str, tuple[tuple[str, Any], ...]]:
    found: dict[str, tuple[tuple[str, Any], ...]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("lowcarbon."):
            continue
        names = {field.name for field in model._meta.concrete_fields}
        aggregates: dict[str, Any] = {"rows": Count("pk")}
        aggregates |= {f"max_{name}": Max(name) for name in _TRACKED if name in names}
        values = model._default_manager.aggregate(**aggregates)
        found[model._meta.label] = tuple(sorted(values.items()))
    return found
