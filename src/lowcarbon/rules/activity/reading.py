"""The accounting input read from a file (YAML or JSON) or from data already checked."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from lowcarbon.core.activity import (
    DEFAULT_FACTOR_SET,
    AccountingInput,
    ActivityChange,
    ActivityRecord,
    Boundary,
    DataQuality,
    Domain,
    ForecastAssumptions,
    ProjectFactor,
    ReductionActivity,
    Sector,
    SourceCategory,
    Target,
    TargetKind,
    Task,
    UnitKind,
    UnitProfile,
    YearDrivers,
)
from lowcarbon.core.messages import Message, gettext_noop

from ..geojson.measuring import measure
from ..paths import schema_path
from ..yamlio import format_path, load_schema, read_yaml, validate_with_schema
from .checks import check_accounting_data
from .issues import KeyPath
from .values import _decimal, _text
from .vocabulary import _GROUP_INDEX, _source_key

__all__ = ["accounting_input_from_data", "load_accounting_file"]


def load_accounting_file(path: Path | str) -> AccountingInput:
    """The accounting input in ``path`` (``.yaml``, ``.yml`` or ``.json``).

    Raises :class:`~lowcarbon.rules.errors.DataFileError` for the first problem in the file
    (the earliest line), naming file, key path, line, the value found and what is expected.
    """
    document = read_yaml(Path(path))
    validate_with_schema(document, load_schema(schema_path("accounting")))

    def locate(key_path: KeyPath) -> Message:
        return Message(
            gettext_noop("{key} (line {line})"),
            {"key": format_path(key_path), "line": document.line_of(key_path)},
        )

    issues = check_accounting_data(document.data, locate)
    if issues:
        first = min(issues, key=lambda issue: document.line_of(issue.path) or 0)
        raise document.error(first.path, first.expected, first.found, code=first.code)
    name = document.path.name
    return accounting_input_from_data(
        document.data,
        origin=lambda index: f"{name}:{document.line_of(('records', index))}",
        reduction_origin=lambda index: f"{name}:{document.line_of(('reductions', index))}",
    )


def _optional_decimal(value: int | float | Decimal | None) -> Decimal | None:
    return None if value is None else _decimal(value)


def _drivers(raw: Mapping[str, Any]) -> YearDrivers:
    return YearDrivers(
        year=raw["year"],
        resident_population=raw["resident_population"],
        registered_population=raw.get("registered_population"),
        households=raw.get("households"),
        floor_area_m2={
            kind: _decimal(value)
            for kind, value in (raw.get("floor_area_m2") or {}).items()
            if value is not None
        },
        gdp_10k_yuan=_optional_decimal(raw.get("gdp_10k_yuan")),
        employees=raw.get("employees"),
    )


def _area(boundary: Mapping[str, Any]) -> Decimal | None:
    """The stated area, or the polygon's geodesic area when only a polygon is given."""
    stated = _optional_decimal(boundary.get("area_km2"))
    geometry = boundary.get("geometry")
    if stated is None and geometry is not None:
        return round(measure(geometry).area_km2, 3)
    return stated


def _profile(raw: Mapping[str, Any]) -> UnitProfile:
    boundary = raw["boundary"]
    return UnitProfile(
        name=_text(raw["name"]),
        kind=UnitKind(raw["kind"]),
        boundary=Boundary(
            four_sides=_text(boundary["four_sides"]),
            area_km2=_area(boundary),
            geometry=boundary.get("geometry"),
        ),
        base_year=raw["base_year"],
        drivers=tuple(sorted((_drivers(item) for item in raw["drivers"]), key=lambda d: d.year)),
    )


def _record(raw: Mapping[str, Any], origin: str = "") -> ActivityRecord:
    return ActivityRecord(
        origin=origin,
        year=raw["year"],
        category=SourceCategory(raw["category"]),
        sector=Sector(raw["sector"]),
        quantity=_decimal(raw["quantity"]),
        unit=_text(raw["unit"]),
        quality=DataQuality(raw["quality"]),
        source=_text(raw.get("source")),
        label=_text(raw.get("label")),
    )


def _task(raw: Mapping[str, Any]) -> Task:
    sources = tuple(_source_key(text) for text in raw.get("acts_on") or ())
    stated = raw.get("annual_reduction_tco2")
    return Task(
        id=_text(raw["id"]),
        name=_text(raw["name"]),
        domain=Domain(raw["domain"]),
        acts_on=tuple(key for key in sources if key is not None),
        annual_reduction_tco2=_decimal(stated if stated is not None else 0),
        reduction_stated=stated is not None,
        start_year=raw["start_year"],
        ramp_years=raw.get("ramp_years", 1),
        key_project=raw.get("key_project", False),
        near_zero_demonstration=raw.get("near_zero_demonstration", False),
        adds_renewable_kwh=_decimal(raw.get("adds_renewable_kwh", 0)),
        adds_sink_tco2=_decimal(raw.get("adds_sink_tco2", 0)),
    )


def _reduction(raw: Mapping[str, Any], origin: str = "") -> ReductionActivity:
    factor = raw.get("factor")
    return ReductionActivity(
        task_id=_text(raw["task"]),
        change=ActivityChange(raw["change"]),
        category=SourceCategory(raw["category"]),
        quantity=_decimal(raw["quantity"]),
        unit=_text(raw["unit"]),
        label=_text(raw.get("label")),
        factor=None
        if not factor
        else ProjectFactor(
            value=_decimal(factor["value"]),
            unit=_text(factor["unit"]),
            source=_text(factor["source"]),
            confidence=factor["confidence"],
        ),
        note=_text(raw.get("note")),
        origin=origin,
    )


def _target(raw: Mapping[str, Any]) -> Target:
    return Target(
        kind=TargetKind(raw["kind"]),
        year=raw["year"],
        value=_decimal(raw["value"]),
        overall=raw.get("overall", True),
        note=_text(raw.get("note")),
    )


def _assumptions(raw: Mapping[str, Any]) -> ForecastAssumptions:
    return ForecastAssumptions(
        population_growth_pct=_decimal(raw.get("population_growth_pct", 0)),
        floor_area_growth_pct=_decimal(raw.get("floor_area_growth_pct", 0)),
        gdp_growth_pct=_decimal(raw.get("gdp_growth_pct", 0)),
        efficiency_improvement_pct=_decimal(raw.get("efficiency_improvement_pct", 0)),
        target_years=tuple(sorted(raw.get("target_years") or ())),
        note=_text(raw.get("note")),
    )


def accounting_input_from_data(
    data: Mapping[str, Any],
    origin: Callable[[int], str] | None = None,
    reduction_origin: Callable[[int], str] | None = None,
) -> AccountingInput:
    """The :class:`AccountingInput` of ``data`` that passed the schema (or the workbook's cell
    checks) and :func:`check_accounting_data`. ``origin`` names where records[i] was read
    ("accounting.yaml:41"), for the messages of the engine (records are regrouped here)."""
    records = sorted(
        (
            _record(raw, origin(index) if origin is not None else "")
            for index, raw in enumerate(data["records"])
        ),
        key=lambda r: _GROUP_INDEX[r.category],
    )
    years = data.get("years") or {record.year for record in records}
    return AccountingInput(
        profile=_profile(data["profile"]),
        records=tuple(records),
        tasks=tuple(_task(raw) for raw in data.get("tasks") or ()),
        targets=tuple(_target(raw) for raw in data.get("targets") or ()),
        assumptions=_assumptions(data.get("assumptions") or {}),
        factor_set=data.get("factor_set") or DEFAULT_FACTOR_SET,
        years=tuple(sorted(years)),
        year_factor_sets={
            raw["year"]: raw["set"]
            for raw in sorted(data.get("factor_sets") or (), key=lambda raw: raw["year"])
        },
        reductions=tuple(
            _reduction(raw, reduction_origin(index) if reduction_origin is not None else "")
            for index, raw in enumerate(data.get("reductions") or ())
        ),
    )
