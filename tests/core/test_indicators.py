"""Indicators of an inventory (§7) and the like-for-like comparison of years (§5.2).

Expected values are worked out by hand from the inventory figures of test_inventory.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowcarbon.core.activity import (
    ActivityRecord,
    DataQuality,
    Sector,
    UnitKind,
    UnitProfile,
    YearDrivers,
)
from lowcarbon.core.indicators import (
    DriversYearError,
    IndicatorId,
    InvalidDenominatorError,
    MissingDriversError,
    RecordsMismatchError,
    ZeroPopulationError,
    calculate_indicators,
    compare_years,
    drivers_of,
)
from lowcarbon.core.inventory import FactorSetYearError, Inventory

from .test_inventory import ELECTRICITY, GAS, YEAR, account, library, make_profile, rec

D = Decimal


def drivers(population: int = 1000, **more: Any) -> YearDrivers:
    return YearDrivers(YEAR, population, **more)


# ---------------------------------------------------------------------------------------------
# One year


def test_total_and_per_capita_with_their_trace() -> None:
    indicators = calculate_indicators(account(ELECTRICITY), drivers(registered_population=800))
    assert indicators.year == YEAR
    assert indicators.total.value == D(420)
    assert indicators.total.unit == "tCO2"
    per_capita = indicators.per_capita
    assert per_capita.value == D("0.42")
    assert per_capita.unit == "tCO2/person"
    assert per_capita.applicable
    lines = [m.render() for m in per_capita.explanation()]
    assert "常住" in lines[0]
    assert "420 tCO2" in lines[1]
    assert "1000 (registered: 800)" in lines[2]
    assert lines[-1] == "= 0.42 tCO2/person"


def test_registered_population_not_given_is_said() -> None:
    per_capita = calculate_indicators(account(ELECTRICITY), drivers()).per_capita
    assert "registered: not given" in per_capita.inputs[1].render()


def test_zero_population_refuses_only_the_per_capita_figure() -> None:
    indicators = calculate_indicators(account(ELECTRICITY), drivers(0))
    assert indicators.per_capita.value is None
    assert "resident population of 2024 is 0" in str(indicators.per_capita.not_applicable)
    assert indicators.total.value == D(420)


def test_a_negative_population_is_a_named_error_not_zero_or_infinity() -> None:
    with pytest.raises(ZeroPopulationError) as caught:
        calculate_indicators(account(ELECTRICITY), drivers(-5))
    assert "resident population" in str(caught.value)
    assert caught.value.code == "indicator_population_zero"
    assert isinstance(caught.value, InvalidDenominatorError)


def test_drivers_of_another_year_are_refused() -> None:
    with pytest.raises(DriversYearError, match="2023"):
        calculate_indicators(account(ELECTRICITY), YearDrivers(2023, 1000))


def test_per_household() -> None:
    indicators = calculate_indicators(account(ELECTRICITY), drivers(households=400))
    assert indicators.per_household.value == D("1.05")
    assert indicators.per_household.inputs[1].render() == "households: 400"


def test_per_household_without_households_is_not_applicable() -> None:
    indicator = calculate_indicators(account(ELECTRICITY), drivers()).per_household
    assert indicator.value is None
    assert not indicator.applicable
    assert indicator.not_applicable is not None
    assert indicator.explanation()[-1].render().startswith("not applicable: ")


@pytest.mark.parametrize(
    "more",
    [{"households": 0}, {"floor_area_m2": {"residential": D(0)}}, {"gdp_10k_yuan": D(-1)}],
)
def test_a_denominator_given_as_zero_is_an_error(more: dict[str, object]) -> None:
    with pytest.raises(InvalidDenominatorError, match="above 0"):
        calculate_indicators(account(ELECTRICITY), drivers(**more))


def test_per_floor_area_counts_building_emissions_only_in_kg_per_m2() -> None:
    inventory = account(
        ELECTRICITY,
        GAS,
        rec("heat", 100, "GJ", sector=Sector.COMMERCIAL_PUBLIC),
        rec("electricity", 100_000, "kWh", sector=Sector.INDUSTRY),
    )
    areas = {"residential": D(100_000), "commercial": D(20_000)}
    indicator = calculate_indicators(inventory, drivers(floor_area_m2=areas)).per_floor_area
    # (420 + 21.62 + 6) tCO2 × 1000 ÷ 120 000 m²
    assert indicator.value == D("447620") / D("120000")
    assert indicator.unit == "kgCO2/(m2*a)"
    assert "residential 100000" in indicator.inputs[1].render()


def test_per_floor_area_without_areas_is_not_applicable() -> None:
    indicator = calculate_indicators(account(ELECTRICITY), drivers()).per_floor_area
    assert indicator.value is None


def test_per_gdp_is_not_applicable_without_gdp_and_computed_with_it() -> None:
    inventory = account(ELECTRICITY, GAS)
    assert calculate_indicators(inventory, drivers()).per_gdp.value is None
    per_gdp = calculate_indicators(inventory, drivers(gdp_10k_yuan=D(5000))).per_gdp
    assert per_gdp.value == D("441.62") / D(5000)
    assert per_gdp.unit == "tCO2/10^4yuan"


def test_renewable_shares_on_tce_and_on_kwh() -> None:
    inventory = account(
        rec("electricity", 900_000, "kWh"),
        rec("onsite_renewable_electricity", 100_000, "kWh"),
        rec("solar_thermal", "29.3076", "GJ"),
    )
    indicators = calculate_indicators(inventory, drivers())
    # renewable 12.29 + 1 tce over 110.61 + 12.29 + 1 tce
    assert indicators.renewable_share.value == D("13.29") * 100 / D("123.9")
    assert indicators.renewable_share.unit == "%"
    assert indicators.renewable_electricity_share.value == D(10)


def test_renewable_shares_without_energy_are_not_applicable() -> None:
    indicators = calculate_indicators(account(rec("waste", 1, "t")), drivers())
    assert indicators.renewable_share.value is None
    assert "no energy" in str(indicators.renewable_share.not_applicable)
    assert indicators.renewable_electricity_share.value is None


def test_renewable_share_without_tce_under_the_2012_set_is_not_applicable() -> None:
    inventory = account(rec("electricity", 1, "kWh", year=2020), set_id="shanghai-2012", year=2020)
    share = calculate_indicators(inventory, YearDrivers(2020, 10)).renewable_share
    assert share.value is None
    assert "shanghai-2012" in str(share.not_applicable)
    assert share.explanation()[-1].render().startswith("not applicable")


def test_source_sink_ratio() -> None:
    inventory = account(ELECTRICITY, rec("green_space", 1, "hm2", label="乔木绿地"))
    ratio = calculate_indicators(inventory, drivers()).source_sink_ratio
    assert ratio.value == D(420) / D("8.99")


def test_source_sink_ratio_without_sinks_is_not_applicable_with_a_reason() -> None:
    ratio = calculate_indicators(account(ELECTRICITY), drivers()).source_sink_ratio
    assert ratio.value is None
    assert "no carbon sink" in str(ratio.not_applicable)


def test_indicators_iterate_in_report_order() -> None:
    indicators = calculate_indicators(account(ELECTRICITY), drivers())
    assert [i.id for i in indicators] == list(IndicatorId)[:8]
    assert indicators.by_id()[IndicatorId.PER_CAPITA] is indicators.per_capita


# ---------------------------------------------------------------------------------------------
# Comparing years


def two_year_profile(base_population: int = 1000, population: int = 1000) -> UnitProfile:
    return make_profile(
        UnitKind.COMMUNITY,
        YearDrivers(2021, base_population),
        YearDrivers(YEAR, population),
        year=2021,
    )


def base_2021(set_id: str = "shanghai-2012", *, population: int = 1000) -> Inventory:
    return account(
        rec("electricity", 1_000_000, "kWh", year=2021),
        set_id=set_id,
        year=2021,
        profile=two_year_profile(population),
    )


def current(
    *records: ActivityRecord, set_id: str = "shanghai-2022", population: int = 1000
) -> Inventory:
    return account(
        *(records or (ELECTRICITY,)),
        set_id=set_id,
        profile=two_year_profile(1000, population),
    )


def test_a_change_of_factor_set_is_not_a_reduction() -> None:
    base = base_2021()
    comparison = compare_years(base, current(), library(), base.records)
    assert comparison.base_reported_tco2 == D(788)
    assert comparison.base_like_for_like_tco2 == D(420)
    assert comparison.current_tco2 == D(420)
    assert comparison.recalculated
    assert (comparison.set_id, comparison.base_set_id) == ("shanghai-2022", "shanghai-2012")
    assert comparison.base.set_id == "shanghai-2022"
    assert comparison.decline_rate.value == D(0)
    assert comparison.per_capita_decline_rate.value == D(0)
    effect = comparison.factor_change_effect
    assert effect.value is not None
    assert round(effect.value, 1) == D("46.7")
    assert comparison.factor_change_effect_tco2 == D(368)
    assert "never a reduction" in effect.formula.render()
    assert comparison.apparent_decline_rate.value == effect.value
    assert "recomputed" in comparison.notes[0].render()
    assert "shanghai-2022" in comparison.decline_rate.formula.render()


def test_same_set_comparison_is_direct_and_has_no_factor_effect() -> None:
    base = base_2021("shanghai-2022")
    comparison = compare_years(base, current(rec("electricity", 900_000, "kWh")), library())
    assert not comparison.recalculated
    assert comparison.base is base
    assert comparison.decline_rate.value == D(10)
    assert comparison.factor_change_effect.value == D(0)
    assert comparison.notes == ()


def test_per_capita_decline_rate_uses_each_years_population() -> None:
    base = base_2021("shanghai-2022")
    comparison = compare_years(base, current(population=1250), library())
    # 0.42 → 0.336 tCO2/person
    assert comparison.decline_rate.value == D(0)
    assert comparison.per_capita_decline_rate.value == D(20)
    assert len(comparison.per_capita_decline_rate.inputs) == 4


def test_per_capita_decline_without_drivers_is_not_applicable() -> None:
    base = base_2021("shanghai-2022")
    later = account(ELECTRICITY, profile=make_profile(UnitKind.COMMUNITY, YearDrivers(2021, 9)))
    rate = compare_years(base, later, library()).per_capita_decline_rate
    assert rate.value is None
    assert "2024" in str(rate.not_applicable)


def test_zero_population_in_a_compared_year_refuses_only_the_per_capita_decline() -> None:
    base = base_2021("shanghai-2022", population=0)
    comparison = compare_years(base, current(), library())
    assert comparison.per_capita_decline_rate.value is None
    assert "2021 is 0" in str(comparison.per_capita_decline_rate.not_applicable)
    assert comparison.decline_rate.value is not None


def test_a_base_year_of_zero_has_no_decline_rate() -> None:
    base = account(
        rec("electricity", 0, "kWh", year=2021),
        year=2021,
        profile=two_year_profile(),
    )
    comparison = compare_years(base, current(), library())
    assert comparison.decline_rate.value is None
    assert "is 0" in str(comparison.decline_rate.not_applicable)


def test_base_records_must_be_the_base_inventorys_records() -> None:
    base = base_2021()
    other = [rec("electricity", 1, "kWh", year=2021)]
    with pytest.raises(RecordsMismatchError, match="2021"):
        compare_years(base, current(), library(), other)


def test_the_current_set_must_cover_the_base_year() -> None:
    base = base_2021("shanghai-2022")
    later = account(
        rec("electricity", 1, "kWh", year=2022),
        set_id="mee-shanghai-2022",
        year=2022,
    )
    with pytest.raises(FactorSetYearError, match="mee-shanghai-2022"):
        compare_years(base, later, library())


def test_drivers_of_an_inventory() -> None:
    inventory = account(ELECTRICITY, rec("natural_gas", 1, "m3", quality=DataQuality.DEFAULT))
    assert drivers_of(inventory).resident_population == 1000
    orphan = account(ELECTRICITY, profile=make_profile(UnitKind.ZONE, YearDrivers(2000, 1)))
    with pytest.raises(MissingDriversError, match="2024"):
        drivers_of(orphan)


# ---------------------------------------------------------------------------------------------
# A comparison never reports a decline from missing data

_SOURCES = [
    ("electricity", "residential", "kWh"),
    ("electricity", "commercial_public", "kWh"),
    ("electricity", "transport", "kWh"),
    ("natural_gas", "residential", "m3"),
    ("natural_gas", "commercial_public", "m3"),
    ("lpg", "commercial_public", "t"),
    ("diesel", "transport", "t"),
]
_AMOUNTS = st.decimals(min_value=1, max_value=10**7, places=2)


@st.composite
def year_pair(draw: st.DrawFn) -> tuple[list[ActivityRecord], list[ActivityRecord], int]:
    """Base-year records of several sources, and current-year records in which any number of
    them (possibly all) are missing; the number of sources dropped."""
    chosen = draw(st.lists(st.sampled_from(_SOURCES), min_size=1, max_size=5, unique=True))
    kept = draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    base = [rec(c, draw(_AMOUNTS), unit, year=2021, sector=Sector(s)) for c, s, unit in chosen]
    now = [
        rec(c, draw(_AMOUNTS), unit, sector=Sector(s))
        for (c, s, unit), keep in zip(chosen, kept, strict=True)
        if keep
    ]
    return base, now, kept.count(False)


@settings(deadline=None)
@given(year_pair())
def test_a_comparison_never_reports_a_decline_from_missing_data(
    pair: tuple[list[ActivityRecord], list[ActivityRecord], int],
) -> None:
    base_records, current_records, dropped = pair
    base = account(*base_records, year=2021, profile=two_year_profile())
    later = account(*current_records, profile=two_year_profile())
    comparison = compare_years(base, later, library())
    if dropped:
        assert comparison.refused is not None
        for indicator in (
            comparison.decline_rate,
            comparison.per_capita_decline_rate,
            comparison.apparent_decline_rate,
        ):
            assert indicator.value is None
            assert indicator.not_applicable == comparison.refused
    else:
        assert comparison.refused is None
        assert comparison.decline_rate.value is not None


def test_a_draft_year_makes_the_decline_provisional_with_its_gaps() -> None:
    base = base_2021("shanghai-2022")
    draft = current(rec("electricity", 900_000, "kWh", quality=DataQuality.DEFAULT))
    comparison = compare_years(base, draft, library())
    assert comparison.provisional
    assert comparison.decline_rate.provisional
    assert comparison.decline_rate.value == D(10)
    lines = [m.render() for m in comparison.decline_rate.explanation()]
    assert lines[-1].startswith("provisional: 2024 is a draft")
