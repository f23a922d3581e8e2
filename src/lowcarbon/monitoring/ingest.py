"""Importing one utility export into the store: read, check, compare with what is kept, commit.

Idempotent on (meter, interval start, interval end): an interval already stored with the same
value is not added again; with a different value it is a reported conflict and the stored one is
kept. Every finding goes into the import's report (CSV, one row per finding, downloadable).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lowcarbon.core.messages import Message, Translate, gettext_noop
from lowcarbon.core.metering import (
    FindingKind,
    Interval,
    Meter,
    RawReading,
    ReadingFinding,
    Severity,
    check_readings,
    month_of,
)

from .choices import SEVERITY_NAMES
from .fast import CleanSplit, clean_split
from .sources import ColumnMapping, ExportRows, parse_cells, read_export
from .store import PartWriter, Store, interval_writers

__all__ = [
    "REPORT_HEADER",
    "SEVERITY_NAMES",
    "IngestResult",
    "ingest",
    "ingest_readings",
    "report_csv",
]

#: The columns of an import's report (message ids: the report is written in the user's language).
REPORT_HEADER = (
    gettext_noop("severity"),
    gettext_noop("reason"),
    gettext_noop("meter"),
    gettext_noop("row"),
    gettext_noop("column"),
    gettext_noop("time"),
    gettext_noop("value found"),
    gettext_noop("expected"),
)


def _identity(text: str) -> str:
    return text


@dataclass
class IngestResult:
    """What one import did: rows read, intervals added or already stored, and every finding."""

    import_id: str
    rows: int
    added: int
    already_stored: int
    findings: list[ReadingFinding] = field(default_factory=list)
    report: Path | None = None
    #: who checked the rows: "duckdb" (every meter plainly clean, :mod:`.fast`), "duckdb+core"
    #: (the clean meters by DuckDB, the others by core's checks), or "core"
    path: str = "core"

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def report_csv(findings: Sequence[ReadingFinding], translate: Translate = _identity) -> str:
    """The findings as CSV text, ordered by meter, row and kind."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([translate(h) for h in REPORT_HEADER])
    ordered = sorted(findings, key=lambda f: (f.meter, f.row or 0, f.kind.value))
    for f in ordered:
        writer.writerow(
            [
                translate(SEVERITY_NAMES[f.severity]),
                f.reason.render(translate),
                f.meter,
                "" if f.row is None else f.row,
                f.column,
                "" if f.at is None else f.at.isoformat(sep=" "),
                _safe(f.found),
                f.expected.render(translate),
            ]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    """A cell a spreadsheet will not read as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _context(
    store: Store, meters: dict[str, Meter], readings: Sequence[RawReading]
) -> dict[str, RawReading]:
    first: dict[str, datetime] = {}
    for reading in readings:
        if reading.meter in meters and (
            reading.meter not in first or reading.at < first[reading.meter]
        ):
            first[reading.meter] = reading.at
    context: dict[str, RawReading] = {}
    for meter_id, moment in first.items():
        found = store.last_before(meters[meter_id], moment)
        if found is not None:
            context[meter_id] = RawReading(0, meter_id, found[0], found[1])
    return context


def _against_store(
    store: Store, meters: dict[str, Meter], intervals: Sequence[Interval]
) -> tuple[list[Interval], int, list[ReadingFinding]]:
    by_community: dict[str, list[Interval]] = {}
    for interval in intervals:
        by_community.setdefault(meters[interval.meter].community, []).append(interval)
    new: list[Interval] = []
    same = 0
    conflicts: list[ReadingFinding] = []
    for community, items in by_community.items():
        months = {month_of(i.start) for i in items}
        table = store.stored(community, months, {i.meter for i in items})
        kept = {
            (row["meter"], row["start"], row["end"]): (row["consumption"], row["import_id"])
            for row in table.select(
                ["meter", "start", "end", "consumption", "import_id"]
            ).to_pylist()
        }
        # A value a correction replaced brings nothing new: the correction stands.
        earlier = store.earlier_values(community, months, {i.meter for i in items})
        for interval in items:
            key = (interval.meter, interval.start, interval.end)
            stored = kept.get(key)
            if stored is None:
                new.append(interval)
            elif any(
                math.isclose(value, interval.consumption, rel_tol=1e-9, abs_tol=1e-12)
                for value in (stored[0], *earlier.get(key, ()))
            ):
                same += 1
            else:
                meter = meters[interval.meter]
                conflicts.append(
                    ReadingFinding(
                        FindingKind.STORED_CONFLICT,
                        interval.meter,
                        interval.row,
                        interval.start,
                        f"{interval.consumption:g} {meter.consumption_unit}",
                        Message(
                            gettext_noop("{value} {unit} as stored by import {import_id}"),
                            {
                                "value": f"{stored[0]:g}",
                                "unit": meter.consumption_unit,
                                "import_id": stored[1],
                            },
                        ),
                    )
                )
    return new, same, conflicts


def ingest(
    store: Store,
    path: Path,
    mapping: ColumnMapping,
    meter: Meter | None = None,
    *,
    now: datetime | None = None,
    translate: Translate = _identity,
    clean_path: bool = True,
) -> IngestResult:
    """Import the export at ``path`` (module docstring); ``meter`` is registered first when
    given (a one-meter file). Returns what was done; the report is in the store.

    A plainly clean CSV is checked and written by DuckDB (:mod:`.fast`; ``clean_path=False``
    always takes core's path, which the tests compare it with). One import runs at a time in a
    store (:meth:`Store.locked`)."""
    with store.locked():
        return _ingest(store, path, mapping, meter, now, translate, clean_path)


def _ingest(
    store: Store,
    path: Path,
    mapping: ColumnMapping,
    meter: Meter | None,
    now: datetime | None,
    translate: Translate,
    clean_path: bool,
) -> IngestResult:
    store.recover()
    if meter is not None:
        store.register(meter)
    meters = store.meters()
    moment = now if now is not None else datetime.now()
    meter_id = meter.id if meter is not None else None
    if clean_path:
        with clean_split(store, path, mapping, meters, meter_id, moment) as split:
            if split is not None:
                rows = parse_cells(split.others, mapping)
                return _commit(store, meters, path, rows, split, moment, translate)
    return _commit(
        store, meters, path, read_export(path, mapping, meter_id), None, moment, translate
    )


def ingest_readings(
    store: Store,
    readings: Sequence[RawReading],
    source_name: str,
    *,
    now: datetime,
    translate: Translate = _identity,
    community: str | None = None,
) -> IngestResult:
    """Import readings received as data (a meter gateway's batch) with the same checks, the same
    comparison with what is stored and the same commit as a file (:func:`ingest`): a reading
    already stored with the same value adds nothing, one with another value is a conflict in the
    report. ``row`` of each reading is its position in the batch; ``source_name`` names the
    import in its summary. With ``community`` given, meters of other communities are unknown
    (a gateway writes to its own community only)."""
    with store.locked():
        store.recover()
        meters = store.meters()
        if community is not None:
            meters = {key: meter for key, meter in meters.items() if meter.community == community}
        rows = ExportRows(list(readings), [])
        return _commit(store, meters, Path(source_name), rows, None, now, translate)


def _commit(
    store: Store,
    meters: dict[str, Meter],
    path: Path,
    rows: ExportRows,
    split: CleanSplit | None,
    moment: datetime,
    translate: Translate,
) -> IngestResult:
    """Check ``rows`` with core, compare them with the store, and commit them with the part
    DuckDB writes for the clean meters of ``split``."""
    checked = check_readings(meters, rows.readings, moment, _context(store, meters, rows.readings))
    new, same, conflicts = _against_store(store, meters, checked.intervals)
    findings = [*rows.findings, *checked.findings, *conflicts]
    read = len(rows.readings) + len(rows.findings) + (split.clean if split else 0)
    added = len(new) + (split.clean if split else 0)
    summary = {
        "source": path.name,
        "at": moment.isoformat(),
        "rows": read,
        "added": added,
        "already_stored": same,
        "findings": len(findings),
    }
    parts: dict[tuple[str, str], list[PartWriter]] = {
        key: [writer] for key, writer in (split.parts if split else {}).items()
    }
    for key, writer in interval_writers(meters, new).items():
        parts.setdefault(key, []).append(writer)
    import_id = store.commit_parts(parts, summary, report_csv(findings, translate))
    return IngestResult(
        import_id=import_id,
        rows=read,
        added=added,
        already_stored=same,
        findings=findings,
        report=store.report_path(import_id),
        path="core" if split is None else "duckdb" if not split.others else "duckdb+core",
    )
