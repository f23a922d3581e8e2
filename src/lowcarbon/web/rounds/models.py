"""A round (批次) of the demonstration programme: kinds open, deadlines, pinned rule editions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Kind", "Round", "RoundStatus", "Stage"]


class Kind(models.TextChoices):
    """The two kinds of demonstration; the values are the rubric scheme ids in ``data/``."""

    COMMUNITY = "community", _("low-carbon community")
    ZONE = "zone", _("low-carbon practice zone")


class Stage(models.TextChoices):
    """The three times a unit is judged on its indicator system (附件2/附件4): selected on its
    application, evaluated at mid-term (zones), accepted at the end of creation."""

    SELECTION = "selection", _("selection")
    MIDTERM = "midterm", _("mid-term evaluation")
    FINAL = "final", _("final acceptance")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Round(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    kinds = models.JSONField(_("kinds open"), default=list)
    submission_deadline = models.DateField(_("submission deadline"))
    recommendation_deadline = models.DateField(_("recommendation deadline"))
    review_deadline = models.DateField(_("review deadline"))
    # kind -> edition, e.g. {"community": "2021"}: scoring uses exactly these editions.
    rubric_editions = models.JSONField(_("rubric editions"), default=dict)
    outline_editions = models.JSONField(_("plan outline editions"), default=dict)
    factor_set_id = models.CharField(_("factor set"), max_length=100)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    # When the round's decisions were first published (公示): set by the review's publication
    # action, so pages of the round know without reaching into the review.
    published_at = models.DateTimeField(_("decisions published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return str(self.year)

    def status_label(self) -> str:
        """The round's status as people read it: 评审结果已公示 once its decisions are published."""
        if self.published_at is not None:
            return str(_("decisions published"))
        return str(self.get_status_display())

    def kind_labels(self) -> list[str]:
        return [str(Kind(kind).label) for kind in self.kinds]
