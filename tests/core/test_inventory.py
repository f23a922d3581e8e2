"""The inventory: hand-checked lines with their trace, the rules of each category, named errors,
and properties (additivity, unit invariance, zero sources, scaling).

Expected figures are worked out by hand from the published factors (accounting-method.md §5):
4.2 tCO2/10⁴kWh, 21.62 tCO2/10⁴Nm³, 0.06 tCO2/GJ, 0.1229 kgce/kWh, 389.31 GJ/10⁴Nm³, 29.3076
GJ/tce, 8.99 tCO2e/(hm²·a), 30.43 and 31.13 kgCO2e per tree and year.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

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
from lowcarbon.core.factors import (
    CategoryNotCoveredError,
    Confidence,
    FactorLibrary,
    UnknownFactorSetError,
)
from lowcarbon.core.inventory import (
    GJ_PER_TCE,
    SINK_LABELS,
    DuplicateRecordError,
    FactorSetYearError,
    GpcSubSector,
    GreenElectricityNotCoveredError,
    GreenPowerRuleNotInForceError,
    InvalidQuantityError,
    Inventory,
    LineRole,
    NotationKey,
    RecordYearError,
    Scope,
    UnknownSinkTypeError,
    calculate_inventory,
    describe_record,
)
from lowcarbon.core.units import UnitDimensionError, UnknownUnitError
from lowcarbon.rules.factors import load_factor_library

D = Decimal
YEAR = 2024
DEFAULT_SET = "shanghai-2022"
GREEN_SET = "shanghai-2023-green-power"


@cache
def library() -> FactorLibrary:
    return load_factor_library()


def make_profile(
    kind: UnitKind = UnitKind.COMMUNITY,
    *drivers: YearDrivers,
    population: int = 1000,
    year: int = YEAR,
) -> UnitProfile:
    return UnitProfile(
        name="新华路街道示范社区",
        kind=kind,
        boundary=Boundary("东至…西至…南至…北至…"),
        base_year=year,
        drivers=drivers or (YearDrivers(year, population),),
    )


def rec(
    category: str,
    quantity: str | int,
    unit: str,
    *,
    sector: Sector = Sector.RESIDENTIAL,
    year: int = YEAR,
    quality: DataQuality = DataQuality.MEASURED,
    label: str = "",
    source: str = "bill",
) -> ActivityRecord:
    return ActivityRecord(
        year=year,
        category=SourceCategory(category),
        sector=sector,
        quantity=D(quantity),
        unit=unit,
        quality=quality,
        source=source,
        label=label,
    )


def account(
    *records: ActivityRecord,
    set_id: str = DEFAULT_SET,
    year: int = YEAR,
    profile: UnitProfile | None = None,
) -> Inventory:
    return calculate_inventory(profile or make_profile(year=year), records, library(), set_id, year)


ELECTRICITY = rec("electricity", 1_000_000, "kWh")
GAS = rec("natural_gas", 10_000, "m3")


# ---------------------------------------------------------------------------------------------
# Hand-checked lines


def test_one_million_kwh_is_420_tco2_and_122_9_tce_with_its_full_trace() -> None:
    inventory = account(ELECTRICITY, GAS)
    line = inventory.lines[0]
    assert line.tco2 == D("420")
    assert line.energy_tce == D("122.9")
    assert line.role is LineRole.EMISSION
    assert line.scope is Scope.TWO
    assert line.gpc is GpcSubSector.RESIDENTIAL
    assert line.record is ELECTRICITY
    assert (line.category, line.sector, line.quality) == (
        SourceCategory.ELECTRICITY,
        Sector.RESIDENTIAL,
        DataQuality.MEASURED,
    )
    assert line.key == (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL)
    factor = line.factor
    assert factor is not None
    assert factor.factor_id == "electricity/shanghai-purchased"
    assert factor.source_id == "EL-SH-2022"
    assert (factor.value, factor.unit.text) == (D("4.2"), "tCO2/10^4kWh")
    assert "沪环气〔2022〕34号" in factor.reference
    assert factor.confidence is Confidence.PRIMARY
    assert factor.set_id == DEFAULT_SET
    coal = line.coal_equivalent
    assert coal is not None
    assert (coal.source_id, coal.value) == ("EN-GB2589-ELEC-TCE", D("0.1229"))
    assert line.notes == ()
    assert inventory.set_id == DEFAULT_SET
    assert line.explanation().render().endswith("= 420 tCO2")
    assert "EL-SH-2022" in line.explanation().render()


def test_ten_thousand_m3_of_natural_gas_is_21_62_tco2_in_scope_1() -> None:
    line = account(GAS).lines[0]
    assert line.tco2 == D("21.62")
    assert line.scope is Scope.ONE
    assert line.factor is not None
    assert line.factor.source_id == "FU-CN-NG-EF"
    # 10 000 m³ × 389.31 GJ/10⁴Nm³ = 389.31 GJ; ÷ 29.3076 GJ/tce
    assert line.ncv is not None
    assert (line.ncv.source_id, line.ncv_factor_id) == ("FU-CN-NG-NCV", "fuel/cn-natural-gas-ncv")
    assert line.energy_tce == D("389.31") / D("29.3076")
    assert round(line.energy_tce, 4) == D("13.2836")


def test_a_15_kg_lpg_cylinder_is_about_44_kgco2() -> None:
    # §5.1: 0.015 t × 2.954 tCO2/t = 0.04431 tCO2; 0.015 t × 47.31 GJ/t ÷ 29.3076
    line = account(rec("lpg", 15, "kg")).lines[0]
    assert line.tco2 == D("0.04431")
    assert line.energy_tce == D("0.015") * D("47.31") / GJ_PER_TCE


def test_purchased_heat_is_scope_2_and_its_gj_convert_at_29_3076() -> None:
    line = account(rec("heat", 1000, "GJ", sector=Sector.COMMERCIAL_PUBLIC)).lines[0]
    assert line.tco2 == D("60")  # 1000 GJ × 0.06 tCO2/GJ
    assert line.scope is Scope.TWO
    assert line.gpc is GpcSubSector.COMMERCIAL
    assert line.energy_tce == D(1000) / D("29.3076")


@pytest.mark.parametrize(
    ("category", "quantity", "unit", "tco2"),
    [
        ("gasoline", 1, "t", "3.043"),
        ("diesel", 2, "t", "6.290"),
        ("fuel_oil", 1000, "kg", "3.047"),
    ],
)
def test_liquid_fuels_use_the_national_defaults(
    category: str, quantity: int, unit: str, tco2: str
) -> None:
    line = account(rec(category, quantity, unit, sector=Sector.TRANSPORT)).lines[0]
    assert line.tco2 == D(tco2)
    assert line.energy_tce is not None
    assert line.energy_tce > 0
    assert line.gpc is GpcSubSector.ON_ROAD


def test_electricity_in_wan_kwh_and_kwh_is_the_same_inventory() -> None:
    mixed = account(rec("electricity", 60, "万kWh"), rec("electricity", 400_000, "kWh"), GAS)
    plain = account(ELECTRICITY, GAS)
    assert mixed.gross_tco2 == plain.gross_tco2 == D("441.62")
    assert mixed.total_tce == plain.total_tce
    carrier = mixed.energy_by_carrier[SourceCategory.ELECTRICITY]
    assert (carrier.quantity.value, carrier.quantity.unit.text) == (D(1_000_000), "kWh")
    assert carrier.tce == D("122.9")
    assert not carrier.renewable
    assert mixed.lines[0].quantity.value == D(600_000)


def test_totals_by_scope_category_sector_and_source() -> None:
    inventory = account(
        ELECTRICITY,
        GAS,
        rec("electricity", 100_000, "kWh", sector=Sector.TRANSPORT, label="充电桩"),
        rec("heat", 100, "GJ", sector=Sector.COMMERCIAL_PUBLIC),
    )
    assert inventory.gross_tco2 == D("420") + D("21.62") + D("42") + D("6")
    assert inventory.by_scope == {Scope.TWO: D("468"), Scope.ONE: D("21.62")}
    assert inventory.by_category == {
        SourceCategory.ELECTRICITY: D("462"),
        SourceCategory.NATURAL_GAS: D("21.62"),
        SourceCategory.HEAT: D("6"),
    }
    assert inventory.by_sector == {
        Sector.RESIDENTIAL: D("441.62"),
        Sector.TRANSPORT: D("42"),
        Sector.COMMERCIAL_PUBLIC: D("6"),
    }
    assert inventory.emissions_by_source() == {
        (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL): D("420"),
        (SourceCategory.NATURAL_GAS, Sector.RESIDENTIAL): D("21.62"),
        (SourceCategory.ELECTRICITY, Sector.TRANSPORT): D("42"),
        (SourceCategory.HEAT, Sector.COMMERCIAL_PUBLIC): D("6"),
    }
    charging = inventory.lines[2]
    assert charging.gpc is GpcSubSector.ON_ROAD
    assert any("§5.5" in note.render() for note in charging.notes)
    assert inventory.records == tuple(line.record for line in inventory.lines)
    assert [line.index for line in inventory.lines] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("sector", "gpc"),
    [
        (Sector.RESIDENTIAL, GpcSubSector.RESIDENTIAL),
        (Sector.COMMERCIAL_PUBLIC, GpcSubSector.COMMERCIAL),
        (Sector.INDUSTRY, GpcSubSector.INDUSTRY),
        (Sector.TRANSPORT, GpcSubSector.ON_ROAD),
        (Sector.LAND, GpcSubSector.AGRICULTURE_FORESTRY),
        (Sector.WASTE, GpcSubSector.NON_SPECIFIED),
        (Sector.OTHER, GpcSubSector.NON_SPECIFIED),
    ],
)
def test_energy_maps_onto_the_gpc_sub_sector_of_its_sector(
    sector: Sector, gpc: GpcSubSector
) -> None:
    assert account(rec("electricity", 1, "kWh", sector=sector)).lines[0].gpc is gpc


def test_share_by_data_quality_tier() -> None:
    inventory = account(
        ELECTRICITY, rec("natural_gas", 10_000, "m3", quality=DataQuality.ESTIMATED)
    )
    shares = inventory.share_by_quality()
    assert shares[DataQuality.MEASURED] == D("420") / D("441.62")
    assert shares[DataQuality.ESTIMATED] == D("21.62") / D("441.62")
    assert account(rec("electricity", 0, "kWh")).share_by_quality() == {}


# ---------------------------------------------------------------------------------------------
# Renewables, green power, memo items


def test_green_power_is_zero_under_the_green_set_with_the_grid_figure_as_memo() -> None:
    inventory = account(
        rec("electricity", 900_000, "kWh"),
        rec("green_electricity", 100_000, "kWh", sector=Sector.COMMERCIAL_PUBLIC),
        set_id=GREEN_SET,
    )
    green = inventory.lines[1]
    assert green.tco2 == 0
    assert green.scope is Scope.TWO
    assert green.factor is not None
    assert green.factor.source_id == "EL-SH-GREEN-2023"
    assert green.grid_equivalent_tco2 == D("42")
    assert green.energy_tce == D("12.29")
    assert inventory.gross_tco2 == D("378")
    assert inventory.green_power_claim_tco2 == D("42")
    assert inventory.energy_by_carrier[SourceCategory.GREEN_ELECTRICITY].renewable
    assert inventory.renewable_tce == D("12.29")
    assert inventory.renewable_electricity_kwh == D(100_000)
    assert inventory.electricity_kwh == D(1_000_000)
    assert any("89号" in note.render() for note in green.notes)
    assert not any("settled from" in note.render() for note in green.notes)


def test_green_power_of_2023_counts_only_from_the_rule_date() -> None:
    line = account(rec("green_electricity", 1, "kWh", year=2023), set_id=GREEN_SET, year=2023)
    assert any("2023-06-07" in note.render() for note in line.lines[0].notes)


def test_green_power_before_the_rule_is_refused() -> None:
    with pytest.raises(GreenPowerRuleNotInForceError, match="2023-06-07"):
        account(rec("green_electricity", 1, "kWh", year=2022), set_id=GREEN_SET, year=2022)


def test_green_power_under_a_set_without_it_names_the_set_to_use() -> None:
    with pytest.raises(GreenElectricityNotCoveredError) as caught:
        account(rec("green_electricity", 1, "kWh"))
    assert caught.value.sets_with_green == (GREEN_SET, f"{GREEN_SET}-v2")
    assert GREEN_SET in str(caught.value)
    assert "'shanghai-2022'" in str(caught.value)
    assert caught.value.code == "inventory_green_not_covered"


def test_green_power_without_any_green_set_in_the_library_says_so() -> None:
    sets = [s for s in library().sets.values() if not s.id.startswith(GREEN_SET)]
    bare = FactorLibrary(library().factors.values(), sets)
    with pytest.raises(GreenElectricityNotCoveredError, match="none in the library"):
        calculate_inventory(
            make_profile(), [rec("green_electricity", 1, "kWh")], bare, DEFAULT_SET, YEAR
        )


def test_onsite_pv_and_solar_thermal_are_zero_emission_supply_counted_in_energy() -> None:
    inventory = account(
        ELECTRICITY,
        rec("onsite_renewable_electricity", 100_000, "kWh"),
        rec("solar_thermal", "29.3076", "GJ"),
    )
    pv, solar = inventory.lines[1], inventory.lines[2]
    for line in (pv, solar):
        assert line.role is LineRole.ZERO_EMISSION_SUPPLY
        assert line.tco2 == 0
        assert line.scope is None
        assert any("§5.3" in note.render() for note in line.notes)
        assert "zero-emission supply, 0 tCO2" in line.explanation().render()
    assert pv.energy_tce == D("12.29")
    assert solar.energy_tce == D(1)
    assert inventory.gross_tco2 == D("420")  # never subtracted
    assert inventory.total_tce == D("122.9") + D("12.29") + D(1)
    assert inventory.renewable_tce == D("13.29")
    assert inventory.electricity_kwh == D(1_100_000)
    assert inventory.renewable_electricity_kwh == D(100_000)


def test_exported_pv_is_a_memo_in_kwh_only() -> None:
    inventory = account(ELECTRICITY, rec("renewable_export", 5, "万kWh"))
    export = inventory.lines[1]
    assert export.role is LineRole.MEMO
    assert (export.tco2, export.energy_tce, export.scope) == (None, None, None)
    assert inventory.renewable_export_kwh == D(50_000)
    assert export.explanation().render() == "5 万kWh: memo item, not counted in any total"
    assert inventory.gross_tco2 == D(420)
    assert inventory.electricity_kwh == D(1_000_000)
    assert SourceCategory.RENEWABLE_EXPORT not in inventory.energy_by_carrier


# ---------------------------------------------------------------------------------------------
# Sinks, not-estimated sources


def test_sinks_are_their_own_lines_and_never_netted_into_gross() -> None:
    inventory = account(
        ELECTRICITY,
        rec("green_space", 1, "hm2", sector=Sector.LAND, label="乔木绿地"),
        rec("trees", 100, "株", sector=Sector.LAND, label="硬阔Ⅰ类"),
        rec("trees", 100, "tree", sector=Sector.LAND, label="hard broadleaf II"),
    )
    area, group_i, group_ii = inventory.lines[1:]
    assert area.tco2 == D("8.99")  # 1 hm² × 8.99 tCO2e/(hm²·a)
    assert group_i.tco2 == D("3.043")  # 100 × 30.43 kgCO2e
    assert group_ii.tco2 == D("3.113")
    for line in (area, group_i, group_ii):
        assert line.role is LineRole.SINK
        assert line.gpc is GpcSubSector.AFOLU_LAND
        assert line.energy_tce is None
        assert any("never netted" in note.render() for note in line.notes)
    assert group_i.explanation().render().endswith("= 3.043 tCO2 removed a year")
    assert group_ii.factor is not None
    assert group_ii.factor.source_id == "SK-TREE-HARDBROAD2"
    assert inventory.gross_tco2 == D("420")
    assert inventory.sinks_tco2 == D("15.146")
    assert inventory.net_memo_tco2 == D("404.854")
    assert inventory.by_category == {SourceCategory.ELECTRICITY: D("420")}
    assert len(inventory.sink_lines) == 3


@pytest.mark.parametrize(
    ("category", "label"),
    [("trees", "香樟"), ("trees", ""), ("green_space", "草坪"), ("green_space", "")],
)
def test_a_sink_whose_type_has_no_factor_is_refused(category: str, label: str) -> None:
    unit = "tree" if category == "trees" else "m2"
    with pytest.raises(UnknownSinkTypeError) as caught:
        account(rec(category, 10, unit, sector=Sector.LAND, label=label))
    accepted = list(SINK_LABELS[SourceCategory(category)])
    assert accepted[0] in str(caught.value)
    assert "§5.9" in str(caught.value)


def test_sink_labels_fold_width_case_and_numerals() -> None:
    inventory = account(
        rec("trees", 1, "tree", label="硬阔I类"),
        rec("trees", 1, "tree", label="Tree_Hard-Broadleaf_II"),
        rec("green_space", 10_000, "m²", label="城市乔木绿地"),
    )
    assert [line.factor.category for line in inventory.lines if line.factor] == [
        "tree_hard_broadleaf_i",
        "tree_hard_broadleaf_ii",
        "tree_green_space",
    ]


def test_sinks_need_a_set_that_pins_them() -> None:
    with pytest.raises(CategoryNotCoveredError, match="tree_green_space"):
        account(
            rec("green_space", 1, "hm2", label="乔木绿地", year=2020),
            set_id="shanghai-2012",
            year=2020,
        )


@pytest.mark.parametrize(
    ("category", "unit", "section"), [("waste", "t", "§5.6"), ("water_supply", "m3", "§5.8")]
)
def test_waste_and_water_are_not_estimated_rather_than_zero(
    category: str, unit: str, section: str
) -> None:
    inventory = account(ELECTRICITY, rec(category, 120, unit, sector=Sector.WASTE))
    line = inventory.lines[1]
    assert line.role is LineRole.NOT_ESTIMATED
    assert line.notation_key is NotationKey.NOT_ESTIMATED
    assert line.tco2 is None
    assert line.factor is None
    assert line.scope is Scope.THREE
    assert section in line.notes[0].render()
    assert line.explanation().render() == "120 " + unit + ": NE (not estimated)"
    assert inventory.not_estimated == (line,)
    assert SourceCategory(category) not in inventory.by_category
    assert inventory.gross_tco2 == D("420")


# ---------------------------------------------------------------------------------------------
# Factor sets and years


def test_the_2012_set_gives_7_88_and_no_tce() -> None:
    inventory = account(
        rec("electricity", 1_000_000, "kWh", year=2020),
        rec("heat", 100, "GJ", year=2020),
        set_id="shanghai-2012",
        year=2020,
    )
    electricity, heat = inventory.lines
    assert electricity.tco2 == D("788")
    assert heat.tco2 == D("11")
    assert electricity.energy_tce is None
    assert "electricity_coal_equivalent" in electricity.notes[0].render()
    assert heat.energy_tce == D(100) / GJ_PER_TCE
    assert inventory.total_tce is None
    assert inventory.energy_by_carrier[SourceCategory.ELECTRICITY].tce is None
    assert inventory.renewable_tce == D(0)


def test_a_set_valid_for_part_of_the_year_is_refused_naming_its_validity() -> None:
    with pytest.raises(FactorSetYearError) as caught:
        account(rec("electricity", 1, "kWh", year=2022), set_id="shanghai-2012", year=2022)
    text = str(caught.value)
    for words in ("shanghai-2012", "2013-01-01", "2022-02-10", "2022"):
        assert words in text
    assert (caught.value.set_id, caught.value.year) == ("shanghai-2012", 2022)


def test_a_year_outside_a_one_year_set_is_refused() -> None:
    with pytest.raises(FactorSetYearError, match="mee-shanghai-2021"):
        account(rec("electricity", 1, "kWh"), set_id="mee-shanghai-2021")


def test_an_open_ended_set_says_now_in_its_validity() -> None:
    with pytest.raises(FactorSetYearError, match="2013-01-01 to now"):
        account(rec("electricity", 1, "kWh", year=2012), year=2012)


def test_the_mee_set_covers_its_data_year() -> None:
    inventory = account(
        rec("electricity", 1000, "kWh", year=2021), set_id="mee-shanghai-2021", year=2021
    )
    assert inventory.gross_tco2 == D("0.5834")


def test_an_unknown_set_is_refused() -> None:
    with pytest.raises(UnknownFactorSetError):
        account(ELECTRICITY, set_id="shanghai-2030")


def test_a_record_of_another_year_is_refused_not_dropped() -> None:
    with pytest.raises(RecordYearError) as caught:
        account(ELECTRICITY, rec("natural_gas", 1, "m3", year=2023))
    assert "record 2" in str(caught.value)
    assert "2023" in str(caught.value)
    assert caught.value.index == 1


def test_fuels_without_a_set_factor_are_refused() -> None:
    with pytest.raises(CategoryNotCoveredError, match="kerosene"):
        account(rec("kerosene", 1, "t"))


def test_a_fuel_factor_without_parameters_has_no_tce_and_says_why() -> None:
    base = library()
    factors = [
        replace(f, derived_from=None) if f.id == "fuel/cn-natural-gas" else f
        for f in base.factors.values()
    ]
    stripped = FactorLibrary(factors, base.sets.values())
    inventory = calculate_inventory(make_profile(), [GAS], stripped, DEFAULT_SET, YEAR)
    line = inventory.lines[0]
    assert line.tco2 == D("21.62")
    assert line.energy_tce is None
    assert "fuel/cn-natural-gas" in line.notes[0].render()
    assert inventory.total_tce is None


# ---------------------------------------------------------------------------------------------
# Units and quantities


def test_m3_of_electricity_raises_the_dimension_error_naming_the_record() -> None:
    with pytest.raises(UnitDimensionError) as caught:
        account(GAS, rec("electricity", 1000, "m3"))
    text = str(caught.value)
    assert "record 2" in text
    assert "electricity" in text
    assert caught.value.found == "m3"


def test_litres_of_gasoline_are_refused_without_a_normative_density() -> None:
    with pytest.raises(UnitDimensionError, match="record 1"):
        account(rec("gasoline", 100, "L"))


def test_an_unknown_unit_names_the_record() -> None:
    with pytest.raises(UnknownUnitError) as caught:
        account(rec("electricity", 1, "kilowatts"))
    assert "record 1" in str(caught.value)
    assert caught.value.text == "kilowatts"


@pytest.mark.parametrize("quantity", ["-1", "NaN", "Infinity"])
def test_negative_or_non_finite_quantities_are_refused(quantity: str) -> None:
    with pytest.raises(InvalidQuantityError) as caught:
        account(rec("electricity", quantity, "kWh"))
    assert "record 1" in str(caught.value)
    assert caught.value.index == 0


def test_describe_record_names_number_category_quantity_and_label() -> None:
    text = describe_record(4, rec("electricity", 12, "万kWh", label="公共照明")).render()
    assert text == "record 5 (electricity, residential, 12 万kWh, '公共照明')"


# ---------------------------------------------------------------------------------------------
# Completeness


def test_a_complete_community_inventory_is_final() -> None:
    inventory = account(ELECTRICITY, GAS)
    assert inventory.completeness.is_complete
    assert inventory.completeness.gaps() == ()
    assert inventory.is_final
    assert inventory.drivers == YearDrivers(YEAR, 1000)


def test_a_community_without_gas_is_a_draft() -> None:
    inventory = account(ELECTRICITY)
    assert inventory.completeness.missing_categories == (SourceCategory.NATURAL_GAS,)
    assert not inventory.is_final
    assert "natural_gas" in inventory.completeness.gaps()[0].render()


def test_a_zone_needs_electricity_but_not_gas() -> None:
    zone = make_profile(UnitKind.ZONE)
    assert account(ELECTRICITY, profile=zone).is_final
    empty = account(rec("natural_gas", 1, "m3"), profile=zone)
    assert empty.completeness.missing_categories == (SourceCategory.ELECTRICITY,)


def test_a_zero_electricity_record_counts_as_reported() -> None:
    completeness = account(rec("electricity", 0, "kWh"), GAS).completeness
    assert completeness.missing_categories == ()
    # Reported, but 0.02 tCO2 per person is below any plausible community figure.
    assert [f.metric.value for f in completeness.implausible] == ["per_capita"]


@pytest.mark.parametrize(
    "profile",
    [
        make_profile(UnitKind.COMMUNITY, YearDrivers(YEAR - 1, 1000)),
        make_profile(UnitKind.COMMUNITY, population=0),
    ],
    ids=["no drivers for the year", "population 0"],
)
def test_missing_drivers_keep_the_inventory_a_draft(profile: UnitProfile) -> None:
    inventory = account(ELECTRICITY, GAS, profile=profile)
    assert inventory.completeness.drivers_missing
    assert not inventory.is_final
    assert "resident population" in inventory.completeness.gaps()[0].render()


def test_default_values_keep_the_inventory_a_draft() -> None:
    inventory = account(ELECTRICITY, rec("natural_gas", 100, "m3", quality=DataQuality.DEFAULT))
    assert inventory.completeness.default_records == (1,)
    assert not inventory.is_final
    assert (
        inventory.completeness.gaps()[0].render() == "records 2 use default values instead of data"
    )


# ---------------------------------------------------------------------------------------------
# Properties

_SECTORS = st.sampled_from(list(Sector))
_QUALITIES = st.sampled_from(list(DataQuality))
_QUANTITIES = st.decimals(min_value=0, max_value=10**7, places=3)

#: category → (unit, label, alternative units with the factor to multiply the quantity by).
_KINDS: dict[str, tuple[str, str, tuple[tuple[str, Decimal], ...]]] = {
    "electricity": ("kWh", "", (("万kWh", D("0.0001")), ("MWh", D("0.001")), ("度", D(1)))),
    "green_electricity": ("kWh", "", (("万kWh", D("0.0001")),)),
    "onsite_renewable_electricity": ("kWh", "", (("MWh", D("0.001")),)),
    "renewable_export": ("kWh", "", (("万kWh", D("0.0001")),)),
    "heat": ("GJ", "", (("MJ", D(1000)),)),
    "solar_thermal": ("GJ", "", (("MJ", D(1000)),)),
    "natural_gas": ("m3", "", (("万m3", D("0.0001")), ("Nm3", D(1)), ("万Nm³", D("0.0001")))),
    "lpg": ("t", "", (("kg", D(1000)), ("吨", D(1)))),
    "gasoline": ("t", "", (("kg", D(1000)),)),
    "diesel": ("t", "", (("kg", D(1000)),)),
    "fuel_oil": ("t", "", (("kg", D(1000)),)),
    "waste": ("t", "", (("kg", D(1000)),)),
    "water_supply": ("m3", "", (("万m3", D("0.0001")),)),
    "green_space": ("m2", "乔木绿地", (("hm2", D("0.0001")), ("公顷", D("0.0001")))),
    "trees": ("tree", "硬阔Ⅱ类", (("株", D(1)),)),
}


@st.composite
def records(draw: st.DrawFn, size: int = 8) -> list[ActivityRecord]:
    """Records of distinct sources (category, sector): the same source, label and quantity
    twice is one record entered twice, which the inventory refuses (see the duplicate tests)."""
    chosen = draw(
        st.lists(
            st.tuples(st.sampled_from(sorted(_KINDS)), _SECTORS),
            min_size=0,
            max_size=size,
            unique=True,
        )
    )
    return [
        ActivityRecord(
            year=YEAR,
            category=SourceCategory(category),
            sector=sector,
            quantity=draw(_QUANTITIES),
            unit=_KINDS[category][0],
            quality=draw(_QUALITIES),
            label=_KINDS[category][1],
        )
        for category, sector in chosen
    ]


def green(*records: ActivityRecord) -> Inventory:
    return account(*records, set_id=GREEN_SET)


def close(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= D("1e-15") * max(abs(a), abs(b), D(1))


def same_totals(a: Inventory, b: Inventory) -> bool:
    keys = set(a.emissions_by_source()) | set(b.emissions_by_source())
    by_source = all(
        close(a.emissions_by_source().get(k, D(0)), b.emissions_by_source().get(k, D(0)))
        for k in keys
    )
    return by_source and all(
        close(x, y)
        for x, y in [
            (a.gross_tco2, b.gross_tco2),
            (a.sinks_tco2, b.sinks_tco2),
            (a.total_tce, b.total_tce),
            (a.renewable_tce, b.renewable_tce),
            (a.electricity_kwh, b.electricity_kwh),
            (a.renewable_export_kwh, b.renewable_export_kwh),
            (a.green_power_claim_tco2, b.green_power_claim_tco2),
        ]
    )


@settings(deadline=None)
@given(records(), st.sets(st.sampled_from(sorted(_KINDS))))
def test_additivity_over_categories(recs: list[ActivityRecord], in_a: set[str]) -> None:
    part_a = [r for r in recs if r.category.value in in_a]
    part_b = [r for r in recs if r.category.value not in in_a]
    union, a, b = green(*recs), green(*part_a), green(*part_b)
    for total in ("gross_tco2", "sinks_tco2", "total_tce", "renewable_tce", "electricity_kwh"):
        assert close(getattr(union, total), getattr(a, total) + getattr(b, total))
    for scope in Scope:
        assert close(
            union.by_scope.get(scope, D(0)),
            a.by_scope.get(scope, D(0)) + b.by_scope.get(scope, D(0)),
        )
    assert len(union.not_estimated) == len(a.not_estimated) + len(b.not_estimated)


@settings(deadline=None)
@given(records(), st.data())
def test_unit_invariance(recs: list[ActivityRecord], data: st.DataObject) -> None:
    converted = []
    for record in recs:
        unit, factor = data.draw(st.sampled_from(_KINDS[record.category.value][2]))
        converted.append(replace(record, quantity=record.quantity * factor, unit=unit))
    assert same_totals(green(*recs), green(*converted))


@settings(deadline=None)
@given(records(), st.sampled_from(sorted(_KINDS)), _SECTORS, st.integers(0, 8))
def test_a_zero_quantity_source_changes_no_total(
    recs: list[ActivityRecord], category: str, sector: Sector, position: int
) -> None:
    unit, label, _ = _KINDS[category]
    zero = rec(category, 0, unit, sector=sector, label=label)
    assume(zero.key not in {r.key for r in recs})  # else it may repeat a record of quantity 0
    with_zero = [*recs[:position], zero, *recs[position:]]
    assert same_totals(green(*recs), green(*with_zero))


@settings(deadline=None)
@given(records(size=6), st.data())
def test_a_duplicate_never_changes_a_total_silently(
    recs: list[ActivityRecord], data: st.DataObject
) -> None:
    """Any record entered again, in any accepted spelling of its unit and at any position,
    is refused naming both records; it never doubles a total."""
    assume(recs)
    original = data.draw(st.sampled_from(recs))
    unit, factor = data.draw(st.sampled_from(_KINDS[original.category.value][2]))
    again = replace(original, quantity=original.quantity * factor, unit=unit, source="再次录入")
    position = data.draw(st.integers(0, len(recs)))
    with pytest.raises(DuplicateRecordError) as caught:
        green(*recs[:position], again, *recs[position:])
    earlier = recs.index(original) + (recs.index(original) >= position)  # after the insertion
    text = str(caught.value)
    assert f"record {earlier + 1} " in text
    assert f"record {position + 1} " in text
    assert "would be counted twice" in text


@settings(deadline=None)
@given(records(), st.decimals(min_value=0, max_value=1000, places=2))
def test_scaling_all_activity_scales_every_total(recs: list[ActivityRecord], k: Decimal) -> None:
    base = green(*recs)
    scaled = green(*(replace(r, quantity=r.quantity * k) for r in recs))
    assert close(scaled.gross_tco2, base.gross_tco2 * k)
    assert close(scaled.sinks_tco2, base.sinks_tco2 * k)
    assert close(scaled.total_tce, (base.total_tce or D(0)) * k)
    assert close(scaled.green_power_claim_tco2, base.green_power_claim_tco2 * k)
    for key, value in base.emissions_by_source().items():
        assert close(scaled.emissions_by_source()[key], value * k)


def test_shares_of_gross_add_up_to_100_by_scope_category_and_sector() -> None:
    inventory = account(
        ELECTRICITY,
        GAS,
        rec("gasoline", "0.5", "t", sector=Sector.TRANSPORT),
        rec("electricity", 100_000, "kWh", sector=Sector.COMMERCIAL_PUBLIC),
    )
    shares = inventory.shares()
    for table in (shares.by_scope, shares.by_category, shares.by_sector):
        assert table.shown_total_pct == D(100)
        assert table.total == inventory.gross_tco2
    # 420 + 42 (electricity), 21.62 (gas), 1.5215 (gasoline): 485.1415 tCO2
    assert shares.by_scope.share(Scope.TWO).shown_pct == D("95.2")
    assert shares.by_scope.share(Scope.ONE).shown_pct == D("4.8")
    assert [s.key for s in shares.by_category.shares] == [
        SourceCategory.ELECTRICITY,
        SourceCategory.NATURAL_GAS,
        SourceCategory.GASOLINE,
    ]
    assert shares.by_sector.share(Sector.TRANSPORT).amount == D("1.5215")


def test_an_inventory_without_emissions_has_no_shares() -> None:
    shares = account(rec("electricity", 0, "kWh")).shares()
    assert shares.by_scope.shares == shares.by_sector.shares == ()
