"""Shared Hypothesis strategies for the scoring engine.

* :func:`answer_sets` — a valid, complete :class:`AnswerSet` for a given core :class:`Rubric`:
  a random level, a random subset of criteria (with a deduction on the step grid where the rule
  has one), counts 0–6, judgement points on the rule's grid, every part of a composite item,
  ``constraint_met`` drawn at random where the item has a constraint, a reason on every answer,
  evidence always present or drawn at random, and optionally some items "not applicable".
* :func:`rubrics` — small synthetic rubrics built directly from the core dataclasses: every rule
  kind (composites included), checklist caps and deductions, item- and section-scope
  constraints, declared points that sometimes match the criteria, sometimes lie above or below
  them and sometimes are missing, section and pool totals that sometimes bind, an optional bonus
  pool, and a resolution drawn at random for every finding of the validator.

Hypothesis profiles are registered in ``tests/conftest.py`` (``HYPOTHESIS_PROFILE``).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Literal

from hypothesis import strategies as st

from lowcarbon.core.answers import AnswerSet, Choice, Evidence, ItemAnswer
from lowcarbon.core.rubric import (
    ZERO,
    ChecklistRule,
    CompositeRule,
    Constraint,
    ConstraintScope,
    CountTier,
    CountTiersRule,
    Criterion,
    Deduction,
    Item,
    JudgementRule,
    LevelsRule,
    Part,
    PerUnitRule,
    Pool,
    Resolution,
    Rubric,
    Rule,
    Section,
    SimpleRule,
)
from lowcarbon.core.text import LocalText
from lowcarbon.core.validation import ALLOWED_DECISIONS, validate_rubric

__all__ = [
    "EVIDENCE",
    "REASON",
    "answer_sets",
    "choices",
    "grid",
    "rubrics",
    "simple_rules",
]

TEXT = LocalText("合成文本", "synthetic text")
HALF = Decimal("0.5")
REASON = "依据现场检查与证明材料评定"
EVIDENCE: dict[str, Evidence] = {
    "EV1": Evidence("EV1", "证明材料一", "evidence/EV1.pdf"),
    "EV2": Evidence("EV2", "证明材料二", "evidence/EV2.pdf"),
}
EvidenceMode = Literal["always", "random"]


def grid(low: Decimal, high: Decimal, step: Decimal) -> st.SearchStrategy[Decimal]:
    """``low``, ``low + step``, … up to ``high`` (inclusive)."""
    steps = int((high - low) / step)
    return st.integers(0, max(steps, 0)).map(lambda k: low + k * step)


def points_grid(high: int | Decimal) -> st.SearchStrategy[Decimal]:
    return grid(ZERO, Decimal(high), HALF)


# ---------------------------------------------------------------------------------------------
# Answers


@st.composite
def _checklist_choice(draw: st.DrawFn, rule: ChecklistRule) -> Choice:
    ids = [criterion.id for criterion in rule.criteria]
    ticked = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    deduct = None
    if rule.deduction is not None and draw(st.booleans()):
        total = sum((c.points for c in rule.criteria if c.id in ticked), ZERO)
        if rule.cap is not None:
            total = min(total, rule.cap)
        step = rule.deduction.step
        deduct = draw(grid(ZERO, (total // step) * step, step))
    return Choice(ticked=tuple(ticked), deduct=deduct)


def choices(rule: SimpleRule) -> st.SearchStrategy[Choice]:
    """A valid choice for one simple rule."""
    if isinstance(rule, LevelsRule):
        return st.sampled_from(rule.options).map(lambda option: Choice(level=option.id))
    if isinstance(rule, ChecklistRule):
        return _checklist_choice(rule)
    if isinstance(rule, CountTiersRule | PerUnitRule):
        return st.integers(0, 6).map(lambda count: Choice(count=count))
    return grid(rule.minimum, rule.maximum, rule.step).map(lambda p: Choice(points=p))


@st.composite
def item_answers(
    draw: st.DrawFn,
    item: Item,
    *,
    evidence: EvidenceMode = "random",
    not_applicable: bool = False,
) -> ItemAnswer:
    # Mostly evidence present and constraints met, so that scores are often high enough for
    # item, section and pool caps to bind; the other cases still come up regularly.
    if evidence == "always":
        evidence_ids: tuple[str, ...] = ("EV1",)
    else:
        evidence_ids = draw(st.sampled_from([("EV1",), ("EV1", "EV2"), ("EV2",), ()]))
    if not_applicable and draw(st.sampled_from([False, False, False, False, False, True])):
        return ItemAnswer(item.id, not_applicable=True, reason=REASON, evidence=evidence_ids)
    met = st.sampled_from([True, True, True, False])
    constraint_met = None if item.constraint is None else draw(met)
    if isinstance(item.rule, CompositeRule):
        parts = {part.id: draw(choices(part.rule)) for part in item.rule.parts}
        return ItemAnswer(
            item.id,
            parts=parts,
            constraint_met=constraint_met,
            reason=REASON,
            evidence=evidence_ids,
        )
    return ItemAnswer(
        item.id,
        choice=draw(choices(item.rule)),
        constraint_met=constraint_met,
        reason=REASON,
        evidence=evidence_ids,
    )


@st.composite
def answer_sets(
    draw: st.DrawFn,
    rubric: Rubric,
    *,
    evidence: EvidenceMode = "random",
    not_applicable: bool = False,
) -> AnswerSet:
    """A valid, complete answer set for ``rubric`` (every item answered, nothing unknown)."""
    answers = {
        item.id: draw(item_answers(item, evidence=evidence, not_applicable=not_applicable))
        for item in rubric.items()
    }
    return AnswerSet(rubric.ref, "合成单位", answers, dict(EVIDENCE))


# ---------------------------------------------------------------------------------------------
# Synthetic rubrics


def _criteria(points: list[Decimal], prefix: str) -> tuple[Criterion, ...]:
    return tuple(Criterion(f"{prefix}{i}", p, TEXT) for i, p in enumerate(points))


@st.composite
def _levels(draw: st.DrawFn) -> LevelsRule:
    return LevelsRule(_criteria(draw(st.lists(points_grid(6), min_size=1, max_size=4)), "o"))


@st.composite
def _checklist(draw: st.DrawFn) -> ChecklistRule:
    criteria = _criteria(draw(st.lists(points_grid(5), min_size=1, max_size=4)), "c")
    total = sum((c.points for c in criteria), ZERO)
    cap = draw(st.none() | grid(HALF, total + 1, HALF))
    step = draw(st.none() | st.sampled_from([HALF, Decimal(1)]))
    deduction = None if step is None else Deduction(TEXT, step)
    return ChecklistRule(criteria, cap=cap, deduction=deduction)


@st.composite
def _count_tiers(draw: st.DrawFn) -> CountTiersRule:
    counts = sorted(draw(st.sets(st.integers(0, 5), min_size=1, max_size=3)))
    return CountTiersRule(tuple(CountTier(n, draw(points_grid(6)), TEXT) for n in counts), TEXT)


@st.composite
def _per_unit(draw: st.DrawFn) -> PerUnitRule:
    return PerUnitRule(
        draw(grid(HALF, Decimal(2), HALF)), draw(grid(HALF, Decimal(5), HALF)), TEXT, TEXT
    )


@st.composite
def _judgement(draw: st.DrawFn) -> JudgementRule:
    minimum = draw(points_grid(2))
    step = draw(st.sampled_from([HALF, Decimal(1)]))
    return JudgementRule(minimum, minimum + step * draw(st.integers(1, 6)), step, TEXT)


def simple_rules() -> st.SearchStrategy[SimpleRule]:
    return st.one_of(_levels(), _checklist(), _count_tiers(), _per_unit(), _judgement())


@st.composite
def _composite(draw: st.DrawFn) -> CompositeRule:
    rules = draw(st.lists(simple_rules(), min_size=1, max_size=3))
    return CompositeRule(tuple(Part(f"p{i}", TEXT, rule) for i, rule in enumerate(rules)))


def rules() -> st.SearchStrategy[Rule]:
    return st.one_of(simple_rules(), _composite())


@st.composite
def _item(draw: st.DrawFn, item_id: str) -> Item:
    rule = draw(rules())
    maximum = rule.maximum
    declared = draw(st.one_of(st.just(maximum), st.none(), grid(ZERO, maximum + 3, HALF)))
    scope = draw(st.sampled_from([None, None, ConstraintScope.ITEM, ConstraintScope.SECTION]))
    constraint = None if scope is None else Constraint(f"k{item_id}", TEXT, scope, "合成 约束项")
    return Item(item_id, TEXT, declared, rule, f"合成 第{item_id}项", constraint=constraint)


def _declared_sum(items: tuple[Item, ...]) -> Decimal:
    return sum(
        (i.reachable_maximum if i.declared_points is None else i.declared_points for i in items),
        ZERO,
    )


@st.composite
def _section(draw: st.DrawFn, index: int, pool: Pool) -> Section:
    count = draw(st.integers(1, 3))
    items = tuple(draw(_item(f"{index}.{n + 1}")) for n in range(count))
    total = _declared_sum(items)
    declared = draw(
        st.one_of(
            st.just(total), st.none(), grid(ZERO, total / 2, HALF), grid(ZERO, total + 3, HALF)
        )
    )
    label = draw(st.sampled_from(["一", "二", "三"]))
    return Section(f"s{index}", label, TEXT, pool, declared, f"合成 {label}", items)


def _resolve(draw: st.DrawFn, rubric: Rubric) -> Rubric:
    """Give every finding of the validator a decision drawn from those it allows.

    Findings on sections and pools depend on the decisions taken for items and sections, so
    this repeats until no finding is left without a resolution and none is stale.
    """
    for _ in range(6):
        current = {(r.finding, r.target): r for r in rubric.resolutions}
        wanted: dict[tuple[str, str], Resolution] = {}
        for finding in validate_rubric(rubric).findings:
            key = (finding.code, finding.target)
            if key in current:
                wanted[key] = current[key]
                continue
            decisions = ALLOWED_DECISIONS[finding.code]
            if finding.code == "item_unreachable" and finding.computed == 0:
                # Scaling needs declared / reachable; a rule that reaches 0 cannot be scaled.
                decisions = ("criteria_as_written",)
            decision = draw(st.sampled_from(decisions))
            wanted[key] = Resolution(finding.code, finding.target, decision, TEXT)
        if wanted.keys() == current.keys():
            return rubric
        rubric = replace(rubric, resolutions=tuple(wanted.values()))
    raise AssertionError("resolutions did not settle")  # pragma: no cover


@st.composite
def rubrics(draw: st.DrawFn) -> Rubric:
    """A small synthetic rubric; see the module docstring."""
    main_count = draw(st.integers(1, 3))
    sections = [draw(_section(i + 1, Pool.MAIN)) for i in range(main_count)]
    if draw(st.booleans()):
        sections.append(draw(_section(main_count + 1, Pool.BONUS)))

    def reach(pool: Pool) -> Decimal:
        return sum((_declared_sum(s.items) for s in sections if s.pool is pool), ZERO)

    main_reach, bonus_reach = reach(Pool.MAIN), reach(Pool.BONUS)
    # Declared totals: as the sections add up, well below (the pool cap binds) or anywhere.
    total = draw(
        st.one_of(
            st.just(main_reach), grid(ZERO, main_reach / 3, HALF), grid(ZERO, main_reach + 5, HALF)
        )
    )
    bonus = draw(
        st.one_of(
            st.none(),
            st.just(bonus_reach),
            grid(ZERO, bonus_reach / 3, HALF),
            grid(ZERO, bonus_reach + 3, HALF),
        )
    )
    rubric = Rubric(
        scheme="synthetic",
        edition="t",
        title=TEXT,
        source="合成",
        declared_total=total,
        declared_bonus=bonus,
        sections=tuple(sections),
        evidence_required=draw(st.booleans()),
        evidence_citation="合成 注",
    )
    return _resolve(draw, rubric)
