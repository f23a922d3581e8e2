"""The nesting depth of JSON, found without parsing: exact for any document (brackets inside
strings ignored), fast and small for a bomb of millions of levels."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from lowcarbon.rules.json_safety import (
    JSON_MAX_DEPTH,
    json_nesting_depth,
    json_nesting_exceeds,
    json_shape,
)
from tests.bombs import REFUSAL_SECONDS, measured

# Strings full of what could fool a bracket counter: brackets, quotes, backslashes.
_TRICKY = st.text(alphabet='[]{}"\\ab\n', max_size=6)
_DOCUMENTS = st.recursive(
    st.none() | st.integers() | st.floats(allow_nan=False) | _TRICKY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
    max_leaves=40,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@given(_DOCUMENTS, st.integers(min_value=0, max_value=8))
def test_the_depth_is_exact_whatever_the_strings_hold(document: Any, limit: int) -> None:
    text = json.dumps(document, ensure_ascii=False)
    assert json_nesting_exceeds(text, limit) is (_depth(document) > limit)
    assert json_nesting_depth(text) == _depth(document)
    shape = json_shape(text.encode(), limit)
    assert shape.containers == text.count("[") + text.count("{") - sum(
        s.count("[") + s.count("{") for s in _strings(document)
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [json.dumps(value, ensure_ascii=False)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [
            s for k, v in value.items() for s in [json.dumps(k, ensure_ascii=False), *_strings(v)]
        ]
    return []


def test_a_hundred_thousand_levels_are_found_without_recursion() -> None:
    bomb = b"[" * 100_000 + b"]" * 100_000
    with measured() as cost:
        assert json_nesting_exceeds(bomb)
    assert cost.seconds < REFUSAL_SECONDS
    # The depth carries over from one 64 KB window of brackets to the next.
    assert json_nesting_depth(bomb) == 100_000
    assert cost.peak_mb < 5


def test_unclosed_brackets_count_as_open_and_stray_closers_do_not() -> None:
    assert json_nesting_exceeds("[" * (JSON_MAX_DEPTH + 1))
    assert not json_nesting_exceeds("[" * JSON_MAX_DEPTH)
    assert not json_nesting_exceeds("]" * 1000)
    # Brackets inside a string, even with escaped quotes, do not nest.
    assert not json_nesting_exceeds(json.dumps({"a": '\\"[[[[' * 100}))
    assert json_nesting_depth("[" * (JSON_MAX_DEPTH + 1)) == JSON_MAX_DEPTH + 1
    assert json_nesting_depth("]" * 1000) == 0
    assert json_nesting_depth(json.dumps({"a": '\\"[[[[' * 100})) == 1
    assert json_nesting_depth("") == 0
