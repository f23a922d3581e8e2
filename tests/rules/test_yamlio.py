"""Schema violations become messages that say what a valid value looks like."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.yamlio import read_yaml, validate_with_schema

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "colour": {"enum": ["red", "green"]},
        "count": {"type": ["integer", "null"]},
        "share": {"type": "number", "maximum": 1},
        "code": {"type": "string", "maxLength": 3},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


def error_for(tmp_path: Path, text: str) -> DataFileError:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        validate_with_schema(read_yaml(path), SCHEMA)
    return caught.value


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("colour: blue\n", "colour", "expected one of red, green"),
        ("count: many\n", "count", "expected a value of type whole number, null"),
        ("share: 2\n", "share", "expected a number with maximum 1"),
        ("code: ABCD\n", "code", "expected a value that satisfies maxLength: 3"),
        ("tags: [a, 1]\n", "tags[1]", "expected a value of type text"),
    ],
)
def test_schema_messages(tmp_path: Path, text: str, key: str, expected: str) -> None:
    error = error_for(tmp_path, text)
    assert error.key == key
    assert expected in error.message.render()


def test_lines_inside_sequences_and_missing_keys(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("tags:\n  - a\n  - b\nother: {x: 1}\n", encoding="utf-8")
    document = read_yaml(path)
    assert document.line_of(["tags", 1]) == 3
    assert document.line_of(["tags", 9]) == 2
    assert document.line_of(["other", "y"]) == 4
