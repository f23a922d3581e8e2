"""The pages of a unit's meter register and its file imports. Views ask ``permissions`` and
call the actions; a unit the user may not see is a logged 404."""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from openpyxl import Workbook

from lowcarbon.core.activity import CATEGORY_NAMES, SECTOR_NAMES
from lowcarbon.core.metering import CARRIER_CATEGORY, CARRIER_UNIT, USE_SECTOR, Severity
from lowcarbon.core.metering import Carrier as CoreCarrier
from lowcarbon.core.metering import MeterUse as CoreUse
from lowcarbon.monitoring.choices import SEVERITY_NAMES
from lowcarbon.rules.xlsx_safety import FORMULA_TRIGGERS
from lowcarbon.web import permissions
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.monitoring.actions import (
    core_meter,
    do_add_meter_event,
    do_change_meter,
    do_create_meter,
    do_import_file,
    do_register_meters,
    do_save_export_source,
    meters_of,
)
from lowcarbon.web.monitoring.correction_forms import parse_start
from lowcarbon.web.monitoring.correction_links import correction_link, interval_rows
from lowcarbon.web.monitoring.forms import (
    BULK_COLUMNS,
    HEADINGS,
    ImportForm,
    MeterEditForm,
    MeterEventForm,
    MeterFileForm,
    MeterForm,
    parse_meter_file,
)
from lowcarbon.web.monitoring.models import (
    Carrier,
    ExportSource,
    ImportRecord,
    Meter,
    MeterUse,
    ReadingKind,
)
from lowcarbon.web.monitoring.stores import community_key, monitoring_store
from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "import_detail",
    "import_new",
    "import_report",
    "imports",
    "meter_bulk",
    "meter_create",
    "meter_detail",
    "meter_edit",
    "meter_event",
    "meter_template",
    "meters",
    "units",
]

#: How many findings the result page lists (the report download has every one).
SHOWN_FINDINGS = 500
#: How many flagged and estimated intervals a meter's page lists, latest first.
MARKED_SHOWN = 20


def _unit(request: HttpRequest, pk: int) -> Organisation:
    unit: Organisation | None = permissions.visible_meter_units(request.user).filter(pk=pk).first()
    if unit is None:
        permissions.log_denied(request, f"view the meters of unit {pk}")
        raise Http404
    return unit


def _meter(request: HttpRequest, pk: int) -> Meter:
    meter = (
        Meter.objects.select_related("unit")
        .filter(pk=pk, unit__in=permissions.visible_meter_units(request.user))
        .first()
    )
    if meter is None:
        permissions.log_denied(request, f"view meter {pk}")
        raise Http404
    return meter


def _import(request: HttpRequest, pk: int) -> ImportRecord:
    record = (
        ImportRecord.objects.select_related("unit", "imported_by", "source", "meter")
        .filter(pk=pk, unit__in=permissions.visible_meter_units(request.user))
        .first()
    )
    if record is None:
        permissions.log_denied(request, f"view meter data import {pk}")
        raise Http404
    return record


def _manage(request: HttpRequest, unit: Organisation, what: str) -> None:
    if not permissions.can_manage_meters(request.user, unit):
        permissions.deny(request, f"{what} of unit {unit.pk}")


def _add_errors(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@dataclass(frozen=True)
class MeterRow:
    meter: Meter
    measures: str  # what it measures, in the user's language
    category: str  # the accounting category and sector it maps to
    unit: str  # the unit consumption is kept in


def _row(meter: Meter) -> MeterRow:
    carrier, use = CoreCarrier(meter.carrier), CoreUse(meter.use)
    return MeterRow(
        meter,
        f"{Carrier(meter.carrier).label} · {MeterUse(meter.use).label}",
        f"{_(CATEGORY_NAMES[CARRIER_CATEGORY[carrier]])} · {_(SECTOR_NAMES[USE_SECTOR[use]])}",
        CARRIER_UNIT[carrier],
    )


@require_safe
@login_required
def units(request: HttpRequest) -> HttpResponse:
    visible = permissions.visible_meter_units(request.user).select_related("district")
    if not permissions.has_role(request.user, "applicant", "district_officer", "administrator"):
        permissions.deny(request, "view the units with meters")
    rows = [(unit, unit.meters.count(), unit.imports.count()) for unit in visible]
    return render(request, "monitoring/meters_units.html", {"rows": rows})


@require_safe
@login_required
def meters(request: HttpRequest, unit: int) -> HttpResponse:
    organisation = _unit(request, unit)
    context = {
        "unit": organisation,
        "rows": [_row(m) for m in meters_of(organisation)],
        "can_manage": permissions.can_manage_meters(request.user, organisation),
    }
    return render(request, "monitoring/meters.html", context)


@login_required
def meter_create(request: HttpRequest, unit: int) -> HttpResponse:
    organisation = _unit(request, unit)
    _manage(request, organisation, "register a meter")
    form = MeterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meter = do_create_meter(organisation, form.to_input(), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meter was registered."))
            return redirect("monitoring:meter", pk=meter.pk)
    context = {"unit": organisation, "form": form, "title": _("Register a meter")}
    return render(request, "monitoring/meters_form.html", context)


def _history(meter: Meter) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type=Meter._meta.label, object_id=str(meter.pk)).order_by(
            "created_at", "pk"
        )
    )


HISTORY_LABELS = {
    "monitoring_meter_created": gettext_lazy("Registered"),
    "monitoring_meter_changed": gettext_lazy("Changed"),
    "monitoring_meter_event_added": gettext_lazy("Replacement or rollover recorded"),
}


@require_safe
@login_required
def meter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meter = _meter(request, pk)
    history = [(e, HISTORY_LABELS.get(e.action, e.action)) for e in _history(meter)]
    can_correct = permissions.can_correct_readings(request.user, meter.unit)
    context = {
        "unit": meter.unit,
        "meter": meter,
        "row": _row(meter),
        "events": meter.events.all(),
        "history": history,
        "can_manage": permissions.can_manage_meters(request.user, meter.unit),
        "can_correct": can_correct,
        "store_id": meter.store_id,
        "corrections": meter.corrections.select_related("meter", "corrected_by")[:50],
        "marked": interval_rows(
            meter, monitoring_store().marked_intervals(core_meter(meter), limit=MARKED_SHOWN)
        ),
    }
    return render(request, "monitoring/meters_detail.html", context)


@login_required
def meter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meter = _meter(request, pk)
    _manage(request, meter.unit, f"change meter {pk}")
    initial = {
        name: getattr(meter, name) for name in MeterForm.base_fields if hasattr(meter, name)
    } | {"version": meter.version}
    form = MeterEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_meter(
                meter,
                form.to_input(),
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meter was changed."))
            return redirect("monitoring:meter", pk=meter.pk)
    context = {"unit": meter.unit, "meter": meter, "form": form, "title": _("Change a meter")}
    return render(request, "monitoring/meters_form.html", context)


@login_required
def meter_event(request: HttpRequest, pk: int) -> HttpResponse:
    meter = _meter(request, pk)
    _manage(request, meter.unit, f"record an event of meter {pk}")
    form = MeterEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_add_meter_event(meter, form.to_input(), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The event was recorded. Readings across it that an earlier import left out "
                    "are counted when that file is imported again."
                ),
            )
            return redirect("monitoring:meter", pk=meter.pk)
    context = {"unit": meter.unit, "meter": meter, "form": form}
    return render(request, "monitoring/meters_event.html", context)


@login_required
def meter_bulk(request: HttpRequest, unit: int) -> HttpResponse:
    organisation = _unit(request, unit)
    _manage(request, organisation, "register meters from a file")
    form = MeterFileForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        try:
            parsed = parse_meter_file(upload)
        except ValidationError as error:
            problems = list(error.messages)
        else:
            problems = parsed.problems
            if not problems:
                try:
                    made = do_register_meters(
                        organisation,
                        parsed.rows,
                        actor=request.user,  # type: ignore[arg-type]
                        columns=HEADINGS,
                        file_name=upload.name or "",
                    )
                except ValidationError as error:
                    problems = list(error.messages)
                else:
                    messages.success(
                        request,
                        _("{count} meters were registered.").format(count=len(made)),
                    )
                    return redirect("monitoring:meters", unit=organisation.pk)
    context = {
        "unit": organisation,
        "form": form,
        "problems": problems,
        "columns": BULK_COLUMNS,
        "carriers": Carrier.choices,
        "uses": MeterUse.choices,
        "readings": ReadingKind.choices,
    }
    return render(request, "monitoring/meters_bulk.html", context)


@require_safe
@login_required
def meter_template(request: HttpRequest, unit: int) -> FileResponse:
    organisation = _unit(request, unit)
    _manage(request, organisation, "download the meter template")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "计量表清单"
    sheet.append([c.heading for c in BULK_COLUMNS])
    sheet.append([c.example for c in BULK_COLUMNS])
    sheet.append([c.second for c in BULK_COLUMNS])
    help_sheet = book.create_sheet("填写说明")
    help_sheet.append(["列", "是否必填", "可填写的值"])
    choices = {
        "carrier": "、".join(str(label) for _v, label in Carrier.choices),
        "use": "、".join(str(label) for _v, label in MeterUse.choices),
        "reading": "、".join(str(label) for _v, label in ReadingKind.choices),
    }
    for column in BULK_COLUMNS:
        help_sheet.append(
            [column.heading, "必填" if column.required else "选填", choices.get(column.field, "")]
        )
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename="meter-template.xlsx")


@require_safe
@login_required
def imports(request: HttpRequest, unit: int) -> HttpResponse:
    organisation = _unit(request, unit)
    context = {
        "unit": organisation,
        "imports": ImportRecord.objects.filter(unit=organisation).select_related("imported_by"),
        "sources": ExportSource.objects.filter(unit=organisation).select_related("meter"),
        "can_manage": permissions.can_manage_meters(request.user, organisation),
    }
    return render(request, "monitoring/imports.html", context)


@login_required
def import_new(request: HttpRequest, unit: int) -> HttpResponse:
    organisation = _unit(request, unit)
    _manage(request, organisation, "import meter data")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        sources=ExportSource.objects.filter(unit=organisation),
        meters=meters_of(organisation),
    )
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        mapping = form.mapping()
        source = form.cleaned_data.get("source")
        path, temporary = _upload_path(upload)
        try:
            if source is None and form.cleaned_data.get("save_as"):
                source = do_save_export_source(organisation, mapping, actor=request.user)  # type: ignore[arg-type]
            record = do_import_file(
                organisation,
                path,
                file_name=Path(upload.name or "export.csv").name,
                mapping=mapping,
                source=source,
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("monitoring:import", pk=record.pk)
        finally:
            if temporary:
                path.unlink(missing_ok=True)
    return render(request, "monitoring/imports_new.html", {"unit": organisation, "form": form})


def _upload_path(upload: UploadedFile) -> tuple[Path, bool]:
    """The uploaded file on disk (the upload handler streams every file to a temporary file;
    one kept in memory is written out: True, to be deleted after)."""
    if hasattr(upload, "temporary_file_path"):
        return Path(upload.temporary_file_path()), False
    with tempfile.NamedTemporaryFile(prefix="lowcarbon-upload-", delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name), True


@dataclass(frozen=True)
class Finding:
    severity: str
    reason: str
    meter: str
    row: str
    column: str
    time: str
    found: str
    expected: str
    link: str = ""  # the correction form of the interval, for a flagged or refused finding


def _correctable(record: ImportRecord, findings: list[Finding]) -> list[Finding]:
    """``findings`` with the correction form linked from each flagged or refused one of a
    meter of the unit (the form shows the stored interval, or the ones around its time)."""
    numbers = dict(Meter.objects.filter(unit=record.unit).values_list("number", "pk"))
    marked = set()
    for severity in (Severity.FLAGGED, Severity.REJECTED):
        marked.add(SEVERITY_NAMES[severity])
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                marked.add(_(SEVERITY_NAMES[severity]))
    linked = []
    for finding in findings:
        start = parse_start(finding.time)
        pk = numbers.get(finding.meter)
        if start is not None and pk is not None and finding.severity in marked:
            finding = replace(finding, link=correction_link(pk, start))
        linked.append(finding)
    return linked


def _report_rows(record: ImportRecord) -> list[list[str]]:
    """The import's report as kept in the store (header first), its meter ids shown as the
    unit's meter numbers."""
    path = monitoring_store().report_path(record.store_import)
    if not path.exists():
        return []
    prefix = f"{community_key(record.unit)}-"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for row in rows[1:]:
        if len(row) > 6 and row[2].startswith(prefix):
            if row[6] == row[2]:
                row[6] = row[6].removeprefix(prefix)
            row[2] = row[2].removeprefix(prefix)
        if len(row) > 2 and row[2][:1] in FORMULA_TRIGGERS:
            row[2] = "'" + row[2]  # a meter number typed in the file: never a formula
    return rows


@require_safe
@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _import(request, pk)
    rows = _report_rows(record)
    findings = [Finding(*row[:8]) for row in rows[1 : SHOWN_FINDINGS + 1] if len(row) >= 8]
    can_correct = permissions.can_correct_readings(request.user, record.unit)
    if can_correct:
        findings = _correctable(record, findings)
    earlier = (
        ImportRecord.objects.filter(unit=record.unit, sha256=record.sha256, pk__lt=record.pk)
        .select_related("imported_by")
        .order_by("pk")
        .first()
    )
    context = {
        "unit": record.unit,
        "record": record,
        "findings": findings,
        "header": rows[0][:8] if rows else [],
        "more": max(len(rows) - 1 - SHOWN_FINDINGS, 0),
        "earlier": earlier,
        "nothing_new": record.added == 0 and record.already_stored > 0,
        "can_correct": can_correct,
    }
    return render(request, "monitoring/imports_detail.html", context)


@require_safe
@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    record = _import(request, pk)
    rows = _report_rows(record)
    if not rows:
        raise Http404
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    stem = Path(record.file_name).stem or "import"
    response["Content-Disposition"] = (
        f"attachment; filename=\"import-{record.pk}-report.csv\"; filename*=UTF-8''"
        + quote(f"{stem}-检查报告.csv")
    )
    return response
