"""The outcome of mid-term evaluation and acceptance, and the comparisons beside it.

Scenarios are a table: scores written down by hand under a small rule whose marks are easy to
check (pass 80 %, rectification 60 %, section 一 at least half, item 1 above 0), with the outcome
and the thresholds each one meets or misses. Properties: raising any score never worsens the
outcome (under synthetic rules and the bundled ones over the official rubrics); the totals of
the comparisons are the sums of their rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowcarbon.core.acceptance import (
    FAR_ABOVE_PLAN_FACTOR,
    STAGES,
    TASK_STATUSES,
    AcceptanceError,
    AcceptanceOutcome,
    AcceptanceRule,
    CheckKind,
    ItemScore,
    PanelScores,
    Presence,
    SectionMinimum,
    SectionScore,
    TaskFlag,
    TaskProgress,
    batch_row,
    compare_scores,
    compare_tasks,
    decide_outcome,
    panel_scores,
)
from lowcarbon.core.aggregation import AggregationMethod, aggregate_scores
from lowcarbon.core.rubric import ZERO, Pool, Rubric
from lowcarbon.core.text import LocalText
from lowcarbon.rules.acceptance_rules import acceptance_rule
from lowcarbon.rules.answers import score_answers_file
from lowcarbon.rules.schemes import load_rubric

D = Decimal
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# A small rubric: section 一 (s1: items 1 of 5 and 2 of 15 points), section 二 (s2: item 3 of
# 80 points), and a bonus section (b: item B of 20 points). Main maximum 100.
SHAPE: dict[str, tuple[str, Decimal]] = {
    "1": ("s1", D(5)),
    "2": ("s1", D(15)),
    "3": ("s2", D(80)),
    "B": ("b", D(20)),
}
SECTIONS = {"s1": ("一", Pool.MAIN), "s2": ("二", Pool.MAIN), "b": ("三", Pool.BONUS)}

RULE = AcceptanceRule(
    kind="community",
    stage="final",
    edition="test",
    rubric_ref="test/1",
    pass_share=D("0.80"),
    rectification_share=D("0.60"),
    section_minimums=(SectionMinimum("s1", D("0.5")),),
    veto_items=("1",),
    sources=(("pass_share", "our choice"),),
)


def title(text: str) -> LocalText:
    return LocalText(zh=text, en=text)


def scores(points: Mapping[str, Decimal | int | str], ref: str = "test/1") -> PanelScores:
    """Scores of the small rubric: each item's points, sections and pools added up."""
    values = {item: D(str(points.get(item, 0))) for item in SHAPE}
    items = tuple(
        ItemScore(item, section, title(f"item {item}"), values[item], maximum)
        for item, (section, maximum) in SHAPE.items()
    )
    sections = tuple(
        SectionScore(
            sid,
            label,
            title(f"section {sid}"),
            pool,
            sum((i.points for i in items if i.section == sid), ZERO),
            sum((i.maximum for i in items if i.section == sid), ZERO),
        )
        for sid, (label, pool) in SECTIONS.items()
    )
    main = [s for s in sections if s.pool is Pool.MAIN]
    return PanelScores(
        ref,
        sum((s.points for s in main), ZERO),
        sum((s.maximum for s in main), ZERO),
        values["B"],
        D(20),
        sections,
        items,
    )


P, R, F = AcceptanceOutcome.PASSED, AcceptanceOutcome.REINSPECT, AcceptanceOutcome.FAILED

# (name, item points, outcome, the checks not met as (kind, target))
SCENARIOS: list[tuple[str, dict[str, object], AcceptanceOutcome, set[tuple[CheckKind, str]]]] = [
    ("full marks", {"1": 5, "2": 15, "3": 80}, P, set()),
    ("exactly the pass mark", {"1": 5, "2": 15, "3": 60}, P, set()),
    (
        "just below the pass mark",
        {"1": 5, "2": 15, "3": "59.99"},
        R,
        {(CheckKind.PASS_MARK, "main")},
    ),
    (
        "exactly the rectification mark",
        {"1": 5, "2": 5, "3": 50},
        R,
        {(CheckKind.PASS_MARK, "main")},
    ),
    (
        "just below the rectification mark",
        {"1": 5, "2": 5, "3": "49.99"},
        F,
        {(CheckKind.PASS_MARK, "main"), (CheckKind.RECTIFICATION_MARK, "main")},
    ),
    (
        "a high total with a weak section",
        {"1": 5, "2": "4.5", "3": 80},
        R,
        {(CheckKind.SECTION_MINIMUM, "s1")},
    ),
    ("a section exactly at its minimum", {"1": 5, "2": 5, "3": 80}, P, set()),
    (
        "a high total with a key item at 0",
        {"1": 0, "2": 15, "3": 80},
        R,
        {(CheckKind.VETO_ITEM, "1")},
    ),
    (
        "a key item at 0 and a low total",
        {"1": 0, "2": 10, "3": 40},
        F,
        {
            (CheckKind.PASS_MARK, "main"),
            (CheckKind.RECTIFICATION_MARK, "main"),
            (CheckKind.VETO_ITEM, "1"),
        },
    ),
    (
        "the bonus does not lift the total to the pass mark",
        {"1": 5, "2": 15, "3": 59, "B": 20},
        R,
        {(CheckKind.PASS_MARK, "main")},
    ),
    (
        "nothing scored",
        {},
        F,
        {
            (CheckKind.PASS_MARK, "main"),
            (CheckKind.RECTIFICATION_MARK, "main"),
            (CheckKind.SECTION_MINIMUM, "s1"),
            (CheckKind.VETO_ITEM, "1"),
        },
    ),
]


@pytest.mark.parametrize(
    ("points", "outcome", "unmet"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_scenarios(
    points: dict[str, object], outcome: AcceptanceOutcome, unmet: set[tuple[CheckKind, str]]
) -> None:
    decision = decide_outcome(RULE, scores(points))  # type: ignore[arg-type]
    assert decision.outcome is outcome
    assert {(c.kind, c.target) for c in decision.unmet} == unmet
    # Every threshold is compared and named, met or not.
    assert [(c.kind, c.target) for c in decision.checks] == [
        (CheckKind.PASS_MARK, "main"),
        (CheckKind.RECTIFICATION_MARK, "main"),
        (CheckKind.SECTION_MINIMUM, "s1"),
        (CheckKind.VETO_ITEM, "1"),
    ]
    # One reason per check, the bonus apart, the verdict last.
    assert decision.reasons[:4] == tuple(c.message for c in decision.checks)
    assert "shown apart and not counted" in decision.reasons[4].template
    assert decision.reasons[-1].template.startswith(
        {P: "passed", R: "re-inspection", F: "not passed"}[outcome]
    )


def test_the_reasons_name_each_mark_with_the_value_found() -> None:
    decision = decide_outcome(RULE, scores({"1": 0, "2": "4.5", "3": 70, "B": 8}))
    assert [m.render() for m in decision.reasons] == [
        "main total 74.5 of 100 points; pass mark 80 points (80 % of the maximum): not reached",
        "main total 74.5 of 100 points; rectification mark 60 points (60 % of the maximum): "
        "reached",
        "section 一 section s1: 4.5 of 20 points; minimum 10 points (50 % of the section): "
        "not reached",
        "key item 1 item 1: 0 of 5 points; a key item must score more than 0: not met",
        "bonus 8 of 20 points, shown apart and not counted",
        "re-inspection after rectification: the main total reaches the rectification mark; 3 of "
        "the pass requirements not met",
    ]
    assert decision.main == D("74.5")
    assert decision.bonus == D(8)
    assert decision.main_maximum == D(100)
    pass_mark = decision.check(CheckKind.PASS_MARK)
    assert pass_mark is not None
    assert (pass_mark.found, pass_mark.mark, pass_mark.share, pass_mark.met) == (
        D("74.5"),
        D(80),
        D("0.80"),
        False,
    )
    section = decision.check(CheckKind.SECTION_MINIMUM, "s1")
    assert section is not None
    assert (section.mark, section.maximum) == (D(10), D(20))
    assert decision.check(CheckKind.VETO_ITEM, "2") is None


def test_without_a_bonus_pool_no_bonus_reason() -> None:
    rule = replace(RULE, section_minimums=(), veto_items=())
    decision = decide_outcome(rule, replace(scores({"3": 80}), bonus_maximum=ZERO))
    assert [c.kind for c in decision.checks] == [CheckKind.PASS_MARK, CheckKind.RECTIFICATION_MARK]
    assert decision.outcome is P  # 80 of 100 without a section or key item to meet
    assert len(decision.reasons) == 3


def test_a_rule_with_a_pass_mark_below_the_rectification_mark_is_refused() -> None:
    with pytest.raises(AcceptanceError) as found:
        replace(RULE, rectification_share=D("0.9"))
    assert found.value.code == "acceptance_marks"
    with pytest.raises(AcceptanceError):
        replace(RULE, rectification_share=ZERO)
    with pytest.raises(AcceptanceError):
        replace(RULE, pass_share=D("1.2"))
    with pytest.raises(AcceptanceError) as share:
        replace(RULE, section_minimums=(SectionMinimum("s1", D("1.5")),))
    assert share.value.code == "acceptance_section_share"
    assert "1.5" in str(share.value)


def test_the_rule_names_its_key_and_sources() -> None:
    assert RULE.ref == "community/final/test"
    assert RULE.source("pass_share") == "our choice"
    assert RULE.source("veto_items") == ""
    assert STAGES == ("midterm", "final")


def test_scores_of_another_rubric_or_lacking_a_named_section_or_item_are_refused() -> None:
    with pytest.raises(AcceptanceError) as other:
        decide_outcome(RULE, scores({}, ref="test/2"))
    assert other.value.code == "acceptance_rubric"
    assert "test/2" in str(other.value)
    with pytest.raises(AcceptanceError) as section:
        decide_outcome(
            replace(RULE, section_minimums=(SectionMinimum("s9", D("0.5")),)), scores({})
        )
    assert section.value.code == "acceptance_unknown_section"
    with pytest.raises(AcceptanceError) as item:
        decide_outcome(replace(RULE, veto_items=("9",)), scores({}))
    assert item.value.code == "acceptance_unknown_item"
    assert "9" in str(item.value)


def test_outcomes_rank_worst_first() -> None:
    assert [o.rank for o in (F, R, P)] == [0, 1, 2]


# -- the official rubrics, one expert and a panel ----------------------------------------------


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_panel_scores_read_one_expert_and_the_panel_alike(kind: str) -> None:
    result = score_answers_file(EXAMPLES / kind / "answers.yaml")
    one = panel_scores(result)
    assert one.rubric_ref == f"{kind}/2021"
    assert (one.main, one.bonus) == (result.main, result.bonus)
    assert [s.id for s in one.sections] == [s.section.id for s in result.sections]
    assert [i.id for i in one.items] == [i.item.id for s in result.sections for i in s.items]
    assert all(i.points == result.item(i.id).points for i in one.items)
    # Two experts who agree: the panel's figures are theirs.
    panel = panel_scores(aggregate_scores([result, result], AggregationMethod.MEAN))
    assert panel == one


def test_the_community_example_passes_with_the_scaled_maximum() -> None:
    # 附件4's section 三 reaches 29.5 once its items are capped, so the main maximum is 99.5 and
    # the pass mark 80 % of it: 79.6 points, not 80.
    scores_ = panel_scores(score_answers_file(EXAMPLES / "community" / "answers.yaml"))
    assert scores_.main_maximum == D("99.5")
    decision = decide_outcome(acceptance_rule("community", "final"), scores_)
    check = decision.check(CheckKind.PASS_MARK)
    assert check is not None
    assert check.mark == D("79.6")
    assert decision.outcome is P


def official_scores(rubric: Rubric, fraction: Mapping[str, Decimal]) -> PanelScores:
    """Scores of ``rubric`` with each item at ``fraction[item]`` of its maximum (sections and
    pools added up, as when no cap binds)."""
    maxima = rubric.effective_maxima
    items = tuple(
        ItemScore(i.id, s.id, i.title, maxima[i.id] * fraction[i.id], maxima[i.id])
        for s in rubric.sections
        for i in s.items
    )
    sections = tuple(
        SectionScore(
            s.id,
            s.label,
            s.title,
            s.pool,
            sum((i.points for i in items if i.section == s.id), ZERO),
            sum((i.maximum for i in items if i.section == s.id), ZERO),
        )
        for s in rubric.sections
    )

    def pool(p: Pool, field: str) -> Decimal:
        return sum((getattr(s, field) for s in sections if s.pool is p), ZERO)

    return PanelScores(
        rubric.ref,
        pool(Pool.MAIN, "points"),
        pool(Pool.MAIN, "maximum"),
        pool(Pool.BONUS, "points"),
        pool(Pool.BONUS, "maximum"),
        sections,
        items,
    )


FRACTIONS = st.sampled_from([D(0), D("0.25"), D("0.5"), D("0.75"), D(1)])
BUNDLED = [("community", "final"), ("zone", "midterm"), ("zone", "final")]
RUBRICS = {kind: load_rubric(kind, "2021") for kind in ("community", "zone")}


@settings(max_examples=150, deadline=None)
@given(case=st.sampled_from(BUNDLED), data=st.data())
def test_raising_a_score_never_worsens_the_outcome_under_the_bundled_rules(
    case: tuple[str, str], data: st.DataObject
) -> None:
    rule = acceptance_rule(*case)
    rubric = RUBRICS[case[0]]
    assert rubric.ref == rule.rubric_ref
    ids = [i.id for i in rubric.items()]
    before = {i: data.draw(FRACTIONS, label=i) for i in ids}
    raised = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True), label="raised")
    after = {
        i: max(before[i], data.draw(FRACTIONS, label=f"{i}+")) if i in raised else before[i]
        for i in ids
    }
    worse = decide_outcome(rule, official_scores(rubric, before)).outcome
    better = decide_outcome(rule, official_scores(rubric, after)).outcome
    assert better.rank >= worse.rank


POINTS = st.decimals(min_value=0, max_value=1, places=2)


@settings(max_examples=200, deadline=None)
@given(
    fractions=st.tuples(POINTS, POINTS, POINTS, POINTS),
    raise_by=st.tuples(POINTS, POINTS, POINTS, POINTS),
    marks=st.tuples(POINTS, POINTS).filter(lambda m: min(m) > 0),
    section_share=POINTS,
)
def test_raising_a_score_never_worsens_the_outcome_under_any_rule(
    fractions: tuple[Decimal, ...],
    raise_by: tuple[Decimal, ...],
    marks: tuple[Decimal, Decimal],
    section_share: Decimal,
) -> None:
    rule = replace(
        RULE,
        pass_share=max(marks),
        rectification_share=min(marks),
        section_minimums=(SectionMinimum("s1", section_share), SectionMinimum("s2", section_share)),
        veto_items=("1", "3"),
    )
    maxima = [m for _, m in SHAPE.values()]
    before = {item: f * m for item, f, m in zip(SHAPE, fractions, maxima, strict=True)}
    after = {
        item: min(m, p + r * m)
        for (item, p), r, m in zip(before.items(), raise_by, maxima, strict=True)
    }
    worse = decide_outcome(rule, scores(before)).outcome
    better = decide_outcome(rule, scores(after)).outcome
    assert better.rank >= worse.rank


# -- application score against acceptance score ------------------------------------------------


def test_the_same_edition_compared_item_by_item() -> None:
    application = scores({"1": 5, "2": 10, "3": 70, "B": 5})
    acceptance = scores({"1": 5, "2": 12, "3": "62.5", "B": 10})
    comparison = compare_scores(application, acceptance)
    assert comparison.same_edition
    assert comparison.notes == ()
    assert [(i.id, i.application, i.acceptance, i.change) for i in comparison.items] == [
        ("1", D(5), D(5), D(0)),
        ("2", D(10), D(12), D(2)),
        ("3", D(70), D("62.5"), D("-7.5")),
        ("B", D(5), D(10), D(5)),
    ]
    assert [(s.id, s.change, [i.id for i in s.items]) for s in comparison.sections] == [
        ("s1", D(2), ["1", "2"]),
        ("s2", D("-7.5"), ["3"]),
        ("b", D(5), ["B"]),
    ]
    assert comparison.main_change == D("-5.5")
    assert comparison.bonus_change == D(5)
    assert all(i.presence is Presence.BOTH for i in comparison.items)


def test_two_editions_are_matched_by_id_and_the_missing_marked() -> None:
    application = scores({"1": 5, "2": 10, "3": 70}, ref="test/1")
    new = scores({"1": 4, "2": 10, "3": 70}, ref="test/2")
    # The new edition drops item 2 and adds item 4 in a new section s3.
    acceptance = replace(
        new,
        items=(
            *(i for i in new.items if i.id != "2"),
            ItemScore("4", "s3", title("item 4"), D(3), D(10)),
        ),
        sections=(*new.sections, SectionScore("s3", "四", title("s3"), Pool.MAIN, D(3), D(10))),
    )
    comparison = compare_scores(application, acceptance)
    assert not comparison.same_edition
    rows = {i.id: i for i in comparison.items}
    assert [i.id for i in comparison.items] == ["1", "2", "3", "B", "4"]  # section by section
    assert rows["2"].presence is Presence.APPLICATION_ONLY
    assert (rows["2"].acceptance, rows["2"].change) == (None, None)
    assert rows["4"].presence is Presence.ACCEPTANCE_ONLY
    assert (rows["4"].application, rows["4"].acceptance, rows["4"].change) == (None, D(3), None)
    assert rows["1"].change == D(-1)
    sections = {s.id: s for s in comparison.sections}
    assert sections["s3"].presence is Presence.ACCEPTANCE_ONLY
    assert sections["s3"].change is None
    assert [i.id for i in sections["s1"].items] == ["1", "2"]
    assert [m.template for m in comparison.notes] == [
        "the application was scored under {application} and the acceptance under {acceptance}: "
        "items are matched by id; an item of one edition only has no change",
        "items only in the application's edition: {items}",
        "items only in the acceptance's edition: {items}",
    ]
    assert comparison.notes[1].render() == "items only in the application's edition: 2"
    # A section of the application's edition only.
    back = compare_scores(acceptance, application)
    assert {s.id: s.presence for s in back.sections}["s3"] is Presence.APPLICATION_ONLY


@settings(max_examples=100, deadline=None)
@given(before=st.tuples(POINTS, POINTS, POINTS), after=st.tuples(POINTS, POINTS, POINTS))
def test_section_changes_add_up_to_the_main_change(
    before: tuple[Decimal, ...], after: tuple[Decimal, ...]
) -> None:
    main_items = [item for item in SHAPE if item != "B"]
    comparison = compare_scores(
        scores({i: f * SHAPE[i][1] for i, f in zip(main_items, before, strict=True)}),
        scores({i: f * SHAPE[i][1] for i, f in zip(main_items, after, strict=True)}),
    )
    main_sections = [s for s in comparison.sections if s.pool is Pool.MAIN]
    assert sum((s.change or ZERO for s in main_sections), ZERO) == comparison.main_change
    assert sum((i.change or ZERO for i in comparison.items), ZERO) == comparison.main_change


# -- planned against achieved reductions -------------------------------------------------------


def task(
    code: str,
    planned: str | None,
    achieved: str | None,
    status: str = "in_progress",
    percent: int | None = 50,
) -> TaskProgress:
    return TaskProgress(
        code,
        f"task {code}",
        None if planned is None else D(planned),
        None if achieved is None else D(achieved),
        status,
        percent,
    )


def test_planned_against_achieved_with_shortfall_and_totals() -> None:
    comparison = compare_tasks(
        [
            task("1", "100", "80", "done", 100),
            task("2", "50", None),
            task("3", "40", "60", "done", 100),
            task("4", "30", "10", "cancelled", None),
        ]
    )
    rows = {r.task.code: r for r in comparison.rows}
    assert (rows["1"].shortfall_tco2, rows["1"].achieved_percent) == (D(20), D(80))
    assert (rows["2"].shortfall_tco2, rows["2"].achieved_percent) == (D(50), D(0))
    assert (rows["3"].shortfall_tco2, rows["3"].achieved_percent) == (D(0), D(150))
    assert (rows["4"].shortfall_tco2, rows["4"].achieved_percent) == (None, None)
    assert rows["4"].cancelled
    assert not rows["1"].cancelled
    totals = comparison.totals
    assert (totals.tasks, totals.planned_tco2, totals.achieved_tco2, totals.shortfall_tco2) == (
        3,
        D(190),
        D(140),
        D(70),
    )
    assert totals.achieved_percent == D(140) / D(190) * 100
    cancelled = comparison.cancelled
    assert (cancelled.tasks, cancelled.planned_tco2, cancelled.achieved_tco2) == (1, D(30), D(10))
    assert cancelled.shortfall_tco2 == 0
    assert [r.task.code for r in comparison.flagged] == ["4"]
    assert rows["4"].flags == (TaskFlag.CANCELLED_WITH_REDUCTION,)


# (task, the flags expected)
FLAG_CASES: list[tuple[TaskProgress, tuple[TaskFlag, ...]]] = [
    (task("a", "100", "0", "done", 100), (TaskFlag.DONE_WITHOUT_REDUCTION,)),
    (task("b", "100", None, "done", 100), (TaskFlag.DONE_WITHOUT_REDUCTION,)),
    (task("c", "10", "31", "done", 100), (TaskFlag.FAR_ABOVE_PLAN,)),
    (task("d", "10", "30", "done", 100), ()),  # exactly three times: not flagged
    (
        task("e", "-5", "-1", "in_progress", 40),
        (TaskFlag.NEGATIVE_REDUCTION,),
    ),
    (task("f", None, "12"), (TaskFlag.NO_PLANNED_REDUCTION,)),
    (task("g", "0", "12"), (TaskFlag.NO_PLANNED_REDUCTION,)),
    (task("h", "10", "10", "done", 90), (TaskFlag.DONE_BUT_INCOMPLETE,)),
    (task("i", "10", "5", "in_progress", 100), (TaskFlag.COMPLETE_BUT_NOT_DONE,)),
    (task("j", "10", "2", "lagging", 20), (TaskFlag.LAGGING,)),
    (task("k", "10", None, "cancelled", None), ()),
    (task("l", None, None, "not_started", 0), ()),
    (task("m", "10", "5", "done", None), ()),
]


@pytest.mark.parametrize(("item", "flags"), FLAG_CASES, ids=[c[0].code for c in FLAG_CASES])
def test_each_row_says_what_is_off(item: TaskProgress, flags: tuple[TaskFlag, ...]) -> None:
    (row,) = compare_tasks([item]).rows
    assert row.flags == flags
    assert len(row.notes) == len(flags)
    assert all(note.params["code"] == item.code for note in row.notes)


def test_a_far_above_plan_note_names_the_figures() -> None:
    (row,) = compare_tasks([task("c", "10", "31", "done", 100)]).rows
    assert row.notes[0].render() == (
        "task c: 31 tCO2e achieved is more than 3 times the 10 tCO2e planned; check the unit and "
        "double counting"
    )
    (looser,) = compare_tasks([task("c", "10", "31", "done", 100)], far_above_factor=D(4)).rows
    assert looser.flags == ()
    assert FAR_ABOVE_PLAN_FACTOR == 3


def test_bad_task_lists_are_refused() -> None:
    with pytest.raises(AcceptanceError) as twice:
        compare_tasks([task("1", "1", "1"), task("1", "2", "2")])
    assert twice.value.code == "acceptance_task_duplicate"
    with pytest.raises(AcceptanceError) as status:
        compare_tasks([task("1", "1", "1", "finished")])
    assert status.value.code == "acceptance_task_status"
    assert "finished" in str(status.value)
    with pytest.raises(AcceptanceError) as percent:
        compare_tasks([task("1", "1", "1", "in_progress", 101)])
    assert percent.value.code == "acceptance_task_percent"
    assert "101" in str(percent.value)


def test_an_empty_plan_has_no_percent() -> None:
    comparison = compare_tasks([])
    assert comparison.rows == ()
    assert comparison.totals.achieved_percent is None
    assert comparison.totals.tasks == comparison.cancelled.tasks == 0


REDUCTION = st.one_of(st.none(), st.decimals(min_value=-10, max_value=1000, places=3))


@st.composite
def task_lists(draw: st.DrawFn) -> list[TaskProgress]:
    count = draw(st.integers(0, 8))
    return [
        TaskProgress(
            str(index),
            f"task {index}",
            draw(REDUCTION),
            draw(REDUCTION),
            draw(st.sampled_from(TASK_STATUSES)),
            draw(st.one_of(st.none(), st.integers(0, 100))),
        )
        for index in range(count)
    ]


@settings(max_examples=200, deadline=None)
@given(tasks=task_lists())
def test_the_totals_are_the_sums_of_the_rows(tasks: list[TaskProgress]) -> None:
    comparison = compare_tasks(tasks)
    kept = [r for r in comparison.rows if r.task.status != "cancelled"]
    cancelled = [r for r in comparison.rows if r.task.status == "cancelled"]
    for totals, rows in ((comparison.totals, kept), (comparison.cancelled, cancelled)):
        assert totals.tasks == len(rows)
        assert totals.planned_tco2 == sum((r.task.planned_tco2 or ZERO for r in rows), ZERO)
        assert totals.achieved_tco2 == sum((r.task.achieved_tco2 or ZERO for r in rows), ZERO)
        assert totals.shortfall_tco2 == sum((r.shortfall_tco2 or ZERO for r in rows), ZERO)
    assert comparison.totals.tasks + comparison.cancelled.tasks == len(tasks)
    assert all(r.shortfall_tco2 is None or r.shortfall_tco2 >= 0 for r in comparison.rows)


# -- the batch ---------------------------------------------------------------------------------


def test_a_batch_row_puts_one_units_figures_side_by_side() -> None:
    application = scores({"1": 5, "2": 10, "3": 70})
    decision = decide_outcome(RULE, scores({"1": 5, "2": 15, "3": 66}))
    plan = compare_tasks([task("1", "100", "80", "done", 100), task("2", "10", "0", "done", 100)])
    row = batch_row("绿园社区", application=application, decision=decision, plan=plan)
    assert (row.unit, row.application_main, row.acceptance_main, row.change) == (
        "绿园社区",
        D(85),
        D(86),
        D(1),
    )
    assert row.outcome is P
    assert (row.planned_tco2, row.achieved_tco2, row.shortfall_tco2) == (D(110), D(80), D(30))
    assert row.flagged_tasks == 1
    empty = batch_row("新区")
    assert (empty.application_main, empty.outcome, empty.planned_tco2, empty.change) == (
        None,
        None,
        None,
        None,
    )
    assert empty.flagged_tasks == 0
