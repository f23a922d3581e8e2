"""The meter register's and the imports' writes: checked first, then one transaction with its
audit event, the store's register written last inside it (a failed store write rolls the
database back: nothing half-saved).

Every refusal is a :class:`~django.core.exceptions.ValidationError` whose messages name the
field (or the file's row and column), the value found and what was expected, in the user's
language.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.metering import Carrier as CoreCarrier
from lowcarbon.core.metering import Meter as CoreMeter
from lowcarbon.core.metering import MeterDefinitionError, MeterEventKind, Severity
from lowcarbon.core.metering import MeterEvent as CoreEvent
from lowcarbon.core.metering import MeterUse as CoreUse
from lowcarbon.core.metering import ReadingKind as CoreReading
from lowcarbon.monitoring.ingest import ingest
from lowcarbon.monitoring.sources import EXPORT_LIMITS, ColumnMapping
from lowcarbon.rules.workbook.limits import check_workbook_package
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.recording import record_event, snapshot
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.monitoring.models import (
    EventKind,
    ExportSource,
    ImportRecord,
    Meter,
    MeterEvent,
)
from lowcarbon.web.monitoring.stores import community_key, monitoring_store
from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "DEFINITION_FIELDS",
    "EventInput",
    "MeterInput",
    "Problem",
    "SourceInput",
    "core_meter",
    "do_add_meter_event",
    "do_change_meter",
    "do_create_meter",
    "do_import_file",
    "do_register_meters",
    "do_save_export_source",
    "meters_of",
    "store_id_of",
]

REASON_LENGTH = 2000

#: What says how stored readings were read: unchanged once the meter has readings.
DEFINITION_FIELDS = (
    "carrier",
    "use",
    "reading_unit",
    "reading",
    "interval_minutes",
    "multiplier",
)
FIELDS = (
    "number",
    "name",
    "location",
    *DEFINITION_FIELDS,
    "installed",
    "max_rate",
    "max_gap_intervals",
    "note",
)


@dataclass(frozen=True)
class MeterInput:
    """A meter as a form or a row of a file describes it (already parsed into types)."""

    number: str
    name: str
    carrier: str
    use: str
    reading_unit: str
    reading: str
    interval_minutes: int = 15
    multiplier: Decimal = Decimal(1)
    installed: date | None = None
    max_rate: Decimal | None = None
    max_gap_intervals: int = 4
    location: str = ""
    note: str = ""


@dataclass(frozen=True)
class EventInput:
    kind: str
    at: datetime  # aware
    final_reading: Decimal
    start_reading: Decimal
    reason: str = ""


@dataclass(frozen=True)
class SourceInput:
    name: str
    time_column: str
    value_column: str
    meter_column: str = ""
    meter: Meter | None = None


@dataclass(frozen=True)
class Problem:
    """One refused value: the field, what was found, what was expected (all display text)."""

    field: str
    found: str
    expected: str

    def text(self) -> str:
        return _("found “{found}”; expected {expected}").format(
            found=self.found, expected=self.expected
        )


@dataclass
class _Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, name: str, found: object, expected: str) -> None:
        self.items.append(Problem(name, "" if found is None else str(found), expected))

    def raise_if_any(self) -> None:
        if self.items:
            errors: dict[str, list[str]] = {}
            for problem in self.items:
                errors.setdefault(problem.field, []).append(problem.text())
            raise ValidationError(errors)


def meters_of(unit: Organisation) -> QuerySet[Meter]:
    """The meters of ``unit``, by number (for the dashboards and the API)."""
    return Meter.objects.filter(unit=unit).order_by("number")


def store_id_of(unit: Organisation, number: str) -> str:
    """The meter's id in the store: the unit's community key, a hyphen, its number."""
    return f"{community_key(unit)}-{number}"


def _plain(number: Decimal) -> Decimal:
    """``100.0000`` as ``100``, ``1.2500`` as ``1.25``: the register keeps the plain figure."""
    return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


def _local(moment: datetime) -> datetime:
    """An instant as the store's readings are timed: Shanghai wall-clock time, naive."""
    return timezone.localtime(moment, SHANGHAI).replace(tzinfo=None)


def core_meter(meter: Meter, extra: Sequence[MeterEvent] = ()) -> CoreMeter:
    """The store's (and the engines') definition of ``meter`` with its events."""
    events = sorted([*meter.events.all(), *extra], key=lambda e: e.at)
    return CoreMeter(
        id=meter.store_id,
        carrier=CoreCarrier(meter.carrier),
        use=CoreUse(meter.use),
        unit=meter.reading_unit,
        reading=CoreReading(meter.reading),
        interval_minutes=meter.interval_minutes,
        multiplier=_plain(Decimal(meter.multiplier)),
        installed=meter.installed,
        events=tuple(
            CoreEvent(
                _local(e.at),
                MeterEventKind(e.kind),
                float(e.final_reading),
                float(e.start_reading),
            )
            for e in events
        ),
        max_rate=None if meter.max_rate is None else float(meter.max_rate),
        max_gap_intervals=meter.max_gap_intervals,
        community=community_key(meter.unit),
    )


def _check_meter(
    unit: Organisation,
    data: MeterInput,
    problems: _Problems,
    meter: Meter | None = None,
    numbers: set[str] | None = None,
) -> CoreMeter | None:
    """The definition ``data`` gives, or ``None`` with its problems added."""
    number = data.number.strip()
    if not number or len(number) > 60 or any(not c.isprintable() or c.isspace() for c in number):
        problems.add(
            "number",
            number,
            _("a meter number of 1 to 60 characters without spaces, such as 3-01"),
        )
    elif numbers is not None and number in numbers:
        problems.add("number", number, _("a number not used by another row of the file"))
    elif (
        Meter.objects.filter(unit=unit, number=number).exclude(pk=meter.pk if meter else 0).exists()
    ):
        problems.add("number", number, _("a number no other meter of the unit has"))
    if numbers is not None:
        numbers.add(number)
    if not data.name.strip() or len(data.name) > 200:
        problems.add("name", data.name, _("a name of 1 to 200 characters, such as 3号楼公共照明"))
    if data.max_rate is not None and data.max_rate <= 0:
        problems.add("max_rate", data.max_rate, _("a positive number, or nothing"))
    if data.max_gap_intervals > 96:
        problems.add("max_gap_intervals", data.max_gap_intervals, _("a number from 0 to 96"))
    today = timezone.localdate()
    if data.installed is not None and data.installed > today:
        problems.add("installed", data.installed, _("a date by {today}").format(today=today))
    try:
        definition = CoreMeter(
            id=store_id_of(unit, number),
            carrier=CoreCarrier(data.carrier),
            use=CoreUse(data.use),
            unit=data.reading_unit.strip(),
            reading=CoreReading(data.reading),
            interval_minutes=data.interval_minutes,
            multiplier=data.multiplier,
            installed=data.installed,
            max_rate=None if data.max_rate is None else float(data.max_rate),
            max_gap_intervals=data.max_gap_intervals,
            community=community_key(unit),
        )
    except MeterDefinitionError as error:
        text = error.message.render(_)
        name: str = "reading_unit"
        found: object
        expected: str
        if data.interval_minutes <= 0 or 1440 % data.interval_minutes:
            name, found = "interval_minutes", data.interval_minutes
            expected = _("a whole number of minutes that divides a day (1, 5, 15, 30, 60 …)")
        elif data.multiplier <= 0:
            name, found, expected = "multiplier", data.multiplier, _("a positive number")
        else:
            found, expected = data.reading_unit, text
        problems.add(name, found, expected)
        return None
    return definition


def _store_write(*meters: CoreMeter) -> None:
    """Write the store's register, or refuse with a message (the caller's transaction is then
    rolled back)."""
    try:
        monitoring_store().define(*meters)
    except (OSError, LowcarbonError):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "The register of the readings store could not be written; nothing was "
                        "saved. Try again; if it happens again, tell the administrator."
                    )
                ]
            }
        ) from None


def _after(meter: Meter) -> dict[str, Any]:
    return snapshot(meter, [*FIELDS, "store_id"])


def _new_meter(
    unit: Organisation, data: MeterInput, actor: User, now: datetime
) -> tuple[Meter, CoreMeter]:
    number = data.number.strip()
    meter = Meter.objects.create(
        unit=unit,
        number=number,
        store_id=store_id_of(unit, number),
        name=data.name.strip(),
        location=data.location.strip(),
        carrier=data.carrier,
        use=data.use,
        reading_unit=data.reading_unit.strip(),
        reading=data.reading,
        interval_minutes=data.interval_minutes,
        multiplier=data.multiplier,
        installed=data.installed,
        max_rate=data.max_rate,
        max_gap_intervals=data.max_gap_intervals,
        note=data.note.strip(),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    record_event(actor=actor, action="monitoring_meter_created", target=meter, after=_after(meter))
    return meter, core_meter(meter)


def do_create_meter(
    unit: Organisation, data: MeterInput, *, actor: User, now: datetime | None = None
) -> Meter:
    """Register one meter of ``unit`` in the platform and in the store."""
    if not permissions.can_manage_meters(actor, unit):
        raise ValidationError({"__all__": [_("Only the unit's own staff register its meters.")]})
    problems = _Problems()
    _check_meter(unit, data, problems)
    problems.raise_if_any()
    with transaction.atomic():
        meter, written = _new_meter(unit, data, actor, now or timezone.now())
        _store_write(written)
    return meter


def do_register_meters(
    unit: Organisation,
    rows: Sequence[tuple[int, MeterInput]],
    *,
    actor: User,
    columns: dict[str, str],
    file_name: str,
    now: datetime | None = None,
) -> list[Meter]:
    """Register every meter of a file (``(row number, meter)``), or none: a refused row is
    named by its row, its column (``columns`` gives each field's heading), the value found and
    what was expected."""
    if not permissions.can_manage_meters(actor, unit):
        raise ValidationError({"__all__": [_("Only the unit's own staff register its meters.")]})
    if not rows:
        raise ValidationError(
            {
                "__all__": [
                    _("{file}: the file lists no meter below its headings").format(file=file_name)
                ]
            }
        )
    messages: list[str] = []
    numbers: set[str] = set()
    for row, data in rows:
        problems = _Problems()
        _check_meter(unit, data, problems, numbers=numbers)
        messages += [
            _("{file}, row {row}, column “{column}”: {problem}").format(
                file=file_name,
                row=row,
                column=columns.get(p.field, p.field),
                problem=p.text(),
            )
            for p in problems.items
        ]
    if messages:
        raise ValidationError({"__all__": messages})
    moment = now or timezone.now()
    with transaction.atomic():
        made = [_new_meter(unit, data, actor, moment) for _row, data in rows]
        _store_write(*(definition for _meter, definition in made))
    return [meter for meter, _definition in made]


def _reason(reason: str, problems: _Problems) -> str:
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_LENGTH:
        problems.add(
            "reason",
            reason[:40],
            _("a reason of 1 to {limit} characters").format(limit=REASON_LENGTH),
        )
    return reason


def do_change_meter(
    meter: Meter,
    data: MeterInput,
    *,
    expected_version: int,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> Meter:
    """Correct a meter's description (the reason is kept). Once readings of the meter are
    stored, what says how they were read (:data:`DEFINITION_FIELDS`) stays as it is: a new
    meter is registered instead."""
    if not permissions.can_manage_meters(actor, meter.unit):
        raise ValidationError({"__all__": [_("Only the unit's own staff change its meters.")]})
    problems = _Problems()
    reason = _reason(reason, problems)
    _check_meter(meter.unit, data, problems, meter=meter)
    changed_definition = [
        name
        for name in DEFINITION_FIELDS
        if (getattr(data, name).strip() if name == "reading_unit" else getattr(data, name))
        != getattr(meter, name)
    ]
    if changed_definition and monitoring_store().has_readings(
        community_key(meter.unit), meter.store_id
    ):
        for name in changed_definition:
            problems.add(
                name,
                getattr(data, name),
                _(
                    "“{value}” as before: readings of this meter are stored and were read this "
                    "way; register a new meter for readings read otherwise"
                ).format(value=getattr(meter, name)),
            )
    problems.raise_if_any()
    with transaction.atomic():
        current = Meter.objects.select_for_update().get(pk=meter.pk)
        if current.version != expected_version:
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "Someone else changed this meter while you were editing (version "
                            "{found}, you edited version {expected}). Reload the page and make "
                            "your change again."
                        ).format(found=current.version, expected=expected_version)
                    ]
                }
            )
        before = _after(current)
        number = data.number.strip()
        values = {
            "number": number,
            "name": data.name.strip(),
            "location": data.location.strip(),
            "carrier": data.carrier,
            "use": data.use,
            "reading_unit": data.reading_unit.strip(),
            "reading": data.reading,
            "interval_minutes": data.interval_minutes,
            "multiplier": data.multiplier,
            "installed": data.installed,
            "max_rate": data.max_rate,
            "max_gap_intervals": data.max_gap_intervals,
            "note": data.note.strip(),
        }
        if number != current.number and monitoring_store().has_readings(
            community_key(current.unit), current.store_id
        ):
            problems.add(
                "number",
                number,
                _("“{value}” as before: readings are stored under this number").format(
                    value=current.number
                ),
            )
            problems.raise_if_any()
        for name, value in values.items():
            setattr(current, name, value)
        current.store_id = store_id_of(current.unit, number)
        current.version += 1
        current.updated_at = now or timezone.now()
        current.save()
        current.refresh_from_db()
        record_event(
            actor=actor,
            action="monitoring_meter_changed",
            target=current,
            before=before,
            after=_after(current),
            reason=reason,
        )
        _store_write(core_meter(current))
    return current


def do_add_meter_event(
    meter: Meter, data: EventInput, *, actor: User, now: datetime | None = None
) -> MeterEvent:
    """Record that the meter was replaced or its register rolled over: readings across the
    event are then read on both sides of it (the store's register gets the event)."""
    if not permissions.can_manage_meters(actor, meter.unit):
        raise ValidationError({"__all__": [_("Only the unit's own staff change its meters.")]})
    moment = now or timezone.now()
    problems = _Problems()
    reason = (data.reason or "").strip()
    if len(reason) > REASON_LENGTH:
        problems.add(
            "reason", reason[:40], _("at most {limit} characters").format(limit=REASON_LENGTH)
        )
    if data.kind not in EventKind.values:
        problems.add("kind", data.kind, _("a replacement or a rollover"))
    if data.at > moment:
        problems.add(
            "at",
            _local(data.at).strftime("%Y-%m-%d %H:%M"),
            _("a time by {now}").format(now=_local(moment).strftime("%Y-%m-%d %H:%M")),
        )
    if meter.installed is not None and _local(data.at).date() < meter.installed:
        problems.add(
            "at",
            _local(data.at).strftime("%Y-%m-%d %H:%M"),
            _("a time from the meter's installation ({installed}) on").format(
                installed=meter.installed
            ),
        )
    if MeterEvent.objects.filter(meter=meter, at=data.at).exists():
        problems.add(
            "at",
            _local(data.at).strftime("%Y-%m-%d %H:%M"),
            _("a time without another event of this meter"),
        )
    for name in ("final_reading", "start_reading"):
        if getattr(data, name) < 0:
            problems.add(name, getattr(data, name), _("a reading of 0 or more"))
    if data.kind == EventKind.ROLLOVER and data.start_reading >= data.final_reading:
        problems.add(
            "start_reading",
            data.start_reading,
            _(
                "less than the last reading before ({final}): a register starts again when "
                "it rolls over"
            ).format(final=data.final_reading),
        )
    problems.raise_if_any()
    with transaction.atomic():
        event = MeterEvent.objects.create(
            meter=meter,
            kind=data.kind,
            at=data.at,
            final_reading=data.final_reading,
            start_reading=data.start_reading,
            reason=reason,
            created_by=actor,
            created_at=moment,
        )
        record_event(
            actor=actor,
            action="monitoring_meter_event_added",
            target=meter,
            after=snapshot(event, ["kind", "at", "final_reading", "start_reading"]),
            reason=reason,
        )
        _store_write(core_meter(meter))
    return event


def do_save_export_source(
    unit: Organisation,
    data: SourceInput,
    *,
    actor: User,
    source: ExportSource | None = None,
    now: datetime | None = None,
) -> ExportSource:
    """Save (or, given ``source``, change) a column mapping of ``unit`` under its name."""
    if not permissions.can_manage_meters(actor, unit):
        raise ValidationError({"__all__": [_("Only the unit's own staff import its readings.")]})
    problems = _Problems()
    _check_mapping(unit, data, problems)
    name = data.name.strip()
    if not name or len(name) > 100:
        problems.add("name", name, _("a name of 1 to 100 characters, such as 国网导出"))
    elif (
        ExportSource.objects.filter(unit=unit, name=name)
        .exclude(pk=source.pk if source else 0)
        .exists()
    ):
        problems.add("name", name, _("a name no other saved source of the unit has"))
    problems.raise_if_any()
    fields = ["name", "time_column", "value_column", "meter_column", "meter_id"]
    with transaction.atomic():
        if source is None:
            source = ExportSource(unit=unit, created_by=actor, created_at=now or timezone.now())
            before = None
        else:
            before = snapshot(source, fields)
            source.version += 1
        source.name = name
        source.time_column = data.time_column.strip()
        source.value_column = data.value_column.strip()
        source.meter_column = data.meter_column.strip()
        source.meter = data.meter
        source.save()
        record_event(
            actor=actor,
            action="monitoring_export_source_saved",
            target=source,
            before=before,
            after=snapshot(source, fields),
        )
    return source


def _check_mapping(unit: Organisation, data: SourceInput, problems: _Problems) -> None:
    for name in ("time_column", "value_column"):
        value = getattr(data, name).strip()
        if not value or len(value) > 100:
            problems.add(name, value, _("the heading of a column of the file, such as 时间"))
    meter_column = data.meter_column.strip()
    if bool(meter_column) == (data.meter is not None):
        problems.add(
            "meter_column",
            meter_column,
            _("either the column of the meter numbers or the file's one meter, not both"),
        )
    if data.meter is not None and data.meter.unit_id != unit.pk:
        problems.add("meter", data.meter, _("a meter of this unit"))


def _cells(path: Path, name: str) -> Iterator[list[object]]:
    """The rows of a CSV (UTF-8 or GBK) or XLSX file, as the store's reader sees them."""
    if path.suffix.lower() == ".xlsx":
        check_workbook_package(path, EXPORT_LIMITS)
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises zip, XML and its own errors alike
            raise ValidationError(
                {"file": [_("{file}: not a readable XLSX workbook").format(file=name)]}
            ) from None
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield ["" if cell is None else cell for cell in row]
        finally:
            book.close()
        return
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - GB18030 decodes almost any byte string
        raise ValidationError(
            {"file": [_("{file}: the text is neither UTF-8 nor GBK").format(file=name)]}
        )
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    yield from csv.reader(text.splitlines(), delimiter=delimiter)


def _cell_text(cell: object) -> str:
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, float):
        return repr(cell)
    return str(cell)


def _with_store_ids(
    unit: Organisation, path: Path, name: str, meter_column: str, target: Path
) -> None:
    """A copy of the file whose meter numbers are the store's ids (rows keep their numbers)."""
    rows = _cells(path, name)
    header = next(rows, None)
    if header is None:
        raise ValidationError({"file": [_("{file}: the file is empty").format(file=name)]})
    headings = [str(h).strip() for h in header]
    if meter_column not in headings:
        raise ValidationError(
            {
                "file": [
                    _("{file}: no column “{found}”; the columns are {expected}").format(
                        file=name,
                        found=meter_column,
                        expected="、".join(f"“{h}”" for h in headings),
                    )
                ]
            }
        )
    at = headings.index(meter_column)
    prefix = f"{community_key(unit)}-"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        for row in rows:
            cells = [_cell_text(c) for c in row]
            if at < len(cells) and cells[at].strip():
                cells[at] = prefix + cells[at].strip()
            writer.writerow(cells)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def do_import_file(
    unit: Organisation,
    path: Path,
    *,
    file_name: str,
    mapping: SourceInput,
    actor: User,
    source: ExportSource | None = None,
    now: datetime | None = None,
) -> ImportRecord:
    """Import one utility export of ``unit`` into the platform's store and keep its record.

    The store's import is idempotent and atomic (:func:`lowcarbon.monitoring.ingest.ingest`):
    the same file twice adds nothing; a file that cannot be read is refused whole."""
    if not permissions.can_manage_meters(actor, unit):
        raise ValidationError({"__all__": [_("Only the unit's own staff import its readings.")]})
    problems = _Problems()
    _check_mapping(unit, mapping, problems)
    problems.raise_if_any()
    moment = now or timezone.now()
    columns = ColumnMapping(
        mapping.time_column.strip(),
        mapping.value_column.strip(),
        mapping.meter_column.strip() or None,
    )
    store = monitoring_store()
    with tempfile.TemporaryDirectory(prefix="lowcarbon-import-") as folder:
        suffix = ".xlsx" if file_name.lower().endswith(".xlsx") else ".csv"
        readable = Path(folder) / f"{Path(file_name).stem[:80] or 'export'}{suffix}"
        readable.write_bytes(path.read_bytes())
        if columns.meter is not None:
            rewritten = Path(folder) / f"{readable.stem}-ids.csv"
            try:
                _with_store_ids(unit, readable, file_name, columns.meter, rewritten)
            except LowcarbonError as error:
                raise ValidationError({"file": [error.message.render(_)]}) from None
            readable = rewritten
        definition = core_meter(mapping.meter) if mapping.meter is not None else None
        try:
            result = ingest(store, readable, columns, definition, now=_local(moment), translate=_)
        except LowcarbonError as error:
            text = error.message.render(_).replace(readable.name, file_name)
            raise ValidationError({"file": [text]}) from None
    with transaction.atomic():
        record = ImportRecord.objects.create(
            unit=unit,
            source=source,
            file_name=file_name[:255],
            sha256=_sha256(path),
            size=path.stat().st_size,
            time_column=columns.time,
            value_column=columns.value,
            meter_column=columns.meter or "",
            meter=mapping.meter,
            rows=result.rows,
            added=result.added,
            already_stored=result.already_stored,
            rejected=result.count(Severity.REJECTED),
            flagged=result.count(Severity.FLAGGED),
            notes=result.count(Severity.NOTE),
            store_import=result.import_id,
            imported_by=actor,
            imported_at=moment,
        )
        record_event(
            actor=actor,
            action="monitoring_file_imported",
            target=record,
            after=snapshot(
                record,
                ["file_name", "sha256", "rows", "added", "already_stored", "store_import"],
            ),
        )
    return record
