"""The baseline data of an application (基础数据): importing the accounting workbook, editing one
year's drivers, clearing. Validated first, then one transaction and one audit event each.

The stored form is the accounting input as data (``lowcarbon.rules.activity.
accounting_input_to_data``, the shape of ``examples/*/accounting.yaml``) with numbers as JSON
numbers. Every save runs the accounting engine under the application's factor set (pinned by
the round, accounting-method.md §5.2: one set for the base and every target year) before it is
stored, so what is stored can always be computed: data the engine refuses (green power under a
set without a green-power factor, a sink type without a verified rate…) is refused here with
the engine's own explanation, and nothing is saved.

The audit trail keeps a summary of the data before and after (counts, years, the factor set
and a SHA-256 of the canonical JSON), not the data itself: the data is the application's, the
hash proves which data it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.activity import AccountingInput
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.rules.activity import (
    FLOOR_AREA_TYPES,
    accounting_input_from_data,
    accounting_input_to_data,
    check_accounting_data,
)
from lowcarbon.rules.archives import ArchiveRefused, check_archive
from lowcarbon.rules.snapshot import as_json_numbers
from lowcarbon.rules.workbook import WORKBOOK_LIMITS, read_workbook
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing, tasks
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.audit.recording import record_event

__all__ = [
    "ACCOUNTING_ACTIONS",
    "ACCOUNTING_CLEARED",
    "ACCOUNTING_IMPORTED",
    "DRIVERS_SAVED",
    "DRIVER_FIELDS",
    "accounting_summary",
    "canonical_sha256",
    "content_kind",
    "do_clear_accounting",
    "do_import_accounting",
    "do_save_drivers",
    "read_uploaded_workbook",
    "stored_form",
]

ACCOUNTING_IMPORTED = "application_accounting_imported"
ACCOUNTING_CLEARED = "application_accounting_cleared"
DRIVERS_SAVED = "application_drivers_saved"
ACCOUNTING_ACTIONS = (ACCOUNTING_IMPORTED, ACCOUNTING_CLEARED, DRIVERS_SAVED)

#: What a file is, found from its bytes, and how a person calls it.
KIND_NAMES: dict[str, Any] = {
    "xlsx": gettext_lazy("an Excel workbook (.xlsx)"),
    "docx": gettext_lazy("a Word document (.docx)"),
    "pptx": gettext_lazy("a PowerPoint presentation (.pptx)"),
    "zip": gettext_lazy("a ZIP archive"),
    "ole": gettext_lazy("an old-format Office file (.xls or .doc, before 2007)"),
    "pdf": gettext_lazy("a PDF document"),
    "png": gettext_lazy("a PNG image"),
    "jpeg": gettext_lazy("a JPEG image"),
    "gif": gettext_lazy("a GIF image"),
    "text": gettext_lazy("a text file"),
    "empty": gettext_lazy("an empty file"),
    "unknown": gettext_lazy("a file of unknown type"),
}

KIND_LABELS: dict[str, Any] = {
    "zone": gettext_lazy("low-carbon development practice zone"),
    "community": gettext_lazy("low-carbon community"),
}

#: The drivers one year holds (lowcarbon.core.activity.YearDrivers): name → integer or not.
DRIVER_FIELDS: dict[str, bool] = {
    "resident_population": True,
    "registered_population": True,
    "households": True,
    **{f"floor_area_{kind}": False for kind in FLOOR_AREA_TYPES},
    "gdp_10k_yuan": False,
    "employees": True,
}


# --- the uploaded file ---------------------------------------------------------------------


def content_kind(handle: IO[bytes]) -> str:
    """What the file is by its content (its name proves nothing). An XLSX is a ZIP holding
    ``[Content_Types].xml`` and ``xl/workbook.xml`` (ECMA-376 Part 2, Open Packaging).

    A ZIP beyond the workbook's package limits raises :class:`ArchiveRefused` (its parts are
    listed only once the package is known to be within them)."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(check_archive(handle, WORKBOOK_LIMITS.archive).names)
        except ArchiveRefused as refused:
            if refused.code == "archive_damaged":
                return "unknown"
            raise
        finally:
            handle.seek(0)
        if "[Content_Types].xml" in names:
            for part, kind in (
                ("xl/workbook.xml", "xlsx"),
                ("word/document.xml", "docx"),
                ("ppt/presentation.xml", "pptx"),
            ):
                if part in names:
                    return kind
        return "zip"
    signatures = (
        (b"%PDF", "pdf"),
        (b"\x89PNG", "png"),
        (b"\xff\xd8\xff", "jpeg"),
        (b"GIF8", "gif"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    )
    for signature, kind in signatures:
        if head.startswith(signature):
            return kind
    sample = handle.read(4096)
    handle.seek(0)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown"
    return "text"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} B"


def read_uploaded_workbook(upload: UploadedFile) -> AccountingInput:
    """The accounting input in an uploaded workbook.

    Raises ``ValidationError`` (field ``workbook``) when the file is too large or is not an
    XLSX by its content, and :class:`~lowcarbon.rules.workbook.WorkbookError` listing every
    problem of the workbook itself (sheet, row, column, value found, what is expected)."""
    name = upload.name or ""
    limit = settings.LOWCARBON_UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "workbook": [
                    _("The file “{name}” is {size}; at most {limit} can be uploaded.").format(
                        name=name, size=_size(size), limit=_size(limit)
                    )
                ]
            },
            code="too_large",
        )
    try:
        kind = content_kind(upload.file) if upload.file is not None else "empty"
    except ArchiveRefused as refused:
        raise ValidationError(
            {
                "workbook": [
                    _(
                        "The file “{name}” cannot be imported: {problem} Nothing was imported."
                    ).format(name=name, problem=refused.message.render(_))
                ]
            },
            code="too_large",
        ) from None
    if kind != "xlsx":
        raise ValidationError(
            {
                "workbook": [
                    _(
                        "The file “{name}” is {kind}, not an Excel workbook (.xlsx). Download "
                        "the accounting workbook below, fill it in and upload it as .xlsx."
                    ).format(name=name, kind=KIND_NAMES[kind])
                ]
            },
            code="wrong_type",
        )
    # The reader wants a path; the upload may live only in memory. The temporary file is
    # deleted when the block ends, whatever happens.
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        return read_workbook(copy.name)


# --- the stored form and its summary -------------------------------------------------------


def stored_form(data: AccountingInput) -> dict[str, Any]:
    """``data`` as it is stored in ``Application.accounting``."""
    stored: dict[str, Any] = as_json_numbers(accounting_input_to_data(data))
    return stored


def canonical_sha256(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, UTF-8, no spaces), as for snapshots."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def accounting_summary(data: Mapping[str, Any], version: int) -> dict[str, Any]:
    """What the audit trail keeps of stored baseline data: counts and a hash, not the data."""
    if not data:
        return {"version": version, "empty": True}
    profile = data.get("profile") or {}
    return {
        "version": version,
        "unit": profile.get("name", ""),
        "base_year": profile.get("base_year"),
        "years": list(data.get("years") or []),
        "factor_set": data.get("factor_set", ""),
        "drivers": len(profile.get("drivers") or []),
        "records": len(data.get("records") or []),
        "tasks": len(data.get("tasks") or []),
        "targets": len(data.get("targets") or []),
        "sha256": canonical_sha256(data),
    }


# --- checks shared by every save -----------------------------------------------------------


def _refusals(application: Application, actor: User) -> list[str]:
    """Why ``actor`` may not change the baseline data of ``application`` now (empty: may)."""
    if not permissions.is_own_unit(actor, application):
        return [_("You can only edit your own unit's applications.")]
    if not permissions.can_edit_application(actor, application):
        return [
            _("This application is {status}: its baseline data can no longer be changed.").format(
                status=application.get_status_display()
            )
        ]
    deadline = application.round.submission_deadline
    if timezone.localdate() > deadline:
        return [
            _(
                "The submission deadline ({deadline}) has passed: the baseline data can no "
                "longer be changed."
            ).format(deadline=deadline.isoformat())
        ]
    return []


def _engine_problems(
    application: Application, stored: Mapping[str, Any]
) -> tuple[list[str], AccountingResult | None]:
    """What stops the stored form from being computed under the application's factor set, and
    the result when nothing does: the check is the computation, kept for the pages."""
    issues = check_accounting_data(stored)
    if issues:
        return [
            f"{'.'.join(str(key) for key in issue.path)}: {issue.expected.render(_)}"
            for issue in issues
        ], None
    data = dataclasses.replace(
        accounting_input_from_data(stored), factor_set=application.factor_set_id
    )
    try:
        result = computing.compute(data)
    except LowcarbonError as error:
        return [
            _(
                "The data cannot be accounted under the factor set {set} of this round: {problem}"
            ).format(set=application.factor_set_id, problem=error.message.render(_))
        ], None
    return [], result


def _last_change(application: Application) -> str:
    event = (
        AuditEvent.objects.filter(
            action__in=ACCOUNTING_ACTIONS,
            object_type=Application._meta.label,
            object_id=str(application.pk),
        )
        .order_by("-pk")
        .first()
    )
    if event is None:
        return "—"
    when = timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M")
    what = {
        ACCOUNTING_IMPORTED: _("imported a workbook"),
        ACCOUNTING_CLEARED: _("cleared the data"),
        DRIVERS_SAVED: _("changed the drivers"),
    }[event.action]
    return f"{event.actor_label} {when} {what}"


def _locked(application: Application, actor: User, expected_version: int) -> Application:
    """The application row locked for update, refused when it changed since ``expected_version``
    or can no longer be edited (a submission in between)."""
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    refusals = _refusals(locked, actor)
    if refusals:
        raise ValidationError(refusals)
    if locked.accounting_version != expected_version:
        raise ValidationError(
            _(
                "Someone else changed the baseline data first (now version {current}, you "
                "started from version {expected}; last change: {change}). Nothing was saved: "
                "look at the data now stored and try again."
            ).format(
                current=locked.accounting_version,
                expected=expected_version,
                change=_last_change(locked),
            ),
            code="stale",
        )
    return locked


def _store(
    locked: Application,
    stored: dict[str, Any],
    *,
    actor: User,
    action: str,
    details: Mapping[str, Any],
    result: AccountingResult | None = None,
) -> Application:
    before = accounting_summary(locked.accounting, locked.accounting_version)
    locked.accounting = stored
    locked.accounting_version += 1
    locked.save(update_fields=["accounting", "accounting_version", "updated_at"])
    if result is not None:
        # Kept for the results page: computed once, here. Should the transaction roll back,
        # the kept result names data that is not stored (its key is the data's digest), so it
        # is never shown.
        computing.remember(locked, result)
    record_event(
        actor=actor,
        action=action,
        target=locked,
        before=before,
        after=accounting_summary(stored, locked.accounting_version) | dict(details),
    )
    return locked


# --- the actions ---------------------------------------------------------------------------


def do_import_accounting(
    application: Application,
    data: AccountingInput,
    *,
    expected_version: int,
    actor: User,
    file_name: str = "",
) -> Application:
    """Replace the baseline data with ``data`` (read from a workbook); refused when someone
    changed it since ``expected_version``, after submission or after the deadline."""
    refusals = _refusals(application, actor)
    if refusals:
        raise ValidationError({"__all__": refusals})
    if data.profile.kind.value != application.kind:
        raise ValidationError(
            {
                "workbook": [
                    _(
                        "The workbook is for a {found}, this application is for a {expected}: "
                        "download the workbook of this application and fill it in."
                    ).format(
                        found=KIND_LABELS[data.profile.kind.value],
                        expected=KIND_LABELS[application.kind],
                    )
                ]
            }
        )
    stored = stored_form(data)
    problems, result = _engine_problems(application, stored)
    if problems:
        raise ValidationError({"workbook": problems})
    with transaction.atomic():
        locked = _locked(application, actor, expected_version)
        # The workbook's tasks fill the application's task records; the stored tasks are then
        # made from every record (those typed in the editor too), and checked again if so.
        merged = tasks.merge_workbook_tasks(locked, data)
        if merged["tasks"] != stored.get("tasks", []) or merged["reductions"] != stored.get(
            "reductions", []
        ):
            stored["tasks"] = merged["tasks"]
            stored["reductions"] = merged["reductions"]
            if not merged["reductions"]:
                stored.pop("reductions")
            problems, result = _engine_problems(locked, stored)
            if problems:
                raise ValidationError({"workbook": problems})
        stored_now = _store(
            locked,
            stored,
            actor=actor,
            action=ACCOUNTING_IMPORTED,
            details={
                "file": file_name[:255],
                "workbook_factor_set": data.factor_set,
                "tasks_added": merged["added"],
                "tasks_updated": merged["updated"],
                "tasks_kept": merged["kept"],
            },
            result=result,
        )
        # The plan's task lists and key-project table follow the records.
        tasks.sync_plan(stored_now)
        return stored_now


def do_clear_accounting(
    application: Application, *, expected_version: int, actor: User
) -> Application:
    """Remove the baseline data (the results page then asks for new data)."""
    refusals = _refusals(application, actor)
    if refusals:
        raise ValidationError({"__all__": refusals})
    with transaction.atomic():
        locked = _locked(application, actor, expected_version)
        return _store(locked, {}, actor=actor, action=ACCOUNTING_CLEARED, details={})


def _driver_entry(year: int, values: Mapping[str, int | Decimal | None]) -> dict[str, Any]:
    entry: dict[str, Any] = {"year": year}
    floor: dict[str, Any] = {}
    for name in DRIVER_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        if name.startswith("floor_area_"):
            floor[name.removeprefix("floor_area_")] = as_json_numbers(Decimal(value))
        else:
            entry[name] = as_json_numbers(value)
    if floor:
        entry["floor_area_m2"] = floor
    return entry


def do_save_drivers(
    application: Application,
    year: int,
    values: Mapping[str, int | Decimal | None],
    *,
    expected_version: int,
    actor: User,
) -> Application:
    """Set the drivers (常住人口, 户数, floor area by type, GDP…) of ``year`` without a workbook.

    ``values`` maps the names of :data:`DRIVER_FIELDS` to numbers (``None``: not given). The
    resident population is required and above 0 (the per-capita denominator, §7)."""
    errors: dict[str, list[str]] = {}
    refusals = _refusals(application, actor)
    if refusals:
        errors["__all__"] = refusals
    elif not application.accounting:
        errors["__all__"] = [_("Import the accounting workbook first: there is no data yet.")]
    for name, value in values.items():
        if name not in DRIVER_FIELDS:
            errors.setdefault("__all__", []).append(_("Unknown driver “{name}”.").format(name=name))
        elif value is not None and (
            value < 0 or (DRIVER_FIELDS[name] and Decimal(value) != int(value))
        ):
            errors[name] = [_("Enter a number of 0 or more.")]
    population = values.get("resident_population")
    if population is None or population <= 0:
        errors["resident_population"] = [
            _("Enter the resident population of {year}: a whole number above 0.").format(year=year)
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(application, actor, expected_version)
        data = json.loads(json.dumps(locked.accounting))  # a deep copy
        drivers: list[dict[str, Any]] = data["profile"].setdefault("drivers", [])
        before = next((item for item in drivers if item.get("year") == year), None)
        entry = _driver_entry(year, values)
        drivers[:] = sorted(
            [item for item in drivers if item.get("year") != year] + [entry],
            key=lambda item: item["year"],
        )
        problems, result = _engine_problems(locked, data)
        if problems:
            raise ValidationError({"__all__": problems})
        return _store(
            locked,
            data,
            actor=actor,
            action=DRIVERS_SAVED,
            details={"year": year, "drivers_before": before, "drivers_after": entry},
            result=result,
        )
