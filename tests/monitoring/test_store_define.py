"""The store's register written by the platform: definitions replaced under the lock, and
whether a meter has readings (the web refuses to change how stored readings were read)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from lowcarbon.core.metering import (
    Carrier,
    Meter,
    MeterEvent,
    MeterEventKind,
    MeterUse,
    ReadingKind,
)
from lowcarbon.monitoring.ingest import ingest
from lowcarbon.monitoring.sources import ColumnMapping
from lowcarbon.monitoring.store import Store, StoreError

from .generator import Series, write_csv


def meter(**changes: object) -> Meter:
    values: dict[str, object] = {
        "id": "7-E1",
        "carrier": Carrier.ELECTRICITY,
        "use": MeterUse.PUBLIC_LIGHTING,
        "unit": "kWh",
        "reading": ReadingKind.REGISTER,
        "community": "7",
    }
    return Meter(**(values | changes))  # type: ignore[arg-type]


def test_define_adds_and_replaces_what_register_refuses(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.define()  # nothing to write: no file appears
    assert not (tmp_path / "store" / "meters.json").exists()
    store.define(meter(), meter(id="7-E2"))
    assert set(store.meters()) == {"7-E1", "7-E2"}
    event = MeterEvent(datetime(2026, 3, 1, 10), MeterEventKind.REPLACEMENT, 5120.5, 0.0)
    changed = meter(events=(event,), max_rate=50.0)
    with pytest.raises(StoreError):
        store.register(changed)
    store.define(changed)
    assert store.meters()["7-E1"] == changed
    assert store.meters()["7-E1"].events == (event,)
    assert store.meters()["7-E2"] == meter(id="7-E2")  # the others untouched
    assert not list((tmp_path / "store").glob("**/.tmp-*"))


def test_has_readings_looks_at_committed_imports_of_the_community(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    one = meter(reading=ReadingKind.INTERVAL_ENERGY)
    store.define(one, meter(id="7-E2"))
    assert not store.has_readings("7", "7-E1")
    series = Series(datetime(2026, 1, 1), 8)
    path = write_csv(tmp_path / "e1.csv", series.rows)
    ingest(store, path, ColumnMapping("时间", "电量"), one, now=datetime(2026, 2, 1))
    assert store.has_readings("7", "7-E1")
    assert not store.has_readings("7", "7-E2")
    assert not store.has_readings("8", "7-E1")


def test_drop_community_forgets_its_meters_and_parts_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    seven, eight = (
        meter(reading=ReadingKind.INTERVAL_ENERGY),
        meter(id="8-E1", community="8", reading=ReadingKind.INTERVAL_ENERGY),
    )
    store.define(seven, eight)
    series = Series(datetime(2026, 1, 31, 12), 96)  # two months
    rows = [(at, "7-E1", value) for at, value in series.rows]
    rows += [(at, "8-E1", value) for at, value in series.rows]
    path = tmp_path / "both.csv"
    path.write_text(
        "时间,表,电量\n" + "".join(f"{at:%Y-%m-%d %H:%M},{m},{v}\n" for at, m, v in rows),
        encoding="utf-8",
    )
    both = ingest(store, path, ColumnMapping("时间", "电量", "表"), now=datetime(2026, 3, 1))
    only_seven = write_csv(tmp_path / "seven.csv", Series(datetime(2026, 2, 5), 4).rows)
    alone = ingest(
        store, only_seven, ColumnMapping("时间", "电量"), seven, now=datetime(2026, 3, 1)
    )
    assert store.drop_community("7") == 3  # two months of the shared import, one of its own
    assert set(store.meters()) == {"8-E1"}
    assert store.files(["7"]) == []
    assert len(store.files(["8"])) == 2
    assert not (tmp_path / "store" / "community=7").exists()
    assert store.report_path(both.import_id).exists()
    assert not store.report_path(alone.import_id).exists()
    assert store.drop_community("7") == 0
