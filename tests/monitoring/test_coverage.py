"""A metered year: meters and categories added up from the monthly job's figures, the inventory's
categories covered, and the activity records of tier measured (figures checked by hand)."""

from __future__ import annotations

from decimal import Decimal

from lowcarbon.core.activity import DataQuality, Sector, SourceCategory
from lowcarbon.core.metering import Carrier, Meter, MeterUse, MonthlyFigures, ReadingKind
from lowcarbon.monitoring.coverage import (
    metered_records,
    month_ranges,
    year_coverage,
    year_months,
)

DAILY = 1440


def meter(meter_id: str, carrier: Carrier, use: MeterUse, unit: str = "kWh") -> Meter:
    return Meter(meter_id, carrier, use, unit, ReadingKind.INTERVAL_ENERGY, DAILY)


def figure(
    m: Meter, month: str, days: int, consumption: str, tco2: str | None = None, flagged: int = 0
) -> MonthlyFigures:
    return MonthlyFigures(
        community="c",
        meter=m.id,
        month=month,
        category=m.category,
        sector=m.sector,
        unit=m.consumption_unit,
        rows=days + flagged,
        measured=days,
        estimated=0,
        flagged=flagged,
        completeness=Decimal(0),
        consumption=Decimal(consumption),
        tco2=None if tco2 is None else Decimal(tco2),
    )


LIGHT = meter("L", Carrier.ELECTRICITY, MeterUse.PUBLIC_LIGHTING)
LIFT = meter("P", Carrier.ELECTRICITY, MeterUse.LIFTS_AND_PUMPS)
WATER = meter("W", Carrier.WATER, MeterUse.PUBLIC_BUILDING, "m³")
HOMES = meter("H", Carrier.ELECTRICITY, MeterUse.HOUSEHOLD)

INVENTORY = [
    (SourceCategory.NATURAL_GAS, Sector.RESIDENTIAL),
    (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL),
    (SourceCategory.ELECTRICITY, Sector.COMMERCIAL_PUBLIC),
    (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL),  # twice: one category
]


def test_a_year_by_meter_and_category_against_the_inventory() -> None:
    figures = [
        figure(LIGHT, "2025-01", 31, "310", "0.1302"),
        figure(LIGHT, "2025-02", 28, "280", "0.1176"),
        figure(LIGHT, "2024-12", 31, "999", "1"),  # another year
        figure(LIFT, "2025-03", 40, "100", "0.042"),  # more than a month: counted up to 31
        figure(WATER, "2025-01", 31, "62"),  # water: no factor
        figure(meter("X", Carrier.GAS, MeterUse.HOUSEHOLD, "m³"), "2025-01", 31, "5"),  # not ours
        figure(HOMES, "2025-05", 0, "0", flagged=3),  # only flagged intervals: no data
    ]
    coverage = year_coverage(2025, [WATER, LIGHT, LIFT, HOMES], figures, INVENTORY)
    light, lift = coverage.meters[1], coverage.meters[2]
    assert [m.meter for m in coverage.meters] == ["H", "L", "P", "W"]
    assert (light.months, light.present, light.expected) == (("2025-01", "2025-02"), 59, 365)
    assert light.consumption == Decimal(590)
    assert light.tco2 == Decimal("0.2478")
    assert light.completeness == Decimal("0.1616")  # 59 / 365
    assert (lift.present, lift.months) == (31, ("2025-03",))
    homes = coverage.meters[0]
    assert (homes.months, homes.present, homes.tco2, homes.completeness) == ((), 0, None, 0)
    electricity = coverage.categories[0]
    assert electricity.key == (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL)
    assert not electricity.months
    public = coverage.categories[1]
    assert public.key == (SourceCategory.ELECTRICITY, Sector.COMMERCIAL_PUBLIC)
    assert (public.meters, public.months) == (("L", "P"), ("2025-01", "2025-02", "2025-03"))
    assert (public.present, public.expected, public.consumption) == (90, 730, Decimal(690))
    assert public.completeness == Decimal("0.1233")
    assert public.tco2 == Decimal("0.2898")
    assert coverage.categories[2].tco2 is None  # water
    assert [c.key for c in coverage.with_data] == [
        (SourceCategory.ELECTRICITY, Sector.COMMERCIAL_PUBLIC),
        (SourceCategory.WATER_SUPPLY, Sector.COMMERCIAL_PUBLIC),
    ]
    assert coverage.inventory == (
        (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL),
        (SourceCategory.ELECTRICITY, Sector.COMMERCIAL_PUBLIC),
        (SourceCategory.NATURAL_GAS, Sector.RESIDENTIAL),
    )
    assert coverage.covered == ((SourceCategory.ELECTRICITY, Sector.COMMERCIAL_PUBLIC),)
    assert coverage.uncovered == (
        (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL),
        (SourceCategory.NATURAL_GAS, Sector.RESIDENTIAL),
    )
    assert coverage.share == Decimal("0.3333")
    assert coverage.months == ("2025-01", "2025-02", "2025-03")
    records = metered_records(
        coverage,
        source=lambda c: f"meters {','.join(c.meters)}",
        label=lambda c: c.category.value,
    )
    assert [(r.category, r.quantity, r.unit, r.quality, r.source) for r in records] == [
        (SourceCategory.ELECTRICITY, Decimal(690), "kWh", DataQuality.MEASURED, "meters L,P"),
        (SourceCategory.WATER_SUPPLY, Decimal(62), "m³", DataQuality.MEASURED, "meters W"),
    ]
    assert {r.year for r in records} == {2025}
    assert records[1].label == "water_supply"


def test_no_meter_and_no_inventory() -> None:
    coverage = year_coverage(2025, [], [], [])
    assert (coverage.meters, coverage.categories, coverage.share) == ((), (), None)
    assert metered_records(coverage, source=str, label=str) == ()
    assert coverage.months == ()


def test_a_meter_with_no_interval_in_a_year_has_no_completeness() -> None:
    assert year_coverage(2025, [LIGHT], [], INVENTORY).meters[0].completeness == Decimal(0)


def test_months_and_their_runs() -> None:
    assert year_months(2025)[0] == "2025-01"
    assert year_months(2025)[-1] == "2025-12"
    assert month_ranges(["2025-05", "2025-01", "2025-02", "2025-03"]) == (
        ("2025-01", "2025-03"),
        ("2025-05", "2025-05"),
    )
    assert month_ranges(["2024-12", "2025-01"]) == (("2024-12", "2025-01"),)
    assert month_ranges([]) == ()
