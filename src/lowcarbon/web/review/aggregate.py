"""The panel's result for an application, and the round's ranking, from the stored scores.

Every figure comes from the experts' submitted answers, scored by the engine against the frozen
snapshot (:mod:`lowcarbon.web.review.snapshots`) and combined by
:func:`lowcarbon.core.aggregation.aggregate_scores` with the round's method; nothing is
retyped or re-implemented here.

Divergence: ``aggregate_scores`` flags with the issue's default thresholds (an item's range
above half its points; main totals more than 15 points apart). A round may set other
thresholds (:class:`~lowcarbon.web.review.models.ReviewSettings`); then the same comparison is
made on the ranges the core computed (``Aggregated.range``), with the round's numbers.

Ranking (issue 5 §5 "ties handled transparently"): applications of one round and kind are
ordered by their aggregated total (main + bonus pool, as 附件4 adds 100 + 20) from highest to
lowest. Equal totals share a rank and the next rank skips (1, 1, 3): there is no hidden
tie-breaker. Within a tie, units are listed by name, then by application number, which is only
an order of listing and says nothing about merit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lowcarbon.core.aggregation import (
    Aggregate,
    DivergenceKind,
    aggregate_scores,
)
from lowcarbon.core.messages import Message
from lowcarbon.core.scoring import ScoreResult
from lowcarbon.web.applications.models import Application
from lowcarbon.web.review.models import (
    ACTIVE_STATUSES,
    Assignment,
    AssignmentStatus,
    Decision,
    Panel,
    ReviewSettings,
    round_settings,
)
from lowcarbon.web.review.snapshots import score_of

__all__ = [
    "ApplicationResult",
    "Flag",
    "RankedEntry",
    "application_result",
    "flags_of",
    "ranking",
    "total_of",
]


@dataclass(frozen=True)
class Flag:
    """A divergence with the round's thresholds: ``target`` is an item id or ``main``."""

    kind: DivergenceKind
    target: str
    values: tuple[Decimal, ...]
    range: Decimal
    threshold: Decimal
    message: Message

    def as_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "target": self.target,
            "values": [str(v) for v in self.values],
            "range": str(self.range),
            "threshold": str(self.threshold),
        }


@dataclass(frozen=True)
class ApplicationResult:
    """The panel's submitted scores of one application and their aggregate."""

    panel: Panel
    application: Application
    assignments: tuple[Assignment, ...]  # submitted ones, in assignment order
    results: tuple[ScoreResult, ...]
    aggregate: Aggregate | None
    flags: tuple[Flag, ...]
    pending: int  # active assignments not (or no longer) submitted
    settings: ReviewSettings

    @property
    def complete(self) -> bool:
        return self.aggregate is not None and self.pending == 0


def total_of(aggregate: Aggregate) -> Decimal:
    """The ranking total: aggregated main points plus the bonus pool (附件4: 100 + 20)."""
    return aggregate.main + aggregate.bonus


def flags_of(aggregate: Aggregate) -> tuple[Flag, ...]:
    """The divergences core found under the round's thresholds, as the pages show them."""
    return tuple(
        Flag(d.kind, d.target, d.values, d.range, d.threshold, d.message)
        for d in aggregate.divergences
    )


def application_result(panel: Panel, application: Application) -> ApplicationResult:
    """The aggregate of the panel's submitted scores of ``application`` (None without any)."""
    settings = round_settings(panel.round)
    active = list(
        panel.assignments.filter(application=application, status__in=ACTIVE_STATUSES)
        .select_related("review", "submission", "submission__application", "expert")
        .order_by("pk")
    )
    submitted = tuple(a for a in active if a.status == AssignmentStatus.SUBMITTED)
    results = tuple(score_of(a.submission, a.review.answers) for a in submitted)
    aggregate = (
        aggregate_scores(
            results,
            settings.aggregation_method,
            experts=[str(a.expert_id) for a in submitted],
            item_range_share=settings.thresholds[0],
            total_spread_limit=settings.thresholds[1],
        )
        if results
        else None
    )
    return ApplicationResult(
        panel=panel,
        application=application,
        assignments=submitted,
        results=results,
        aggregate=aggregate,
        flags=flags_of(aggregate) if aggregate is not None else (),
        pending=len(active) - len(submitted),
        settings=settings,
    )


@dataclass(frozen=True)
class RankedEntry:
    application: Application
    result: ApplicationResult
    main: Decimal | None
    bonus: Decimal | None
    total: Decimal | None
    rank: int | None  # None while the panel has not finished
    tied: bool
    decision: Decision | None


def ranking(round_: Any, kind: str) -> list[RankedEntry]:
    """Every application assigned to a panel of ``round_`` and ``kind``, ranked (see above)."""
    panels = Panel.objects.filter(round=round_, kind=kind)
    pairs: dict[int, tuple[Panel, Application]] = {}
    for assignment in (
        Assignment.objects.filter(panel__in=panels)
        .select_related("panel", "panel__round", "application", "application__unit")
        .order_by("pk")
    ):
        pairs.setdefault(assignment.application_id, (assignment.panel, assignment.application))
    decisions = {d.application_id: d for d in Decision.objects.filter(application_id__in=pairs)}
    entries = []
    for panel, application in pairs.values():
        result = application_result(panel, application)
        aggregate = result.aggregate if result.complete else None
        entries.append(
            (
                application,
                result,
                aggregate.main if aggregate else None,
                aggregate.bonus if aggregate else None,
                total_of(aggregate) if aggregate else None,
            )
        )
    finished = sorted(
        (e for e in entries if e[4] is not None),
        key=lambda e: (-e[4], e[0].unit.name, e[0].pk),  # type: ignore[operator]
    )
    unfinished = sorted(
        (e for e in entries if e[4] is None), key=lambda e: (e[0].unit.name, e[0].pk)
    )
    totals = [e[4] for e in finished]
    ranked: list[RankedEntry] = []
    for application, result, main, bonus, total in finished:
        rank = totals.index(total) + 1  # competition ranking: 1, 1, 3
        ranked.append(
            RankedEntry(
                application,
                result,
                main,
                bonus,
                total,
                rank,
                totals.count(total) > 1,
                decisions.get(application.pk),
            )
        )
    for application, result, main, bonus, total in unfinished:
        ranked.append(
            RankedEntry(
                application, result, main, bonus, total, None, False, decisions.get(application.pk)
            )
        )
    return ranked
