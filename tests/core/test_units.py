"""Units: the spellings people type, exact 10^4 units, and dimensions that must fit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowcarbon.core import units
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.units import (
    ACCEPTED_SPELLINGS,
    CO2_PER_CARBON,
    Amount,
    Unit,
    UnitDimensionError,
    UnitError,
    UnknownUnitError,
    apply_rate,
    check_dimension,
    convert,
    dimension_name,
    multiply,
    parse_unit,
    same_dimension,
)


def test_every_exported_name_exists() -> None:
    for name in units.__all__:
        assert hasattr(units, name), name


@pytest.mark.parametrize("text", ACCEPTED_SPELLINGS)
def test_every_accepted_spelling_parses(text: str) -> None:
    assert parse_unit(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "kWh",
        "万kWh",
        "MWh",
        "m³",
        "m3",
        "万m³",
        "Nm3",
        "t",
        "吨",
        "kg",
        "L",
        "升",
        "GJ",
        "tce",
        "吨标准煤",
        "tCO2/10^4kWh",
        "kgCO2/kWh",
        "tCO2/GJ",
        "tC/TJ",
        "GJ/10^4Nm3",
        "GJ/t",
        "kgCO2e/(hm2*a)",
        "kg/(tree*a)",
        "gCO2e/pkm",
        "%",
    ],
)
def test_spellings_from_the_issue_and_the_csv_parse(text: str) -> None:
    assert isinstance(parse_unit(text), Unit)


@pytest.mark.parametrize(
    "text", ["万kWh", "10^4kWh", "10⁴kWh", "10^4 kWh", "万千瓦时", "万度", " 万kWh "]
)
def test_one_wan_kwh_is_ten_thousand_kwh_whatever_the_spelling(text: str) -> None:
    assert convert(Decimal(1), text, "kWh") == Decimal(10000)
    assert convert(Decimal(10000), "kWh", text) == Decimal(1)


def test_wan_is_ten_thousand_for_every_unit_that_takes_it() -> None:
    assert convert(Decimal(1), "万m³", "m3") == 10000
    assert convert(Decimal(1), "10^4Nm3", "Nm³") == 10000
    assert convert(Decimal(1), "万t", "t") == 10000
    assert convert(Decimal(1), "万吨标准煤", "tce") == 10000


def test_full_width_and_unicode_forms_are_the_same_unit() -> None:
    assert convert(Decimal(1), "ｍ³", "m3") == 1
    assert convert(Decimal(1), "tCO₂／万kWh", "tCO2/10^4kWh") == 1
    assert convert(Decimal(1), "kg/(tree·a)", "kg/(tree*a)") == 1


def test_the_text_as_written_is_kept_for_display() -> None:
    unit = parse_unit(" tCO2/10^4kWh ")
    assert unit.text == "tCO2/10^4kWh"
    assert str(unit) == "tCO2/10^4kWh"
    assert str(Amount(Decimal("4.2"), unit)) == "4.2 tCO2/10^4kWh"


def test_a_million_kwh_at_shanghai_4_2_is_exactly_420_tco2() -> None:
    result = apply_rate(Decimal(1_000_000), "kWh", Decimal("4.2"), "tCO2/10^4kWh", "tCO2")
    assert result == Decimal(420)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        (Decimal(1_000_000), "kWh"),
        (Decimal(1000), "MWh"),
        (Decimal(100), "万kWh"),
        (Decimal(1), "GWh"),
        (Decimal(3600), "GJ"),
    ],
)
@pytest.mark.parametrize(
    ("rate", "rate_unit"),
    [
        (Decimal("4.2"), "tCO2/10^4kWh"),
        (Decimal("0.42"), "kgCO2/kWh"),
        (Decimal("0.42"), "tCO2/MWh"),
    ],
)
def test_emissions_do_not_depend_on_how_the_units_are_written(
    amount: Decimal, unit: str, rate: Decimal, rate_unit: str
) -> None:
    assert apply_rate(amount, unit, rate, rate_unit, "tCO2") == Decimal(420)
    assert apply_rate(amount, unit, rate, rate_unit, "kgCO2") == Decimal(420_000)


def test_kwh_converts_to_gj_exactly() -> None:
    assert convert(Decimal(1), "kWh", "GJ") == Decimal("0.0036")
    assert convert(Decimal(1), "TJ/Gg", "GJ/t") == 1
    assert convert(Decimal(15), "tC/TJ", "kgC/GJ") == 15


@pytest.mark.parametrize(
    ("text", "part"),
    [("kWhh", "kWhh"), ("tCO2/10^5kWh", "10^5kWh"), ("furlong", "furlong"), ("吨煤", "吨煤")],
)
def test_an_unknown_spelling_is_named_and_the_accepted_ones_listed(text: str, part: str) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        parse_unit(text)
    message = str(caught.value)
    assert caught.value.text == text
    assert f"'{text}'" in message
    assert f"'{part}' is not an accepted spelling" in message
    assert "万kWh" in message
    assert "tce" in message
    assert isinstance(caught.value, UnitError)
    assert isinstance(caught.value, LowcarbonError)
    assert caught.value.code == "unknown_unit"


@pytest.mark.parametrize(
    "text", ["", "   ", "kWh/", "/kWh", "(kWh", "kWh)", "kWh**2", "kWh//t", "()", "kWh(t)", "t)("]
)
def test_a_malformed_combination_is_refused(text: str) -> None:
    with pytest.raises(UnknownUnitError, match="not a well-formed combination of units"):
        parse_unit(text)


def test_pint_names_are_not_accepted_spellings() -> None:
    # Only the project's spellings are accepted, not the whole pint vocabulary.
    with pytest.raises(UnknownUnitError):
        parse_unit("co2_t")
    with pytest.raises(UnknownUnitError):
        parse_unit("kilowatt_hour")


def test_cubic_metres_of_electricity_do_not_convert() -> None:
    with pytest.raises(UnitDimensionError) as caught:
        convert(Decimal(1), "m3", "kWh")
    assert str(caught.value) == "m3 measures volume, which cannot be expressed in kWh (energy)"
    assert (caught.value.found, caught.value.expected) == ("m3", "kWh")
    assert caught.value.code == "unit_dimension"


def test_cubic_metres_against_an_electricity_factor_raise() -> None:
    with pytest.raises(UnitDimensionError) as caught:
        apply_rate(Decimal(1000), "m3", Decimal("4.2"), "tCO2/10^4kWh", "tCO2")
    assert str(caught.value) == (
        "an amount in m3 (volume) does not fit a factor in tCO2/10^4kWh giving tCO2: "
        "that factor applies to energy"
    )


def test_coal_equivalent_is_not_energy_without_a_coefficient() -> None:
    # 吨标准煤 needs a cited coefficient (GB/T 2589: 0.1229 kgce/kWh), never a silent conversion.
    assert not same_dimension("tce", "GJ")
    with pytest.raises(UnitDimensionError, match="coal equivalent"):
        convert(Decimal(1), "tce", "GJ")
    assert apply_rate(Decimal(10000), "kWh", Decimal("0.1229"), "kgce/kWh", "tce") == Decimal(
        "1.229"
    )


def test_carbon_is_not_co2_and_fuel_mass_is_not_co2_mass() -> None:
    assert not same_dimension("tC", "tCO2")
    assert not same_dimension("t", "tCO2")
    assert same_dimension("tCO2", "tCO2e")
    assert convert(Decimal(12), "tC", "kgC") == Decimal(12000)


def test_forty_four_twelfths_turns_carbon_into_co2() -> None:
    amount = multiply((Amount(Decimal(12), parse_unit("tC")), CO2_PER_CARBON), "tCO2")
    assert amount.value == Decimal(44)
    assert amount.unit.text == "tCO2"


def test_multiply_names_what_the_product_measures_when_it_does_not_fit() -> None:
    with pytest.raises(UnitDimensionError) as caught:
        multiply(
            (Amount(Decimal(1), parse_unit("GJ/t")), Amount(Decimal(1), parse_unit("tC/TJ"))),
            "tCO2/t",
        )
    assert str(caught.value) == (
        "GJ/t × tC/TJ measures carbon mass per mass, which cannot be expressed in tCO2/t "
        "(CO2 mass per mass)"
    )


def test_check_dimension_accepts_fitting_units() -> None:
    check_dimension("万kWh", "GJ")
    check_dimension(parse_unit("kgCO2/kWh"), "tCO2/10^4kWh")


def test_check_dimension_refuses_units_that_measure_something_else() -> None:
    with pytest.raises(UnitDimensionError) as caught:
        check_dimension("万m³", parse_unit("kWh"))
    assert str(caught.value) == "万m³ measures volume, which cannot be expressed in kWh (energy)"
    assert (caught.value.found, caught.value.expected) == ("万m³", "kWh")


@pytest.mark.parametrize(
    ("unit", "name"),
    [
        ("kWh", "energy"),
        ("万m³", "volume"),
        ("吨", "mass"),
        ("tCO2e", "CO2 mass"),
        ("tC", "carbon mass"),
        ("kgce", "coal equivalent"),
        ("km", "distance"),
        ("pkm", "passenger distance"),
        ("vkm", "vehicle distance"),
        ("公顷", "area"),
        ("a", "time"),
        ("株", "trees"),
        ("%", "a pure number"),
        ("tCO2/10^4kWh", "CO2 mass per energy"),
        ("GJ/10^4Nm3", "energy per volume"),
        ("gCO2e/pkm", "CO2 mass per passenger distance"),
    ],
)
def test_dimensions_are_named_in_words(unit: str, name: str) -> None:
    assert dimension_name(unit).render() == name


def test_an_unnamed_dimension_falls_back_to_pint_notation() -> None:
    assert dimension_name("kgCO2e/(hm2*a)").render().startswith("the dimension [")


def test_amount_to_converts_and_checks() -> None:
    amount = Amount(Decimal("21.62"), parse_unit("tCO2/10^4Nm3"))
    assert amount.to("kgCO2/m3").value == Decimal("2.162")
    with pytest.raises(UnitDimensionError):
        amount.to("kgCO2/kg")


# Units grouped by what they measure: any two of one group convert into each other.
_SAME_DIMENSION = [
    ["kWh", "万kWh", "MWh", "GWh", "kJ", "MJ", "GJ", "TJ"],
    ["m3", "万m³", "Nm3", "10^4Nm3", "L", "立方米"],
    ["t", "kg", "g", "万吨", "Gg"],
    ["tce", "kgce", "万tce"],
    ["tCO2", "kgCO2", "gCO2e"],
    ["tCO2/10^4kWh", "kgCO2/kWh", "tCO2/MWh", "kgCO2/GJ", "tCO2/GJ"],
    ["GJ/t", "TJ/Gg", "MJ/kg"],
    ["GJ/10^4Nm3", "MJ/m3", "kJ/L"],
    ["tC/TJ", "kgC/GJ"],
    ["tCO2e/(hm2*a)", "kgCO2e/(m2*a)"],
    ["%", "%/%"],
]


@st.composite
def _unit_pair(draw: st.DrawFn) -> tuple[str, str]:
    group = draw(st.sampled_from(_SAME_DIMENSION))
    return draw(st.sampled_from(group)), draw(st.sampled_from(group))


# No deadline: pint builds its conversion caches on first use, which a slow CI runner may time.
@settings(deadline=None)
@given(
    value=st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=6, allow_nan=False
    ),
    pair=_unit_pair(),
)
def test_converting_there_and_back_is_the_identity(value: Decimal, pair: tuple[str, str]) -> None:
    there, back = pair
    result = convert(convert(value, there, back), back, there)
    # Decimal keeps 28 significant digits; a round trip may lose one in the last place.
    assert abs(result - value) <= abs(value) * Decimal("1e-24")


_ENERGY = ["kWh", "万kWh", "MWh", "GWh", "GJ", "MJ", "度"]
_ELECTRICITY_FACTOR = [
    (Decimal("4.2"), "tCO2/10^4kWh"),
    (Decimal("0.42"), "kgCO2/kWh"),
    (Decimal("0.42"), "tCO2/MWh"),
    (Decimal("420"), "kgCO2/MWh"),
]


@settings(deadline=None)
@given(
    kwh=st.decimals(min_value=Decimal(0), max_value=Decimal("1e10"), places=3),
    unit=st.sampled_from(_ENERGY),
    factor=st.sampled_from(_ELECTRICITY_FACTOR),
)
def test_emissions_do_not_depend_on_the_units_of_activity_or_factor(
    kwh: Decimal, unit: str, factor: tuple[Decimal, str]
) -> None:
    rate, rate_unit = factor
    result = apply_rate(convert(kwh, "kWh", unit), unit, rate, rate_unit, "tCO2")
    expected = kwh * Decimal("0.00042")
    assert abs(result - expected) <= expected * Decimal("1e-24")
