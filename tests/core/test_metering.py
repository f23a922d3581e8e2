"""Meters and the checks on their readings: scenario tables, then properties of the roll-up."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowcarbon.core.activity import Sector, SourceCategory
from lowcarbon.core.metering import (
    Carrier,
    FindingKind,
    Interval,
    Meter,
    MeterDefinitionError,
    MeterEvent,
    MeterEventKind,
    MeterUse,
    Quality,
    RawReading,
    ReadingKind,
    Severity,
    check_readings,
    emissions_tco2,
    expected_intervals,
    month_of,
    monthly_figures,
)
from lowcarbon.rules.factors import load_factor_library

T0 = datetime(2024, 3, 1)
NOW = datetime(2024, 6, 1)


def meter(**changes: Any) -> Meter:
    values: dict[str, Any] = {
        "id": "M1",
        "carrier": Carrier.ELECTRICITY,
        "use": MeterUse.HOUSEHOLD,
        "unit": "kWh",
        "reading": ReadingKind.INTERVAL_ENERGY,
        "interval_minutes": 15,
        "max_rate": 20.0,
        "max_gap_intervals": 2,
    }
    values.update(changes)
    return Meter(**values)


def readings(*pairs: tuple[int, float], meter_id: str = "M1") -> list[RawReading]:
    """Rows 2, 3, … at ``T0`` + the given number of 15-minute steps."""
    return [
        RawReading(row, meter_id, T0 + timedelta(minutes=15 * step), value)
        for row, (step, value) in enumerate(pairs, start=2)
    ]


def check(the_meter: Meter, rows: list[RawReading], **kwargs: Any) -> Any:
    return check_readings({the_meter.id: the_meter}, rows, NOW, **kwargs)


def summary(result: Any) -> tuple[list[tuple[int, str, float]], list[tuple[str, int | None]]]:
    intervals = [
        (int((i.start - T0) / timedelta(minutes=15)), i.quality.value, round(i.consumption, 6))
        for i in sorted(result.intervals, key=lambda i: i.start)
    ]
    findings = sorted((f.kind.value, f.row) for f in result.findings)
    return intervals, findings


M, E, F = "measured", "estimated", "flagged"

# Scenario table: meter changes, readings as (step, value), expected intervals as (step,
# quality, consumption) and findings as (kind, row).
SCENARIOS: list[tuple[str, dict[str, Any], list[tuple[int, float]], list[Any], list[Any]]] = [
    (
        "interval energy, complete",
        {},
        [(0, 1.0), (1, 2.0), (2, 3.0)],
        [(0, M, 1.0), (1, M, 2.0), (2, M, 3.0)],
        [],
    ),
    (
        "a multiplier (CT ratio) and 万kWh",
        {"unit": "万kWh", "multiplier": Decimal(40), "max_rate": None},
        [(0, 0.001)],
        [(0, M, 400.0)],
        [],
    ),
    (
        "average power integrates over the interval",
        {"unit": "W", "reading": ReadingKind.AVERAGE_POWER},
        [(0, 4000.0), (1, 2000.0)],
        [(0, M, 1.0), (1, M, 0.5)],
        [],
    ),
    (
        "a negative value is rejected; the gap it leaves is estimated",
        {},
        [(0, 1.0), (1, -2.0), (2, 3.0)],
        [(0, M, 1.0), (1, E, 2.0), (2, M, 3.0)],
        [("gap", 4), ("negative", 3)],
    ),
    (
        "a short gap is estimated linearly",
        {},
        [(0, 1.0), (3, 4.0)],
        [(0, M, 1.0), (1, E, 2.0), (2, E, 3.0), (3, M, 4.0)],
        [("gap", 3)],
    ),
    (
        "a gap longer than the limit is never filled",
        {},
        [(0, 1.0), (4, 4.0)],
        [(0, M, 1.0), (4, M, 4.0)],
        [("gap", 3)],
    ),
    (
        "equal duplicates count once",
        {},
        [(0, 1.0), (0, 1.0), (1, 2.0)],
        [(0, M, 1.0), (1, M, 2.0)],
        [("duplicate", 3)],
    ),
    (
        "duplicates with different values: neither is taken",
        {"max_gap_intervals": 0},
        [(0, 1.0), (1, 5.0), (1, 6.0), (2, 3.0)],
        [(0, M, 1.0), (2, M, 3.0)],
        [("conflict", 3), ("conflict", 4), ("gap", 5)],
    ),
    (
        "a spike above the physical maximum is kept, flagged",
        {"max_rate": 8.0},
        [(0, 1.0), (1, 2.01), (2, 2.0)],
        [(0, M, 1.0), (1, F, 2.01), (2, M, 2.0)],
        [("spike", 3)],
    ),
    (
        "rows out of order are placed by their time",
        {},
        [(1, 2.0), (0, 1.0)],
        [(0, M, 1.0), (1, M, 2.0)],
        [("out_of_order", 3)],
    ),
    (
        "a register: differences of successive readings",
        {"reading": ReadingKind.REGISTER},
        [(0, 100.0), (1, 101.5), (2, 104.0)],
        [(0, M, 1.5), (1, M, 2.5)],
        [],
    ),
    (
        "a register going backwards without an event is flagged, not counted",
        {"reading": ReadingKind.REGISTER},
        [(0, 100.0), (1, 101.0), (2, 3.0), (3, 5.0)],
        [(0, M, 1.0), (2, M, 2.0)],
        [("register_backwards", 4)],
    ),
    (
        "a replacement event: both sides of it are counted",
        {
            "reading": ReadingKind.REGISTER,
            "events": (
                MeterEvent(T0 + timedelta(minutes=20), MeterEventKind.REPLACEMENT, 101.5, 0.0),
            ),
        },
        [(0, 100.0), (1, 101.0), (2, 3.0)],
        [(0, M, 1.0), (1, M, 3.5)],
        [],
    ),
    (
        "a rollover event at 9999",
        {
            "reading": ReadingKind.REGISTER,
            "events": (
                MeterEvent(T0 + timedelta(minutes=1), MeterEventKind.ROLLOVER, 9999.0, 0.0),
            ),
        },
        [(0, 9998.0), (1, 1.0)],
        [(0, M, 2.0)],
        [],
    ),
    (
        "a register across a short gap: the difference spread as estimates",
        {"reading": ReadingKind.REGISTER},
        [(0, 100.0), (3, 106.0)],
        [(0, E, 2.0), (1, E, 2.0), (2, E, 2.0)],
        [("gap", 3)],
    ),
    (
        "a register across a long gap: not attributed",
        {"reading": ReadingKind.REGISTER},
        [(0, 100.0), (4, 106.0)],
        [],
        [("gap", 3)],
    ),
    (
        "a register jump beyond the physical maximum",
        {"reading": ReadingKind.REGISTER, "max_rate": 4.0},
        [(0, 100.0), (1, 102.0)],
        [(0, F, 2.0)],
        [("spike", 3)],
    ),
]


@pytest.mark.parametrize(
    ("changes", "pairs", "intervals", "findings"),
    [s[1:] for s in SCENARIOS],
    ids=[s[0] for s in SCENARIOS],
)
def test_scenario(
    changes: dict[str, Any], pairs: list[tuple[int, float]], intervals: list[Any], findings: Any
) -> None:
    assert summary(check(meter(**changes), readings(*pairs))) == (intervals, sorted(findings))


def test_unknown_meter_future_and_before_installation_are_rejected_with_reasons() -> None:
    the_meter = meter(installed=date(2024, 3, 1))
    rows = [
        RawReading(2, "X9", T0, 1.0),
        RawReading(3, "M1", NOW - timedelta(minutes=10), 1.0),
        RawReading(4, "M1", datetime(2024, 2, 29, 23, 45), 1.0),
        RawReading(5, "M1", T0, 1.0),
    ]
    result = check(the_meter, rows)
    assert [i.row for i in result.intervals] == [5]
    found = {f.kind: f for f in result.findings}
    assert set(found) == {
        FindingKind.UNKNOWN_METER,
        FindingKind.FUTURE,
        FindingKind.BEFORE_INSTALLATION,
    }
    unknown = found[FindingKind.UNKNOWN_METER]
    assert (unknown.meter, unknown.row, unknown.found) == ("X9", 2, "X9")
    assert unknown.severity is Severity.REJECTED
    assert unknown.reason.render() == "no meter with this id is registered"
    future = found[FindingKind.FUTURE]
    assert future.expected.render() == "an interval ending by 2024-06-01 00:00:00"
    before = found[FindingKind.BEFORE_INSTALLATION]
    assert before.expected.render() == "a time from 2024-03-01 on"


def test_a_finding_says_row_time_value_found_and_expected() -> None:
    result = check(meter(max_rate=4.0), readings((0, 1.0), (1, 1.5), (4, 0.5)))
    gap, spike = sorted(result.findings, key=lambda f: f.kind.value)
    assert spike.kind is FindingKind.SPIKE
    assert (spike.row, spike.at, spike.found) == (3, T0 + timedelta(minutes=15), "1.5 kWh")
    assert spike.expected.render() == "at most 1 kWh in 15 minutes"
    assert spike.severity is Severity.FLAGGED
    assert gap.found == "2024-03-01 00:15:00 → 2024-03-01 01:00:00"
    assert gap.expected.render() == "a reading every 15 minutes (2 missing)"
    assert gap.reason.render() == (
        "intervals are missing; up to 2 are estimated (marked as estimates), "
        "a longer gap is left open"
    )


def test_a_register_going_backwards_names_the_previous_reading() -> None:
    result = check(meter(reading=ReadingKind.REGISTER), readings((0, 100.0), (1, 90.0)))
    (finding,) = result.findings
    assert finding.found == "90"
    assert finding.expected.render() == "at least 100 (row 2), or a replacement event"


def test_a_reading_off_the_interval_grid_is_no_gap() -> None:
    rows = [RawReading(2, "M1", T0, 1.0), RawReading(3, "M1", T0 + timedelta(minutes=20), 1.0)]
    result = check(meter(), rows)
    assert [i.start.minute for i in result.intervals] == [0, 20]
    assert result.findings == ()


def test_context_continues_a_series_and_is_ignored_when_not_before_it() -> None:
    the_meter = meter(reading=ReadingKind.REGISTER)
    stored = RawReading(0, "M1", T0, 100.0)
    result = check(the_meter, readings((1, 103.0)), context={"M1": stored})
    assert summary(result) == ([(0, M, 3.0)], [])
    later = RawReading(0, "M1", T0 + timedelta(hours=1), 100.0)
    assert check(the_meter, readings((1, 103.0)), context={"M1": later}).intervals == ()


def test_a_series_whose_readings_all_conflict_keeps_nothing() -> None:
    rows = readings((0, 1.0), (0, 2.0))
    result = check(meter(), rows, context={"M1": RawReading(0, "M1", T0, 1.0)})
    assert result.intervals == ()
    assert [f.kind for f in result.findings] == [FindingKind.CONFLICT] * 2


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"interval_minutes": 7}, "interval of 7 minutes"),
        ({"interval_minutes": 0}, "interval of 0 minutes"),
        ({"multiplier": Decimal(0)}, "multiplier 0; expected a positive number"),
        ({"reading": ReadingKind.AVERAGE_POWER}, "average power in 'kWh'"),
        (
            {"reading": ReadingKind.AVERAGE_POWER, "unit": "kW", "carrier": Carrier.GAS},
            "expected an electricity meter",
        ),
        ({"unit": "m³"}, "unit 'm³' for electricity"),
        ({"unit": "furlong"}, "unit 'furlong' for electricity"),
    ],
)
def test_a_meter_that_cannot_be_read_is_refused(changes: dict[str, Any], text: str) -> None:
    with pytest.raises(MeterDefinitionError) as caught:
        meter(**changes)
    assert text in caught.value.message.render()


def test_carriers_and_uses_map_onto_the_accounting() -> None:
    gas = meter(carrier=Carrier.GAS, unit="m³", use=MeterUse.EV_CHARGING)
    assert (gas.category, gas.sector, gas.consumption_unit) == (
        SourceCategory.NATURAL_GAS,
        Sector.TRANSPORT,
        "m³",
    )
    heat = meter(carrier=Carrier.HEAT, unit="MJ", use=MeterUse.PUBLIC_LIGHTING)
    assert heat.consumption(1000.0) == pytest.approx(1.0)
    assert heat.sector is Sector.COMMERCIAL_PUBLIC
    assert meter(max_rate=None).limit(1.0) is None


def test_months_and_their_intervals() -> None:
    assert month_of(datetime(2024, 2, 29, 23, 59)) == "2024-02"
    assert expected_intervals("2024-02", 15) == 29 * 96
    assert expected_intervals("2023-02", 60) == 28 * 24


def test_monthly_figures_use_the_factor_set_of_the_accounting() -> None:
    library = load_factor_library()
    factor = library.resolve("shanghai-2022-v2", "electricity", date(2024, 3, 31))
    figures = monthly_figures(
        community="c",
        meter="M1",
        month="2024-03",
        category=SourceCategory.ELECTRICITY,
        sector=Sector.RESIDENTIAL,
        unit="kWh",
        interval_minutes=60,
        measured=700,
        estimated=44,
        flagged=3,
        consumption=10000.0004,
        factor=factor,
    )
    assert figures.rows == 747
    assert figures.completeness == Decimal("1.0000")
    assert figures.consumption == Decimal("10000.000")
    assert figures.tco2 == Decimal("4.200000")  # 4.2 tCO2/10^4kWh
    assert emissions_tco2(Decimal(1), "万kWh", factor) == Decimal("4.2")
    half = monthly_figures(
        community="c",
        meter="M1",
        month="2024-02",
        category=SourceCategory.WATER_SUPPLY,
        sector=Sector.RESIDENTIAL,
        unit="m³",
        interval_minutes=60,
        measured=348,
        estimated=0,
        flagged=0,
        consumption=1.0,
        factor=None,
    )
    assert (half.completeness, half.tco2) == (Decimal("0.5000"), None)


# Properties ---------------------------------------------------------------------------------

values = st.floats(min_value=-1.0, max_value=30.0, allow_nan=False).map(lambda v: round(v, 3))
steps = st.lists(st.tuples(st.integers(0, 60), values), min_size=1, max_size=40)
kinds = st.sampled_from([ReadingKind.INTERVAL_ENERGY, ReadingKind.REGISTER])


def _totals(intervals: tuple[Interval, ...]) -> dict[tuple[datetime, str], float]:
    return {(i.start, i.quality.value): round(i.consumption, 9) for i in intervals}


@given(steps, st.randoms(use_true_random=False), kinds)
def test_the_intervals_do_not_depend_on_the_order_of_rows(
    pairs: list[tuple[int, float]], rng: random.Random, kind: ReadingKind
) -> None:
    the_meter = meter(reading=kind, max_rate=100.0)
    rows = readings(*pairs)
    shuffled = rows[:]
    rng.shuffle(shuffled)
    assert _totals(check(the_meter, rows).intervals) == _totals(
        check(the_meter, shuffled).intervals
    )


@given(
    st.lists(values.filter(lambda v: v >= 0), min_size=2, max_size=40),
    st.integers(1, 39),
    kinds,
)
def test_a_series_split_in_two_gives_what_the_whole_gives(
    series: list[float], cut: int, kind: ReadingKind
) -> None:
    the_meter = meter(reading=kind, max_rate=1000.0)
    if kind is ReadingKind.REGISTER:
        series = [sum(series[: i + 1]) for i in range(len(series))]  # a register only rises
    rows = readings(*enumerate(series))
    cut = min(cut, len(rows) - 1)
    whole = check(the_meter, rows).intervals
    first = check(the_meter, rows[:cut]).intervals
    second = check(the_meter, rows[cut:], context={"M1": rows[cut - 1]}).intervals
    assert _totals(whole) == _totals(first + second)
    assert all(i.quality is Quality.MEASURED for i in whole)
