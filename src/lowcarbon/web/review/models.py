"""The expert review (综合评估): panels, assignments, conflicts, blind scores, discussion,
round settings and decisions.

Workflow (沪环气〔2021〕182号 工作方案 组织实施: 各区推荐 → 市局组织专家综合评估 → 择优确定 → 公示):
the administrator forms a panel of experts per round and kind, assigns each application the
district recommended to experts without a conflict of interest, every expert scores the frozen
submission item by item with the same scoring engine and rubric edition as the self-assessment,
the submitted scores are aggregated per the round's setting, divergences open a discussion,
the administrator decides and publishes.

Nothing is overwritten: an expert's submitted scores change only by an administrator's audited
reopen or by a revision after discussion, and each submission or revision is a new
:class:`ExpertReviewRevision` row.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.core.aggregation import ITEM_RANGE_SHARE, TOTAL_SPREAD_LIMIT, AggregationMethod
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.organisations.models import District
from lowcarbon.web.rounds.models import Kind, Round

__all__ = [
    "ACTIVE_STATUSES",
    "ApplicantVisibility",
    "Assignment",
    "AssignmentStatus",
    "ConflictDeclaration",
    "ConflictSource",
    "Decision",
    "DecisionOutcome",
    "Discussion",
    "DiscussionPost",
    "ExpertProfile",
    "ExpertReview",
    "ExpertReviewRevision",
    "FindingOutcome",
    "Inspection",
    "InspectionFinding",
    "InspectionPhoto",
    "Method",
    "Panel",
    "PanelVisibility",
    "ReviewSettings",
    "RevisionKind",
    "inspection_photo_path",
    "round_settings",
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


# --- site inspection (现场检查 / 交流访谈, issue 5 §6) ----------------------------------------
# The panel's visit to one application: findings and photos per item whose evaluation method
# (附件4 评价方法) includes 现场检查 or 交流访谈. They are the panel's evidence, shown to the
# panel's experts beside the item; the applicant's frozen submission never changes.


class Inspection(models.Model):
    """The panel's site inspection of one application (one per panel and application)."""

    panel = models.ForeignKey(
        Panel, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("panel")
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="+", verbose_name=_("application")
    )
    # The submission the panel scores: the inspection checks what it claims.
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="+", verbose_name=_("submission")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("site inspection")
        verbose_name_plural = _("site inspections")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "application"], name="inspection_unique_panel_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.application}"


class FindingOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("as the submission describes")
    PARTLY = "partly", _("partly as described")
    NOT_FOUND = "not_found", _("not as described")
    NOT_CHECKED = "not_checked", _("could not be checked")


class InspectionFinding(models.Model):
    """What the panel found on site for one item; changed with a version check, every change
    audited."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("site inspection"),
    )
    item_id = models.CharField(_("item"), max_length=20)
    outcome = models.CharField(
        _("result of the check"), max_length=20, choices=FindingOutcome.choices, blank=True
    )
    text = models.TextField(_("findings"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item_id"], name="inspection_finding_unique_item"
            )
        ]


def inspection_photo_path(instance: InspectionPhoto, filename: str) -> str:
    # Stored under the content hash: the name a phone gave never reaches the file system.
    extension = "png" if instance.content_kind == "png" else "jpg"
    return f"inspection/{instance.inspection.application_id}/{instance.sha256}.{extension}"


class InspectionPhoto(models.Model):
    """A photo taken on site for one item (JPEG or PNG, checked by content)."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="photos",
        verbose_name=_("site inspection"),
    )
    item_id = models.CharField(_("item"), max_length=20)
    file = models.FileField(_("file"), upload_to=inspection_photo_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("width (pixels)"))
    height = models.PositiveIntegerField(_("height (pixels)"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Removing a photo keeps the row and the file for the audit trail.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "item_id", "pk"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
