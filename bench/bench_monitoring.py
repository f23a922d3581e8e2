"""Monitoring throughput: importing a meter export, and the monthly job, against bare DuckDB.

Run with ``make bench`` (or ``python bench/bench_monitoring.py [ROWS] [METERS] [--spark]
[--reps=N]``; the sizes to aim at are a 10 M-row file and a 10 000-household community-month
of 3 meters each at 15 minutes: 30 000 meters x 2 976 intervals, about 89 M rows, which the
default run does not reach (bench_monitoring_growth.py 10000 --sizes 1 makes it); ``ROWS``
10000000 ``METERS`` 3000 is a tenth of that community-month's meters over the whole month).
A CSV of ROWS 15-minute interval-energy readings of METERS meters (one meter column) is
generated, then:

* ingest: ``lowcarbon.monitoring.ingest`` (read, every check, compare with the store, Parquet
  by community and month, manifest) against DuckDB's own
  ``COPY (SELECT * FROM read_csv(...)) TO 'x.parquet'`` of the same file (no check at all);
* monthly: the monthly job (DuckDB, then completeness and tCO2 in Python) against one
  hand-written DuckDB query (count and sum per meter and month) over the same Parquet files;
* with ``--spark``, the same job on Spark ``local[2]`` for reference;
* with ``--defects``, every 100th meter misses an interval: its rows go through core's checks
  while DuckDB writes the others.

Each of the two pairs runs ``--reps`` times (3 by default) in turn, ours then the ceiling; the
figures are medians, the ratios the median (and range) of the pairwise ratios. A new store is
made for each import. Peak memory is the process's maximum resident size after the imports
(bench_monitoring_growth.py gives the monthly job's and the hand query's alone). Each step
also gives the CPU seconds the process spent on it (all its threads): on a machine shared with
other work the wall times, and their ratios, vary with the load printed first; the CPU ratios
much less. This is a benchmark, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from lowcarbon.core.metering import Carrier, Meter, MeterUse, ReadingKind
from lowcarbon.monitoring.ingest import IngestResult, ingest
from lowcarbon.monitoring.monthly import Engine, monthly
from lowcarbon.monitoring.sources import ColumnMapping
from lowcarbon.monitoring.store import Store

START = datetime(2024, 1, 1)
STEP = timedelta(minutes=15)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def write_export(path: Path, rows: int, meters: int, defects: bool = False) -> int:
    """``rows`` readings: every meter's interval k, then interval k + 1, … (as a head-end
    system exports a community), values 0.01-0.5 kWh; with ``defects``, every 100th meter
    misses its 6th interval (a gap core estimates). Returns the rows written."""
    rng = random.Random(17)
    values = [f"{rng.uniform(0.01, 0.5):.3f}" for _ in range(997)]
    with path.open("w", encoding="utf-8") as handle:
        handle.write("meter,time,kwh\n")
        written = 0
        k = 0
        while written < rows:
            stamp = (START + k * STEP).strftime("%Y-%m-%d %H:%M")
            lines = []
            for m in range(min(meters, rows - written)):
                if defects and k == 5 and m % 100 == 0:
                    continue
                lines.append(f"H{m:05d},{stamp},{values[(k + m) % 997]}\n")
            handle.write("".join(lines))
            written += len(lines)
            k += 1
    return written


def _store(root: Path, meters: int) -> Store:
    store = Store(root)
    store.register(
        *(
            Meter(
                f"H{m:05d}",
                Carrier.ELECTRICITY,
                MeterUse.HOUSEHOLD,
                "kWh",
                ReadingKind.INTERVAL_ENERGY,
                max_rate=50.0,
                community="bench",
            )
            for m in range(meters)
        )
    )
    return store


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    start, used = time.perf_counter(), cpu_s()
    run()
    return time.perf_counter() - start, cpu_s() - used


def main(rows: int, meters: int, spark: bool, defects: bool, reps: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-monitoring-"))
    try:
        export = folder / "export.csv"
        rows = write_export(export, rows, meters, defects)
        size = export.stat().st_size / 1e6
        print(
            f"{rows:,} rows of {meters:,} meters, 15-minute interval energy ({size:.0f} MB CSV)"
            + (", every 100th meter with a gap" if defects else "")
            + f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
            f"{reps} runs of each, in turn"
        )
        ours, copies, store = [], [], None
        for rep in range(reps):
            if store is not None:
                shutil.rmtree(store.root)
            store = _store(folder / f"store-{rep}", meters)
            found: list[IngestResult] = []
            ours.append(
                _timed(
                    lambda store=store, found=found: found.append(
                        ingest(
                            store,
                            export,
                            ColumnMapping("time", "kwh", "meter"),
                            now=datetime(2100, 1, 1),
                        )
                    )
                )
            )
            result = found[0]
            assert result.added == rows + len(result.findings), (
                result.added,
                result.findings[:3],
            )
            copies.append(
                _timed(
                    lambda: duckdb.execute(
                        f"COPY (SELECT * FROM read_csv('{export}')) TO "
                        f"'{folder / 'copy.parquet'}' (FORMAT parquet)"
                    )
                )
            )
        memory = peak_mb()
        assert store is not None
        wall, cpu = _medians(ours)
        copy, copy_cpu = _medians(copies)
        print(
            f"  ingest (read, check, compare, Parquet by month)  {wall:8.2f} s"
            f"  {rows / wall:12,.0f} rows/s   cpu {cpu:6.2f} s   peak {memory:6.0f} MB"
            f"   path: {result.path}"
        )
        print(
            f"  DuckDB COPY read_csv → Parquet (no checks)       {copy:8.2f} s"
            f"  {rows / copy:12,.0f} rows/s   cpu {copy_cpu:6.2f} s"
        )
        print(
            "  ingest / DuckDB copy throughput ratio: "
            f"{_ratio([c[0] / o[0] for o, c in zip(ours, copies, strict=True)])}"
            f"   (CPU: {_ratio([c[1] / o[1] for o, c in zip(ours, copies, strict=True)])})"
        )

        cold = _timed(lambda: monthly(store))[0]  # includes reading the factor library once
        files = [str(p) for p in store.files()]
        report = monthly(store)
        bare = duckdb.execute(HAND, [files]).fetchall()
        assert len(bare) == len(report.figures)
        jobs, hands = [], []
        for _ in range(reps):
            jobs.append(_timed(lambda: monthly(store)))
            hands.append(_timed(lambda: duckdb.execute(HAND, [files]).fetchall()))
        job, job_cpu = _medians(jobs)
        hand, hand_cpu = _medians(hands)
        print(
            f"  monthly job (DuckDB + completeness, tCO2)        {job:8.2f} s"
            f"  cpu {job_cpu:6.2f} s   {len(report.figures):,} meter-months"
        )
        print(f"  the same, first run (factor library read)        {cold:8.2f} s")
        print(
            f"  hand-written DuckDB query                        {hand:8.2f} s"
            f"  cpu {hand_cpu:6.2f} s"
        )
        print(
            "  monthly job / hand-written query time ratio: "
            f"{_ratio([j[0] / h[0] for j, h in zip(jobs, hands, strict=True)])}"
            f"   (CPU: {_ratio([j[1] / h[1] for j, h in zip(jobs, hands, strict=True)])})"
        )
        if spark:
            start = time.perf_counter()
            on_spark = monthly(store, Engine.SPARK)
            took = time.perf_counter() - start
            assert on_spark == report
            print(f"  monthly job on Spark local[2] (JVM start included) {took:8.2f} s")
    finally:
        shutil.rmtree(folder)


HAND = (
    "SELECT meter, strftime(start, '%Y-%m') AS month, count(*), sum(consumption) "
    "FROM read_parquet(?) GROUP BY ALL"
)


def _medians(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def _ratio(values: list[float]) -> str:
    """The median of pairwise ratios, with their range."""
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


if __name__ == "__main__":
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    numbers = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    main(
        *(numbers + [1_000_000, 3000][len(numbers) :]),
        spark="--spark" in flags,
        defects="--defects" in flags,
        reps=next((int(f.split("=")[1]) for f in flags if f.startswith("--reps=")), 3),
    )
