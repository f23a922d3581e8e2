"""The household ledger (家庭能耗台账) and the community's yearly low-carbon household selection
(低碳家庭评选, 附件4 第7项).

* :class:`Household`: a household of a community (an applicant unit), registered by its
  residents' committee (the unit's staff), with its address label, its members and, optionally,
  the resident account that keeps its ledger.
* :class:`LedgerMonth`: one month of the household's bills: electricity (kWh), natural gas (m³)
  and water (m³), where the figures came from, and a version for edits (each with a reason). A
  month fed from the household's meters (source ``meter``) leaves a carrier no meter of the
  household measures empty (``None``: not recorded, never 0), and is recorded by nobody when the
  monthly feed wrote it from the command line.
* :class:`HouseholdMeter`: a meter of the community's register (``monitoring.Meter`` of use
  ``household``) linked to one household by the committee, from a month on; unlinking keeps the
  link as history.
* :class:`MeteredMonth`: what the meters gave a household for one carrier and month at the last
  run of the feed (amount, completeness, the meters) and what became of it: taken into the
  ledger, left out as incomplete, or kept beside a month recorded from a bill.
* :class:`Selection`: the year's selection as last run (its figures and every check's reason
  frozen in ``result``); once published it cannot be run again, and it is a record of the unit's
  archive with the result list attached.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "Household",
    "HouseholdMeter",
    "LedgerMonth",
    "LedgerSource",
    "MeteredMonth",
    "MeteredStatus",
    "Selection",
]


class Household(models.Model):
    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("community"),
    )
    label = models.CharField(_("address"), max_length=100)
    members = models.PositiveSmallIntegerField(_("members"))
    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="household",
        verbose_name=_("resident account"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["unit", "label"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["unit", "label"], name="household_unique_label")
        ]

    def __str__(self) -> str:
        return self.label


class LedgerSource(models.TextChoices):
    BILL = "bill", _("bill")
    METER = "meter", _("meter reading")
    COMMITTEE = "committee", _("recorded by the committee")


class LedgerMonth(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="months", verbose_name=_("household")
    )
    month = models.DateField(_("month"))  # its first day
    # ``None``: not recorded (a carrier no meter of the household measures), never read as 0.
    electricity_kwh = models.DecimalField(
        _("electricity (kWh)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    gas_m3 = models.DecimalField(
        _("natural gas (m³)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    water_m3 = models.DecimalField(
        _("water (m³)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=20, choices=LedgerSource.choices)
    # ``None``: written by the monthly feed from the command line (the platform itself).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["household", "-month"]
        verbose_name = _("ledger month")
        verbose_name_plural = _("ledger months")
        constraints = [
            models.UniqueConstraint(fields=["household", "month"], name="ledger_unique_month")
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.month:%Y-%m}"


class HouseholdMeter(models.Model):
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="meter_links",
        verbose_name=_("household"),
    )
    meter = models.ForeignKey(
        "monitoring.Meter", on_delete=models.PROTECT, related_name="+", verbose_name=_("meter")
    )
    # The first month the meter's figures count for the household (None: all its months).
    since = models.DateField(_("counts from"), null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked at"))
    unlinked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    unlinked_at = models.DateTimeField(_("unlinked at"), null=True, blank=True)

    class Meta:
        ordering = ["household", "meter", "-linked_at"]
        verbose_name = _("household meter")
        verbose_name_plural = _("household meters")
        constraints = [
            # A meter measures one household at a time; past links stay as history.
            models.UniqueConstraint(
                fields=["meter"],
                condition=models.Q(unlinked_at__isnull=True),
                name="household_meter_one_live_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.meter_id}"


class MeteredStatus(models.TextChoices):
    TAKEN = "taken", _("taken into the ledger")
    INCOMPLETE = "incomplete", _("left out: incomplete")
    BILL_KEPT = "bill_kept", _("the recorded bill is kept")


class MeteredMonth(models.Model):
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="metered_months",
        verbose_name=_("household"),
    )
    month = models.DateField(_("month"))  # its first day
    carrier = models.CharField(_("energy carrier"), max_length=20)  # electricity, gas, water
    amount = models.DecimalField(_("consumption"), max_digits=14, decimal_places=3)
    completeness = models.DecimalField(_("completeness"), max_digits=5, decimal_places=4)
    meters = models.CharField(_("meters"), max_length=500)  # the meter numbers, "、"-joined
    status = models.CharField(_("status"), max_length=20, choices=MeteredStatus.choices)
    fed_at = models.DateTimeField(_("fed at"))

    class Meta:
        ordering = ["household", "-month", "carrier"]
        verbose_name = _("metered month")
        verbose_name_plural = _("metered months")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "month", "carrier"], name="metered_month_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.month:%Y-%m} {self.carrier}"


class Selection(models.Model):
    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="household_selections",
        verbose_name=_("community"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rules_edition = models.CharField(_("rules edition"), max_length=20)
    factor_set_id = models.CharField(_("factor set"), max_length=100)
    # Frozen figures and reasons: {"median": "…", "candidates": [...]} (see selection.py).
    result = models.JSONField(_("result"), default=dict)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(_("run at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    archive_record = models.ForeignKey(
        "archive.ArchiveRecord",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("archive record"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["unit", "-year"]
        verbose_name = _("low-carbon household selection")
        verbose_name_plural = _("low-carbon household selections")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="selection_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"
