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

Speed: the file is read once into a table (every text check there), one hash aggregation per
meter says which meters are plainly valid, the rows stream once in file order to find a meter
whose times do not rise strictly, and each part is one ``COPY`` whose constant and descriptive
columns are ENUMs (the same strings in Parquet, written without hashing a string per row),
ZSTD-compressed, in any row order. Most of what remains is reading the text with its checks
and writing the store's fifteen columns (``make bench``; docs/operations.md).
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
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lowcarbon.core.metering import Meter, ReadingKind, month_of

from .sources import ColumnMapping
from .store import PartWriter, Store, previous_month

__all__ = ["MEMORY_LIMIT", "CleanSplit", "clean_split"]

#: What both readers take alike: DuckDB reads 24:00 as the next midnight, Python refuses it.
_TIME = r"\d{4}-\d{2}-\d{2}[ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?"
_VALUE = r"\d+(\.\d+)?"
_CHUNK = 1 << 24
_BATCH = 1 << 20
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
    # The meters' descriptive columns as DuckDB ENUMs: Parquet gets the same strings, and
    # the writer encodes small integers instead of hashing a string per row (a third of the
    # write's time for the fifteen columns).
    enums = ", ".join(
        f"CAST({name} AS {_enum(described[name].to_pylist())}) AS {name}"
        for name in ("carrier", "category", "sector", "unit")
    )
    # The meter ids as an ENUM too: the file's meter column is read into its code (unknown
    # ids give none), so the table holds no text per row, and the join with the meters, the
    # grouping by meter and the pass in file order work on small integers.
    connection.execute("CREATE TYPE meter_id AS ENUM (SELECT id FROM described)")
    connection.execute(
        "CREATE TEMP TABLE meters_t AS "
        f"SELECT CAST(id AS meter_id) AS code, * REPLACE ({enums}) FROM described"
    )
    meter_column = _quoted(mapping.meter) if mapping.meter else "?"
    parameters: list[object] = [] if mapping.meter else [meter or ""]
    time, value = _quoted(mapping.time), _quoted(mapping.value)
    # The row number is the table's rowid (+ 2: the header is line 1): DuckDB keeps the order
    # of insertion, the file's, as ``row_number() OVER ()`` did at twice the cost of the read.
    # The values are read as numbers by the CSV reader itself (it reads what Python's float
    # reads, the same double; NaN, infinities and negatives are not plain); a value it cannot
    # read fails the whole read, and the file is read again as text, every cell checked.
    for typed in (True, False):
        try:
            connection.execute(
                _rows_sql(meter_column, time, mapping.value, typed),
                [*parameters, str(path), _delimiter(path)],
            )
        except duckdb.Error:
            if not typed:
                raise
            continue
        break
    connection.execute("CREATE TEMP VIEW raw AS SELECT rowid + 2 AS row, * FROM rows_t")
    connection.execute(
        "CREATE TEMP VIEW r AS SELECT raw.row, raw.code, raw.plain, raw.ts, raw.val, "
        "m.id AS meter, m.id IS NOT NULL AS known, m.scale, m.step, m.cap, m.installed, "
        "m.community, m.carrier, m.category, m.sector, m.unit "
        "FROM raw LEFT JOIN meters_t m ON raw.code = m.code"
    )
    # Per meter in one hash aggregation of the table alone (no join with the meters): whether
    # every row is plainly valid, its count, first and last time and largest value. Against the
    # meter after: the interval of the last time ends by ``now``, the first is not before the
    # installation, the largest value is within the cap (× a positive scale: the largest
    # consumption), as many rows as grid points from the first to the last.
    series = connection.execute(
        """
        SELECT CAST(code AS VARCHAR), count(*), min(ts), max(ts), max(val),
               bool_and(plain AND ts IS NOT NULL AND val IS NOT NULL)
        FROM raw
        GROUP BY code
        """
    ).fetchall()
    count = sum(int(row[1]) for row in series)
    if count == 0 or _lines(path) != count + 1:
        return None  # a blank line or a field over several lines: numbering would differ
    if any(row[0] is None for row in series):
        return None  # a meter id core reads otherwise (unknown, blank, spaces, a register)
    dirty: set[str] = set()
    spans = {}
    for meter_id, n, first, last, top, valid in series:
        if valid and _plainly_clean(meters[meter_id], n, first, last, top, now):
            spans[meter_id] = (first, last)
        else:
            dirty.add(meter_id)
    dirty |= _not_rising(connection, spans, meters)
    spans = {key: value for key, value in spans.items() if key not in dirty}
    dirty |= _misfits(connection, store, meters, spans)
    if len(dirty) == len(series):
        return None
    connection.register("dirty_ids", pa.table({"meter": pa.array(sorted(dirty), pa.string())}))
    # The clean meters' ids as an ENUM as well: the writer then encodes the meter column from
    # small integers instead of hashing a string per row.
    connection.register(
        "clean_ids",
        pa.table({"id": pa.array(sorted(m for m in spans if m not in dirty), pa.string())}),
    )
    connection.execute("CREATE TYPE clean_meter AS ENUM (SELECT id FROM clean_ids)")
    connection.execute(
        "CREATE TEMP TABLE clean_t AS SELECT m.*, CAST(m.id AS clean_meter) AS clean "
        "FROM meters_t m JOIN clean_ids c ON m.id = c.id"
    )
    connection.execute(
        "CREATE TEMP VIEW out AS SELECT community, clean AS meter, "
        "carrier, category, sector, unit, CAST(step AS INTEGER) AS interval_minutes, "
        'ts AS start, ts + to_minutes(step) AS "end", val * scale AS consumption, '
        "val AS raw, CAST(row AS BIGINT) AS row FROM raw JOIN clean_t c USING (code)"
    )
    # The parts: every month from a clean meter's first interval to its last (a grid of at
    # most a day's step has an interval in each), without a pass over the rows.
    parts = sorted(
        {
            (meters[meter_id].community, month)
            for meter_id, (first, last) in spans.items()
            if meter_id not in dirty
            for month in _months(first, last)
        }
    )
    clean = sum(int(row[1]) for row in series if row[0] not in dirty)
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
        clean,
        {(community, month): _writer(connection, community, month) for community, month in parts},
        others,
    )


def _rows_sql(meter_column: str, time: str, value_name: str, typed: bool) -> str:
    """The statement that reads the file into ``rows_t``: each row's meter, whether its cells
    are plain (module docstring), its time and its value; with ``typed`` the reader parses the
    value column as DOUBLE (no regular expression, no cast of a text per row)."""
    value = _quoted(value_name)
    if typed:
        plain_value = f"coalesce(isfinite({value}) AND {value} >= 0, false)"
        read_value = value
        types = f", types = {{{_literal(value_name)}: 'DOUBLE'}}"
    else:
        plain_value = f"regexp_full_match(coalesce({value}, ''), '{_VALUE}')"
        read_value = f"try_cast({value} AS DOUBLE)"
        types = ""
    return f"""
        CREATE OR REPLACE TEMP TABLE rows_t AS
        SELECT TRY_CAST(CAST({meter_column} AS VARCHAR) AS meter_id) AS code,
               regexp_full_match(coalesce({time}, ''), '{_TIME}') AND {plain_value} AS plain,
               try_cast({time} AS TIMESTAMP) AS ts, {read_value} AS val
        FROM read_csv(?, header = true, all_varchar = true, delim = ?, quote = '"',
                      escape = '"'{types})
        """


def _plainly_clean(
    meter: Meter, n: int, first: datetime, last: datetime, top: float, now: datetime
) -> bool:
    """Whether a meter's ``n`` plainly valid rows from ``first`` to ``last``, ``top`` the
    largest value, pass the checks that depend on the meter (see :func:`_split`)."""
    cap = meter.limit(meter.interval_minutes / 60)
    return (
        last + meter.interval <= now
        and (meter.installed is None or first.date() >= meter.installed)
        and (cap is None or top * meter.scale <= cap)
        and (last - first) / meter.interval == n - 1
    )


def _not_rising(
    connection: duckdb.DuckDBPyConnection,
    spans: Mapping[str, tuple[datetime, datetime]],
    meters: Mapping[str, Meter],
) -> set[str]:
    """The meters of ``spans`` whose times do not rise by exactly one interval from row to row
    in file order (a duplicate, a row out of order, a time off the meter's grid): with every
    row valid and as many rows as grid points from the first to the last, this is all core
    could still find in the file.

    The rows stream in file order in batches; each batch is sorted by meter (Arrow's stable
    sort keeps file order within a meter) and compared with the meter's last time so far: no
    window over the whole file, and the memory of one batch. Should DuckDB ever hand the rows
    out of file order, a window query decides instead."""
    if not spans:
        return set()
    found_ids = connection.execute("SELECT enum_range(NULL::meter_id)").fetchone()
    ids: list[str] = found_ids[0] if found_ids is not None else []
    steps = np.array([meters[i].interval_minutes * 60_000_000 for i in ids], dtype=np.int64)
    unseen = np.iinfo(np.int64).min
    last = np.full(len(ids), unseen, dtype=np.int64)
    falling = np.zeros(len(ids), dtype=bool)
    previous_row = -1
    # The table itself, not the join with the meters: a scan keeps the rows in file order.
    reader = connection.execute(
        "SELECT enum_code(code) AS code, row, epoch_us(ts) AS t FROM raw WHERE ts IS NOT NULL"
    ).to_arrow_reader(_BATCH)
    for batch in reader:
        if batch.num_rows == 0:
            continue
        found = batch.column(0)
        if found.null_count:
            return _not_rising_by_window(connection, spans)
        rows = batch.column(1).to_numpy()
        if rows[0] <= previous_row or bool(np.any(rows[1:] <= rows[:-1])):
            return _not_rising_by_window(connection, spans)
        previous_row = int(rows[-1])
        order = pc.sort_indices(found).to_numpy()
        codes = found.to_numpy()[order]
        times = batch.column(2).to_numpy()[order]
        first = np.ones(len(codes), dtype=bool)
        first[1:] = codes[1:] != codes[:-1]
        before = np.empty_like(times)
        before[1:] = times[:-1]
        before[first] = last[codes[first]]
        step = steps[codes]
        fresh = before == unseen  # a meter's first row: nothing to compare with
        before[fresh] = times[fresh] - step[fresh]
        falling[codes[times - before != step]] = True
        final = np.roll(first, -1)
        last[codes[final]] = times[final]
    return {str(ids[int(code)]) for code in np.flatnonzero(falling)} & set(spans)


def _not_rising_by_window(
    connection: duckdb.DuckDBPyConnection, spans: Mapping[str, tuple[datetime, datetime]]
) -> set[str]:
    found = connection.execute(
        """
        SELECT meter FROM (
            SELECT meter, ts, step, lag(ts) OVER (PARTITION BY meter ORDER BY row) AS before
            FROM r)
        GROUP BY meter HAVING coalesce(bool_or(ts - before <> to_minutes(step)), false)
        """
    ).fetchall()
    return {meter_id for (meter_id,) in found} & set(spans)


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


def _enum(values: list[str]) -> str:
    return "ENUM(" + ", ".join(_literal(v) for v in sorted(set(values))) + ")"


def _constant(text: str) -> str:
    return f"CAST({_literal(text)} AS {_enum([text])})"


def _writer(connection: duckdb.DuckDBPyConnection, community: str, month: str) -> PartWriter:
    start = datetime.strptime(month, "%Y-%m")
    end = (start + timedelta(days=32)).replace(day=1)

    def write(path: Path, import_id: str) -> None:
        # The month as a time range (the file's rows are mostly in time order, so DuckDB skips
        # the row groups of other months); ZSTD: a sixth of Snappy's size at the same speed;
        # the rows in any order (every reader sorts or groups), so both cores write.
        connection.execute("SET preserve_insertion_order = false")
        # The columns of ``SCHEMA`` in its order; the part's constants as one-value ENUMs.
        connection.execute(
            f"COPY (SELECT {_constant(community)} AS community, {_constant(month)} AS month, "
            'meter, carrier, category, sector, unit, interval_minutes, start, "end", '
            f"consumption, {_constant('measured')} AS quality, raw, row, "
            f"{_constant(import_id)} AS import_id FROM out "
            f"WHERE start >= {_literal(start.isoformat())}::TIMESTAMP "
            f"AND start < {_literal(end.isoformat())}::TIMESTAMP "
            f"AND community = {_literal(community)}) "
            f"TO {_literal(str(path))} (FORMAT parquet, COMPRESSION zstd, "
            # A dictionary only where it stays small in a row group (the times, shared by every
            # meter of an export): the row numbers and most values differ, and building their
            # dictionary only to drop it cost a tenth of the write. Without the times' dictionary
            # a reader that computes on the time (a month of it) does so per row, not per value.
            "DICTIONARY_SIZE_LIMIT 4096)"
        )

    return write
