"""The clean-file path (DuckDB) stores exactly what core's path stores, and only when core
would find nothing."""

from __future__ import annotations

import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lowcarbon.core.metering import Carrier, Meter, MeterUse, ReadingKind
from lowcarbon.monitoring.ingest import ingest
from lowcarbon.monitoring.sources import ColumnMapping
from lowcarbon.monitoring.store import Store

from .generator import write_csv

START = datetime(2024, 2, 28, 20)
NOW = datetime(2024, 3, 2)
MAPPING = ColumnMapping("时间", "电量")
DEFECTS = [
    "none",
    "gap",
    "duplicate",
    "conflict",
    "negative",
    "not a number",
    "spike",
    "out of order",
    "off the grid",
    "future",
    "slashes",
    "blank line",
    "24:00",
]


def stored(store: Store) -> list[tuple[Any, ...]]:
    rows = []
    for path in store.files():
        for row in pq.ParquetFile(path).read().to_pylist():
            del row["import_id"]
            rows.append(tuple(row.values()))
    return sorted(rows)


def export(rows: list[tuple[datetime, str]], defect: str, where: int) -> list[tuple[datetime, str]]:
    rows = rows[:]
    at, value = rows[where]
    if defect == "gap":
        del rows[where]
    elif defect == "duplicate":
        rows.append((at, value))
    elif defect == "conflict":
        rows.append((at, "0.777"))
    elif defect == "negative":
        rows[where] = (at, "-1")
    elif defect == "not a number":
        rows[where] = (at, "?")
    elif defect == "spike":
        rows[where] = (at, "99")
    elif defect == "out of order":
        rows[where], rows[0] = rows[0], rows[where]
    elif defect == "off the grid":
        rows[where] = (at + timedelta(minutes=5), value)
    elif defect == "future":
        rows[where] = (NOW + timedelta(days=1), value)
    elif defect == "24:00":
        rows[where] = (at.replace(hour=0, minute=0), value)  # written as 24:00 the day before
    return rows


def write(
    path: Path,
    rows: list[tuple[datetime, str]],
    defect: str,
    second: list[tuple[datetime, str]] | None,
) -> Path:
    write_csv(path, rows)
    text = path.read_text(encoding="utf-8")
    if second is not None:  # a second meter, always clean, in a meter column: E1's rows, E2's
        lines = text.splitlines()
        clean = write_csv(path, second).read_text(encoding="utf-8").splitlines()[1:]
        text = "\n".join(
            ["表号," + lines[0], *[f"E1,{line}" for line in lines[1:]], *[f"E2,{c}" for c in clean]]
        )
        text += "\n"
    if defect == "24:00":
        text = re.sub(
            r"(\d{4}-\d{2}-)(\d{2}) 00:00", lambda m: f"{m[1]}{int(m[2]) - 1:02d} 24:00", text
        )
    if defect == "slashes":
        text = text.replace("2024-02-29", "2024/02/29")
    elif defect == "blank line":
        text = text.replace("\n", "\n\n", 2).replace("\n\n", "\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 900), min_size=3, max_size=40),
    st.sampled_from(DEFECTS),
    st.integers(0, 39),
    st.integers(0, 39),
    st.sampled_from([ReadingKind.INTERVAL_ENERGY, ReadingKind.AVERAGE_POWER]),
    st.booleans(),
)
def test_both_paths_store_the_same_and_duckdb_only_writes_what_core_finds_clean(
    values: list[int], defect: str, where: int, cut: int, kind: ReadingKind, second: bool
) -> None:
    meter, other = (
        Meter(
            meter_id,
            Carrier.ELECTRICITY,
            MeterUse.HOUSEHOLD,
            "kW" if kind is ReadingKind.AVERAGE_POWER else "kWh",
            kind,
            interval_minutes=30,
            max_rate=4.0 if kind is ReadingKind.AVERAGE_POWER else 8.0,
        )
        for meter_id in ("E1", "E2")
    )
    mapping = ColumnMapping("时间", "电量", "表号") if second else MAPPING
    rows = [(START + k * timedelta(minutes=30), f"{v / 1000:g}") for k, v in enumerate(values)]
    where, cut = where % len(rows), 1 + cut % (len(rows) - 1)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        first, rest = rows[:cut], export(rows[cut:], defect, where % (len(rows) - cut))
        results = {}
        for clean_path in (True, False):
            store = Store(root / f"store-{clean_path}")
            store.register(meter, other)
            outcomes = []
            for index, part in enumerate((first, rest)):
                pristine = (rows[:cut], rows[cut:])[index] if second else None
                path = write(
                    root / f"{clean_path}-{index}.csv", part, defect if index else "", pristine
                )
                outcomes.append(
                    ingest(
                        store,
                        path,
                        mapping,
                        None if second else meter,
                        now=NOW,
                        clean_path=clean_path,
                    )
                )
            results[clean_path] = (stored(store), outcomes)
        (fast_rows, fast), (core_rows, core) = results[True], results[False]
        assert fast_rows == core_rows
        for by_duckdb, by_core in zip(fast, core, strict=True):
            assert by_core.path == "core"
            assert sorted((f.kind, f.row) for f in by_duckdb.findings) == sorted(
                (f.kind, f.row) for f in by_core.findings
            )
            assert by_duckdb.rows == by_core.rows
            assert (by_duckdb.added, by_duckdb.already_stored) == (
                by_core.added,
                by_core.already_stored,
            )
            if by_duckdb.path == "duckdb":
                assert by_core.findings == []
        if defect == "none":
            assert [r.path for r in fast] == ["duckdb", "duckdb"]
        elif second and fast[1].findings and defect not in ("slashes", "blank line", "24:00"):
            assert fast[1].path == "duckdb+core"  # E2 by DuckDB, E1 by core


def test_a_file_ingested_twice_goes_through_core_the_second_time(tmp_path: Path) -> None:
    meter = Meter("E1", Carrier.ELECTRICITY, MeterUse.HOUSEHOLD, "kWh", ReadingKind.INTERVAL_ENERGY)
    rows = [(START + k * timedelta(minutes=15), "0.5") for k in range(10)]
    path = write_csv(tmp_path / "a.csv", rows)
    store = Store(tmp_path / "s")
    first = ingest(store, path, MAPPING, meter, now=NOW)
    again = ingest(store, path, MAPPING, meter, now=NOW)
    assert (first.path, first.added) == ("duckdb", 10)
    assert (again.path, again.added, again.already_stored) == ("core", 0, 10)


def test_a_file_with_one_defective_meter_is_split_between_duckdb_and_core(
    tmp_path: Path,
) -> None:
    meters = [
        Meter(m, Carrier.ELECTRICITY, MeterUse.HOUSEHOLD, "kWh", ReadingKind.INTERVAL_ENERGY)
        for m in ("E1", "E2")
    ]
    lines = ["表号,时间,电量"]
    for k in range(8):
        moment = (START + k * timedelta(minutes=15)).strftime("%Y-%m-%d %H:%M")
        lines.append(f"E1,{moment},0.{k + 1}")
        if k != 3:  # one interval of E2 is missing: core estimates it
            lines.append(f"E2,{moment},0.{k + 2}")
    path = tmp_path / "two.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = ColumnMapping("时间", "电量", "表号")
    results = {}
    for clean_path in (True, False):
        store = Store(tmp_path / f"s-{clean_path}")
        store.register(*meters)
        result = ingest(store, path, mapping, now=NOW, clean_path=clean_path)
        results[result.path] = (stored(store), [(f.kind.value, f.row) for f in result.findings])
    assert results["duckdb+core"] == results["core"]
    rows, findings = results["core"]
    assert findings == [("gap", 10)]
    assert len(rows) == 16  # 8 + 7 measured + 1 estimated


def test_the_file_order_pass_finds_what_a_window_over_the_rows_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Times that do not rise by one interval in file order (a duplicate, a row out of order, a
    time off the grid), also across the batches the rows stream in, found alike by the pass and
    by DuckDB's window."""
    import duckdb
    import pyarrow as pa

    from lowcarbon.monitoring import fast

    meters = [
        Meter(f"M{n}", Carrier.ELECTRICITY, MeterUse.HOUSEHOLD, "kWh", ReadingKind.INTERVAL_ENERGY)
        for n in range(5)
    ]
    step = timedelta(minutes=15)
    times: dict[str, list[datetime]] = {
        "M0": [START + k * step for k in range(3000)],  # rising
        "M1": [START + k * step for k in range(3000)],
        "M2": [START + k * step for k in range(3000)],
        "M3": [START + k * step for k in range(3000)],
        "M4": [START + k * step for k in range(3000)],
    }
    times["M1"][249], times["M1"][250] = times["M1"][250], times["M1"][249]  # rows 999, 1003
    times["M2"][2999] = times["M2"][2998]  # a duplicate, the last row
    times["M3"][1] = times["M3"][0]  # a duplicate, near the start
    times["M4"][1500] += timedelta(minutes=5)  # off the grid, still rising
    rows = [(meter, moments[k]) for k in range(3000) for meter, moments in times.items()]
    connection = duckdb.connect()
    connection.register(
        "given",
        pa.table(
            {
                "meter": [m for m, _ in rows],
                "ts": pa.array([t for _, t in rows], pa.timestamp("us")),
            }
        ),
    )
    connection.execute("CREATE TYPE meter_id AS ENUM ('M3', 'M4', 'M2', 'M1', 'M0')")
    connection.execute(
        "CREATE TEMP TABLE rows_t AS SELECT CAST(meter AS meter_id) AS code, ts FROM given"
    )
    connection.execute("CREATE TEMP VIEW raw AS SELECT rowid + 2 AS row, * FROM rows_t")
    connection.execute(
        "CREATE TEMP VIEW r AS SELECT *, CAST(code AS VARCHAR) AS meter, 15 AS step FROM raw"
    )
    spans = {m.id: (START, START) for m in meters}
    by_id = {m.id: m for m in meters}
    expected = {"M1", "M2", "M3", "M4"}
    assert fast._not_rising(connection, spans, by_id) == expected  # one batch
    monkeypatch.setattr(fast, "_BATCH", 1000)  # twelve batches: M1's swap spans two of them
    assert fast._not_rising(connection, spans, by_id) == expected
    assert fast._not_rising_by_window(connection, spans) == expected
    some = {"M0": (START, START), "M2": (START, START)}
    assert fast._not_rising(connection, some, by_id) == {"M2"}
