"""The batch's creation schedule as data: the default pattern (``data/creation/schedule.yaml``),
local dates turned into instants in Asia/Shanghai, and the dates a unit actually has (with its
extensions). Nothing here reads the clock."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings

__all__ = [
    "SHANGHAI",
    "DefaultItem",
    "close_of",
    "default_items",
    "is_late",
    "local_date",
    "opening_of",
    "pattern_path",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A deadline is the last second of its day: due "by the end of February" is 23:59:59 on the
# last day of February, Asia/Shanghai.
END_OF_DAY = time(23, 59, 59)


def close_of(day: date) -> datetime:
    """The instant a deadline on ``day`` falls: 23:59:59 Asia/Shanghai."""
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


def opening_of(day: date) -> datetime:
    """The instant a window opening on ``day`` opens: 00:00:00 Asia/Shanghai."""
    return datetime.combine(day, time(0, 0), tzinfo=SHANGHAI)


def local_date(instant: datetime) -> date:
    return instant.astimezone(SHANGHAI).date()


def is_late(now: datetime, due_at: datetime) -> bool:
    """Late from the first instant of the next day on: 23:59:59 (and its fraction) is on time,
    00:00:00 the next day is late."""
    return now >= due_at + timedelta(seconds=1)


def pattern_path() -> Path:
    return Path(settings.REPO_ROOT) / "data" / "creation" / "schedule.yaml"


@dataclass(frozen=True)
class DefaultItem:
    code: str
    key: str
    year: int | None
    kinds: tuple[str, ...]
    opens_on: date | None
    due_on: date


def _day(spec: dict[str, Any], year: int) -> date:
    month = int(spec["month"])
    day = spec["day"]
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day == "last" else int(day))


@cache
def _pattern() -> tuple[dict[str, Any], ...]:
    loaded = yaml.safe_load(pattern_path().read_text(encoding="utf-8"))
    return tuple(loaded["items"])


def default_items(batch_year: int, kinds: list[str] | tuple[str, ...]) -> list[DefaultItem]:
    """The default schedule of the batch of ``batch_year`` for the ``kinds`` it selected, in
    order of due date; an item for several kinds (a year's work plan) appears once."""
    merged: dict[str, DefaultItem] = {}
    for spec in _pattern():
        concerned = tuple(k for k in spec["kinds"] if k in kinds)
        if not concerned:
            continue
        offsets = spec.get("each_year") or [None]
        for offset in offsets:
            if offset is None:
                year = None
                base = batch_year + int(spec["due"]["year"])
                due_on = _day(spec["due"], base)
                opens = spec.get("opens")
                opens_on = (
                    _day(opens, batch_year + int(opens["year"])) if opens is not None else None
                )
                code = spec["key"]
            else:
                year = batch_year + int(offset)
                due_on = _day(spec["due"], year)
                opens_on = None
                code = f"{spec['key']}_{year}"
            known = merged.get(code)
            kinds_of = tuple(sorted(set(concerned) | set(known.kinds if known else ())))
            merged[code] = DefaultItem(code, spec["key"], year, kinds_of, opens_on, due_on)
    return sorted(merged.values(), key=lambda item: (item.due_on, item.code))
