"""The panel's result for an application, and the round's ranking, from the stored scores.

Every figure comes from the experts' submitted answers, scored by the engine against the frozen
snapshot (:mod:`lowcarbon.web.review.snapshots`) and combined by
:func:`lowcarbon.core.aggregation.aggregate_scores` with the round's method; nothing is
retyped or re-implemented here.

Divergence: ``aggregate_scores`` flags with the round's thresholds
(:class:`~lowcarbon.web.review.models.ReviewSettings`, the programme's by default); the pages
show its :class:`~lowcarbon.core.aggregation.Divergence` values as they are.

Ranking (issue 5 §5 "ties handled transparently") is
:func:`lowcarbon.core.aggregation.rank_aggregates`: by the aggregated total (main + bonus pool,
as 附件4 adds 100 + 20), highest first; equal totals share a rank and the next rank skips
(1, 1, 3), with no hidden tie-breaker. Within a tie, units are listed by name, then by
application number, which is only an order of listing and says nothing about merit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lowcarbon.core.aggregation import (
    Aggregate,
    Divergence,
    Standing,
    aggregate_scores,
    rank_aggregates,
)
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
from lowcarbon.web.rounds.models import Stage

__all__ = [
    "ApplicationResult",
    "RankedApplication",
    "application_result",
    "divergence_data",
    "ranking",
]


def divergence_data(divergence: Divergence) -> dict[str, Any]:
    """A divergence as stored with the discussion it opened (exact decimals as strings)."""
    return {
        "kind": divergence.kind.value,
        "target": divergence.target,
        "values": [str(v) for v in divergence.values],
        "range": str(divergence.range),
        "threshold": str(divergence.threshold),
    }


@dataclass(frozen=True)
class ApplicationResult:
    """The panel's submitted scores of one application and their aggregate."""

    panel: Panel
    application: Application
    assignments: tuple[Assignment, ...]  # submitted ones, in assignment order
    results: tuple[ScoreResult, ...]
    aggregate: Aggregate | None
    pending: int  # active assignments not (or no longer) submitted
    settings: ReviewSettings

    @property
    def complete(self) -> bool:
        return self.aggregate is not None and self.pending == 0

    @property
    def flags(self) -> tuple[Divergence, ...]:
        """The divergences core found under the round's thresholds."""
        return () if self.aggregate is None else self.aggregate.divergences


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
        pending=len(active) - len(submitted),
        settings=settings,
    )


@dataclass(frozen=True)
class RankedApplication:
    """What the ranking lists for one application: the panel's result and the decision on it."""

    result: ApplicationResult
    decision: Decision | None

    @property
    def application(self) -> Application:
        return self.result.application


def ranking(round_: Any, kind: str) -> tuple[Standing[RankedApplication], ...]:
    """Every application assigned to a panel of ``round_`` and ``kind``, ranked by
    :func:`~lowcarbon.core.aggregation.rank_aggregates` (see above)."""
    panels = Panel.objects.filter(round=round_, kind=kind, stage=Stage.SELECTION)
    pairs: dict[int, tuple[Panel, Application]] = {}
    for assignment in (
        Assignment.objects.filter(panel__in=panels)
        .select_related("panel", "panel__round", "application", "application__unit")
        .order_by("pk")
    ):
        pairs.setdefault(assignment.application_id, (assignment.panel, assignment.application))
    decisions = {d.application_id: d for d in Decision.objects.filter(application_id__in=pairs)}
    listed = sorted(
        (
            RankedApplication(application_result(panel, application), decisions.get(pk))
            for pk, (panel, application) in pairs.items()
        ),
        key=lambda entry: entry.application.pk,  # within one name: by application number
    )
    return rank_aggregates(
        listed,
        name=lambda entry: entry.application.unit.name,
        aggregate=lambda entry: entry.result.aggregate if entry.result.complete else None,
    )
