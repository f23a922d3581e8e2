"""Meters made through the real actions, and small exports written as a utility writes them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from lowcarbon.web.accounts.models import User
from lowcarbon.web.monitoring.actions import MeterInput, do_create_meter
from lowcarbon.web.monitoring.models import Meter
from lowcarbon.web.organisations.models import Organisation

START = datetime(2026, 3, 1)
HOUR = timedelta(hours=1)


def meter_input(number: str = "0101", **changes: Any) -> MeterInput:
    values: dict[str, Any] = {
        "number": number,
        "name": "3号楼公共照明",
        "location": "3号楼配电间",
        "carrier": "electricity",
        "use": "public_lighting",
        "reading_unit": "kWh",
        "reading": "interval-energy",
        "interval_minutes": 60,
        "multiplier": Decimal(1),
        "max_rate": Decimal(40),
    }
    return MeterInput(**(values | changes))


def make_meter(unit: Organisation, actor: User, number: str = "0101", **changes: Any) -> Meter:
    return do_create_meter(unit, meter_input(number, **changes), actor=actor)


def hourly_rows(meters: Sequence[str], hours: int, value: str = "1.5") -> list[list[str]]:
    """``hours`` hourly rows of each meter from START: time, meter number, kWh."""
    return [
        [(START + k * HOUR).strftime("%Y-%m-%d %H:%M"), number, value]
        for number in meters
        for k in range(hours)
    ]


def write_export(
    path: Path,
    rows: Sequence[Sequence[str]],
    header: Sequence[str] = ("抄表时间", "表号", "电量"),
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
