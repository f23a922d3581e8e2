"""The monthly job, defined once and run on DuckDB (embedded, the default) or Apache Spark.

The job is one SQL query (:data:`MONTHLY_SQL`) over a relation ``readings`` holding the store's
committed Parquet files; both engines run the same text. Per community, meter and month it
counts the stored intervals by quality and sums the consumption of the measured and estimated
ones. What follows is the same Python for both engines: the meter's category, sector and unit
from the store's register, completeness against the month's intervals and emissions through the
factor set, with the accounting's own factor and unit code
(:func:`lowcarbon.core.metering.monthly_figures`).
"""

from __future__ import annotations

import calendar
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from lowcarbon.core.activity import DEFAULT_FACTOR_SET, Sector, SourceCategory
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.factors import FactorError, FactorLibrary, ResolvedFactor
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.metering import MonthlyFigures, monthly_figures
from lowcarbon.rules.factors import load_factor_library

from .choices import Engine
from .store import Store

__all__ = [
    "MONTHLY_SQL",
    "Engine",
    "EngineError",
    "MonthlyReport",
    "figures_to_json",
    "monthly",
    "run_job",
]

#: The job: portable SQL that DuckDB and Spark SQL both run unchanged. The rows are grouped
#: once with their quality as a key and the few groups per meter-month folded after: a quarter
#: less work than four filtered aggregates evaluating the quality on every row.
MONTHLY_SQL = """
SELECT community, meter, month,
       MAX(interval_minutes) AS interval_minutes,
       SUM(CASE WHEN quality = 'measured' THEN n ELSE 0 END) AS measured,
       SUM(CASE WHEN quality = 'estimated' THEN n ELSE 0 END) AS estimated,
       SUM(CASE WHEN quality = 'flagged' THEN n ELSE 0 END) AS flagged,
       COALESCE(SUM(CASE WHEN quality <> 'flagged' THEN total END), 0.0) AS consumption
FROM (
    SELECT community, meter, month, quality,
           MAX(interval_minutes) AS interval_minutes, COUNT(*) AS n, SUM(consumption) AS total
    FROM readings
    GROUP BY community, meter, month, quality
) AS by_quality
GROUP BY community, meter, month
ORDER BY community, meter, month
"""

SPARK_MASTER = "local[2]"


def spark_master() -> str:
    """Where the Spark job runs: ``LOWCARBON_SPARK_MASTER`` (``yarn`` on the bureau's cluster,
    docs/operations.md), else a local session on two cores."""
    return os.environ.get("LOWCARBON_SPARK_MASTER", "") or SPARK_MASTER


class EngineError(LowcarbonError):
    code = "engine"


Sums = tuple[str, str, str, int, int, int, int, float]


@cache
def _database() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB of the process: each run takes a cursor of it (a connection of its
    own, with its own view), instead of starting a database per run, which cost a monthly run
    of a community a tenth of its time."""
    return duckdb.connect()


def _duckdb(files: Sequence[Path]) -> list[Sums]:
    connection = _database().cursor()
    try:
        relation = connection.read_parquet([str(p) for p in files], hive_partitioning=False)
        relation.create_view("readings")
        return [tuple(row) for row in connection.execute(MONTHLY_SQL).fetchall()]
    finally:
        connection.close()


def _spark(files: Sequence[Path]) -> list[Sums]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover - pyspark is installed wherever the tests run
        raise EngineError(
            Message(
                gettext_noop(
                    "the Spark engine needs pyspark (and Java 17); use --engine duckdb or "
                    "install them"
                )
            )
        ) from None
    master = spark_master()
    builder = (
        SparkSession.builder.master(master)
        .appName("lowcarbon-monitoring")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master.startswith("local"):
        # One machine: no web UI, few shuffle partitions, nothing listening beyond loopback.
        # On a cluster the cluster's own settings (spark-defaults.conf, spark-submit) apply.
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        spark.read.parquet(*[str(p) for p in files]).createOrReplaceTempView("readings")
        return [
            (
                row["community"],
                row["meter"],
                row["month"],
                int(row["interval_minutes"]),
                int(row["measured"]),
                int(row["estimated"]),
                int(row["flagged"]),
                float(row["consumption"]),
            )
            for row in spark.sql(MONTHLY_SQL).collect()
        ]
    finally:
        spark.stop()


def run_job(files: Sequence[Path], engine: Engine = Engine.DUCKDB) -> list[Sums]:
    """The job's rows over ``files`` on ``engine`` (none when there is no file)."""
    if not files:
        return []
    return _duckdb(files) if engine is Engine.DUCKDB else _spark(files)


@dataclass(frozen=True)
class MonthlyReport:
    """The figures of every meter-month, the factor set used, and why some have no tCO2."""

    factor_set: str
    figures: tuple[MonthlyFigures, ...]
    notes: tuple[Message, ...]


def _month_end(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, calendar.monthrange(year, number)[1])


@cache
def _bundled_library() -> FactorLibrary:
    return load_factor_library()


Described = tuple[SourceCategory, Sector, str]


def _described(store: Store) -> dict[str, Described]:
    """Each registered meter's category, sector and consumption unit, read from the register
    again only when its file has changed (``meters.json`` is replaced, never edited in place:
    a new file has another inode, size or time). Building thousands of meters from JSON took
    most of a monthly run's Python time."""
    path = store.root / "meters.json"
    try:
        found = path.stat()
    except FileNotFoundError:
        return {}
    key = (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
    described = _DESCRIBED.get(key)
    if described is None:
        described = {
            meter_id: (meter.category, meter.sector, meter.consumption_unit)
            for meter_id, meter in store.meters().items()
        }
        if len(_DESCRIBED) >= 8:
            _DESCRIBED.clear()
        _DESCRIBED[key] = described
    return described


_DESCRIBED: dict[tuple[int, ...], dict[str, Described]] = {}


def monthly(
    store: Store,
    engine: Engine = Engine.DUCKDB,
    *,
    set_id: str = DEFAULT_FACTOR_SET,
    library: FactorLibrary | None = None,
    communities: Iterable[str] | None = None,
) -> MonthlyReport:
    """Run the monthly job over the committed store and turn its sums into figures;
    ``communities`` limits it to those partitions (a unit's page, a district's)."""
    library = library if library is not None else _bundled_library()
    library.factor_set(set_id)  # an unknown set fails here, before any engine starts
    factors: dict[tuple[str, str], ResolvedFactor | None] = {}
    notes: dict[tuple[str, str], Message] = {}
    figures = []
    meters = _described(store)
    for community, meter_id, month, minutes, measured, estimated, flagged, total in run_job(
        store.files(communities), engine
    ):
        category_of, sector, unit = meters[meter_id]
        category = category_of.value
        key = (category, month)
        if key not in factors:
            try:
                factors[key] = library.resolve(set_id, category, _month_end(month))
            except FactorError as error:
                factors[key] = None
                notes[key] = Message(
                    gettext_noop("{month}: no tCO2 for {category}: {reason}"),
                    {"month": month, "category": category, "reason": error.message},
                )
        figures.append(
            monthly_figures(
                community=community,
                meter=meter_id,
                month=month,
                category=category_of,
                sector=sector,
                unit=unit,
                interval_minutes=minutes,
                measured=measured,
                estimated=estimated,
                flagged=flagged,
                consumption=total,
                factor=factors[key],
            )
        )
    return MonthlyReport(set_id, tuple(figures), tuple(notes[k] for k in sorted(notes)))


def figures_to_json(report: MonthlyReport) -> dict[str, Any]:
    return {
        "factor_set": report.factor_set,
        "months": [
            {
                "community": f.community,
                "meter": f.meter,
                "month": f.month,
                "category": f.category.value,
                "sector": f.sector.value,
                "unit": f.unit,
                "rows": f.rows,
                "measured": f.measured,
                "estimated": f.estimated,
                "flagged": f.flagged,
                "completeness": str(f.completeness),
                "consumption": str(f.consumption),
                "tco2": None if f.tco2 is None else str(f.tco2),
            }
            for f in report.figures
        ],
    }
