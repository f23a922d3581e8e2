"""Answers files: read strictly, scored against their rubric, problems located by line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.core.scoring import ItemStatus
from lowcarbon.rules.answers import AnswersFileError, load_answers, score_answers_file
from lowcarbon.rules.answers_template import write_answers_template
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.schemes import load_rubric

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_community_example_scores_as_hand_checked() -> None:
    result = score_answers_file(EXAMPLES / "community" / "answers.yaml")
    # Hand-checked against 附件4: 20 + 45 + 17.5 main points, 10 bonus points.
    assert [s.points for s in result.sections] == [
        Decimal(20),
        Decimal(45),
        Decimal("17.5"),
        Decimal(10),
    ]
    assert (result.main, result.bonus) == (Decimal("82.5"), Decimal(10))
    item_14 = result.item("14")
    assert item_14.points == Decimal("3.5")  # 2 + 2 ticked, 0.5 deducted with a reason
    assert item_14.reason.startswith("物业参与无车日活动")
    assert result.item("16").points == Decimal(3)  # one kind named: 屋顶光伏
    assert result.rubric_hash == load_rubric("community", "2021").content_hash


def test_zone_example_scores_as_hand_checked() -> None:
    result = score_answers_file(EXAMPLES / "zone" / "answers.yaml")
    assert result.main == Decimal(86)
    assert result.item("3.1").points == Decimal(25)
    assert result.item("4.1").status is ItemStatus.SCORED


def test_problems_are_reported_with_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """rubric: zone/2021
unit: 测试
items:
  "1.1": {ticked: [boundary, inventroy]}
  "9.9": {ticked: []}
""",
    )
    with pytest.raises(AnswersFileError) as caught:
        score_answers_file(path)
    located = {(p.line, p.error.item_id) for p in caught.value.problems}
    assert (4, "1.1") in located
    assert (5, "9.9") in located
    rendered = [p.error.message.render() for p in caught.value.problems]
    assert any("unknown criterion inventroy" in m for m in rendered)
    assert any("item 2.1 is not answered" in m for m in rendered)
    assert str(caught.value).startswith(f"{path}:")


def test_answers_for_another_rubric_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "rubric: zone/2021\nunit: 测试\nitems: {}\n")
    with pytest.raises(AnswersFileError) as caught:
        score_answers_file(path, load_rubric("community", "2021"))
    first = caught.value.problems[0]
    assert first.line == 1
    assert "the answers are for zone/2021, not for community/2021" in first.error.message.render()


def test_points_as_text_are_refused_by_the_schema(tmp_path: Path) -> None:
    path = write(tmp_path, 'rubric: community/2021\nunit: 测试\nitems:\n  "10": {points: "两分"}\n')
    with pytest.raises(DataFileError) as caught:
        load_answers(path)
    assert caught.value.key == "items.10.points"
    assert caught.value.line == 4
    assert "points within the item's range" in caught.value.message.render()


def test_named_things_must_match_the_count(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'rubric: community/2021\nunit: 测试\nitems:\n  "16": {count: 2, named: [屋顶光伏]}\n',
    )
    with pytest.raises(DataFileError) as caught:
        load_answers(path)
    assert "the number of things named (1)" in caught.value.message.render()


def test_named_things_give_the_count(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'rubric: community/2021\nunit: 测试\nitems:\n  "16": {named: [屋顶光伏, 地源热泵]}\n',
    )
    answers, _ = load_answers(path)
    choice = answers.answers["16"].choice
    assert choice is not None
    assert choice.count == 2


@pytest.mark.parametrize(("scheme", "lang"), [("community", "zh"), ("zone", "en")])
def test_template_is_a_loadable_answers_file_listing_every_item(
    tmp_path: Path, scheme: str, lang: str
) -> None:
    rubric = load_rubric(scheme, "2021")
    text = write_answers_template(rubric, lang, lambda s: s)
    for item in rubric.items():
        assert f'"{item.id}":' in text
    answers, _ = load_answers(write(tmp_path, text))
    assert set(answers.answers) == {item.id for item in rubric.items()}
    with pytest.raises(AnswersFileError) as caught:
        score_answers_file(tmp_path / "answers.yaml")
    unanswered = {p.error.item_id for p in caught.value.problems}
    assert unanswered == {item.id for item in rubric.items()}


def test_template_shows_official_texts_and_constraints() -> None:
    zone = write_answers_template(load_rubric("zone", "2021"), "zh", lambda s: s)
    assert "如未提出打造若干个近零碳排放示范项目" in zone
    assert "constraint_met: null" in zone
    community = write_answers_template(load_rubric("community", "2021"), "zh", lambda s: s)
    assert "附件4 注" in community
    assert "社区内有采用一项其他建筑节能低碳技术得1.0分" in community
    assert "deduct: null" in community
    assert "[campaign]" in community
