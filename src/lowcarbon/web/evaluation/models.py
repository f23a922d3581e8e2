"""Mid-term evaluation and final acceptance (中期评估、验收, issue 16): the unit's
self-evaluation report and the district's pre-acceptance of it.

* :class:`SelfEvaluation`: the unit's report of one stage as it drafts it: its self-score
  against the indicator system it was selected under (附件2/附件4, the same edition), each item
  citing records of its archive, and the report's texts. Submitting freezes it as a
  :class:`~lowcarbon.web.applications.models.Submission` of that stage (the snapshot format of
  the application, with an ``evaluation`` part): the review's panels score that frozen report
  exactly as they scored the application.
* :class:`PreAcceptance`: the district's findings on a frozen report, item by item, and its
  recommendation: pass it on to the city (区级预验收通过) or rectify first (a rectification order
  whose items are the findings).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.applications.models import Submission
from lowcarbon.web.creation.models import CreationUnit, RectificationOrder
from lowcarbon.web.rounds.models import Stage

__all__ = [
    "EVALUATION_STAGES",
    "PreAcceptance",
    "Recommendation",
    "ReportStatus",
    "SelfEvaluation",
]

# The stages a unit reports on (selection is its application).
EVALUATION_STAGES = (
    (Stage.MIDTERM.value, Stage.MIDTERM.label),
    (Stage.FINAL.value, Stage.FINAL.label),
)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted to the district")
    RETURNED = "returned", _("to be rectified and submitted again")
    PASSED = "passed", _("passed on to the city")


class SelfEvaluation(models.Model):
    unit = models.ForeignKey(
        CreationUnit,
        on_delete=models.PROTECT,
        related_name="self_evaluations",
        verbose_name=_("unit"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=EVALUATION_STAGES)
    # item id -> answer, in the answers format; evidence codes name archive files (R12-1).
    answers = models.JSONField(_("self-score"), default=dict, blank=True)
    # summary, results, problems, next_steps: the report's own words.
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The latest frozen report (a Submission of the stage); earlier ones stay with the application.
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen report"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["unit", "stage"]
        verbose_name = _("self-evaluation report")
        verbose_name_plural = _("self-evaluation reports")
        constraints = [
            models.UniqueConstraint(fields=["unit", "stage"], name="self_evaluation_unique_stage")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_stage_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in {ReportStatus.DRAFT, ReportStatus.RETURNED}


class Recommendation(models.TextChoices):
    PASS = "pass", _("pass on to the city")
    RECTIFY = "rectify", _("rectify first")


class PreAcceptance(models.Model):
    """The district's pre-acceptance of one frozen report (区级预验收; for a zone's mid-term
    report, the district's review before the city evaluates it)."""

    submission = models.OneToOneField(
        Submission,
        on_delete=models.PROTECT,
        related_name="pre_acceptance",
        verbose_name=_("frozen report"),
    )
    unit = models.ForeignKey(
        CreationUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    # item id -> {"ok": bool, "note": str}: what the district found, item by item.
    findings = models.JSONField(_("findings"), default=dict)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rectification order"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("pre-acceptance")
        verbose_name_plural = _("pre-acceptances")


# The outcome of an evaluation and the naming live in their own module; imported here so that
# Django finds them.
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision, AcceptanceSettings  # noqa: E402, F401
