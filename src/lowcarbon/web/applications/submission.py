"""Submitting an application: the pre-submission check, the frozen snapshot, the withdrawal and
the district's decision, each an audited action.

What the programme asks for (沪环气〔2021〕182号 工作方案 组织实施): the applicant submits its
implementation plan and self-assessment by the round's deadline; the district bureau checks
and recommends its district's applications. Here a submission freezes a snapshot of every
input, every computed result, the rule editions with their content hashes and the hashes of
the evidence files; its SHA-256 (of the canonical JSON) is stored beside it, so anyone can later
show that what the district recommended and the experts scored is what was submitted.

A snapshot is never changed. The only changes to a :class:`Submission` afterwards are the
audited withdrawal (with a reason, before the submission deadline, while the district has not
decided) and the district's decision (returned with comments, or recommended).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message
from lowcarbon.core.outline import check_completeness
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ItemStatus, ScoreResult
from lowcarbon.rules.application_file import outline_content_hash
from lowcarbon.rules.snapshot import (
    SNAPSHOT_FORMAT,
    AccountingFigures,
    ApplicationRef,
    Comparison,
    Edition,
    Editions,
    EvidenceEntry,
    FactorSetEdition,
    FrozenScore,
    IndicatorFigure,
    InventoryFigures,
    ItemScore,
    Person,
    PoolScore,
    RoundRef,
    SectionScore,
    Snapshot,
    SnapshotWarning,
    TargetCheckFigures,
    TargetFigures,
    TaskRecord,
    UnitRef,
    Versions,
    YearIndicators,
    canonical_json,
    snapshot_data,
    snapshot_from_data,
    snapshot_sha256,
)
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.assessment import running_total
from lowcarbon.web.applications.models import (
    Application,
    ApplicationStatus,
    DistrictDecision,
    Evidence,
    Submission,
)
from lowcarbon.web.applications.outlines import (
    application_outline,
    is_editable,
    is_generated,
    local,
)
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.rounds.models import RoundStatus, Stage

__all__ = [
    "COMMENT_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "SNAPSHOT_FORMAT",
    "Check",
    "Gap",
    "accounting_figures",
    "canonical_json",
    "check_application",
    "district_submissions",
    "do_district_decide",
    "do_submit",
    "do_withdraw",
    "draft_snapshot",
    "frozen_score",
    "frozen_snapshot",
    "gap_text",
    "outline_sha256",
    "part_versions",
    "snapshot_sha256",
    "task_records",
]

REASON_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 5000

SUBMITTED = "application_submitted"
WITHDRAWN = "application_withdrawn"
DECIDED = {
    DistrictDecision.RECOMMENDED: "application_recommended",
    DistrictDecision.RETURNED: "application_returned",
}


# --- the frozen snapshot, typed -------------------------------------------------------------


def frozen_snapshot(submission: Submission) -> Snapshot:
    """The typed snapshot a submission keeps (format 1, :mod:`lowcarbon.rules.snapshot`),
    read once per loaded submission: the review asks for its parts many times a page."""
    cached = submission.__dict__.get("_frozen_snapshot")
    if cached is not None and cached[0] is submission.snapshot:
        return cast(Snapshot, cached[1])
    snapshot = snapshot_from_data(submission.snapshot, source=f"submission {submission.number}")
    submission.__dict__["_frozen_snapshot"] = (submission.snapshot, snapshot)
    return snapshot


def outline_sha256(kind: str, edition: str) -> str:
    return outline_content_hash(kind, edition)


def part_versions(application: Application) -> dict[str, int]:
    """The version counter of each part: what a person saw when they checked."""
    return {
        "sections": application.version,
        "accounting": application.accounting_version,
        "answers": application.answers_version,
    }


# --- the pre-submission check ----------------------------------------------------------------

# Groups, in the order the page lists them, named like the workspace tabs.
GROUPS = {
    "outline": gettext_lazy("Plan contents"),
    "baseline": gettext_lazy("Baseline data"),
    "assessment": gettext_lazy("Self-assessment"),
    "evidence": gettext_lazy("Evidence files"),
}

# code -> (group, text); texts take their fields from ``Gap.params`` resolved by gap_text, so a
# snapshot keeps ids (language-independent) and each reader sees its own language.
_GAP_TEXTS: dict[str, tuple[str, Any]] = {
    "outline_missing": (
        "outline",
        gettext_lazy("Section {section}: the required element “{element}” is not filled in."),
    ),
    "outline_no_editor": (
        "outline",
        gettext_lazy(
            "Section {section}: the required element “{element}” (a table or list) cannot be "
            "entered on the platform yet; make sure the plan document contains it."
        ),
    ),
    "no_baseline": (
        "baseline",
        gettext_lazy("No baseline data has been entered: the carbon accounting cannot be done."),
    ),
    "accounting_error": (
        "baseline",
        gettext_lazy("The carbon accounting cannot be computed from the baseline data: {problem}"),
    ),
    "draft_inventory": (
        "baseline",
        gettext_lazy(
            "The {year} inventory is a draft, not final (some required data is missing): {gaps}"
        ),
    ),
    "unanswered": (
        "assessment",
        gettext_lazy("{count} indicator items are not answered and count 0 points: {items}."),
    ),
    "answer_problem": (
        "assessment",
        gettext_lazy("The self-assessment cannot be scored: {problem}"),
    ),
    "evidence_gone": (
        "evidence",
        gettext_lazy(
            "Item {item} cites evidence {evidence}, which is not among the application's "
            "evidence files (removed or never uploaded)."
        ),
    ),
    "no_evidence": (
        "evidence",
        gettext_lazy(
            "{count} items claim points without evidence and therefore score 0 (附件4 注): {items}."
        ),
    ),
}


@dataclass(frozen=True)
class Gap:
    """One thing missing before submission: blocking (submission refused) or a warning."""

    code: str
    blocking: bool
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""

    @property
    def group(self) -> str:
        return _GAP_TEXTS[self.code][0]

    def as_warning(self) -> SnapshotWarning:
        """What a snapshot keeps of a warning: its code and ids, no rendered text."""
        return SnapshotWarning(self.code, self.params)


def _item_names(rubric: Rubric, ids: list[str]) -> str:
    """A few items with their titles; many by their numbers only (the official titles are
    long, and the self-assessment page lists them in full)."""
    if len(ids) > 3:
        return "、".join(ids)
    names = []
    for item_id in ids:
        item = rubric.item(item_id)
        names.append(f"{item_id}（{local(item.title)}）" if item is not None else item_id)
    return "；".join(names)


def gap_text(application: Application, code: str, params: Mapping[str, Any]) -> str:
    """The sentence for a gap in the current language, labels looked up from the ids."""
    template = _GAP_TEXTS.get(code, (None, None))[1]
    if template is None:
        return code
    values: dict[str, Any] = dict(params)
    if code in {"outline_missing", "outline_no_editor"}:
        outline = application_outline(application)
        section = outline.section(str(params.get("section")))
        element = outline.element(str(params.get("element")))
        values["section"] = (
            f"{section.id} {local(section.title)}" if section else params.get("section")
        )
        values["element"] = local(element.label) if element else params.get("element")
    elif code in {"unanswered", "no_evidence"}:
        rubric = computing.rubric_of(application.kind, application.rubric_edition)
        items = [str(i) for i in params.get("items", [])]
        values["items"] = _item_names(rubric, items)
        values["count"] = len(items)
    elif code == "draft_inventory":
        values["gaps"] = "；".join(str(g) for g in params.get("gaps", [])) or "—"
    return str(template).format(**values)


@dataclass(frozen=True)
class Check:
    """Everything the pre-submission page shows, and what ``do_submit`` refuses on."""

    gaps: tuple[Gap, ...]
    accounting: AccountingResult | None
    score: ScoreResult | None
    unanswered: tuple[str, ...] = ()

    @property
    def blocking(self) -> tuple[Gap, ...]:
        return tuple(gap for gap in self.gaps if gap.blocking)

    @property
    def warnings(self) -> tuple[Gap, ...]:
        return tuple(gap for gap in self.gaps if not gap.blocking)


def _outline_gaps(application: Application) -> list[Gap]:
    outline = application_outline(application)
    report = check_completeness(outline, application.sections)
    gaps = []
    for entry in report.missing:
        section, element = entry.section, entry.element
        editable = is_editable(element)
        url = (
            reverse("applications:edit_section", args=[application.pk, section.id])
            if editable
            else reverse("applications:workspace", args=[application.pk]) + f"#section-{section.id}"
        )
        if is_generated(element):
            # Made from the tasks and key projects: they are entered on their own page.
            editable, url = True, reverse("applications:tasks", args=[application.pk])
        # A required element nobody can enter yet must not make submission impossible: the
        # platform says so and the plan document carries it (tables and lists get editors later).
        gaps.append(
            Gap(
                "outline_missing" if editable else "outline_no_editor",
                blocking=editable,
                params={"section": section.id, "element": element.id},
                url=url,
            )
        )
    return gaps


def _in_chinese(messages: Iterable[Message]) -> list[str]:
    """Engine messages in Chinese, the working language, whoever is reading: a snapshot that
    keeps them must not depend on the language of the person who submitted."""
    with translation.override(settings.LANGUAGE_CODE):
        return [message.render(_) for message in messages]


def _accounting_gaps(application: Application) -> tuple[list[Gap], AccountingResult | None]:
    baseline = reverse("applications:baseline", args=[application.pk])
    if not application.accounting:
        return [Gap("no_baseline", blocking=True, url=baseline)], None
    try:
        result = computing.accounting_result(application)
    except LowcarbonError as error:
        problem = error.message.render(_)
        return [Gap("accounting_error", True, {"problem": problem}, baseline)], None
    assert result is not None
    results = reverse("applications:results", args=[application.pk])
    gaps = [
        Gap(
            "draft_inventory",
            blocking=False,
            params={
                "year": inventory.year,
                "gaps": _in_chinese(inventory.completeness.gaps()),
            },
            url=results,
        )
        for inventory in result.inventories
        if not inventory.is_final
    ]
    return gaps, result


def _assessment_gaps(
    application: Application,
) -> tuple[list[Gap], ScoreResult | None, tuple[str, ...]]:
    rubric = computing.rubric_of(application.kind, application.rubric_edition)
    assessment = reverse("applications:assessment", args=[application.pk])
    answers: Mapping[str, Any] = application.answers or {}
    present = set(
        application.evidence.filter(removed_at__isnull=True).values_list("code", flat=True)
    )
    gaps = [
        Gap("evidence_gone", True, {"item": item.id, "evidence": code}, assessment)
        for item in rubric.items()
        for code in (answers.get(item.id) or {}).get("evidence") or ()
        if code not in present
    ]
    if gaps:
        return gaps, None, ()
    try:
        # The same running total the self-assessment page shows: an item not answered counts
        # 0 points (and never trips a section constraint); fully answered, it is exactly
        # computing.score_result.
        total = running_total(application)
    except LowcarbonError as error:
        problem = error.message.render(_)
        return [Gap("answer_problem", True, {"problem": problem}, assessment)], None, ()
    if total.unanswered:
        gaps.append(Gap("unanswered", False, {"items": list(total.unanswered)}, assessment))
    without = [
        result.item.id
        for section in total.result.sections
        for result in section.items
        if result.status is ItemStatus.ZEROED_NO_EVIDENCE and result.item.id not in total.unanswered
    ]
    if without:
        gaps.append(Gap("no_evidence", False, {"items": without}, assessment))
    return gaps, total.result, total.unanswered


def check_application(application: Application) -> Check:
    """Everything missing before ``application`` can be submitted, in the order of the tabs.

    Blocking: required outline elements people can enter, no baseline data (or data that does
    not compute), answers citing evidence files that are gone. Warnings (the application can
    still be submitted; the snapshot records them and the district sees them): required
    elements with no editor yet, a draft inventory, items not answered (0 points), points
    claimed without evidence (0 points, 附件4 注).
    """
    outline = _outline_gaps(application)
    accounting, result = _accounting_gaps(application)
    assessment, score, unanswered = _assessment_gaps(application)
    gaps = sorted(
        (*outline, *accounting, *assessment), key=lambda gap: list(GROUPS).index(gap.group)
    )
    return Check(tuple(gaps), result, score, unanswered)


# --- the snapshot ----------------------------------------------------------------------------


def accounting_figures(result: AccountingResult) -> AccountingFigures:
    """The key figures of the accounting, exact; the inputs are in the snapshot too, so every
    line can be recomputed under the pinned factor set."""
    forecast = result.forecast
    comparison = result.comparison
    return AccountingFigures(
        final=result.is_final,
        factor_set=result.input.factor_set,
        inventories=tuple(
            InventoryFigures(
                year=inventory.year,
                final=inventory.is_final,
                gross_tco2=inventory.gross_tco2,
                sinks_tco2=inventory.sinks_tco2,
                total_tce=inventory.total_tce,
                by_scope={str(int(scope)): v for scope, v in inventory.by_scope.items()},
                by_category={key.value: v for key, v in inventory.by_category.items()},
                by_sector={key.value: v for key, v in inventory.by_sector.items()},
            )
            for inventory in result.inventories
        ),
        indicators=tuple(
            YearIndicators(
                year=indicators.year,
                values={
                    indicator.id.value: IndicatorFigure(indicator.value, indicator.unit)
                    for indicator in indicators
                },
            )
            for indicators in result.indicators
        ),
        comparison=None
        if comparison is None
        else Comparison(
            base_year=comparison.base_year,
            year=comparison.current_year,
            decline_rate=comparison.decline_rate.value,
            per_capita_decline_rate=comparison.per_capita_decline_rate.value,
        ),
        targets=None
        if forecast is None
        else TargetFigures(
            checks=tuple(
                TargetCheckFigures(
                    kind=check.target.kind.value,
                    year=check.target.year,
                    value=check.target.value,
                    reached=check.reached,
                    met=check.met,
                    margin=check.margin,
                )
                for check in forecast.targets.checks
            ),
            consistency=forecast.targets.consistency,
        ),
    )


def score_total(score: ScoreResult) -> Decimal:
    """Main points and bonus points together, as the ranking adds them (附件4: 100 + 20)."""
    return sum((pool.points for pool in score.pools), Decimal(0))


def frozen_score(score: ScoreResult, unanswered: Iterable[str]) -> FrozenScore:
    unanswered = set(unanswered)
    return FrozenScore(
        rubric=score.rubric_ref,
        rubric_sha256=score.rubric_hash,
        total=score_total(score),
        pools={
            pool.pool.value: PoolScore(pool.points, pool.maximum, pool.raw) for pool in score.pools
        },
        sections={
            section.section.id: SectionScore(section.points, section.maximum)
            for section in score.sections
        },
        items={
            result.item.id: ItemScore(
                result.points,
                result.maximum,
                "unanswered" if result.item.id in unanswered else result.status.value,
            )
            for section in score.sections
            for result in section.items
        },
    )


def _file_sha256(evidence: Evidence) -> str | None:
    """The hash of the stored bytes, read now; ``None`` when the file cannot be read."""
    digest = hashlib.sha256()
    try:
        with evidence.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _evidence_entry(evidence: Evidence) -> EvidenceEntry:
    return EvidenceEntry(
        code=evidence.code,
        title=evidence.title,
        items=tuple(evidence.items),
        original_name=evidence.original_name,
        content_kind=evidence.content_kind,
        size=evidence.size,
        sha256=evidence.sha256,
    )


def _evidence_data(application: Application, *, verify: bool) -> tuple[EvidenceEntry, ...]:
    """The current evidence files. With ``verify`` each stored file is read and checked against
    the hash recorded at upload: a file missing from storage or changed since is refused rather
    than frozen under a false hash."""
    entries, problems = [], []
    for evidence in application.evidence.filter(removed_at__isnull=True).order_by("code"):
        found = _file_sha256(evidence) if verify else evidence.sha256
        if found is None:
            problems.append(
                _("Evidence {code} ({name}): the stored file cannot be read.").format(
                    code=evidence.code, name=evidence.original_name
                )
            )
        elif found != evidence.sha256:
            problems.append(
                _(
                    "Evidence {code} ({name}): the stored file has changed since it was uploaded "
                    "(SHA-256 {found}, recorded {expected})."
                ).format(
                    code=evidence.code,
                    name=evidence.original_name,
                    found=found[:12],
                    expected=evidence.sha256[:12],
                )
            )
        entries.append(_evidence_entry(evidence))
    if problems:
        raise ValidationError({"__all__": problems})
    return tuple(entries)


def task_records(application: Application) -> tuple[TaskRecord, ...]:
    """The application's tasks and key projects as the plan states them (their creation-stage
    progress is not part of the plan and is not frozen)."""
    return tuple(
        TaskRecord(
            code=task.code,
            name=task.name,
            domain=task.domain,
            content=task.content,
            responsible=task.responsible,
            start_year=task.start_year,
            end_year=task.end_year,
            budget_10k_yuan=task.budget_10k_yuan,
            key_project=task.key_project,
            near_zero=task.near_zero,
            stated_reduction_tco2=task.stated_reduction_tco2,
        )
        for task in ApplicationTask.objects.filter(application=application).order_by(
            "position", "code"
        )
    )


def _snapshot(
    application: Application,
    check: Check,
    *,
    submission: Submission | None,
    actor: User | None,
) -> Snapshot:
    """The snapshot (format 1) of ``application`` as it stands: a submission's when
    ``submission`` is given, else a draft's (see :func:`draft_snapshot`)."""
    rubric = computing.rubric_of(application.kind, application.rubric_edition)
    factor_set = computing.factor_library().factor_set(application.factor_set_id)
    return Snapshot(
        format=SNAPSHOT_FORMAT,
        application=ApplicationRef(
            id=application.pk,
            kind=application.kind,
            round=RoundRef(id=application.round_id, year=application.round.year),
            unit=UnitRef(
                id=application.unit_id,
                name=application.unit.name,
                district_id=application.unit.district_id,
            ),
        ),
        number=None if submission is None else submission.number,
        submitted_at=None if submission is None else submission.submitted_at,
        submitted_by=None
        if actor is None
        else Person(id=actor.pk, username=actor.get_username(), name=actor.get_full_name()),
        versions=Versions(**part_versions(application)),
        editions=Editions(
            rubric=Edition(application.kind, application.rubric_edition, rubric.content_hash),
            outline=Edition(
                application.kind,
                application.outline_edition,
                outline_sha256(application.kind, application.outline_edition),
            ),
            factor_set=FactorSetEdition(factor_set.id, factor_set.content_hash),
        ),
        sections=application.sections,
        accounting=application.accounting,
        accounting_result=None
        if check.accounting is None
        else accounting_figures(check.accounting),
        answers=application.answers,
        score=None if check.score is None else frozen_score(check.score, check.unanswered),
        evidence=_evidence_data(application, verify=submission is not None),
        # A submission has passed the check, so only warnings remain; a draft lists every gap.
        warnings=tuple(
            gap.as_warning() for gap in (check.gaps if submission is None else check.warnings)
        ),
        tasks=task_records(application),
    )


def _build_snapshot(
    application: Application, submission: Submission, check: Check, actor: User
) -> Snapshot:
    assert check.score is not None  # a check without blocking gaps has a score
    return _snapshot(application, check, submission=submission, actor=actor)


def draft_snapshot(application: Application) -> Snapshot:
    """The application as it stands, in the snapshot format of a submission (format 1), so that a
    draft's documents are made exactly like a frozen submission's (issue 6).

    It differs from a submission's only where a draft must: no number and nobody who submitted
    (``None``); every gap of the check, blocking ones included, as warnings; no score or
    accounting result when they cannot be computed yet; the evidence files with the hashes
    recorded at upload (a submission re-reads every stored file; a draft's snapshot is made on
    every visit of the documents page to recognise stale documents, and must stay cheap). Nothing
    in it depends on the time, so the same contents always give the same hash.
    """
    return _snapshot(application, check_application(application), submission=None, actor=None)


# --- actions ---------------------------------------------------------------------------------


def _deadline_passed(deadline: date) -> bool:
    return timezone.localdate() > deadline


def _own_unit_error(actor: User, application: Application) -> str | None:
    if actor.role != Role.APPLICANT or actor.organisation_id != application.unit_id:
        return _("Only the applicant unit's own people can do this.")
    return None


def _status_label(status: str) -> str:
    return str(ApplicationStatus(status).label)


def do_submit(
    application: Application,
    *,
    actor: User,
    expected_versions: Mapping[str, int] | None = None,
) -> Submission:
    """Freeze ``application`` as its next submission; refused while anything blocks.

    ``expected_versions`` (from :func:`part_versions` when the person checked) refuses the
    submission if a part was saved since, so nobody submits what they have not seen."""
    round_ = application.round
    errors: list[str] = []
    if problem := _own_unit_error(actor, application):
        errors.append(problem)
    elif not application.is_editable:
        errors.append(
            _("The application is {status}; it cannot be submitted again.").format(
                status=_status_label(application.status)
            )
        )
    if round_.status != RoundStatus.OPEN:
        errors.append(_("This round is not open."))
    elif _deadline_passed(round_.submission_deadline):
        errors.append(
            _("The submission deadline ({deadline}) has passed.").format(
                deadline=round_.submission_deadline.isoformat()
            )
        )
    if errors:
        raise ValidationError({"__all__": errors})
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round", "unit")
            .get(pk=application.pk)
        )
        if not locked.is_editable:
            raise ValidationError(
                _(
                    "The application was {status} by someone else in the meantime; "
                    "nothing was submitted."
                ).format(status=_status_label(locked.status)),
                code="stale",
            )
        now = part_versions(locked)
        if expected_versions is not None and dict(expected_versions) != now:
            labels = {
                "sections": GROUPS["outline"],
                "accounting": GROUPS["baseline"],
                "answers": GROUPS["assessment"],
            }
            changed = [
                str(labels[part]) for part in now if now[part] != expected_versions.get(part)
            ]
            raise ValidationError(
                _(
                    "The application was changed after you checked it ({parts}); check it "
                    "again before submitting. Nothing was submitted."
                ).format(parts="、".join(changed)),
                code="stale",
            )
        check = check_application(locked)
        if check.blocking:
            raise ValidationError(
                {
                    "__all__": [_("The application cannot be submitted yet:")]
                    + [gap_text(locked, gap.code, gap.params) for gap in check.blocking]
                }
            )
        previous = locked.submissions.aggregate(Max("number"))["number__max"] or 0
        submission = Submission.objects.create(
            application=locked,
            number=previous + 1,
            submitted_by=actor,
            snapshot={},
            snapshot_sha256="",
        )
        frozen = _build_snapshot(locked, submission, check, actor)
        digest = snapshot_sha256(frozen)
        submission.snapshot = snapshot_data(frozen)
        submission.snapshot_sha256 = digest
        submission.save(update_fields=["snapshot", "snapshot_sha256"])
        # Read it back: the hash must hold for what the database keeps, not only for what we
        # meant to write (a JSON column may change numbers or key order).
        stored = Submission.objects.values_list("snapshot", flat=True).get(pk=submission.pk)
        if snapshot_sha256(stored) != digest:
            raise ValidationError(
                _(
                    "The frozen snapshot did not read back identically from the database; "
                    "nothing was submitted. Please tell the administrator."
                ),
                code="snapshot_mismatch",
            )
        before = locked.status
        locked.status = ApplicationStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action=SUBMITTED,
            target=locked,
            before={"status": before},
            after={
                "status": locked.status,
                "submission": submission.number,
                "snapshot_sha256": digest,
                "versions": now,
            },
        )
    return submission


def _latest(application: Application) -> Submission | None:
    return application.submissions.filter(stage=Stage.SELECTION).order_by("-number").first()


def do_withdraw(application: Application, *, reason: str, actor: User) -> Submission:
    """Take back the latest submission before the deadline: the application is a draft again,
    the submission stays listed (withdrawn, by whom, why) and its snapshot unchanged."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if problem := _own_unit_error(actor, application):
        errors["__all__"] = [problem]
    elif application.status != ApplicationStatus.SUBMITTED:
        errors["__all__"] = [
            _("Only a submitted application awaiting the district's decision can be withdrawn.")
        ]
    elif _deadline_passed(application.round.submission_deadline):
        errors["__all__"] = [
            _(
                "The submission deadline ({deadline}) has passed; it can no longer be withdrawn."
            ).format(deadline=application.round.submission_deadline.isoformat())
        ]
    if not reason:
        errors["reason"] = [_("Give the reason for the withdrawal.")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [
            _("The reason is {length} characters long; at most {limit} are allowed.").format(
                length=len(reason), limit=REASON_MAX_LENGTH
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        latest = _latest(locked)
        if locked.status != ApplicationStatus.SUBMITTED or latest is None:
            raise ValidationError(
                _(
                    "The application is now {status} (changed in the meantime); "
                    "nothing was withdrawn."
                ).format(status=_status_label(locked.status)),
                code="stale",
            )
        if latest.district_decision or latest.withdrawn_at is not None:
            raise ValidationError(
                _("The district has already decided on this submission; it cannot be withdrawn."),
                code="decided",
            )
        latest.withdrawn_at = timezone.now()
        latest.withdrawn_by = actor
        latest.withdrawal_reason = reason
        latest.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        locked.status = ApplicationStatus.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action=WITHDRAWN,
            target=locked,
            before={"status": ApplicationStatus.SUBMITTED, "submission": latest.number},
            after={"status": locked.status, "submission": latest.number},
            reason=reason,
        )
    return latest


def do_district_decide(
    application: Application, *, decision: str, comment: str, actor: User
) -> Submission:
    """The district's decision on the latest submission: returned (with comments; the applicant
    edits and resubmits) or recommended (frozen for the municipal review)."""
    comment = (comment or "").strip()
    round_ = application.round
    errors: dict[str, list[str]] = {}
    if application.status != ApplicationStatus.SUBMITTED:
        errors["__all__"] = [
            _("The application is {status}; it is not awaiting the district's decision.").format(
                status=_status_label(application.status)
            )
        ]
    elif not permissions.can_decide_as_district(actor, application):
        errors["__all__"] = [
            _("Only a district officer of the applicant unit's district decides on it.")
        ]
    elif _deadline_passed(round_.recommendation_deadline):
        errors["__all__"] = [
            _("The recommendation deadline ({deadline}) has passed.").format(
                deadline=round_.recommendation_deadline.isoformat()
            )
        ]
    if decision not in DistrictDecision.values:
        errors["decision"] = [_("Choose whether to recommend or to return the application.")]
    elif decision == DistrictDecision.RETURNED and not comment:
        errors["comment"] = [_("Say what the applicant must revise when returning it.")]
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [
            _("The comments are {length} characters long; at most {limit} are allowed.").format(
                length=len(comment), limit=COMMENT_MAX_LENGTH
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update().select_related("unit").get(pk=application.pk)
        )
        latest = _latest(locked)
        if (
            locked.status != ApplicationStatus.SUBMITTED
            or latest is None
            or latest.district_decision
            or latest.withdrawn_at is not None
        ):
            raise ValidationError(
                _(
                    "The application is now {status} (changed in the meantime); "
                    "nothing was decided."
                ).format(status=_status_label(locked.status)),
                code="stale",
            )
        latest.district_decision = decision
        latest.district_comment = comment
        latest.decided_by = actor
        latest.decided_at = timezone.now()
        latest.save(
            update_fields=["district_decision", "district_comment", "decided_by", "decided_at"]
        )
        locked.status = (
            ApplicationStatus.RETURNED
            if decision == DistrictDecision.RETURNED
            else ApplicationStatus.RECOMMENDED
        )
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action=DECIDED[DistrictDecision(decision)],
            target=locked,
            before={"status": ApplicationStatus.SUBMITTED, "submission": latest.number},
            after={
                "status": locked.status,
                "submission": latest.number,
                "decision": decision,
                "snapshot_sha256": latest.snapshot_sha256,
            },
            reason=comment,
        )
    return latest


# --- the district's queue --------------------------------------------------------------------


def district_submissions(user: Any) -> Any:
    """Every submission of the officer's district, the latest first."""
    if not permissions.can_view_district_queue(user):
        return Submission.objects.none()
    return (
        Submission.objects.filter(
            application__unit__district_id=user.organisation.district_id, stage=Stage.SELECTION
        )
        .select_related("application", "application__unit", "application__round", "submitted_by")
        .order_by("-submitted_at")
    )
