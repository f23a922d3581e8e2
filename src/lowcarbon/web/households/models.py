"""The household ledger (家庭能耗台账) and the community's yearly low-carbon household selection
(低碳家庭评选, 附件4 第7项).

* :class:`Household`: a household of a community (an applicant unit), registered by its
  residents' committee (the unit's staff), with its address label, its members and, optionally,
  the resident account that keeps its ledger.
* :class:`LedgerMonth`: one month of the household's bills: electricity (kWh), natural gas (m³)
  and water (m³), where the figures came from, and a version for edits (each with a reason).
* :class:`Selection`: the year's selection as last run (its figures and every check's reason
  frozen in ``result``); once published it cannot be run again, and it is a record of the unit's
  archive with the result list attached.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.organisations.models import Organisation

__all__ = ["Household", "LedgerMonth", "LedgerSource", "Selection"]


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
    electricity_kwh = models.DecimalField(_("electricity (kWh)"), max_digits=12, decimal_places=2)
    gas_m3 = models.DecimalField(_("natural gas (m³)"), max_digits=12, decimal_places=2)
    water_m3 = models.DecimalField(_("water (m³)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=20, choices=LedgerSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
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
