"""Loads the plausible ranges: ``data/plausibility/<id>.yaml``, one range per file.

The schema (``data/schemas/plausibility.schema.json``) checks the form of each file; this module
checks what a schema cannot: ``low`` below ``high``, and one range per metric and unit kind (two
would judge the same figure twice). Every problem is a
:class:`~lowcarbon.rules.errors.DataFileError` naming file, key path, line, the value found and
what is expected.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lowcarbon.core.activity import UnitKind
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.plausibility import PlausibilityMetric, PlausibleRange, RangeBasis

from .paths import data_dir, schema_path
from .text import local_text
from .yamlio import YamlDocument, load_schema, read_yaml, validate_with_schema

__all__ = ["PLAUSIBILITY_FOLDER", "load_plausible_ranges"]

PLAUSIBILITY_FOLDER = "plausibility"


def _decimal(value: int | float) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _range(document: YamlDocument, range_id: str) -> PlausibleRange:
    data = document.data
    low, high = _decimal(data["low"]), _decimal(data["high"])
    if low >= high:
        raise document.error(
            ("high",),
            Message(gettext_noop("a number greater than low ({low})"), {"low": data["low"]}),
            data["high"],
            code="range_order",
        )
    return PlausibleRange(
        id=range_id,
        metric=PlausibilityMetric(data["metric"]),
        kinds=frozenset(UnitKind(kind) for kind in data["applies_to"]),
        low=low,
        high=high,
        basis=RangeBasis(data["basis"]),
        source=" ".join(str(data["source"]).split()),
        reason=local_text(data["reason"]),
        confidence_note=" ".join(str(data.get("verify", "")).split()),
    )


def load_plausible_ranges(folder: Path | None = None) -> tuple[PlausibleRange, ...]:
    """Every range under ``folder`` (default: the bundled ``data/plausibility``), checked."""
    root = folder if folder is not None else data_dir() / PLAUSIBILITY_FOLDER
    schema = load_schema(schema_path("plausibility"))
    ranges: list[PlausibleRange] = []
    claimed: dict[tuple[PlausibilityMetric, UnitKind], str] = {}
    for path in sorted(root.glob("*.yaml")):
        document = read_yaml(path)
        validate_with_schema(document, schema)
        plausible = _range(document, path.stem)
        for kind in sorted(plausible.kinds):
            other = claimed.get((plausible.metric, kind))
            if other is not None:
                raise document.error(
                    ("applies_to",),
                    Message(
                        gettext_noop(
                            "one range per metric and unit kind; '{other}' already covers "
                            "{metric} for {kind}"
                        ),
                        {"other": other, "metric": plausible.metric.value, "kind": kind.value},
                    ),
                    kind.value,
                    code="range_duplicate",
                )
            claimed[(plausible.metric, kind)] = plausible.id
        ranges.append(plausible)
    return tuple(ranges)
