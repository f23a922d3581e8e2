"""Corrections of stored intervals: current files supersede the originals, which stay on disk;
the monthly job reads the corrected figures; an interrupted correction changes nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from lowcarbon.core.metering import (
    Carrier,
    FindingKind,
    Meter,
    MeterUse,
    Quality,
    ReadingKind,
)
from lowcarbon.monitoring import store as store_module
from lowcarbon.monitoring.corrections import (
    CorrectionError,
    CorrectionKind,
    CorrectionRequest,
    value_problem,
)
from lowcarbon.monitoring.ingest import ingest
from lowcarbon.monitoring.monthly import monthly
from lowcarbon.monitoring.sources import ColumnMapping
from lowcarbon.monitoring.store import Store, StoreError

from .generator import Series, write_csv

START = datetime(2024, 3, 31, 12)  # two months in one file: two part files
NOW = datetime(2025, 1, 1)
AT = datetime(2025, 1, 2, 9, 30)
MAPPING = ColumnMapping("时间", "电量")
SPIKE = 150  # the row index of the spike (in April)


def meter(**changes: Any) -> Meter:
    values: dict[str, Any] = {
        "id": "E1",
        "carrier": Carrier.ELECTRICITY,
        "use": MeterUse.LIFTS_AND_PUMPS,
        "unit": "kWh",
        "reading": ReadingKind.INTERVAL_ENERGY,
        "max_rate": 8.0,  # at most 2 kWh a quarter-hour
        "community": "c1",
    }
    values.update(changes)
    return Meter(**values)


def consumption(store: Store) -> dict[str, Decimal]:
    return {f.month: f.consumption for f in monthly(store).figures}


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Store, Path, Series]:
    series = Series(START, 200).set(SPIKE, "9.5")
    store = Store(tmp_path / "store")
    path = write_csv(tmp_path / "export.csv", series.rows)
    result = ingest(store, path, MAPPING, meter(), now=NOW, clean_path=False)
    assert [f.kind for f in result.findings] == [FindingKind.SPIKE]
    return store, path, series


def request(series: Series, index: int = SPIKE, **values: Any) -> CorrectionRequest:
    return CorrectionRequest("E1", series.at(index), **values)


def test_a_correction_supersedes_the_part_file_and_keeps_the_original_on_disk(
    stored: tuple[Store, Path, Series],
) -> None:
    store, _path, series = stored
    before_files = store.files()
    april = next(p for p in before_files if "month=2024-04" in str(p))
    totals = consumption(store)

    correction = store.correct(
        [request(series, kind=CorrectionKind.REPLACE, value=0.5)],
        reason="表计瞬时干扰，按抄表读数更正",
        who="staff-1",
        at=AT,
    )

    # Only the April part is rewritten; the March part stays current.
    after_files = store.files()
    assert april not in after_files
    assert [p for p in before_files if p != april] == [p for p in after_files if p in before_files]
    assert correction.supersedes == (str(april.relative_to(store.root)),)
    assert len(correction.files) == 1
    # The original is kept and still readable, with its flagged spike.
    assert store.recover() == 0
    original = pq.ParquetFile(april).read().to_pylist()
    spike = next(row for row in original if row["start"] == series.at(SPIKE))
    assert (spike["consumption"], spike["quality"]) == (9.5, "flagged")
    # The copy differs in that row only.
    copy = pq.ParquetFile(store.root / correction.files[0]).read().to_pylist()
    assert len(copy) == len(original)
    changed = [(a, b) for a, b in zip(original, copy, strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][1]["consumption"] == 0.5
    assert changed[0][1]["quality"] == "estimated"
    assert changed[0][1]["import_id"] == correction.id
    assert changed[0][1]["raw"] == 9.5  # what the meter gave is never changed
    # The monthly job's total changes by exactly the corrected difference (a flagged
    # interval counted nothing; the estimate counts 0.5 kWh).
    after = consumption(store)
    assert after["2024-04"] - totals["2024-04"] == Decimal("0.5")
    assert after["2024-03"] == totals["2024-03"]
    # The manifest records the interval: before and after, reason, who, when, the id.
    manifest = json.loads((store.root / "_imports" / f"{correction.id}.json").read_text())
    assert manifest["kind"] == "correction"
    item = manifest["intervals"][0]
    assert item["meter"] == "E1"
    assert item["start"] == series.at(SPIKE).isoformat()
    assert item["end"] == (series.at(SPIKE) + timedelta(minutes=15)).isoformat()
    assert (item["original_consumption"], item["original_quality"], item["original_raw"]) == (
        9.5,
        "flagged",
        9.5,
    )
    assert (item["consumption"], item["quality"]) == (0.5, "estimated")
    assert (item["reason"], item["who"], item["at"], item["correction"]) == (
        "表计瞬时干扰，按抄表读数更正",
        "staff-1",
        AT.isoformat(),
        correction.id,
    )
    assert store.corrections("c1") == [correction]
    assert store.corrections("c2") == []


def test_chained_and_restored_corrections(stored: tuple[Store, Path, Series]) -> None:
    store, _path, series = stored
    totals = consumption(store)
    one = store.correct(
        [request(series, kind=CorrectionKind.REPLACE, value=0.5)], reason="估算", who="a", at=AT
    )
    two = store.correct(
        [request(series, kind=CorrectionKind.REPLACE, value=0.75, read_from_meter=True)],
        reason="现场抄表",
        who="b",
        at=AT + timedelta(hours=1),
    )
    assert two.supersedes == one.files  # the corrected copy is corrected again
    [item] = two.intervals
    assert (item.before_consumption, item.before_quality, item.before_source) == (
        0.5,
        Quality.ESTIMATED,
        one.id,
    )
    assert item.quality is Quality.MEASURED
    assert consumption(store)["2024-04"] - totals["2024-04"] == Decimal("0.75")
    # Restoring the value first imported is itself a correction, with its reason.
    three = store.correct(
        [request(series, kind=CorrectionKind.RESTORE)],
        reason="误更正，恢复原值",
        who="a",
        at=AT + timedelta(hours=2),
    )
    assert (three.intervals[0].consumption, three.intervals[0].quality) == (9.5, Quality.FLAGGED)
    assert consumption(store) == totals
    # Every version is still on disk: the original, two corrected copies, the restored copy.
    april = sorted(p.name for p in (store.root / "community=c1" / "month=2024-04").iterdir())
    assert len(april) == 4
    assert [c.id for c in store.corrections()] == [one.id, two.id, three.id]


def test_accept_and_exclude(tmp_path: Path) -> None:
    # A spike within a raised physical maximum is accepted as measured; an interval is excluded.
    store = Store(tmp_path / "store")
    series = Series(START, 200).set(SPIKE, "2.5")
    ingest(store, write_csv(tmp_path / "a.csv", series.rows), MAPPING, meter(), now=NOW)
    totals = consumption(store)
    with pytest.raises(CorrectionError) as refused:
        store.correct([request(series, kind=CorrectionKind.ACCEPT)], reason="确认", who="a", at=AT)
    assert refused.value.problems[0].field == "value"
    assert refused.value.problems[0].found == "2.5"
    assert "at most 2 kWh in 15 minutes" in refused.value.message.render()
    store.define(meter(max_rate=12.0))  # the meter's maximum corrected first
    accepted = store.correct(
        [request(series, kind=CorrectionKind.ACCEPT)], reason="确认实际用电", who="a", at=AT
    )
    assert accepted.intervals[0].quality is Quality.MEASURED
    excluded = store.correct(
        [request(series, 10, kind=CorrectionKind.EXCLUDE)],
        reason="调试期间读数",
        who="a",
        at=AT + timedelta(minutes=1),
    )
    value = float(series.rows[10][1])
    assert excluded.intervals[0].counted_change == -value
    after = consumption(store)
    assert after["2024-03"] == totals["2024-03"] - Decimal(str(value))
    assert after["2024-04"] == totals["2024-04"] + Decimal("2.5")


def test_refusals_name_the_field_and_the_value(stored: tuple[Store, Path, Series]) -> None:
    store, _path, series = stored
    files = store.files()
    cases = [
        (CorrectionRequest("E9", series.at(SPIKE), CorrectionKind.EXCLUDE), "meter", "E9"),
        (
            CorrectionRequest("E1", datetime(2024, 6, 1), CorrectionKind.EXCLUDE),
            "start",
            "2024-06-01 00:00:00",
        ),
        (request(series, kind=CorrectionKind.REPLACE, value=-1.0), "value", "-1"),
        (request(series, kind=CorrectionKind.REPLACE, value=2.5), "value", "2.5"),
        (request(series, kind=CorrectionKind.RESTORE), "kind", "9.5 kWh (flagged)"),
        (request(series, 3, kind=CorrectionKind.ACCEPT), "kind", None),
        (request(series, kind=CorrectionKind.EXCLUDE), "kind", "9.5 kWh (flagged)"),
        (request(series, kind=CorrectionKind.REPLACE, expected_from="other"), "version", "other"),
    ]
    for item, field, found in cases:
        with pytest.raises(CorrectionError) as refused:
            store.correct([item], reason="理由", who="a", at=AT)
        [problem] = refused.value.problems
        assert (problem.index, problem.field) == (0, field)
        if found is not None:
            assert problem.found == found
    with pytest.raises(CorrectionError) as refused:
        store.correct(
            [request(series, kind=CorrectionKind.REPLACE, value=0.5)], reason="  ", who="a", at=AT
        )
    assert [(p.index, p.field) for p in refused.value.problems] == [(None, "reason")]
    assert store.files() == files
    assert store.corrections() == []


def test_the_spike_limit_is_core_s(stored: tuple[Store, Path, Series]) -> None:
    definition = meter()
    start = datetime(2024, 4, 1)
    end = start + timedelta(minutes=15)
    assert value_problem(definition, start, end, 2.0) is None
    assert value_problem(definition, start, end, 2.01) is not None
    assert value_problem(definition, start, end, float("nan")) is not None
    assert value_problem(meter(max_rate=None), start, end, 1e9) is None


def test_an_interrupted_correction_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "store")
    series = Series(START, 200).set(SPIKE, "9.5")
    ingest(store, write_csv(tmp_path / "a.csv", series.rows), MAPPING, meter(), now=NOW)
    on_disk = sorted(str(p) for p in store.root.rglob("*"))
    files, totals = store.files(), consumption(store)
    real = pq.write_table
    calls = []

    def failing(table: Any, where: Any, **kwargs: Any) -> None:
        calls.append(where)
        if len(calls) == 2:
            real(table, where, **kwargs)  # the second part is half written …
            raise OSError("disk full")  # … when the disk fills up
        real(table, where, **kwargs)

    monkeypatch.setattr(store_module.pq, "write_table", failing)
    # Two intervals in two months: two part files; the second write fails.
    with pytest.raises(OSError, match="disk full"):
        store.correct(
            [
                request(series, 2, kind=CorrectionKind.EXCLUDE),
                request(series, kind=CorrectionKind.REPLACE, value=0.5),
            ],
            reason="两处更正",
            who="a",
            at=AT,
        )
    assert len(calls) == 2
    monkeypatch.undo()
    assert store.files() == files
    assert consumption(store) == totals
    assert store.corrections() == []
    assert sorted(str(p) for p in store.root.rglob("*")) == on_disk


def test_reimporting_the_original_after_a_correction_adds_nothing_and_keeps_it(
    stored: tuple[Store, Path, Series], tmp_path: Path
) -> None:
    store, path, series = stored
    store.correct(
        [request(series, kind=CorrectionKind.REPLACE, value=0.5)], reason="更正", who="a", at=AT
    )
    totals = consumption(store)
    again = ingest(store, path, MAPPING, meter(), now=NOW, clean_path=False)
    assert (again.added, again.already_stored) == (0, 200)
    assert FindingKind.STORED_CONFLICT not in {f.kind for f in again.findings}
    assert consumption(store) == totals  # the correction stands
    # A third value (neither the original nor the corrected one) is a conflict naming the
    # correction that holds the interval; the stored value is kept.
    third = write_csv(tmp_path / "third.csv", [(series.at(SPIKE), "1.25")])
    result = ingest(store, third, MAPPING, meter(), now=NOW, clean_path=False)
    [conflict] = [f for f in result.findings if f.kind is FindingKind.STORED_CONFLICT]
    assert store.corrections()[0].id in conflict.expected.render()
    assert consumption(store) == totals


def test_a_withdrawn_correction_leaves_the_originals_current(
    stored: tuple[Store, Path, Series],
) -> None:
    store, _path, series = stored
    files, totals = store.files(), consumption(store)
    one = store.correct(
        [request(series, kind=CorrectionKind.REPLACE, value=0.5)], reason="更正", who="a", at=AT
    )
    two = store.correct(
        [request(series, kind=CorrectionKind.REPLACE, value=0.25)],
        reason="再更正",
        who="a",
        at=AT + timedelta(seconds=1),
    )
    with pytest.raises(StoreError):
        store.withdraw_correction(one.id)  # a later correction built on it
    with pytest.raises(StoreError):
        store.withdraw_correction(files[0].name.removeprefix("part-").removesuffix(".parquet"))
    assert store.withdraw_correction(two.id)
    assert store.withdraw_correction(two.id) is False
    assert store.withdraw_correction(one.id)
    assert store.files() == files
    assert consumption(store) == totals
    assert not (store.root / two.files[0]).exists()


def test_dropping_a_community_forgets_its_corrections(stored: tuple[Store, Path, Series]) -> None:
    store, _path, series = stored
    store.correct(
        [request(series, 3, kind=CorrectionKind.EXCLUDE)],
        reason="更正",
        who="a",
        at=AT,
    )
    assert store.drop_community("c1") == 3  # the two imported parts and the copy
    assert store.files() == []
    assert store.corrections() == []


def test_a_part_written_by_duckdb_is_corrected(tmp_path: Path) -> None:
    # A plainly clean file takes DuckDB's path (its parts: ENUM columns, ZSTD); a correction
    # copies such a part like any other.
    store = Store(tmp_path / "store")
    series = Series(START, 200)
    result = ingest(store, write_csv(tmp_path / "a.csv", series.rows), MAPPING, meter(), now=NOW)
    assert result.path == "duckdb"
    totals = consumption(store)
    value = Decimal(series.rows[SPIKE][1])
    store.correct(
        [request(series, kind=CorrectionKind.REPLACE, value=0.25)], reason="更正", who="a", at=AT
    )
    assert consumption(store)["2024-04"] == totals["2024-04"] - value + Decimal("0.25")
    [interval] = store.stored_intervals(meter(), series.at(SPIKE), series.at(SPIKE + 1))
    assert (interval.consumption, interval.quality) == (0.25, Quality.ESTIMATED)
