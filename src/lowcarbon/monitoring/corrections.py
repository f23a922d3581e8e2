"""Corrections of stored intervals: audited edits with a reason; the originals are kept.

Issue 17 item 2: "Originals are kept; corrections are audited edits with a reason." A correction
is committed like an import (:meth:`lowcarbon.monitoring.store.Store.correct`): it copies each
part file holding a corrected interval with those rows changed, writes the copies, and commits
them with a manifest of kind ``correction`` that lists the new files and the files they
*supersede*. Readers (the monthly job, the import's comparison) take only current files, so the
corrected figures are read unchanged by DuckDB and Spark; the superseded files stay on disk.

What a correction may do to one stored interval (:class:`CorrectionKind`):

* ``accept``: a flagged interval with a reading behind it is accepted as measured (confirmed
  real consumption), if the meter can physically deliver it;
* ``replace``: a stated figure replaces the value; it is an estimate unless the person states
  that it was read from the meter;
* ``exclude``: the interval is kept but not counted (quality ``flagged``);
* ``restore``: the value and quality first imported come back (a correction itself, with its
  reason).

The raw value the meter gave is never changed: a correction is about the consumption counted.
This module holds the pure part: the requests, the records, and the checks of a value against
the meter; :mod:`.store` reads and writes the files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.metering import Meter, Quality

__all__ = [
    "CorrectedInterval",
    "Correction",
    "CorrectionError",
    "CorrectionKind",
    "CorrectionProblem",
    "CorrectionRequest",
    "StoredInterval",
    "correction_from_json",
    "correction_to_json",
    "plan",
    "value_problem",
]


class CorrectionKind(StrEnum):
    ACCEPT = "accept"
    REPLACE = "replace"
    EXCLUDE = "exclude"
    RESTORE = "restore"


@dataclass(frozen=True)
class CorrectionRequest:
    """What a person asks for one stored interval, named by its meter and start.

    ``value`` is the stated consumption (``replace``), in the carrier's unit (kWh, m³, GJ);
    ``read_from_meter`` says that figure was read from the meter (measured, not estimated).
    ``expected_from`` is the import or correction the person saw holding the interval: a
    correction made meanwhile refuses the request (a stale page)."""

    meter: str
    start: datetime
    kind: CorrectionKind
    value: float | None = None
    read_from_meter: bool = False
    expected_from: str | None = None


@dataclass(frozen=True)
class StoredInterval:
    """One interval as the current files hold it; ``source`` is the import or correction that
    wrote this value."""

    meter: str
    start: datetime
    end: datetime
    consumption: float
    quality: Quality
    raw: float | None
    row: int | None
    source: str


@dataclass(frozen=True)
class CorrectedInterval:
    """One interval of a correction: what it held before, what it holds after."""

    meter: str
    start: datetime
    end: datetime
    kind: CorrectionKind
    before_consumption: float
    before_quality: Quality
    before_raw: float | None
    before_source: str
    consumption: float
    quality: Quality

    @property
    def counted_change(self) -> float:
        """How much the meter-month's counted consumption changes (flagged is not counted)."""
        after = 0.0 if self.quality is Quality.FLAGGED else self.consumption
        before = 0.0 if self.before_quality is Quality.FLAGGED else self.before_consumption
        return after - before


@dataclass(frozen=True)
class Correction:
    """One committed correction: who, when, why, its intervals, its files and what they
    supersede."""

    id: str
    at: datetime
    who: str
    reason: str
    intervals: tuple[CorrectedInterval, ...]
    files: tuple[str, ...]
    supersedes: tuple[str, ...]

    @property
    def communities(self) -> frozenset[str]:
        return frozenset(name.split("/")[0].removeprefix("community=") for name in self.files)


@dataclass(frozen=True)
class CorrectionProblem:
    """One refused part of a correction: the request (its position, from 0; ``None`` for the
    whole), the field, the value found and what was expected."""

    index: int | None
    field: str
    found: str
    expected: Message


class CorrectionError(LowcarbonError):
    """Every problem of one correction; nothing of it was written."""

    code = "correction"

    def __init__(self, problems: list[CorrectionProblem]) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        super().__init__(
            Message(
                gettext_noop("{field}: found “{found}”; expected {expected}"),
                {"field": first.field, "found": first.found, "expected": first.expected},
            )
        )


def _number(value: float) -> str:
    return format(round(value, 6), "g") if abs(value) < 1e15 else repr(value)


def value_problem(meter: Meter, start: datetime, end: datetime, value: float) -> Message | None:
    """Why ``value`` cannot be counted as the consumption of ``meter`` in [start, end), or
    ``None``: a number, 0 or more, and no more than the meter can physically deliver in that
    time (``max_rate`` × hours, the limit core's spike check uses)."""
    unit = meter.consumption_unit
    if not math.isfinite(value) or value < 0:
        return Message(gettext_noop("a consumption of 0 {unit} or more"), {"unit": unit})
    hours = (end - start).total_seconds() / 3600
    limit = meter.limit(hours)
    if limit is not None and value > limit:
        return Message(
            gettext_noop(
                "at most {limit} {unit} in {minutes} minutes (what the meter can physically "
                "deliver); if the meter's maximum is wrong, correct the meter first"
            ),
            {"limit": _number(limit), "unit": unit, "minutes": round(hours * 60)},
        )
    return None


def plan(
    meter: Meter,
    stored: StoredInterval,
    request: CorrectionRequest,
    original: tuple[float, Quality] | None,
) -> CorrectedInterval | CorrectionProblem:
    """The change ``request`` makes to ``stored`` (``original``: the value and quality first
    imported, when the interval was corrected before), or why it is refused."""
    kind = request.kind
    consumption, quality = stored.consumption, stored.quality
    found = f"{_number(stored.consumption)} {meter.consumption_unit} ({stored.quality.value})"
    if request.expected_from is not None and request.expected_from != stored.source:
        return CorrectionProblem(
            None,
            "version",
            request.expected_from,
            Message(
                gettext_noop(
                    "the interval as it is now: correction or import {source} changed it "
                    "meanwhile; reload the page and decide again"
                ),
                {"source": stored.source},
            ),
        )
    if kind is CorrectionKind.ACCEPT:
        if stored.quality is not Quality.FLAGGED or stored.raw is None:
            return CorrectionProblem(
                None,
                "kind",
                found,
                Message(
                    gettext_noop(
                        "a flagged interval read from the meter; to set another figure, "
                        "state it as a replacement"
                    )
                ),
            )
        quality = Quality.MEASURED
    elif kind is CorrectionKind.REPLACE:
        if request.value is None:
            return CorrectionProblem(
                None, "value", "", Message(gettext_noop("the figure that replaces the value"))
            )
        consumption = request.value
        quality = Quality.MEASURED if request.read_from_meter else Quality.ESTIMATED
    elif kind is CorrectionKind.EXCLUDE:
        if stored.quality is Quality.FLAGGED:
            return CorrectionProblem(
                None,
                "kind",
                found,
                Message(gettext_noop("an interval that is counted (this one is not counted)")),
            )
        quality = Quality.FLAGGED
    else:
        if original is None:
            return CorrectionProblem(
                None,
                "kind",
                found,
                Message(gettext_noop("an interval corrected before (this one is as imported)")),
            )
        consumption, quality = original
    if quality is not Quality.FLAGGED:
        problem = value_problem(meter, stored.start, stored.end, consumption)
        if problem is not None:
            return CorrectionProblem(None, "value", _number(consumption), problem)
    if math.isclose(consumption, stored.consumption, rel_tol=1e-12, abs_tol=0.0) and (
        quality is stored.quality
    ):
        return CorrectionProblem(
            None,
            "value",
            found,
            Message(gettext_noop("a value or quality other than the one stored")),
        )
    return CorrectedInterval(
        meter=stored.meter,
        start=stored.start,
        end=stored.end,
        kind=kind,
        before_consumption=stored.consumption,
        before_quality=stored.quality,
        before_raw=stored.raw,
        before_source=stored.source,
        consumption=consumption,
        quality=quality,
    )


def correction_to_json(correction: Correction) -> dict[str, Any]:
    """The manifest of ``correction`` (``kind: correction``); each interval repeats the
    correction's id, time, person and reason, so that one line read alone is a whole record."""
    common = {
        "correction": correction.id,
        "at": correction.at.isoformat(),
        "who": correction.who,
        "reason": correction.reason,
    }
    return {
        "id": correction.id,
        "kind": "correction",
        "at": correction.at.isoformat(),
        "who": correction.who,
        "reason": correction.reason,
        "files": list(correction.files),
        "supersedes": list(correction.supersedes),
        "intervals": [
            {
                "meter": item.meter,
                "start": item.start.isoformat(),
                "end": item.end.isoformat(),
                "kind": item.kind.value,
                "original_consumption": item.before_consumption,
                "original_quality": item.before_quality.value,
                "original_raw": item.before_raw,
                "original_source": item.before_source,
                "consumption": item.consumption,
                "quality": item.quality.value,
                **common,
            }
            for item in correction.intervals
        ],
    }


def correction_from_json(data: Mapping[str, Any]) -> Correction:
    return Correction(
        id=data["id"],
        at=datetime.fromisoformat(data["at"]),
        who=data["who"],
        reason=data["reason"],
        intervals=tuple(
            CorrectedInterval(
                meter=item["meter"],
                start=datetime.fromisoformat(item["start"]),
                end=datetime.fromisoformat(item["end"]),
                kind=CorrectionKind(item["kind"]),
                before_consumption=float(item["original_consumption"]),
                before_quality=Quality(item["original_quality"]),
                before_raw=None if item["original_raw"] is None else float(item["original_raw"]),
                before_source=item["original_source"],
                consumption=float(item["consumption"]),
                quality=Quality(item["quality"]),
            )
            for item in data["intervals"]
        ),
        files=tuple(data["files"]),
        supersedes=tuple(data["supersedes"]),
    )
