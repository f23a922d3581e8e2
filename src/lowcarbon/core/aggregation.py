"""The expert review (综合评估): several experts' scores for one application, combined.

Every expert scores the same application under the same rubric edition with
:func:`~lowcarbon.core.scoring.score_answers`; :func:`aggregate_scores` combines their
:class:`~lowcarbon.core.scoring.ScoreResult` objects item by item, section by section and pool
by pool (main and bonus pools stay separate), with one of three methods:

* :attr:`AggregationMethod.MEAN` — the plain mean;
* :attr:`AggregationMethod.TRIMMED_MEAN` — the single highest and the single lowest score are
  dropped when at least :data:`TRIM_MIN_EXPERTS` experts scored, otherwise the plain mean (the
  explanation says which);
* :attr:`AggregationMethod.MEDIAN` — the middle score, or the mean of the two middle scores.

Every aggregated figure is rounded to :data:`CENT` (0.01 points) with ``ROUND_HALF_UP``, the
way people round points by hand; minimum, maximum and range are exact. Each figure keeps the
experts' individual points in input order and a :class:`~lowcarbon.core.messages.Message`
explaining how it was reached.

Divergences are flagged for the panel to discuss: an item whose range exceeds
:data:`ITEM_RANGE_SHARE` of its maximum points, and main totals more than
:data:`TOTAL_SPREAD_LIMIT` points apart.

:func:`rank_aggregates` ranks applications by their aggregated total (main points plus the
bonus pool, as 附件4 adds 100 + 20), highest first. Equal totals share a rank and the next rank
skips (1, 1, 3): there is no hidden tie-breaker. Within a tie, candidates are listed by name,
then in the order given, which is only an order of listing and says nothing about merit.
Candidates without an aggregate yet (their panel has not finished) have no rank and follow, by
name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from .errors import LowcarbonError
from .messages import Message, gettext_noop
from .rubric import ZERO, Item, Pool, Section
from .scoring import ScoreResult

__all__ = [
    "CENT",
    "ITEM_RANGE_SHARE",
    "TOTAL_SPREAD_LIMIT",
    "TRIM_MIN_EXPERTS",
    "Aggregate",
    "Aggregated",
    "AggregationError",
    "AggregationMethod",
    "Divergence",
    "DivergenceKind",
    "DuplicateExpertError",
    "ExpertCountError",
    "ItemAggregate",
    "NoScoresError",
    "PoolAggregate",
    "RubricMismatchError",
    "SectionAggregate",
    "Standing",
    "UnitMismatchError",
    "aggregate_scores",
    "rank_aggregates",
]

T = TypeVar("T")

CENT = Decimal("0.01")
"""Aggregated points are rounded to 0.01 with ROUND_HALF_UP."""

TRIM_MIN_EXPERTS = 5
"""The trimmed mean drops the highest and the lowest score only from this many experts on."""

# Both divergence thresholds come from the issue text: "an item's range above half its points,
# or totals more than 15 points apart". Strictly above: a range of exactly half, or totals
# exactly 15 apart, is not flagged.
ITEM_RANGE_SHARE = Decimal("0.5")
TOTAL_SPREAD_LIMIT = Decimal(15)

_ROUNDED = gettext_noop("rounded half up to 0.01")


class AggregationMethod(StrEnum):
    MEAN = "mean"
    TRIMMED_MEAN = "trimmed_mean"
    MEDIAN = "median"


class DivergenceKind(StrEnum):
    ITEM_RANGE = "item_range"
    TOTAL_SPREAD = "total_spread"


class AggregationError(LowcarbonError):
    """Scores that cannot be combined into one expert review."""

    code = "aggregation"


class NoScoresError(AggregationError):
    code = "aggregation_empty"


class RubricMismatchError(AggregationError):
    code = "aggregation_rubric"


class UnitMismatchError(AggregationError):
    code = "aggregation_unit"


class ExpertCountError(AggregationError):
    code = "aggregation_expert_count"


class DuplicateExpertError(AggregationError):
    code = "aggregation_duplicate_expert"


@dataclass(frozen=True, slots=True)
class Aggregated:
    """One figure combined over the experts."""

    points: Decimal
    minimum: Decimal
    maximum: Decimal
    range: Decimal
    individual: tuple[Decimal, ...]
    explanation: Message


@dataclass(frozen=True, slots=True)
class ItemAggregate:
    item: Item
    maximum: Decimal
    scores: Aggregated


@dataclass(frozen=True, slots=True)
class SectionAggregate:
    section: Section
    maximum: Decimal
    scores: Aggregated
    items: tuple[ItemAggregate, ...]


@dataclass(frozen=True, slots=True)
class PoolAggregate:
    pool: Pool
    maximum: Decimal
    scores: Aggregated


@dataclass(frozen=True, slots=True)
class Divergence:
    """Experts who disagree more than the thresholds allow; ``target`` is an item id or pool."""

    kind: DivergenceKind
    target: str
    values: tuple[Decimal, ...]
    range: Decimal
    threshold: Decimal
    message: Message


@dataclass(frozen=True)
class Aggregate:
    rubric_ref: str
    rubric_hash: str
    unit: str
    method: AggregationMethod
    experts: tuple[str, ...] | None
    sections: tuple[SectionAggregate, ...]
    pools: tuple[PoolAggregate, ...]
    divergences: tuple[Divergence, ...]

    def pool(self, pool: Pool) -> PoolAggregate | None:
        return next((p for p in self.pools if p.pool is pool), None)

    def item(self, item_id: str) -> ItemAggregate:
        return next(i for s in self.sections for i in s.items if i.item.id == item_id)

    @property
    def main(self) -> Decimal:
        """The aggregated main total."""
        result = self.pool(Pool.MAIN)
        return result.scores.points if result else ZERO

    @property
    def bonus(self) -> Decimal:
        """The aggregated bonus total, reported apart from the main total."""
        result = self.pool(Pool.BONUS)
        return result.scores.points if result else ZERO

    @property
    def total(self) -> Decimal:
        """The ranking total: aggregated main points plus the bonus pool (附件4: 100 + 20)."""
        return self.main + self.bonus


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values)


def _median(ordered: Sequence[Decimal]) -> Decimal:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _combine(values: Sequence[Decimal], method: AggregationMethod) -> Aggregated:
    individual = tuple(values)
    ordered = sorted(individual)
    count = len(ordered)
    rounded = Message(_ROUNDED)
    if method is AggregationMethod.MEDIAN:
        points = _median(ordered).quantize(CENT, ROUND_HALF_UP)
        explanation = Message(
            gettext_noop("median of the {count} experts' points {values} = {result} ({rounding})"),
            {"count": count, "values": individual, "result": points, "rounding": rounded},
        )
    elif method is AggregationMethod.TRIMMED_MEAN and count >= TRIM_MIN_EXPERTS:
        kept = ordered[1:-1]
        points = _mean(kept).quantize(CENT, ROUND_HALF_UP)
        explanation = Message(
            gettext_noop(
                "trimmed mean of the {count} experts' points {values}: the highest {high} and "
                "the lowest {low} are dropped; mean of {kept} = {result} ({rounding})"
            ),
            {
                "count": count,
                "values": individual,
                "high": ordered[-1],
                "low": ordered[0],
                "kept": kept,
                "result": points,
                "rounding": rounded,
            },
        )
    elif method is AggregationMethod.TRIMMED_MEAN:
        points = _mean(ordered).quantize(CENT, ROUND_HALF_UP)
        explanation = Message(
            gettext_noop(
                "trimmed mean needs at least {minimum} experts and {count} scored, so nothing "
                "is dropped: mean of {values} = {result} ({rounding})"
            ),
            {
                "minimum": TRIM_MIN_EXPERTS,
                "count": count,
                "values": individual,
                "result": points,
                "rounding": rounded,
            },
        )
    else:
        points = _mean(ordered).quantize(CENT, ROUND_HALF_UP)
        explanation = Message(
            gettext_noop("mean of the {count} experts' points {values} = {result} ({rounding})"),
            {"count": count, "values": individual, "result": points, "rounding": rounded},
        )
    low, high = ordered[0], ordered[-1]
    return Aggregated(points, low, high, high - low, individual, explanation)


def _check(results: Sequence[ScoreResult], experts: Sequence[str] | None) -> None:
    if not results:
        raise NoScoresError(Message(gettext_noop("there are no expert scores to aggregate")))
    first = results[0]
    for index, result in enumerate(results):
        if (result.rubric_ref, result.rubric_hash) != (first.rubric_ref, first.rubric_hash):
            raise RubricMismatchError(
                Message(
                    gettext_noop(
                        "score {number} is for {found} ({found_hash}), not for {expected} "
                        "({expected_hash}); experts must score under the same rubric edition"
                    ),
                    {
                        "number": index + 1,
                        "found": result.rubric_ref,
                        "found_hash": result.rubric_hash[:12],
                        "expected": first.rubric_ref,
                        "expected_hash": first.rubric_hash[:12],
                    },
                )
            )
        if result.unit != first.unit:
            raise UnitMismatchError(
                Message(
                    gettext_noop(
                        "score {number} is for the unit {found}, not for {expected}; "
                        "aggregate one application at a time"
                    ),
                    {"number": index + 1, "found": result.unit, "expected": first.unit},
                )
            )
    if experts is None:
        return
    if len(experts) != len(results):
        raise ExpertCountError(
            Message(
                gettext_noop("{experts} expert ids were given for {scores} scores"),
                {"experts": len(experts), "scores": len(results)},
            )
        )
    seen: set[str] = set()
    for expert in experts:
        if expert in seen:
            raise DuplicateExpertError(
                Message(gettext_noop("expert {expert} is listed twice"), {"expert": expert})
            )
        seen.add(expert)


def _item_divergence(aggregate: ItemAggregate, share: Decimal) -> Divergence | None:
    threshold = aggregate.maximum * share
    scores = aggregate.scores
    if scores.range <= threshold:
        return None
    return Divergence(
        DivergenceKind.ITEM_RANGE,
        aggregate.item.id,
        scores.individual,
        scores.range,
        threshold,
        Message(
            gettext_noop(
                "item {item}: the experts' points {values} range over {range}, more than "
                "{threshold} ({share} of its {maximum} points)"
            ),
            {
                "item": aggregate.item.id,
                "values": scores.individual,
                "range": scores.range,
                "threshold": threshold,
                "share": f"{float(share) * 100:g}%",
                "maximum": aggregate.maximum,
            },
        ),
    )


def _total_divergence(totals: Sequence[Decimal], limit: Decimal) -> Divergence | None:
    spread = max(totals) - min(totals)
    if spread <= limit:
        return None
    return Divergence(
        DivergenceKind.TOTAL_SPREAD,
        Pool.MAIN.value,
        tuple(totals),
        spread,
        limit,
        Message(
            gettext_noop(
                "the experts' main totals {values} are {range} points apart, more than {limit}"
            ),
            {"values": tuple(totals), "range": spread, "limit": limit},
        ),
    )


def aggregate_scores(
    results: Sequence[ScoreResult],
    method: AggregationMethod,
    *,
    experts: Sequence[str] | None = None,
    item_range_share: Decimal = ITEM_RANGE_SHARE,
    total_spread_limit: Decimal = TOTAL_SPREAD_LIMIT,
) -> Aggregate:
    """Combine several experts' scores of one application under one rubric edition.

    ``experts``, when given, names the expert behind each result (same order). A round may set
    its own divergence thresholds (``item_range_share`` of an item's points,
    ``total_spread_limit`` points between main totals); the defaults are the programme's. Raises
    :class:`NoScoresError`, :class:`RubricMismatchError`, :class:`UnitMismatchError`,
    :class:`ExpertCountError` or :class:`DuplicateExpertError`.
    """
    _check(results, experts)
    first = results[0]
    sections: list[SectionAggregate] = []
    divergences: list[Divergence] = []
    for s_index, section in enumerate(first.sections):
        items: list[ItemAggregate] = []
        for i_index, item in enumerate(section.items):
            values = [r.sections[s_index].items[i_index].points for r in results]
            aggregate = ItemAggregate(item.item, item.maximum, _combine(values, method))
            items.append(aggregate)
            divergence = _item_divergence(aggregate, item_range_share)
            if divergence is not None:
                divergences.append(divergence)
        section_values = [r.sections[s_index].points for r in results]
        sections.append(
            SectionAggregate(
                section.section, section.maximum, _combine(section_values, method), tuple(items)
            )
        )
    pools = tuple(
        PoolAggregate(
            pool.pool,
            pool.maximum,
            _combine([r.pools[p_index].points for r in results], method),
        )
        for p_index, pool in enumerate(first.pools)
    )
    total = _total_divergence([r.main for r in results], total_spread_limit)
    if total is not None:
        divergences.append(total)
    return Aggregate(
        first.rubric_ref,
        first.rubric_hash,
        first.unit,
        method,
        None if experts is None else tuple(experts),
        tuple(sections),
        pools,
        tuple(divergences),
    )


@dataclass(frozen=True, slots=True)
class Standing(Generic[T]):
    """One candidate's place in a ranking; ``rank`` is None while it has no aggregate."""

    subject: T
    aggregate: Aggregate | None
    rank: int | None
    tied: bool

    @property
    def main(self) -> Decimal | None:
        return None if self.aggregate is None else self.aggregate.main

    @property
    def bonus(self) -> Decimal | None:
        return None if self.aggregate is None else self.aggregate.bonus

    @property
    def total(self) -> Decimal | None:
        return None if self.aggregate is None else self.aggregate.total


def rank_aggregates(
    candidates: Iterable[T],
    *,
    name: Callable[[T], str],
    aggregate: Callable[[T], Aggregate | None],
) -> tuple[Standing[T], ...]:
    """Rank ``candidates`` by the total of their ``aggregate``, highest first (see above).

    Equal totals share a rank and the next rank skips (competition ranking: 1, 1, 3); ties and
    candidates without an aggregate are listed by ``name``, then in the order given.
    """
    finished: list[tuple[T, Aggregate]] = []
    unfinished: list[T] = []
    for candidate in candidates:
        combined = aggregate(candidate)
        if combined is None:
            unfinished.append(candidate)
        else:
            finished.append((candidate, combined))
    finished.sort(key=lambda pair: (-pair[1].total, name(pair[0])))
    unfinished.sort(key=name)
    totals = [combined.total for _, combined in finished]
    ranked = [
        Standing(candidate, combined, totals.index(total) + 1, totals.count(total) > 1)
        for (candidate, combined), total in zip(finished, totals, strict=True)
    ]
    return (*ranked, *(Standing(candidate, None, None, False) for candidate in unfinished))
