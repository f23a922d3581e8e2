"""Forms of the meter register and the imports: they parse; the actions decide.

The bulk file (CSV or XLSX, its headings in Chinese as the template has them) is parsed here
into :class:`~lowcarbon.web.monitoring.actions.MeterInput` rows; a cell that cannot be read is
named by its row, its column, the value found and what was expected.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.rules.archives import format_size
from lowcarbon.rules.workbook.limits import WORKBOOK_LIMITS, check_workbook_package
from lowcarbon.web.monitoring.actions import EventInput, MeterInput, SourceInput
from lowcarbon.web.monitoring.models import (
    Carrier,
    EventKind,
    ExportSource,
    Meter,
    MeterUse,
    ReadingKind,
)

__all__ = [
    "BULK_COLUMNS",
    "ImportForm",
    "MeterEditForm",
    "MeterEventForm",
    "MeterFileForm",
    "MeterForm",
    "parse_meter_file",
]

UNIT_HELP = gettext_lazy(
    "kWh, MWh, m³ or GJ for a register or consumption per interval; kW or watts for average power"
)


class MeterForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Meter number"), max_length=60)
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        help_text=gettext_lazy("What a person calls it, such as 3号楼公共照明"),
    )
    location = forms.CharField(label=gettext_lazy("Location"), max_length=200, required=False)
    carrier = forms.ChoiceField(label=gettext_lazy("Energy carrier"), choices=Carrier.choices)
    use = forms.ChoiceField(label=gettext_lazy("What it measures"), choices=MeterUse.choices)
    reading = forms.ChoiceField(
        label=gettext_lazy("How readings are read"), choices=ReadingKind.choices
    )
    reading_unit = forms.CharField(
        label=gettext_lazy("Unit of the readings"), max_length=20, help_text=UNIT_HELP
    )
    interval_minutes = forms.IntegerField(
        label=gettext_lazy("Interval (minutes)"), initial=15, min_value=1, max_value=1440
    )
    multiplier = forms.DecimalField(
        label=gettext_lazy("Multiplier (CT ratio)"),
        initial=1,
        max_digits=12,
        decimal_places=4,
        min_value=Decimal("0.0001"),
    )
    installed = forms.DateField(
        label=gettext_lazy("Installed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    max_rate = forms.DecimalField(
        label=gettext_lazy("Most it can deliver per hour"),
        required=False,
        max_digits=14,
        decimal_places=3,
        help_text=gettext_lazy(
            "kW for electricity, m³/h, GJ/h; a reading above it is flagged as a spike"
        ),
    )
    max_gap_intervals = forms.IntegerField(
        label=gettext_lazy("Longest gap estimated (intervals)"),
        initial=4,
        min_value=0,
        max_value=96,
        help_text=gettext_lazy("Longer gaps are left open, never estimated"),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea
    )

    def to_input(self) -> MeterInput:
        data = self.cleaned_data
        return MeterInput(
            number=data["number"],
            name=data["name"],
            location=data["location"],
            carrier=data["carrier"],
            use=data["use"],
            reading_unit=data["reading_unit"],
            reading=data["reading"],
            interval_minutes=data["interval_minutes"],
            multiplier=data["multiplier"],
            installed=data["installed"],
            max_rate=data["max_rate"],
            max_gap_intervals=data["max_gap_intervals"],
            note=data["note"],
        )


class MeterEditForm(MeterForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"), max_length=2000, widget=forms.Textarea
    )


class MeterEventForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Event"), choices=EventKind.choices)
    at = forms.DateTimeField(
        label=gettext_lazy("Time (Asia/Shanghai)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    final_reading = forms.DecimalField(
        label=gettext_lazy("Last reading of the register before"),
        max_digits=18,
        decimal_places=4,
    )
    start_reading = forms.DecimalField(
        label=gettext_lazy("First reading of the register after"),
        max_digits=18,
        decimal_places=4,
    )
    reason = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea
    )

    def to_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            kind=data["kind"],
            at=data["at"],
            final_reading=data["final_reading"],
            start_reading=data["start_reading"],
            reason=data["reason"],
        )


def _check_upload(upload: UploadedFile | None, suffixes: tuple[str, ...]) -> UploadedFile:
    if upload is None:
        raise forms.ValidationError(_("Choose a file."))
    name = upload.name or ""
    if not name.lower().endswith(suffixes):
        raise forms.ValidationError(
            _("{file}: a {expected} file is expected").format(
                file=name, expected=" / ".join(s.lstrip(".").upper() for s in suffixes)
            )
        )
    limit = int(settings.LOWCARBON_UPLOAD_MAX_BYTES)
    if (upload.size or 0) > limit:
        raise forms.ValidationError(
            _("{file}: the file is {size}, larger than the limit of {limit}").format(
                file=name, size=format_size(upload.size or 0), limit=format_size(limit)
            )
        )
    return upload


class MeterFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Meter list (CSV or XLSX)"))

    def clean_file(self) -> UploadedFile:
        return _check_upload(self.cleaned_data.get("file"), (".csv", ".xlsx"))


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Utility export (CSV or XLSX, UTF-8 or GBK)"))
    source = forms.ModelChoiceField(
        label=gettext_lazy("Saved export source"),
        queryset=ExportSource.objects.none(),
        required=False,
        help_text=gettext_lazy("Its columns are used; or give the columns below"),
    )
    time_column = forms.CharField(label=gettext_lazy("Time column"), max_length=100, required=False)
    value_column = forms.CharField(
        label=gettext_lazy("Value column"), max_length=100, required=False
    )
    meter_column = forms.CharField(
        label=gettext_lazy("Meter number column"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For a file of several meters: the column of their numbers"),
    )
    meter = forms.ModelChoiceField(
        label=gettext_lazy("Or the file's one meter"),
        queryset=Meter.objects.none(),
        required=False,
    )
    save_as = forms.CharField(
        label=gettext_lazy("Save these columns as a source named"),
        max_length=100,
        required=False,
    )

    def __init__(self, *args: Any, sources: QuerySet[ExportSource], meters: QuerySet[Meter],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
        self.fields["meter"].queryset = meters  # type: ignore[attr-defined]

    def clean_file(self) -> UploadedFile:
        return _check_upload(self.cleaned_data.get("file"), (".csv", ".xlsx"))

    def mapping(self) -> SourceInput:
        data = self.cleaned_data
        source: ExportSource | None = data.get("source")
        if source is not None:
            return SourceInput(
                source.name,
                source.time_column,
                source.value_column,
                source.meter_column,
                source.meter,
            )
        return SourceInput(
            data.get("save_as") or "",
            data.get("time_column") or "",
            data.get("value_column") or "",
            data.get("meter_column") or "",
            data.get("meter"),
        )


# --- the bulk file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    heading: str  # the template's heading (Chinese, as the file has it)
    required: bool
    example: str
    second: str


#: The template's columns, in order (the headings are the file's, in Chinese).
BULK_COLUMNS = (
    Column("number", "表号", True, "3-01", "9-01"),
    Column("name", "名称", True, "3号楼公共照明", "社区燃气总表"),
    Column("location", "位置", False, "3号楼配电间", "服务中心东侧"),
    Column("carrier", "能源品种", True, "电力", "天然气"),
    Column("use", "计量对象", True, "公共照明", "公共建筑"),
    Column("reading", "读数方式", True, "累计读数", "区间用量"),
    Column("reading_unit", "读数单位", True, "kWh", "m³"),
    Column("interval_minutes", "间隔（分钟）", True, "15", "60"),
    Column("multiplier", "倍率", False, "1", "1"),
    Column("installed", "安装日期", False, "2024-06-01", "2023-01-15"),
    Column("max_rate", "最大小时用量", False, "40", "60"),
    Column("max_gap_intervals", "最多估算间隔数", False, "4", "2"),
    Column("note", "备注", False, "", ""),
)
HEADINGS = {column.field: column.heading for column in BULK_COLUMNS}


def _labels(choices: Any) -> dict[str, str]:
    """Each choice by its code, its English label and its Chinese label."""
    found: dict[str, str] = {}
    for value, label in choices.choices:
        found[str(value).lower()] = value
        with translation.override("en"):
            found[str(label).lower()] = value
        with translation.override("zh-hans"):
            found[str(label)] = value
    return found


def _choice_text(choices: Any) -> str:
    with translation.override("zh-hans"):
        return "、".join(f"“{label}”" for _value, label in choices.choices)


@dataclass
class ParsedFile:
    rows: list[tuple[int, MeterInput]]
    problems: list[str]


def _rows(upload: UploadedFile) -> list[list[object]]:
    name = upload.name or ""
    if name.lower().endswith(".xlsx"):
        source: Any
        if hasattr(upload, "temporary_file_path"):
            source = Path(upload.temporary_file_path())
            check_workbook_package(source, WORKBOOK_LIMITS)
        else:
            source = io.BytesIO(upload.read())
        try:
            book = load_workbook(source, read_only=True, data_only=True)
        except Exception:  # openpyxl raises zip, XML and its own errors alike
            raise forms.ValidationError(
                _("{file}: not a readable XLSX workbook").format(file=name)
            ) from None
        try:
            return [
                ["" if cell is None else cell for cell in row]
                for row in book.worksheets[0].iter_rows(values_only=True)
            ]
        finally:
            book.close()
    data = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - GB18030 decodes almost any byte string
        raise forms.ValidationError(
            _("{file}: the text is neither UTF-8 nor GBK").format(file=name)
        )
    return [list(row) for row in csv.reader(io.StringIO(text))]


class _Refused(ValueError):
    """A cell that cannot be read: what was expected of it."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def _cell(column: Column, text: str, choices: dict[str, dict[str, str]]) -> Any:
    """The typed value of one cell of ``column``, or :class:`_Refused`."""
    if column.required and not text:
        raise _Refused(_("a value: the column is required"))
    field = column.field
    if field in choices:
        found = choices[field].get(text) or choices[field].get(text.lower())
        if found is None:
            raise _Refused(_("one of {choices}").format(choices=_choice_text(CHOICES[field])))
        return found
    if field in ("interval_minutes", "max_gap_intervals"):
        if not text:
            return 15 if field == "interval_minutes" else 4
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral():
            raise _Refused(_("a whole number such as {example}").format(example=column.example))
        return int(number)
    if field in ("multiplier", "max_rate"):
        if not text:
            return Decimal(1) if field == "multiplier" else None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise _Refused(_("a number such as {example}").format(example=column.example))
        return value
    if field == "installed":
        if not text:
            return None
        try:
            return date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise _Refused(_("a date such as 2024-06-01")) from None
    return text


CHOICES: dict[str, Any] = {"carrier": Carrier, "use": MeterUse, "reading": ReadingKind}


def parse_meter_file(upload: UploadedFile) -> ParsedFile:
    """The meters of a bulk file, or the problems of every cell that cannot be read."""
    name = upload.name or ""
    try:
        rows = _rows(upload)
    except LowcarbonError as error:
        raise forms.ValidationError(error.message.render(_)) from None
    if not rows:
        raise forms.ValidationError(_("{file}: the file is empty").format(file=name))
    headings = [str(h).strip() for h in rows[0]]
    missing = [c.heading for c in BULK_COLUMNS if c.required and c.heading not in headings]
    if missing:
        raise forms.ValidationError(
            _("{file}: no column {found}; the template's columns are {expected}").format(
                file=name,
                found="、".join(f"“{h}”" for h in missing),
                expected="、".join(f"“{c.heading}”" for c in BULK_COLUMNS),
            )
        )
    at = {c.field: headings.index(c.heading) for c in BULK_COLUMNS if c.heading in headings}
    choices = {field: _labels(kind) for field, kind in CHOICES.items()}
    parsed = ParsedFile([], [])
    for number, row in enumerate(rows[1:], start=2):
        cells = {f: row[i] if i < len(row) else "" for f, i in at.items()}
        if not "".join(str(v) for v in cells.values()).strip():
            continue
        values: dict[str, Any] = {}
        refused = False
        for column in BULK_COLUMNS:
            raw = cells.get(column.field, "")
            text = raw.date().isoformat() if isinstance(raw, datetime) else str(raw).strip()
            try:
                values[column.field] = _cell(column, text, choices)
            except _Refused as problem:
                refused = True
                parsed.problems.append(
                    _("{file}, row {row}, column “{column}”: {problem}").format(
                        file=name,
                        row=number,
                        column=column.heading,
                        problem=_("found “{found}”; expected {expected}").format(
                            found=text, expected=problem.expected
                        ),
                    )
                )
        if not refused:
            parsed.rows.append((number, MeterInput(**values)))
    return parsed
