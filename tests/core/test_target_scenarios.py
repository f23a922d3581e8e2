"""Forecast and target scenarios as data: every case in ``tests/scenarios/targets/*.yaml`` is one
pytest test.

A scenario file is a YAML list of cases. Every key is checked, and an unknown key anywhere in a
case fails it, so a typo in test data can never pass silently::

    - name: a sentence stating the behaviour       # the pytest id; unique across all files
      baseline:                                    # → forecast.Baseline
        year: 2022
        emissions: {electricity/residential: 1000} # "category/sector": tCO2
        population: 5000                           # resident population of the base year
        floor_area_m2: 100000                      # optional (total)
        gdp_10k_yuan: 10000                        # optional
        energy_tce: 1000                           # optional, like the four below (default 0)
        renewable_tce: 50
        renewable_kwh: 0
        electricity_kwh: 0
        sinks_tco2: 12
      drivers: [{year: 2025, population: 6000}]    # optional planned drivers (also floor, GDP)
      assumptions: {population_growth_pct: 1, efficiency_improvement_pct: 1, target_years: []}
      years: [2025]                                # optional; default: base … last target year
      tasks:                                       # optional → activity.Task
        - {id: A, domain: energy, acts_on: [electricity/residential], reduction: 300,
           start: 2023, ramp: 1, renewable_kwh: 0, sink: 0, name: optional}
      targets:                                     # optional → activity.Target
        - {kind: per_capita, year: 2025, value: 0.24, overall: true}
      margin: 0.000001                             # optional absolute tolerance
      expect:                                      # at least one key
        bau: {2025: 1500}                          # totals by year; plan, energy, electricity,
        bau_sources: {2025: {electricity/residential: 1000}}  # population, renewable_tce,
        reductions: {2025: {A: 300}}               # renewable_kwh and sinks likewise
        removed: {2025: 0}                         # double counting removed, tCO2
        checks: [{kind, year, met, reached, margin, allowed, required, tasks, gap, surplus}]
        staged: {total: true}                      # kind → monotone
        consistency: true
        decomposition: {year, kind, required, tasks, gap, domains: {energy: [350, 70]},
                        task_shares: {A: [300, 60]}}   # or null
        notes: [words]                             # in the BAU and plan notes together
        error: {type: TaskError, words: [...]}     # alone: the inputs must be refused

Numbers are compared as Decimal (``Decimal(str(yaml_number))``) within ``margin``. Each expected
number is worked out by hand in the file, never copied from the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lowcarbon.core import forecast, targets
from lowcarbon.core.activity import (
    Domain,
    ForecastAssumptions,
    Sector,
    SourceCategory,
    SourceKey,
    Target,
    TargetKind,
    Task,
    YearDrivers,
)
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.forecast import Baseline, forecast_bau, forecast_plan
from lowcarbon.core.targets import TargetReport, check_targets
from tests.scenario_cases import Case, load_cases

SCENARIOS = Path(__file__).parents[1] / "scenarios" / "targets"
DEFAULT_MARGIN = Decimal("0.000001")

CASE_KEYS = {
    "name",
    "baseline",
    "drivers",
    "assumptions",
    "years",
    "tasks",
    "targets",
    "margin",
    "expect",
}
REQUIRED_KEYS = {"name", "baseline", "expect"}
BASELINE_KEYS = {
    "year",
    "emissions",
    "population",
    "floor_area_m2",
    "gdp_10k_yuan",
    "energy_tce",
    "renewable_tce",
    "renewable_kwh",
    "electricity_kwh",
    "sinks_tco2",
}
DRIVER_KEYS = {"year", "population", "floor_area_m2", "gdp_10k_yuan"}
ASSUMPTION_KEYS = {
    "population_growth_pct",
    "floor_area_growth_pct",
    "gdp_growth_pct",
    "efficiency_improvement_pct",
    "target_years",
}
TASK_KEYS = {
    "id",
    "name",
    "domain",
    "acts_on",
    "reduction",
    "start",
    "ramp",
    "renewable_kwh",
    "sink",
}
TARGET_KEYS = {"kind", "year", "value", "overall"}
YEAR_SERIES = {
    "bau",
    "plan",
    "energy",
    "electricity",
    "population",
    "renewable_tce",
    "renewable_kwh",
    "sinks",
    "removed",
}
EXPECT_KEYS = YEAR_SERIES | {
    "bau_sources",
    "reductions",
    "checks",
    "staged",
    "consistency",
    "decomposition",
    "notes",
    "error",
}
CHECK_KEYS = {
    "kind",
    "year",
    "met",
    "reached",
    "margin",
    "allowed",
    "required",
    "tasks",
    "gap",
    "surplus",
}
DECOMPOSITION_KEYS = {"year", "kind", "required", "tasks", "gap", "domains", "task_shares"}
ERROR_KEYS = {"type", "words"}
ERRORS: dict[str, type[LowcarbonError]] = {
    name: getattr(module, name)
    for module in (forecast, targets)
    for name in module.__all__
    if name.endswith("Error")
}


FILES = sorted(SCENARIOS.glob("*.yaml"))
ALL_CASES = [case for path in FILES for case in load_cases(path, SCENARIOS)]


# ---------------------------------------------------------------------------------------------
# Shape checks


def _unknown(mapping: Mapping[str, Any], allowed: set[str], where: str) -> list[str]:
    return [f"{where}: unknown key {key!r}" for key in mapping if key not in allowed]


def _mapping(value: object, allowed: set[str], where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: a mapping"]
    return _unknown(value, allowed, where)


def _list_of_mappings(value: object, allowed: set[str], where: str) -> list[str]:
    if not isinstance(value, list):
        return [f"{where}: a list"]
    return [p for i, item in enumerate(value) for p in _mapping(item, allowed, f"{where}[{i}]")]


def _expect_problems(expect: object, where: str) -> list[str]:
    if not isinstance(expect, dict) or not expect:
        return [f"{where}: expect must be a non-empty mapping"]
    problems = _unknown(expect, EXPECT_KEYS, where)
    if "error" in expect:
        if set(expect) != {"error"}:
            problems.append(f"{where}: error cannot be combined with other expectations")
        problems += _mapping(expect["error"], ERROR_KEYS, f"{where}.error")
        error = expect["error"] if isinstance(expect["error"], dict) else {}
        if error.get("type") not in ERRORS:
            problems.append(f"{where}.error.type: one of {sorted(ERRORS)}")
        words = error.get("words")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            problems.append(f"{where}.error.words: a non-empty list of words")
    for key in YEAR_SERIES | {"bau_sources", "reductions", "staged"}:
        if key in expect and not isinstance(expect[key], dict):
            problems.append(f"{where}.{key}: a mapping")
    if "checks" in expect:
        problems += _list_of_mappings(expect["checks"], CHECK_KEYS, f"{where}.checks")
    if expect.get("decomposition") is not None:
        problems += _mapping(expect["decomposition"], DECOMPOSITION_KEYS, f"{where}.decomposition")
    if "notes" in expect and not isinstance(expect["notes"], list):
        problems.append(f"{where}.notes: a list of words")
    return problems


def case_problems(case: Case) -> list[str]:
    """Everything wrong with the form of one case (empty when it is well formed)."""
    data, where = case.data, case.where
    if case.unreadable:
        return [f"{where}: {case.unreadable}"]
    if not isinstance(data, dict):
        return [f"{where}: a case must be a mapping"]
    problems = _unknown(data, CASE_KEYS, where)
    problems += [f"{where}: missing {key!r}" for key in sorted(REQUIRED_KEYS - set(data))]
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        problems.append(f"{where}: name must be a sentence")
    problems += _mapping(data.get("baseline"), BASELINE_KEYS, f"{where}.baseline")
    if "assumptions" in data:
        problems += _mapping(data["assumptions"], ASSUMPTION_KEYS, f"{where}.assumptions")
    for key, allowed in (("drivers", DRIVER_KEYS), ("tasks", TASK_KEYS), ("targets", TARGET_KEYS)):
        if key in data:
            problems += _list_of_mappings(data[key], allowed, f"{where}.{key}")
    if "expect" in data:
        problems += _expect_problems(data["expect"], f"{where}.expect")
    return problems


def test_scenario_files_exist_and_names_are_unique() -> None:
    assert FILES, f"no scenario files in {SCENARIOS}"
    names = [case.name for case in ALL_CASES]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"duplicate case names: {duplicates}"


def test_an_unknown_key_anywhere_in_a_case_is_reported() -> None:
    case = Case(
        SCENARIOS / "synthetic.yaml",
        0,
        {
            "name": "synthetic",
            "baseline": {"year": 2022, "emisions": {}},
            "tasks": [{"id": "A", "reduce": 1}],
            "targets": [{"kind": "total", "year": 2025, "valeu": 1}],
            "drivers": [{"year": 2025, "pop": 1}],
            "assumptions": {"growth": 1},
            "expect": {
                "plan": {},
                "checks": [{"kind": "total", "gapp": 0}],
                "decomposition": {"yeer": 2025},
                "eror": {},
            },
            "extra": 1,
        },
    )
    problems = "\n".join(case_problems(case))
    for key in ("emisions", "reduce", "valeu", "pop", "growth", "gapp", "yeer", "eror", "extra"):
        assert f"unknown key {key!r}" in problems


def test_malformed_cases_are_reported() -> None:
    where = SCENARIOS / "synthetic.yaml"
    assert case_problems(Case(where, 0, None, unreadable="broken")) == [
        "synthetic.yaml[0] (synthetic.yaml[0]): broken"
    ]
    assert case_problems(Case(where, 0, [1])) == [
        "synthetic.yaml[0] (synthetic.yaml[0]): a case must be a mapping"
    ]
    problems = "\n".join(
        case_problems(
            Case(
                where,
                0,
                {
                    "name": " ",
                    "baseline": [],
                    "tasks": {},
                    "expect": {"error": {"type": "Nope", "words": []}, "bau": []},
                },
            )
        )
    )
    for words in (
        "name must be a sentence",
        "baseline: a mapping",
        "tasks: a list",
        "error cannot be combined",
        "error.type: one of",
        "error.words: a non-empty list",
        "bau: a mapping",
    ):
        assert words in problems
    assert "notes: a list" in "\n".join(
        _expect_problems({"notes": "words"}, "x") + _expect_problems({}, "y")
    )
    assert _expect_problems({}, "y") == ["y: expect must be a non-empty mapping"]


def test_unreadable_files_become_failing_cases(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("- name: a\n  name: b\n", encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("{}\n", encoding="utf-8")
    assert load_cases(broken)[0].unreadable
    assert load_cases(empty)[0].unreadable == "a scenario file is a non-empty list of cases"


# ---------------------------------------------------------------------------------------------
# Building the inputs


def _d(value: object) -> Decimal:
    assert isinstance(value, int | float), value
    assert not isinstance(value, bool), value
    return Decimal(str(value))


def _source(text: str) -> SourceKey:
    category, _, sector = text.partition("/")
    return SourceCategory(category), Sector(sector)


def _drivers(data: Mapping[str, Any]) -> YearDrivers:
    floor = data.get("floor_area_m2")
    gdp = data.get("gdp_10k_yuan")
    return YearDrivers(
        year=data["year"],
        resident_population=data["population"],
        floor_area_m2={"total": _d(floor)} if floor is not None else {},
        gdp_10k_yuan=_d(gdp) if gdp is not None else None,
    )


def build_baseline(data: Mapping[str, Any]) -> Baseline:
    return Baseline(
        year=data["year"],
        emissions_tco2={_source(k): _d(v) for k, v in data["emissions"].items()},
        drivers=_drivers(data),
        energy_tce=_d(data.get("energy_tce", 0)),
        renewable_tce=_d(data.get("renewable_tce", 0)),
        renewable_kwh=_d(data.get("renewable_kwh", 0)),
        electricity_kwh=_d(data.get("electricity_kwh", 0)),
        sinks_tco2=_d(data.get("sinks_tco2", 0)),
    )


def build_task(data: Mapping[str, Any]) -> Task:
    return Task(
        id=data["id"],
        name=data.get("name", data["id"]),
        domain=Domain(data["domain"]),
        acts_on=tuple(_source(s) for s in data["acts_on"]),
        annual_reduction_tco2=_d(data["reduction"]),
        start_year=data["start"],
        ramp_years=data.get("ramp", 1),
        adds_renewable_kwh=_d(data.get("renewable_kwh", 0)),
        adds_sink_tco2=_d(data.get("sink", 0)),
    )


def build_target(data: Mapping[str, Any]) -> Target:
    return Target(
        TargetKind(data["kind"]), data["year"], _d(data["value"]), data.get("overall", True)
    )


def build_assumptions(data: Mapping[str, Any]) -> ForecastAssumptions:
    return ForecastAssumptions(
        population_growth_pct=_d(data.get("population_growth_pct", 0)),
        floor_area_growth_pct=_d(data.get("floor_area_growth_pct", 0)),
        gdp_growth_pct=_d(data.get("gdp_growth_pct", 0)),
        efficiency_improvement_pct=_d(data.get("efficiency_improvement_pct", 0)),
        target_years=tuple(data.get("target_years", ())),
    )


@dataclass(frozen=True)
class Outcome:
    bau: tuple[forecast.YearProjection, ...]
    plan: forecast.PlanForecast
    report: TargetReport


def run_case(data: Mapping[str, Any]) -> Outcome:
    baseline = build_baseline(data["baseline"])
    tasks = [build_task(t) for t in data.get("tasks", [])]
    wanted = [build_target(t) for t in data.get("targets", [])]
    assumptions = build_assumptions(data.get("assumptions", {}))
    years = data.get("years")
    bau = forecast_bau(baseline, [_drivers(d) for d in data.get("drivers", [])], assumptions, years)
    plan = forecast_plan(bau, tasks)
    return Outcome(bau, plan, check_targets(baseline, bau, plan, wanted, tasks))


# ---------------------------------------------------------------------------------------------
# Comparing


def _close(got: Decimal | None, wanted: object, margin: Decimal, what: str) -> None:
    if wanted is None:
        assert got is None, f"{what}: expected none, got {got}"
        return
    assert got is not None, f"{what}: expected {wanted}, got none"
    assert abs(got - _d(wanted)) <= margin, f"{what}: expected {wanted}, got {got}"


def _series(outcome: Outcome, key: str, year: int) -> Decimal:
    projection = next(p for p in outcome.bau if p.year == year)
    planned = outcome.plan.get(year)
    assert planned is not None
    values = {
        "bau": projection.emissions_tco2,
        "plan": planned.emissions_tco2,
        "energy": projection.energy_tce,
        "electricity": projection.electricity_kwh,
        "population": projection.population,
        "renewable_tce": planned.renewable_tce,
        "renewable_kwh": planned.renewable_kwh,
        "sinks": planned.sinks_tco2,
        "removed": sum((o.removed_tco2 for o in planned.overlaps), Decimal(0)),
    }
    return values[key]


def _check_report(expect: Mapping[str, Any], report: TargetReport, margin: Decimal) -> None:
    for wanted in expect.get("checks", []):
        kind, year = TargetKind(wanted["kind"]), wanted["year"]
        got = report.check(kind, year)
        where = f"{kind.value} {year}"
        if "met" in wanted:
            assert got.met is wanted["met"], f"{where}: met"
        for key in ("reached", "margin"):
            if key in wanted:
                _close(getattr(got, key), wanted[key], margin, f"{where} {key}")
        requirement_keys = {"allowed", "required", "tasks", "gap", "surplus"} & set(wanted)
        if requirement_keys:
            assert got.requirement is not None, f"{where}: no requirement"
            for key in sorted(requirement_keys):
                _close(
                    getattr(got.requirement, f"{key}_tco2"), wanted[key], margin, f"{where} {key}"
                )
        assert got.explanation.render()
    staged = {s.kind.value: s.monotone for s in report.staged}
    for kind_name, monotone in expect.get("staged", {}).items():
        assert staged[kind_name] is monotone, f"staged {kind_name}"
    if "consistency" in expect:
        assert report.consistency is expect["consistency"], report.consistency_explanation.render()
    if "decomposition" in expect:
        _check_decomposition(expect["decomposition"], report, margin)


def _check_decomposition(wanted: Any, report: TargetReport, margin: Decimal) -> None:
    got = report.decomposition
    if wanted is None:
        assert got is None
        return
    assert got is not None
    if "year" in wanted:
        assert got.year == wanted["year"]
    if "kind" in wanted:
        assert got.kind.value == wanted["kind"]
    for key in ("required", "tasks", "gap"):
        if key in wanted:
            _close(getattr(got, f"{key}_tco2"), wanted[key], margin, f"decomposition {key}")
    for group, shares in (("domains", got.domains), ("task_shares", got.tasks)):
        by_key = {share.key: share for share in shares}
        for key, (reduction, share) in wanted.get(group, {}).items():
            _close(by_key[key].reduction_tco2, reduction, margin, f"{group} {key} tCO2")
            _close(by_key[key].share_pct, share, margin, f"{group} {key} %")
    assert got.explanation.render()


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.name for case in ALL_CASES])
def test_scenario(case: Case) -> None:
    problems = case_problems(case)
    assert not problems, "\n".join(problems)
    data = case.data
    expect = data["expect"]
    margin = _d(data["margin"]) if "margin" in data else DEFAULT_MARGIN

    if "error" in expect:
        error_class = ERRORS[expect["error"]["type"]]
        with pytest.raises(error_class) as caught:
            run_case(data)
        text = caught.value.message.render()
        missing = [w for w in expect["error"]["words"] if w not in text]
        assert not missing, f"{missing} not in: {text}"
        return

    outcome = run_case(data)
    for key in sorted(YEAR_SERIES & set(expect)):
        for year, value in expect[key].items():
            _close(_series(outcome, key, year), value, margin, f"{key} {year}")
    for year, sources in expect.get("bau_sources", {}).items():
        projection = next(p for p in outcome.bau if p.year == year)
        for source, value in sources.items():
            got = projection.emissions_by_source[_source(source)]
            _close(got, value, margin, f"bau {year} {source}")
    for year, by_task in expect.get("reductions", {}).items():
        planned = outcome.plan.get(year)
        assert planned is not None, f"plan {year}"
        for task_id, value in by_task.items():
            _close(planned.effect(task_id).counted_tco2, value, margin, f"{task_id} {year}")
    if "notes" in expect:
        notes = [m.render() for m in (*outcome.bau[0].notes, *outcome.plan.notes)]
        text = "\n".join(notes)
        missing = [w for w in expect["notes"] if w not in text]
        assert not missing, f"{missing} not in the notes:\n{text}"
    _check_report(expect, outcome.report, margin)
