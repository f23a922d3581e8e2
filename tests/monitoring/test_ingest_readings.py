"""Readings received as data (a gateway's batch): the file import's checks, idempotency and
conflict handling through ``ingest_readings``."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from lowcarbon.core.metering import (
    Carrier,
    FindingKind,
    Meter,
    MeterUse,
    RawReading,
    ReadingKind,
    Severity,
)
from lowcarbon.monitoring.ingest import ingest_readings
from lowcarbon.monitoring.monthly import monthly
from lowcarbon.monitoring.store import Store

NOW = datetime(2026, 3, 1, 12, 0)
START = datetime(2026, 2, 1, 0, 0)


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    store.register(
        Meter(
            id="E1",
            carrier=Carrier.ELECTRICITY,
            use=MeterUse.PUBLIC_LIGHTING,
            unit="kWh",
            reading=ReadingKind.INTERVAL_ENERGY,
            interval_minutes=15,
            community="c1",
        ),
        Meter(
            id="E2",
            carrier=Carrier.ELECTRICITY,
            use=MeterUse.PUBLIC_LIGHTING,
            unit="kWh",
            reading=ReadingKind.INTERVAL_ENERGY,
            interval_minutes=15,
            community="c2",
        ),
    )
    return store


def _readings(values: list[float], meter: str = "E1") -> list[RawReading]:
    return [
        RawReading(i + 1, meter, START + timedelta(minutes=15 * i), value)
        for i, value in enumerate(values)
    ]


def test_a_batch_is_stored_and_counted_by_the_monthly_job(tmp_path: Path) -> None:
    store = _store(tmp_path)
    result = ingest_readings(store, _readings([1.0, 2.0, 3.0]), "api-b1", now=NOW)
    assert (result.rows, result.added, result.already_stored) == (3, 3, 0)
    assert result.findings == []
    (figure,) = monthly(store).figures
    assert (figure.meter, figure.month, figure.measured) == ("E1", "2026-02", 3)
    assert float(figure.consumption) == 6.0


def test_a_replayed_batch_adds_nothing(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ingest_readings(store, _readings([1.0, 2.0]), "api-b1", now=NOW)
    files = store.files()
    again = ingest_readings(store, _readings([1.0, 2.0]), "api-b1", now=NOW)
    assert (again.added, again.already_stored, again.findings) == (0, 2, [])
    assert store.files() == files  # no new Parquet part
    assert float(monthly(store).figures[0].consumption) == 3.0


def test_a_conflicting_value_is_a_finding_and_the_stored_one_is_kept(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ingest_readings(store, _readings([1.0, 2.0]), "api-b1", now=NOW)
    again = ingest_readings(store, _readings([1.0, 5.0]), "api-b2", now=NOW)
    assert again.added == 0
    assert again.already_stored == 1
    (conflict,) = again.findings
    assert conflict.kind is FindingKind.STORED_CONFLICT
    assert conflict.row == 2
    assert conflict.found.startswith("5")
    assert float(monthly(store).figures[0].consumption) == 3.0
    assert store.report_path(again.import_id).exists()


def test_meters_of_another_community_are_unknown_when_one_is_named(tmp_path: Path) -> None:
    store = _store(tmp_path)
    result = ingest_readings(store, _readings([1.0], meter="E2"), "api-b1", now=NOW, community="c1")
    assert result.added == 0
    (finding,) = result.findings
    assert finding.severity is Severity.REJECTED
    assert finding.kind is FindingKind.UNKNOWN_METER


def test_future_and_negative_readings_are_findings_not_errors(tmp_path: Path) -> None:
    store = _store(tmp_path)
    readings = [
        RawReading(1, "E1", START, -4.0),
        RawReading(2, "E1", NOW + timedelta(days=1), 1.0),
    ]
    result = ingest_readings(store, readings, "api-b1", now=NOW)
    kinds = {f.kind for f in result.findings}
    assert {FindingKind.FUTURE, FindingKind.NEGATIVE} <= kinds
    assert result.added == 0
