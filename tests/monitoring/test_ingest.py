"""Importing exports into the Parquet store: idempotent, atomic, every defect reported."""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from lowcarbon.core.metering import (
    Carrier,
    FindingKind,
    Meter,
    MeterEvent,
    MeterEventKind,
    MeterUse,
    ReadingKind,
    Severity,
)
from lowcarbon.monitoring import store as store_module
from lowcarbon.monitoring.ingest import ingest
from lowcarbon.monitoring.monthly import monthly
from lowcarbon.monitoring.sources import ColumnMapping, ExportError
from lowcarbon.monitoring.store import Store, StoreError

from .generator import Series, write_csv

START = datetime(2024, 1, 31, 12)  # two months in one file
NOW = datetime(2025, 1, 1)
MAPPING = ColumnMapping("时间", "电量")


def meter(**changes: Any) -> Meter:
    values: dict[str, Any] = {
        "id": "E1",
        "carrier": Carrier.ELECTRICITY,
        "use": MeterUse.PUBLIC_LIGHTING,
        "unit": "kWh",
        "reading": ReadingKind.INTERVAL_ENERGY,
        "max_rate": 8.0,
        "community": "c1",
    }
    values.update(changes)
    return Meter(**values)


def totals(store: Store) -> dict[tuple[str, str], tuple[Decimal, int, int]]:
    return {
        (f.meter, f.month): (f.consumption, f.measured, f.estimated) for f in monthly(store).figures
    }


def test_the_store_is_partitioned_by_community_and_month_and_holds_what_was_read(
    tmp_path: Path,
) -> None:
    series = Series(START, 200)
    store = Store(tmp_path / "store")
    result = ingest(store, write_csv(tmp_path / "a.csv", series.rows), MAPPING, meter(), now=NOW)
    assert (result.rows, result.added, result.already_stored, result.findings) == (200, 200, 0, [])
    names = sorted(str(p.relative_to(store.root).parent) for p in store.files())
    assert names == ["community=c1/month=2024-01", "community=c1/month=2024-02"]
    expected = sum(Decimal(v) for _, v in series.rows)
    assert sum(t[0] for t in totals(store).values()) == expected
    assert store.meters() == {"E1": meter()}


def test_the_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", Series(START, 100).rows)
    store = Store(tmp_path / "store")
    ingest(store, path, MAPPING, meter(), now=NOW)
    before = totals(store)
    again = ingest(store, path, MAPPING, meter(), now=NOW)
    assert (again.added, again.already_stored, again.findings) == (0, 100, [])
    assert totals(store) == before


def test_a_different_value_for_a_stored_interval_is_a_conflict_and_the_original_stays(
    tmp_path: Path,
) -> None:
    series = Series(START, 10)
    store = Store(tmp_path / "store")
    ingest(store, write_csv(tmp_path / "a.csv", series.rows), MAPPING, meter(), now=NOW)
    original = series.rows[4][1]
    changed = write_csv(tmp_path / "b.csv", series.set(4, "0.999").rows)
    result = ingest(store, changed, MAPPING, meter(), now=NOW)
    (conflict,) = result.findings
    assert conflict.kind is FindingKind.STORED_CONFLICT
    assert (conflict.row, conflict.found) == (6, "0.999 kWh")
    assert f"{original} kWh as stored by import" in conflict.expected.render()
    assert (result.added, result.already_stored) == (0, 9)
    assert totals(store)[("E1", "2024-01")][0] == sum(Decimal(v) for _, v in Series(START, 10).rows)


def test_a_meter_described_differently_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.register(meter())
    with pytest.raises(StoreError) as caught:
        store.register(meter(interval_minutes=30))
    assert "meter E1 is registered as electricity, interval-energy, kWh, 15 min" in str(
        caught.value
    )


def test_an_interrupted_import_leaves_no_data_and_can_be_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "a.csv", Series(START, 200).rows)
    store = Store(tmp_path / "store")
    real_replace = store_module.os.replace
    calls = []

    def replace_then_fail(source: Any, target: Any) -> None:
        calls.append(target)
        if len(calls) == 3:  # the meter, the first month's part, then the power goes out
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(store_module.os, "replace", replace_then_fail)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, path, MAPPING, meter(), now=NOW)
    monkeypatch.undo()
    left = sorted(p.name for p in store.root.rglob("*.parquet"))
    assert len(left) == 1  # the first month's part was renamed into place …
    assert store.files() == []  # … but no manifest commits it: nothing is read
    assert monthly(store).figures == ()
    result = ingest(store, path, MAPPING, meter(), now=NOW)
    assert (result.added, result.already_stored) == (200, 0)
    assert not list(store.root.rglob(".tmp-*"))
    assert len(list(store.root.rglob("*.parquet"))) == 2  # the leftover was removed


def _report(result: Any) -> list[dict[str, str]]:
    with Path(result.report).open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_injected_defects_are_each_reported_with_row_value_and_reason(tmp_path: Path) -> None:
    series = Series(START, 120)
    series.set(10, "50")  # a spike: 50 kWh in 15 minutes on an 8 kW meter
    series.set(20, "-0.2")  # negative consumption
    series.set(30, "n/a")  # not a number
    series.duplicate(40)  # the same interval twice, same value
    series.duplicate(50, "0.001")  # the same interval twice, another value
    series.gap(60, 3)  # three intervals missing: estimated
    series.gap(80, 6)  # six missing: more than the limit, left open
    store = Store(tmp_path / "store")
    result = ingest(store, write_csv(tmp_path / "d.csv", series.rows), MAPPING, meter(), now=NOW)
    kinds = sorted((f.kind.value, f.row) for f in result.findings)
    assert kinds == [
        ("bad_value", 32),
        ("conflict", 52),
        ("conflict", 114),
        ("duplicate", 113),
        ("gap", 23),  # each rejected row leaves one interval to estimate
        ("gap", 33),
        ("gap", 53),
        ("gap", 62),  # three missing: estimated
        ("gap", 82),  # six missing: left open
        ("negative", 22),
        ("out_of_order", 113),
        ("out_of_order", 114),
        ("spike", 12),
    ]
    assert result.count(Severity.REJECTED) == 4
    report = _report(result)
    assert len(report) == len(result.findings)
    spike = next(r for r in report if r["row"] == "12")
    assert spike == {
        "severity": "flagged",
        "reason": "more than the meter can physically deliver in the interval; kept, not counted",
        "meter": "E1",
        "row": "12",
        "column": "",
        "time": "2024-01-31 14:30:00",
        "value found": "50 kWh",
        "expected": "at most 2 kWh in 15 minutes",
    }
    bad = next(r for r in report if r["row"] == "32")
    assert (bad["column"], bad["value found"]) == ("电量", "n/a")
    figures = {f.month: f for f in monthly(store).figures}
    january = figures["2024-01"]
    assert (january.measured, january.estimated, january.flagged) == (45, 2, 1)
    february = figures["2024-02"]
    assert (february.measured, february.estimated) == (62, 1 + 3)


def test_a_register_with_a_replacement_event_counts_both_sides(tmp_path: Path) -> None:
    plain = Series(START, 20, register=True)
    series = Series(START, 20, register=True).restart(10, 0.0)
    # The old meter read what the plain register reads at row 10 when it was taken away.
    event = MeterEvent(
        series.at(10) - timedelta(minutes=5),
        MeterEventKind.REPLACEMENT,
        float(plain.rows[10][1]),
        0.0,
    )
    replaced = meter(reading=ReadingKind.REGISTER, events=(event,))
    store = Store(tmp_path / "store")
    result = ingest(store, write_csv(tmp_path / "r.csv", series.rows), MAPPING, replaced, now=NOW)
    assert result.findings == []
    other = Store(tmp_path / "other")
    ingest(
        other,
        write_csv(tmp_path / "p.csv", plain.rows),
        MAPPING,
        meter(reading=ReadingKind.REGISTER),
        now=NOW,
    )
    assert totals(store) == totals(other)
    unrecorded = Store(tmp_path / "unrecorded")
    result = ingest(
        unrecorded,
        write_csv(tmp_path / "u.csv", series.rows),
        MAPPING,
        meter(reading=ReadingKind.REGISTER),
        now=NOW,
    )
    assert [(f.kind, f.row) for f in result.findings] == [(FindingKind.REGISTER_BACKWARDS, 12)]
    assert totals(unrecorded)[("E1", "2024-01")][1] == totals(store)[("E1", "2024-01")][1] - 1


def test_a_register_split_over_two_files_continues_from_the_store(tmp_path: Path) -> None:
    series = Series(START, 60, register=True)
    register = meter(reading=ReadingKind.REGISTER)
    whole = Store(tmp_path / "whole")
    ingest(whole, write_csv(tmp_path / "w.csv", series.rows), MAPPING, register, now=NOW)
    split = Store(tmp_path / "split")
    ingest(split, write_csv(tmp_path / "a.csv", series.rows[:25]), MAPPING, register, now=NOW)
    ingest(split, write_csv(tmp_path / "b.csv", series.rows[25:]), MAPPING, register, now=NOW)
    assert totals(split) == totals(whole)


def test_gbk_csv_and_xlsx_read_like_utf8(tmp_path: Path) -> None:
    series = Series(START, 30)
    utf8 = Store(tmp_path / "utf8")
    ingest(utf8, write_csv(tmp_path / "u.csv", series.rows), MAPPING, meter(), now=NOW)
    gbk = Store(tmp_path / "gbk")
    path = write_csv(tmp_path / "g.csv", series.rows, encoding="gbk")
    assert "时间".encode("gbk") in path.read_bytes()
    ingest(gbk, path, MAPPING, meter(), now=NOW)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["时间", "电量"])
    for moment, value in series.rows:
        sheet.append([moment, float(value)])
    book.save(tmp_path / "x.xlsx")
    xlsx = Store(tmp_path / "xlsx")
    ingest(xlsx, tmp_path / "x.xlsx", MAPPING, meter(), now=NOW)
    assert totals(utf8) == totals(gbk) == totals(xlsx)


def test_a_file_with_several_meters_rejects_unknown_ones(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.register(meter())
    path = tmp_path / "m.csv"
    path.write_text(
        "表号;时间;电量\nE1;2024-01-01 00:00;1.5\nE9;2024-01-01 00:00;2.5\n", encoding="utf-8"
    )
    result = ingest(store, path, ColumnMapping("时间", "电量", "表号"), now=NOW)
    assert result.added == 1
    ((kind, row, found),) = [(f.kind, f.row, f.found) for f in result.findings]
    assert (kind, row, found) == (FindingKind.UNKNOWN_METER, 3, "E9")


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (
            "时间,读数\n2024-01-01 00:00,1\n",
            "a.csv: no column '电量'; the columns are '时间', '读数'",
        ),
        ("", "a.csv: the file is empty"),
    ],
)
def test_an_export_that_cannot_be_read_names_file_and_column(
    tmp_path: Path, content: str, text: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        ingest(Store(tmp_path / "store"), path, MAPPING, meter(), now=NOW)
    assert caught.value.message.render() == text
    assert Store(tmp_path / "store").files() == []


def test_a_damaged_workbook_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(ExportError) as caught:
        ingest(Store(tmp_path / "store"), path, MAPPING, meter(), now=NOW)
    assert caught.value.message.render() == "bad.xlsx: not a readable XLSX workbook"


def test_a_bad_time_is_rejected_with_its_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("时间,电量\nyesterday,1\n2024-01-01 00:00,=1+1\n,\n", encoding="utf-8")
    result = ingest(Store(tmp_path / "store"), path, MAPPING, meter(), now=NOW)
    assert [(f.kind, f.row, f.column, f.found) for f in result.findings] == [
        (FindingKind.BAD_TIMESTAMP, 2, "时间", "yesterday"),
        (FindingKind.BAD_VALUE, 3, "电量", "=1+1"),
    ]
    report = _report(result)
    assert report[1]["value found"] == "'=1+1"  # never read as a formula by a spreadsheet


# Properties ---------------------------------------------------------------------------------

energies = st.lists(st.integers(0, 900).map(lambda v: f"{v / 1000:g}"), min_size=2, max_size=60)
PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(energies, st.integers(0, 3))
def test_ingest_is_idempotent(values: list[str], holes: int) -> None:
    rows = [(START + k * timedelta(minutes=15), v) for k, v in enumerate(values)]
    del rows[1 : 1 + holes]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = write_csv(root / "a.csv", rows)
        store = Store(root / "store")
        ingest(store, path, MAPPING, meter(), now=NOW)
        first = totals(store)
        again = ingest(store, path, MAPPING, meter(), now=NOW)
        assert again.added == 0
        assert totals(store) == first


@PROPERTY
@given(energies, st.randoms(use_true_random=False), st.integers(1, 59))
def test_monthly_totals_do_not_depend_on_row_order_or_on_splitting_the_file(
    values: list[str], rng: random.Random, cut: int
) -> None:
    rows = [(START + k * timedelta(hours=2), v) for k, v in enumerate(values)]
    cut = min(cut, len(rows) - 1)
    shuffled = rows[:]
    rng.shuffle(shuffled)
    two_hourly = meter(interval_minutes=120)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        results = []
        for name, parts in (
            ("whole", [rows]),
            ("shuffled", [shuffled]),
            ("split", [rows[:cut], rows[cut:]]),
        ):
            store = Store(root / name)
            for index, part in enumerate(parts):
                path = write_csv(root / f"{name}{index}.csv", part)
                ingest(store, path, MAPPING, two_hourly, now=NOW)
            results.append(totals(store))
        assert results[0] == results[1] == results[2]
