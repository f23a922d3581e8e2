"""The audited actions on baseline data: importing the workbook, clearing, and editing one year's
drivers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.activity import AccountingInput
from lowcarbon.rules.activity.vocabulary import FLOOR_AREA_TYPES
from lowcarbon.rules.snapshot import as_json_numbers
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing, tasks
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.audit.recording import record_event

from .checks import _engine_problems, _refusals
from .stored import accounting_summary, stored_form
from .upload import KIND_LABELS

ACCOUNTING_IMPORTED = "application_accounting_imported"
ACCOUNTING_CLEARED = "application_accounting_cleared"
DRIVERS_SAVED = "application_drivers_saved"
ACCOUNTING_ACTIONS = (ACCOUNTING_IMPORTED, ACCOUNTING_CLEARED, DRIVERS_SAVED)

#: The drivers one year holds (lowcarbon.core.activity.YearDrivers): name → integer or not.
DRIVER_FIELDS: dict[str, bool] = {
    "resident_population": True,
    "registered_population": True,
    "households": True,
    **{f"floor_area_{kind}": False for kind in FLOOR_AREA_TYPES},
    "gdp_10k_yuan": False,
    "employees": True,
}


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
