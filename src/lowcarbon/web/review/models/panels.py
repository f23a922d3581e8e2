"""Experts and panels: an expert's affiliations, the panels a round forms per kind, the
assignment of a recommended application to an expert and the conflicts of interest declared or
overridden."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.organisations.models import District
from lowcarbon.web.rounds.models import Kind, Round, Stage

__all__ = [
    "ACTIVE_STATUSES",
    "Assignment",
    "AssignmentStatus",
    "ConflictDeclaration",
    "ConflictSource",
    "ExpertProfile",
    "Panel",
]


class ExpertProfile(models.Model):
    """An expert's affiliations, from which conflicts of interest are detected (issue 5 §1)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expert_profile",
        verbose_name=_("expert"),
    )
    districts = models.ManyToManyField(
        District, blank=True, related_name="+", verbose_name=_("districts")
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    # Names of the consultancies the expert works for, one per entry.
    consultancies = models.JSONField(_("consultancies"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return str(self.user)


class Panel(models.Model):
    """A panel of experts for one round and kind of demonstration."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="panels", verbose_name=_("round")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What the panel judges: applications (selection) or the self-evaluation reports of the
    # round's creation units (mid-term evaluation, final acceptance), on the same rubric.
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.SELECTION
    )
    name = models.CharField(_("name"), max_length=200)
    deadline = models.DateField(_("scoring deadline"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="panels", verbose_name=_("experts")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-round__year", "kind", "name"]
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="panel_unique_round_name")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.name}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    DECLINED_CONFLICT = "declined_conflict", _("declined: conflict of interest")
    SCORING = "scoring", _("scoring")
    SUBMITTED = "submitted", _("submitted")
    REOPENED = "reopened", _("reopened")


# Assignments whose expert takes part in the panel's decision (a declined one does not).
ACTIVE_STATUSES = frozenset(
    {
        AssignmentStatus.ASSIGNED,
        AssignmentStatus.SCORING,
        AssignmentStatus.SUBMITTED,
        AssignmentStatus.REOPENED,
    }
)


class Assignment(models.Model):
    """One expert scoring one application's recommended submission for one panel."""

    panel = models.ForeignKey(
        Panel, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("panel")
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="+", verbose_name=_("application")
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="+", verbose_name=_("submission")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("expert"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["panel", "application", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "application", "expert"],
                name="assignment_unique_panel_application_expert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.application} · {self.expert}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("declared by the expert")
    DETECTED = "detected", _("detected automatically")


class ConflictDeclaration(models.Model):
    """A conflict of interest between an expert and an application, declared or detected;
    a detected one may be overridden by an administrator with a reason."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("expert"),
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="+", verbose_name=_("application")
    )
    source = models.CharField(_("source"), max_length=20, choices=ConflictSource.choices)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "expert", "pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
