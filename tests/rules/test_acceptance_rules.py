"""The pass rules of mid-term evaluation and acceptance (``data/evaluation/acceptance_rules.yaml``):
the bundled editions, the look-up a round makes, and files the loader refuses, each naming the
key, the value found and what is expected."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from lowcarbon.core.acceptance import AcceptanceError, SectionMinimum
from lowcarbon.rules.acceptance_rules import (
    acceptance_editions,
    acceptance_rule,
    acceptance_rules_path,
    load_acceptance_rules,
)
from lowcarbon.rules.errors import DataFileError

D = Decimal
BUNDLED: dict[str, Any] = yaml.safe_load(acceptance_rules_path().read_text(encoding="utf-8"))
EDITION = ("rules", "zone", "final", "editions", "2026")


def test_the_bundled_editions_keep_their_values() -> None:
    # An edition is immutable: a round decided under it must keep its meaning. A new value is a
    # new edition (a new key, then `current` pointed at it), never a change to these figures.
    found = {
        rule.ref: (
            rule.rubric_ref,
            rule.pass_share,
            rule.rectification_share,
            rule.section_minimums,
            rule.veto_items,
        )
        for stage in load_acceptance_rules().values()
        for rule in stage.editions.values()
    }
    half = D("0.5")
    assert found == {
        "community/final/2026": (
            "community/2021",
            D("0.8"),
            D("0.6"),
            tuple(SectionMinimum(s, half) for s in ("s1", "s2", "s3")),
            ("1", "21"),
        ),
        "zone/midterm/2026": (
            "zone/2021",
            D("0.7"),
            D("0.5"),
            tuple(SectionMinimum(s, D("0.3")) for s in ("s1", "s2", "s3", "s4", "s5")),
            ("1.1", "4.1"),
        ),
        "zone/final/2026": (
            "zone/2021",
            D("0.8"),
            D("0.6"),
            tuple(SectionMinimum(s, half) for s in ("s1", "s2", "s3", "s4", "s5")),
            ("1.1", "4.1"),
        ),
    }


def test_every_bundled_value_cites_its_source() -> None:
    for stage in load_acceptance_rules().values():
        for rule in stage.editions.values():
            for name in ("pass_share", "rectification_share", "section_minimums", "veto_items"):
                assert "docs/rules.md" in rule.source(name), (rule.ref, name)


def test_a_round_reads_the_current_or_a_named_edition() -> None:
    stages = load_acceptance_rules()
    assert set(stages) == {("community", "final"), ("zone", "midterm"), ("zone", "final")}
    assert stages[("zone", "midterm")].current_rule.ref == "zone/midterm/2026"
    assert acceptance_rule("zone", "final").ref == "zone/final/2026"
    assert acceptance_rule("community", "final", "2026").pass_share == D("0.8")
    assert acceptance_editions("zone", "midterm") == ("2026",)
    assert acceptance_editions("community", "midterm") == ()


def test_an_unknown_stage_or_edition_is_refused_naming_what_exists() -> None:
    with pytest.raises(AcceptanceError) as stage:
        acceptance_rule("community", "midterm")
    assert stage.value.code == "acceptance_rule_unknown"
    assert "community/final" in str(stage.value)
    with pytest.raises(AcceptanceError) as edition:
        acceptance_rule("zone", "final", "1999")
    assert "1999" in str(edition.value)
    assert "2026" in str(edition.value)


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "acceptance_rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def changed(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """The bundled file with the value at ``path`` replaced (deleted when ``value`` is ...)."""
    data = copy.deepcopy(BUNDLED)
    node = data
    for part in path[:-1]:
        node = node[part]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def test_a_copy_of_the_bundled_file_loads_alike(tmp_path: Path) -> None:
    assert load_acceptance_rules(write(tmp_path, BUNDLED)) == load_acceptance_rules()


@pytest.mark.parametrize(
    ("path", "value", "key", "found", "expected"),
    [
        # Checks of the loader.
        (
            (*EDITION, "rubric"),
            "community/2021",
            "rules.zone.final.editions.2026.rubric",
            "community/2021",
            "zone/2021",
        ),
        (
            (*EDITION, "rubric"),
            "zone/1999",
            "rules.zone.final.editions.2026.rubric",
            "zone/1999",
            "zone/2021",
        ),
        (
            (*EDITION, "rectification_mark", "share"),
            0.9,
            "rules.zone.final.editions.2026.rectification_mark.share",
            0.9,
            "pass mark 0.8",
        ),
        (
            (*EDITION, "rectification_mark", "share"),
            0,
            "rules.zone.final.editions.2026.rectification_mark.share",
            0,
            "above 0",
        ),
        (
            (*EDITION, "section_minimums", "sections"),
            {"s1": 0.5, "s9": 0.5},
            "rules.zone.final.editions.2026.section_minimums.sections.s9",
            "s9",
            "s1, s2, s3, s4, s5",
        ),
        (
            ("rules", "community", "final", "editions", "2026", "section_minimums", "sections"),
            {"bonus": 0.5},
            "rules.community.final.editions.2026.section_minimums.sections.bonus",
            "bonus",
            "main pool of community/2021",
        ),
        (
            (*EDITION, "veto_items", "items"),
            ["1.1", "9.9"],
            "rules.zone.final.editions.2026.veto_items.items[1]",
            "9.9",
            "4.1",
        ),
        (
            ("rules", "community", "final", "editions", "2026", "veto_items", "items"),
            ["B1"],
            "rules.community.final.editions.2026.veto_items.items[0]",
            "B1",
            "main pool of community/2021",
        ),
        (
            ("rules", "zone", "final", "current"),
            "2027",
            "rules.zone.final.current",
            "2027",
            "2026",
        ),
        # Checks of the schema.
        (
            (*EDITION, "pass_mark", "share"),
            1.5,
            "rules.zone.final.editions.2026.pass_mark.share",
            1.5,
            "between 0 and 1",
        ),
        (
            (*EDITION, "pass_mark", "source"),
            "",
            "rules.zone.final.editions.2026.pass_mark.source",
            "",
            "platform's choice",
        ),
        (
            (*EDITION, "veto_items", "items"),
            [11],
            "rules.zone.final.editions.2026.veto_items.items[0]",
            11,
            "as text",
        ),
        (
            ("rules", "zone", "final", "editions"),
            {"v1": BUNDLED["rules"]["zone"]["final"]["editions"]["2026"]},
            "rules.zone.final.editions",
            "v1",
            "a year",
        ),
        (
            ("rules", "zone", "final", "editions", "2026", "pass_mark"),
            ...,
            "rules.zone.final.editions.2026",
            None,
            "pass_mark",
        ),
        (
            ("rules", "zone", "yearly"),
            {},
            "rules.zone",
            "yearly",
            "final, midterm",
        ),
    ],
)
def test_a_bad_file_names_the_key_the_value_and_what_is_expected(
    tmp_path: Path,
    path: tuple[str | int, ...],
    value: object,
    key: str,
    found: object,
    expected: str,
) -> None:
    with pytest.raises(DataFileError) as error:
        load_acceptance_rules(write(tmp_path, changed(path, value)))
    assert error.value.key == key
    assert error.value.found == found
    assert expected in error.value.expected.render()
    assert error.value.line is not None
    assert "acceptance_rules.yaml" in str(error.value)
