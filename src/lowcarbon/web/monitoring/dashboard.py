"""The figures of the monthly energy and emission pages (上月碳排放; issue 17, 4.).

Computed here, shown by :mod:`.dashboard_views`; every result says where it comes from.

* **Energy and emissions** come from the monitoring system's monthly job
  (:func:`lowcarbon.monitoring.monthly.monthly`: the job ``lowcarbon monitoring monthly`` runs,
  DuckDB over the store's committed Parquet files), restricted to the unit's community partition
  (:func:`.stores.community_key`) and run under the factor set of the unit's round
  (``Round.factor_set_id``); a category the set gives no factor has no tCO2, and the job's note
  says why.
* **The month** of the headline figures is the last complete calendar month before ``now``
  (上月); when the store holds nothing for it, the latest earlier month that has readings, and
  the result says so.
* **Per capita** divides by the resident population (常住人口) recorded for the month's year
  (else the latest earlier year): in the unit's filed annual progress reports (the creation
  records: the year's drivers, 年度规模), else in the accounting of its frozen application (the
  submission the selection was based on); without either, the plan's basic data (1.1,
  常住人口数); unknown (未填报) when none is filled in.
* **Against the base year**: the same month of the base year when the store has readings of it;
  otherwise the base-year inventory's category total (the application's accounting, the same
  inventory code as the results page) divided by 12, for the categories metered in the month.
* **Completeness** per meter: the intervals present (measured or estimated) against those a
  complete month has (:func:`lowcarbon.core.metering.expected_intervals`), as the job counts them.
* **Anomalies**: the rejected and flagged findings of the committed imports' reports that
  concern the unit's meters (and the rows of unknown meters in imports that wrote into its
  partition).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from lowcarbon.core.activity import SourceCategory
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.metering import Meter, MeterUse, MonthlyFigures, Severity, expected_intervals
from lowcarbon.monitoring.choices import SEVERITY_NAMES
from lowcarbon.monitoring.monthly import monthly
from lowcarbon.monitoring.store import Store, previous_month
from lowcarbon.rules.snapshot.records import Snapshot
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.creation.filing_models import Filing, FilingKind, FilingStatus
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.monitoring.stores import community_key, monitoring_store

__all__ = [
    "PUBLIC_USES",
    "Anomalies",
    "Anomaly",
    "BaseYearComparison",
    "CategoryFigure",
    "Change",
    "CityFigures",
    "DistrictFigures",
    "DistrictRow",
    "FacilityUse",
    "MeterCompleteness",
    "MonthFigures",
    "Population",
    "PopulationSource",
    "UnitFigures",
    "UnitRow",
    "city_figures",
    "district_figures",
    "month_before",
    "unit_figures",
]

#: What a public facility's meter measures (公共设施: lighting, lifts and pumps, charging, the
#: service centre and other public buildings).
PUBLIC_USES = (
    MeterUse.PUBLIC_LIGHTING,
    MeterUse.LIFTS_AND_PUMPS,
    MeterUse.EV_CHARGING,
    MeterUse.PUBLIC_BUILDING,
)

#: How many anomalies a unit's page lists (the newest first); the counts cover all of them.
ANOMALY_LIMIT = 20

HUNDRED = Decimal(100)
TWELVE = Decimal(12)


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryFigure:
    """One accounting category in one month: its consumption (in ``unit``) and emissions."""

    category: SourceCategory
    unit: str  # kWh, m³, GJ: the carrier's unit
    consumption: Decimal
    tco2: Decimal | None  # None: the factor set gives the category no factor (see the notes)


@dataclass(frozen=True)
class MonthFigures:
    """A unit's metered month, by category (in the accounting's category order)."""

    month: str
    categories: tuple[CategoryFigure, ...]

    @property
    def tco2(self) -> Decimal | None:
        """The month's emissions: the categories that have a factor; None when none has."""
        known = [c.tco2 for c in self.categories if c.tco2 is not None]
        return sum(known, Decimal(0)) if known else None

    def category(self, category: SourceCategory) -> CategoryFigure | None:
        return next((c for c in self.categories if c.category is category), None)


@dataclass(frozen=True)
class Change:
    """A figure against the one it is compared with; None where either is unknown."""

    current: Decimal | None
    reference: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.current is None or self.reference is None:
            return None
        return self.current - self.reference

    @property
    def percent(self) -> Decimal | None:
        difference = self.difference
        if difference is None or not self.reference:
            return None
        return difference / self.reference * HUNDRED


@dataclass(frozen=True)
class BaseYearComparison:
    """The headline month against the same month of the base year.

    ``metered``: the store has readings of that month (the job's figures are the reference);
    otherwise each metered category's reference is the base-year inventory's total / 12.
    ``categories`` pairs each category of the headline month with its reference (None: the
    inventory has no such category). ``problem`` says why there is no reference at all."""

    base_year: int | None
    month: str | None
    metered: bool
    categories: tuple[tuple[SourceCategory, Decimal | None], ...]
    change: Change
    problem: Message | None = None


class PopulationSource(StrEnum):
    PROGRESS_REPORT = "progress_report"  # a filed annual progress report's drivers (创建阶段)
    ACCOUNTING = "accounting"  # the accounting's drivers (年度规模) of the application
    PLAN = "plan"  # the plan's basic data (1.1 社区情况简介: 常住人口数)
    NONE = "none"  # not filled in


@dataclass(frozen=True)
class Population:
    value: int | None
    source: PopulationSource
    year: int | None = None  # the drivers' year (accounting) the value is of


@dataclass(frozen=True)
class FacilityUse:
    """A public facility's meter in the headline month (ranked: most emissions first)."""

    meter: str
    use: MeterUse
    category: SourceCategory
    unit: str
    consumption: Decimal
    tco2: Decimal | None


@dataclass(frozen=True)
class MeterCompleteness:
    """One registered meter in the headline month: present intervals against a complete month's."""

    meter: str
    use: MeterUse
    category: SourceCategory
    expected: int
    measured: int
    estimated: int
    flagged: int
    share: Decimal  # 0..1, as the monthly job computes it (0 without any reading)

    @property
    def present(self) -> int:
        return self.measured + self.estimated


@dataclass(frozen=True)
class Anomaly:
    """One finding of an import's report (its cells as the report has them)."""

    import_id: str
    source: str  # the imported file's name
    severity: Severity | None  # None: a severity this version cannot read
    severity_text: str
    reason: str
    meter: str
    row: str
    at: str


@dataclass(frozen=True)
class Anomalies:
    """The findings of the unit's imports: counts by severity, the newest open ones."""

    counts: Mapping[Severity, int]
    latest: tuple[Anomaly, ...]  # rejected and flagged, newest first, at most ANOMALY_LIMIT
    open_total: int  # rejected and flagged
    imports: tuple[str, ...]  # the imports with findings for the unit, newest first
    corrected: int = 0  # flagged findings whose interval a correction has since settled


@dataclass(frozen=True)
class UnitFigures:
    """Everything the unit's page shows, with where it comes from."""

    community: str
    factor_set: str
    meters: int  # meters registered in the unit's partition
    months: tuple[MonthFigures, ...]  # every month with readings, in order
    last_complete: str  # the calendar month before ``now``
    month: str | None  # the headline month (None: no readings at all)
    population: Population
    last_year: Change  # tCO2: the headline month against the same month a year before
    base_year: BaseYearComparison
    facilities: tuple[FacilityUse, ...]
    completeness: tuple[MeterCompleteness, ...]
    anomalies: Anomalies
    notes: tuple[Message, ...]  # the monthly job's (a category without a factor …)

    @property
    def headline(self) -> MonthFigures | None:
        return next((m for m in self.months if m.month == self.month), None)

    @property
    def per_capita(self) -> Decimal | None:
        """tCO2 per resident in the headline month."""
        return per_capita(self.headline, self.population)

    @property
    def fell_back(self) -> bool:
        """The store has nothing for the last complete month: an earlier month is shown."""
        return self.month is not None and self.month != self.last_complete


@dataclass(frozen=True)
class UnitRow:
    """One unit of a district's page: its headline figures in the district's month."""

    unit: CreationUnit
    meters: int
    tco2: Decimal | None
    population: Population
    per_capita: Decimal | None
    last_year: Change
    expected: int  # intervals a complete month has, over the unit's meters
    present: int  # intervals present (measured or estimated), each meter up to its expected

    @property
    def completeness(self) -> Decimal | None:
        return _share(self.present, self.expected)


@dataclass(frozen=True)
class DistrictFigures:
    month: str | None  # the latest month up to the last complete one any unit has readings of
    last_complete: str
    rows: tuple[UnitRow, ...]


@dataclass(frozen=True)
class DistrictRow:
    """One district of the city's page: its units' figures added up."""

    district: Any  # organisations.District
    units: int
    units_with_data: int
    tco2: Decimal | None
    population: int  # residents of the units with emissions and a known population
    per_capita: Decimal | None
    last_year: Change  # units with readings in both months only
    completeness: Decimal | None


@dataclass(frozen=True)
class CityFigures:
    month: str | None
    last_complete: str
    rows: tuple[DistrictRow, ...]
    notes: tuple[Message, ...] = field(default=())


# --- the job over some communities ---------------------------------------------------------


def _job(
    store: Store, units: Sequence[CreationUnit]
) -> tuple[dict[str, list[MonthlyFigures]], list[Message]]:
    """The job's figures per community of ``units``, each under its round's factor set (one run
    per factor set), and the job's notes."""
    by_set: dict[str, set[str]] = {}
    for unit in units:
        by_set.setdefault(unit.application.factor_set_id, set()).add(
            community_key(unit.application.unit)
        )
    figures: dict[str, list[MonthlyFigures]] = {}
    notes: list[Message] = []
    for set_id, communities in sorted(by_set.items()):
        report = monthly(store, set_id=set_id, communities=communities)
        for item in report.figures:
            figures.setdefault(item.community, []).append(item)
        notes.extend(note for note in report.notes if note not in notes)
    return figures, notes


def month_before(month: str, months: int) -> str:
    """``2026-03`` and 12 → ``2025-03``."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _by_month(figures: Iterable[MonthlyFigures]) -> tuple[MonthFigures, ...]:
    sums: dict[str, dict[SourceCategory, list[Any]]] = {}
    for item in figures:
        entry = sums.setdefault(item.month, {}).setdefault(
            item.category, [item.unit, Decimal(0), None]
        )
        entry[1] += item.consumption
        if item.tco2 is not None:
            entry[2] = (entry[2] or Decimal(0)) + item.tco2
    order = list(SourceCategory)
    return tuple(
        MonthFigures(
            month,
            tuple(
                CategoryFigure(category, *sums[month][category])
                for category in sorted(sums[month], key=order.index)
            ),
        )
        for month in sorted(sums)
    )


def _headline_month(months: Iterable[str], last_complete: str) -> str | None:
    return max((m for m in months if m <= last_complete), default=None)


# --- the application's figures: population and base year ----------------------------------


def _plan(unit: CreationUnit) -> Snapshot:
    return frozen_snapshot(unit.submission)


def _drivers(data: Any) -> dict[int, int]:
    """Resident population by year in accounting data (its profile's drivers)."""
    profile = data.get("profile") if isinstance(data, Mapping) else None
    drivers = (profile.get("drivers") if isinstance(profile, Mapping) else None) or []
    return {
        int(d["year"]): int(d["resident_population"])
        for d in drivers
        if isinstance(d, Mapping) and d.get("year") and d.get("resident_population")
    }


def _reported_drivers(unit: CreationUnit) -> dict[int, int]:
    """Resident population of the years the unit's filed progress reports state (the latest
    revision of each year; drafts are no record yet)."""
    found: dict[int, int] = {}
    reports = Filing.objects.filter(
        unit=unit,
        kind=FilingKind.PROGRESS_REPORT,
        status__in=(FilingStatus.SUBMITTED, FilingStatus.ACKNOWLEDGED),
    ).order_by("year", "number")
    for report in reports:
        data = (report.content.get("activity") or {}).get("data")
        found.update((year, value) for year, value in _drivers(data).items() if year == report.year)
    return found


def population_of(unit: CreationUnit, plan: Snapshot, year: int | None) -> Population:
    """The resident population for ``year`` (module docstring): the drivers of the latest year
    up to ``year`` (a filed progress report's before the application's for the same year), else
    of the earliest year; else the plan's basic data."""
    known: dict[int, tuple[int, PopulationSource]] = {
        y: (value, PopulationSource.ACCOUNTING) for y, value in _drivers(plan.accounting).items()
    }
    known.update(
        (y, (value, PopulationSource.PROGRESS_REPORT))
        for y, value in _reported_drivers(unit).items()
    )
    if known:
        earlier = [y for y in known if year is None or y <= year]
        chosen = max(earlier) if earlier else min(known)
        value, source = known[chosen]
        return Population(value, source, chosen)
    stated = plan.sections.get("resident_population")
    if isinstance(stated, int | str) and str(stated).strip().isdigit() and int(stated) > 0:
        return Population(int(stated), PopulationSource.PLAN)
    return Population(None, PopulationSource.NONE)


def per_capita(month: MonthFigures | None, population: Population) -> Decimal | None:
    if month is None or month.tco2 is None or not population.value:
        return None
    return month.tco2 / Decimal(population.value)


def _base_year(
    plan: Snapshot, months: Sequence[MonthFigures], headline: MonthFigures | None
) -> BaseYearComparison:
    current = None if headline is None else headline.tco2
    profile = plan.accounting.get("profile") or {}
    base_year = profile.get("base_year")
    if headline is None:
        return BaseYearComparison(None, None, False, (), Change(None, None))
    if not base_year:
        return BaseYearComparison(
            None,
            None,
            False,
            (),
            Change(current, None),
            Message(gettext_noop("the application has no baseline data with a base year")),
        )
    base_year = int(base_year)
    month = f"{base_year:04d}-{headline.month[5:]}"
    metered = next((m for m in months if m.month == month), None)
    if metered is not None:
        pairs = tuple(
            (c.category, (found.tco2 if (found := metered.category(c.category)) else None))
            for c in headline.categories
        )
        return BaseYearComparison(base_year, month, True, pairs, Change(current, metered.tco2))
    result = plan.accounting_result
    inventory = (
        None
        if result is None
        else next((i for i in result.inventories if i.year == base_year), None)
    )
    if inventory is None:
        return BaseYearComparison(
            base_year,
            month,
            False,
            (),
            Change(current, None),
            Message(
                gettext_noop("the application's accounting has no inventory of {year}"),
                {"year": base_year},
            ),
        )
    pairs = tuple(
        (
            c.category,
            None
            if c.category.value not in inventory.by_category
            else Decimal(inventory.by_category[c.category.value]) / TWELVE,
        )
        for c in headline.categories
    )
    # Like for like: the categories that have emissions in both.
    both = [
        (c.tco2, reference)
        for c, (_category, reference) in zip(headline.categories, pairs, strict=True)
        if c.tco2 is not None and reference is not None
    ]
    change = Change(
        sum((now for now, _ref in both), Decimal(0)) if both else current,
        sum((ref for _now, ref in both), Decimal(0)) if both else None,
    )
    return BaseYearComparison(base_year, month, False, pairs, change)


# --- meters: facilities, completeness ------------------------------------------------------


def _own_meters(meters: Mapping[str, Meter], community: str) -> list[Meter]:
    return sorted((m for m in meters.values() if m.community == community), key=lambda m: m.id)


def _facilities(
    own: Sequence[Meter], figures: Sequence[MonthlyFigures], month: str | None
) -> tuple[FacilityUse, ...]:
    of_month = {f.meter: f for f in figures if f.month == month}
    rows = [
        FacilityUse(
            meter.id,
            meter.use,
            meter.category,
            meter.consumption_unit,
            of_month[meter.id].consumption,
            of_month[meter.id].tco2,
        )
        for meter in own
        if meter.use in PUBLIC_USES and meter.id in of_month
    ]
    rows.sort(key=lambda r: (r.tco2 is None, -(r.tco2 or 0), -r.consumption, r.meter))
    return tuple(rows)


def _completeness(
    own: Sequence[Meter], figures: Sequence[MonthlyFigures], month: str | None
) -> tuple[MeterCompleteness, ...]:
    if month is None:
        return ()
    of_month = {f.meter: f for f in figures if f.month == month}
    rows = []
    for meter in own:
        found = of_month.get(meter.id)
        rows.append(
            MeterCompleteness(
                meter.id,
                meter.use,
                meter.category,
                expected_intervals(month, meter.interval_minutes),
                found.measured if found else 0,
                found.estimated if found else 0,
                found.flagged if found else 0,
                found.completeness if found else Decimal(0),
            )
        )
    return tuple(rows)


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the known values; None when there is none."""
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def _share(present: int, expected: int) -> Decimal | None:
    return Decimal(present) / Decimal(expected) if expected else None


# --- anomalies: the imports' reports -------------------------------------------------------


def _severity_texts() -> dict[str, Severity]:
    """A report's severity cell, in any language a report may be written in."""
    texts: dict[str, Severity] = {}
    for severity, msgid in SEVERITY_NAMES.items():
        texts[msgid] = severity
        texts[_(msgid)] = severity
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                texts[_(msgid)] = severity
    return texts


def _manifests(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The committed imports' manifests in the order they were made, so that the first import
    to report a finding keeps it."""
    if not folder.is_dir():
        return []
    found = [(path, json.loads(path.read_text(encoding="utf-8"))) for path in folder.glob("*.json")]
    return sorted(found, key=lambda item: (str(item[1].get("at", "")), item[0].stat().st_mtime_ns))


def _anomalies(store: Store, community: str, meters: Mapping[str, Meter], limit: int) -> Anomalies:
    own = {m.id for m in meters.values() if m.community == community}
    folder = store.root / "_imports"
    severities = _severity_texts()
    found: list[Anomaly] = []
    imports: list[str] = []
    # The same file imported again reports its findings again: one anomaly per severity,
    # reason, meter, row and time, under the import that first reported it.
    seen: set[tuple[str, ...]] = set()
    partition = f"community={community}"
    manifests = _manifests(folder)
    for path, manifest in manifests:
        import_id = str(manifest.get("id", path.stem))
        wrote_here = any(str(name).split("/")[0] == partition for name in manifest["files"])
        report = store.report_path(import_id)
        if not report.is_file():
            continue
        before = len(found)
        with report.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            next(rows, None)  # the header
            for cells in rows:
                if len(cells) < 6:
                    continue
                meter = cells[2]
                if meter not in own and not (wrote_here and meter not in meters):
                    continue
                key = (cells[0], cells[1], meter, cells[3], cells[5])
                if key in seen:
                    continue
                seen.add(key)
                found.append(
                    Anomaly(
                        import_id=import_id,
                        source=str(manifest.get("source", "")),
                        severity=severities.get(cells[0]),
                        severity_text=cells[0],
                        reason=cells[1],
                        meter=meter,
                        row=cells[3],
                        at=cells[5],
                    )
                )
        if len(found) > before:
            imports.append(import_id)
    counts = {severity: sum(1 for a in found if a.severity is severity) for severity in Severity}
    settled = _corrected_intervals(manifests, own)
    open_ = [
        a
        for a in found
        if a.severity in (Severity.REJECTED, Severity.FLAGGED)
        and not (a.severity is Severity.FLAGGED and _settled(a, settled))
    ]
    flagged = sum(1 for a in found if a.severity is Severity.FLAGGED)
    corrected = flagged - sum(1 for a in open_ if a.severity is Severity.FLAGGED)
    open_.sort(key=lambda a: (a.at, a.import_id), reverse=True)
    return Anomalies(counts, tuple(open_[:limit]), len(open_), tuple(reversed(imports)), corrected)


def _corrected_intervals(
    manifests: list[tuple[Path, dict[str, Any]]], meters: set[str]
) -> dict[str, list[tuple[datetime, datetime]]]:
    """Per meter, the intervals corrections have settled (their manifests list them)."""
    settled: dict[str, list[tuple[datetime, datetime]]] = {}
    for _path, manifest in manifests:
        if manifest.get("kind") != "correction":
            continue
        for item in manifest.get("intervals", ()):
            if item.get("meter") in meters:
                interval = (
                    datetime.fromisoformat(item["start"]),
                    datetime.fromisoformat(item["end"]),
                )
                settled.setdefault(item["meter"], []).append(interval)
    return settled


def _settled(anomaly: Anomaly, settled: Mapping[str, list[tuple[datetime, datetime]]]) -> bool:
    """Whether a correction settled the interval of a flagged reading: the reading's time is the
    interval's end (a register) or its start (energy or power per interval)."""
    try:
        at = datetime.fromisoformat(anomaly.at)
    except ValueError:
        return False
    return any(start <= at <= end for start, end in settled.get(anomaly.meter, ()))


# --- the pages -----------------------------------------------------------------------------


def unit_figures(
    unit: CreationUnit,
    *,
    now: datetime,
    store: Store | None = None,
    anomaly_limit: int = ANOMALY_LIMIT,
) -> UnitFigures:
    """The unit's page (module docstring); ``now`` decides which month is 上月."""
    store = store if store is not None else monitoring_store()
    community = community_key(unit.application.unit)
    by_community, notes = _job(store, [unit])
    figures = by_community.get(community, [])
    months = _by_month(figures)
    last_complete = previous_month(now)
    month = _headline_month((m.month for m in months), last_complete)
    headline = next((m for m in months if m.month == month), None)
    plan = _plan(unit)
    meters = store.meters()
    own = _own_meters(meters, community)
    last_year = next(
        (m for m in months if month is not None and m.month == month_before(month, 12)), None
    )
    return UnitFigures(
        community=community,
        factor_set=unit.application.factor_set_id,
        meters=len(own),
        months=months,
        last_complete=last_complete,
        month=month,
        population=population_of(unit, plan, None if month is None else int(month[:4])),
        last_year=Change(
            None if headline is None else headline.tco2,
            None if last_year is None else last_year.tco2,
        ),
        base_year=_base_year(plan, months, headline),
        facilities=_facilities(own, figures, month),
        completeness=_completeness(own, figures, month),
        anomalies=_anomalies(store, community, meters, anomaly_limit),
        notes=tuple(notes),
    )


def _unit_rows(
    units: Sequence[CreationUnit], now: datetime, store: Store
) -> tuple[str | None, str, list[UnitRow], list[Message]]:
    by_community, notes = _job(store, units)
    last_complete = previous_month(now)
    month = _headline_month(
        (f.month for figures in by_community.values() for f in figures), last_complete
    )
    meters = store.meters()
    rows = []
    for unit in units:
        community = community_key(unit.application.unit)
        figures = by_community.get(community, [])
        months = _by_month(figures)
        headline = next((m for m in months if m.month == month), None)
        before = next(
            (m for m in months if month is not None and m.month == month_before(month, 12)),
            None,
        )
        population = population_of(unit, _plan(unit), None if month is None else int(month[:4]))
        own = _own_meters(meters, community)
        completeness = _completeness(own, figures, month)
        rows.append(
            UnitRow(
                unit=unit,
                meters=len(own),
                tco2=None if headline is None else headline.tco2,
                population=population,
                per_capita=per_capita(headline, population),
                last_year=Change(
                    None if headline is None else headline.tco2,
                    None if before is None else before.tco2,
                ),
                expected=sum(r.expected for r in completeness),
                present=sum(min(r.present, r.expected) for r in completeness),
            )
        )
    return month, last_complete, rows, notes


def district_figures(
    units: Sequence[CreationUnit], *, now: datetime, store: Store | None = None
) -> DistrictFigures:
    """A district's units side by side in the latest month any of them has readings of (up to
    the last complete one)."""
    store = store if store is not None else monitoring_store()
    month, last_complete, rows, _notes = _unit_rows(units, now, store)
    return DistrictFigures(month, last_complete, tuple(rows))


def city_figures(
    units_by_district: Mapping[Any, Sequence[CreationUnit]],
    *,
    now: datetime,
    store: Store | None = None,
) -> CityFigures:
    """Every district's units added up, in one month for the whole city."""
    store = store if store is not None else monitoring_store()
    everyone = [unit for units in units_by_district.values() for unit in units]
    month, last_complete, rows, notes = _unit_rows(everyone, now, store)
    by_unit = {row.unit.pk: row for row in rows}
    figures_rows = []
    for district, units in units_by_district.items():
        mine = [by_unit[unit.pk] for unit in units]
        with_data = [r for r in mine if r.tco2 is not None]
        counted = [r for r in with_data if r.population.value]
        population = sum(r.population.value or 0 for r in counted)
        both = [r for r in mine if r.last_year.difference is not None]
        figures_rows.append(
            DistrictRow(
                district=district,
                units=len(mine),
                units_with_data=len(with_data),
                tco2=_sum(r.tco2 for r in with_data),
                population=population,
                per_capita=(
                    (_sum(r.tco2 for r in counted) or Decimal(0)) / Decimal(population)
                    if population
                    else None
                ),
                last_year=Change(
                    _sum(r.last_year.current for r in both),
                    _sum(r.last_year.reference for r in both),
                ),
                completeness=_share(sum(r.present for r in mine), sum(r.expected for r in mine)),
            )
        )
    return CityFigures(month, last_complete, tuple(figures_rows), tuple(notes))
