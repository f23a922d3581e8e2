"""The creation stage (创建): the units a published decision selected, their lifecycle status,
the batch's schedule as data, per-unit extensions and the filings recorded against it.

* :class:`CreationUnit`: one selected application, kept with the frozen submission the decision
  was based on (its starting point), and its lifecycle status (:mod:`.lifecycle`);
* :class:`ScheduleItem`: one date of a round's creation schedule (a deadline, or a window with
  its opening), for the kinds it concerns; defaults from ``data/creation/schedule.yaml``;
* :class:`Extension`: a later (or earlier) due date for one unit and one item, with its reason;
* :class:`Completion`: the record that a unit met one item (the filing was received).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.rounds.models import Kind, Round

__all__ = [
    "Completion",
    "CreationUnit",
    "Extension",
    "LifecycleStatus",
    "ScheduleItem",
    "ScheduleKey",
]


class LifecycleStatus(models.TextChoices):
    """The whole life of an application and of the unit it becomes (issue 15): the first four
    are read from the application and the decision; a creation unit holds one of the others."""

    APPLYING = "applying", _("applying")
    RECOMMENDED = "recommended", _("recommended by the district")
    SELECTED = "selected", _("selected")
    NOT_SELECTED = "not_selected", _("not selected")
    IN_CREATION = "in_creation", _("in creation")
    MIDTERM_EVALUATION = "midterm_evaluation", _("mid-term evaluation")
    PRE_ACCEPTANCE = "pre_acceptance", _("pre-acceptance")
    ACCEPTED = "accepted", _("accepted")
    RECTIFICATION = "rectification", _("under rectification")
    FAILED = "failed", _("not accepted")


class CreationUnit(models.Model):
    """A creation unit (创建单位): what a selected application becomes on publication."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="creation_unit",
        verbose_name=_("application"),
    )
    # The frozen snapshot the decision was based on: the unit's starting point.
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="+", verbose_name=_("submission")
    )
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=LifecycleStatus.choices,
        default=LifecycleStatus.SELECTED,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-application__round__year", "application__unit__name"]
        verbose_name = _("creation unit")
        verbose_name_plural = _("creation units")

    def __str__(self) -> str:
        return f"{self.application.unit} · {self.application.round} · {self.kind_label}"

    @property
    def kind(self) -> str:
        return self.application.kind

    @property
    def kind_label(self) -> str:
        return str(Kind(self.application.kind).label)


class ScheduleKey(models.TextChoices):
    FINAL_PLAN = "final_plan", _("final implementation plan and task list")
    WORK_PLAN = "work_plan", _("annual work plan")
    ZONE_MIDTERM_REPORT = "zone_midterm_report", _("mid-term self-evaluation report")
    ZONE_MIDTERM_EVALUATION = "zone_midterm_evaluation", _("mid-term evaluation")
    ZONE_FINAL_ACCEPTANCE = "zone_final_acceptance", _("final acceptance")
    COMMUNITY_SELF_REPORT = "community_self_report", _("self-evaluation report to the district")
    COMMUNITY_PRE_ACCEPTANCE = "community_pre_acceptance", _("district pre-acceptance")
    COMMUNITY_SITE_VISIT = "community_site_visit", _("municipal site acceptance")


class ScheduleItem(models.Model):
    """One date of a round's creation schedule: a deadline (``opens_at`` empty) or a window."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="creation_schedule", verbose_name=_("round")
    )
    # Unique within the round: the key, and the year for the yearly work plans (work_plan_2025).
    code = models.CharField(_("code"), max_length=50)
    key = models.CharField(_("item"), max_length=40, choices=ScheduleKey.choices)
    # The year an annual work plan is for; empty for the other items.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kinds = models.JSONField(_("kinds"), default=list)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["round", "due_at", "code"]
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="schedule_item_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.label}"

    @property
    def label(self) -> str:
        name = str(ScheduleKey(self.key).label)
        return f"{name} {self.year}" if self.year else name

    @property
    def is_window(self) -> bool:
        return self.opens_at is not None


class Extension(models.Model):
    """A unit's own due date for one item, granted by the bureau with a reason; the latest one
    applies. A due date that has passed can still be moved."""

    unit = models.ForeignKey(
        CreationUnit, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("unit")
    )
    item = models.ForeignKey(
        ScheduleItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    due_at = models.DateTimeField(_("new due date"))
    previous_due_at = models.DateTimeField(_("previous due date"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        ordering = ["unit", "item", "-granted_at", "-id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")


class Completion(models.Model):
    """The district or the bureau records that the unit met an item (its filing arrived)."""

    unit = models.ForeignKey(
        CreationUnit, on_delete=models.PROTECT, related_name="completions", verbose_name=_("unit")
    )
    item = models.ForeignKey(
        ScheduleItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    completed_at = models.DateTimeField(_("completed at"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["unit", "item"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(fields=["unit", "item"], name="completion_unique_unit_item")
        ]
