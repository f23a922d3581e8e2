"""The monthly job: the same SQL on DuckDB and on Spark, then completeness and tCO2."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.core.factors import UnknownFactorSetError
from lowcarbon.core.metering import Carrier, Meter, MeterUse, ReadingKind
from lowcarbon.monitoring.ingest import ingest
from lowcarbon.monitoring.monthly import Engine, monthly, run_job, spark_master
from lowcarbon.monitoring.sources import ColumnMapping
from lowcarbon.monitoring.store import Store

from .generator import Series, write_csv

NOW = datetime(2025, 1, 1)
MAPPING = ColumnMapping("时间", "电量")


def _meter(meter_id: str, carrier: Carrier, unit: str, community: str, **kw: object) -> Meter:
    return Meter(
        meter_id,
        carrier,
        MeterUse.PUBLIC_BUILDING,
        unit,
        ReadingKind.INTERVAL_ENERGY,
        community=community,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Two communities; electricity, gas and water; a spike, an estimate and a gap."""
    root = tmp_path_factory.mktemp("monthly")
    store = Store(root / "store")
    meters = [
        (
            _meter("E1", Carrier.ELECTRICITY, "kWh", "c1", max_rate=8.0),
            Series(datetime(2024, 1, 31), 300, seed=1),
        ),
        (_meter("G1", Carrier.GAS, "m³", "c1"), Series(datetime(2024, 2, 29, 12), 200, seed=2)),
        (_meter("W1", Carrier.WATER, "m³", "c2"), Series(datetime(2024, 3, 31, 12), 150, seed=3)),
    ]
    meters[0][1].set(5, "40").gap(50, 2).gap(120, 10)
    for meter, series in meters:
        ingest(store, write_csv(root / f"{meter.id}.csv", series.rows), MAPPING, meter, now=NOW)
    return store


def test_figures_per_meter_and_month_with_completeness_and_tco2(store: Store) -> None:
    report = monthly(store)
    figures = {(f.meter, f.month): f for f in report.figures}
    assert sorted(figures) == [
        ("E1", "2024-01"),
        ("E1", "2024-02"),
        ("G1", "2024-02"),
        ("G1", "2024-03"),
        ("W1", "2024-03"),
        ("W1", "2024-04"),
    ]
    january = figures[("E1", "2024-01")]
    assert (january.rows, january.measured, january.estimated, january.flagged) == (96, 93, 2, 1)
    assert january.completeness == round(Decimal(95) / Decimal(31 * 96), 4) == Decimal("0.0319")
    assert january.tco2 == (january.consumption * Decimal("4.2") / 10000).quantize(
        Decimal("0.000001")
    )
    february = figures[("E1", "2024-02")]
    assert (february.estimated, february.measured) == (0, 300 - 96 - 10)  # 10 missing: open
    gas = figures[("G1", "2024-02")]
    assert gas.tco2 == (gas.consumption * Decimal("2.162") / 1000).quantize(Decimal("0.000001"))
    water = figures[("W1", "2024-04")]
    assert water.community == "c2"
    assert water.tco2 is None
    assert [note.render()[:32] for note in report.notes] == [
        "2024-03: no tCO2 for water_suppl",
        "2024-04: no tCO2 for water_suppl",
    ]


def test_an_unknown_factor_set_fails_before_any_engine_runs(store: Store) -> None:
    with pytest.raises(UnknownFactorSetError):
        monthly(store, set_id="no-such-set")


def test_the_job_over_some_communities_reads_their_partitions_only(store: Store) -> None:
    whole = monthly(store)
    c1 = monthly(store, communities=["c1"])
    assert {f.community for f in c1.figures} == {"c1"}
    assert c1.figures == tuple(f for f in whole.figures if f.community == "c1")
    assert {f.meter for f in monthly(store, communities=["c2"]).figures} == {"W1"}
    assert monthly(store, communities=[]).figures == ()
    assert monthly(store, communities=["no-such"]).figures == ()


def test_a_meter_described_anew_is_read_by_the_next_run(tmp_path: Path) -> None:
    """The job keeps the register's descriptions between runs only while ``meters.json`` is
    the same file: a meter redefined in between (another use) is taken as redefined."""
    store = Store(tmp_path / "store")
    meter = _meter("E1", Carrier.ELECTRICITY, "kWh", "c1")
    series = Series(datetime(2024, 1, 31), 20, seed=4)
    ingest(store, write_csv(tmp_path / "e1.csv", series.rows), MAPPING, meter, now=NOW)
    before = {f.sector for f in monthly(store).figures}
    store.define(
        Meter(
            "E1",
            Carrier.ELECTRICITY,
            MeterUse.HOUSEHOLD,
            "kWh",
            ReadingKind.INTERVAL_ENERGY,
            community="c1",
        )
    )
    after = {f.sector for f in monthly(store).figures}
    assert before != after
    assert after == {store.meters()["E1"].sector}


def test_an_empty_store_has_no_figures(tmp_path: Path) -> None:
    assert monthly(Store(tmp_path)).figures == ()
    assert run_job([], Engine.SPARK) == []


def test_spark_gives_what_duckdb_gives(store: Store) -> None:
    duckdb = monthly(store, Engine.DUCKDB)
    spark = monthly(store, Engine.SPARK)
    assert len(spark.figures) == 6
    assert spark == duckdb


def test_the_spark_master_is_local_unless_the_deployment_names_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LOWCARBON_SPARK_MASTER", raising=False)
    assert spark_master() == "local[2]"
    monkeypatch.setenv("LOWCARBON_SPARK_MASTER", "yarn")
    assert spark_master() == "yarn"
