"""Additive LMDI-I: hand-checked cases, the zero rules, named errors, and the property that the
effects add up to the change."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowcarbon.core.activity import ActivityRecord, SourceCategory, UnitKind, YearDrivers
from lowcarbon.core.decomposition import (
    CARRIER_OF,
    PRECISION,
    Carrier,
    Effect,
    EnergyNotAvailableError,
    MixedFactorSetsError,
    decompose,
    log_mean,
)
from lowcarbon.core.indicators import MissingDriversError, ZeroPopulationError
from lowcarbon.core.inventory import ELECTRICITY_CATEGORIES, FUEL_CATEGORIES, Inventory

from .test_inventory import GREEN_SET, account, make_profile, rec

D = Decimal
BASE, CURRENT = 2024, 2025


def year(
    when: int,
    *records: ActivityRecord,
    population: int = 1000,
    set_id: str = GREEN_SET,
    drivers: tuple[YearDrivers, ...] | None = None,
) -> Inventory:
    profile = make_profile(
        UnitKind.COMMUNITY, *(drivers or (YearDrivers(when, population),)), year=when
    )
    return account(*records, set_id=set_id, year=when, profile=profile)


def kwh(quantity: int, when: int, category: str = "electricity") -> ActivityRecord:
    return rec(category, quantity, "kWh", year=when)


def gas(quantity: int, when: int) -> ActivityRecord:
    return rec("natural_gas", quantity, "m3", year=when)


def test_log_mean_and_its_limits() -> None:
    assert log_mean(D(2), D(2)) == D(2)
    assert log_mean(D(0), D(5)) == D(0)
    assert log_mean(D(5), D(0)) == D(0)
    assert log_mean(D(0), D(0)) == D(0)
    e = D(1).exp()
    assert abs(log_mean(e, D(1)) - (e - 1)) < D("1e-25")


def test_growth_of_population_alone_is_the_population_effect() -> None:
    result = decompose(
        year(BASE, kwh(1_000_000, BASE)),
        year(CURRENT, kwh(2_000_000, CURRENT), population=2000),
    )
    # L(840, 420) · ln 2 = 420 / ln 2 · ln 2
    assert abs(result.effects[Effect.POPULATION] - D(420)) < D("1e-20")
    assert abs(result.effects[Effect.INTENSITY]) < D("1e-20")
    assert result.effects[Effect.MIX] == 0
    assert result.effects[Effect.EMISSION_FACTOR] == 0
    assert result.change_tco2 == D(420)
    assert abs(result.residual) < D("1e-20")
    assert (result.base_population, result.current_population) == (D(1000), D(2000))
    assert (result.base_tce, result.current_tce) == (D("122.9"), D("245.8"))
    assert (result.base_year, result.current_year, result.set_id) == (BASE, CURRENT, GREEN_SET)


def test_green_power_replacing_grid_power_is_the_emission_factor_effect() -> None:
    result = decompose(
        year(BASE, kwh(1_000_000, BASE)),
        year(CURRENT, kwh(500_000, CURRENT), kwh(500_000, CURRENT, "green_electricity")),
    )
    # Same energy, same carrier: L(210, 420) · ln(0.5) = −210
    assert abs(result.effects[Effect.EMISSION_FACTOR] + D(210)) < D("1e-20")
    assert result.effects[Effect.POPULATION] == 0
    assert result.effects[Effect.INTENSITY] == 0
    assert result.effects[Effect.MIX] == 0
    (electricity,) = result.carriers
    assert electricity.carrier is Carrier.ELECTRICITY
    assert (electricity.base_tco2, electricity.current_tco2) == (D(420), D(210))
    assert electricity.base_tce == electricity.current_tce == D("122.9")


def test_a_new_carrier_goes_to_the_mix_effect() -> None:
    result = decompose(
        year(BASE, kwh(1_000_000, BASE)),
        year(CURRENT, kwh(1_000_000, CURRENT), gas(10_000, CURRENT)),
    )
    gas_effects = next(c for c in result.carriers if c.carrier is Carrier.NATURAL_GAS).effects
    assert gas_effects[Effect.MIX] == D("21.62")
    assert gas_effects[Effect.EMISSION_FACTOR] == 0
    # Electricity kept its emissions: its intensity and mix effects cancel.
    assert abs(result.effects[Effect.INTENSITY] + result.effects[Effect.MIX] - D("21.62")) < D(
        "1e-20"
    )
    assert result.effects[Effect.POPULATION] == 0
    assert result.effects[Effect.EMISSION_FACTOR] == 0


def test_a_carrier_given_up_goes_to_the_mix_effect() -> None:
    result = decompose(
        year(BASE, kwh(1_000_000, BASE), gas(10_000, BASE)),
        year(CURRENT, kwh(1_000_000, CURRENT)),
    )
    gas_effects = next(c for c in result.carriers if c.carrier is Carrier.NATURAL_GAS).effects
    assert gas_effects[Effect.MIX] == D("-21.62")
    assert abs(result.residual) < D("1e-20")


def test_a_carrier_with_zero_emissions_then_grid_power_goes_to_the_emission_factor() -> None:
    result = decompose(
        year(BASE, kwh(1_000_000, BASE, "green_electricity")),
        year(CURRENT, kwh(1_000_000, CURRENT)),
    )
    assert result.effects[Effect.EMISSION_FACTOR] == D(420)
    assert result.change_tco2 == D(420)


def test_no_energy_in_the_base_year_goes_to_the_intensity_effect() -> None:
    result = decompose(
        year(BASE, rec("waste", 5, "t", year=BASE)),
        year(CURRENT, kwh(1_000_000, CURRENT)),
    )
    assert result.effects[Effect.INTENSITY] == D(420)
    assert result.base_tce == 0


def test_zero_emissions_in_both_years_have_no_effect() -> None:
    result = decompose(
        year(BASE, kwh(100, BASE, "onsite_renewable_electricity")),
        year(CURRENT, kwh(300, CURRENT, "onsite_renewable_electricity"), population=7),
    )
    assert all(value == 0 for value in result.effects.values())
    assert result.change_tco2 == 0


def test_the_explanation_names_every_effect() -> None:
    result = decompose(
        year(BASE, kwh(1_000_000, BASE)),
        year(CURRENT, kwh(2_000_000, CURRENT), population=2000),
    )
    text = result.explanation()[0].render()
    assert "2024→2025: 420 tCO2" in text
    assert "LMDI-I" in text
    assert "emission factors 0" in text


def test_inventories_under_different_sets_are_refused() -> None:
    with pytest.raises(MixedFactorSetsError, match="recompute 2024 under 'shanghai-2022'"):
        decompose(year(BASE, kwh(1, BASE)), year(CURRENT, kwh(1, CURRENT), set_id="shanghai-2022"))


def test_inventories_without_tce_are_refused() -> None:
    with pytest.raises(EnergyNotAvailableError, match="shanghai-2012"):
        decompose(
            year(2020, kwh(1, 2020), set_id="shanghai-2012"),
            year(2021, kwh(1, 2021), set_id="shanghai-2012"),
        )


def test_a_population_of_zero_is_refused() -> None:
    with pytest.raises(ZeroPopulationError):
        decompose(year(BASE, kwh(1, BASE), population=0), year(CURRENT, kwh(1, CURRENT)))


def test_missing_drivers_are_refused() -> None:
    orphan = year(BASE, kwh(1, BASE), drivers=(YearDrivers(1999, 5),))
    with pytest.raises(MissingDriversError):
        decompose(orphan, year(CURRENT, kwh(1, CURRENT)))


def test_every_energy_category_has_a_carrier() -> None:
    energy = ELECTRICITY_CATEGORIES | FUEL_CATEGORIES | {SourceCategory.HEAT}
    assert energy | {SourceCategory.SOLAR_THERMAL} == set(CARRIER_OF)


# ---------------------------------------------------------------------------------------------
# Property: the effects add up to the change

_ENERGY: dict[str, str] = {
    "electricity": "kWh",
    "green_electricity": "kWh",
    "onsite_renewable_electricity": "kWh",
    "heat": "GJ",
    "solar_thermal": "GJ",
    "natural_gas": "m3",
    "lpg": "t",
    "gasoline": "t",
    "diesel": "t",
    "fuel_oil": "t",
}


@st.composite
def energy_records(draw: st.DrawFn, when: int) -> list[ActivityRecord]:
    # One record per carrier: two records of a carrier with the same quantity would be one
    # record entered twice, which the inventory refuses.
    chosen = draw(st.lists(st.sampled_from(sorted(_ENERGY)), max_size=6, unique=True))
    quantities = st.one_of(st.just(D(0)), st.decimals(min_value=0, max_value=10**8, places=2))
    return [rec(c, draw(quantities), _ENERGY[c], year=when) for c in chosen]


TOLERANCE = D("1e-9")  # relative to the change
FLOOR = D("1e-30")  # a change of exactly 0 must give effects summing to 0 at this precision


@settings(deadline=None)
@given(
    energy_records(BASE),
    energy_records(CURRENT),
    st.integers(1, 10**6),
    st.integers(1, 10**6),
)
def test_lmdi_effects_add_up_to_the_change(
    base_records: list[ActivityRecord],
    current_records: list[ActivityRecord],
    base_population: int,
    current_population: int,
) -> None:
    result = decompose(
        year(BASE, *base_records, population=base_population),
        year(CURRENT, *current_records, population=current_population),
    )
    # Sum at the decomposition's precision, so the test measures it and not its own rounding.
    with localcontext() as context:
        context.prec = PRECISION
        change = result.change_tco2
        total = sum(result.effects.values(), D(0))
        assert abs(total - change) <= TOLERANCE * abs(change) + FLOOR
        assert abs(result.residual) <= TOLERANCE * abs(change) + FLOOR
        for carrier in result.carriers:
            carrier_change = carrier.current_tco2 - carrier.base_tco2
            carrier_total = sum(carrier.effects.values(), D(0))
            assert abs(carrier_total - carrier_change) <= TOLERANCE * abs(carrier_change) + FLOOR
