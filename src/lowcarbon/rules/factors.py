"""Loads the emission-factor library: ``data/factors/<family>/<name>.yaml`` and ``sets/*.yaml``.

Each factor file holds one factor's history (the folder path is its id, e.g.
``electricity/shanghai-purchased``); each set file pins, per source category, one factor and
one of its dated values. The schemas check the form of each file; this module checks what a
schema cannot: units that parse, dates that exist and increase strictly, derivations and set
entries that name existing factors and values, set ids used once, and supersessions that name
an existing set. Every problem is a :class:`~lowcarbon.rules.errors.DataFileError` naming the
file, key path, line, the value found and what is expected.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from lowcarbon.core.factors import (
    Confidence,
    Factor,
    FactorKind,
    FactorLibrary,
    FactorSet,
    FactorValue,
    FuelDerivation,
    Gas,
    SetEntry,
)
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.units import UnknownUnitError, parse_unit

from .paths import data_dir, schema_path
from .plausibility import load_plausible_ranges
from .text import local_text
from .yamlio import YamlDocument, load_schema, read_yaml, validate_with_schema

__all__ = ["SETS_FOLDER", "load_factor_library"]

#: The folder of ``data/factors`` that holds the sets; every other folder is a factor family.
SETS_FOLDER = "sets"

KeyPath = Sequence[str | int]


def load_factor_library(
    root: Path | None = None, plausibility: Path | None = None
) -> FactorLibrary:
    """Every factor and set under ``root`` (default: the bundled ``data/factors``), checked,
    with the plausible ranges under ``plausibility`` (default: the bundled
    ``data/plausibility`` for the bundled library, none for another ``root``)."""
    folder = root if root is not None else data_dir() / "factors"
    factor_schema = load_schema(schema_path("factor"))
    loaded: dict[str, _Loaded] = {}
    for path in sorted(folder.glob("*/*.yaml")):
        if path.parent.name != SETS_FOLDER:
            document = read_yaml(path)
            validate_with_schema(document, factor_schema)
            factor = _factor(document, path.parent.name, path.stem)
            loaded[factor.id] = _Loaded(factor, document)
    for item in loaded.values():
        _check_derivation(item, loaded)
    factors = {factor_id: item.factor for factor_id, item in loaded.items()}
    sets = _load_sets(folder / SETS_FOLDER, factors)
    bundled = plausibility is not None or root is None
    ranges = load_plausible_ranges(plausibility) if bundled else ()
    return FactorLibrary(factors.values(), sets, ranges)


@dataclass(frozen=True)
class _Loaded:
    factor: Factor
    document: YamlDocument


def _date(document: YamlDocument, key_path: KeyPath, text: str) -> date:
    # The schema has checked the YYYY-MM-DD shape; this catches dates that do not exist.
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise document.error(
            key_path,
            Message(gettext_noop("a real calendar date written YYYY-MM-DD, e.g. 2022-02-11")),
            text,
            code="bad_date",
        ) from None


def _factor(document: YamlDocument, family: str, name: str) -> Factor:
    data = document.data
    values: list[FactorValue] = []
    for index, raw in enumerate(data["values"]):
        values.append(_value(document, index, raw, values[-1] if values else None))
    links = data.get("derived_from")
    return Factor(
        id=f"{family}/{name}",
        family=family,
        label=local_text(data["label"]),
        gas=Gas(data["gas"]),
        region=data["region"],
        values=tuple(values),
        kind=FactorKind(data["kind"]),
        inventory_use=data.get("inventory_use", True),
        derived_from=(
            FuelDerivation(links["ncv"], links["carbon_content"], links["oxidation"])
            if links
            else None
        ),
    )


def _value(
    document: YamlDocument, index: int, raw: dict[str, Any], previous: FactorValue | None
) -> FactorValue:
    where: list[str | int] = ["values", index]
    valid_from = _date(document, [*where, "valid_from"], raw["valid_from"])
    if previous is not None and valid_from <= previous.valid_from:
        raise document.error(
            [*where, "valid_from"],
            Message(
                gettext_noop(
                    "a date after {previous} (the value before it): dates increase strictly, "
                    "oldest first"
                ),
                {"previous": previous.valid_from.isoformat()},
            ),
            raw["valid_from"],
            code="dates_not_increasing",
        )
    try:
        unit = parse_unit(raw["unit"])
    except UnknownUnitError as exc:
        raise document.error(
            [*where, "unit"],
            Message(
                gettext_noop("a unit built from the accepted spellings ({reason})"),
                {"reason": exc.message},
            ),
            raw["unit"],
            code="unknown_unit",
        ) from None
    return FactorValue(
        # Through str(): a YAML 4.2 is the decimal 4.2, not the binary float nearest to it.
        value=Decimal(str(raw["value"])),
        unit=unit,
        valid_from=valid_from,
        reference=raw["reference"],
        source_id=raw["source_id"],
        confidence=Confidence(raw["confidence"]),
        note=raw.get("note", ""),
    )


def _expected_factor(known: Sequence[str], found: str) -> Message:
    close = difflib.get_close_matches(found, known, n=3)
    if close:
        return Message(
            gettext_noop("the id of an existing factor (family/name), such as {ids}"),
            {"ids": close},
        )
    return Message(gettext_noop("the id of an existing factor (family/name)"))


def _check_derivation(item: _Loaded, loaded: dict[str, _Loaded]) -> None:
    links = item.factor.derived_from
    if links is None:
        return
    for role, factor_id, kind in (
        ("ncv", links.ncv, FactorKind.NET_CALORIFIC_VALUE),
        ("carbon_content", links.carbon_content, FactorKind.CARBON_CONTENT),
        ("oxidation", links.oxidation, FactorKind.OXIDATION_RATE),
    ):
        if factor_id not in loaded:
            raise item.document.error(
                ["derived_from", role],
                _expected_factor(sorted(loaded), factor_id),
                factor_id,
                code="unknown_factor",
            )
        if loaded[factor_id].factor.kind != kind:
            raise item.document.error(
                ["derived_from", role],
                Message(
                    gettext_noop("a factor of kind {kind} ({factor} is {actual})"),
                    {
                        "kind": kind.value,
                        "factor": factor_id,
                        "actual": loaded[factor_id].factor.kind.value,
                    },
                ),
                factor_id,
                code="wrong_factor_kind",
            )


def _load_sets(folder: Path, factors: dict[str, Factor]) -> list[FactorSet]:
    set_schema = load_schema(schema_path("factor_set"))
    sets: dict[str, tuple[FactorSet, YamlDocument]] = {}
    for path in sorted(folder.glob("*.yaml")):
        document = read_yaml(path)
        validate_with_schema(document, set_schema)
        factor_set = _factor_set(document, factors)
        if factor_set.id in sets:
            raise document.error(
                ["id"],
                Message(
                    gettext_noop("a set id no other set uses ({other} already uses it)"),
                    {"other": str(sets[factor_set.id][1].path)},
                ),
                factor_set.id,
                code="duplicate_set_id",
            )
        sets[factor_set.id] = (factor_set, document)
    for factor_set, document in sets.values():
        superseded = factor_set.supersedes
        if superseded is not None and (superseded not in sets or superseded == factor_set.id):
            raise document.error(
                ["supersedes"],
                Message(
                    gettext_noop("the id of another existing set, one of: {ids}"),
                    {"ids": sorted(set_id for set_id in sets if set_id != factor_set.id)},
                ),
                superseded,
                code="unknown_superseded_set",
            )
    return [factor_set for factor_set, _ in sets.values()]


def _factor_set(document: YamlDocument, factors: dict[str, Factor]) -> FactorSet:
    data = document.data
    valid_from = _date(document, ["valid_from"], data["valid_from"])
    valid_to = None
    if data["valid_to"] is not None:
        valid_to = _date(document, ["valid_to"], data["valid_to"])
        if valid_to < valid_from:
            raise document.error(
                ["valid_to"],
                Message(
                    gettext_noop("a date on or after valid_from ({valid_from}), or null"),
                    {"valid_from": data["valid_from"]},
                ),
                data["valid_to"],
                code="validity_reversed",
            )
    entries = tuple(
        _entry(document, category, raw, factors) for category, raw in data["entries"].items()
    )
    return FactorSet(
        id=data["id"],
        title=local_text(data["title"]),
        valid_from=valid_from,
        valid_to=valid_to,
        citation=data["citation"],
        entries=entries,
        supersedes=data["supersedes"],
        note=data.get("note", ""),
        content_hash=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
    )


def _entry(
    document: YamlDocument, category: str, raw: dict[str, Any], factors: dict[str, Factor]
) -> SetEntry:
    where = ["entries", category]
    factor = factors.get(raw["factor"])
    if factor is None:
        raise document.error(
            [*where, "factor"],
            _expected_factor(sorted(factors), raw["factor"]),
            raw["factor"],
            code="unknown_factor",
        )
    if not factor.inventory_use:
        raise document.error(
            [*where, "factor"],
            Message(
                gettext_noop(
                    "a factor meant for inventories ({factor} is a life-cycle factor, "
                    "inventory_use: false)"
                ),
                {"factor": factor.id},
            ),
            raw["factor"],
            code="not_for_inventory",
        )
    value_from = _date(document, [*where, "value_from"], raw["value_from"])
    if value_from not in {value.valid_from for value in factor.values}:
        raise document.error(
            [*where, "value_from"],
            Message(
                gettext_noop("the valid_from of one of the values of {factor}: {dates}"),
                {
                    "factor": factor.id,
                    "dates": [value.valid_from.isoformat() for value in factor.values],
                },
            ),
            raw["value_from"],
            code="unknown_factor_value",
        )
    return SetEntry(
        category=category,
        factor_id=factor.id,
        value_from=value_from,
        note=raw.get("note", ""),
    )
