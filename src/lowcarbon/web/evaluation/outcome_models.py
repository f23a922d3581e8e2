"""The outcome of a mid-term evaluation or a final acceptance (issue 16 §4) and the naming.

* :class:`AcceptanceDecision`: the bureau's decision on one frozen report scored by one panel:
  通过 / 整改后复验 / 未通过 as the round's rule gives it from the panel's aggregate, with the
  rule's checks and reasons kept as rendered data (``basis``), so the decision reads the same
  later whatever becomes of the rule files. A re-inspection after rectification is a new report
  scored by a new panel and gets its own row; earlier rows are kept (one row per report).
  ``published_at`` is set when the round's passed final decisions are published (命名).
* :class:`AcceptanceSettings`: the rule edition a round applies, per kind and stage
  (``{"community/final": "2026"}``); a pair not named uses the current edition, which is pinned
  here by the round's first decision of that pair so that every unit of the round is judged by
  the same edition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.core.acceptance import AcceptanceOutcome
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.creation.models import CreationUnit, RectificationOrder
from lowcarbon.web.review.models import Panel
from lowcarbon.web.rounds.models import Round, Stage

__all__ = ["AcceptanceDecision", "AcceptanceSettings", "OutcomeChoice"]


class OutcomeChoice(models.TextChoices):
    PASSED = AcceptanceOutcome.PASSED.value, _("passed")
    REINSPECT = AcceptanceOutcome.REINSPECT.value, _("re-inspection after rectification")
    FAILED = AcceptanceOutcome.FAILED.value, _("not passed")


OUTCOME_STAGES = (
    (Stage.MIDTERM.value, Stage.MIDTERM.label),
    (Stage.FINAL.value, Stage.FINAL.label),
)


class AcceptanceDecision(models.Model):
    unit = models.ForeignKey(
        CreationUnit,
        on_delete=models.PROTECT,
        related_name="acceptance_decisions",
        verbose_name=_("unit"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=OUTCOME_STAGES)
    # The frozen report the panel scored.
    submission = models.OneToOneField(
        Submission,
        on_delete=models.PROTECT,
        related_name="acceptance_decision",
        verbose_name=_("frozen report"),
    )
    panel = models.ForeignKey(
        Panel,
        on_delete=models.PROTECT,
        related_name="acceptance_decisions",
        verbose_name=_("panel"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=OutcomeChoice.choices)
    # kind/stage/edition of the rule applied, e.g. "community/final/2026".
    rule_ref = models.CharField(_("rule"), max_length=100)
    # The aggregate, the checks and the reasons as rendered at the decision.
    basis = models.JSONField(_("basis"), default=dict)
    reasons = models.TextField(_("reasons"), blank=True)
    improvements = models.JSONField(_("required improvements"), default=list, blank=True)
    opinion = models.TextField(_("panel's findings"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))
    published_at = models.DateTimeField(_("named at"), null=True, blank=True)
    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rectification order"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["unit", "stage", "decided_at"]
        verbose_name = _("acceptance decision")
        verbose_name_plural = _("acceptance decisions")

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_stage_display()} · {self.get_outcome_display()}"


class AcceptanceSettings(models.Model):
    round = models.OneToOneField(
        Round,
        on_delete=models.PROTECT,
        related_name="acceptance_settings",
        verbose_name=_("round"),
    )
    # "kind/stage" -> edition key of data/evaluation/acceptance_rules.yaml.
    editions = models.JSONField(_("acceptance rule editions"), default=dict)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("acceptance settings")
        verbose_name_plural = _("acceptance settings")

    def __str__(self) -> str:
        return f"{self.round}"
