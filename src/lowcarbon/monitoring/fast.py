"""The clean-meter path of an import: DuckDB reads a CSV, and checks and writes the rows of the
meters that need no finding.

Most exports of interval meters are complete: every row readable, of a registered meter, once,
in order, on the meter's interval grid without a gap, nothing negative, in the future, before
installation or above the physical maximum, and nothing of it stored yet. For such a meter
:func:`lowcarbon.core.metering.check_readings` finds nothing and keeps every row as a measured
interval of ``value × scale``; DuckDB decides which meters of a file are of this kind and writes
their intervals itself, without a Python object per row.

The rows of every other meter (a register meter, a text that is not strictly
``2024-03-01 00:15`` or ``12.5``, a gap, a duplicate, a row out of order, a stored neighbour that
is not the interval just before …) go to core's checks, which report every finding.
:func:`clean_split` answers ``None`` (the whole file to core) for a file DuckDB cannot read or
number as core does: not a CSV, not UTF-8, a blank line, a field over several lines, a meter id
that is not exactly a registered interval meter's. Both paths store the same rows
(``tests/monitoring/test_fast.py`` checks it on generated files).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from lowcarbon.core.metering import Meter, ReadingKind, month_of

from .sources import ColumnMapping
from .store import PartWriter, Store, previous_month

__all__ = ["MEMORY_LIMIT", "CleanSplit", "clean_split"]

#: What both readers take alike: DuckDB reads 24:00 as the next midnight, Python refuses it.
_TIME = r"\d{4}-\d{2}-\d{2}[ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?"
_VALUE = r"\d+(\.\d+)?"
_CHUNK = 1 << 24
#: DuckDB spills to a temporary folder beyond this: a 10 M-row import peaks below 1 GB.
MEMORY_LIMIT = "640MB"


def _lines(path: Path) -> int:
    """Lines of the file (a last line without a newline counts), read in chunks."""
    count, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (0 if last == b"\n" else 1)


def _delimiter(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(4096).decode("utf-8", errors="replace")
    return ";" if sample.count(";") > sample.count(",") else ","


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _months(first: datetime, last: datetime) -> list[str]:
    months, moment = [], first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while moment <= last:
        months.append(month_of(moment))
        moment = (moment + timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class CleanSplit:
    """A file's rows: ``count`` in all; the parts DuckDB writes for the meters whose rows are
    plainly clean (``clean`` rows); the rows of the other meters, as ``(row, meter, time text,
    value text)``, for core's checks."""

    count: int
    clean: int
    parts: dict[tuple[str, str], PartWriter]
    others: list[tuple[int, str, object, object]]


@contextmanager
def clean_split(
    store: Store,
    path: Path,
    mapping: ColumnMapping,
    meters: Mapping[str, Meter],
    meter: str | None,
    now: datetime,
) -> Iterator[CleanSplit | None]:
    """The split of a CSV between DuckDB and core, or ``None`` when no meter of it is plainly
    clean or the file is not one DuckDB can number as core does (module docstring). The part
    writers work until the context ends."""
    if path.suffix.lower() != ".csv":
        yield None
        return
    connection = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    spill = tempfile.mkdtemp(prefix="lowcarbon-duckdb-")
    try:
        connection.execute("SET temp_directory = ?", [spill])
        try:
            found = _split(connection, store, path, mapping, meters, meter, now)
        except duckdb.Error:
            found = None  # not UTF-8, ragged rows, a missing column …: core's path says what
        yield found
    finally:
        connection.close()
        shutil.rmtree(spill, ignore_errors=True)


def _split(
    connection: duckdb.DuckDBPyConnection,
    store: Store,
    path: Path,
    mapping: ColumnMapping,
    meters: Mapping[str, Meter],
    meter: str | None,
    now: datetime,
) -> CleanSplit | None:
    interval_meters = [m for m in meters.values() if m.reading is not ReadingKind.REGISTER]
    if not interval_meters:
        return None
    described = pa.table(
        {
            "id": [m.id for m in interval_meters],
            "scale": pa.array([m.scale for m in interval_meters], pa.float64()),
            "step": pa.array([m.interval_minutes for m in interval_meters], pa.int32()),
            "cap": pa.array(
                [m.limit(m.interval_minutes / 60) for m in interval_meters], pa.float64()
            ),
            "installed": pa.array([m.installed for m in interval_meters], pa.date32()),
            "community": [m.community for m in interval_meters],
            "carrier": [m.carrier.value for m in interval_meters],
            "category": [m.category.value for m in interval_meters],
            "sector": [m.sector.value for m in interval_meters],
            "unit": [m.consumption_unit for m in interval_meters],
        }
    )
    connection.register("described", described)
    connection.execute("CREATE TEMP TABLE meters_t AS SELECT * FROM described")
    meter_column = _quoted(mapping.meter) if mapping.meter else "?"
    parameters: list[object] = [] if mapping.meter else [meter or ""]
    time, value = _quoted(mapping.time), _quoted(mapping.value)
    connection.execute(
        f"""
        CREATE TEMP TABLE raw AS
        SELECT row_number() OVER () + 1 AS row, CAST({meter_column} AS VARCHAR) AS meter,
               regexp_full_match(coalesce({time}, ''), '{_TIME}')
                 AND regexp_full_match(coalesce({value}, ''), '{_VALUE}') AS plain,
               try_cast({time} AS TIMESTAMP) AS ts, try_cast({value} AS DOUBLE) AS val
        FROM read_csv(?, header = true, all_varchar = true, delim = ?, quote = '"',
                      escape = '"')
        """,
        [*parameters, str(path), _delimiter(path)],
    )
    rows = connection.execute("SELECT count(*) FROM raw").fetchone()
    assert rows is not None
    count = int(rows[0])
    if count == 0 or _lines(path) != count + 1:
        return None  # a blank line or a field over several lines: numbering would differ
    connection.execute(
        "CREATE TEMP VIEW r AS SELECT raw.*, m.id IS NOT NULL AS known, m.scale, m.step, m.cap, "
        "m.installed, m.community, m.carrier, m.category, m.sector, m.unit "
        "FROM raw LEFT JOIN meters_t m ON raw.meter = m.id"
    )
    unknown = connection.execute("SELECT count(*) FROM r WHERE NOT known").fetchone()
    assert unknown is not None
    if unknown[0]:
        return None  # a meter id core reads otherwise (unknown, blank, spaces, a register)
    dirty = {
        meter_id
        for (meter_id,) in connection.execute(
            """
            SELECT DISTINCT meter FROM r
            WHERE NOT coalesce(
                plain AND ts IS NOT NULL AND val IS NOT NULL
                AND ts + to_minutes(step) <= ?
                AND (installed IS NULL OR CAST(ts AS DATE) >= installed)
                AND (cap IS NULL OR val * scale <= cap), false)
            """,
            [now],
        ).fetchall()
    }
    series = connection.execute(
        """
        WITH ordered AS (
            SELECT meter, ts, step, lag(ts) OVER (PARTITION BY meter ORDER BY row) AS before
            FROM r)
        SELECT meter, count(*), count(DISTINCT ts), min(ts), max(ts), any_value(step),
               bool_or(before > ts),
               count(DISTINCT CAST(epoch(ts) AS BIGINT) % (step * 60)) = 1
        FROM ordered
        GROUP BY meter
        """
    ).fetchall()
    spans = {}
    for meter_id, n, distinct, first, last, step, disordered, aligned in series:
        if meter_id in dirty:
            continue
        span = (last - first) / timedelta(minutes=step)
        if n != distinct or disordered or not aligned or span != n - 1:
            dirty.add(meter_id)
        else:
            spans[meter_id] = (first, last)
    dirty |= _misfits(connection, store, meters, spans)
    if len(dirty) == len(series):
        return None
    connection.register("dirty_ids", pa.table({"meter": pa.array(sorted(dirty), pa.string())}))
    connection.execute(
        "CREATE TEMP VIEW out AS SELECT community, strftime(ts, '%Y-%m') AS month, meter, "
        "carrier, category, sector, unit, CAST(step AS INTEGER) AS interval_minutes, "
        'ts AS start, ts + to_minutes(step) AS "end", val * scale AS consumption, '
        "'measured' AS quality, val AS raw, CAST(row AS BIGINT) AS row FROM r "
        "WHERE meter NOT IN (SELECT meter FROM dirty_ids)"
    )
    parts = connection.execute("SELECT DISTINCT community, month FROM out ORDER BY 1, 2").fetchall()
    clean = connection.execute("SELECT count(*) FROM out").fetchone()
    assert clean is not None
    others: list[tuple[int, str, object, object]] = []
    if dirty:
        others = [
            (row, meter_id, "" if t is None else t, "" if v is None else v)
            for row, meter_id, t, v in connection.execute(
                f"""
                SELECT * FROM (
                    SELECT row_number() OVER () + 1 AS row,
                           CAST({meter_column} AS VARCHAR) AS meter, {time} AS t, {value} AS v
                    FROM read_csv(?, header = true, all_varchar = true, delim = ?,
                                  quote = '"', escape = '"'))
                WHERE meter IN (SELECT meter FROM dirty_ids) ORDER BY row
                """,
                [*parameters, str(path), _delimiter(path)],
            ).fetchall()
        ]
    return CleanSplit(
        count,
        int(clean[0]),
        {(community, month): _writer(connection, community, month) for community, month in parts},
        others,
    )


def _misfits(
    connection: duckdb.DuckDBPyConnection,
    store: Store,
    meters: Mapping[str, Meter],
    spans: Mapping[str, tuple[datetime, datetime]],
) -> set[str]:
    """The meters of ``spans`` with something stored from their first to their last time, or
    whose latest stored reading before them (in the month of the first or the one before, where
    :meth:`Store.last_before` looks) is not the interval just before: core reads the gap or
    the overlap."""
    partitions = {
        (meters[meter_id].community, month)
        for meter_id, (first, last) in spans.items()
        for month in [previous_month(first), *_months(first, last)]
    }
    files = store.partition_files(partitions)
    if not files:
        return set()
    firsts = pa.table(
        {
            "meter": list(spans),
            "first": pa.array([first for first, _ in spans.values()], pa.timestamp("us")),
            "last": pa.array([last for _, last in spans.values()], pa.timestamp("us")),
            "step": pa.array([meters[m].interval_minutes for m in spans], pa.int32()),
        }
    )
    connection.register("spans", firsts)
    found = connection.execute(
        """
        SELECT meter FROM (
            SELECT s.meter, any_value(s.first) AS first, any_value(s.step) AS step,
                   max(CASE WHEN k.quality <> 'estimated' AND k.raw IS NOT NULL
                             AND k.start < s.first THEN k.start END) AS before,
                   bool_or(k.start BETWEEN s.first AND s.last) AS overlap
            FROM read_parquet(?, hive_partitioning = false) k JOIN spans s USING (meter)
            GROUP BY s.meter)
        WHERE overlap OR (before IS NOT NULL AND before + to_minutes(step) <> first)
        """,
        [[str(path) for path in files]],
    ).fetchall()
    return {meter_id for (meter_id,) in found}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _writer(connection: duckdb.DuckDBPyConnection, community: str, month: str) -> PartWriter:
    def write(path: Path, import_id: str) -> None:
        connection.execute(
            f"COPY (SELECT *, {_literal(import_id)} AS import_id FROM out "
            f"WHERE community = {_literal(community)} AND month = {_literal(month)}) "
            f"TO {_literal(str(path))} (FORMAT parquet)"
        )

    return write
