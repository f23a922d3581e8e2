"""An expert's blind scores (their draft and each submitted or revised revision) and the
panel's discussion of diverging scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.applications.models import Application
from lowcarbon.web.review.models.panels import Assignment, Panel

__all__ = [
    "Discussion",
    "DiscussionPost",
    "ExpertReview",
    "ExpertReviewRevision",
    "RevisionKind",
]


class ExpertReview(models.Model):
    """The expert's current scores of one assignment, in the answers format."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="review", verbose_name=_("assignment")
    )
    # item id -> answer, exactly as under ``items`` of an answers file.
    answers = models.JSONField(_("scores"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")

    def __str__(self) -> str:
        return str(self.assignment)


class RevisionKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    REVISED = "revised", _("revised after discussion")


class ExpertReviewRevision(models.Model):
    """One submitted state of an expert's scores: every submission (also after a reopen) and
    every revision after discussion adds a row; rows are never changed."""

    review = models.ForeignKey(
        ExpertReview, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("review")
    )
    number = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("kind"), max_length=20, choices=RevisionKind.choices)
    answers = models.JSONField(_("scores"))
    main_points = models.DecimalField(_("main points"), max_digits=7, decimal_places=2)
    bonus_points = models.DecimalField(_("bonus points"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["review", "number"]
        verbose_name = _("revision of an expert review")
        verbose_name_plural = _("revisions of expert reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="review_revision_unique_number"
            )
        ]


class Discussion(models.Model):
    """The panel's thread on one application, opened when the experts' scores diverge."""

    panel = models.ForeignKey(
        Panel, on_delete=models.PROTECT, related_name="discussions", verbose_name=_("panel")
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="+", verbose_name=_("application")
    )
    # The divergence flags that opened it, as rendered data (kind, target, values, threshold).
    flags = models.JSONField(_("divergences"), default=list)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "application"], name="discussion_unique_panel_application"
            )
        ]


class DiscussionPost(models.Model):
    discussion = models.ForeignKey(
        Discussion, on_delete=models.PROTECT, related_name="posts", verbose_name=_("discussion")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["discussion", "created_at", "pk"]
        verbose_name = _("discussion post")
        verbose_name_plural = _("discussion posts")
