"""The clean-file path of an import: DuckDB reads, checks and writes a CSV that needs no finding.

Most exports of interval meters are complete: every row readable, of a registered meter, once,
in order, on the meter's interval grid without a gap, nothing negative, in the future, before
installation or above the physical maximum, and nothing of it stored yet. For such a file
:func:`lowcarbon.core.metering.check_readings` finds nothing and keeps every row as a measured
interval of ``value × scale``; DuckDB can decide that the file is of this kind and write those
intervals itself, without a Python object per row.

:func:`try_clean_import` answers ``None`` as soon as anything is not plainly clean (a register
meter, a text that is not strictly ``2024-03-01 00:15`` or ``12.5``, a blank line, a GBK or
XLSX file, a gap, a duplicate, a row out of order, a stored neighbour that is not the interval
before …): the import then goes through core's checks, which report every finding. Both paths
store the same rows (``tests/monitoring/test_fast.py`` checks it on generated files).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from lowcarbon.core.metering import Meter, ReadingKind, month_of

from .sources import ColumnMapping
from .store import PartWriter, Store, previous_month

__all__ = ["try_clean_import"]

_TIME = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"
_VALUE = r"\d+(\.\d+)?"
_CHUNK = 1 << 24
#: DuckDB spills to a temporary folder beyond this, so a 10 M-row file fits a small server.
MEMORY_LIMIT = "1GB"


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


def try_clean_import(
    store: Store,
    path: Path,
    mapping: ColumnMapping,
    meters: Mapping[str, Meter],
    meter: str | None,
    now: datetime,
    commit: Callable[[int, dict[tuple[str, str], PartWriter]], str],
) -> tuple[str, int] | None:
    """Import a clean file: ``commit`` is called with the row count and the part writers and
    returns the import's id; ``None`` when the file is not plainly clean (module docstring)."""
    if path.suffix.lower() != ".csv":
        return None
    connection = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    spill = tempfile.mkdtemp(prefix="lowcarbon-duckdb-")
    try:
        connection.execute("SET temp_directory = ?", [spill])
        try:
            found = _clean(connection, store, path, mapping, meters, meter, now)
        except duckdb.Error:
            return None  # not UTF-8, ragged rows, a missing column …: core's path says what
        if found is None:
            return None
        count, parts = found
        return commit(count, parts), count
    finally:
        connection.close()
        shutil.rmtree(spill, ignore_errors=True)


def _clean(
    connection: duckdb.DuckDBPyConnection,
    store: Store,
    path: Path,
    mapping: ColumnMapping,
    meters: Mapping[str, Meter],
    meter: str | None,
    now: datetime,
) -> tuple[int, dict[tuple[str, str], PartWriter]] | None:
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
    bad = connection.execute(
        """
        SELECT count(*) FROM r
        WHERE NOT coalesce(
            known AND plain AND ts IS NOT NULL AND val IS NOT NULL
            AND ts + to_minutes(step) <= ?
            AND (installed IS NULL OR CAST(ts AS DATE) >= installed)
            AND (cap IS NULL OR val * scale <= cap), false)
        """,
        [now],
    ).fetchone()
    assert bad is not None
    if bad[0]:
        return None
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
        span = (last - first) / timedelta(minutes=step)
        if n != distinct or disordered or not aligned or span != n - 1:
            return None
        spans[meter_id] = (first, last)
    if not _fits_the_store(connection, store, meters, spans):
        return None
    parts = connection.execute(
        "SELECT DISTINCT community, strftime(ts, '%Y-%m') FROM r ORDER BY 1, 2"
    ).fetchall()
    connection.execute(
        "CREATE TEMP VIEW out AS SELECT community, strftime(ts, '%Y-%m') AS month, meter, "
        "carrier, category, sector, unit, CAST(step AS INTEGER) AS interval_minutes, "
        'ts AS start, ts + to_minutes(step) AS "end", val * scale AS consumption, '
        "'measured' AS quality, val AS raw, CAST(row AS BIGINT) AS row FROM r"
    )
    return count, {
        (community, month): _writer(connection, community, month) for community, month in parts
    }


def _fits_the_store(
    connection: duckdb.DuckDBPyConnection,
    store: Store,
    meters: Mapping[str, Meter],
    spans: Mapping[str, tuple[datetime, datetime]],
) -> bool:
    """For each meter of the file, nothing stored from its first to its last time, and its
    latest stored reading before them (in the month of the first or the one before, where
    :meth:`Store.last_before` looks), if any, is the interval just before: else core's path
    reads the gap or the overlap."""
    partitions = {
        (meters[meter_id].community, month)
        for meter_id, (first, last) in spans.items()
        for month in [previous_month(first), *_months(first, last)]
    }
    files = store.partition_files(partitions)
    if not files:
        return True
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
        SELECT count(*) FROM (
            SELECT s.meter, any_value(s.first) AS first, any_value(s.step) AS step,
                   max(CASE WHEN k.quality <> 'estimated' AND k.raw IS NOT NULL
                             AND k.start < s.first THEN k.start END) AS before,
                   bool_or(k.start BETWEEN s.first AND s.last) AS overlap
            FROM read_parquet(?, hive_partitioning = false) k JOIN spans s USING (meter)
            GROUP BY s.meter)
        WHERE overlap OR (before IS NOT NULL AND before + to_minutes(step) <> first)
        """,
        [[str(path) for path in files]],
    ).fetchone()
    assert found is not None
    return int(found[0]) == 0


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
