"""A unit's meter register and its file imports (issue 17 §1–2).

The register's truth is the database: :class:`Meter` (what a meter measures, how its readings
are read) and :class:`MeterEvent` (a replacement or a rollover). Every change is written through
an audited action that also writes the store's register (``meters.json``, what the engines
read), in the same step: when the store cannot be written, the database change is rolled back.

A meter's id in the store is ``<community key>-<number>`` (:attr:`Meter.store_id`): the unit's
partition key first, so that two units numbering their meters alike never clash.

:class:`ExportSource` is a saved column mapping of one utility export (per unit);
:class:`ImportRecord` is one file imported: who, when, the file's name and SHA-256, the counts
and the store's import id (its findings report is kept in the store).
:class:`ReadingCorrection` is one corrected interval (issue 17 item 2: originals are kept,
corrections are audited edits with a reason).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.core.metering import Carrier as CoreCarrier
from lowcarbon.core.metering import MeterEventKind, Quality
from lowcarbon.core.metering import MeterUse as CoreUse
from lowcarbon.core.metering import ReadingKind as CoreReading
from lowcarbon.monitoring.corrections import CorrectionKind as CoreCorrectionKind
from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "Carrier",
    "CorrectionKind",
    "EventKind",
    "ExportSource",
    "ImportRecord",
    "Meter",
    "MeterEvent",
    "MeterUse",
    "ReadingCorrection",
    "ReadingKind",
    "ReadingQuality",
]


class Carrier(models.TextChoices):
    ELECTRICITY = CoreCarrier.ELECTRICITY.value, _("electric power")
    GAS = CoreCarrier.GAS.value, _("natural gas")
    WATER = CoreCarrier.WATER.value, _("tap water")
    HEAT = CoreCarrier.HEAT.value, _("heat")


class MeterUse(models.TextChoices):
    HOUSEHOLD = CoreUse.HOUSEHOLD.value, _("households")
    PUBLIC_LIGHTING = CoreUse.PUBLIC_LIGHTING.value, _("public lighting")
    LIFTS_AND_PUMPS = CoreUse.LIFTS_AND_PUMPS.value, _("lifts and pumps")
    EV_CHARGING = CoreUse.EV_CHARGING.value, _("EV charging")
    PUBLIC_BUILDING = CoreUse.PUBLIC_BUILDING.value, _("public building")
    COMMERCIAL = CoreUse.COMMERCIAL.value, _("commercial")
    OTHER = CoreUse.OTHER.value, _("other use")


class ReadingKind(models.TextChoices):
    REGISTER = CoreReading.REGISTER.value, _("cumulative register")
    INTERVAL_ENERGY = CoreReading.INTERVAL_ENERGY.value, _("consumption per interval")
    AVERAGE_POWER = CoreReading.AVERAGE_POWER.value, _("average power per interval")


class EventKind(models.TextChoices):
    REPLACEMENT = MeterEventKind.REPLACEMENT.value, _("meter replaced")
    ROLLOVER = MeterEventKind.ROLLOVER.value, _("register rolled over")


class Meter(models.Model):
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="meters", verbose_name=_("unit")
    )
    number = models.CharField(_("meter number"), max_length=60)
    store_id = models.CharField(_("id in the readings store"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("location"), max_length=200, blank=True)
    carrier = models.CharField(_("energy carrier"), max_length=20, choices=Carrier.choices)
    use = models.CharField(_("what it measures"), max_length=30, choices=MeterUse.choices)
    reading_unit = models.CharField(_("unit of the readings"), max_length=20)
    reading = models.CharField(_("how readings are read"), max_length=20, choices=ReadingKind)
    interval_minutes = models.PositiveIntegerField(_("interval (minutes)"), default=15)
    multiplier = models.DecimalField(_("multiplier (CT ratio)"), max_digits=12, decimal_places=4)
    installed = models.DateField(_("installed on"), null=True, blank=True)
    max_rate = models.DecimalField(
        _("most it can deliver per hour"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    max_gap_intervals = models.PositiveIntegerField(_("longest gap estimated (intervals)"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["unit", "number"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="meter_unique_unit_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class MeterEvent(models.Model):
    meter = models.ForeignKey(
        Meter, on_delete=models.PROTECT, related_name="events", verbose_name=_("meter")
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    final_reading = models.DecimalField(_("last reading before"), max_digits=18, decimal_places=4)
    start_reading = models.DecimalField(_("first reading after"), max_digits=18, decimal_places=4)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["meter", "at", "id"]
        verbose_name = _("meter event")
        verbose_name_plural = _("meter events")
        constraints = [models.UniqueConstraint(fields=["meter", "at"], name="meter_event_unique")]

    def __str__(self) -> str:
        return f"{self.meter} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ExportSource(models.Model):
    """A saved column mapping of one utility export: the columns of the time, the value and
    the meter number, or one fixed meter for a file of a single meter."""

    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="export_sources",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=100)
    time_column = models.CharField(_("time column"), max_length=100)
    value_column = models.CharField(_("value column"), max_length=100)
    meter_column = models.CharField(_("meter number column"), max_length=100, blank=True)
    meter = models.ForeignKey(
        Meter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the file's one meter"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("export source")
        verbose_name_plural = _("export sources")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="export_source_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportRecord(models.Model):
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="imports", verbose_name=_("unit")
    )
    source = models.ForeignKey(
        ExportSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("export source"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    time_column = models.CharField(_("time column"), max_length=100)
    value_column = models.CharField(_("value column"), max_length=100)
    meter_column = models.CharField(_("meter number column"), max_length=100, blank=True)
    meter = models.ForeignKey(
        Meter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the file's one meter"),
    )
    rows = models.PositiveIntegerField(_("rows read"))
    added = models.PositiveIntegerField(_("intervals added"))
    already_stored = models.PositiveIntegerField(_("intervals already stored"))
    rejected = models.PositiveIntegerField(_("rows rejected"))
    flagged = models.PositiveIntegerField(_("flagged"))
    notes = models.PositiveIntegerField(_("notes"))
    store_import = models.CharField(_("import id in the readings store"), max_length=60)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["unit", "-imported_at", "-id"]
        verbose_name = _("meter data import")
        verbose_name_plural = _("meter data imports")

    def __str__(self) -> str:
        return f"{self.file_name} {self.imported_at:%Y-%m-%d %H:%M}"

    @property
    def findings(self) -> int:
        return self.rejected + self.flagged + self.notes


class CorrectionKind(models.TextChoices):
    ACCEPT = CoreCorrectionKind.ACCEPT.value, _("accepted as measured")
    REPLACE = CoreCorrectionKind.REPLACE.value, _("replaced by a stated figure")
    EXCLUDE = CoreCorrectionKind.EXCLUDE.value, _("excluded (not counted)")
    RESTORE = CoreCorrectionKind.RESTORE.value, _("restored to the value imported")


class ReadingQuality(models.TextChoices):
    MEASURED = Quality.MEASURED.value, _("measured")
    ESTIMATED = Quality.ESTIMATED.value, _("estimated")
    FLAGGED = Quality.FLAGGED.value, _("flagged, not counted")


class ReadingCorrection(models.Model):
    """One corrected interval of a meter: before and after, why, who, when, and the store's
    correction that holds it (one correction may change several intervals; the store keeps the
    value imported, in the file the correction superseded)."""

    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reading_corrections",
        verbose_name=_("unit"),
    )
    meter = models.ForeignKey(
        Meter, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("meter")
    )
    start = models.DateTimeField(_("interval start"))
    end = models.DateTimeField(_("interval end"))
    kind = models.CharField(_("correction"), max_length=20, choices=CorrectionKind.choices)
    before_consumption = models.FloatField(_("value before"))
    before_quality = models.CharField(
        _("quality before"), max_length=20, choices=ReadingQuality.choices
    )
    before_raw = models.FloatField(_("reading of the meter"), null=True, blank=True)
    after_consumption = models.FloatField(_("value after"))
    after_quality = models.CharField(
        _("quality after"), max_length=20, choices=ReadingQuality.choices
    )
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(_("corrected at"))
    store_correction = models.CharField(_("correction id in the readings store"), max_length=60)

    class Meta:
        ordering = ["unit", "-corrected_at", "-id"]
        verbose_name = _("correction of a meter reading")
        verbose_name_plural = _("corrections of meter readings")
        indexes = [models.Index(fields=["meter", "start"], name="reading_correction_interval")]

    def __str__(self) -> str:
        return f"{self.meter} {self.start:%Y-%m-%d %H:%M} {self.kind}"

    @property
    def before_text(self) -> str:
        """The value before, as the store keeps it (no trailing zeros)."""
        return format(round(self.before_consumption, 6), "g")

    @property
    def after_text(self) -> str:
        return format(round(self.after_consumption, 6), "g")
