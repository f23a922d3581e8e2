"""The raw store: kept intervals in Parquet, partitioned by community and month.

Layout under the store directory (default ``var/monitoring``)::

    meters.json                                   the registered meters
    community=<id>/month=<YYYY-MM>/part-<import>.parquet
    _imports/<import>.json                        one committed import: its files and counts
    _reports/<import>.csv                         every finding of that import

An import writes each part to a hidden temporary file and renames it into place, then commits
by writing its manifest (itself renamed into place). Readers take only the files that committed
manifests list, so an interrupted import is never read; the next import deletes its leftovers.

Originals are kept: an import never replaces a stored interval. A correction
(:mod:`.corrections`, :meth:`Store.correct`) is committed the same way: copies of the part files
holding the corrected intervals, with those rows changed, then a manifest of kind ``correction``
(in ``_imports/`` beside the imports') listing the new files and the files they *supersede*.
Readers take only current files (listed and not superseded); a superseded file is never
deleted, so every value ever imported can still be read.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.metering import (
    Carrier,
    Interval,
    Meter,
    MeterEvent,
    MeterEventKind,
    MeterUse,
    Quality,
    ReadingKind,
    month_of,
)

from .choices import DEFAULT_STORE
from .corrections import (
    Correction,
    CorrectionError,
    CorrectionProblem,
    CorrectionRequest,
    StoredInterval,
    correction_from_json,
    correction_to_json,
    plan,
)

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA",
    "PartWriter",
    "Store",
    "StoreError",
    "interval_writers",
    "meter_from_json",
    "meter_to_json",
    "new_id",
    "previous_month",
]

#: Writes one Parquet part: to this path, with this import id.
PartWriter = Callable[[Path, str], None]


SCHEMA = pa.schema(
    [
        ("community", pa.string()),
        ("month", pa.string()),
        ("meter", pa.string()),
        ("carrier", pa.string()),
        ("category", pa.string()),
        ("sector", pa.string()),
        ("unit", pa.string()),
        ("interval_minutes", pa.int32()),
        ("start", pa.timestamp("us")),
        ("end", pa.timestamp("us")),
        ("consumption", pa.float64()),
        ("quality", pa.string()),
        ("raw", pa.float64()),
        ("row", pa.int64()),
        ("import_id", pa.string()),
    ]
)


class StoreError(LowcarbonError):
    code = "store"


def meter_to_json(meter: Meter) -> dict[str, Any]:
    return {
        "id": meter.id,
        "carrier": meter.carrier.value,
        "use": meter.use.value,
        "unit": meter.unit,
        "reading": meter.reading.value,
        "interval_minutes": meter.interval_minutes,
        "multiplier": str(meter.multiplier),
        "installed": meter.installed.isoformat() if meter.installed else None,
        "events": [
            {
                "at": e.at.isoformat(),
                "kind": e.kind.value,
                "final_reading": e.final_reading,
                "start_reading": e.start_reading,
            }
            for e in meter.events
        ],
        "max_rate": meter.max_rate,
        "max_gap_intervals": meter.max_gap_intervals,
        "community": meter.community,
    }


def meter_from_json(data: Mapping[str, Any]) -> Meter:
    return Meter(
        id=data["id"],
        carrier=Carrier(data["carrier"]),
        use=MeterUse(data["use"]),
        unit=data["unit"],
        reading=ReadingKind(data["reading"]),
        interval_minutes=int(data["interval_minutes"]),
        multiplier=Decimal(data["multiplier"]),
        installed=date.fromisoformat(data["installed"]) if data["installed"] else None,
        events=tuple(
            MeterEvent(
                datetime.fromisoformat(e["at"]),
                MeterEventKind(e["kind"]),
                float(e["final_reading"]),
                float(e["start_reading"]),
            )
            for e in data["events"]
        ),
        max_rate=data["max_rate"],
        max_gap_intervals=int(data["max_gap_intervals"]),
        community=data["community"],
    )


def _write_atomically(path: Path, write: Any) -> None:
    """Write through a hidden temporary file beside ``path``, then rename it into place."""
    temporary = path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class Store:
    """One store directory (module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One import at a time: an import running beside another would take the other's
        uncommitted parts for leftovers of an interrupted one."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # Meters ---------------------------------------------------------------------------------

    @property
    def _meters_file(self) -> Path:
        return self.root / "meters.json"

    def meters(self) -> dict[str, Meter]:
        if not self._meters_file.exists():
            return {}
        data = json.loads(self._meters_file.read_text(encoding="utf-8"))
        return {item["id"]: meter_from_json(item) for item in data}

    def register(self, *new: Meter) -> None:
        """Register meters; a meter already registered must be described the same way."""
        meters = self.meters()
        for meter in new:
            known = meters.get(meter.id)
            if known is not None and meter_to_json(known) != meter_to_json(meter):
                raise StoreError(
                    Message(
                        gettext_noop(
                            "meter {meter} is registered as {expected}; the command describes "
                            "it as {found}"
                        ),
                        {
                            "meter": meter.id,
                            "expected": _describe(known),
                            "found": _describe(meter),
                        },
                    )
                )
        added = [meter for meter in new if meter.id not in meters]
        if not added:
            return
        meters.update((meter.id, meter) for meter in added)
        self.root.mkdir(parents=True, exist_ok=True)
        text = json.dumps([meter_to_json(m) for m in meters.values()], ensure_ascii=False, indent=1)
        _write_atomically(self._meters_file, lambda p: p.write_text(text, encoding="utf-8"))

    def define(self, *meters: Meter) -> None:
        """Write the definitions of ``meters`` (new ones added, registered ones replaced: a
        corrected description or a replacement event), under the store's lock so that no
        import reads the register half-written. The platform's meter register (the web's
        database) is the truth; this keeps the engines reading the same definitions.
        Intervals already stored are kept as they were imported."""
        if not meters:
            return
        with self.locked():
            known = self.meters()
            known.update((meter.id, meter) for meter in meters)
            text = json.dumps(
                [meter_to_json(m) for m in known.values()], ensure_ascii=False, indent=1
            )
            _write_atomically(self._meters_file, lambda p: p.write_text(text, encoding="utf-8"))

    def drop_community(self, community: str) -> int:
        """Forget ``community``: its meters, its parts (each import's manifest keeps its other
        communities' files; an import left with none is removed with its report). For a
        platform whose database was started afresh beside an old store (the demo): returns how
        many parts were removed."""
        prefix = f"community={community}/"
        removed = 0
        with self.locked():
            meters = self.meters()
            kept = [m for m in meters.values() if m.community != community]
            if len(kept) != len(meters):
                text = json.dumps([meter_to_json(m) for m in kept], ensure_ascii=False, indent=1)
                _write_atomically(self._meters_file, lambda p: p.write_text(text, encoding="utf-8"))
            for manifest in self._manifests():
                files = [name for name in manifest["files"] if not name.startswith(prefix)]
                if len(files) == len(manifest["files"]):
                    continue
                removed += len(manifest["files"]) - len(files)
                path = self._imports / f"{manifest['id']}.json"
                if files or not manifest["files"]:
                    rewritten = {**manifest, "files": files}
                    if "supersedes" in manifest:
                        rewritten["supersedes"] = [
                            name for name in manifest["supersedes"] if not name.startswith(prefix)
                        ]
                    text = json.dumps(rewritten, ensure_ascii=False, indent=1)
                    _write_atomically(path, lambda p, t=text: p.write_text(t, encoding="utf-8"))
                else:
                    path.unlink()
                    self.report_path(manifest["id"]).unlink(missing_ok=True)
            folder = self.root / f"community={community}"
            if folder.is_dir():
                shutil.rmtree(folder)
        return removed

    def has_readings(self, community: str, meter_id: str) -> bool:
        """Whether committed imports hold any interval of ``meter_id`` in ``community``."""
        for path in self.files([community]):
            column = pq.ParquetFile(path).read(columns=["meter"])["meter"]
            if pc.any(pc.equal(column, meter_id)).as_py():
                return True
        return False

    # Committed imports ----------------------------------------------------------------------

    @property
    def _imports(self) -> Path:
        return self.root / "_imports"

    def _manifests(self) -> list[dict[str, Any]]:
        if not self._imports.is_dir():
            return []
        return [
            json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(self._imports.glob("*.json"))
        ]

    def _current(self, manifests: Sequence[Mapping[str, Any]]) -> list[str]:
        """The files the manifests list that no correction supersedes, in manifest order."""
        superseded = {name for manifest in manifests for name in manifest.get("supersedes", ())}
        return [
            name for manifest in manifests for name in manifest["files"] if name not in superseded
        ]

    def files(self, communities: Iterable[str] | None = None) -> list[Path]:
        """The current Parquet files (of ``communities`` when given): those committed manifests
        list and no correction supersedes."""
        wanted = None if communities is None else set(communities)
        return [
            self.root / name
            for name in self._current(self._manifests())
            if wanted is None or name.split("/")[0].removeprefix("community=") in wanted
        ]

    def recover(self) -> int:
        """Delete what interrupted imports and corrections left (parts no manifest lists,
        temporary files). A superseded file is listed by the manifest that committed it: it is
        kept, never deleted (originals are kept)."""
        committed = {
            str(self.root / name) for manifest in self._manifests() for name in manifest["files"]
        }
        removed = 0
        for path in [*self.root.glob("community=*/month=*/*"), *self.root.glob("**/.tmp-*")]:
            if path.is_file() and str(path) not in committed:
                path.unlink()
                removed += 1
        return removed

    def partition_files(self, partitions: Iterable[tuple[str, str]]) -> list[Path]:
        """The current files of those (community, month) partitions."""
        prefixes = {f"community={community}/month={month}/" for community, month in partitions}
        return [
            self.root / name
            for name in self._current(self._manifests())
            if name[: name.rindex("/") + 1] in prefixes
        ]

    def stored(self, community: str, months: Iterable[str], meters: Iterable[str]) -> pa.Table:
        """Stored intervals of ``meters`` in those months of ``community`` (current files)."""
        paths = self.partition_files((community, month) for month in months)
        if not paths:
            return SCHEMA.empty_table()
        table = pa.concat_tables(pq.read_table(path, schema=SCHEMA) for path in paths)
        mask = pc.is_in(table["meter"], value_set=pa.array(sorted(set(meters))))
        return table.filter(mask)

    def last_before(self, meter: Meter, moment: datetime) -> tuple[datetime, float] | None:
        """The latest stored measured reading of ``meter`` before ``moment``: its time and raw
        value (a register's value at the interval's end; otherwise the interval's start)."""
        months = sorted({month_of(moment), previous_month(moment)})
        table = self.stored(meter.community, months, [meter.id])
        best: tuple[datetime, float] | None = None
        register = meter.reading is ReadingKind.REGISTER
        for row in table.select(["start", "end", "quality", "raw"]).to_pylist():
            if row["quality"] == Quality.ESTIMATED.value or row["raw"] is None:
                continue
            at = row["end"] if register else row["start"]
            if at < moment and (best is None or at > best[0]):
                best = (at, row["raw"])
        return best

    def commit(
        self,
        meters: Mapping[str, Meter],
        intervals: Sequence[Interval],
        summary: Mapping[str, Any],
        report: str,
    ) -> str:
        """Write ``intervals`` as one import: parts, report, then the manifest that commits them.
        Returns the import's id."""

        parts = {key: [writer] for key, writer in interval_writers(meters, intervals).items()}
        return self.commit_parts(parts, summary, report)

    def commit_parts(
        self,
        parts: Mapping[tuple[str, str], Sequence[PartWriter]],
        summary: Mapping[str, Any],
        report: str,
    ) -> str:
        """Commit one import whose parts of each (community, month) ``parts`` write (to the
        path given, with the import's id); see :meth:`commit`."""
        import_id = new_id(datetime.now())
        files = []
        for (community, month), writers in sorted(parts.items()):
            for number, write in enumerate(writers):
                suffix = f"-{number}" if number else ""
                relative = f"community={community}/month={month}/part-{import_id}{suffix}.parquet"
                target = self.root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(target, lambda p, w=write: w(p, import_id))
                files.append(relative)
        reports = self.root / "_reports"
        reports.mkdir(parents=True, exist_ok=True)
        _write_atomically(
            reports / f"{import_id}.csv", lambda p: p.write_text(report, encoding="utf-8-sig")
        )
        manifest = {"id": import_id, "files": files, **summary}
        self._imports.mkdir(parents=True, exist_ok=True)
        text = json.dumps(manifest, ensure_ascii=False, indent=1)
        _write_atomically(
            self._imports / f"{import_id}.json", lambda p: p.write_text(text, encoding="utf-8")
        )
        return import_id

    def report_path(self, import_id: str) -> Path:
        return self.root / "_reports" / f"{import_id}.csv"

    # Corrections ------------------------------------------------------------------------------

    def stored_intervals(
        self, meter: Meter, start: datetime, end: datetime
    ) -> list[StoredInterval]:
        """The current intervals of ``meter`` starting in [start, end), in time order."""
        months = []
        month = month_of(start)
        while month <= month_of(end):
            months.append(month)
            year, number = int(month[:4]), int(month[5:])
            month = f"{year + number // 12:04d}-{number % 12 + 1:02d}"
        table = self.stored(meter.community, months, [meter.id])
        found = [_stored_interval(row) for row in table.to_pylist() if start <= row["start"] < end]
        return sorted(found, key=lambda item: item.start)

    def marked_intervals(self, meter: Meter, limit: int = 50) -> list[StoredInterval]:
        """The latest ``limit`` current intervals of ``meter`` that are flagged or estimated
        (what a person may want to correct), latest first."""
        found: list[StoredInterval] = []
        for path in self.files([meter.community]):
            table = pq.read_table(
                path,
                schema=SCHEMA,
                partitioning=None,
                filters=[("meter", "=", meter.id), ("quality", "!=", Quality.MEASURED.value)],
            )
            found += [_stored_interval(row) for row in table.to_pylist()]
        found.sort(key=lambda item: item.start, reverse=True)
        return found[:limit]

    def corrections(self, community: str | None = None) -> list[Correction]:
        """The committed corrections (of ``community`` when given), oldest first."""
        found = [
            correction_from_json(manifest)
            for manifest in self._manifests()
            if manifest.get("kind") == "correction"
        ]
        if community is not None:
            found = [c for c in found if community in c.communities]
        return sorted(found, key=lambda c: (c.at, c.id))

    def earlier_values(
        self, community: str, months: Iterable[str], meters: Iterable[str]
    ) -> dict[tuple[str, datetime, datetime], tuple[float, ...]]:
        """The values corrected intervals of ``meters`` (in those months of ``community``) held
        before their corrections, by (meter, start, end): an import that brings one of them
        again brings nothing new, and the correction stands."""
        wanted_months, wanted_meters = set(months), set(meters)
        earlier: dict[tuple[str, datetime, datetime], tuple[float, ...]] = {}
        for correction in self.corrections(community):
            for item in correction.intervals:
                if item.meter in wanted_meters and month_of(item.start) in wanted_months:
                    key = (item.meter, item.start, item.end)
                    earlier[key] = (*earlier.get(key, ()), item.before_consumption)
        return earlier

    def correct(
        self,
        requests: Sequence[CorrectionRequest],
        *,
        reason: str,
        who: str,
        at: datetime,
        correction_id: str | None = None,
    ) -> Correction:
        """Correct stored intervals (:mod:`.corrections`), all of them or none: every problem is
        raised together (:class:`CorrectionError`). The part files holding them are copied with
        those rows changed, each through a temporary file renamed into place; the manifest that
        commits them is written last, under the store's lock: a correction interrupted before
        it leaves the store as it was."""
        with self.locked():
            self.recover()
            return self._correct(
                list(requests), reason.strip(), who, at, correction_id or new_id(at)
            )

    def _correct(
        self,
        requests: list[CorrectionRequest],
        reason: str,
        who: str,
        at: datetime,
        correction_id: str,
    ) -> Correction:
        problems: list[CorrectionProblem] = []
        if not reason:
            problems.append(
                CorrectionProblem(
                    None, "reason", "", Message(gettext_noop("the reason for the correction"))
                )
            )
        if not requests:
            problems.append(
                CorrectionProblem(
                    None, "intervals", "0", Message(gettext_noop("at least one interval"))
                )
            )
        meters = self.meters()
        manifests = self._manifests()
        originals: dict[tuple[str, datetime], tuple[float, Quality]] = {}
        for earlier in sorted(
            (correction_from_json(m) for m in manifests if m.get("kind") == "correction"),
            key=lambda c: (c.at, c.id),
        ):
            for item in earlier.intervals:
                originals.setdefault(
                    (item.meter, item.start), (item.before_consumption, item.before_quality)
                )
        partitions = {
            (meters[r.meter].community, month_of(r.start)) for r in requests if r.meter in meters
        }
        prefixes = {f"community={c}/month={m}/" for c, m in partitions}
        tables: dict[str, pa.Table] = {}
        where: dict[tuple[str, datetime], list[tuple[str, int, StoredInterval]]] = {}
        wanted = {(r.meter, r.start) for r in requests}
        for name in self._current(manifests):
            if name[: name.rindex("/") + 1] not in prefixes:
                continue
            table = pq.read_table(self.root / name, schema=SCHEMA)
            tables[name] = table
            keys = zip(table["meter"].to_pylist(), table["start"].to_pylist(), strict=True)
            for index, key in enumerate(keys):
                if key in wanted:
                    row = table.slice(index, 1).to_pylist()[0]
                    where.setdefault(key, []).append((name, index, _stored_interval(row)))
        changes: dict[str, list[tuple[int, Any]]] = {}
        items = []
        seen: set[tuple[str, datetime]] = set()
        for index, request in enumerate(requests):
            key = (request.meter, request.start)
            meter = meters.get(request.meter)
            at_text = request.start.isoformat(sep=" ")
            if meter is None:
                problems.append(
                    CorrectionProblem(
                        index,
                        "meter",
                        request.meter,
                        Message(gettext_noop("a meter registered in the readings store")),
                    )
                )
                continue
            if key in seen:
                problems.append(
                    CorrectionProblem(
                        index,
                        "start",
                        at_text,
                        Message(gettext_noop("each interval once in a correction")),
                    )
                )
                continue
            seen.add(key)
            holders = where.get(key)
            if not holders:
                problems.append(
                    CorrectionProblem(
                        index,
                        "start",
                        at_text,
                        Message(
                            gettext_noop(
                                "the start of an interval of meter {meter} that is stored (a "
                                "missing reading is added by importing it)"
                            ),
                            {"meter": request.meter},
                        ),
                    )
                )
                continue
            planned = plan(meter, holders[0][2], request, originals.get(key))
            if isinstance(planned, CorrectionProblem):
                problems.append(
                    CorrectionProblem(index, planned.field, planned.found, planned.expected)
                )
                continue
            items.append(planned)
            for name, row, _stored in holders:
                changes.setdefault(name, []).append((row, planned))
        if problems:
            raise CorrectionError(problems)
        written: list[Path] = []
        files: list[str] = []
        numbers: dict[str, int] = {}
        try:
            for name in sorted(changes):
                folder = name[: name.rindex("/")]
                number = numbers.get(folder, 0)
                numbers[folder] = number + 1
                suffix = f"-{number}" if number else ""
                relative = f"{folder}/part-{correction_id}{suffix}.parquet"
                table = _changed(tables[name], changes[name], correction_id)
                target = self.root / relative
                _write_atomically(target, lambda p, t=table: pq.write_table(t, p))
                written.append(target)
                files.append(relative)
            correction = Correction(
                id=correction_id,
                at=at,
                who=who,
                reason=reason,
                intervals=tuple(items),
                files=tuple(files),
                supersedes=tuple(sorted(changes)),
            )
            self._imports.mkdir(parents=True, exist_ok=True)
            text = json.dumps(correction_to_json(correction), ensure_ascii=False, indent=1)
            _write_atomically(
                self._imports / f"{correction_id}.json",
                lambda p: p.write_text(text, encoding="utf-8"),
            )
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        return correction

    def withdraw_correction(self, correction_id: str) -> bool:
        """Take back a correction just committed whose record could not be kept (the platform's
        database refused it): its manifest and its new files go, the files it superseded are
        current again. Refused for a correction a later one built on. Returns whether there
        was one to take back."""
        with self.locked():
            path = self._imports / f"{correction_id}.json"
            if not path.is_file():
                return False
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if manifest.get("kind") != "correction":
                raise StoreError(
                    Message(
                        gettext_noop("{id} is an import, not a correction"), {"id": correction_id}
                    )
                )
            later = {
                name
                for other in self._manifests()
                if other["id"] != correction_id
                for name in other.get("supersedes", ())
            }
            if later & set(manifest["files"]):
                raise StoreError(
                    Message(
                        gettext_noop("correction {id} was corrected again; it stays"),
                        {"id": correction_id},
                    )
                )
            path.unlink()
            self.recover()
            return True


def new_id(moment: datetime) -> str:
    """A new import or correction id: its time, then eight random hexadecimal digits."""
    return moment.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def _stored_interval(row: Mapping[str, Any]) -> StoredInterval:
    return StoredInterval(
        meter=row["meter"],
        start=row["start"],
        end=row["end"],
        consumption=row["consumption"],
        quality=Quality(row["quality"]),
        raw=row["raw"],
        row=row["row"],
        source=row["import_id"],
    )


def _changed(table: pa.Table, changes: Sequence[tuple[int, Any]], correction_id: str) -> pa.Table:
    """``table`` with the rows of ``changes`` holding their corrected consumption and quality,
    written by ``correction_id``; every other row as it was, in its place."""
    table = table.combine_chunks()
    consumption = table["consumption"].to_numpy().copy()
    mask = np.zeros(table.num_rows, dtype=bool)
    quality = table["quality"]
    for index, item in changes:
        consumption[index] = item.consumption
        mask[index] = True
    for value in {item.quality.value for _index, item in changes}:
        chosen = np.zeros(table.num_rows, dtype=bool)
        for index, item in changes:
            chosen[index] = item.quality.value == value
        quality = pc.if_else(pa.array(chosen), pa.scalar(value), quality)
    source = pc.if_else(pa.array(mask), pa.scalar(correction_id), table["import_id"])
    for name, column in (
        ("consumption", pa.array(consumption, pa.float64())),
        ("quality", quality),
        ("import_id", source),
    ):
        table = table.set_column(table.schema.get_field_index(name), name, column)
    return table


def interval_writers(
    meters: Mapping[str, Meter], intervals: Sequence[Interval]
) -> dict[tuple[str, str], PartWriter]:
    """A writer of each (community, month) part of ``intervals``."""
    groups: dict[tuple[str, str], list[Interval]] = {}
    for interval in intervals:
        community = meters[interval.meter].community
        groups.setdefault((community, month_of(interval.start)), []).append(interval)

    def writer(community: str, month: str, items: list[Interval]) -> PartWriter:
        def write(path: Path, import_id: str) -> None:
            pq.write_table(_table(meters, community, month, items, import_id), path)

        return write

    return {key: writer(*key, items) for key, items in groups.items()}


def previous_month(moment: datetime) -> str:
    """The month before the one of ``moment``: ``2024-01`` → ``2023-12``."""
    year, month = (moment.year, moment.month - 1) if moment.month > 1 else (moment.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def _describe(meter: Meter) -> str:
    return (
        f"{meter.carrier.value}, {meter.reading.value}, {meter.unit}, "
        f"{meter.interval_minutes} min, ×{meter.multiplier}, {meter.community}"
    )


def _table(
    meters: Mapping[str, Meter],
    community: str,
    month: str,
    items: Sequence[Interval],
    import_id: str,
) -> pa.Table:
    count = len(items)
    return pa.table(
        {
            "community": [community] * count,
            "month": [month] * count,
            "meter": [i.meter for i in items],
            "carrier": [meters[i.meter].carrier.value for i in items],
            "category": [meters[i.meter].category.value for i in items],
            "sector": [meters[i.meter].sector.value for i in items],
            "unit": [meters[i.meter].consumption_unit for i in items],
            "interval_minutes": [meters[i.meter].interval_minutes for i in items],
            "start": [i.start for i in items],
            "end": [i.end for i in items],
            "consumption": [i.consumption for i in items],
            "quality": [i.quality.value for i in items],
            "raw": [i.raw for i in items],
            "row": [i.row for i in items],
            "import_id": [import_id] * count,
        },
        schema=SCHEMA,
    )
