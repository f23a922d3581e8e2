"""Reading accounting input files (YAML, JSON): the bundled examples and broken files."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from lowcarbon.core.accounting import run_accounting
from lowcarbon.core.activity import (
    DataQuality,
    Domain,
    ForecastAssumptions,
    Sector,
    SourceCategory,
    TargetKind,
    UnitKind,
)
from lowcarbon.core.inventory import UnknownSinkTypeError
from lowcarbon.core.units import convert
from lowcarbon.rules.activity import (
    ACTIVITY_GROUPS,
    CATEGORY_UNITS,
    DEFAULT_FACTOR_SET,
    FLOOR_AREA_TYPES,
    AccountingInput,
    accounting_input_from_data,
    accounting_input_to_data,
    check_accounting_data,
    load_accounting_file,
)
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.paths import schema_path
from lowcarbon.rules.yamlio import format_path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).parent / "fixtures" / "accounting"


@pytest.fixture(scope="module")
def community() -> AccountingInput:
    return load_accounting_file(EXAMPLES / "community" / "accounting.yaml")


@pytest.fixture(scope="module")
def zone() -> AccountingInput:
    return load_accounting_file(EXAMPLES / "zone" / "accounting.yaml")


def _total(
    accounting: AccountingInput, year: int, category: SourceCategory, sector: Sector, unit: str
) -> Decimal:
    return sum(
        (
            convert(r.quantity, r.unit, unit)
            for r in accounting.records
            if r.year == year and r.category == category and r.sector == sector
        ),
        Decimal(0),
    )


# --- the bundled examples ---------------------------------------------------------------------


def test_community_example_states_what_annex_3_asks(community: AccountingInput) -> None:
    profile = community.profile
    assert profile.kind is UnitKind.COMMUNITY
    assert profile.base_year == 2023
    assert profile.boundary.four_sides.startswith("东至")
    assert community.years == (2023, 2024, 2025)
    # The example keeps the first edition it was written with (its fuels are all in it).
    assert community.factor_set == "shanghai-2022"
    assert DEFAULT_FACTOR_SET == "shanghai-2022-v2"
    base = profile.drivers_for(2023)
    assert base is not None
    assert 2800 <= (base.households or 0) <= 3200
    assert 7500 <= base.resident_population <= 8500
    assert base.registered_population is not None
    assert base.floor_area_m2["residential"] > Decimal(100_000)
    assert [d.year for d in profile.drivers] == [2023, 2024, 2025]


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_community_magnitudes_are_plausible_for_shanghai(
    community: AccountingInput, year: int
) -> None:
    drivers = community.profile.drivers_for(year)
    assert drivers is not None
    households = Decimal(drivers.households or 0)
    electricity = _total(community, year, SourceCategory.ELECTRICITY, Sector.RESIDENTIAL, "kWh")
    gas = _total(community, year, SourceCategory.NATURAL_GAS, Sector.RESIDENTIAL, "m³")
    assert 1200 <= electricity / drivers.resident_population <= 1600
    assert 100 <= gas / households <= 150


def test_community_example_has_the_facilities_the_brief_names(community: AccountingInput) -> None:
    labels = {r.label for r in community.records}
    assert {"公共照明（道路、楼道）", "电动自行车集中充电", "公共新能源汽车充电桩"} <= labels
    keys = {r.key for r in community.records}
    assert (SourceCategory.ONSITE_RENEWABLE_ELECTRICITY, Sector.COMMERCIAL_PUBLIC) in keys
    assert (SourceCategory.TREES, Sector.LAND) in keys
    assert (SourceCategory.GREEN_SPACE, Sector.LAND) in keys
    assert 6 <= len(community.tasks) <= 10
    assert {t.kind for t in community.targets} == {
        TargetKind.PER_CAPITA,
        TargetKind.PER_CAPITA_DECLINE_RATE,
    }
    assert {t.year for t in community.targets} == {2025, 2027}
    assert community.assumptions.target_years == (2025, 2027)


def test_zone_example_has_ets_pv_and_a_near_zero_project(zone: AccountingInput) -> None:
    assert zone.profile.kind is UnitKind.ZONE
    assert zone.profile.boundary.area_km2 == Decimal("3.6")
    assert zone.factor_set == "shanghai-2023-green-power"
    assert any("碳交易企业" in r.label for r in zone.records)
    categories = {r.category for r in zone.records}
    assert {
        SourceCategory.GREEN_ELECTRICITY,
        SourceCategory.ONSITE_RENEWABLE_ELECTRICITY,
        SourceCategory.HEAT,
    } <= categories
    assert any(t.near_zero_demonstration for t in zone.tasks)
    assert any(t.key_project for t in zone.tasks)
    assert 6 <= len(zone.tasks) <= 10
    kinds = {t.kind for t in zone.targets}
    assert {TargetKind.DECLINE_RATE, TargetKind.RENEWABLE_SHARE} <= kinds
    assert TargetKind.SOURCE_SINK_RATIO in kinds
    assert sorted({t.year for t in zone.targets}) == [2025, 2027, 2030]
    # The planned 2030 drivers are kept beside the accounting years.
    assert [d.year for d in zone.profile.drivers] == [2023, 2024, 2025, 2030]
    assert zone.years == (2023, 2024, 2025)


def test_example_tasks_name_sources_and_ramps(zone: AccountingInput) -> None:
    task = next(t for t in zone.tasks if t.id == "Z01")
    assert task.domain is Domain.ENERGY
    assert task.acts_on == (
        (SourceCategory.ELECTRICITY, Sector.INDUSTRY),
        (SourceCategory.ELECTRICITY, Sector.COMMERCIAL_PUBLIC),
    )
    assert task.annual_reduction_tco2 == Decimal(5290)  # as the plan states it
    assert task.ramp_years == 4
    # … and how it arises: 12.6 GWh of self-consumed PV, from which the engine computes 5292 t
    (pv,) = [r for r in zone.reductions if r.task_id == "Z01"]
    assert (pv.change.value, pv.category, pv.quantity, pv.unit) == (
        "added",
        SourceCategory.ONSITE_RENEWABLE_ELECTRICITY,
        Decimal(1260),
        "万kWh",
    )
    assert {r.task_id for r in zone.reductions} >= {"Z01", "Z02", "Z03", "Z06", "Z08"}
    governance = next(t for t in zone.tasks if t.domain is Domain.GOVERNANCE)
    assert governance.acts_on == ()
    assert governance.ramp_years == 1


def test_records_are_grouped_as_the_workbook_sheets(zone: AccountingInput) -> None:
    order = {c: i for i, (_, members) in enumerate(ACTIVITY_GROUPS) for c in members}
    groups = [order[r.category] for r in zone.records]
    assert groups == sorted(groups)
    # Within a group, the file's order is kept.
    electricity = [r for r in zone.records if r.category is SourceCategory.ELECTRICITY]
    assert electricity[0].label == "办公楼宇及商业综合体"


def test_decimals_keep_the_digits_written(community: AccountingInput) -> None:
    record = next(r for r in community.records if r.unit == "万kWh")
    assert record.quantity == Decimal("18.6")
    assert str(record.quantity) == "18.6"
    assert record.quality is DataQuality.MEASURED


@pytest.mark.parametrize("name", ["community", "zone"])
def test_data_round_trip_is_an_identity(name: str) -> None:
    accounting = load_accounting_file(EXAMPLES / name / "accounting.yaml")
    assert accounting_input_from_data(accounting_input_to_data(accounting)) == accounting


def test_every_category_has_a_group_and_units() -> None:
    grouped = [c for _, members in ACTIVITY_GROUPS for c in members]
    assert sorted(grouped) == sorted(SourceCategory)
    assert set(CATEGORY_UNITS) == set(SourceCategory)
    assert set(FLOOR_AREA_TYPES) <= {s.value for s in Sector}


def test_schema_floor_area_types_match_the_loader() -> None:
    schema = json.loads(schema_path("accounting").read_text(encoding="utf-8"))
    driver = schema["properties"]["profile"]["properties"]["drivers"]["items"]
    assert tuple(driver["properties"]["floor_area_m2"]["properties"]) == FLOOR_AREA_TYPES
    record = schema["properties"]["records"]["items"]["properties"]
    assert record["category"]["enum"] == [c.value for c in SourceCategory]


# --- minimal files, defaults, JSON ------------------------------------------------------------


def test_minimal_file_takes_the_defaults() -> None:
    accounting = load_accounting_file(FIXTURES / "valid_minimal.yaml")
    assert accounting.factor_set == DEFAULT_FACTOR_SET
    assert accounting.years == (2023,)
    assert accounting.tasks == ()
    assert accounting.targets == ()
    assert accounting.assumptions == ForecastAssumptions()
    record = accounting.records[0]
    assert (record.source, record.label) == ("", "")
    assert accounting.profile.boundary.area_km2 is None


def _minimal() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((FIXTURES / "valid_minimal.yaml").read_text("utf-8"))
    return loaded


def test_json_files_are_read_with_lines(tmp_path: Path) -> None:
    data = _minimal()
    data["records"][0]["quantity"] = 1200000.5
    data["tasks"] = [
        {
            "id": "T01",
            "name": "LED",
            "domain": "energy",
            "acts_on": ["electricity/commercial_public"],
            "annual_reduction_tco2": 10,
            "start_year": 2021,
        }
    ]
    path = tmp_path / "accounting.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_accounting_file(path)
    error = caught.value
    assert error.key == "tasks[0].start_year"
    assert error.line is not None
    assert error.line > 1
    assert "not before the base year 2023" in error.expected.render()
    data["tasks"][0]["start_year"] = 2024
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    accounting = load_accounting_file(str(path))
    assert accounting.records[0].quantity == Decimal("1200000.5")


def test_text_is_stripped_and_geometry_kept(tmp_path: Path) -> None:
    data = _minimal()
    data["profile"]["name"] = "  测试社区 "
    polygon = {
        "type": "Polygon",
        "coordinates": [[[121.0, 31.0], [121.1, 31.0], [121.1, 31.1], [121.0, 31.0]]],
    }
    data["profile"]["boundary"]["geometry"] = polygon
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    accounting = load_accounting_file(path)
    assert accounting.profile.name == "测试社区"
    assert accounting.profile.boundary.geometry == polygon


# --- broken files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "line", "found", "expected"),
    [
        (
            "unknown_key.yaml",
            "records[0]",
            12,
            "qty",
            "only the keys category, label, quality, quantity, sector, source, unit, year",
        ),
        (
            "duplicate_key.yaml",
            "base_year",
            9,
            None,
            "each key only once in a mapping (first at line 8)",
        ),
        ("negative_quantity.yaml", "records[1].quantity", 13, -5, "a number of 0 or more"),
        (
            "unknown_unit.yaml",
            "records[0].unit",
            13,
            "kWhh",
            "a unit for electricity such as kWh, 万kWh, MWh ('kWhh' is not an accepted spelling)",
        ),
        (
            "wrong_dimension.yaml",
            "records[1].unit",
            14,
            "m³",
            "a unit of energy for electricity, such as kWh, 万kWh, MWh (m³ measures volume)",
        ),
        (
            "liquid_fuel_in_kwh.yaml",
            "records[0].unit",
            13,
            "kWh",
            "a unit of mass for diesel, such as t, kg (kWh measures energy)",
        ),
        (
            "year_out_of_range.yaml",
            "records[1].year",
            15,
            2055,
            "a year from 2013 to 2053 (the base year 2023 minus 10 to plus 30)",
        ),
        (
            "duplicate_task_id.yaml",
            "tasks[1].id",
            21,
            "T01",
            "an id not used by another task (used by tasks[0])",
        ),
        (
            "unknown_source.yaml",
            "tasks[0].acts_on[1]",
            18,
            "electricity/households",
            "a source as category/sector, e.g. electricity/residential",
        ),
        ("not_a_number.yaml", "records[0].quantity", 12, None, "a finite number"),
        (
            "duplicate_record.yaml",
            "records[2]",
            14,
            "electricity/residential 1 万kWh",
            "a record not entered before: records[0] (line 12) has the same year, category, "
            "sector, label and quantity",
        ),
        (
            "number_as_text.yaml",
            "records[0].quantity",
            12,
            "1e30",
            "a number; YAML reads 1e30 as text, not as a number",
        ),
    ],
)
def test_broken_file_error_names_file_key_line_and_expectation(
    name: str, key: str, line: int, found: object, expected: str
) -> None:
    with pytest.raises(DataFileError) as caught:
        load_accounting_file(FIXTURES / name)
    error = caught.value
    assert Path(error.path).name == name
    assert error.key == key
    assert error.line == line
    if found is not None:
        assert error.found == found
    assert expected in error.expected.render()
    # The header comment of the fixture states the same expectation.
    header = (FIXTURES / name).read_text(encoding="utf-8").split("\n", 3)[:3]
    assert f"line {line}" in " ".join(header)
    text = str(error)
    assert f"{name}:{line}" in text
    assert key in text


Edit = Callable[[dict[str, Any]], None]


def _set(path: list[str | int], value: object) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        last = path[-1]
        if isinstance(target, list) and last == len(target):
            target.append(value)
        else:
            target[last] = value

    return edit


_DRIVERS_2024 = {"year": 2024, "resident_population": 1010}
_DRIVERS_2010 = {"year": 2010, "resident_population": 900}


def _task(**fields: object) -> dict[str, Any]:
    task: dict[str, Any] = {
        "id": "T01",
        "name": "LED",
        "domain": "energy",
        "acts_on": ["electricity/commercial_public"],
        "annual_reduction_tco2": 10,
        "start_year": 2024,
    }
    task.update(fields)
    return task


@pytest.mark.parametrize(
    ("edit", "key", "code", "words"),
    [
        (
            [_set(["years"], [2024]), _set(["profile", "drivers", 1], _DRIVERS_2024)],
            "years",
            "base_year_not_accounted",
            "includes the base year 2023",
        ),
        (
            [_set(["years"], [2023, 2010]), _set(["profile", "drivers", 1], _DRIVERS_2010)],
            "years[1]",
            "year_out_of_range",
            "from 2013 to 2053",
        ),
        (
            _set(["years"], [2023, 2024]),
            "profile.drivers",
            "drivers_missing",
            "for every accounting year; missing: 2024",
        ),
        (
            _set(["records", 0, "year"], 2024),
            "profile.base_year",
            "base_year_without_records",
            "a year with activity records (records are given for 2024)",
        ),
        (
            _set(["profile", "drivers", 1], {"year": 2023, "resident_population": 5}),
            "profile.drivers[1].year",
            "duplicate_year",
            "first at drivers[0]",
        ),
        (
            _set(["profile", "drivers", 1], {"year": 1990, "resident_population": 5}),
            "profile.drivers[1].year",
            "year_out_of_range",
            "from 2013 to 2053",
        ),
        (
            [
                _set(["years"], [2023]),
                _set(["records", 1], {**_minimal()["records"][0], "year": 2024}),
            ],
            "records[1].year",
            "year_not_accounted",
            "one of the accounting years 2023",
        ),
        (
            _set(["tasks"], [_task(acts_on=[])]),
            "tasks[0].acts_on",
            "task_without_source",
            "at least one source as category/sector",
        ),
        (
            _set(["tasks"], [_task(acts_on=["waste/waste", "waste/waste"])]),
            "tasks[0].acts_on[1]",
            "duplicate_source",
            "each source only once",
        ),
        (
            _set(["tasks"], [_task(acts_on=["electricity"])]),
            "tasks[0].acts_on[0]",
            "unknown_source",
            "sectors: residential, commercial_public",
        ),
        (
            _set(["targets"], [{"kind": "decline_rate", "year": 2025, "value": 120}]),
            "targets[0].value",
            "percent_out_of_range",
            "a percentage from 0 to 100",
        ),
        (
            _set(
                ["targets"],
                [
                    {"kind": "per_capita", "year": 2025, "value": 1.2},
                    {"kind": "per_capita", "year": 2025, "value": 1.1},
                ],
            ),
            "targets[1].year",
            "duplicate_target",
            "one target per kind and year (per_capita 2025 is in targets[0])",
        ),
        (
            _set(["targets"], [{"kind": "total", "year": 2020, "value": 100}]),
            "targets[0].year",
            "year_out_of_range",
            "not before the base year 2023",
        ),
        (
            _set(["assumptions"], {"target_years": [2025, 2022]}),
            "assumptions.target_years[1]",
            "year_out_of_range",
            "not before the base year 2023",
        ),
        (
            _set(["profile", "boundary", "area_km2"], 0),
            "profile.boundary.area_km2",
            "schema_exclusiveMinimum",
            "a number greater than 0",
        ),
        (
            _set(["assumptions"], {"gdp_growth_pct": 100}),
            "assumptions.gdp_growth_pct",
            "schema_exclusiveMaximum",
            "a percentage between -100 and 100",
        ),
    ],
)
def test_semantic_checks_name_the_key(
    tmp_path: Path, edit: Edit | list[Edit], key: str, code: str, words: str
) -> None:
    data = _minimal()
    for change in edit if isinstance(edit, list) else [edit]:
        change(data)
    if "years" in data:  # first in the file, so that its problems come first
        data = {"years": data.pop("years"), **data}
    path = tmp_path / "accounting.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_accounting_file(path)
    error = caught.value
    assert (error.key, error.code) == (key, code)
    assert words in error.expected.render()
    assert error.line is not None


def test_valid_targets_and_tasks_pass(tmp_path: Path) -> None:
    data = _minimal()
    data["tasks"] = [_task(), _task(id="T02", acts_on=[], annual_reduction_tco2=0)]
    data["targets"] = [
        {"kind": "decline_rate", "year": 2025, "value": 5},
        {"kind": "decline_rate", "year": 2027, "value": 10, "overall": False, "note": "x"},
        {"kind": "total", "year": 2027, "value": 5000},
    ]
    data["assumptions"] = {"target_years": [2027, 2025], "note": None}
    path = tmp_path / "accounting.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    accounting = load_accounting_file(path)
    assert [t.id for t in accounting.tasks] == ["T01", "T02"]
    assert accounting.targets[1].overall is False
    assert accounting.assumptions.target_years == (2025, 2027)


def test_missing_file_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        load_accounting_file(tmp_path / "none.yaml")
    assert caught.value.code == "file_missing"


# --- the checker on partial data (the workbook reader leaves unreadable cells out) -------------


def test_checker_tolerates_absent_values() -> None:
    data: dict[str, Any] = {
        "profile": {"drivers": [{}, {"year": 2023}]},
        "records": [{"year": 2023}, {"category": "electricity"}],
        "tasks": [{"acts_on": [7]}, {"annual_reduction_tco2": 5}],
        "targets": [{"kind": "total"}, {"value": 200, "kind": "decline_rate"}],
    }
    codes = [issue.code for issue in check_accounting_data(data)]
    # No base year: no range checks; no ids or sources to compare but the wrong one.
    assert codes == ["unknown_source", "task_without_source", "percent_out_of_range"]


def test_checker_without_drivers_leaves_them_to_the_caller() -> None:
    data: dict[str, Any] = {
        "profile": {"base_year": 2023, "drivers": []},
        "records": [{"year": 2023, "category": "trees", "unit": "株"}],
    }
    assert check_accounting_data(data) == []


# --- the boundary polygon (附件2 一: 四至边界) -----------------------------------------------

SQUARE = (
    "{type: Polygon, coordinates: [[[121.44, 31.22], [121.4465, 31.22], [121.4465, 31.2255], "
    "[121.44, 31.2255], [121.44, 31.22]]]}"
)


def _with_boundary(tmp_path: Path, area: str | None, geometry: str) -> Path:
    source = (Path(__file__).parents[2] / "examples" / "community" / "accounting.yaml").read_text(
        encoding="utf-8"
    )
    replacement = f"    geometry: {geometry}\n"
    if area is not None:
        replacement = f"    area_km2: {area}\n" + replacement
    text = source.replace("    area_km2: 0.38\n", replacement)
    path = tmp_path / "accounting.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_polygon_that_agrees_with_the_stated_area_is_accepted(tmp_path: Path) -> None:
    data = load_accounting_file(_with_boundary(tmp_path, "0.38", SQUARE))
    assert data.profile.boundary.area_km2 == Decimal("0.38")
    assert data.profile.boundary.geometry is not None


def test_the_area_is_taken_from_the_polygon_when_not_stated(tmp_path: Path) -> None:
    data = load_accounting_file(_with_boundary(tmp_path, None, SQUARE))
    area = data.profile.boundary.area_km2
    assert area is not None
    assert Decimal("0.37") < area < Decimal("0.39")


def test_a_stated_area_far_from_the_polygon_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        load_accounting_file(_with_boundary(tmp_path, "3.8", SQUARE))
    assert caught.value.key == "profile.boundary.area_km2"
    assert "the area of the boundary polygon" in caught.value.message.render()


def test_a_malformed_polygon_is_refused(tmp_path: Path) -> None:
    unclosed = "{type: Polygon, coordinates: [[[121.44, 31.22], [121.45, 31.22], [121.45, 31.23], [121.44, 31.23]]]}"  # noqa: E501
    with pytest.raises(DataFileError) as caught:
        load_accounting_file(_with_boundary(tmp_path, "0.38", unclosed))
    assert caught.value.key == "profile.boundary.geometry"


def test_records_of_another_year_or_label_are_not_duplicates() -> None:
    data = _minimal()
    first = data["records"][0]
    data["records"] += [
        {**first, "year": 2024},
        {**first, "label": "另一栋楼"},
        {**first, "unit": "no such unit"},  # its own problem, not a duplicate
        {**first, "quantity": "x"},  # unreadable: reported by the schema, not here
    ]
    codes = [issue.code for issue in check_accounting_data(data)]
    assert "duplicate_record" not in codes


def test_engine_errors_on_a_record_name_the_file_and_its_line(tmp_path: Path) -> None:
    data = _minimal()
    data["records"].append(
        {
            "year": 2023,
            "category": "trees",
            "sector": "land",
            "quantity": 10,
            "unit": "株",
            "quality": "measured",
            "label": "香樟",
        }
    )
    path = tmp_path / "社区核算.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    accounting = load_accounting_file(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    # The record starts on the line before its category: "- year: 2023".
    line = next(n for n, text in enumerate(lines) if text.strip() == "category: trees")
    tree = next(r for r in accounting.records if r.category is SourceCategory.TREES)
    assert tree.origin == f"社区核算.yaml:{line}"
    with pytest.raises(UnknownSinkTypeError) as caught:
        run_accounting(accounting, load_factor_library())
    assert f"at 社区核算.yaml:{line} (" in str(caught.value)
    # Where a record was read is not part of the data: it never reaches a saved file.
    assert "origin" not in accounting_input_to_data(accounting)["records"][0]


@pytest.mark.parametrize("category", ["diesel", "gasoline", "lng", "kerosene", "coal"])
def test_litres_are_refused_for_every_fuel_as_no_density_is_cited(category: str) -> None:
    data = _minimal()
    data["records"].append({**data["records"][0], "category": category, "unit": "L"})
    (issue,) = check_accounting_data(data)
    assert issue.code == "unit_dimension"
    assert f"a unit of mass for {category}, such as t, kg (L measures volume)" in str(
        issue.expected
    )
    assert "L" not in CATEGORY_UNITS[SourceCategory(category)]


def test_a_year_can_keep_its_own_factor_set_and_reads_back(tmp_path: Path) -> None:
    accounting = load_accounting_file(FIXTURES / "per_year_sets.yaml")
    assert accounting.year_factor_sets == {2020: "shanghai-2012"}
    assert accounting.factor_set_for(2024) == "shanghai-2022-v2"
    data = accounting_input_to_data(accounting)
    assert data["factor_sets"] == [{"year": 2020, "set": "shanghai-2012"}]
    assert "year_factor_sets" not in data
    assert accounting_input_from_data(data) == accounting


@pytest.mark.parametrize(
    ("sets", "key", "code", "words"),
    [
        (
            [{"year": 2023, "set": "shanghai-2012"}, {"year": 2023, "set": "shanghai-2022"}],
            "factor_sets[1].year",
            "duplicate_year",
            "first at factor_sets[0]",
        ),
        (
            [{"year": 2024, "set": "shanghai-2012"}],
            "factor_sets[0].year",
            "year_not_accounted",
            "2023",
        ),
        (
            [{"year": 1990, "set": "shanghai-2012"}],
            "factor_sets[0].year",
            "year_out_of_range",
            "2013",
        ),
    ],
)
def test_a_years_own_factor_set_must_name_an_accounting_year_once(
    tmp_path: Path, sets: list[dict[str, object]], key: str, code: str, words: str
) -> None:
    data = {**_minimal(), "factor_sets": sets}
    path = tmp_path / "accounting.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_accounting_file(path)
    assert (caught.value.key, caught.value.code) == (key, code)
    assert words in caught.value.expected.render()


_PROJECT = {
    "task": "T01",
    "change": "avoided",
    "category": "electricity",
    "quantity": 10000,
    "unit": "kWh",
    "factor": {
        "value": 0.5,
        "unit": "kgCO2/kWh",
        "source": "节能量审核报告（2024）",
        "confidence": "secondary",
    },
}


def test_reductions_with_a_project_factor_read_back_as_written(tmp_path: Path) -> None:
    data = {**_minimal(), "tasks": [_task()], "reductions": [_PROJECT]}
    del data["tasks"][0]["annual_reduction_tco2"]
    path = tmp_path / "accounting.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    accounting = load_accounting_file(path)
    (activity,) = accounting.reductions
    assert activity.factor is not None
    assert (activity.factor.value, activity.factor.source) == (
        Decimal("0.5"),
        "节能量审核报告（2024）",
    )
    assert activity.origin.startswith("accounting.yaml:")
    (task,) = accounting.tasks
    assert not task.reduction_stated  # nothing typed: the reduction is computed
    back = accounting_input_to_data(accounting)
    assert "annual_reduction_tco2" not in back["tasks"][0]
    assert back["reductions"] == [
        {
            **_PROJECT,
            "quantity": Decimal(10000),
            "factor": {**_PROJECT["factor"], "value": Decimal("0.5")},
        }
    ]
    assert accounting_input_from_data(back) == accounting


@pytest.mark.parametrize(
    ("change", "key", "code", "words"),
    [
        (
            {"task": "T9"},
            "reductions[0].task",
            "unknown_task",
            "the id of a task of this file: T01",
        ),
        (
            {"unit": "m³"},
            "reductions[0].unit",
            "unit_dimension",
            "a unit of energy for electricity",
        ),
        (
            {
                "factor": {
                    "value": 0.5,
                    "unit": "kgCO2/kWh",
                    "source": "",
                    "confidence": "secondary",
                }
            },
            "reductions[0].factor",
            "project_factor_incomplete",
            "missing: source",
        ),
        (
            {"factor": {**_PROJECT["factor"], "unit": "kgCO2/kWhh"}},  # type: ignore[dict-item]
            "reductions[0].factor.unit",
            "unknown_unit",
            "a factor unit such as tCO2/t",
        ),
    ],
)
def test_a_reduction_activity_is_checked_naming_its_key(
    change: dict[str, object], key: str, code: str, words: str
) -> None:
    data = {**_minimal(), "tasks": [_task()], "reductions": [{**_PROJECT, **change}]}
    (issue,) = check_accounting_data(data)
    assert (format_path(issue.path), issue.code) == (key, code)
    assert words in str(issue.expected)


def test_a_task_whose_activities_change_emissions_names_its_sources() -> None:
    data = {**_minimal(), "tasks": [_task(acts_on=[])], "reductions": [_PROJECT]}
    del data["tasks"][0]["annual_reduction_tco2"]
    (issue,) = check_accounting_data(data)
    assert issue.code == "task_without_source"
    trees = {**_PROJECT, "change": "added", "category": "trees", "unit": "株", "label": "硬阔Ⅱ类"}
    del trees["factor"]
    data["reductions"] = [trees]  # sinks only: no source needed
    assert check_accounting_data(data) == []


def test_a_reduction_category_without_factor_is_left_to_the_schema_and_the_engine() -> None:
    # The schema refuses waste on reductions; the checker does not judge its unit.
    waste = {**_PROJECT, "category": "waste", "unit": "t"}
    del waste["factor"]
    data = {**_minimal(), "tasks": [_task()], "reductions": [waste]}
    assert check_accounting_data(data) == []
