"""The creation stage's reminder rules (``data/creation/reminders.yaml``): the bundled file, and
files the loader refuses, each naming the key, the line, the value found and what is expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.reminders import AUDIENCES, load_reminder_rules, reminder_rules_path

HEAD = "timezone: Asia/Shanghai\nsteps:\n"


def write(tmp_path: Path, steps: str) -> Path:
    path = tmp_path / "reminders.yaml"
    path.write_text(HEAD + steps, encoding="utf-8")
    return path


def test_the_bundled_rules_in_order_of_their_day() -> None:
    assert reminder_rules_path().name == "reminders.yaml"
    steps = load_reminder_rules()
    assert [(s.code, s.days, s.audience) for s in steps] == [
        ("before_14", -14, "unit"),
        ("before_3", -3, "unit"),
        ("after_1", 1, "unit"),
        ("escalate_district", 7, "district"),
        ("escalate_bureau", 30, "bureau"),
    ]
    assert {s.audience for s in steps} == set(AUDIENCES)


def test_steps_are_sorted_by_day_whatever_their_order_in_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {code: late, days: 2, audience: district}\n"
        "  - {code: soon, days: -1, audience: unit}\n"
        "  - {code: same_day_other_audience, days: 2, audience: bureau}\n",
    )
    assert [s.code for s in load_reminder_rules(path)] == [
        "soon",
        "late",
        "same_day_other_audience",
    ]


def test_a_repeated_code_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {code: before_3, days: -3, audience: unit}\n"
        "  - {code: before_3, days: -1, audience: unit}\n",
    )
    with pytest.raises(DataFileError) as found:
        load_reminder_rules(path)
    assert found.value.key == "steps[1].code"
    assert found.value.found == "before_3"
    assert found.value.line == 4


def test_two_steps_to_one_audience_on_one_day_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {code: first, days: 7, audience: district}\n"
        "  - {code: second, days: 7, audience: district}\n",
    )
    with pytest.raises(DataFileError) as found:
        load_reminder_rules(path)
    assert found.value.key == "steps[1].days"
    assert found.value.found == 7
    assert "district" in str(found.value.expected.params)


@pytest.mark.parametrize(
    ("steps", "key", "value"),
    [
        ("  - {code: late, days: 5, audience: city}\n", "steps[0].audience", "city"),
        ("  - {code: Late, days: 5, audience: unit}\n", "steps[0].code", "Late"),
        ("  - {code: late, days: 400, audience: unit}\n", "steps[0].days", 400),
    ],
)
def test_the_schema_names_the_value_and_the_key(
    tmp_path: Path, steps: str, key: str, value: object
) -> None:
    with pytest.raises(DataFileError) as found:
        load_reminder_rules(write(tmp_path, steps))
    assert found.value.key == key
    assert found.value.found == value
