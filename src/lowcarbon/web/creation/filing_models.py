"""Filings of the creation stage (issue 15 §3, §4): what a creation unit files against its
schedule and the district or the bureau acknowledges (确认收到) or returns (退回).

* :class:`Filing`: one numbered revision of a filing — the final implementation plan with its
  task list, a year's work plan, or the progress report of a past year. A draft is edited; on
  submission its content is frozen (a snapshot with its SHA-256) and never changes again; a
  returned or acknowledged filing is revised as the next number, the earlier ones kept.
* :class:`FilingPolicy`: the round's setting for late filings (accepted and marked late, or
  refused after a hard deadline), defaults from ``data/creation/schedule.yaml``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.creation.models import Completion, CreationUnit, ScheduleItem
from lowcarbon.web.rounds.models import Round

__all__ = ["Filing", "FilingKind", "FilingPolicy", "FilingStatus", "LateFilings"]


class FilingKind(models.TextChoices):
    FINAL_PLAN = "final_plan", _("final implementation plan and task list")
    WORK_PLAN = "work_plan", _("annual work plan")
    PROGRESS_REPORT = "progress_report", _("annual progress report")


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("filed, waiting for review")
    RETURNED = "returned", _("returned")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")


class Filing(models.Model):
    unit = models.ForeignKey(
        CreationUnit, on_delete=models.PROTECT, related_name="filings", verbose_name=_("unit")
    )
    kind = models.CharField(_("filing"), max_length=20, choices=FilingKind.choices)
    # A work plan's year; the year a progress report reports on; empty for the final plan.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # The schedule item whose due date applies (a progress report: the next year's work plan).
    item = models.ForeignKey(
        ScheduleItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    status = models.CharField(
        _("status"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    # What the unit edits while the revision is a draft.
    content = models.JSONField(_("content"), default=dict, blank=True)
    # Frozen on submission, with the SHA-256 of its canonical JSON.
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    snapshot_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    # The unit's due date when it filed (its extension, else the schedule's).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    late = models.BooleanField(_("filed late"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("comment"), blank=True)
    completion = models.ForeignKey(
        Completion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["unit", "kind", "year", "number"]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "number"], name="filing_unique_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.title}"

    @property
    def title(self) -> str:
        name = str(FilingKind(self.kind).label)
        year = f"{self.year} " if self.year else ""
        return f"{year}{name} ({self.number})"

    @property
    def is_frozen(self) -> bool:
        return self.status != FilingStatus.DRAFT


class LateFilings(models.TextChoices):
    ACCEPT = "accept", _("accepted and marked late")
    REFUSE = "refuse", _("refused after the hard deadline")


class FilingPolicy(models.Model):
    """The round's setting for filings after their due date."""

    round = models.OneToOneField(
        Round, on_delete=models.PROTECT, related_name="filing_policy", verbose_name=_("round")
    )
    late_filings = models.CharField(
        _("late filings"), max_length=10, choices=LateFilings.choices, default=LateFilings.ACCEPT
    )
    # Refusing: still accepted (and marked late) this many days after the due date.
    grace_days = models.PositiveSmallIntegerField(_("days accepted after the due date"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("filing policy")
        verbose_name_plural = _("filing policies")
