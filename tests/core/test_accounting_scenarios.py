"""Accounting scenarios as data: every case in ``tests/scenarios/accounting/**/*.yaml`` is a test.

The files sit one folder deeper than the rubric scenarios (``accounting/community/…``,
``accounting/zone/…``) because ``test_scenarios.py`` reads every ``tests/scenarios/*/*.yaml`` as
a rubric scenario. A file is a YAML list of cases; every key is checked and an unknown key
anywhere fails the case, so a typo in test data can never pass silently::

    - name: a sentence stating the behaviour        # the pytest id; unique across all files
      set: shanghai-2022                            # the factor set of the inventory
      year: 2024
      profile:
        kind: community                             # or zone
        drivers:                                    # one entry per year used
          - {year: 2024, resident_population: 1000, households: 400,
             floor_area_m2: {residential: 60000}, gdp_10k_yuan: 5000}
      records:                                      # year defaults to the case's year
        - {category: electricity, sector: residential, quantity: 800000, unit: kWh,
           quality: measured, label: 居民用电, source: 国网账单}
      tolerance: 0.000001                           # absolute, in each figure's own unit
      expect:                                       # at least one key
        gross_tco2: 420
        scopes: {1: 0, 2: 420}
        categories: {electricity: 420}              # only categories with emission lines
        sectors: {residential: 420}
        sinks_tco2: 0
        net_tco2: 420
        total_tce: 122.9                            # or not_available
        renewable_tce: 0
        electricity_kwh: 1000000
        renewable_export_kwh: 0
        green_power_claim_tco2: 0
        not_estimated: [waste]                      # categories of the NE lines
        missing: [natural_gas]                      # completeness: categories missing
        drivers_missing: false
        is_final: true
        quality_shares: {measured: 1}
        indicators: {per_capita: 0.42, per_gdp: not_applicable}
        findings: [per_capita]                      # metrics outside their plausible range
        error: {type: GreenElectricityNotCoveredError, words: [shanghai-2023-green-power]}
      compare:                                      # optional: a base year to compare with
        set: shanghai-2012
        year: 2021
        records: [...]
        expect: {decline_rate: 0, factor_change_effect: 46.70, …}
        # or refused: [words of the reason no decline is computed]; provisional: true/false

``error`` stands alone in its ``expect`` and names the error's class and words that must appear
in its message. Numbers are compared as ``Decimal(str(yaml_number))``; every expected figure is
worked out by hand from the published factors, never computed by the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from lowcarbon.core import factors, indicators, inventory, units
from lowcarbon.core.activity import (
    ActivityRecord,
    Boundary,
    DataQuality,
    Sector,
    SourceCategory,
    UnitKind,
    UnitProfile,
    YearDrivers,
)
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.factors import FactorLibrary
from lowcarbon.core.indicators import IndicatorId, calculate_indicators, compare_years
from lowcarbon.core.inventory import Inventory, calculate_inventory
from lowcarbon.core.plausibility import PlausibilityMetric
from lowcarbon.rules.factors import load_factor_library
from tests.scenario_cases import Case, load_cases

FOLDER = Path(__file__).parents[1] / "scenarios" / "accounting"

CASE_KEYS = {"name", "set", "year", "profile", "records", "tolerance", "expect", "compare"}
REQUIRED_CASE_KEYS = CASE_KEYS - {"compare"}
PROFILE_KEYS = {"kind", "drivers"}
DRIVER_KEYS = {
    "year",
    "resident_population",
    "registered_population",
    "households",
    "floor_area_m2",
    "gdp_10k_yuan",
    "employees",
}
RECORD_KEYS = {"category", "sector", "quantity", "unit", "quality", "source", "label", "year"}
REQUIRED_RECORD_KEYS = {"category", "sector", "quantity", "unit", "quality"}
TOTALS = {
    "gross_tco2",
    "sinks_tco2",
    "net_tco2",
    "total_tce",
    "renewable_tce",
    "electricity_kwh",
    "renewable_export_kwh",
    "green_power_claim_tco2",
}
EXPECT_KEYS = TOTALS | {
    "scopes",
    "categories",
    "sectors",
    "not_estimated",
    "missing",
    "drivers_missing",
    "is_final",
    "quality_shares",
    "indicators",
    "findings",
    "error",
}
COMPARE_KEYS = {"set", "year", "records", "expect"}
COMPARE_FIGURES = {
    "base_reported_tco2",
    "base_like_for_like_tco2",
    "current_tco2",
    "factor_change_effect_tco2",
    "decline_rate",
    "per_capita_decline_rate",
    "apparent_decline_rate",
    "factor_change_effect",
}
COMPARE_EXPECT_KEYS = COMPARE_FIGURES | {"recalculated", "refused", "provisional", "error"}
ERROR_KEYS = {"type", "words"}
NOT_APPLICABLE = "not_applicable"
NOT_AVAILABLE = "not_available"

ERROR_TYPES: dict[str, type[LowcarbonError]] = {
    name: value
    for module in (inventory, indicators, factors, units)
    for name, value in vars(module).items()
    if isinstance(value, type) and issubclass(value, LowcarbonError)
}


@cache
def library() -> FactorLibrary:
    return load_factor_library()


def scenario_files() -> list[Path]:
    return sorted(FOLDER.glob("**/*.yaml"))


ALL_CASES = [case for path in scenario_files() for case in load_cases(path, FOLDER)]


# ---------------------------------------------------------------------------------------------
# Shape checks


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _unknown(mapping: Mapping[Any, Any], allowed: set[str], where: str) -> list[str]:
    return [f"{where}: unknown key {key!r}" for key in mapping if key not in allowed]


def _mapping(value: object, where: str) -> tuple[Mapping[Any, Any], list[str]]:
    if isinstance(value, dict):
        return value, []
    return {}, [f"{where}: must be a mapping"]


def _enum_problems(value: object, allowed: set[str], where: str) -> list[str]:
    return [] if value in allowed else [f"{where}: {value!r} is not one of {sorted(allowed)}"]


def _figure_problems(value: object, where: str, words: frozenset[str] = frozenset()) -> list[str]:
    if _is_number(value) or value in words:
        return []
    return [f"{where}: a number{' or ' + ' / '.join(sorted(words)) if words else ''}"]


def _records_problems(records: object, where: str) -> list[str]:
    if not isinstance(records, list):
        return [f"{where}: must be a list"]
    problems: list[str] = []
    categories = {c.value for c in SourceCategory}
    for index, record in enumerate(records):
        here = f"{where}[{index}]"
        mapping, bad = _mapping(record, here)
        problems += bad + _unknown(mapping, RECORD_KEYS, here)
        problems += [f"{here}: missing {k!r}" for k in sorted(REQUIRED_RECORD_KEYS - set(mapping))]
        if mapping:
            problems += _enum_problems(mapping.get("category"), categories, f"{here}.category")
            problems += _enum_problems(
                mapping.get("sector"), {s.value for s in Sector}, f"{here}.sector"
            )
            problems += _enum_problems(
                mapping.get("quality"), {q.value for q in DataQuality}, f"{here}.quality"
            )
            problems += _figure_problems(mapping.get("quantity"), f"{here}.quantity")
    return problems


def _profile_problems(profile: object, where: str) -> list[str]:
    mapping, problems = _mapping(profile, where)
    problems += _unknown(mapping, PROFILE_KEYS, where)
    problems += _enum_problems(mapping.get("kind"), {k.value for k in UnitKind}, f"{where}.kind")
    drivers = mapping.get("drivers", [])
    if not isinstance(drivers, list):
        return [*problems, f"{where}.drivers: must be a list"]
    for index, entry in enumerate(drivers):
        here = f"{where}.drivers[{index}]"
        entry_map, bad = _mapping(entry, here)
        problems += bad + _unknown(entry_map, DRIVER_KEYS, here)
        if entry_map and not {"year", "resident_population"} <= set(entry_map):
            problems.append(f"{here}: needs year and resident_population")
        areas = entry_map.get("floor_area_m2", {})
        if not isinstance(areas, dict) or not all(_is_number(v) for v in areas.values()):
            problems.append(f"{here}.floor_area_m2: a mapping of building type to m²")
    return problems


def _error_problems(error: object, expect: Mapping[str, Any], where: str) -> list[str]:
    mapping, problems = _mapping(error, f"{where}.error")
    problems += _unknown(mapping, ERROR_KEYS, f"{where}.error")
    if set(expect) != {"error"}:
        problems.append(f"{where}: error cannot be combined with other expectations")
    problems += _enum_problems(mapping.get("type"), set(ERROR_TYPES), f"{where}.error.type")
    words = mapping.get("words")
    if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
        problems.append(f"{where}.error.words: a non-empty list of words")
    return problems


def _keyed_figures(value: object, keys: set[str], where: str) -> list[str]:
    mapping, problems = _mapping(value, where)
    problems += [f"{where}: unknown key {k!r}" for k in mapping if str(k) not in keys]
    for key, figure in mapping.items():
        problems += _figure_problems(figure, f"{where}.{key}")
    return problems


def _expect_problems(expect: object, where: str) -> list[str]:
    mapping, problems = _mapping(expect, where)
    if not mapping:
        return [*problems, f"{where}: at least one expectation"]
    problems += _unknown(mapping, EXPECT_KEYS, where)
    if "error" in mapping:
        return problems + _error_problems(mapping["error"], mapping, where)
    for key in sorted(TOTALS & set(mapping)):
        problems += _figure_problems(mapping[key], f"{where}.{key}", frozenset({NOT_AVAILABLE}))
    if "scopes" in mapping:
        problems += _keyed_figures(mapping["scopes"], {"1", "2"}, f"{where}.scopes")
    categories = {c.value for c in SourceCategory}
    if "categories" in mapping:
        problems += _keyed_figures(mapping["categories"], categories, f"{where}.categories")
    if "sectors" in mapping:
        problems += _keyed_figures(
            mapping["sectors"], {s.value for s in Sector}, f"{where}.sectors"
        )
    if "quality_shares" in mapping:
        qualities = {q.value for q in DataQuality}
        problems += _keyed_figures(mapping["quality_shares"], qualities, f"{where}.quality_shares")
    for key in ("not_estimated", "missing"):
        listed = mapping.get(key, [])
        if not isinstance(listed, list) or not all(item in categories for item in listed):
            problems.append(f"{where}.{key}: a list of categories")
    for key in ("is_final", "drivers_missing"):
        if key in mapping and not isinstance(mapping[key], bool):
            problems.append(f"{where}.{key}: true or false")
    metrics = {m.value for m in PlausibilityMetric}
    findings = mapping.get("findings", [])
    if not isinstance(findings, list) or not all(item in metrics for item in findings):
        problems.append(f"{where}.findings: a list of metrics of {sorted(metrics)}")
    indicator_ids = {i.value for i in IndicatorId}
    indicator_map, bad = _mapping(mapping.get("indicators", {}), f"{where}.indicators")
    problems += bad
    for key, figure in indicator_map.items():
        problems += _enum_problems(key, indicator_ids, f"{where}.indicators")
        problems += _figure_problems(
            figure, f"{where}.indicators.{key}", frozenset({NOT_APPLICABLE})
        )
    return problems


def _compare_problems(compare: object, where: str) -> list[str]:
    mapping, problems = _mapping(compare, where)
    problems += _unknown(mapping, COMPARE_KEYS, where)
    problems += [f"{where}: missing {k!r}" for k in sorted(COMPARE_KEYS - set(mapping))]
    if not isinstance(mapping.get("set"), str) or not isinstance(mapping.get("year"), int):
        problems.append(f"{where}: set is text and year a number")
    problems += _records_problems(mapping.get("records"), f"{where}.records")
    expect, bad = _mapping(mapping.get("expect"), f"{where}.expect")
    problems += bad + _unknown(expect, COMPARE_EXPECT_KEYS, f"{where}.expect")
    if "error" in expect:
        return problems + _error_problems(expect["error"], expect, f"{where}.expect")
    for key in sorted(COMPARE_FIGURES & set(expect)):
        problems += _figure_problems(
            expect[key], f"{where}.expect.{key}", frozenset({NOT_APPLICABLE})
        )
    for key in ("recalculated", "provisional"):
        if key in expect and not isinstance(expect[key], bool):
            problems.append(f"{where}.expect.{key}: true or false")
    refused = expect.get("refused", ["x"])
    if not isinstance(refused, list) or not refused or not all(isinstance(w, str) for w in refused):
        problems.append(f"{where}.expect.refused: a non-empty list of words")
    return problems


def case_problems(case: Case) -> list[str]:
    """Everything wrong with the form of one case (empty when it is well formed)."""
    where = case.where
    if case.unreadable:
        return [f"{where}: {case.unreadable}"]
    data, problems = _mapping(case.data, where)
    if not data:
        return problems
    problems += _unknown(data, CASE_KEYS, where)
    problems += [f"{where}: missing {key!r}" for key in sorted(REQUIRED_CASE_KEYS - set(data))]
    if not isinstance(data.get("name"), str) or not data.get("name", "").strip():
        problems.append(f"{where}: name must be a sentence")
    if data.get("set") not in library().sets:
        problems.append(f"{where}: set {data.get('set')!r} is not one of {sorted(library().sets)}")
    if not isinstance(data.get("year"), int):
        problems.append(f"{where}: year must be a number")
    if not _is_number(data.get("tolerance")) or data.get("tolerance", -1) < 0:
        problems.append(f"{where}: tolerance must be a number of at least 0")
    problems += _profile_problems(data.get("profile"), f"{where}.profile")
    problems += _records_problems(data.get("records"), f"{where}.records")
    problems += _expect_problems(data.get("expect"), f"{where}.expect")
    if "compare" in data:
        problems += _compare_problems(data["compare"], f"{where}.compare")
    return problems


# ---------------------------------------------------------------------------------------------
# Building the inputs


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))


def build_profile(data: Mapping[str, Any], name: str) -> UnitProfile:
    profile = data["profile"]
    drivers = tuple(
        YearDrivers(
            year=entry["year"],
            resident_population=entry["resident_population"],
            registered_population=entry.get("registered_population"),
            households=entry.get("households"),
            floor_area_m2={k: _decimal(v) for k, v in entry.get("floor_area_m2", {}).items()},
            gdp_10k_yuan=_decimal(entry["gdp_10k_yuan"]) if "gdp_10k_yuan" in entry else None,
            employees=entry.get("employees"),
        )
        for entry in profile.get("drivers", [])
    )
    return UnitProfile(
        name=name,
        kind=UnitKind(profile["kind"]),
        boundary=Boundary("scenario"),
        base_year=min((d.year for d in drivers), default=data["year"]),
        drivers=drivers,
    )


def build_records(records: list[Mapping[str, Any]], year: int) -> list[ActivityRecord]:
    return [
        ActivityRecord(
            year=record.get("year", year),
            category=SourceCategory(record["category"]),
            sector=Sector(record["sector"]),
            quantity=_decimal(record["quantity"]),
            unit=str(record["unit"]),
            quality=DataQuality(record["quality"]),
            source=record.get("source", ""),
            label=record.get("label", ""),
        )
        for record in records
    ]


# ---------------------------------------------------------------------------------------------
# Checking the results


def _close(actual: Decimal | None, expected: object, tolerance: Decimal, word: str) -> bool:
    if expected == word:
        return actual is None
    return actual is not None and abs(actual - _decimal(expected)) <= tolerance


def _totals(inv: Inventory) -> dict[str, Decimal | None]:
    return {
        "gross_tco2": inv.gross_tco2,
        "sinks_tco2": inv.sinks_tco2,
        "net_tco2": inv.net_memo_tco2,
        "total_tce": inv.total_tce,
        "renewable_tce": inv.renewable_tce,
        "electricity_kwh": inv.electricity_kwh,
        "renewable_export_kwh": inv.renewable_export_kwh,
        "green_power_claim_tco2": inv.green_power_claim_tco2,
    }


def _keyed(actual: Mapping[Any, Decimal], expected: Mapping[Any, Any]) -> dict[str, Decimal]:
    """Actual figures keyed as the file keys them; keys with no line must be expected as 0."""
    by_text = {str(getattr(k, "value", k)): v for k, v in actual.items()}
    return {str(k): by_text.get(str(k), Decimal(0)) for k in expected} | by_text


def check_inventory(inv: Inventory, expect: Mapping[str, Any], tolerance: Decimal) -> list[str]:
    failures: list[str] = []
    totals = _totals(inv)
    for key in sorted(TOTALS & set(expect)):
        if not _close(totals[key], expect[key], tolerance, NOT_AVAILABLE):
            failures.append(f"{key}: expected {expect[key]}, got {totals[key]}")
    groups = {
        "scopes": {str(int(k)): v for k, v in inv.by_scope.items()},
        "categories": inv.by_category,
        "sectors": inv.by_sector,
        "quality_shares": inv.share_by_quality(),
    }
    for key, actual in groups.items():
        if key in expect:
            found = _keyed(actual, expect[key])  # type: ignore[arg-type]
            wanted = {str(k): v for k, v in expect[key].items()}
            if set(found) != set(wanted) or not all(
                _close(found[k], wanted[k], tolerance, "") for k in wanted
            ):
                failures.append(f"{key}: expected {wanted}, got {found}")
    listed = {
        "not_estimated": sorted(line.category.value for line in inv.not_estimated),
        "missing": sorted(c.value for c in inv.completeness.missing_categories),
        "findings": sorted(f.metric.value for f in inv.completeness.implausible),
    }
    for key, actual_list in listed.items():
        if key in expect and sorted(expect[key]) != actual_list:
            failures.append(f"{key}: expected {sorted(expect[key])}, got {actual_list}")
    flags = {"is_final": inv.is_final, "drivers_missing": inv.completeness.drivers_missing}
    for key, flag in flags.items():
        if key in expect and expect[key] is not flag:
            failures.append(f"{key}: expected {expect[key]}, got {flag}")
    return failures


def check_indicators(inv: Inventory, expect: Mapping[str, Any], tolerance: Decimal) -> list[str]:
    drivers = inv.drivers
    if drivers is None:
        return ["indicators are expected but the profile has no drivers for the year"]
    by_id = calculate_indicators(inv, drivers).by_id()
    failures = []
    for key, expected in expect.items():
        actual = by_id[IndicatorId(key)].value
        if not _close(actual, expected, tolerance, NOT_APPLICABLE):
            failures.append(f"indicators.{key}: expected {expected}, got {actual}")
    return failures


def check_comparison(
    base: Inventory, current: Inventory, expect: Mapping[str, Any], tolerance: Decimal
) -> list[str]:
    comparison = compare_years(base, current, library(), base.records)
    figures = {
        "base_reported_tco2": comparison.base_reported_tco2,
        "base_like_for_like_tco2": comparison.base_like_for_like_tco2,
        "current_tco2": comparison.current_tco2,
        "factor_change_effect_tco2": comparison.factor_change_effect_tco2,
        "decline_rate": comparison.decline_rate.value,
        "per_capita_decline_rate": comparison.per_capita_decline_rate.value,
        "apparent_decline_rate": comparison.apparent_decline_rate.value,
        "factor_change_effect": comparison.factor_change_effect.value,
    }
    failures = [
        f"compare.{key}: expected {expect[key]}, got {figures[key]}"
        for key in sorted(COMPARE_FIGURES & set(expect))
        if not _close(figures[key], expect[key], tolerance, NOT_APPLICABLE)
    ]
    if "recalculated" in expect and expect["recalculated"] is not comparison.recalculated:
        failures.append(f"compare.recalculated: expected {expect['recalculated']}")
    if "provisional" in expect and expect["provisional"] is not comparison.provisional:
        failures.append(
            f"compare.provisional: expected {expect['provisional']}, caveats "
            f"{[str(c) for c in comparison.caveats]}"
        )
    if "refused" in expect:
        reason = "" if comparison.refused is None else str(comparison.refused)
        failures += [
            f"compare.refused: {word!r} not in {reason!r}"
            for word in expect["refused"]
            if word not in reason
        ]
    elif comparison.refused is not None:
        failures.append(f"compare.refused unexpectedly: {comparison.refused}")
    return failures


def _check_error(error: LowcarbonError | None, expected: Mapping[str, Any]) -> list[str]:
    if error is None:
        return [f"expected {expected['type']}, but no error was raised"]
    if not isinstance(error, ERROR_TYPES[expected["type"]]):
        return [f"expected {expected['type']}, got {type(error).__name__}: {error}"]
    text = str(error)
    return [
        f"{word!r} not in the message: {text}" for word in expected["words"] if word not in text
    ]


def run_case(data: Mapping[str, Any]) -> list[str]:
    """Failures of one well-formed case (empty when it passes)."""
    tolerance = _decimal(data["tolerance"])
    expect = data["expect"]
    profile = build_profile(data, data["name"])
    try:
        current = calculate_inventory(
            profile,
            build_records(data["records"], data["year"]),
            library(),
            data["set"],
            data["year"],
        )
        if "error" in expect:
            # An expected error may come from the indicators (a population of 0).
            check_indicators(current, {}, tolerance)
        failures = [] if "error" in expect else check_inventory(current, expect, tolerance)
        if "indicators" in expect:
            failures += check_indicators(current, expect["indicators"], tolerance)
    except LowcarbonError as error:
        return _check_error(error, expect["error"]) if "error" in expect else [repr(error)]
    if "error" in expect:
        return _check_error(None, expect["error"])
    if "compare" not in data:
        return failures
    compare = data["compare"]
    compare_expect = compare["expect"]
    try:
        base = calculate_inventory(
            profile,
            build_records(compare["records"], compare["year"]),
            library(),
            compare["set"],
            compare["year"],
        )
        failures += check_comparison(base, current, compare_expect, tolerance)
    except LowcarbonError as error:
        if "error" not in compare_expect:
            return [*failures, repr(error)]
        return failures + _check_error(error, compare_expect["error"])
    if "error" in compare_expect:
        failures += _check_error(None, compare_expect["error"])
    return failures


# ---------------------------------------------------------------------------------------------
# Tests


def test_there_are_accounting_scenarios_and_names_are_unique() -> None:
    assert len(ALL_CASES) >= 10
    names = [case.name for case in ALL_CASES]
    assert len(names) == len(set(names)), "scenario names must be unique"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: case.name)
def test_accounting_scenario(case: Case) -> None:
    problems = case_problems(case)
    assert problems == [], "\n".join(problems)
    failures = run_case(case.data)
    assert failures == [], f"{case.where}:\n" + "\n".join(failures)


# The runner itself: a case with a typo must fail, never pass silently.

GOOD: dict[str, Any] = {
    "name": "runner self-test",
    "set": "shanghai-2022",
    "year": 2024,
    "profile": {"kind": "community", "drivers": [{"year": 2024, "resident_population": 10}]},
    "records": [
        {
            "category": "electricity",
            "sector": "residential",
            "quantity": 10000,
            "unit": "kWh",
            "quality": "measured",
        }
    ],
    "tolerance": 0,
    "expect": {"gross_tco2": 4.2, "indicators": {"per_capita": 0.42}},
}


def _with(path: list[str | int], value: object) -> dict[str, Any]:
    import copy

    data = copy.deepcopy(GOOD)
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def _problems(data: object) -> list[str]:
    return case_problems(Case(FOLDER / "self-test.yaml", 0, data))


def test_the_runner_accepts_a_well_formed_case_and_runs_it() -> None:
    assert _problems(GOOD) == []
    assert run_case(GOOD) == []


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (["setting"], "x", "unknown key 'setting'"),
        (["profile", "size"], 3, "unknown key 'size'"),
        (["profile", "drivers", 0, "populaton"], 3, "unknown key 'populaton'"),
        (["records", 0, "qty"], 3, "unknown key 'qty'"),
        (["expect", "gros_tco2"], 3, "unknown key 'gros_tco2'"),
        (["expect", "indicators", "per_cap"], 3, "'per_cap' is not one of"),
        (["expect", "categories"], {"electricty": 4.2}, "unknown key 'electricty'"),
        (["expect", "error"], {"type": "NoSuchError", "words": ["x"]}, "error cannot be combined"),
        (
            ["compare"],
            {"set": "shanghai-2022", "year": 2021, "records": [], "expect": {"x": 1}},
            "unknown key 'x'",
        ),
    ],
)
def test_the_runner_refuses_unknown_keys(path: list[str | int], value: object, words: str) -> None:
    problems = _problems(_with(path, value))
    assert any(words in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "must be a mapping"),
        (_with(["set"], "shanghai-2099"), "set 'shanghai-2099'"),
        (_with(["tolerance"], -1), "tolerance"),
        (_with(["records", 0, "sector"], "housing"), "'housing' is not one of"),
        (_with(["records"], {}), "must be a list"),
        (_with(["profile", "drivers"], {}), "must be a list"),
        (_with(["profile", "drivers", 0], {"year": 2024}), "needs year and resident_population"),
        (_with(["expect"], {}), "at least one expectation"),
        (_with(["expect", "total_tce"], "n/a"), "a number or not_available"),
        (_with(["expect", "missing"], ["gas"]), "a list of categories"),
        (_with(["expect", "is_final"], "yes"), "true or false"),
    ],
)
def test_the_runner_refuses_malformed_cases(data: object, words: str) -> None:
    problems = _problems(data)
    assert any(words in problem for problem in problems), problems


def test_the_runner_reports_wrong_figures_and_missing_errors() -> None:
    assert run_case(_with(["expect", "gross_tco2"], 4.3)) == [
        "gross_tco2: expected 4.3, got 4.20000"
    ]
    expect_error = {"error": {"type": "RecordYearError", "words": ["2023"]}}
    assert run_case(_with(["expect"], expect_error)) == [
        "expected RecordYearError, but no error was raised"
    ]


def test_unreadable_files_fail_their_case(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("- name: a\n  name: b\n", encoding="utf-8")
    not_a_list = tmp_path / "mapping.yaml"
    not_a_list.write_text("name: a\n", encoding="utf-8")
    (duplicate,) = load_cases(broken)
    assert "name" in duplicate.unreadable
    assert duplicate.name == "broken.yaml[0]"
    (mapping,) = load_cases(not_a_list)
    assert mapping.unreadable == "a scenario file is a non-empty list of cases"
    assert case_problems(Case(FOLDER / "x.yaml", 0, None, "a scenario file is a list of cases"))
