"""The bundled factor library loads, resolves and cites; broken files say where and what is right.

Each folder in fixtures/factors/ is a small library with one deliberately broken file; that
file's first lines say which key and line the error must name and which words it must contain.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.core.factors import (
    DERIVATION_TOLERANCE,
    CategoryNotCoveredError,
    Confidence,
    FactorKind,
    FactorLibrary,
    Gas,
    OutsideValidityError,
    check_derivations,
)
from lowcarbon.rules import factors as factors_module
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.paths import data_dir

FIXTURES = Path(__file__).parent / "fixtures" / "factors"
CASES = sorted(path for path in FIXTURES.iterdir() if path.is_dir())
ON = date(2024, 6, 30)


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    return load_factor_library()


def test_every_exported_name_exists() -> None:
    for name in factors_module.__all__:
        assert hasattr(factors_module, name), name


def test_the_bundled_library_is_read_from_data_factors(library: FactorLibrary) -> None:
    again = load_factor_library(data_dir() / "factors")
    assert set(again.factors) == set(library.factors)
    assert set(again.sets) == set(library.sets)


# -- The default: Shanghai 4.2 / 0.06 (沪环气〔2022〕34号), accounting-method.md §5.2 ----------


def test_a_million_kwh_under_shanghai_2022_is_exactly_420_tco2(library: FactorLibrary) -> None:
    electricity = library.resolve("shanghai-2022", "electricity", ON)
    assert electricity.apply(Decimal(1_000_000), "kWh", "tCO2") == Decimal(420)
    assert electricity.apply(Decimal(100), "万kWh", "tCO2") == Decimal(420)
    assert electricity.apply(Decimal(1000), "MWh", "tCO2") == Decimal(420)
    assert electricity.factor_id == "electricity/shanghai-purchased"
    assert electricity.source_id == "EL-SH-2022"
    assert electricity.valid_from == date(2022, 2, 11)
    assert "沪环气〔2022〕34号" in electricity.reference
    assert electricity.confidence is Confidence.PRIMARY
    assert not electricity.low_confidence


def test_shanghai_2022_heat_is_0_06_tco2_per_gj(library: FactorLibrary) -> None:
    heat = library.resolve("shanghai-2022", "heat", ON)
    assert heat.apply(Decimal(1000), "GJ", "tCO2") == Decimal(60)
    assert heat.source_id == "HT-SH-2022"


def test_shanghai_2022_holds_one_value_for_base_and_target_years(library: FactorLibrary) -> None:
    values = {
        library.resolve("shanghai-2022", "electricity", date(year, 12, 31)).value
        for year in (2015, 2020, 2025, 2030, 2060)
    }
    assert values == {Decimal("4.2")}


def test_shanghai_2022_covers_the_categories_of_the_issue(library: FactorLibrary) -> None:
    categories = set(library.factor_set("shanghai-2022").categories)
    assert {"electricity", "heat", "natural_gas", "lpg", "diesel", "gasoline", "fuel_oil"} <= (
        categories
    )
    assert "electricity_coal_equivalent" in categories
    assert "tree_green_space" in categories


def test_shanghai_2022_supersedes_the_2012_defaults(library: FactorLibrary) -> None:
    assert library.factor_set("shanghai-2022").supersedes == "shanghai-2012"
    old = library.resolve("shanghai-2012", "electricity", date(2020, 1, 1))
    assert old.apply(Decimal(1_000_000), "kWh", "tCO2") == Decimal(788)
    assert library.resolve("shanghai-2012", "heat", date(2020, 1, 1)).value == Decimal("0.11")


def test_the_2012_set_ends_the_day_before_34_hao(library: FactorLibrary) -> None:
    assert library.resolve("shanghai-2012", "electricity", date(2022, 2, 10)).value == Decimal(
        "7.88"
    )
    with pytest.raises(OutsideValidityError):
        library.resolve("shanghai-2012", "electricity", date(2022, 2, 11))


def test_a_category_a_set_lacks_raises(library: FactorLibrary) -> None:
    with pytest.raises(CategoryNotCoveredError, match="'green_electricity'"):
        library.resolve("shanghai-2022", "green_electricity", ON)


def test_green_power_has_its_own_set(library: FactorLibrary) -> None:
    green = library.resolve("shanghai-2023-green-power", "green_electricity", ON)
    assert green.apply(Decimal(1_000_000), "kWh", "tCO2") == 0
    assert "沪环气候〔2023〕89号" in green.reference
    other = library.resolve("shanghai-2023-green-power", "electricity", ON)
    assert other.value == Decimal("4.2")


@pytest.mark.parametrize(("year", "value"), [(2021, "0.5834"), (2022, "0.5849"), (2023, "0.5737")])
def test_mee_sensitivity_sets_hold_for_their_data_year_only(
    library: FactorLibrary, year: int, value: str
) -> None:
    set_id = f"mee-shanghai-{year}"
    electricity = library.resolve(set_id, "electricity", date(year, 7, 1))
    assert electricity.value == Decimal(value)
    assert electricity.unit.text == "kgCO2/kWh"
    assert library.resolve(set_id, "heat", date(year, 7, 1)).value == Decimal("0.06")
    with pytest.raises(OutsideValidityError):
        library.resolve(set_id, "electricity", date(year + 1, 1, 1))
    with pytest.raises(OutsideValidityError):
        library.resolve(set_id, "electricity", date(year - 1, 12, 31))


def test_national_grid_averages_are_dated_by_data_year(library: FactorLibrary) -> None:
    china = library.factor("electricity/china-average")
    assert [(v.valid_from.year, v.value) for v in china.values] == [
        (2021, Decimal("0.5568")),
        (2022, Decimal("0.5366")),
        (2023, Decimal("0.5306")),
    ]
    assert china.value_on(date(2022, 6, 1)).source_id == "EL-CN-2022"


# -- Citation and confidence ---------------------------------------------------------------


# Rows added to the library with shanghai-2022-v2 (not in emission-factors.csv): the parameters
# and derived factors of the fuels the workbook offers, and GB/T 2589-2020 coal equivalents.
ADDED_ROWS = {
    *(f"FU-IPCC-{fuel}-{part}" for fuel in ("COKE", "CRUDE", "REFGAS") for part in ("NCV", "CC")),
    *(f"FU-IPCC-{fuel}-EF" for fuel in ("COKE", "CRUDE", "REFGAS", "LNG")),
    "FU-CN-KEROSENE-EF",
    "FU-CN-BITUMINOUS-EF",
    *(
        f"EN-GB2589-{fuel}-TCE"
        for fuel in (
            "RAWCOAL",
            "COKE",
            "CRUDE",
            "FUELOIL",
            "GASOLINE",
            "KEROSENE",
            "DIESEL",
            "LPG",
            "REFGAS",
            "LNG",
            "NG",
        )
    ),
}


def test_every_csv_row_is_transcribed_once_with_its_reference(library: FactorLibrary) -> None:
    values = [value for factor in library.factors.values() for value in factor.values]
    source_ids = [value.source_id for value in values]
    assert len(source_ids) == len(set(source_ids)) == 113 + len(ADDED_ROWS)
    assert set(source_ids) >= ADDED_ROWS
    for value in values:
        assert value.reference.strip()
    assert {"EL-SH-2012", "EL-SH-2022", "HT-SH-2022", "FU-CN-NG-EF", "WA-TAPWATER-UNTRACED"} <= (
        set(source_ids)
    )


def test_values_are_kept_as_published_decimals(library: FactorLibrary) -> None:
    assert library.factor("electricity/china-reporting-default").values[1].value == Decimal(
        "0.5810"
    )
    assert library.factor("fuel/cn-natural-gas-ncv").values[0].value == Decimal("389.31")


def test_low_confidence_values_are_flagged_when_resolved(library: FactorLibrary) -> None:
    gas = library.resolve("shanghai-2022", "natural_gas", ON)
    assert gas.confidence is Confidence.SECONDARY
    assert gas.low_confidence
    sink = library.resolve("shanghai-2022", "tree_green_space", ON)
    assert sink.confidence is Confidence.LITERATURE
    assert sink.low_confidence
    assert sink.gas is Gas.CO2E


def test_the_untraced_water_factor_is_marked_untraced(library: FactorLibrary) -> None:
    water = library.factor("water/tap-water-supply-untraced").values[0]
    assert water.confidence is Confidence.UNTRACED
    assert water.confidence.is_low
    assert "LOW CONFIDENCE" in water.note


def test_life_cycle_factors_are_kept_out_of_every_set(library: FactorLibrary) -> None:
    lca = {factor.id for factor in library.factors.values() if not factor.inventory_use}
    assert "electricity/china-carbon-footprint" in lca
    assert all(factor_id.split("/")[0] != "heat" for factor_id in lca)
    assert {f"transport/{name}" for name in ("taxi", "metro-design-load")} <= lca
    assert "waste/mixed-incineration-lca" in lca
    pinned = {entry.factor_id for s in library.sets.values() for entry in s.entries}
    assert not pinned & lca


def test_carbon_sinks_of_unclear_basis_say_so(library: FactorLibrary) -> None:
    camphor = library.factor("sink/shanghai-camphor-per-tree-min")
    assert camphor.gas is Gas.UNCLEAR
    assert camphor.kind is FactorKind.SEQUESTRATION_RATE
    # kg per tree and year: a plain mass until the paper says whether it is C or CO2.
    assert camphor.values[0].unit.text == "kg/(tree*a)"


def test_coal_equivalent_goes_through_its_cited_coefficient(library: FactorLibrary) -> None:
    tce = library.resolve("shanghai-2022", "electricity_coal_equivalent", ON)
    assert tce.apply(Decimal(10_000), "kWh", "tce") == Decimal("1.229")
    assert "GB/T 2589-2020" in tce.reference


def test_each_set_has_a_title_citation_and_content_hash(library: FactorLibrary) -> None:
    for factor_set in library.sets.values():
        assert factor_set.title.zh
        assert factor_set.title.en
        assert factor_set.citation
        assert len(factor_set.content_hash) == 64


# -- Derived against published fuel factors -------------------------------------------------


@pytest.mark.parametrize(
    "factor_id",
    [
        "fuel/cn-natural-gas",
        "fuel/cn-lpg",
        "fuel/cn-diesel",
        "fuel/cn-gasoline",
        "fuel/cn-fuel-oil",
        "fuel/ipcc-gasoline",
    ],
)
def test_derived_and_published_fuel_factors_agree_within_0_0005_kg(
    library: FactorLibrary, factor_id: str
) -> None:
    (check,) = [c for c in check_derivations(library) if c.factor_id == factor_id]
    assert check.agrees
    assert abs(check.difference) <= DERIVATION_TOLERANCE == Decimal("0.0005")
    assert check.comparison_unit.text in {"kgCO2/kg", "kgCO2/m3"}


def test_ipcc_factors_rounded_to_0_1_kg_per_gj_are_listed_as_disagreeing(
    library: FactorLibrary,
) -> None:
    # IPCC 2006 publishes CO2 factors rounded to 0.1 kgCO2/GJ (LPG 17.2 × 44/12 = 63.07 → 63.1);
    # per kg of fuel that rounding exceeds 0.0005 kgCO2. docs/accounting/factors.md says so.
    disagreeing = {c.factor_id: c for c in check_derivations(library) if not c.agrees}
    assert set(disagreeing) == {"fuel/ipcc-lpg", "fuel/ipcc-diesel", "fuel/ipcc-anthracite"}
    for check in disagreeing.values():
        assert check.published.unit.text == "kgCO2/GJ"
        assert abs(check.published.value - check.derived.value) < Decimal("0.05")
        assert Decimal("0.0005") < abs(check.difference) < Decimal("0.002")


def test_every_fuel_with_parameters_and_a_published_factor_is_checked(
    library: FactorLibrary,
) -> None:
    checked = {c.factor_id for c in check_derivations(library)}
    assert checked == {
        "fuel/cn-natural-gas",
        "fuel/cn-lpg",
        "fuel/cn-diesel",
        "fuel/cn-gasoline",
        "fuel/cn-fuel-oil",
        "fuel/ipcc-lpg",
        "fuel/ipcc-gasoline",
        "fuel/ipcc-diesel",
        "fuel/ipcc-anthracite",
        # added with shanghai-2022-v2: every fuel the workbook offers
        "fuel/cn-kerosene",
        "fuel/cn-bituminous-coal",
        "fuel/ipcc-lng",
        "fuel/ipcc-coke-oven-coke",
        "fuel/ipcc-crude-oil",
        "fuel/ipcc-refinery-gas",
    }


# -- Broken files ---------------------------------------------------------------------------


def _broken_file(case: Path) -> tuple[Path, str, int, list[str]]:
    for path in sorted(case.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        key = re.search(r"^# expect-key: (.+)$", text, re.M)
        if key:
            line = re.search(r"^# expect-line: (\d+)$", text, re.M)
            words = re.search(r"^# expect-words: (.+)$", text, re.M)
            assert line, f"{path} lacks its expect-line header"
            assert words, f"{path} lacks its expect-words header"
            expected = [word.strip() for word in words.group(1).split("|")]
            return path, key.group(1).strip(), int(line.group(1)), expected
    raise AssertionError(f"{case.name} has no file with an expect-key header")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_broken_file_is_refused_with_file_key_line_and_what_is_expected(case: Path) -> None:
    path, key, line, words = _broken_file(case)
    with pytest.raises(DataFileError) as caught:
        load_factor_library(case)
    error = caught.value
    message = error.message.render()
    assert error.path == str(path)
    assert error.key == key
    assert error.line == line
    assert message.startswith(f"{path}:{line}: at {key}:")
    for word in words:
        assert word in message


def test_the_fixtures_cover_the_broken_cases_the_issue_names() -> None:
    names = {case.name for case in CASES}
    assert {
        "unknown_key",
        "duplicate_key",
        "bad_date",
        "unknown_unit",
        "decreasing_dates",
        "set_missing_factor",
    } <= names


def test_a_library_without_sets_loads_its_factors(tmp_path: Path) -> None:
    source = FIXTURES / "set_missing_factor" / "electricity" / "shanghai-purchased.yaml"
    (tmp_path / "electricity").mkdir()
    (tmp_path / "electricity" / "shanghai-purchased.yaml").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    library = load_factor_library(tmp_path)
    assert set(library.factors) == {"electricity/shanghai-purchased"}
    assert not library.sets
