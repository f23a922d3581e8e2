"""The scoring engine: answers in, explained scores out.

Order of application for one item (each step leaves a note in the trace):

1. "not applicable" — recorded as such with its reason; never confused with 0;
2. the rule's own award (levels, checklist, counts, judgement, composite parts);
3. the edition's resolution of validator findings (scale to declared points, cap);
4. a constraint item that is unmet zeroes the item or its whole section (附件2 四);
5. "no data or evidence → 0" when the edition switches it on (附件4 注).

Sections are capped at their declared points and pools (main, bonus) at theirs, unless the
edition's resolutions say otherwise (see :mod:`lowcarbon.core.validation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .answers import AnswerSet, Choice, ItemAnswer
from .errors import AnswerError, AnswerProblems
from .messages import Message, gettext_noop
from .rubric import (
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
from .text import LocalText
from .validation import Caps, scale_points

__all__ = [
    "ItemResult",
    "ItemStatus",
    "PoolResult",
    "ScoreResult",
    "SectionResult",
    "TraceLine",
    "score_answers",
]

_CHOICE_FIELDS = ("level", "ticked", "count", "points", "deduct")
_KIND_FIELDS: dict[type, tuple[str, ...]] = {
    LevelsRule: ("level",),
    ChecklistRule: ("ticked", "deduct"),
    CountTiersRule: ("count",),
    PerUnitRule: ("count",),
    JudgementRule: ("points",),
}
#: The fields of a choice that a kind of item does not use, in the order they are reported.
_FOREIGN_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(name for name in _CHOICE_FIELDS if name not in allowed)
    for kind, allowed in _KIND_FIELDS.items()
}
_KIND_NAMES: dict[type, str] = {
    LevelsRule: gettext_noop("levels"),
    ChecklistRule: gettext_noop("checklist"),
    CountTiersRule: gettext_noop("count"),
    PerUnitRule: gettext_noop("per-unit count"),
    JudgementRule: gettext_noop("judgement"),
}


class ItemStatus(StrEnum):
    SCORED = "scored"
    NOT_APPLICABLE = "not_applicable"
    ZEROED_CONSTRAINT = "zeroed_constraint"
    ZEROED_SECTION_CONSTRAINT = "zeroed_section_constraint"
    ZEROED_NO_EVIDENCE = "zeroed_no_evidence"


@dataclass(frozen=True, slots=True)
class TraceLine:
    """One criterion considered: its official text, its points, and whether it was awarded."""

    part: str | None
    criterion: str
    text: LocalText
    points: Decimal
    awarded: bool


@dataclass(frozen=True, slots=True)
class ItemResult:
    item: Item
    status: ItemStatus
    points: Decimal
    maximum: Decimal
    raw: Decimal
    lines: tuple[TraceLine, ...]
    notes: tuple[Message, ...]
    evidence: tuple[str, ...]
    reason: str
    comment: str

    @property
    def lost(self) -> Decimal:
        return self.maximum - self.points


@dataclass(frozen=True, slots=True)
class SectionResult:
    section: Section
    items: tuple[ItemResult, ...]
    raw: Decimal
    points: Decimal
    maximum: Decimal
    notes: tuple[Message, ...]


@dataclass(frozen=True, slots=True)
class PoolResult:
    pool: Pool
    points: Decimal
    maximum: Decimal
    raw: Decimal
    notes: tuple[Message, ...]


@dataclass(frozen=True)
class ScoreResult:
    rubric_ref: str
    rubric_hash: str
    unit: str
    sections: tuple[SectionResult, ...]
    pools: tuple[PoolResult, ...]

    def pool(self, pool: Pool) -> PoolResult | None:
        return next((p for p in self.pools if p.pool is pool), None)

    def item(self, item_id: str) -> ItemResult:
        return next(i for s in self.sections for i in s.items if i.item.id == item_id)

    @property
    def main(self) -> Decimal:
        result = self.pool(Pool.MAIN)
        return result.points if result else ZERO

    @property
    def bonus(self) -> Decimal:
        result = self.pool(Pool.BONUS)
        return result.points if result else ZERO


class _Problems:
    """Collects every answer problem so they are reported together."""

    def __init__(self) -> None:
        self.errors: list[AnswerError] = []

    def add(self, label: str | None, template: str, **params: object) -> None:
        # A composite part is labelled "9/campaign"; the problem belongs to item 9.
        item_id = None if label is None else label.split("/", 1)[0]
        self.errors.append(AnswerError(Message(template, params), item_id=item_id))


def _step_ok(value: Decimal, origin: Decimal, step: Decimal) -> bool:
    return (value - origin) % step == 0


def _label(item_id: str, part: str | None) -> str:
    return item_id if part is None else f"{item_id}/{part}"


def _check_fields(rule: SimpleRule, choice: Choice, label: str, problems: _Problems) -> bool:
    allowed = _KIND_FIELDS[type(rule)]
    ok = True
    for name in _FOREIGN_FIELDS[type(rule)]:
        value = getattr(choice, name)
        if value not in (None, ()):
            problems.add(
                label,
                gettext_noop(
                    "item {item}: {field} does not apply to a {kind} item; answer with {expected}"
                ),
                item=label,
                field=name,
                kind=Message(_KIND_NAMES[type(rule)]),
                expected=allowed[0],
            )
            ok = False
    return ok


def _score_levels(
    rule: LevelsRule, choice: Choice, label: str, part: str | None, problems: _Problems
) -> tuple[Decimal, list[TraceLine]]:
    ids = rule.ids
    if choice.level is None:
        problems.add(
            label,
            gettext_noop("item {item}: choose one level of {allowed}"),
            item=label,
            allowed=list(ids),
        )
        return ZERO, []
    if choice.level not in ids:
        problems.add(
            label,
            gettext_noop(
                "item {item}: the level {found} does not exist; allowed levels: {allowed}"
            ),
            item=label,
            found=choice.level,
            allowed=list(ids),
        )
        return ZERO, []
    lines = [TraceLine(part, o.id, o.text, o.points, o.id == choice.level) for o in rule.options]
    return next(o.points for o in rule.options if o.id == choice.level), lines


def _score_checklist(
    rule: ChecklistRule,
    choice: Choice,
    label: str,
    part: str | None,
    reason: str,
    problems: _Problems,
    notes: list[Message],
) -> tuple[Decimal, list[TraceLine]]:
    ids = rule.ids
    ticked: set[str] = set()
    for found in choice.ticked:
        if found not in ids:
            problems.add(
                label,
                gettext_noop("item {item}: unknown criterion {found}; allowed: {allowed}"),
                item=label,
                found=found,
                allowed=list(ids),
            )
        elif found in ticked:
            problems.add(
                label,
                gettext_noop("item {item}: criterion {found} is ticked twice"),
                item=label,
                found=found,
            )
        ticked.add(found)
    lines = [TraceLine(part, c.id, c.text, c.points, c.id in ticked) for c in rule.criteria]
    total = sum((c.points for c in rule.criteria if c.id in ticked), ZERO)
    if rule.cap is not None and total > rule.cap:
        notes.append(
            Message(
                gettext_noop("criteria add up to {raw}; capped at {cap}"),
                {"raw": total, "cap": rule.cap},
            )
        )
        total = rule.cap
    if choice.deduct is not None:
        total = _deduct(rule, choice.deduct, total, label, reason, problems, notes)
    return total, lines


def _deduct(
    rule: ChecklistRule,
    deduct: Decimal,
    total: Decimal,
    label: str,
    reason: str,
    problems: _Problems,
    notes: list[Message],
) -> Decimal:
    if rule.deduction is None:
        problems.add(label, gettext_noop("item {item}: this item allows no deduction"), item=label)
        return total
    step = rule.deduction.step
    if deduct < 0 or deduct > total or not _step_ok(deduct, ZERO, step):
        problems.add(
            label,
            gettext_noop(
                "item {item}: a deduction of {found} must lie between 0 "
                "and {maximum} in steps of {step}"
            ),
            item=label,
            found=deduct,
            maximum=total,
            step=step,
        )
        return total
    if deduct and not reason.strip():
        problems.add(
            label, gettext_noop("item {item}: a deduction needs a written reason"), item=label
        )
    if deduct:
        notes.append(
            Message(
                gettext_noop("{deduct} deducted: {text}"),
                {"deduct": deduct, "text": rule.deduction.text.zh},
            )
        )
    return total - deduct


def _count(choice: Choice, label: str, problems: _Problems) -> int | None:
    if choice.count is None or choice.count < 0:
        problems.add(
            label,
            gettext_noop(
                "item {item}: give the count as a whole number of 0 or more, found {found}"
            ),
            item=label,
            found="—" if choice.count is None else choice.count,
        )
        return None
    return choice.count


def _score_count_tiers(
    rule: CountTiersRule, choice: Choice, label: str, part: str | None, problems: _Problems
) -> tuple[Decimal, list[TraceLine]]:
    count = _count(choice, label, problems)
    if count is None:
        return ZERO, []
    reached = [tier for tier in rule.tiers if tier.min_count <= count]
    best = max(reached, key=lambda tier: tier.points) if reached else None
    lines = [TraceLine(part, f">={t.min_count}", t.text, t.points, t is best) for t in rule.tiers]
    return (best.points if best else ZERO), lines


def _score_per_unit(
    rule: PerUnitRule,
    choice: Choice,
    label: str,
    part: str | None,
    problems: _Problems,
    notes: list[Message],
) -> tuple[Decimal, list[TraceLine]]:
    count = _count(choice, label, problems)
    if count is None:
        return ZERO, []
    raw = rule.per_unit * count
    points = min(raw, rule.cap)
    if raw > rule.cap:
        notes.append(
            Message(
                gettext_noop("{count} × {per_unit} = {raw}; capped at {cap}"),
                {"count": count, "per_unit": rule.per_unit, "raw": raw, "cap": rule.cap},
            )
        )
    return points, [TraceLine(part, f"x{count}", rule.text, points, count > 0)]


def _score_judgement(
    rule: JudgementRule,
    choice: Choice,
    label: str,
    part: str | None,
    reason: str,
    problems: _Problems,
) -> tuple[Decimal, list[TraceLine]]:
    points = choice.points
    if (
        points is None
        or not rule.minimum <= points <= rule.maximum
        or not _step_ok(points, rule.minimum, rule.step)
    ):
        problems.add(
            label,
            gettext_noop(
                "item {item}: {found} points lies outside {minimum} to {maximum} in steps of {step}"
            ),
            item=label,
            found="—" if points is None else points,
            minimum=rule.minimum,
            maximum=rule.maximum,
            step=rule.step,
        )
        return ZERO, []
    if not reason.strip():
        problems.add(
            label, gettext_noop("item {item}: a judgement needs a written reason"), item=label
        )
    return points, [TraceLine(part, "judgement", rule.text, points, points > 0)]


def _score_simple(
    rule: SimpleRule,
    choice: Choice | None,
    item_id: str,
    part: str | None,
    reason: str,
    problems: _Problems,
    notes: list[Message],
) -> tuple[Decimal, list[TraceLine]]:
    label = _label(item_id, part)
    if choice is None:
        problems.add(label, gettext_noop("item {item} is not answered"), item=label)
        return ZERO, []
    if not _check_fields(rule, choice, label, problems):
        return ZERO, []
    if isinstance(rule, LevelsRule):
        return _score_levels(rule, choice, label, part, problems)
    if isinstance(rule, ChecklistRule):
        return _score_checklist(rule, choice, label, part, reason, problems, notes)
    if isinstance(rule, CountTiersRule):
        return _score_count_tiers(rule, choice, label, part, problems)
    if isinstance(rule, PerUnitRule):
        return _score_per_unit(rule, choice, label, part, problems, notes)
    return _score_judgement(rule, choice, label, part, reason, problems)


def _score_rule(
    item: Item, answer: ItemAnswer, problems: _Problems, notes: list[Message]
) -> tuple[Decimal, list[TraceLine]]:
    rule = item.rule
    if not isinstance(rule, CompositeRule):
        if answer.parts:
            problems.add(
                item.id, gettext_noop("item {item} has no parts; answer it directly"), item=item.id
            )
        return _score_simple(rule, answer.choice, item.id, None, answer.reason, problems, notes)
    part_ids = [part.id for part in rule.parts]
    if answer.choice is not None:
        problems.add(
            item.id,
            gettext_noop("item {item} is scored by its parts {parts}; answer each part"),
            item=item.id,
            parts=part_ids,
        )
    for unknown in sorted(set(answer.parts) - set(part_ids)):
        problems.add(
            item.id,
            gettext_noop("item {item}: unknown part {found}; parts: {parts}"),
            item=item.id,
            found=unknown,
            parts=part_ids,
        )
    total, lines = ZERO, []
    for part in rule.parts:
        points, part_lines = _score_simple(
            part.rule,
            answer.parts.get(part.id),
            item.id,
            part.id,
            answer.reason,
            problems,
            notes,
        )
        total += points
        lines += part_lines
    return total, lines


def _apply_caps(item: Item, raw: Decimal, caps: Caps, notes: list[Message]) -> Decimal:
    points = raw
    scale = caps.item_scale.get(item.id)
    if scale is not None:
        points = scale_points(raw, scale).quantize(Decimal("0.01"))
        notes.append(
            Message(
                gettext_noop("scaled to the declared {declared} points: {raw} → {points}"),
                {"declared": item.declared_points, "raw": raw, "points": points},
            )
        )
    cap = caps.item_cap.get(item.id)
    if cap is not None and points > cap:
        notes.append(Message(gettext_noop("capped at the item's {cap} points"), {"cap": cap}))
        points = cap
    return points


def _score_item(
    rubric: Rubric,
    item: Item,
    answer: ItemAnswer | None,
    caps: Caps,
    problems: _Problems,
) -> tuple[ItemResult, bool]:
    """The item's result, and whether it triggers its section's constraint."""
    notes: list[Message] = []
    maximum = rubric.effective_maxima[item.id]

    def result(
        status: ItemStatus, points: Decimal, raw: Decimal, lines: Sequence[TraceLine] = ()
    ) -> ItemResult:
        assert answer is not None
        return ItemResult(
            item,
            status,
            points,
            maximum,
            raw,
            tuple(lines),
            tuple(notes),
            answer.evidence,
            answer.reason,
            answer.comment,
        )

    if answer is None:
        problems.add(item.id, gettext_noop("item {item} is not answered"), item=item.id)
        # A placeholder so the remaining items are still checked; never returned to callers
        # because the problem above makes score_answers raise.
        return ItemResult(item, ItemStatus.SCORED, ZERO, maximum, ZERO, (), (), (), "", ""), False
    if answer.not_applicable:
        if answer.choice is not None or answer.parts:
            problems.add(
                item.id,
                gettext_noop("item {item} is answered as not applicable and also scored; keep one"),
                item=item.id,
            )
        if not answer.reason.strip():
            problems.add(
                item.id,
                gettext_noop("item {item}: not applicable needs a written reason"),
                item=item.id,
            )
        notes.append(Message(gettext_noop("not applicable: {reason}"), {"reason": answer.reason}))
        return result(ItemStatus.NOT_APPLICABLE, ZERO, ZERO), False

    raw, lines = _score_rule(item, answer, problems, notes)
    points = _apply_caps(item, raw, caps, notes)

    constraint = item.constraint
    if constraint is not None:
        if answer.constraint_met is None:
            problems.add(
                item.id,
                gettext_noop("item {item}: say whether the constraint is met: {text}"),
                item=item.id,
                text=constraint.text.zh,
            )
        elif not answer.constraint_met:
            notes.append(
                Message(
                    gettext_noop("constraint not met ({citation}): {text}"),
                    {"citation": constraint.citation, "text": constraint.text.zh},
                )
            )
            section_wide = constraint.scope is ConstraintScope.SECTION
            return result(ItemStatus.ZEROED_CONSTRAINT, ZERO, raw, lines), section_wide
    elif answer.constraint_met is not None:
        problems.add(
            item.id,
            gettext_noop("item {item} has no constraint; remove constraint_met"),
            item=item.id,
        )

    if rubric.evidence_required and points > 0 and not answer.evidence:
        notes.append(
            Message(
                gettext_noop("{points} points claimed without evidence; scored 0 ({citation})"),
                {"points": points, "citation": rubric.evidence_citation},
            )
        )
        return result(ItemStatus.ZEROED_NO_EVIDENCE, ZERO, raw, lines), False
    return result(ItemStatus.SCORED, points, raw, lines), False


def _score_section(
    rubric: Rubric,
    section: Section,
    answers: AnswerSet,
    caps: Caps,
    problems: _Problems,
) -> SectionResult:
    results: list[ItemResult] = []
    zero_section = False
    for item in section.items:
        item_result, triggers = _score_item(
            rubric, item, answers.answers.get(item.id), caps, problems
        )
        results.append(item_result)
        zero_section = zero_section or triggers
    notes: list[Message] = []
    if zero_section:
        notes.append(
            Message(gettext_noop("a constraint of this section is not met; every item scores 0"))
        )
        results = [
            r
            if r.status is not ItemStatus.SCORED
            else ItemResult(
                r.item,
                ItemStatus.ZEROED_SECTION_CONSTRAINT,
                ZERO,
                r.maximum,
                r.raw,
                r.lines,
                r.notes,
                r.evidence,
                r.reason,
                r.comment,
            )
            for r in results
        ]
    raw = sum((r.points for r in results), ZERO)
    cap = caps.section_cap.get(section.id)
    points = raw
    if cap is not None and raw > cap:
        notes.append(
            Message(
                gettext_noop("items add up to {raw}; section capped at {cap}"),
                {"raw": raw, "cap": cap},
            )
        )
        points = cap
    maximum = sum((r.maximum for r in results), ZERO)
    maximum = maximum if cap is None else min(maximum, cap)
    return SectionResult(section, tuple(results), raw, points, maximum, tuple(notes))


#: The pools in their order, once (iterating an enum class is slow).
_POOLS: tuple[Pool, ...] = tuple(Pool)


def _score_pool(pool: Pool, sections: list[SectionResult], caps: Caps) -> PoolResult:
    raw = sum((s.points for s in sections), ZERO)
    maximum = sum((s.maximum for s in sections), ZERO)
    cap = caps.pool_cap.get(pool)
    notes: list[Message] = []
    points = raw
    if cap is not None:
        maximum = min(maximum, cap)
        if raw > cap:
            notes.append(
                Message(
                    gettext_noop("sections add up to {raw}; capped at {cap}"),
                    {"raw": raw, "cap": cap},
                )
            )
            points = cap
    return PoolResult(pool, points, maximum, raw, tuple(notes))


def score_answers(rubric: Rubric, answers: AnswerSet) -> ScoreResult:
    """Score every item of ``rubric``; raise :class:`AnswerProblems` listing all misfits."""
    problems = _Problems()
    if answers.rubric_ref != rubric.ref:
        problems.add(
            None,
            gettext_noop("the answers are for {found}, not for {expected}"),
            found=answers.rubric_ref,
            expected=rubric.ref,
        )
    known = {item.id for item in rubric.items()}
    for unknown in sorted(set(answers.answers) - known):
        problems.add(
            unknown,
            gettext_noop("unknown item {found}; {rubric} has the items {allowed}"),
            found=unknown,
            rubric=rubric.ref,
            allowed=[i.id for i in rubric.items()],
        )
    for answer in answers.answers.values():
        for evidence_id in answer.evidence:
            if evidence_id not in answers.evidence:
                problems.add(
                    answer.item_id,
                    gettext_noop(
                        "item {item}: evidence {found} is not "
                        "listed under evidence; listed: "
                        "{allowed}"
                    ),
                    item=answer.item_id,
                    found=evidence_id,
                    allowed=sorted(answers.evidence) or "—",
                )
    caps = rubric.caps
    sections = [_score_section(rubric, s, answers, caps, problems) for s in rubric.sections]
    if problems.errors:
        raise AnswerProblems(problems.errors)
    pools = tuple(
        _score_pool(pool, [s for s in sections if s.section.pool is pool], caps)
        for pool in _POOLS
        if any(s.section.pool is pool for s in sections)
    )
    return ScoreResult(rubric.ref, rubric.content_hash, answers.unit, tuple(sections), pools)
