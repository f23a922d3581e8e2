"""The raw store: kept intervals in Parquet, partitioned by community and month.

Layout under the store directory (default ``var/monitoring``)::

    meters.json                                   the registered meters
    community=<id>/month=<YYYY-MM>/part-<import>.parquet
    _imports/<import>.json                        one committed import: its files and counts
    _reports/<import>.csv                         every finding of that import

An import writes each part to a hidden temporary file and renames it into place, then commits
by writing its manifest (itself renamed into place). Readers take only the files that committed
manifests list, so an interrupted import is never read; the next import deletes its leftovers.
Originals are kept: a stored interval is never replaced.
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

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA",
    "PartWriter",
    "Store",
    "StoreError",
    "interval_writers",
    "meter_from_json",
    "meter_to_json",
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
                    text = json.dumps({**manifest, "files": files}, ensure_ascii=False, indent=1)
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

    def files(self, communities: Iterable[str] | None = None) -> list[Path]:
        """The Parquet files of committed imports (of ``communities`` when given)."""
        wanted = None if communities is None else set(communities)
        return [
            self.root / name
            for manifest in self._manifests()
            for name in manifest["files"]
            if wanted is None or name.split("/")[0].removeprefix("community=") in wanted
        ]

    def recover(self) -> int:
        """Delete what interrupted imports left (parts no manifest lists, temporary files)."""
        committed = {str(path) for path in self.files()}
        removed = 0
        for path in [*self.root.glob("community=*/month=*/*"), *self.root.glob("**/.tmp-*")]:
            if path.is_file() and str(path) not in committed:
                path.unlink()
                removed += 1
        return removed

    def partition_files(self, partitions: Iterable[tuple[str, str]]) -> list[Path]:
        """The committed files of those (community, month) partitions."""
        prefixes = {f"community={community}/month={month}/" for community, month in partitions}
        return [
            self.root / name
            for manifest in self._manifests()
            for name in manifest["files"]
            if name[: name.rindex("/") + 1] in prefixes
        ]

    def stored(self, community: str, months: Iterable[str], meters: Iterable[str]) -> pa.Table:
        """Stored intervals of ``meters`` in those months of ``community`` (committed only)."""
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
        import_id = datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
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
