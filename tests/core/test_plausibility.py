"""Plausible ranges on an inventory: which figures are judged, and what a finding says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lowcarbon.core.activity import ActivityRecord, Sector, UnitKind, YearDrivers
from lowcarbon.core.plausibility import PlausibilityFinding, PlausibilityMetric

from .test_inventory import GAS, YEAR, account, make_profile, rec

D = Decimal


def findings(
    *records: ActivityRecord, **drivers: Any
) -> dict[PlausibilityMetric, PlausibilityFinding]:
    profile = make_profile(UnitKind.COMMUNITY, YearDrivers(YEAR, **drivers))
    return {f.metric: f for f in account(*records, profile=profile).completeness.implausible}


def test_a_figure_far_too_high_names_the_range_its_basis_and_what_to_check() -> None:
    found = findings(rec("electricity", "1.0e30", "kWh"), GAS, resident_population=1000)
    finding = found[PlausibilityMetric.PER_CAPITA]
    assert finding.too_high
    text = finding.message.render()
    assert "per-capita emissions of 2024 is 4.200e+23 tCO2/(person*a)" in text
    assert "outside the plausible range 0.1–20" in text
    assert "range 'community-per-capita', bounds are the team's stated assumption" in text
    assert "万kWh entered as kWh" in text
    assert finding.numerator / finding.denominator == finding.value


def test_a_figure_far_too_low_says_to_look_for_missing_records() -> None:
    found = findings(rec("electricity", 12000, "kWh"), GAS, resident_population=1000)
    finding = found[PlausibilityMetric.PER_CAPITA]
    assert not finding.too_high
    assert "0.02666 tCO2/(person*a)" in finding.message.render()
    assert "check for missing records" in finding.message.render()


def test_household_and_floor_area_figures_use_their_own_sectors() -> None:
    shop = rec("electricity", 9_000_000, "kWh", sector=Sector.COMMERCIAL_PUBLIC)
    found = findings(
        rec("electricity", 10, "kWh"),
        shop,
        GAS,
        resident_population=1000,
        households=400,
        floor_area_m2={"residential": D(1000), "industry": D(10**9)},
    )
    # 10 kWh for 400 households; 9 000 010 kWh of homes and shops on 1 000 m² (industry apart)
    assert found[PlausibilityMetric.RESIDENTIAL_ELECTRICITY_PER_HOUSEHOLD].value == D("0.025")
    area = found[PlausibilityMetric.BUILDING_ELECTRICITY_PER_FLOOR_AREA]
    assert area.value == D("9000.01")
    assert "9,000 kWh/(m2*a)" in area.message.render()


def test_figures_without_a_denominator_or_a_line_are_not_judged() -> None:
    charging = rec("electricity", 1, "kWh", sector=Sector.TRANSPORT)
    assert findings(GAS, charging, resident_population=1000).keys() == {
        PlausibilityMetric.PER_CAPITA
    }  # no households, no floor area, no residential or building electricity
    assert findings(GAS, resident_population=0) == {}
    inventory = account(GAS, profile=make_profile(UnitKind.COMMUNITY, YearDrivers(YEAR - 1, 5)))
    assert inventory.plausibility() == ()  # no drivers for the year


def test_a_range_for_the_other_kind_of_unit_does_not_apply() -> None:
    zone = make_profile(UnitKind.ZONE, YearDrivers(YEAR, 1000))
    # 42 t per resident: too much for a community, plausible for a zone
    assert account(rec("electricity", 100_000_000, "kWh"), profile=zone).plausibility() == ()
