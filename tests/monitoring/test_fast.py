"""The clean-file path (DuckDB) stores exactly what core's path stores, and only when core
would find nothing."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
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
    return rows


def write(path: Path, rows: list[tuple[datetime, str]], defect: str) -> Path:
    write_csv(path, rows)
    text = path.read_text(encoding="utf-8")
    if defect == "slashes":
        text = text.replace("2024-02-29", "2024/02/29")
    elif defect == "blank line":
        text = text.replace("\n", "\n\n", 2).replace("\n\n", "\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 900), min_size=3, max_size=40),
    st.sampled_from(DEFECTS),
    st.integers(0, 39),
    st.integers(0, 39),
    st.sampled_from([ReadingKind.INTERVAL_ENERGY, ReadingKind.AVERAGE_POWER]),
)
def test_both_paths_store_the_same_and_duckdb_only_writes_what_core_finds_clean(
    values: list[int], defect: str, where: int, cut: int, kind: ReadingKind
) -> None:
    meter = Meter(
        "E1",
        Carrier.ELECTRICITY,
        MeterUse.HOUSEHOLD,
        "kW" if kind is ReadingKind.AVERAGE_POWER else "kWh",
        kind,
        interval_minutes=30,
        max_rate=4.0 if kind is ReadingKind.AVERAGE_POWER else 8.0,
    )
    rows = [(START + k * timedelta(minutes=30), f"{v / 1000:g}") for k, v in enumerate(values)]
    where, cut = where % len(rows), 1 + cut % (len(rows) - 1)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        first, second = rows[:cut], export(rows[cut:], defect, where % (len(rows) - cut))
        results = {}
        for clean_path in (True, False):
            store = Store(root / f"store-{clean_path}")
            outcomes = []
            for index, part in enumerate((first, second)):
                path = write(root / f"{clean_path}-{index}.csv", part, defect if index else "")
                outcomes.append(ingest(store, path, MAPPING, meter, now=NOW, clean_path=clean_path))
            results[clean_path] = (stored(store), outcomes)
        (fast_rows, fast), (core_rows, core) = results[True], results[False]
        assert fast_rows == core_rows
        for by_duckdb, by_core in zip(fast, core, strict=True):
            assert by_core.path == "core"
            assert [f.kind for f in by_duckdb.findings] == [f.kind for f in by_core.findings]
            assert (by_duckdb.added, by_duckdb.already_stored) == (
                by_core.added,
                by_core.already_stored,
            )
            if by_duckdb.path == "duckdb":
                assert by_core.findings == []
        if defect == "none":
            assert [r.path for r in fast] == ["duckdb", "duckdb"]


def test_a_file_ingested_twice_goes_through_core_the_second_time(tmp_path: Path) -> None:
    meter = Meter("E1", Carrier.ELECTRICITY, MeterUse.HOUSEHOLD, "kWh", ReadingKind.INTERVAL_ENERGY)
    rows = [(START + k * timedelta(minutes=15), "0.5") for k in range(10)]
    path = write_csv(tmp_path / "a.csv", rows)
    store = Store(tmp_path / "s")
    first = ingest(store, path, MAPPING, meter, now=NOW)
    again = ingest(store, path, MAPPING, meter, now=NOW)
    assert (first.path, first.added) == ("duckdb", 10)
    assert (again.path, again.added, again.already_stored) == ("core", 0, 10)
