"""Tasks and key projects of an application (任务和重点项目), one record each.

They are the one source of the application's tasks: the accounting input's tasks and reduction
activities, the plan's lists and tables of 三、2./三、3., the task list and the work plans are all
made from these records (:mod:`lowcarbon.web.applications.tasks`). Each record says what the
task is (field, content, responsible unit, years, budget, flags), how its reduction arises (a
stated tCO₂ a year, or activities × factors as :class:`lowcarbon.core.activity.ReductionActivity`
models them, stored in the accounting's data format) and, once the application's unit is in
creation, how far it has come (status, percent complete, achieved reduction, a note).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.core.activity import Domain
from lowcarbon.web.applications.models import Application

__all__ = ["DOMAIN_CHOICES", "ApplicationTask", "TaskStatus"]

DOMAIN_CHOICES = [
    (Domain.ENERGY.value, _("energy")),
    (Domain.BUILDINGS.value, _("buildings")),
    (Domain.TRANSPORT.value, _("transport")),
    (Domain.GOVERNANCE.value, _("governance and organisation")),
    (Domain.BEHAVIOUR.value, _("low-carbon culture and behaviour")),
    (Domain.WASTE.value, _("waste")),
    (Domain.GREENING.value, _("greening")),
    (Domain.DEMONSTRATION.value, _("demonstration projects")),
]


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    # Not "in progress": that id is a document being generated (生成中).
    IN_PROGRESS = "in_progress", _("under way")
    DONE = "done", _("completed")
    LAGGING = "lagging", _("lagging behind")
    CANCELLED = "cancelled", _("cancelled")


class ApplicationTask(models.Model):
    """One main task or key project of an application."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="task_records",
        verbose_name=_("application"),
    )
    # The task's id in the accounting (Z01, T03 …), unique within the application.
    code = models.CharField(_("task number"), max_length=20)
    position = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(_("field"), max_length=20, choices=DOMAIN_CHOICES)
    content = models.TextField(_("main content"), blank=True)
    responsible = models.CharField(_("responsible unit"), max_length=200, blank=True)
    start_year = models.PositiveIntegerField(_("start year"))
    end_year = models.PositiveIntegerField(_("end year"), null=True, blank=True)
    ramp_years = models.PositiveIntegerField(_("years to full effect"), default=1)
    budget_10k_yuan = models.DecimalField(
        _("budget (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    key_project = models.BooleanField(_("key project"), default=False)
    near_zero = models.BooleanField(_("near-zero-carbon demonstration"), default=False)
    # What it acts on: "category/sector" keys of the accounting (electricity/residential …).
    acts_on = models.JSONField(_("acts on"), default=list, blank=True)
    # The reduction a person states (tCO₂ a year at full effect); None: not stated.
    stated_reduction_tco2 = models.DecimalField(
        _("stated reduction (tCO2/yr)"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    adds_renewable_kwh = models.DecimalField(
        _("new renewable electricity (kWh/yr)"), max_digits=16, decimal_places=3, default=0
    )
    adds_sink_tco2 = models.DecimalField(
        _("new sequestration (tCO2/yr)"), max_digits=14, decimal_places=3, default=0
    )
    # How the reduction arises: the accounting's ``reductions`` entries of this task (without
    # the ``task`` key), each an activity avoided or added a year × its factor.
    activities = models.JSONField(_("reduction activities"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Creation-stage tracking, changed only by the creation unit.
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    achieved_reduction_tco2 = models.DecimalField(
        _("achieved reduction (tCO2/yr)"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    tracking_note = models.TextField(_("progress note"), blank=True)
    # Evidence for the progress: a free note until the records archive links its entries.
    evidence_note = models.TextField(_("evidence"), blank=True)
    tracking_version = models.PositiveIntegerField(_("progress version"), default=1)
    tracked_at = models.DateTimeField(_("progress updated at"), null=True, blank=True)
    tracked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["application", "position", "code"]
        verbose_name = _("task or key project")
        verbose_name_plural = _("tasks and key projects")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"], name="application_task_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
