"""Metered energy and water: meters, how their readings are read, and the checks on a series.

A community's monitoring system (issue 17; 附件4 加分项2 "加强水、电、气等能源分项计量统计")
receives readings of many meters. Each :class:`Meter` says what it measures (its carrier and its
use, which map onto the accounting's :class:`~lowcarbon.core.activity.SourceCategory` and
:class:`~lowcarbon.core.activity.Sector`), in which unit, and how a reading is to be read:

* ``register``: the cumulative register at an instant; consumption is the difference of two
  successive readings (the interval between them);
* ``interval-energy``: the energy (or volume) of the interval that starts at the timestamp;
* ``average-power``: the average power over the interval that starts at the timestamp (kW, W
  or MW); the energy is power × the interval's length.

Every value is multiplied by the meter's multiplier (CT ratio) and converted to the carrier's
unit (kWh, m³, GJ) through :mod:`lowcarbon.core.units`.

:func:`check_readings` turns the raw readings of a file into intervals of consumption and
findings. A finding names the meter, the row, the timestamp, the value found, what was expected
and why; it either *rejects* the row (nothing of it is kept) or *flags* it (kept, marked). The
rules:

* a reading of a meter that is not registered is rejected (``unknown_meter``);
* a timestamp after "now", or before the meter's installation, is rejected;
* readings are ordered by timestamp; a row that comes before an earlier-written one is noted as
  ``out_of_order`` and placed by its timestamp (so totals never depend on the order of rows);
* a negative value is rejected;
* a register that goes backwards is accepted only when the meter has a replacement or rollover
  event between the two readings (the consumption is then counted on both sides of the event);
  otherwise the interval is flagged ``register_backwards`` and not counted;
* the same interval twice with the same value counts once (``duplicate``); with different
  values, neither is taken (``conflict``);
* missing intervals between two readings are a ``gap``: up to ``max_gap_intervals`` missing
  intervals are estimated (linear between the neighbours; a register's difference spread
  evenly) and marked as estimates; a longer gap is never filled;
* an interval whose consumption exceeds what the meter can physically deliver
  (``max_rate`` × the interval's hours) is flagged ``spike`` and not counted.

Values are floats: they are measurements at the scale of millions a day; sums are converted to
:class:`~decimal.Decimal` where they meet the factor sets (:func:`emissions_tco2`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from .activity import CATEGORY_NAMES, Sector, SourceCategory
from .errors import LowcarbonError
from .factors import ResolvedFactor
from .messages import Message, gettext_noop
from .units import convert, parse_unit

__all__ = [
    "CARRIER_CATEGORY",
    "CARRIER_UNIT",
    "POWER_UNITS",
    "USE_SECTOR",
    "Carrier",
    "CheckedSeries",
    "FindingKind",
    "Interval",
    "Meter",
    "MeterDefinitionError",
    "MeterEvent",
    "MeterEventKind",
    "MeterUse",
    "MonthlyFigures",
    "Quality",
    "RawReading",
    "ReadingFinding",
    "ReadingKind",
    "Severity",
    "check_readings",
    "emissions_tco2",
    "expected_intervals",
    "month_of",
    "monthly_figures",
]


class Carrier(StrEnum):
    ELECTRICITY = "electricity"
    GAS = "gas"
    WATER = "water"
    HEAT = "heat"


class MeterUse(StrEnum):
    """What a meter measures; each use belongs to one sector of the accounting."""

    HOUSEHOLD = "household"
    PUBLIC_LIGHTING = "public_lighting"
    LIFTS_AND_PUMPS = "lifts_and_pumps"
    EV_CHARGING = "ev_charging"
    PUBLIC_BUILDING = "public_building"
    COMMERCIAL = "commercial"
    OTHER = "other"


class ReadingKind(StrEnum):
    REGISTER = "register"
    INTERVAL_ENERGY = "interval-energy"
    AVERAGE_POWER = "average-power"


#: The accounting category each carrier's consumption is counted under.
CARRIER_CATEGORY: dict[Carrier, SourceCategory] = {
    Carrier.ELECTRICITY: SourceCategory.ELECTRICITY,
    Carrier.GAS: SourceCategory.NATURAL_GAS,
    Carrier.WATER: SourceCategory.WATER_SUPPLY,
    Carrier.HEAT: SourceCategory.HEAT,
}

#: The unit consumption is kept and summed in, per carrier.
CARRIER_UNIT: dict[Carrier, str] = {
    Carrier.ELECTRICITY: "kWh",
    Carrier.GAS: "m³",
    Carrier.WATER: "m³",
    Carrier.HEAT: "GJ",
}

#: The sector each use is accounted in (EV charging under transport, accounting-method.md §5.5).
USE_SECTOR: dict[MeterUse, Sector] = {
    MeterUse.HOUSEHOLD: Sector.RESIDENTIAL,
    MeterUse.PUBLIC_LIGHTING: Sector.COMMERCIAL_PUBLIC,
    MeterUse.LIFTS_AND_PUMPS: Sector.COMMERCIAL_PUBLIC,
    MeterUse.EV_CHARGING: Sector.TRANSPORT,
    MeterUse.PUBLIC_BUILDING: Sector.COMMERCIAL_PUBLIC,
    MeterUse.COMMERCIAL: Sector.COMMERCIAL_PUBLIC,
    MeterUse.OTHER: Sector.OTHER,
}

#: Power units an average-power meter may report, as kWh per hour of the unit.
POWER_UNITS: dict[str, float] = {"kW": 1.0, "千瓦": 1.0, "W": 0.001, "瓦": 0.001, "MW": 1000.0}


class MeterDefinitionError(LowcarbonError):
    """A meter described in a way its readings cannot be read."""

    code = "meter"


class MeterEventKind(StrEnum):
    REPLACEMENT = "replacement"  # a new meter (or register) from ``start_reading`` on
    ROLLOVER = "rollover"  # the register passed its last value and started again


@dataclass(frozen=True)
class MeterEvent:
    """The register's last value before ``at`` and its first value after (both raw)."""

    at: datetime
    kind: MeterEventKind
    final_reading: float
    start_reading: float


@dataclass(frozen=True)
class Meter:
    """One meter: what it measures, how its readings are read, what it can deliver.

    ``unit`` is the unit of the raw value (a power unit for ``average-power``); ``max_rate`` is
    the most the meter can physically deliver in an hour, in the carrier's unit (kW for
    electricity, m³/h, GJ/h); ``None`` disables the spike check.
    """

    id: str
    carrier: Carrier
    use: MeterUse
    unit: str
    reading: ReadingKind
    interval_minutes: int = 15
    multiplier: Decimal = Decimal(1)
    installed: date | None = None
    events: tuple[MeterEvent, ...] = ()
    max_rate: float | None = None
    max_gap_intervals: int = 4
    community: str = "community"
    _scale: float = field(default=0.0, init=False, repr=False, compare=False)
    _step: timedelta = field(default=timedelta(0), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.interval_minutes <= 0 or 1440 % self.interval_minutes:
            raise MeterDefinitionError(
                Message(
                    gettext_noop(
                        "meter {meter}: interval of {found} minutes; expected a whole number of "
                        "minutes that divides a day (1, 5, 15, 30, 60 …)"
                    ),
                    {"meter": self.id, "found": self.interval_minutes},
                )
            )
        if self.multiplier <= 0:
            raise MeterDefinitionError(
                Message(
                    gettext_noop("meter {meter}: multiplier {found}; expected a positive number"),
                    {"meter": self.id, "found": self.multiplier},
                )
            )
        scale = self._unit_scale() * float(self.multiplier)
        if self.reading is ReadingKind.AVERAGE_POWER:
            scale = scale * self.interval_minutes / 60  # power over the interval's hours
        object.__setattr__(self, "_scale", scale)
        object.__setattr__(self, "_step", timedelta(minutes=self.interval_minutes))

    def _unit_scale(self) -> float:
        """What one unit of the raw value is in the carrier's unit (per hour for power)."""
        target = CARRIER_UNIT[self.carrier]
        if self.reading is ReadingKind.AVERAGE_POWER:
            if self.carrier is not Carrier.ELECTRICITY or self.unit not in POWER_UNITS:
                raise MeterDefinitionError(
                    Message(
                        gettext_noop(
                            "meter {meter}: average power in '{found}'; expected an electricity "
                            "meter in one of {expected}"
                        ),
                        {"meter": self.id, "found": self.unit, "expected": tuple(POWER_UNITS)},
                    )
                )
            return POWER_UNITS[self.unit]
        try:
            return float(convert(Decimal(1), parse_unit(self.unit), target))
        except LowcarbonError as error:
            raise MeterDefinitionError(
                Message(
                    gettext_noop("meter {meter}: unit '{found}' for {carrier}: {reason}"),
                    {
                        "meter": self.id,
                        "found": self.unit,
                        "carrier": Message(CATEGORY_NAMES[self.category]),
                        "reason": error.message,
                    },
                )
            ) from None

    @property
    def category(self) -> SourceCategory:
        return CARRIER_CATEGORY[self.carrier]

    @property
    def sector(self) -> Sector:
        return USE_SECTOR[self.use]

    @property
    def consumption_unit(self) -> str:
        return CARRIER_UNIT[self.carrier]

    @property
    def interval(self) -> timedelta:
        return self._step

    @property
    def scale(self) -> float:
        """The consumption, in the carrier's unit, of one interval per unit of raw value
        (unit conversion × multiplier, × the interval's hours for average power)."""
        return self._scale

    def consumption(self, value: float) -> float:
        """The consumption of one interval whose raw value (energy or power) is ``value``."""
        return value * self.scale

    def limit(self, hours: float) -> float | None:
        """The most the meter can deliver in ``hours``, or ``None`` when not stated."""
        return None if self.max_rate is None else self.max_rate * hours


@dataclass(frozen=True)
class RawReading:
    """One row of an export: its row number in the file, the meter, the timestamp, the value."""

    row: int
    meter: str
    at: datetime
    value: float


class Quality(StrEnum):
    MEASURED = "measured"
    ESTIMATED = "estimated"  # filled across a short gap; never counted as measured
    FLAGGED = "flagged"  # kept as read, not counted (a spike)


@dataclass(frozen=True)
class Interval:
    """The consumption of one meter in [start, end), in the carrier's unit."""

    meter: str
    start: datetime
    end: datetime
    consumption: float
    quality: Quality
    row: int | None  # the row it comes from; None for an estimate
    raw: float | None  # the raw value (the register at ``end`` for a register meter)


class Severity(StrEnum):
    REJECTED = "rejected"  # nothing of the row is kept
    FLAGGED = "flagged"  # kept and marked, or an interval left out of the totals
    NOTE = "note"  # accepted as it is; said so that the file can be corrected


class FindingKind(StrEnum):
    UNKNOWN_METER = "unknown_meter"
    BAD_TIMESTAMP = "bad_timestamp"
    BAD_VALUE = "bad_value"
    FUTURE = "future"
    BEFORE_INSTALLATION = "before_installation"
    OUT_OF_ORDER = "out_of_order"
    NEGATIVE = "negative"
    REGISTER_BACKWARDS = "register_backwards"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    STORED_CONFLICT = "stored_conflict"
    GAP = "gap"
    SPIKE = "spike"


_REASONS: dict[FindingKind, str] = {
    FindingKind.UNKNOWN_METER: gettext_noop("no meter with this id is registered"),
    FindingKind.BAD_TIMESTAMP: gettext_noop("the time cannot be read"),
    FindingKind.BAD_VALUE: gettext_noop("the value is not a number"),
    FindingKind.FUTURE: gettext_noop("the time lies in the future"),
    FindingKind.BEFORE_INSTALLATION: gettext_noop("the time lies before the meter was installed"),
    FindingKind.OUT_OF_ORDER: gettext_noop(
        "the row comes after a later time in the file; it is placed by its time"
    ),
    FindingKind.NEGATIVE: gettext_noop("consumption cannot be negative"),
    FindingKind.REGISTER_BACKWARDS: gettext_noop(
        "the register went backwards without a recorded replacement or rollover; "
        "the interval is not counted"
    ),
    FindingKind.DUPLICATE: gettext_noop("the same interval with the same value: counted once"),
    FindingKind.CONFLICT: gettext_noop("the same interval with different values: neither is taken"),
    FindingKind.STORED_CONFLICT: gettext_noop(
        "a different value is already stored for this interval; the stored one is kept"
    ),
    FindingKind.GAP: gettext_noop(
        "intervals are missing; up to {limit} are estimated (marked as estimates), "
        "a longer gap is left open"
    ),
    FindingKind.SPIKE: gettext_noop(
        "more than the meter can physically deliver in the interval; kept, not counted"
    ),
}

SEVERITY: dict[FindingKind, Severity] = {
    FindingKind.UNKNOWN_METER: Severity.REJECTED,
    FindingKind.BAD_TIMESTAMP: Severity.REJECTED,
    FindingKind.BAD_VALUE: Severity.REJECTED,
    FindingKind.FUTURE: Severity.REJECTED,
    FindingKind.BEFORE_INSTALLATION: Severity.REJECTED,
    FindingKind.OUT_OF_ORDER: Severity.NOTE,
    FindingKind.NEGATIVE: Severity.REJECTED,
    FindingKind.REGISTER_BACKWARDS: Severity.FLAGGED,
    FindingKind.DUPLICATE: Severity.NOTE,
    FindingKind.CONFLICT: Severity.REJECTED,
    FindingKind.STORED_CONFLICT: Severity.REJECTED,
    FindingKind.GAP: Severity.FLAGGED,
    FindingKind.SPIKE: Severity.FLAGGED,
}


@dataclass(frozen=True)
class ReadingFinding:
    """What is wrong with one row (or between two rows), with everything needed to fix it.

    ``found`` and ``expected`` are plain text (numbers, times); ``expected`` may be a message.
    ``column`` names the column of the file when the finding is about one cell.
    """

    kind: FindingKind
    meter: str
    row: int | None
    at: datetime | None
    found: str
    expected: Message
    column: str = ""
    limit: int = 0

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.kind]

    @property
    def reason(self) -> Message:
        return Message(_REASONS[self.kind], {"limit": self.limit} if self.limit else {})


def _number(value: float) -> str:
    return format(round(value, 6), "g") if abs(value) < 1e15 else repr(value)


def _expect(template: str, **params: object) -> Message:
    return Message(template, params)


@dataclass(frozen=True)
class CheckedSeries:
    """The intervals to keep and the findings of a set of readings."""

    intervals: tuple[Interval, ...]
    findings: tuple[ReadingFinding, ...]


def check_readings(
    meters: Mapping[str, Meter],
    readings: Iterable[RawReading],
    now: datetime,
    context: Mapping[str, RawReading] | None = None,
) -> CheckedSeries:
    """Intervals and findings of ``readings`` (module docstring): rows of unknown meters, from
    the future or before installation, negative or duplicated are settled first; each meter's
    remaining readings are then read in time order.

    ``context`` gives, per meter, the last reading already kept before these (from an earlier
    file): a register's difference and a gap are then read across the two files, so that a file
    split in two gives what the whole file gives. It yields no interval of its own.
    """
    context = context or {}
    findings: list[ReadingFinding] = []
    by_meter: dict[str, list[RawReading]] = {}
    latest: dict[str, datetime] = {}
    for reading in readings:
        meter = meters.get(reading.meter)
        problem = _row_problem(meter, reading, now)
        if problem is not None:
            findings.append(problem)
            continue
        assert meter is not None  # _row_problem rejects readings of unknown meters
        previous = latest.get(meter.id)
        if previous is not None and reading.at < previous:
            findings.append(
                ReadingFinding(
                    FindingKind.OUT_OF_ORDER,
                    meter.id,
                    reading.row,
                    reading.at,
                    reading.at.isoformat(sep=" "),
                    _expect(
                        gettext_noop("a time after {after}"), after=previous.isoformat(sep=" ")
                    ),
                )
            )
        else:
            latest[meter.id] = reading.at
        by_meter.setdefault(meter.id, []).append(reading)
    intervals: list[Interval] = []
    for meter_id, series in by_meter.items():
        meter = meters[meter_id]
        unique = _settle_duplicates(meter, series, findings)
        before = context.get(meter_id)
        if before is not None and (not unique or before.at >= unique[0].at):
            before = None  # only a reading before this series continues it
        if meter.reading is ReadingKind.REGISTER:
            _read_register(meter, unique, intervals, findings, before)
        else:
            _read_intervals(meter, unique, intervals, findings, before)
    return CheckedSeries(tuple(intervals), tuple(findings))


def _row_problem(meter: Meter | None, reading: RawReading, now: datetime) -> ReadingFinding | None:
    if meter is None:
        return ReadingFinding(
            FindingKind.UNKNOWN_METER,
            reading.meter,
            reading.row,
            reading.at,
            reading.meter,
            _expect(gettext_noop("a registered meter id")),
        )
    end = reading.at if meter.reading is ReadingKind.REGISTER else reading.at + meter.interval
    if end > now:
        return ReadingFinding(
            FindingKind.FUTURE,
            meter.id,
            reading.row,
            reading.at,
            reading.at.isoformat(sep=" "),
            _expect(gettext_noop("an interval ending by {now}"), now=now.isoformat(sep=" ")),
        )
    if meter.installed is not None and reading.at.date() < meter.installed:
        return ReadingFinding(
            FindingKind.BEFORE_INSTALLATION,
            meter.id,
            reading.row,
            reading.at,
            reading.at.isoformat(sep=" "),
            _expect(gettext_noop("a time from {installed} on"), installed=meter.installed),
        )
    if reading.value < 0:
        return ReadingFinding(
            FindingKind.NEGATIVE,
            meter.id,
            reading.row,
            reading.at,
            _number(reading.value),
            _expect(gettext_noop("a value of 0 or more")),
        )
    return None


def _settle_duplicates(
    meter: Meter, series: list[RawReading], findings: list[ReadingFinding]
) -> list[RawReading]:
    """One reading per timestamp, in time order: equal duplicates once, conflicts neither."""
    series.sort(key=lambda r: (r.at, r.row))
    unique: list[RawReading] = []
    index = 0
    while index < len(series):
        end = index + 1
        while end < len(series) and series[end].at == series[index].at:
            end += 1
        group = series[index:end]
        values = {r.value for r in group}
        if len(values) == 1:
            unique.append(group[0])
        for other in group[1:]:
            findings.append(
                ReadingFinding(
                    FindingKind.DUPLICATE if len(values) == 1 else FindingKind.CONFLICT,
                    meter.id,
                    other.row,
                    other.at,
                    _number(other.value),
                    _expect(
                        gettext_noop("one value for this time; row {row} has {value}"),
                        row=group[0].row,
                        value=_number(group[0].value),
                    ),
                )
            )
        if len(values) > 1:
            findings.append(
                ReadingFinding(
                    FindingKind.CONFLICT,
                    meter.id,
                    group[0].row,
                    group[0].at,
                    _number(group[0].value),
                    _expect(
                        gettext_noop("one value for this time; row {row} has {value}"),
                        row=group[1].row,
                        value=_number(group[1].value),
                    ),
                )
            )
        index = end
    return unique


def _spike(meter: Meter, interval: Interval, findings: list[ReadingFinding]) -> Interval:
    hours = (interval.end - interval.start).total_seconds() / 3600
    limit = meter.limit(hours)
    if limit is None or interval.consumption <= limit:
        return interval
    findings.append(
        ReadingFinding(
            FindingKind.SPIKE,
            meter.id,
            interval.row,
            interval.start,
            f"{_number(interval.consumption)} {meter.consumption_unit}",
            _expect(
                gettext_noop("at most {limit} {unit} in {minutes} minutes"),
                limit=_number(limit),
                unit=meter.consumption_unit,
                minutes=round(hours * 60),
            ),
        )
    )
    return Interval(
        interval.meter,
        interval.start,
        interval.end,
        interval.consumption,
        Quality.FLAGGED,
        interval.row,
        interval.raw,
    )


def _gap_finding(
    meter: Meter, before: RawReading, after: RawReading, missing: int
) -> ReadingFinding:
    return ReadingFinding(
        FindingKind.GAP,
        meter.id,
        after.row,
        after.at,
        f"{before.at.isoformat(sep=' ')} → {after.at.isoformat(sep=' ')}",
        _expect(
            gettext_noop("a reading every {minutes} minutes ({missing} missing)"),
            minutes=meter.interval_minutes,
            missing=missing,
        ),
        limit=meter.max_gap_intervals,
    )


def _read_intervals(
    meter: Meter,
    series: Sequence[RawReading],
    intervals: list[Interval],
    findings: list[ReadingFinding],
    previous: RawReading | None,
) -> None:
    step = meter.interval
    cap = meter.limit(meter.interval_minutes / 60)
    meter_id, scale, measured = meter.id, meter.scale, Quality.MEASURED
    for reading in series:
        if previous is not None and reading.at - previous.at != step:
            missing = round((reading.at - previous.at) / step) - 1
            if missing > 0:
                findings.append(_gap_finding(meter, previous, reading, missing))
                if missing <= meter.max_gap_intervals:
                    first = meter.consumption(previous.value)
                    last = meter.consumption(reading.value)
                    for k in range(1, missing + 1):
                        start = previous.at + k * step
                        estimate = first + (last - first) * k / (missing + 1)
                        intervals.append(
                            Interval(
                                meter.id,
                                start,
                                start + step,
                                estimate,
                                Quality.ESTIMATED,
                                None,
                                None,
                            )
                        )
        at, value = reading.at, reading.value
        interval = Interval(meter_id, at, at + step, value * scale, measured, reading.row, value)
        intervals.append(
            interval
            if cap is None or interval.consumption <= cap
            else _spike(meter, interval, findings)
        )
        previous = reading


def _event_between(meter: Meter, start: datetime, end: datetime) -> MeterEvent | None:
    return next((e for e in meter.events if start < e.at <= end), None)


def _read_register(
    meter: Meter,
    series: Sequence[RawReading],
    intervals: list[Interval],
    findings: list[ReadingFinding],
    before: RawReading | None,
) -> None:
    step = meter.interval
    for previous, reading in pairwise([before, *series] if before is not None else series):
        event = _event_between(meter, previous.at, reading.at)
        if event is not None:
            raw = (event.final_reading - previous.value) + (reading.value - event.start_reading)
        else:
            raw = reading.value - previous.value
        if raw < 0:
            findings.append(
                ReadingFinding(
                    FindingKind.REGISTER_BACKWARDS,
                    meter.id,
                    reading.row,
                    reading.at,
                    _number(reading.value),
                    _expect(
                        gettext_noop("at least {previous} (row {row}), or a replacement event"),
                        previous=_number(previous.value),
                        row=previous.row,
                    ),
                )
            )
            continue
        parts = round((reading.at - previous.at) / step)
        if parts > 1:
            findings.append(_gap_finding(meter, previous, reading, parts - 1))
            if parts - 1 > meter.max_gap_intervals:
                continue
        consumption = meter.consumption(raw)
        quality = Quality.MEASURED if parts <= 1 else Quality.ESTIMATED
        for k in range(max(parts, 1)):
            start = previous.at + k * step
            end = reading.at if parts <= 1 else start + step
            interval = Interval(
                meter.id,
                start,
                end,
                consumption / max(parts, 1),
                quality,
                reading.row,
                reading.value if quality is Quality.MEASURED else None,
            )
            intervals.append(_spike(meter, interval, findings))


def month_of(moment: datetime) -> str:
    """The month an interval belongs to (by its start): ``2024-03``."""
    return f"{moment.year:04d}-{moment.month:02d}"


def expected_intervals(month: str, interval_minutes: int) -> int:
    """How many intervals of ``interval_minutes`` a complete month has."""
    year, number = (int(part) for part in month.split("-"))
    days = calendar.monthrange(year, number)[1]
    return days * 1440 // interval_minutes


def emissions_tco2(consumption: Decimal, unit: str, factor: ResolvedFactor) -> Decimal:
    """The emissions of ``consumption`` (in ``unit``) under ``factor``, in tCO2: the same
    factor arithmetic as the accounting's inventory lines."""
    return factor.apply(consumption, unit, "tCO2")


@dataclass(frozen=True)
class MonthlyFigures:
    """One meter in one month: the monthly roll-up both engines produce.

    ``rows`` counts every stored interval; ``completeness`` is the share of the month's
    intervals that are measured or estimated; ``consumption`` sums those (flagged intervals are
    left out); ``tco2`` is ``None`` when the factor set gives the category no factor.
    """

    community: str
    meter: str
    month: str
    category: SourceCategory
    sector: Sector
    unit: str
    rows: int
    measured: int
    estimated: int
    flagged: int
    completeness: Decimal
    consumption: Decimal
    tco2: Decimal | None


def monthly_figures(
    *,
    community: str,
    meter: str,
    month: str,
    category: SourceCategory,
    sector: Sector,
    unit: str,
    interval_minutes: int,
    measured: int,
    estimated: int,
    flagged: int,
    consumption: float,
    factor: ResolvedFactor | None,
) -> MonthlyFigures:
    """The figures of one meter-month from the engine's sums (consumption to 0.001, completeness
    to 0.0001, tCO2 to 0.000001)."""
    counted = measured + estimated
    share = Decimal(counted) / Decimal(expected_intervals(month, interval_minutes))
    amount = Decimal(repr(consumption)).quantize(Decimal("0.001"))
    tco2 = (
        None
        if factor is None
        else emissions_tco2(amount, unit, factor).quantize(Decimal("0.000001"))
    )
    return MonthlyFigures(
        community=community,
        meter=meter,
        month=month,
        category=category,
        sector=sector,
        unit=unit,
        rows=counted + flagged,
        measured=measured,
        estimated=estimated,
        flagged=flagged,
        completeness=min(share, Decimal(1)).quantize(Decimal("0.0001")),
        consumption=amount,
        tco2=tco2,
    )
