"""Reads the accounting input of one unit (YAML or JSON) into
:class:`~lowcarbon.core.activity.AccountingInput` (re-exported here with ``DEFAULT_FACTOR_SET``).

The file holds what the accounting and the forecast compute from (accounting-method.md §4, §8,
§9) and what 附件1 一、1 / 附件3 一、1 ask a plan to state about the unit: the profile (name,
kind, 四至, area, base year, and for each year 常住人口, 户籍人口, 户数, floor area by type, GDP),
the activity records, the tasks and key projects, the staged targets and the forecast
assumptions. A JSON file is read by the same strict reader (JSON is YAML), so its errors name
lines too.

``data/schemas/accounting.schema.json`` checks the form; :func:`check_accounting_data` checks
what a schema cannot say, and is shared with the workbook reader (:mod:`.workbook`):

* a unit parses and measures what its category is counted in (energy for electricity and heat,
  volume for natural gas, mass for the other fuels, area for green space, trees for tree
  counts, mass for waste, volume for water): 10 000 m³ "of electricity" must not reach a factor;
* every year lies within base year − 10 … base year + 30; tasks, targets and target years are
  not before the base year; the accounting years include the base year and have drivers;
* a year named in ``factor_sets`` (its own factor set, e.g. a base year reported under its
  historical set) is an accounting year, named once;
* driver years, task ids and (target kind, year) pairs are unique;
* a task's ``acts_on`` names ``category/sector`` pairs of the vocabulary of
  :mod:`lowcarbon.core.activity`, and a task that promises a reduction names where it applies.

Every problem is a :class:`~lowcarbon.rules.errors.DataFileError` naming the file, key path,
line, the value found and what a valid value looks like. Records come back grouped by activity
group (:data:`ACTIVITY_GROUPS`, the sheets of the workbook) in their order within a group, and
drivers sorted by year, so a file and its workbook read back into equal inputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from enum import Enum
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
    SourceKey,
    Target,
    TargetKind,
    Task,
    UnitKind,
    UnitProfile,
    YearDrivers,
)
from lowcarbon.core.geodesy import GeometryError
from lowcarbon.core.inventory import record_identity
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.units import (
    UnitError,
    UnknownUnitError,
    dimension_name,
    parse_unit,
    same_dimension,
)

from .geojson import measure
from .paths import schema_path
from .yamlio import format_path, load_schema, read_yaml, validate_with_schema

__all__ = [
    "ACTIVITY_GROUPS",
    "AREA_TOLERANCE",
    "CATEGORY_UNITS",
    "DEFAULT_FACTOR_SET",
    "FLOOR_AREA_TYPES",
    "PERCENT_TARGETS",
    "YEARS_AFTER_BASE",
    "YEARS_BEFORE_BASE",
    "AccountingInput",
    "AccountingIssue",
    "accounting_input_from_data",
    "accounting_input_to_data",
    "check_accounting_data",
    "load_accounting_file",
]

#: How far a stated area may differ from the polygon's geodesic area: plans round areas, and a
#: boundary drawn on a web map is rarely exact.
AREA_TOLERANCE = Decimal("0.05")
YEARS_BEFORE_BASE = 10
YEARS_AFTER_BASE = 30

_C = SourceCategory

#: The activity groups, in the order of the workbook's activity sheets; every category is in
#: exactly one group. Records are kept in this order (stable within a group).
ACTIVITY_GROUPS: tuple[tuple[str, tuple[SourceCategory, ...]], ...] = (
    ("electricity", (_C.ELECTRICITY, _C.GREEN_ELECTRICITY)),
    (
        "fuels",
        (
            _C.NATURAL_GAS,
            _C.LPG,
            _C.GASOLINE,
            _C.DIESEL,
            _C.FUEL_OIL,
            _C.KEROSENE,
            _C.LNG,
            _C.COAL,
            _C.COKE,
            _C.CRUDE_OIL,
            _C.REFINERY_DRY_GAS,
        ),
    ),
    (
        "heat_renewables",
        (_C.HEAT, _C.ONSITE_RENEWABLE_ELECTRICITY, _C.RENEWABLE_EXPORT, _C.SOLAR_THERMAL),
    ),
    ("sinks", (_C.GREEN_SPACE, _C.TREES)),
    ("waste_water", (_C.WASTE, _C.WATER_SUPPLY)),
)

_ELECTRIC = ("kWh", "万kWh", "MWh")
_HEAT = ("GJ", "MJ", "kWh")
# Fuels by mass: the factors are per tonne, and no density is cited for any fuel, so litres
# are not offered (docs/accounting/factors.md, "Litres").
_BY_MASS = ("t", "kg")

#: Units people use for each category; a record's unit must measure what one of them measures
#: (so 万方, Nm³ or 吨 are accepted too). The workbook offers them in its drop-down lists.
CATEGORY_UNITS: Mapping[SourceCategory, tuple[str, ...]] = {
    _C.ELECTRICITY: _ELECTRIC,
    _C.GREEN_ELECTRICITY: _ELECTRIC,
    _C.HEAT: _HEAT,
    _C.NATURAL_GAS: ("m³", "万m³", "Nm³", "万Nm³"),
    _C.LPG: _BY_MASS,
    _C.GASOLINE: _BY_MASS,
    _C.DIESEL: _BY_MASS,
    _C.FUEL_OIL: _BY_MASS,
    _C.KEROSENE: _BY_MASS,
    _C.LNG: _BY_MASS,
    _C.COAL: _BY_MASS,
    _C.COKE: _BY_MASS,
    _C.CRUDE_OIL: _BY_MASS,
    _C.REFINERY_DRY_GAS: _BY_MASS,
    _C.ONSITE_RENEWABLE_ELECTRICITY: _ELECTRIC,
    _C.RENEWABLE_EXPORT: _ELECTRIC,
    _C.SOLAR_THERMAL: _HEAT,
    _C.WASTE: ("t", "kg"),
    _C.WATER_SUPPLY: ("m³", "万m³"),
    _C.GREEN_SPACE: ("m²", "hm²"),
    _C.TREES: ("株",),
}

#: Building types of ``YearDrivers.floor_area_m2``: the building sectors of
#: :class:`~lowcarbon.core.activity.Sector`, so an intensity per m² pairs with its emissions.
FLOOR_AREA_TYPES: tuple[str, ...] = (
    Sector.RESIDENTIAL.value,
    Sector.COMMERCIAL_PUBLIC.value,
    Sector.INDUSTRY.value,
    Sector.OTHER.value,
)

#: Target kinds whose value is a percentage (at most 100).
PERCENT_TARGETS = frozenset(
    {TargetKind.DECLINE_RATE, TargetKind.PER_CAPITA_DECLINE_RATE, TargetKind.RENEWABLE_SHARE}
)

_GROUP_INDEX = {
    category: index for index, (_, members) in enumerate(ACTIVITY_GROUPS) for category in members
}

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


# --- checks a schema cannot make -------------------------------------------------------------


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


class _Checker:
    """Collects :class:`AccountingIssue` s. Tolerates absent keys: the workbook reader runs it
    on data whose unreadable cells were left out (their problems are reported already)."""

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

    def run(self) -> list[AccountingIssue]:
        self.non_finite(self.data, ())
        self.boundary()
        years = self.accounting_years()
        self.drivers(years)
        self.records(years)
        self.year_sets(years)
        self.tasks()
        self.reductions()
        self.targets()
        assumptions = self.data.get("assumptions") or {}
        for index, year in enumerate(assumptions.get("target_years") or ()):
            self.year(("assumptions", "target_years", index), year, not_before_base=True)
        return self.issues

    def boundary(self) -> None:
        """The drawn polygon must be a valid area and agree with the area stated (附件2 一)."""
        boundary = (self.data.get("profile") or {}).get("boundary") or {}
        geometry = boundary.get("geometry")
        if geometry is None:
            return
        path: KeyPath = ("profile", "boundary", "geometry")
        try:
            area = measure(geometry).area_km2
        except GeometryError as error:
            self.add(path, error.message, None, error.code)
            return
        stated = boundary.get("area_km2")
        if isinstance(stated, int | float):
            difference = abs(_decimal(stated) - area) / area
            if difference > AREA_TOLERANCE:
                self.add(
                    ("profile", "boundary", "area_km2"),
                    Message(
                        gettext_noop(
                            "the area of the boundary polygon, {area} km² (within {tolerance} %)"
                        ),
                        {"area": round(area, 3), "tolerance": AREA_TOLERANCE * 100},
                    ),
                    stated,
                    "area_mismatch",
                )

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

    def accounting_years(self) -> list[int] | None:
        """The years to check records against: the ``years`` given, else None (derived)."""
        years = self.data.get("years")
        if years is None:
            recorded = self.record_years()
            if self.base is not None and recorded and self.base not in recorded:
                self.add(
                    ("profile", "base_year"),
                    Message(
                        gettext_noop(
                            "a year with activity records (records are given for {years})"
                        ),
                        {"years": ", ".join(map(str, recorded))},
                    ),
                    self.base,
                    "base_year_without_records",
                )
            return None
        for index, year in enumerate(years):
            self.year(("years", index), year)
        if self.base is not None and self.base not in years:
            self.add(
                ("years",),
                Message(
                    gettext_noop("a list of years that includes the base year {base}"),
                    {"base": self.base},
                ),
                ", ".join(map(str, years)),
                "base_year_not_accounted",
            )
        return list(years)

    def year_sets(self, years: list[int] | None) -> None:
        """A year's own factor set: one entry per year, for a year that is accounted."""
        accounted = years if years is not None else self.record_years()
        seen: dict[int, int] = {}
        for index, raw in enumerate(self.data.get("factor_sets") or []):
            path: KeyPath = ("factor_sets", index, "year")
            year = raw.get("year")
            if not self.year(path, year):
                continue
            if year in seen:
                self.add(
                    path,
                    Message(
                        gettext_noop("a year not given before (first at factor_sets[{first}])"),
                        {"first": seen[year]},
                    ),
                    year,
                    "duplicate_year",
                )
            elif year not in accounted:
                self.add(
                    path,
                    Message(
                        gettext_noop("one of the accounting years {years}"),
                        {"years": ", ".join(map(str, accounted))},
                    ),
                    year,
                    "year_not_accounted",
                )
            seen.setdefault(year, index)

    def drivers(self, years: list[int] | None) -> None:
        profile = self.data.get("profile") or {}
        drivers = profile.get("drivers") or []
        seen: dict[int, int] = {}
        for index, raw in enumerate(drivers):
            year = raw.get("year")
            path: KeyPath = ("profile", "drivers", index, "year")
            self.year(path, year)
            if year in seen:
                self.add(
                    path,
                    Message(
                        gettext_noop("a year not given before (first at drivers[{first}])"),
                        {"first": seen[year]},
                    ),
                    year,
                    "duplicate_year",
                )
            elif isinstance(year, int):
                seen[year] = index
        wanted = years if years is not None else self.record_years()
        if self.base is not None:
            wanted = sorted({*wanted, self.base})
        missing = [year for year in wanted if year not in seen]
        if drivers and missing:
            self.add(
                ("profile", "drivers"),
                Message(
                    gettext_noop(
                        "the size of the unit (resident population …) for every accounting "
                        "year; missing: {years}"
                    ),
                    {"years": ", ".join(map(str, missing))},
                ),
                None,
                "drivers_missing",
            )

    def record_years(self) -> list[int]:
        records = self.data.get("records") or []
        return sorted({r["year"] for r in records if isinstance(r.get("year"), int)})

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


_CATEGORY_VALUES = frozenset(c.value for c in SourceCategory)

#: The categories a task's reduction activity may name (those with an inventory factor).
_REDUCTION_CATEGORIES = frozenset(
    c.value
    for c in SourceCategory
    if c
    not in {
        SourceCategory.RENEWABLE_EXPORT,
        SourceCategory.SOLAR_THERMAL,
        SourceCategory.WASTE,
        SourceCategory.WATER_SUPPLY,
    }
)
_SECTOR_VALUES = frozenset(s.value for s in Sector)


def _source_key(text: object) -> SourceKey | None:
    if not isinstance(text, str):
        return None
    category, _, sector = text.partition("/")
    if category in _CATEGORY_VALUES and sector in _SECTOR_VALUES:
        return SourceCategory(category), Sector(sector)
    return None


def check_accounting_data(
    data: Mapping[str, Any], locate: Locate | None = None
) -> list[AccountingIssue]:
    """Every problem a schema cannot find in accounting ``data`` (shaped as the YAML file).

    ``locate`` names the place of a key path as the person sees it (the file's line, the
    workbook's sheet and row); a problem that involves two places (a record entered twice)
    names the other one with it. By default the key path itself."""
    return _Checker(data, locate).run()


# --- data ⇄ AccountingInput ------------------------------------------------------------------


def _decimal(value: int | float | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    # repr of a float is the shortest text that reads back as the same float: the digits the
    # person wrote, for any number of up to 15 significant digits.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _optional_decimal(value: int | float | Decimal | None) -> Decimal | None:
    return None if value is None else _decimal(value)


def _text(value: str | None) -> str:
    return (value or "").strip()


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
