"""Monitoring: how the monthly job's cost grows with the community-months it reads, on DuckDB
(the platform's engine), against one hand-written DuckDB query, and on Spark ``local[2]``.

Run with ``python bench/bench_monitoring_growth.py [HOUSEHOLDS] [--sizes 1,2,5,10]
[--no-spark] [--reps N]``. A store is made of community-months of HOUSEHOLDS households with
3 electricity meters each at 15 minutes (January 2024: 2 976 intervals a meter; 10 000
households, the issue's community-month, are 30 000 meters and 89.3 M rows). Each
community-month is one partition (community ``c01`` … ``c10``, the month 2024-01) committed
through :meth:`Store.commit_parts`, its rows written by DuckDB as the import's clean path writes
them (the store's fifteen columns, ENUM strings, ZSTD). Then, for each size K:

* ``engine``: :func:`lowcarbon.monitoring.monthly.monthly` over the first K communities
  (the job's SQL on DuckDB, then completeness and tCO2 in Python);
* ``hand``: one hand-written DuckDB query over the same files (count and sum per meter and
  month), the ceiling;
* ``spark``: the same job on Spark ``local[2]``, every size in one child process after a
  first run that starts the JVM (given apart, with the JVM's peak memory).

Engine and hand run in turn in this process (engine, hand, engine, hand …; the median of each
and of the pairwise ratios); each is also run alone in a fresh child process for its peak
resident memory (the child's own maximum, Python and DuckDB included; Spark's is the JVM
child's). This is a benchmark, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from lowcarbon.core.metering import Carrier, Meter, MeterUse, ReadingKind
from lowcarbon.monitoring.monthly import Engine, monthly
from lowcarbon.monitoring.store import Store

MONTH = "2024-01"
INTERVALS = 31 * 96
HAND = (
    "SELECT meter, strftime(start, '%Y-%m') AS month, count(*), sum(consumption) "
    "FROM read_parquet(?) GROUP BY ALL"
)


def community(k: int) -> str:
    return f"c{k:02d}"


def meters_of(k: int, households: int) -> list[Meter]:
    return [
        Meter(
            f"{community(k)}-H{m:06d}",
            Carrier.ELECTRICITY,
            MeterUse.HOUSEHOLD,
            "kWh",
            ReadingKind.INTERVAL_ENERGY,
            max_rate=50.0,
            community=community(k),
        )
        for m in range(households * 3)
    ]


def _enum(values: list[str]) -> str:
    return "ENUM(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def build(root: Path, households: int, communities: int) -> Store:
    """A store of ``communities`` community-months, each committed as one import."""
    store = Store(root)
    store.register(*(m for k in range(1, communities + 1) for m in meters_of(k, households)))
    sample = meters_of(1, 1)[0]
    connection = duckdb.connect()
    connection.execute("SET preserve_insertion_order = false")
    for k in range(1, communities + 1):
        ids = [m.id for m in meters_of(k, households)]
        connection.execute("DROP TYPE IF EXISTS bench_meter")
        connection.execute(f"CREATE TYPE bench_meter AS {_enum(ids)}")

        def write(path: Path, import_id: str, k: int = k, count: int = len(ids)) -> None:
            constants = {
                "community": community(k),
                "month": MONTH,
                "carrier": sample.carrier.value,
                "category": sample.category.value,
                "sector": sample.sector.value,
                "unit": sample.consumption_unit,
                "quality": "measured",
                "import_id": import_id,
            }
            cast = {
                name: f"CAST('{value}' AS {_enum([value])}) AS {name}"
                for name, value in constants.items()
            }
            # Interval i of every meter, then interval i + 1, as a head-end exports; values
            # 0.010-0.499 kWh.
            connection.execute(
                f"""
                COPY (
                    SELECT {cast["community"]}, {cast["month"]},
                           CAST('{community(k)}-H' || lpad(CAST(m AS VARCHAR), 6, '0')
                                AS bench_meter) AS meter,
                           {cast["carrier"]}, {cast["category"]}, {cast["sector"]},
                           {cast["unit"]}, CAST(15 AS INTEGER) AS interval_minutes,
                           TIMESTAMP '2024-01-01' + to_minutes(CAST(i * 15 AS INTEGER))
                             AS start,
                           TIMESTAMP '2024-01-01' + to_minutes(CAST(i * 15 + 15 AS INTEGER))
                             AS "end",
                           ((i * 7 + m * 13) % 490 + 10) / 1000.0 AS consumption,
                           {cast["quality"]},
                           ((i * 7 + m * 13) % 490 + 10) / 1000.0 AS raw,
                           CAST(i * {count} + m + 2 AS BIGINT) AS row, {cast["import_id"]}
                    FROM range({INTERVALS}) AS t(i), range({count}) AS s(m))
                TO '{path}' (FORMAT parquet, COMPRESSION zstd, DICTIONARY_SIZE_LIMIT 4096)
                """
            )

        summary = {"source": f"{community(k)}.csv", "rows": len(ids) * INTERVALS}
        store.commit_parts({(community(k), MONTH): [write]}, summary, "")
    connection.close()
    return store


def files(store: Store, size: int) -> list[str]:
    return [str(p) for p in store.files([community(k) for k in range(1, size + 1)])]


def engine_run(store: Store, size: int) -> int:
    return len(monthly(store, communities=[community(k) for k in range(1, size + 1)]).figures)


def hand_run(store: Store, size: int) -> int:
    return len(duckdb.execute(HAND, [files(store, size)]).fetchall())


def child(kind: str, root: Path, size: int | str, reps: int) -> None:
    """One kind alone in this process (``--child``): its median time and peak memory as JSON."""
    store = Store(root)
    run = {"engine": engine_run, "hand": hand_run}.get(kind)
    times = []
    if run is None:  # spark, every size in one process: a first run starts the JVM
        sizes = [int(n) for n in str(size).split(",")]
        start = time.perf_counter()
        monthly(store, Engine.SPARK, communities=[community(1)])
        first = time.perf_counter() - start
        figures = {}
        for each in sizes:
            times = []
            for _ in range(reps):
                start = time.perf_counter()
                monthly(store, Engine.SPARK, communities=[community(k) for k in range(1, each + 1)])
                times.append(time.perf_counter() - start)
            figures[each] = statistics.median(times)
        print(json.dumps({"sizes": figures, "first": first, "jvm_mb": _jvm_peak_mb()}))
        return
    assert isinstance(size, int)
    run(store, size)  # warm: the factor library, the file system's cache
    for _ in range(reps):
        start = time.perf_counter()
        run(store, size)
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"median": statistics.median(times), "peak_mb": peak}))


def _jvm_peak_mb() -> float:
    """The peak resident memory (VmHWM) of the JVM that pyspark started and keeps."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    pid = getattr(getattr(gateway, "proc", None), "pid", None)
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def in_child(kind: str, root: Path, size: int | str, reps: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(root), str(size), str(reps)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(households: int, sizes: list[int], spark: bool, reps: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-monitoring-growth-"))
    try:
        start = time.perf_counter()
        store = build(folder / "store", households, max(sizes))
        built = time.perf_counter() - start
        megabytes = sum(p.stat().st_size for p in store.files()) / 1e6
        print(
            f"{max(sizes)} community-months of {households:,} households x 3 meters x "
            f"{INTERVALS:,} intervals ({households * 3 * INTERVALS:,} rows each, "
            f"{megabytes:.0f} MB of Parquet, built in {built:.0f} s); load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        print("  K  rows         engine s  hand s  ratio (pairwise)  engine MB  hand MB")
        for size in sizes:
            engine_times, hand_times, ratios = [], [], []
            engine_run(store, size)
            hand_run(store, size)
            for _ in range(reps):
                t0 = time.perf_counter()
                engine_run(store, size)
                t1 = time.perf_counter()
                hand_run(store, size)
                t2 = time.perf_counter()
                engine_times.append(t1 - t0)
                hand_times.append(t2 - t1)
                ratios.append((t1 - t0) / (t2 - t1))
            engine_alone = in_child("engine", folder / "store", size, reps)
            hand_alone = in_child("hand", folder / "store", size, reps)
            line = (
                f"  {size:<2} {size * households * 3 * INTERVALS:>11,}  "
                f"{statistics.median(engine_times):8.2f}  {statistics.median(hand_times):6.2f}"
                f"  {statistics.median(ratios):5.2f} "
                f"({min(ratios):.2f}-{max(ratios):.2f})  "
                f"{engine_alone['peak_mb']:9.0f}  {hand_alone['peak_mb']:7.0f}"
            )
            print(line, flush=True)
        if spark:
            on_spark = in_child("spark", folder / "store", ",".join(map(str, sizes)), 1)
            print(
                f"  Spark local[2], one process: first run (JVM start, 1 community-month) "
                f"{on_spark['first']:.1f} s; JVM peak {on_spark['jvm_mb']:.0f} MB"
            )
            for size, took in on_spark["sizes"].items():
                print(f"  K {size:>2}  spark {took:7.1f} s", flush=True)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--child"]:
        kind, root, size, reps = arguments[1:5]
        child(kind, Path(root), size if "," in size else int(size), int(reps))
        sys.exit(0)
    chosen = [1, 2, 5, 10]
    if "--sizes" in arguments:
        at = arguments.index("--sizes")
        chosen = [int(n) for n in arguments[at + 1].split(",")]
        del arguments[at : at + 2]
    repetitions = 5
    if "--reps" in arguments:
        at = arguments.index("--reps")
        repetitions = int(arguments[at + 1])
        del arguments[at : at + 2]
    numbers = [int(a) for a in arguments if not a.startswith("--")]
    main(numbers[0] if numbers else 1000, chosen, "--no-spark" not in arguments, repetitions)
