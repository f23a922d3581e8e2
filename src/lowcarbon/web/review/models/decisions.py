"""The round's review settings (aggregation method, divergence thresholds, who sees what) and
the administrator's decision on each application."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.core.aggregation import ITEM_RANGE_SHARE, TOTAL_SPREAD_LIMIT, AggregationMethod
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.rounds.models import Round

__all__ = [
    "ApplicantVisibility",
    "Decision",
    "DecisionOutcome",
    "Method",
    "MethodChoice",
    "PanelVisibility",
    "ReviewSettings",
    "round_settings",
]


Method = AggregationMethod


class MethodChoice(models.TextChoices):
    MEAN = AggregationMethod.MEAN.value, _("mean")
    TRIMMED_MEAN = (
        AggregationMethod.TRIMMED_MEAN.value,
        _("trimmed mean (highest and lowest dropped from five experts on)"),
    )
    MEDIAN = AggregationMethod.MEDIAN.value, _("median")


class PanelVisibility(models.TextChoices):
    AFTER_ALL_SUBMITTED = "after_all_submitted", _("after every expert of the panel submitted")
    AFTER_OWN_SUBMITTED = "after_own_submitted", _("after the expert's own submission")


class ApplicantVisibility(models.TextChoices):
    DECISION_ONLY = "decision_only", _("the decision only")
    AGGREGATE = "aggregate", _("the decision and the aggregated scores")
    AGGREGATE_AND_COMMENTS = (
        "aggregate_and_comments",
        _("the decision, the aggregated scores and the experts' comments (without names)"),
    )


class ReviewSettings(models.Model):
    """What the round's review does; a round without a row uses the defaults below.

    The defaults are those of issue 5: divergence when "an item's range [is] above half its
    points, or totals more than 15 points apart" (the same constants as
    ``lowcarbon.core.aggregation``); "panel sees the panel's scores after all have submitted;
    applicants see aggregated scores and comments after publication"."""

    round = models.OneToOneField(
        Round, on_delete=models.PROTECT, related_name="review_settings", verbose_name=_("round")
    )
    method = models.CharField(
        _("aggregation method"),
        max_length=20,
        choices=MethodChoice.choices,
        default=MethodChoice.MEAN,
    )
    item_range_share = models.DecimalField(
        _("item divergence: range above this share of the item's points"),
        max_digits=4,
        decimal_places=2,
        default=ITEM_RANGE_SHARE,
    )
    total_spread_limit = models.DecimalField(
        _("total divergence: main totals more than this many points apart"),
        max_digits=5,
        decimal_places=1,
        default=TOTAL_SPREAD_LIMIT,
    )
    panel_visibility = models.CharField(
        _("the panel sees the other experts' scores"),
        max_length=30,
        choices=PanelVisibility.choices,
        default=PanelVisibility.AFTER_ALL_SUBMITTED,
    )
    applicant_visibility = models.CharField(
        _("after publication applicants see"),
        max_length=30,
        choices=ApplicantVisibility.choices,
        default=ApplicantVisibility.AGGREGATE_AND_COMMENTS,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    @property
    def aggregation_method(self) -> AggregationMethod:
        return AggregationMethod(self.method)

    @property
    def thresholds(self) -> tuple[Decimal, Decimal]:
        return Decimal(self.item_range_share), Decimal(self.total_spread_limit)


class DecisionOutcome(models.TextChoices):
    SELECTED = "selected", _("selected")
    NOT_SELECTED = "not_selected", _("not selected")


class Decision(models.Model):
    """The bureau's decision on one application, with the aggregate it was based on."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="review_decision",
        verbose_name=_("application"),
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="+", verbose_name=_("submission")
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=DecisionOutcome.choices)
    reasons = models.TextField(_("reasons"))
    # The aggregate and rank at the time of the decision (main, bonus, total, rank, method,
    # the revisions it was computed from), so the decision keeps its basis.
    basis = models.JSONField(_("basis"), default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["application"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def round_settings(round_: Round) -> ReviewSettings:
    """The round's review settings: its stored row, or the defaults (unsaved) when none."""
    found = ReviewSettings.objects.filter(round=round_).first()
    return found if found is not None else ReviewSettings(round=round_)
