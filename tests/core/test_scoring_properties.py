"""Properties of the scoring engine over both official rubrics and random synthetic ones.

Expected values are never taken from the engine under test: bounds come from the validator's
ranges (a separate computation the engine must agree with), caps from the rubric's own
declared points and resolutions, and the official maxima from 附件2/附件4 by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import Phase, assume, find, given, settings
from hypothesis import strategies as st

from lowcarbon.core.answers import AnswerSet, Choice, ItemAnswer
from lowcarbon.core.errors import AnswerProblems
from lowcarbon.core.rubric import (
    ZERO,
    ChecklistRule,
    CompositeRule,
    ConstraintScope,
    CountTiersRule,
    Item,
    JudgementRule,
    LevelsRule,
    PerUnitRule,
    Pool,
    Rubric,
    Section,
    SimpleRule,
)
from lowcarbon.core.scoring import ItemStatus, ScoreResult, score_answers
from lowcarbon.core.validation import validate_rubric
from lowcarbon.rules.schemes import load_rubric
from tests.strategies import EVIDENCE, answer_sets, rubrics

COMMUNITY = load_rubric("community", "2021")
ZONE = load_rubric("zone", "2021")
OFFICIAL = (COMMUNITY, ZONE)

Case = tuple[Rubric, AnswerSet]


def any_rubric() -> st.SearchStrategy[Rubric]:
    return st.one_of(st.sampled_from(OFFICIAL), rubrics())


@st.composite
def cases(draw: st.DrawFn, *, not_applicable: bool = False) -> Case:
    rubric = draw(any_rubric())
    return rubric, draw(answer_sets(rubric, not_applicable=not_applicable))


def _section_cap(rubric: Rubric, section: Section) -> Decimal | None:
    """The section's cap read off the rubric: its declared points unless resolved ``no_cap``."""
    no_cap = any(
        r.target == section.id
        and r.decision == "no_cap"
        and r.finding in {"section_items_exceed_declared", "section_exceedable"}
        for r in rubric.resolutions
    )
    return None if no_cap else section.declared_points


def _pool_cap(rubric: Rubric, pool: Pool) -> Decimal | None:
    """The pool's cap read off the rubric: its declared total unless resolved ``no_cap``."""
    resolution = rubric.resolution("pool_exceedable", pool.value)
    if resolution is not None and resolution.decision == "no_cap":
        return None
    return rubric.declared_total if pool is Pool.MAIN else rubric.declared_bonus


def _capped(total: Decimal, cap: Decimal | None) -> Decimal:
    return total if cap is None else min(total, cap)


# ---------------------------------------------------------------------------------------------
# Ranges


@settings(deadline=None)
@given(case=cases(not_applicable=True))
def test_item_points_lie_within_zero_and_the_effective_maximum(case: Case) -> None:
    rubric, answers = case
    result = score_answers(rubric, answers)
    report = validate_rubric(rubric)
    for section in result.sections:
        for item in section.items:
            expected = report.items[item.item.id]
            assert item.maximum == expected.effective_maximum
            assert ZERO <= item.points <= item.maximum
            assert item.lost >= 0
            if item.status is not ItemStatus.NOT_APPLICABLE:
                # the rule's own award, before caps and constraints, is within reach
                assert expected.minimum <= item.raw <= expected.maximum


@settings(deadline=None)
@given(case=cases(not_applicable=True))
def test_sections_and_pools_are_capped_sums(case: Case) -> None:
    rubric, answers = case
    result = score_answers(rubric, answers)
    for section in result.sections:
        total = sum((item.points for item in section.items), ZERO)
        assert section.raw == total
        assert section.points == _capped(total, _section_cap(rubric, section.section))
    pools = {pool.pool: pool for pool in result.pools}
    for pool in Pool:
        members = [s for s in result.sections if s.section.pool is pool]
        if not members:
            assert pool not in pools
            continue
        total = sum((s.points for s in members), ZERO)
        assert pools[pool].raw == total
        assert pools[pool].points == _capped(total, _pool_cap(rubric, pool))
    assert result.main == (pools[Pool.MAIN].points if Pool.MAIN in pools else ZERO)
    assert result.bonus == (pools[Pool.BONUS].points if Pool.BONUS in pools else ZERO)


@settings(deadline=None)
@given(case=cases(not_applicable=True))
def test_pool_totals_never_exceed_the_validators_effective_maximum(case: Case) -> None:
    rubric, answers = case
    result = score_answers(rubric, answers)
    ranges = validate_rubric(rubric).pools
    assert {pool.pool for pool in result.pools} == set(ranges)
    for pool in result.pools:
        assert pool.maximum == ranges[pool.pool].effective_maximum
        assert ZERO <= pool.points <= ranges[pool.pool].effective_maximum


# ---------------------------------------------------------------------------------------------
# Monotonicity


def _with_choice(answers: AnswerSet, item_id: str, part: str | None, choice: Choice) -> AnswerSet:
    answer = answers.answers[item_id]
    if part is None:
        changed = replace(answer, choice=choice)
    else:
        changed = replace(answer, parts={**answer.parts, part: choice})
    return replace(answers, answers={**answers.answers, item_id: changed})


def _simple_answers(
    rubric: Rubric, answers: AnswerSet
) -> list[tuple[Item, str | None, SimpleRule, Choice]]:
    """(item, part, rule, choice) for every scored simple rule of every answered item."""
    found = []
    for item in rubric.items():
        answer = answers.answers[item.id]
        if answer.not_applicable:
            continue
        if isinstance(item.rule, CompositeRule):
            found += [(item, p.id, p.rule, answer.parts[p.id]) for p in item.rule.parts]
        elif answer.choice is not None:
            found.append((item, None, item.rule, answer.choice))
    return found


def _assert_not_lower(before: ScoreResult, after: ScoreResult, item_id: str) -> None:
    assert after.item(item_id).points >= before.item(item_id).points
    for old, new in zip(before.sections, after.sections, strict=True):
        assert new.points >= old.points
    assert after.main >= before.main
    assert after.bonus >= before.bonus


@settings(deadline=None)
@given(case=cases(), data=st.data())
def test_ticking_one_more_criterion_never_lowers_a_score(case: Case, data: st.DataObject) -> None:
    rubric, answers = case
    candidates = [
        (item, part, criterion.id, choice)
        for item, part, rule, choice in _simple_answers(rubric, answers)
        if isinstance(rule, ChecklistRule)
        for criterion in rule.criteria
        if criterion.id not in choice.ticked
    ]
    assume(candidates)
    item, part, criterion, choice = data.draw(st.sampled_from(candidates))
    more = replace(choice, ticked=(*choice.ticked, criterion))
    before = score_answers(rubric, answers)
    after = score_answers(rubric, _with_choice(answers, item.id, part, more))
    _assert_not_lower(before, after, item.id)


@settings(deadline=None)
@given(case=cases(), data=st.data())
def test_raising_a_count_never_lowers_a_score(case: Case, data: st.DataObject) -> None:
    rubric, answers = case
    candidates = [
        (item, part, choice)
        for item, part, rule, choice in _simple_answers(rubric, answers)
        if isinstance(rule, CountTiersRule | PerUnitRule)
    ]
    assume(candidates)
    item, part, choice = data.draw(st.sampled_from(candidates))
    assert choice.count is not None
    more = replace(choice, count=choice.count + data.draw(st.integers(1, 4)))
    before = score_answers(rubric, answers)
    after = score_answers(rubric, _with_choice(answers, item.id, part, more))
    _assert_not_lower(before, after, item.id)


# ---------------------------------------------------------------------------------------------
# Order, "not applicable", statuses


@settings(deadline=None)
@given(case=cases(not_applicable=True), data=st.data())
def test_result_does_not_depend_on_the_order_of_the_answers(
    case: Case, data: st.DataObject
) -> None:
    rubric, answers = case
    shuffled = data.draw(st.permutations(list(answers.answers.items())))
    reordered = replace(
        answers,
        answers={
            item_id: answer
            if answer.choice is None
            else replace(answer, choice=replace(answer.choice, ticked=answer.choice.ticked[::-1]))
            for item_id, answer in shuffled
        },
        evidence=dict(reversed(list(answers.evidence.items()))),
    )
    assert score_answers(rubric, reordered) == score_answers(rubric, answers)


@settings(deadline=None)
@given(case=cases(not_applicable=True))
def test_not_applicable_items_score_zero_with_their_own_status(case: Case) -> None:
    rubric, answers = case
    result = score_answers(rubric, answers)
    for item_id, answer in answers.answers.items():
        got = result.item(item_id)
        if answer.not_applicable:
            assert (got.points, got.status) == (ZERO, ItemStatus.NOT_APPLICABLE)
            assert got.reason == answer.reason
        else:
            assert got.status is not ItemStatus.NOT_APPLICABLE


@settings(deadline=None)
@given(case=cases(not_applicable=True))
def test_constraints_and_missing_evidence_zero_what_they_should(case: Case) -> None:
    rubric, answers = case
    result = score_answers(rubric, answers)
    for section in result.sections:
        unmet_section_constraint = any(
            item.constraint is not None
            and item.constraint.scope is ConstraintScope.SECTION
            and answers.answers[item.id].constraint_met is False
            and not answers.answers[item.id].not_applicable
            for item in section.section.items
        )
        for got in section.items:
            answer: ItemAnswer = answers.answers[got.item.id]
            if got.points > 0:
                assert got.status is ItemStatus.SCORED
                assert not unmet_section_constraint
                assert answer.constraint_met is not False
                assert answer.evidence or not rubric.evidence_required
            if answer.not_applicable:
                continue
            if answer.constraint_met is False:
                assert got.status is ItemStatus.ZEROED_CONSTRAINT
            elif unmet_section_constraint:
                assert got.points == 0
            if got.status is ItemStatus.ZEROED_NO_EVIDENCE:
                assert rubric.evidence_required
                assert not answer.evidence
                assert got.raw > 0
            if got.status is ItemStatus.ZEROED_SECTION_CONSTRAINT:
                assert unmet_section_constraint


# ---------------------------------------------------------------------------------------------
# The official rubrics: maxima read off the seed, and full marks reached.


def test_official_effective_maxima_are_those_of_the_seed() -> None:
    assert validate_rubric(COMMUNITY).ok
    assert validate_rubric(ZONE).ok
    community = validate_rubric(COMMUNITY).pools
    # 附件4: 20 + 50 + 30 declared, but item 19 reaches 3.5 of its 6, so 三 reaches 29.5.
    assert community[Pool.MAIN].effective_maximum == Decimal("99.5")
    assert community[Pool.BONUS].effective_maximum == Decimal(20)  # 4.5 + 5 + 3 × 3.5
    zone = validate_rubric(ZONE).pools
    assert zone[Pool.MAIN].effective_maximum == Decimal(100)  # 20 + 15 + 30 + 15 + 20
    assert Pool.BONUS not in zone


def _top_choice(rule: SimpleRule) -> Choice:
    if isinstance(rule, LevelsRule):
        return Choice(level=max(rule.options, key=lambda o: o.points).id)
    if isinstance(rule, ChecklistRule):
        return Choice(ticked=tuple(c.id for c in rule.criteria))
    if isinstance(rule, CountTiersRule | PerUnitRule):
        return Choice(count=6)
    assert isinstance(rule, JudgementRule)
    return Choice(points=rule.maximum)


@pytest.mark.parametrize("rubric", OFFICIAL, ids=lambda r: r.ref)
def test_official_full_marks_reach_the_effective_maximum(rubric: Rubric) -> None:
    answers = {}
    for item in rubric.items():
        constraint_met = None if item.constraint is None else True
        if isinstance(item.rule, CompositeRule):
            parts = {p.id: _top_choice(p.rule) for p in item.rule.parts}
            answers[item.id] = ItemAnswer(
                item.id,
                parts=parts,
                constraint_met=constraint_met,
                reason="满分",
                evidence=("EV1",),
            )
        else:
            answers[item.id] = ItemAnswer(
                item.id,
                _top_choice(item.rule),
                constraint_met=constraint_met,
                reason="满分",
                evidence=("EV1",),
            )
    result = score_answers(rubric, AnswerSet(rubric.ref, "满分单位", answers, EVIDENCE))
    expected = {
        "community/2021": (Decimal("99.5"), Decimal(20)),
        "zone/2021": (Decimal(100), ZERO),
    }[rubric.ref]
    assert (result.main, result.bonus) == expected


@pytest.mark.parametrize(
    ("rubric", "count"),
    [(COMMUNITY, 23 + 5), (ZONE, 8)],  # 附件4: 23 items and 5 bonus items; 附件2: 8 items
    ids=["community/2021", "zone/2021"],
)
def test_an_empty_answer_set_reports_every_item_as_not_answered(rubric: Rubric, count: int) -> None:
    with pytest.raises(AnswerProblems) as caught:
        score_answers(rubric, AnswerSet(rubric.ref, "空白单位", {}))
    problems = caught.value.problems
    assert len(problems) == count
    assert [p.item_id for p in problems] == [item.id for item in rubric.items()]
    assert all(p.message.render() == f"item {p.item_id} is not answered" for p in problems)


@settings(deadline=None)
@given(answers=answer_sets(ZONE))
def test_answers_for_another_edition_are_refused(answers: AnswerSet) -> None:
    with pytest.raises(AnswerProblems) as caught:
        score_answers(ZONE, replace(answers, rubric_ref="zone/2099"))
    assert [p.message.render() for p in caught.value.problems] == [
        "the answers are for zone/2099, not for zone/2021"
    ]


# ---------------------------------------------------------------------------------------------
# The strategies really produce what the properties are meant to range over.

RubricCheck = Callable[[Rubric], bool]


def _rules(rubric: Rubric) -> list[object]:
    found: list[object] = []
    for item in rubric.items():
        found.append(item.rule)
        if isinstance(item.rule, CompositeRule):
            found += [part.rule for part in item.rule.parts]
    return found


def _decided(decision: str) -> RubricCheck:
    return lambda r: any(res.decision == decision for res in r.resolutions)


FEATURES: dict[str, RubricCheck] = {
    **{
        kind.__name__: (lambda k: lambda r: any(isinstance(x, k) for x in _rules(r)))(kind)
        for kind in (
            LevelsRule,
            ChecklistRule,
            CountTiersRule,
            PerUnitRule,
            JudgementRule,
            CompositeRule,
        )
    },
    "checklist cap": lambda r: any(
        isinstance(x, ChecklistRule) and x.cap is not None for x in _rules(r)
    ),
    "deduction": lambda r: any(
        isinstance(x, ChecklistRule) and x.deduction is not None for x in _rules(r)
    ),
    "item constraint": lambda r: any(
        i.constraint is not None and i.constraint.scope is ConstraintScope.ITEM for i in r.items()
    ),
    "section constraint": lambda r: any(
        i.constraint is not None and i.constraint.scope is ConstraintScope.SECTION
        for i in r.items()
    ),
    "declared above criteria": lambda r: any(
        i.declared_points is not None and i.declared_points > i.reachable_maximum for i in r.items()
    ),
    "declared below criteria": lambda r: any(
        i.declared_points is not None and i.declared_points < i.reachable_maximum for i in r.items()
    ),
    "declared missing": lambda r: any(i.declared_points is None for i in r.items()),
    "scale_to_declared": _decided("scale_to_declared"),
    "no_cap": _decided("no_cap"),
    "bonus pool": lambda r: any(s.pool is Pool.BONUS for s in r.sections),
    "evidence required": lambda r: r.evidence_required,
}


# Searching, not shrinking: the first example that has the feature is enough.
SEARCH = settings(max_examples=2000, deadline=None, database=None, phases=[Phase.generate])


@settings(deadline=None)
@given(rubric=rubrics())
def test_synthetic_rubrics_are_valid_editions(rubric: Rubric) -> None:
    # every finding resolved with an allowed decision, no stale resolution
    report = validate_rubric(rubric)
    assert report.ok, [p.message.render() for p in report.problems]


@pytest.mark.parametrize("feature", sorted(FEATURES))
def test_synthetic_rubrics_reach_every_feature(feature: str) -> None:
    find(rubrics(), FEATURES[feature], settings=SEARCH)


def test_random_answers_reach_not_applicable_unmet_constraints_and_deductions() -> None:
    def community(answers: AnswerSet) -> bool:
        values = answers.answers.values()
        return (
            any(a.not_applicable for a in values)
            and any(a.choice is not None and a.choice.deduct for a in values)
            and any(not a.evidence for a in values)
        )

    find(answer_sets(COMMUNITY, not_applicable=True), community, settings=SEARCH)
    find(answer_sets(ZONE), lambda a: a.answers["4.1"].constraint_met is False, settings=SEARCH)
