"""The accounting input written back as data, the shape of ``examples/*/accounting.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from lowcarbon.core.activity import AccountingInput, ReductionActivity, Task

__all__ = ["accounting_input_to_data"]


def _drop_empty(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value not in (None, "", {}, [])}


def _plain(value: object) -> Any:
    """A dataclass of :mod:`lowcarbon.core.activity` as YAML-shaped data: the field names are the
    file's keys, enums become their values, tuples lists, and empty optional fields go."""
    if isinstance(value, Task):
        data = _plain_fields(value)
        data["acts_on"] = [f"{category.value}/{sector.value}" for category, sector in value.acts_on]
        if not data.pop("reduction_stated"):
            del data["annual_reduction_tco2"]  # computed from the task's activities
        return data
    if isinstance(value, ReductionActivity):
        data = _drop_empty(_plain_fields(value))
        return {"task": data.pop("task_id"), **data}
    if is_dataclass(value) and not isinstance(value, type):
        return _drop_empty(_plain_fields(value))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _plain_fields(value: Any) -> dict[str, Any]:
    # Fields outside equality (a record's origin) describe where a value was read, not the
    # value: they are not data of the file.
    return {item.name: _plain(getattr(value, item.name)) for item in fields(value) if item.compare}


def accounting_input_to_data(accounting: AccountingInput) -> dict[str, Any]:
    """``accounting`` as data shaped like the YAML file (numbers as :class:`Decimal`, enums as
    their values, empty optional fields left out); the inverse of
    :func:`accounting_input_from_data`."""
    data: dict[str, Any] = _plain(accounting)
    sets = data.pop("year_factor_sets", None)
    if sets:
        data["factor_sets"] = [{"year": year, "set": set_id} for year, set_id in sets.items()]
    return data
