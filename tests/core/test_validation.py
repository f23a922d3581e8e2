"""The rubric validator finds the seed's own inconsistencies and scoring follows resolutions."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from lowcarbon.core.answers import AnswerSet, Choice, ItemAnswer
from lowcarbon.core.rubric import (
    ChecklistRule,
    Criterion,
    Item,
    LevelsRule,
    Pool,
    Resolution,
    Rubric,
    Section,
)
from lowcarbon.core.scoring import score_answers
from lowcarbon.core.text import LocalText
from lowcarbon.core.validation import ALLOWED_DECISIONS, caps_for, validate_rubric
from lowcarbon.rules.schemes import load_rubric

T = LocalText("文本", "text")


def checklist(*points: str) -> ChecklistRule:
    return ChecklistRule(tuple(Criterion(f"c{i}", D(p), T) for i, p in enumerate(points)))


def item(item_id: str, declared: str | None, *points: str) -> Item:
    return Item(item_id, T, None if declared is None else D(declared), checklist(*points), "c")


def rubric(
    sections: list[Section],
    total: str = "10",
    bonus: str | None = None,
    resolutions: tuple[Resolution, ...] = (),
) -> Rubric:
    return Rubric(
        "community",
        "t",
        T,
        "src",
        D(total),
        None if bonus is None else D(bonus),
        tuple(sections),
        resolutions=resolutions,
    )


def section(
    section_id: str,
    declared: str | None,
    *items: Item,
    label: str | None = None,
    pool: Pool = Pool.MAIN,
) -> Section:
    return Section(
        section_id,
        label or section_id,
        T,
        pool,
        None if declared is None else D(declared),
        "c",
        items,
    )


def resolve(finding: str, target: str, decision: str) -> Resolution:
    return Resolution(finding, target, decision, T)


def codes(r: Rubric) -> set[tuple[str, str]]:
    return {(f.code, f.target) for f in validate_rubric(r).findings}


def tick_all(r: Rubric) -> AnswerSet:
    answers = {}
    for i in r.items():
        assert isinstance(i.rule, ChecklistRule)
        answers[i.id] = ItemAnswer(i.id, Choice(ticked=tuple(c.id for c in i.rule.criteria)))
    return AnswerSet(r.ref, "u", answers)


def test_consistent_rubric_has_no_findings() -> None:
    r = rubric([section("s", "10", item("1", "4", "2", "2"), item("2", "6", "6"))])
    report = validate_rubric(r)
    assert report.findings == ()
    assert report.ok
    assert report.pools[Pool.MAIN].effective_maximum == D(10)


def test_official_community_findings_match_the_seed() -> None:
    report = validate_rubric(load_rubric("community", "2021"))
    found = {(f.code, f.target, f.declared, f.computed) for f in report.findings}
    assert ("item_unreachable", "19", D(6), D("3.5")) in found
    assert ("section_items_exceed_declared", "s3", D(30), D(32)) in found
    assert ("section_unreachable", "s3", D(30), D("29.5")) in found
    assert ("duplicate_section_label", "三", None, D(2)) in found
    assert report.pools[Pool.MAIN].effective_maximum == D("99.5")
    assert report.pools[Pool.BONUS].effective_maximum == D(20)
    assert report.ok


def test_official_zone_heading_without_points_is_found() -> None:
    report = validate_rubric(load_rubric("zone", "2021"))
    assert [(f.code, f.target) for f in report.findings] == [("item_declared_missing", "3.1")]
    assert report.items["3.1"].effective_maximum == D(30)
    assert report.pools[Pool.MAIN].effective_maximum == D(100)


def test_item_exceeding_its_declared_points_is_capped_by_default() -> None:
    r = rubric([section("s", "10", item("1", "3", "2", "2"), item("2", "6", "6"))], total="9")
    assert ("item_exceedable", "1") in codes(r)
    result = score_answers(r, tick_all(r))
    assert result.item("1").points == D(3)
    assert "capped" in result.item("1").notes[0].render()


def test_item_no_cap_resolution_lets_criteria_add_up() -> None:
    r = rubric(
        [section("s", "10", item("1", "3", "2", "2"), item("2", "6", "6"))],
        resolutions=(resolve("item_exceedable", "1", "no_cap"),),
    )
    assert score_answers(r, tick_all(r)).item("1").points == D(4)


def test_unreachable_item_can_be_scaled_to_its_declared_points() -> None:
    r = rubric(
        [section("s", "10", item("1", "6", "3.5"), item("2", "4", "4"))],
        resolutions=(resolve("item_unreachable", "1", "scale_to_declared"),),
    )
    report = validate_rubric(r)
    assert report.items["1"].effective_maximum == D(6)
    result = score_answers(r, tick_all(r))
    assert result.item("1").points == D(6)
    assert "scaled" in result.item("1").notes[0].render()


def test_section_cap_follows_the_resolution() -> None:
    items = (item("1", "6", "6"), item("2", "6", "6"))
    capped = rubric([section("s", "10", *items)])
    assert {("section_items_exceed_declared", "s"), ("section_exceedable", "s")} <= codes(capped)
    assert score_answers(capped, tick_all(capped)).main == D(10)
    uncapped = rubric(
        [section("s", "10", *items)],
        total="12",
        resolutions=(resolve("section_items_exceed_declared", "s", "no_cap"),),
    )
    result = score_answers(uncapped, tick_all(uncapped))
    assert result.sections[0].points == D(12)


def test_pool_cap_and_mismatch() -> None:
    r = rubric([section("a", "6", item("1", "6", "6")), section("b", "6", item("2", "6", "6"))])
    found = codes(r)
    assert ("pool_sections_mismatch", "main") in found
    assert ("pool_exceedable", "main") in found
    result = score_answers(r, tick_all(r))
    assert result.main == D(10)
    assert result.pools[0].notes
    open_pool = rubric(
        [section("a", "6", item("1", "6", "6")), section("b", "6", item("2", "6", "6"))],
        resolutions=(resolve("pool_exceedable", "main", "no_cap"),),
    )
    assert score_answers(open_pool, tick_all(open_pool)).main == D(12)


def test_section_items_below_declared_and_pool_unreachable() -> None:
    r = rubric([section("s", "10", item("1", "4", "4"))])
    found = codes(r)
    assert ("section_items_below_declared", "s") in found
    assert ("section_unreachable", "s") in found
    assert ("pool_unreachable", "main") in found


def test_bonus_pool_is_validated_separately() -> None:
    r = rubric(
        [
            section("s", "10", item("1", "10", "10")),
            section("b", "5", item("B1", "5", "5"), pool=Pool.BONUS),
        ],
        bonus="5",
    )
    report = validate_rubric(r)
    assert report.findings == ()
    assert report.pools[Pool.BONUS].effective_maximum == D(5)
    result = score_answers(r, tick_all(r))
    assert (result.main, result.bonus) == (D(10), D(5))


def test_sections_without_declared_points_are_not_compared() -> None:
    r = rubric([section("s", None, item("1", None, "10"))])
    assert codes(r) == {("item_declared_missing", "1")}
    assert caps_for(r).section_cap["s"] is None


def test_unresolved_stale_and_invalid_resolutions_are_problems() -> None:
    r = rubric(
        [section("s", "10", item("1", "6", "3.5"), item("2", "4", "4"))],
        resolutions=(
            resolve("item_unreachable", "2", "criteria_as_written"),
            resolve("duplicate_section_label", "s", "accept"),
        ),
    )
    problems = validate_rubric(r).problems
    assert sorted(p.code for p in problems) == [
        "stale_resolution",
        "stale_resolution",
        "unresolved",
        "unresolved",
        "unresolved",
    ]
    messages = [p.message.render() for p in problems]
    assert any("record one of criteria_as_written, scale_to_declared" in m for m in messages)
    invalid = rubric(
        [section("s", "10", item("1", "6", "3.5"), item("2", "4", "4"))],
        resolutions=(resolve("item_unreachable", "1", "cap_at_declared"),),
    )
    (problem,) = [p for p in validate_rubric(invalid).problems if p.code == "invalid_decision"]
    assert "cap_at_declared is not allowed" in problem.message.render()


def test_duplicate_labels_are_found() -> None:
    r = rubric(
        [
            section("a", "5", item("1", "5", "5"), label="三"),
            section("b", "5", item("2", "5", "5"), label="三"),
        ]
    )
    assert ("duplicate_section_label", "三") in codes(r)


@pytest.mark.parametrize("code", sorted(ALLOWED_DECISIONS))
def test_every_finding_code_has_a_default_decision(code: str) -> None:
    assert ALLOWED_DECISIONS[code]


def test_levels_rule_range() -> None:
    rule = LevelsRule((Criterion("a", D(5), T), Criterion("b", D(1), T)))
    assert (rule.minimum, rule.maximum) == (D(1), D(5))


def test_an_item_reaching_nothing_cannot_be_scaled() -> None:
    zero = Item("1", T, D(2), LevelsRule((Criterion("a", D(0), T), Criterion("b", D(0), T))), "c")
    r = rubric(
        [section("s", "2", zero)],
        total="2",
        resolutions=(resolve("item_unreachable", "1", "scale_to_declared"),),
    )
    report = validate_rubric(r)
    assert "cannot be scaled" in " ".join(p.message.render() for p in report.problems)
    assert report.items["1"].effective_maximum == D(0)


def test_pool_finding_follows_an_uncapped_section() -> None:
    r = rubric(
        [section("s", "10", item("1", None, "15"))],
        resolutions=(
            resolve("item_declared_missing", "1", "use_criteria_maximum"),
            resolve("section_exceedable", "s", "no_cap"),
        ),
    )
    assert ("pool_exceedable", "main") in codes(r)
