"""The expert review: hand-checked aggregates, divergence flags, refusals and properties.

Hand-checked cases score real answer sets under a small panel rubric whose items are
judgements, so each expert's points are exactly what the test writes down; the properties
score random valid answer sets under the official rubrics and random synthetic ones.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowcarbon.core.aggregation import (
    ITEM_RANGE_SHARE,
    TOTAL_SPREAD_LIMIT,
    TRIM_MIN_EXPERTS,
    Aggregated,
    AggregationMethod,
    DivergenceKind,
    DuplicateExpertError,
    ExpertCountError,
    NoScoresError,
    RubricMismatchError,
    Standing,
    UnitMismatchError,
    aggregate_scores,
    rank_aggregates,
)
from lowcarbon.core.answers import AnswerSet, Choice, ItemAnswer
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.rubric import ZERO, Item, JudgementRule, Pool, Rubric, Section
from lowcarbon.core.scoring import ScoreResult, score_answers
from lowcarbon.core.text import LocalText
from lowcarbon.rules.schemes import load_rubric
from tests.strategies import EVIDENCE, REASON, answer_sets, rubrics

D = Decimal
TEXT = LocalText("合成文本", "synthetic text")
METHODS = tuple(AggregationMethod)
COMMUNITY = load_rubric("community", "2021")
ZONE = load_rubric("zone", "2021")


def _judged(item_id: str, maximum: int) -> Item:
    rule = JudgementRule(ZERO, D(maximum), D("0.5"), TEXT)
    return Item(item_id, TEXT, D(maximum), rule, f"合成 第{item_id}项")


# Main pool: item 1 (10 points) + item 2 (90 points) = 100; bonus pool: item 3 (20 points).
PANEL = Rubric(
    scheme="panel",
    edition="t",
    title=TEXT,
    source="合成",
    declared_total=D(100),
    declared_bonus=D(20),
    sections=(
        Section(
            "s1", "一", TEXT, Pool.MAIN, D(100), "合成 一", (_judged("1", 10), _judged("2", 90))
        ),
        Section("s2", "二", TEXT, Pool.BONUS, D(20), "合成 二", (_judged("3", 20),)),
    ),
    content_hash="panel-hash",
)


def expert(item1: str, item2: str, bonus: str = "0", *, unit: str = "示范社区") -> ScoreResult:
    points = {"1": item1, "2": item2, "3": bonus}
    answers = {
        item_id: ItemAnswer(
            item_id, choice=Choice(points=D(value)), reason=REASON, evidence=("EV1",)
        )
        for item_id, value in points.items()
    }
    return score_answers(PANEL, AnswerSet(PANEL.ref, unit, answers, dict(EVIDENCE)))


def totals(*main: int) -> list[ScoreResult]:
    """Experts whose main totals are ``main``: item 1 gets 10, item 2 the rest."""
    return [expert("10", str(total - 10)) for total in main]


# ---------------------------------------------------------------------------------------------
# Hand-checked examples


def test_three_experts_mean_and_median_are_85() -> None:
    results = totals(80, 85, 90)
    for method in (AggregationMethod.MEAN, AggregationMethod.MEDIAN):
        aggregate = aggregate_scores(results, method)
        assert aggregate.main == D(85)
        main = aggregate.pool(Pool.MAIN)
        assert main is not None
        assert main.maximum == D(100)
        assert main.scores.individual == (D(80), D(85), D(90))
        assert (main.scores.minimum, main.scores.maximum, main.scores.range) == (80, 90, 10)
    median = aggregate_scores(results, AggregationMethod.MEDIAN).pool(Pool.MAIN)
    assert median is not None
    assert median.scores.explanation.render() == (
        "median of the 3 experts' points 80, 85, 90 = 85 (rounded half up to 0.01)"
    )


def test_trimmed_mean_of_three_is_the_plain_mean_and_says_so() -> None:
    aggregate = aggregate_scores(totals(80, 85, 90), AggregationMethod.TRIMMED_MEAN)
    assert aggregate.main == D(85)
    main = aggregate.pool(Pool.MAIN)
    assert main is not None
    assert main.scores.explanation.render() == (
        "trimmed mean needs at least 5 experts and 3 scored, so nothing is dropped: "
        "mean of 80, 85, 90 = 85 (rounded half up to 0.01)"
    )


def test_five_experts_trimmed_mean_drops_one_high_and_one_low() -> None:
    results = totals(70, 80, 82, 84, 99)
    trimmed = aggregate_scores(results, AggregationMethod.TRIMMED_MEAN)
    assert trimmed.main == D(82)  # (80 + 82 + 84) / 3
    assert aggregate_scores(results, AggregationMethod.MEAN).main == D(83)  # 415 / 5
    assert aggregate_scores(results, AggregationMethod.MEDIAN).main == D(82)
    main = trimmed.pool(Pool.MAIN)
    assert main is not None
    assert main.scores.explanation.render() == (
        "trimmed mean of the 5 experts' points 70, 80, 82, 84, 99: the highest 99 and the "
        "lowest 70 are dropped; mean of 80, 82, 84 = 82 (rounded half up to 0.01)"
    )
    # Only one of two equal extremes is dropped.
    ties = aggregate_scores(totals(80, 80, 80, 90, 90), AggregationMethod.TRIMMED_MEAN)
    assert ties.main == D("83.33")  # (80 + 80 + 90) / 3 = 83.333…


def test_rounding_is_half_up_to_a_cent() -> None:
    # 80 + 80 + 80.5 = 240.5; / 3 = 80.1666… → 80.17
    results = [*totals(80, 80), expert("10", "70.5")]
    assert aggregate_scores(results, AggregationMethod.MEAN).main == D("80.17")
    # Half a cent rounds up: items 0.5 and 0 → mean 0.25 (exact); 0.5, 0, 0, 0 → 0.125 → 0.13
    four = [expert("0.5", "0"), expert("0", "0"), expert("0", "0"), expert("0", "0")]
    assert aggregate_scores(four, AggregationMethod.MEAN).item("1").scores.points == D("0.13")
    # An even number of experts: the median is the mean of the two middle scores.
    assert aggregate_scores(totals(80, 85, 86, 90), AggregationMethod.MEDIAN).main == D("85.5")


def test_items_sections_and_pools_are_aggregated_separately() -> None:
    results = [expert("4", "70", "5"), expert("6", "74", "15"), expert("8", "78", "10")]
    aggregate = aggregate_scores(results, AggregationMethod.MEAN, experts=["王", "李", "张"])
    assert aggregate.experts == ("王", "李", "张")
    assert (aggregate.rubric_ref, aggregate.rubric_hash) == ("panel/t", "panel-hash")
    assert aggregate.unit == "示范社区"
    assert aggregate.method is AggregationMethod.MEAN
    item = aggregate.item("1")
    assert item.maximum == D(10)
    assert item.scores == Aggregated(
        D(6), D(4), D(8), D(4), (D(4), D(6), D(8)), item.scores.explanation
    )
    assert item.scores.explanation.render() == (
        "mean of the 3 experts' points 4, 6, 8 = 6 (rounded half up to 0.01)"
    )
    main_section, bonus_section = aggregate.sections
    assert [i.item.id for i in main_section.items] == ["1", "2"]
    assert main_section.scores.individual == (D(74), D(80), D(86))
    assert main_section.scores.points == D(80)
    assert main_section.maximum == D(100)
    assert bonus_section.scores.points == D(10)
    assert (aggregate.main, aggregate.bonus) == (D(80), D(10))
    bonus = aggregate.pool(Pool.BONUS)
    assert bonus is not None
    assert bonus.maximum == D(20)
    assert bonus.scores.individual == (D(5), D(15), D(10))


@settings(deadline=None, max_examples=5)
@given(answers=st.lists(answer_sets(ZONE), min_size=2, max_size=2))
def test_a_rubric_without_a_bonus_pool_reports_bonus_zero(answers: list[AnswerSet]) -> None:
    results = [score_answers(ZONE, one) for one in answers]
    aggregate = aggregate_scores(results, AggregationMethod.MEDIAN)
    assert aggregate.pool(Pool.BONUS) is None
    assert aggregate.bonus == ZERO
    no_main = replace(aggregate, pools=())
    assert no_main.main == ZERO


# ---------------------------------------------------------------------------------------------
# Divergence flags


def test_thresholds_are_those_of_the_issue() -> None:
    assert D("0.5") == ITEM_RANGE_SHARE
    assert D(15) == TOTAL_SPREAD_LIMIT
    assert TRIM_MIN_EXPERTS == 5


@pytest.mark.parametrize(
    ("low", "high", "flagged"),
    [("0", "5", False), ("2", "7", False), ("0", "5.5", True), ("1", "10", True)],
)
def test_an_item_range_above_half_its_points_is_flagged(low: str, high: str, flagged: bool) -> None:
    # Item 1 is worth 10 points, so the threshold is a range of 5; item 2 keeps totals close.
    results = [expert(low, "80"), expert(high, "80")]
    items = [
        d
        for d in aggregate_scores(results, AggregationMethod.MEAN).divergences
        if d.kind is DivergenceKind.ITEM_RANGE
    ]
    if not flagged:
        assert items == []
        return
    (divergence,) = items
    assert divergence.target == "1"
    assert divergence.values == (D(low), D(high))
    assert divergence.range == D(high) - D(low)
    assert divergence.threshold == D(5)
    assert divergence.message.render() == (
        f"item 1: the experts' points {low}, {high} range over {D(high) - D(low)}, "
        "more than 5 (50% of its 10 points)"
    )


def test_a_round_may_set_its_own_thresholds() -> None:
    results = [expert("0", "78"), expert("4", "88")]
    default = aggregate_scores(results, AggregationMethod.MEAN)
    assert default.divergences == ()
    strict = aggregate_scores(
        results, AggregationMethod.MEAN, item_range_share=D("0.3"), total_spread_limit=D(10)
    )
    kinds = {(d.kind, d.target, d.threshold) for d in strict.divergences}
    assert (DivergenceKind.ITEM_RANGE, "1", D("3.0")) in kinds
    assert any(kind is DivergenceKind.TOTAL_SPREAD for kind, _, _ in kinds)


@pytest.mark.parametrize(
    ("main", "flagged"),
    [((80, 95), False), ((80, 90, 95), False), ((80, 95.5), True), ((70, 80, 90), True)],
)
def test_main_totals_more_than_15_apart_are_flagged(main: tuple[float, ...], flagged: bool) -> None:
    # Item 2 (90 points) carries the difference: its range stays ≤ 45, never an item flag.
    results = [expert("10", str(D(str(total)) - 10)) for total in main]
    divergences = aggregate_scores(results, AggregationMethod.MEDIAN).divergences
    if not flagged:
        assert divergences == ()
        return
    (divergence,) = divergences
    values = tuple(D(str(total)) for total in main)
    assert divergence.kind is DivergenceKind.TOTAL_SPREAD
    assert divergence.target == "main"
    assert divergence.values == values
    assert divergence.threshold == D(15)
    assert divergence.range == max(values) - min(values)
    rendered = ", ".join(str(v) for v in values)
    assert divergence.message.render() == (
        f"the experts' main totals {rendered} are {max(values) - min(values)} points apart, "
        "more than 15"
    )


def test_bonus_totals_far_apart_are_not_a_main_divergence() -> None:
    results = [expert("10", "70", "0"), expert("10", "70", "20")]
    (divergence,) = aggregate_scores(results, AggregationMethod.MEAN).divergences
    assert (divergence.kind, divergence.target) == (DivergenceKind.ITEM_RANGE, "3")


# ---------------------------------------------------------------------------------------------
# Refusals


def test_no_scores_are_refused() -> None:
    with pytest.raises(NoScoresError) as raised:
        aggregate_scores([], AggregationMethod.MEAN)
    assert isinstance(raised.value, LowcarbonError)
    assert raised.value.code == "aggregation_empty"


def test_scores_under_different_rubric_editions_are_refused() -> None:
    one = expert("5", "80")
    other_hash = replace(one, rubric_hash="another-hash")
    other_ref = replace(one, rubric_ref="panel/u")
    for stranger in (other_hash, other_ref):
        with pytest.raises(RubricMismatchError) as raised:
            aggregate_scores([one, stranger], AggregationMethod.MEAN)
        assert "score 2 is for" in str(raised.value)
        assert raised.value.code == "aggregation_rubric"


def test_scores_of_different_units_are_refused() -> None:
    with pytest.raises(UnitMismatchError, match="score 2 is for the unit 别的社区"):
        aggregate_scores(
            [expert("5", "80"), expert("5", "80", unit="别的社区")], AggregationMethod.MEAN
        )


def test_expert_ids_must_match_the_scores_and_be_unique() -> None:
    results = totals(80, 85)
    with pytest.raises(ExpertCountError, match="3 expert ids were given for 2 scores"):
        aggregate_scores(results, AggregationMethod.MEAN, experts=["a", "b", "c"])
    with pytest.raises(DuplicateExpertError, match="expert a is listed twice"):
        aggregate_scores(results, AggregationMethod.MEAN, experts=["a", "a"])


# ---------------------------------------------------------------------------------------------
# Properties


def any_rubric() -> st.SearchStrategy[Rubric]:
    return st.one_of(st.sampled_from((COMMUNITY, ZONE)), rubrics())


@st.composite
def panels(draw: st.DrawFn, *, min_size: int = 1) -> list[ScoreResult]:
    rubric = draw(any_rubric())
    answer_lists = draw(
        st.lists(answer_sets(rubric, not_applicable=True), min_size=min_size, max_size=7)
    )
    return [score_answers(rubric, answers) for answers in answer_lists]


def _figures(results: list[ScoreResult], method: AggregationMethod) -> list[Aggregated]:
    aggregate = aggregate_scores(results, method)
    return (
        [i.scores for s in aggregate.sections for i in s.items]
        + [s.scores for s in aggregate.sections]
        + [p.scores for p in aggregate.pools]
    )


@settings(deadline=None)
@given(results=panels(), method=st.sampled_from(METHODS))
def test_every_aggregate_lies_within_the_experts_range(
    results: list[ScoreResult], method: AggregationMethod
) -> None:
    for figure in _figures(results, method):
        assert figure.minimum <= figure.points <= figure.maximum
        assert figure.range == figure.maximum - figure.minimum
        assert figure.points == figure.points.quantize(D("0.01"))


@settings(deadline=None)
@given(data=st.data(), results=panels(min_size=2), method=st.sampled_from(METHODS))
def test_every_method_is_invariant_under_reordering_the_experts(
    data: st.DataObject, results: list[ScoreResult], method: AggregationMethod
) -> None:
    shuffled = data.draw(st.permutations(results))
    before, after = _figures(results, method), _figures(list(shuffled), method)
    for one, other in zip(before, after, strict=True):
        assert (one.points, one.minimum, one.maximum, one.range) == (
            other.points,
            other.minimum,
            other.maximum,
            other.range,
        )
        assert sorted(one.individual) == sorted(other.individual)
    flags = aggregate_scores(results, method).divergences
    shuffled_flags = aggregate_scores(list(shuffled), method).divergences
    assert [(d.kind, d.target, d.range) for d in flags] == [
        (d.kind, d.target, d.range) for d in shuffled_flags
    ]


@settings(deadline=None)
@given(results=panels(), method=st.sampled_from(METHODS))
def test_a_single_experts_aggregate_is_their_score(
    results: list[ScoreResult], method: AggregationMethod
) -> None:
    (result,) = results[:1]
    aggregate = aggregate_scores([result], method, experts=["唯一专家"])
    assert aggregate.divergences == ()
    assert (aggregate.main, aggregate.bonus) == (result.main, result.bonus)
    for section, scored in zip(aggregate.sections, result.sections, strict=True):
        assert section.scores.points == scored.points
        for item, scored_item in zip(section.items, scored.items, strict=True):
            assert item.scores.points == scored_item.points
            assert item.scores.range == ZERO
    for pool, scored_pool in zip(aggregate.pools, result.pools, strict=True):
        assert pool.scores.points == scored_pool.points


# ---------------------------------------------------------------------------------------------
# Ranking


def _standing(
    candidates: list[tuple[str, str, int | None]],
) -> tuple[Standing[tuple[str, str, int | None]], ...]:
    """Rank (label, name, main total or None) candidates; the bonus adds 5 to every total."""
    aggregates = {
        label: aggregate_scores(
            [expert("10", str(main - 10), "5")], AggregationMethod.MEAN, experts=["A"]
        )
        for label, _, main in candidates
        if main is not None
    }
    return rank_aggregates(
        candidates, name=lambda c: c[1], aggregate=lambda c: aggregates.get(c[0])
    )


def test_the_ranking_total_is_main_plus_bonus() -> None:
    aggregate = aggregate_scores([expert("10", "70", "12")], AggregationMethod.MEAN)
    assert (aggregate.main, aggregate.bonus, aggregate.total) == (D(80), D(12), D(92))
    (standing,) = rank_aggregates(["x"], name=str, aggregate=lambda _: aggregate)
    assert (standing.main, standing.bonus, standing.total) == (D(80), D(12), D(92))
    assert (standing.rank, standing.tied, standing.subject) == (1, False, "x")


def test_equal_totals_share_a_rank_and_the_next_rank_skips() -> None:
    ranked = _standing(
        [("c", "曹家渡", 70), ("t", "田林", 90), ("s", "石门", 90), ("k", "康健", 60)]
    )
    assert [(s.subject[0], s.rank, s.tied, s.total) for s in ranked] == [
        ("t", 1, True, D(95)),  # 田林 before 石门 by name: an order of listing, not of merit
        ("s", 1, True, D(95)),
        ("c", 3, False, D(75)),
        ("k", 4, False, D(65)),
    ]
    assert [s.subject[1] for s in ranked[:2]] == sorted(["田林", "石门"])


def test_a_tie_under_one_name_keeps_the_order_given() -> None:
    ranked = _standing([("second", "同名", 80), ("first", "同名", 80), ("top", "甲", 85)])
    assert [(s.subject[0], s.rank, s.tied) for s in ranked] == [
        ("top", 1, False),
        ("second", 2, True),
        ("first", 2, True),
    ]


def test_candidates_without_an_aggregate_follow_unranked_by_name() -> None:
    ranked = _standing([("late-b", "乙", None), ("done", "丙", 50), ("late-a", "B", None)])
    assert [(s.subject[0], s.rank, s.tied) for s in ranked] == [
        ("done", 1, False),
        ("late-a", None, False),
        ("late-b", None, False),
    ]
    assert (ranked[1].main, ranked[1].bonus, ranked[1].total, ranked[1].aggregate) == (
        None,
        None,
        None,
        None,
    )
    assert rank_aggregates([], name=str, aggregate=lambda _: None) == ()


@given(st.lists(st.one_of(st.none(), st.integers(10, 100)), max_size=12))
@settings(max_examples=50, deadline=None)
def test_a_rank_is_one_more_than_the_candidates_strictly_ahead(
    mains: list[int | None],
) -> None:
    candidates = [(str(index), f"unit{index % 3}", main) for index, main in enumerate(mains)]
    ranked = _standing(candidates)
    assert sorted(s.subject for s in ranked) == sorted(candidates)
    finished = [(s, s.total) for s in ranked if s.total is not None]
    assert all(s.rank is None for s in ranked[len(finished) :])
    totals = [total for _, total in finished]
    assert totals == sorted(totals, reverse=True)
    for standing, total in finished:
        assert standing.rank == sum(1 for other in totals if other > total) + 1
        assert standing.tied == (totals.count(total) > 1)
