"""An application (申报) of one applicant unit to one round, for one kind of demonstration.

Its parts, each with its own version so that two people editing different parts do not refuse
each other's saves:

* ``sections``: the plan's contents, element by element of the outline (附件1 / 附件3);
* ``accounting``: the baseline data, drivers, targets and tasks in the accounting input format
  (the same mapping as ``examples/*/accounting.yaml``), from which every figure is computed;
* ``answers``: the self-assessment against the round's indicator system (附件2 / 附件4), item by
  item, in the answers format (``items`` of ``examples/*/answers.yaml``);
* :class:`Evidence`: files attached to self-assessment items, identified by content hash;
* :class:`Submission`: frozen snapshots, one per submission, never changed afterwards except
  for the audited withdrawal and the district's decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.organisations.models import Organisation
from lowcarbon.web.rounds.models import Kind, Round, Stage

__all__ = [
    "EDITABLE_STATUSES",
    "Application",
    "ApplicationStatus",
    "ApplicationTask",
    "DistrictDecision",
    "Evidence",
    "Submission",
]


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for revision")
    RECOMMENDED = "recommended", _("recommended by the district")


# The applicant edits only these; everything else is frozen (a withdrawal goes back to draft).
EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})


class Application(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Applications keep the editions they were created under, even if the round changes later.
    rubric_edition = models.CharField(_("rubric edition"), max_length=20)
    outline_edition = models.CharField(_("plan outline edition"), max_length=20)
    factor_set_id = models.CharField(_("factor set"), max_length=100)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    # element id (of the outline) -> value
    sections = models.JSONField(_("plan contents"), default=dict, blank=True)
    # Optimistic concurrency: every save names the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The accounting input as data (lowcarbon.rules.activity.accounting_input_to_data); empty
    # until baseline data is entered or a workbook is imported.
    accounting = models.JSONField(_("baseline data"), default=dict, blank=True)
    accounting_version = models.PositiveIntegerField(_("baseline data version"), default=1)
    # item id -> answer mapping, as under ``items`` of an answers file.
    answers = models.JSONField(_("self-assessment"), default=dict, blank=True)
    answers_version = models.PositiveIntegerField(_("self-assessment version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-round__year", "unit__name", "kind"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "kind"], name="application_unique_round_unit_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.round} · {self.get_kind_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def evidence_path(instance: Evidence, filename: str) -> str:
    # Stored under the content hash: the name a user gave never reaches the file system.
    return f"evidence/{instance.application_id}/{instance.sha256}"


class Evidence(models.Model):
    """A file supporting one or more self-assessment items (证明材料)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("application"),
    )
    # The evidence id answers refer to (E01, E02 …), unique within the application.
    code = models.CharField(_("evidence number"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    # Item ids of the indicator system this file supports.
    items = models.JSONField(_("indicator items"), default=list, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    # What the content is (pdf, docx, xlsx, png, jpeg, geojson…), found from the bytes.
    content_kind = models.CharField(_("file type"), max_length=20)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Removing evidence from a draft keeps the row (and the file) for the audit trail.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "code"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"], name="evidence_unique_application_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class DistrictDecision(models.TextChoices):
    RECOMMENDED = "recommended", _("recommended")
    RETURNED = "returned", _("returned for revision")


class Submission(models.Model):
    """One submission of an application: the frozen snapshot of everything it contained."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("application"),
    )
    number = models.PositiveIntegerField(_("submission number"))
    # What was frozen: the application itself, or a self-evaluation report of the unit it became
    # (mid-term evaluation, final acceptance), numbered in the same sequence.
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.SELECTION
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Every input, every computed result, the editions with their content hashes and the
    # hashes of the evidence files, as submitted.
    snapshot = models.JSONField(_("snapshot"))
    # SHA-256 of the canonical JSON of ``snapshot`` (sorted keys, UTF-8, no spaces).
    snapshot_sha256 = models.CharField(_("snapshot SHA-256"), max_length=64)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    district_decision = models.CharField(
        _("district decision"), max_length=20, choices=DistrictDecision.choices, blank=True
    )
    district_comment = models.TextField(_("district comments"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "-number"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="submission_unique_application_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"


# Tasks and key projects live in their own module; imported here so that Django finds them.
from lowcarbon.web.applications.task_models import ApplicationTask  # noqa: E402
