"""The snapshot of every input, computed result, rule edition and evidence hash that a submission
freezes (and the draft of it the documents show before submission).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.scoring import ScoreResult
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
    TargetCheckFigures,
    TargetFigures,
    TaskRecord,
    UnitRef,
    Versions,
    YearIndicators,
)
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Application, Evidence, Submission
from lowcarbon.web.applications.task_models import ApplicationTask

from .check import Check, check_application
from .frozen import outline_sha256, part_versions


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
