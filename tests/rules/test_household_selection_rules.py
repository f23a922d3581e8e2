"""The low-carbon household selection's rules (``data/households/selection_rules.yaml``): the
bundled edition with who set each threshold, and files the loader refuses."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.core.household_selection import SetBy
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.household_selection import load_selection_rules, selection_rules_path


def test_the_bundled_rules_cite_the_seed_and_say_who_set_each_threshold() -> None:
    rules = load_selection_rules()
    assert "附件4 第7项" in rules.source
    assert rules.title.zh.startswith("低碳家庭评选")
    assert rules.minimum_months.value == Decimal(10)
    assert rules.minimum_previous_months.value == Decimal(10)
    assert rules.minimum_reduction_percent.value == Decimal(0)
    assert rules.at_or_below_median.value == Decimal(1)
    assert rules.minimum_households.value == Decimal(5)
    # The seed sets no number: every threshold is the platform's choice, with its reason.
    for threshold in (
        rules.minimum_months,
        rules.minimum_previous_months,
        rules.minimum_reduction_percent,
        rules.at_or_below_median,
        rules.minimum_households,
    ):
        assert threshold.set_by is SetBy.PLATFORM
        assert threshold.basis
    assert "建立完整的降耗减排低碳档案" in selection_rules_path().read_text(encoding="utf-8")


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    text = selection_rules_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_month_count_past_twelve_is_refused(tmp_path: Path) -> None:
    path = _copy(tmp_path, "minimum_months:\n    value: 10", "minimum_months:\n    value: 13")
    with pytest.raises(DataFileError) as found:
        load_selection_rules(path)
    assert found.value.key == "criteria.minimum_months.value"
    assert found.value.found == 13
    assert "from 1 to 12" in found.value.message.render()


def test_an_average_over_two_households_is_refused(tmp_path: Path) -> None:
    path = _copy(tmp_path, "minimum_households:\n    value: 5", "minimum_households:\n    value: 2")
    with pytest.raises(DataFileError) as found:
        load_selection_rules(path)
    assert found.value.key == "criteria.minimum_households.value"


def test_the_schema_refuses_an_unknown_author(tmp_path: Path) -> None:
    path = _copy(tmp_path, "    set_by: platform", "    set_by: someone")
    with pytest.raises(DataFileError) as found:
        load_selection_rules(path)
    assert "set_by" in found.value.key
