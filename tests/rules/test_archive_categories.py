"""The archive categories file: the bundled one is valid (every item in its rubric edition),
and a duplicate code or an item the rubric lacks is reported naming the place in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from lowcarbon.rules import archive_categories
from lowcarbon.rules.archive_categories import categories_of, categories_path, load_categories
from lowcarbon.rules.errors import DataFileError


def test_the_bundled_categories_cite_their_clauses_and_items() -> None:
    community = categories_of("community")
    assert community.edition == "2021"
    records = community.get("decision")
    assert records is not None
    assert records.items == ("3",)
    assert records.citation == "附件4 第3项"
    kinds = {c.code: c.record for c in community.categories}
    assert kinds["training"] == kinds["market"] == kinds["clean_plate"] == "activity"
    assert kinds["volunteer_inspection"] == "inspection"
    assert categories_of("zone").get("training") is not None
    assert community.get("nonsense") is None


def _changed(tmp_path: Path, old: str, new: str) -> Path:
    text = categories_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "archive_categories.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_item_the_rubric_lacks_is_refused(tmp_path: Path) -> None:
    path = _changed(tmp_path, 'items: ["10", "3"]', 'items: ["10", "30"]')
    with pytest.raises(DataFileError) as caught:
        load_categories(path)
    assert caught.value.code == "unknown_item"
    assert "30" in str(caught.value)


def test_a_duplicate_code_is_refused(tmp_path: Path) -> None:
    path = _changed(tmp_path, "code: working_group", "code: decision")
    with pytest.raises(DataFileError) as caught:
        load_categories(path)
    assert caught.value.code == "duplicate_category"


def test_the_schema_refuses_an_unknown_record_kind(tmp_path: Path) -> None:
    path = _changed(tmp_path, "record: inspection", "record: party")
    with pytest.raises(DataFileError) as caught:
        load_categories(path)
    assert caught.value.code.startswith("schema_")


def test_the_check_prints_each_kind_or_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert archive_categories.main() == 0
    assert "community (2021): 13 categories" in capsys.readouterr().out
    broken = _changed(tmp_path, "code: working_group", "code: decision")
    monkeypatch.setattr(archive_categories, "categories_path", lambda: broken)
    assert archive_categories.main() == 1
    assert "archive_categories.yaml" in capsys.readouterr().err
