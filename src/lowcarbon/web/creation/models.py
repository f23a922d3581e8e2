"""The creation stage (创建): the units a published decision selected, their lifecycle status,
the batch's schedule as data, per-unit extensions and the filings recorded against it.

* :class:`CreationUnit`: one selected application, kept with the frozen submission the decision
  was based on (its starting point), and its lifecycle status (:mod:`.lifecycle`);
* :class:`ScheduleItem`: one date of a round's creation schedule (a deadline, or a window with
  its opening), for the kinds it concerns; defaults from ``data/creation/schedule.yaml``;
* :class:`Extension`: a later (or earlier) due date for one unit and one item, with its reason;
* :class:`Completion`: the record that a unit met one item (the filing was received);
* :class:`RectificationOrder` (整改通知) with its :class:`RectificationItem` rows, the unit's
  :class:`RectificationAnswer` to each item in each round and the files it attached
  (:class:`RectificationFile`, checked by content and stored under their hash).
"""

from __future__ import annotations

from datetime import datetime

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
    "RectificationAnswer",
    "RectificationFile",
    "RectificationItem",
    "RectificationOrder",
    "RectificationStatus",
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


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("to be answered")
    ANSWERED = "answered", _("answered, waiting for review")
    RETURNED = "returned", _("returned for another round")
    CLOSED = "closed", _("order closed")


class RectificationOrder(models.Model):
    """A rectification order (整改通知) of the unit's district or of the bureau: items to put
    right by a deadline (its day's 23:59:59 Asia/Shanghai). Issuing it moves the unit to
    整改中; closing it moves the unit back to ``previous_status``."""

    unit = models.ForeignKey(
        CreationUnit,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("unit"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    # 1 for the first answers; each return opens the next round.
    round_number = models.PositiveSmallIntegerField(_("round"), default=1)
    # The unit's status when the order was issued: closing the order returns it there.
    previous_status = models.CharField(
        _("status before"), max_length=30, choices=LifecycleStatus.choices
    )
    # Each return: {"round", "comment", "deadline", "previous_deadline", "at", "by"}.
    returns = models.JSONField(_("returns"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("answers submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["unit", "-issued_at", "-id"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")

    def __str__(self) -> str:
        return f"{self.unit} · {self.issued_at:%Y-%m-%d}"

    @property
    def due_at(self) -> datetime:
        from lowcarbon.web.creation.schedule import close_of

        return close_of(self.deadline)

    @property
    def is_answerable(self) -> bool:
        return self.status in (RectificationStatus.OPEN, RectificationStatus.RETURNED)


class RectificationItem(models.Model):
    """One problem found, what is required and on what basis."""

    order = models.ForeignKey(
        RectificationOrder, on_delete=models.PROTECT, related_name="items", verbose_name=_("order")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    problem = models.TextField(_("problem found"))
    requirement = models.TextField(_("what is required"))
    basis = models.TextField(_("reason or basis"), blank=True)

    class Meta:
        ordering = ["order", "number"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "number"], name="rectification_item_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.problem[:40]}"


class RectificationAnswer(models.Model):
    """The unit's answer to one item in one round; frozen once the answers are submitted,
    kept (with the issuer's comment) when the order is returned for another round."""

    item = models.ForeignKey(
        RectificationItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item")
    )
    round_number = models.PositiveSmallIntegerField(_("round"))
    text = models.TextField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"))
    # The issuer's comment on this answer when the order was returned.
    return_comment = models.TextField(_("comment on return"), blank=True)

    class Meta:
        ordering = ["item", "round_number"]
        verbose_name = _("rectification answer")
        verbose_name_plural = _("rectification answers")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "round_number"], name="rectification_answer_unique_round"
            )
        ]


def rectification_path(instance: RectificationFile, filename: str) -> str:
    # Stored under the content hash: the name a user gave never reaches the file system.
    return f"rectification/{instance.unit_id}/{instance.sha256}"


class RectificationFile(models.Model):
    """An evidence file of an answer, its type found from its content."""

    answer = models.ForeignKey(
        RectificationAnswer,
        on_delete=models.PROTECT,
        related_name="files",
        verbose_name=_("answer"),
    )
    unit = models.ForeignKey(CreationUnit, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=rectification_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_kind = models.CharField(_("file type"), max_length=20)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["answer", "id"]
        verbose_name = _("rectification file")
        verbose_name_plural = _("rectification files")


# The filings (issue 15 §3, §4) live in their own module; imported here so that Django finds them.
from lowcarbon.web.creation.filing_models import (  # noqa: E402
    Filing,
    FilingKind,
    FilingPolicy,
    FilingStatus,
    LateFilings,
)

__all__ += ["Filing", "FilingKind", "FilingPolicy", "FilingStatus", "LateFilings"]
