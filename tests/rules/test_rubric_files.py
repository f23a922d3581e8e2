"""Rubric files: the bundled editions load; broken files say file, key, line and what is right.

Each file in fixtures/rubric/ is deliberately broken; its first lines say which key the error
must name and which words the message must contain.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.core.rubric import CompositeRule, CountTiersRule, JudgementRule, PerUnitRule
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.schemes import list_rubrics, load_rubric, load_rubric_file
from lowcarbon.rules.yamlio import read_yaml

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = sorted((FIXTURES / "rubric").glob("*.yaml"))
SEED_ITEM_19 = "社区配备新能源汽车充电桩的得3.5分"


def expectations(path: Path) -> tuple[str, list[str]]:
    text = path.read_text(encoding="utf-8")
    key = re.search(r"^# expect-key: (.+)$", text, re.M)
    words = re.search(r"^# expect-words: (.+)$", text, re.M)
    assert key, f"{path.name} lacks its expect-key header"
    assert words, f"{path.name} lacks its expect-words header"
    return key.group(1).strip(), [w.strip() for w in words.group(1).split("|")]


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_rubric_file_is_refused_with_a_precise_message(path: Path) -> None:
    key, words = expectations(path)
    with pytest.raises(DataFileError) as caught:
        load_rubric_file(path)
    error = caught.value
    message = error.message.render()
    assert error.path == str(path)
    assert error.key == key
    assert error.line is not None
    assert message.startswith(f"{path}:{error.line}: at {key}:")
    for word in words:
        assert word in message


def test_error_line_points_at_the_offending_value() -> None:
    path = FIXTURES / "rubric" / "points_not_a_number.yaml"
    with pytest.raises(DataFileError) as caught:
        load_rubric_file(path)
    line = path.read_text(encoding="utf-8").splitlines()[caught.value.line - 1]  # type: ignore[operator]
    assert line.strip() == "points: five"


def test_minimal_valid_rubric_loads() -> None:
    rubric = load_rubric_file(FIXTURES / "valid_rubric.yaml")
    assert rubric.ref == "community/t1"
    assert rubric.declared_bonus is None
    assert not rubric.evidence_required
    assert len(rubric.content_hash) == 64


def test_bundled_editions_are_listed_and_load() -> None:
    assert list_rubrics() == [("community", "2021"), ("zone", "2021")]
    community = load_rubric("community", "2021")
    zone = load_rubric("zone", "2021")
    assert [i.id for i in community.items()] == [str(n) for n in range(1, 24)] + [
        "B1",
        "B2",
        "B3",
        "B4",
        "B5",
    ]
    assert [i.id for i in zone.items()] == ["1.1", "2.1", "2.2", "2.3", "3.1", "4.1", "5.1", "5.2"]
    assert community.evidence_required
    assert community.evidence_citation == "附件4 注"
    assert not zone.evidence_required


def test_official_texts_are_transcribed_verbatim() -> None:
    seed_items = load_rubric("community", "2021").item("19")
    assert seed_items is not None
    assert seed_items.declared_points == Decimal(6)
    texts = [o.text.zh for o in seed_items.rule.options]  # type: ignore[union-attr]
    assert SEED_ITEM_19 in texts
    zone_item = load_rubric("zone", "2021").item("4.1")
    assert zone_item is not None
    assert zone_item.constraint is not None
    assert "近零碳排放示范项目" in zone_item.constraint.text.zh


def test_rule_kinds_used_by_the_seed_are_all_present() -> None:
    community = load_rubric("community", "2021")
    kinds = {type(item.rule) for item in community.items()}
    assert {CompositeRule, CountTiersRule, PerUnitRule, JudgementRule} <= kinds
    item_9 = community.item("9")
    assert item_9 is not None
    assert isinstance(item_9.rule, CompositeRule)
    assert item_9.rule.maximum == Decimal(3)
    assert item_9.rule.minimum == Decimal(0)


def test_edition_must_match_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "schemes" / "community" / "2099"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "valid_rubric.yaml", folder / "rubric.yaml")
    shutil.copytree(Path(__file__).parents[2] / "data" / "schemas", tmp_path / "schemas")
    monkeypatch.setattr("lowcarbon.rules.schemes.data_dir", lambda: tmp_path)
    monkeypatch.setattr("lowcarbon.rules.paths.data_dir", lambda: tmp_path)
    with pytest.raises(DataFileError) as caught:
        load_rubric("community", "2099")
    assert "community/2099" in caught.value.message.render()
    assert caught.value.key == "edition"


def test_missing_and_empty_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="an existing file"):
        read_yaml(tmp_path / "absent.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not an empty file"):
        read_yaml(empty)
    latin = tmp_path / "gbk.yaml"
    latin.write_bytes("title: 指标".encode("gbk"))
    with pytest.raises(DataFileError, match="UTF-8"):
        read_yaml(latin)


def test_yaml_11_surprises_are_switched_off(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: no\nb: 2021-08-01\nc: true\nd: On\n", encoding="utf-8")
    document = read_yaml(path)
    assert document.data == {"a": "no", "b": "2021-08-01", "c": True, "d": "On"}
    assert document.line_of(["b"]) == 2
    assert document.line_of(["missing", "deeper"]) == 1
