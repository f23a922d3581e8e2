"""The factor library in memory: resolution with its trace, named errors, fuel derivations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lowcarbon.core import factors
from lowcarbon.core.factors import (
    DERIVATION_TOLERANCE,
    CategoryNotCoveredError,
    Confidence,
    Factor,
    FactorError,
    FactorKind,
    FactorLibrary,
    FactorSet,
    FactorValue,
    FactorValueNotFoundError,
    FuelDerivation,
    Gas,
    OutsideValidityError,
    SetEntry,
    UnknownFactorError,
    UnknownFactorSetError,
    check_derivations,
    derive_fuel_factor,
)
from lowcarbon.core.text import LocalText
from lowcarbon.core.units import Amount, UnitDimensionError, parse_unit

SHANGHAI_34 = "沪环气〔2022〕34号"


def dated(
    value: str,
    unit: str,
    valid_from: date,
    source_id: str,
    confidence: Confidence = Confidence.PRIMARY,
) -> FactorValue:
    return FactorValue(
        value=Decimal(value),
        unit=parse_unit(unit),
        valid_from=valid_from,
        reference=f"reference of {source_id}",
        source_id=source_id,
        confidence=confidence,
        note=f"note of {source_id}",
    )


def factor(
    factor_id: str,
    *values: FactorValue,
    kind: FactorKind = FactorKind.EMISSION_FACTOR,
    derived_from: FuelDerivation | None = None,
) -> Factor:
    return Factor(
        id=factor_id,
        family=factor_id.split("/")[0],
        label=LocalText(zh=factor_id, en=factor_id),
        gas=Gas.CO2 if kind is FactorKind.EMISSION_FACTOR else Gas.NONE,
        region="Shanghai",
        values=values,
        kind=kind,
        derived_from=derived_from,
    )


Y2015 = date(2015, 1, 1)
Y2006 = date(2006, 1, 1)
ELECTRICITY = factor(
    "electricity/shanghai-purchased",
    dated("7.88", "tCO2/10^4kWh", date(2013, 1, 1), "EL-SH-2012"),
    dated("4.2", "tCO2/10^4kWh", date(2022, 2, 11), "EL-SH-2022"),
)
NG_NCV = factor(
    "fuel/cn-natural-gas-ncv",
    dated("389.31", "GJ/10^4Nm3", Y2015, "FU-CN-NG-NCV", Confidence.SECONDARY),
    kind=FactorKind.NET_CALORIFIC_VALUE,
)
NG_CC = factor(
    "fuel/cn-natural-gas-carbon-content",
    dated("15.3", "tC/TJ", Y2015, "FU-CN-NG-CC", Confidence.SECONDARY),
    kind=FactorKind.CARBON_CONTENT,
)
NG_OX = factor(
    "fuel/cn-natural-gas-oxidation",
    dated("99", "%", Y2015, "FU-CN-NG-OX", Confidence.SECONDARY),
    kind=FactorKind.OXIDATION_RATE,
)
NATURAL_GAS = factor(
    "fuel/cn-natural-gas",
    dated("21.62", "tCO2/10^4Nm3", Y2015, "FU-CN-NG-EF", Confidence.SECONDARY),
    derived_from=FuelDerivation(NG_NCV.id, NG_CC.id, NG_OX.id),
)
# IPCC 2006 diesel: the published 74.1 kgCO2/GJ is 20.2 × 44/12 = 74.07 rounded to 0.1.
DIESEL_NCV = factor(
    "fuel/ipcc-diesel-ncv",
    dated("43.0", "TJ/Gg", Y2006, "FU-IPCC-DIESEL-NCV"),
    kind=FactorKind.NET_CALORIFIC_VALUE,
)
DIESEL_CC = factor(
    "fuel/ipcc-diesel-carbon-content",
    dated("20.2", "kgC/GJ", Y2006, "FU-IPCC-DIESEL-CC"),
    kind=FactorKind.CARBON_CONTENT,
)
IPCC_OX = factor(
    "fuel/ipcc-oxidation", dated("100", "%", Y2006, "FU-IPCC-OX"), kind=FactorKind.OXIDATION_RATE
)
DIESEL = factor(
    "fuel/ipcc-diesel",
    dated("74.1", "kgCO2/GJ", Y2006, "FU-IPCC-DIESEL-EF"),
    derived_from=FuelDerivation(DIESEL_NCV.id, DIESEL_CC.id, IPCC_OX.id),
)

SET_2022 = FactorSet(
    id="shanghai-2022",
    title=LocalText(zh="上海市缺省因子", en="Shanghai defaults"),
    valid_from=date(2013, 1, 1),
    valid_to=None,
    citation=SHANGHAI_34,
    entries=(
        SetEntry("electricity", ELECTRICITY.id, date(2022, 2, 11)),
        SetEntry("natural_gas", NATURAL_GAS.id, Y2015),
        SetEntry("heat", "heat/shanghai-purchased", date(2022, 2, 11)),
        SetEntry("lpg", NATURAL_GAS.id, date(2016, 1, 1)),
    ),
    supersedes="shanghai-2012",
)
SET_2012 = FactorSet(
    id="shanghai-2012",
    title=LocalText(zh="上海市原缺省因子"),
    valid_from=date(2013, 1, 1),
    valid_to=date(2022, 2, 10),
    citation="SH/MRV-001-2012",
    entries=(SetEntry("electricity", ELECTRICITY.id, date(2013, 1, 1)),),
)
LIBRARY = FactorLibrary(
    [ELECTRICITY, NG_NCV, NG_CC, NG_OX, NATURAL_GAS, DIESEL_NCV, DIESEL_CC, IPCC_OX, DIESEL],
    [SET_2022, SET_2012],
)


def test_every_exported_name_exists() -> None:
    for name in factors.__all__:
        assert hasattr(factors, name), name


def test_resolution_carries_its_full_trace() -> None:
    resolved = LIBRARY.resolve("shanghai-2022", "electricity", date(2020, 6, 30))
    assert resolved.set_id == "shanghai-2022"
    assert resolved.category == "electricity"
    assert resolved.on == date(2020, 6, 30)
    assert resolved.factor_id == "electricity/shanghai-purchased"
    assert resolved.value == Decimal("4.2")
    assert resolved.unit.text == "tCO2/10^4kWh"
    assert resolved.valid_from == date(2022, 2, 11)
    assert resolved.reference == "reference of EL-SH-2022"
    assert resolved.source_id == "EL-SH-2022"
    assert resolved.confidence is Confidence.PRIMARY
    assert resolved.note == "note of EL-SH-2022"
    assert resolved.gas is Gas.CO2
    assert resolved.label.en == "electricity/shanghai-purchased"
    assert not resolved.low_confidence
    assert resolved.explanation().render() == (
        "4.2 tCO2/10^4kWh (electricity/shanghai-purchased, EL-SH-2022, valid from 2022-02-11, "
        "set shanghai-2022, confidence primary)"
    )


def test_a_million_kwh_under_the_2022_set_is_420_tco2() -> None:
    resolved = LIBRARY.resolve("shanghai-2022", "electricity", date(2023, 1, 1))
    assert resolved.apply(Decimal(1_000_000), "kWh", "tCO2") == Decimal(420)


def test_the_same_activity_under_the_2012_set_gives_its_own_pinned_value() -> None:
    resolved = LIBRARY.resolve("shanghai-2012", "electricity", date(2020, 1, 1))
    assert resolved.value == Decimal("7.88")
    assert resolved.apply(Decimal(1_000_000), "kWh", "tCO2") == Decimal(788)


def test_a_set_pins_its_value_whatever_the_activity_date() -> None:
    # 34号 asks for historical data to be recalculated with 4.2: the set applies its pinned
    # value to a 2015 baseline as to a 2030 target year (accounting-method.md §5.2).
    for year in (2015, 2020, 2030):
        assert LIBRARY.resolve("shanghai-2022", "electricity", date(year, 1, 1)).value == Decimal(
            "4.2"
        )


def test_a_low_confidence_value_is_flagged() -> None:
    resolved = LIBRARY.resolve("shanghai-2022", "natural_gas", date(2020, 1, 1))
    assert resolved.confidence is Confidence.SECONDARY
    assert resolved.low_confidence


@pytest.mark.parametrize(
    ("confidence", "low"),
    [
        (Confidence.PRIMARY, False),
        (Confidence.PRIMARY_VIA_REPRODUCTION, False),
        (Confidence.SECONDARY, True),
        (Confidence.LITERATURE, True),
        (Confidence.UNTRACED, True),
    ],
)
def test_which_confidence_levels_are_low(confidence: Confidence, low: bool) -> None:
    assert confidence.is_low is low


def test_a_category_the_set_lacks_raises() -> None:
    with pytest.raises(CategoryNotCoveredError) as caught:
        LIBRARY.resolve("shanghai-2012", "heat", date(2020, 1, 1))
    assert caught.value.set_id == "shanghai-2012"
    assert caught.value.category == "heat"
    assert str(caught.value) == (
        "factor set 'shanghai-2012' has no factor for 'heat'; it covers: electricity"
    )
    assert isinstance(caught.value, FactorError)


def test_a_date_after_the_set_raises() -> None:
    with pytest.raises(OutsideValidityError) as caught:
        LIBRARY.resolve("shanghai-2012", "electricity", date(2022, 2, 11))
    assert str(caught.value) == (
        "factor set 'shanghai-2012' is valid from 2013-01-01 to 2022-02-10, not on 2022-02-11"
    )
    assert caught.value.on == date(2022, 2, 11)


def test_a_date_before_an_open_ended_set_raises() -> None:
    with pytest.raises(OutsideValidityError, match="valid from 2013-01-01 to now, not on 2012"):
        LIBRARY.resolve("shanghai-2022", "electricity", date(2012, 12, 31))


def test_an_unknown_set_raises_and_lists_the_sets() -> None:
    with pytest.raises(UnknownFactorSetError) as caught:
        LIBRARY.resolve("shanghai-2030", "electricity", date(2030, 1, 1))
    assert str(caught.value) == (
        "no factor set 'shanghai-2030'; the sets are: shanghai-2012, shanghai-2022"
    )


def test_a_set_entry_naming_a_missing_factor_raises() -> None:
    with pytest.raises(UnknownFactorError, match="no factor 'heat/shanghai-purchased'"):
        LIBRARY.resolve("shanghai-2022", "heat", date(2023, 1, 1))


def test_a_set_entry_pinning_a_missing_value_raises() -> None:
    with pytest.raises(FactorValueNotFoundError) as caught:
        LIBRARY.resolve("shanghai-2022", "lpg", date(2023, 1, 1))
    assert str(caught.value) == (
        "factor 'fuel/cn-natural-gas' has no value for 2016-01-01; its values start on: 2015-01-01"
    )


def test_value_on_gives_the_value_in_force() -> None:
    assert ELECTRICITY.value_on(date(2022, 2, 10)).source_id == "EL-SH-2012"
    assert ELECTRICITY.value_on(date(2022, 2, 11)).source_id == "EL-SH-2022"
    assert ELECTRICITY.value_on(date(2040, 1, 1)).source_id == "EL-SH-2022"
    with pytest.raises(FactorValueNotFoundError):
        ELECTRICITY.value_on(date(2012, 12, 31))


def test_unknown_factor_lookup_raises() -> None:
    with pytest.raises(UnknownFactorError):
        LIBRARY.factor("electricity/nowhere")
    assert LIBRARY.factor(ELECTRICITY.id) is ELECTRICITY


def test_the_library_is_read_only() -> None:
    assert set(LIBRARY.sets) == {"shanghai-2012", "shanghai-2022"}
    with pytest.raises(TypeError):
        LIBRARY.factors["x"] = ELECTRICITY  # type: ignore[index]


def test_two_factors_with_one_id_are_refused() -> None:
    with pytest.raises(FactorError, match="two factors share the id 'electricity/shanghai-"):
        FactorLibrary([ELECTRICITY, ELECTRICITY], [])


def test_two_sets_with_one_id_are_refused() -> None:
    with pytest.raises(FactorError, match="two factor sets share the id 'shanghai-2012'"):
        FactorLibrary([], [SET_2012, SET_2012])


def test_set_validity_and_categories() -> None:
    assert SET_2012.covers(date(2013, 1, 1))
    assert SET_2012.covers(date(2022, 2, 10))
    assert not SET_2012.covers(date(2012, 12, 31))
    assert SET_2022.covers(date(2060, 12, 31))
    assert SET_2022.categories == ("electricity", "natural_gas", "heat", "lpg")


def test_natural_gas_derives_to_the_published_2_162_kgco2_per_m3() -> None:
    derived = derive_fuel_factor(
        NG_NCV.values[0].amount, NG_CC.values[0].amount, NG_OX.values[0].amount
    )
    assert derived.unit.text == "tCO2/10^4Nm3"
    # 389.31 × 15.3e-3 × 0.99 × 44/12 = 21.6219 tCO2/10^4Nm3
    assert abs(derived.value - Decimal("21.6218881")) < Decimal("0.0000001")
    per_m3 = derived.to("kgCO2/m3").value
    assert abs(per_m3 - Decimal("2.162")) <= DERIVATION_TOLERANCE


def test_derivation_does_not_depend_on_the_parameter_units() -> None:
    ncv = Amount(Decimal("38.931"), parse_unit("MJ/m3"))
    carbon = Amount(Decimal("15.3"), parse_unit("kgC/GJ"))
    oxidation = Amount(Decimal("0.99"), parse_unit("%/%"))
    derived = derive_fuel_factor(ncv, carbon, oxidation, "kgCO2/m3")
    assert abs(derived.value - Decimal("2.16218881")) < Decimal("0.00000001")


def test_a_mass_based_ncv_gives_tco2_per_tonne_by_default() -> None:
    derived = derive_fuel_factor(
        Amount(Decimal("47.31"), parse_unit("GJ/t")),
        Amount(Decimal("17.2"), parse_unit("tC/TJ")),
        Amount(Decimal("99"), parse_unit("%")),
    )
    assert derived.unit.text == "tCO2/t"
    assert abs(derived.value - Decimal("2.954")) <= DERIVATION_TOLERANCE


def test_an_ncv_per_energy_is_refused() -> None:
    with pytest.raises(UnitDimensionError, match="not per mass or volume of fuel"):
        derive_fuel_factor(
            Amount(Decimal(1), parse_unit("GJ/kWh")),
            Amount(Decimal("15.3"), parse_unit("tC/TJ")),
            Amount(Decimal(99), parse_unit("%")),
        )


def test_a_carbon_content_in_the_wrong_unit_is_refused() -> None:
    with pytest.raises(UnitDimensionError):
        derive_fuel_factor(
            Amount(Decimal("389.31"), parse_unit("GJ/10^4Nm3")),
            Amount(Decimal("15.3"), parse_unit("tCO2/TJ")),
            Amount(Decimal(99), parse_unit("%")),
        )


def test_check_derivations_lists_agreements_and_disagreements() -> None:
    checks = {check.factor_id: check for check in check_derivations(LIBRARY)}
    assert set(checks) == {"fuel/cn-natural-gas", "fuel/ipcc-diesel"}

    gas = checks["fuel/cn-natural-gas"]
    assert gas.agrees
    assert gas.source_id == "FU-CN-NG-EF"
    assert gas.valid_from == Y2015
    assert gas.published == Amount(Decimal("21.62"), parse_unit("tCO2/10^4Nm3"))
    assert gas.derived.unit.text == "tCO2/10^4Nm3"
    assert gas.comparison_unit.text == "kgCO2/m3"
    assert abs(gas.difference - Decimal("0.000189")) < Decimal("0.000001")

    # Published per GJ: compared per kg of fuel through the same NCV, as the tolerance says.
    diesel = checks["fuel/ipcc-diesel"]
    assert not diesel.agrees
    assert diesel.derived.unit.text == "kgCO2/GJ"
    assert abs(diesel.derived.value - Decimal("74.0667")) < Decimal("0.0001")
    assert diesel.comparison_unit.text == "kgCO2/kg"
    assert abs(diesel.difference - Decimal("-0.001433")) < Decimal("0.000001")
