"""A small generator of meter exports, with defects injected on purpose.

The real data sets hold no register rollover, no meter replacement and no spike; this writes
15-minute series of one meter as CSV rows and puts each defect where a test asks for it.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

__all__ = ["Series", "write_csv"]

STEP = timedelta(minutes=15)


@dataclass
class Series:
    """``count`` 15-minute rows of interval energy (kWh) from ``start``, or a register."""

    start: datetime
    count: int
    register: bool = False
    seed: int = 7
    first_register: float = 1000.0
    rows: list[tuple[datetime, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        total = self.first_register
        for k in range(self.count):
            energy = round(rng.uniform(0.1, 0.9), 3)
            total = round(total + energy, 3)
            value = total if self.register else energy
            self.rows.append((self.start + k * STEP, f"{value:g}"))

    def at(self, index: int) -> datetime:
        return self.rows[index][0]

    def set(self, index: int, value: str) -> Series:
        self.rows[index] = (self.rows[index][0], value)
        return self

    def gap(self, index: int, length: int) -> Series:
        """Remove ``length`` rows from ``index`` on."""
        del self.rows[index : index + length]
        return self

    def duplicate(self, index: int, value: str | None = None) -> Series:
        """The row at ``index`` again (with another value when given), at the end of the file."""
        moment, original = self.rows[index]
        self.rows.append((moment, original if value is None else value))
        return self

    def restart(self, index: int, start_value: float) -> Series:
        """From ``index`` on, the register counts from ``start_value`` (a rollover or a new
        meter): each value drops by the same amount."""
        drop = float(self.rows[index][1]) - start_value
        for k in range(index, len(self.rows)):
            moment, value = self.rows[k]
            self.rows[k] = (moment, f"{round(float(value) - drop, 3):g}")
        return self


def write_csv(
    path: Path,
    rows: Sequence[tuple[datetime, str]],
    header: tuple[str, str] = ("时间", "电量"),
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for moment, value in rows:
            writer.writerow([moment.strftime("%Y-%m-%d %H:%M"), value])
    return path
