"""How deep JSON text nests, found without parsing it: Python's ``json`` recurses once per
array or object, so a few kilobytes of ``[[[[…`` raise ``RecursionError`` (or exhaust the
stack of a thread) instead of a ``ValueError``. :func:`json_nesting_exceeds` answers at the
speed of ``bytes`` methods, whatever the size, so that a parser only ever meets text it can
parse; :func:`json_shape` also counts the arrays and objects a parser would build, and
:func:`json_nesting_depth` says how deep they nest, for a message.

Brackets inside strings do not nest: strings are removed first (escaped backslashes and quotes,
then everything but brackets and quotes, then the text between quote pairs). The depth is then
the highest running sum of +1 for each opening and -1 for each closing bracket, summed by
``itertools.accumulate`` over the bytes as signed numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

__all__ = [
    "JSON_MAX_DEPTH",
    "JsonShape",
    "json_nesting_depth",
    "json_nesting_exceeds",
    "json_shape",
]

#: Nesting that any JSON a person uploads here stays within: a GeoJSON FeatureCollection of
#: MultiPolygons nests 7 levels; properties add a few.
JSON_MAX_DEPTH = 64

_KEEP = b'[]{}"'
_DROP = bytes(sorted(set(range(256)) - set(_KEEP)))
_UNIFORM = bytes.maketrans(b"{}", b"[]")
_WINDOW = 1024 * 1024
# Opening and closing brackets as the signed bytes +1 and -1, summed 64 KB at a time.
_STEPS = bytes.maketrans(b"[]", b"\x01\xff")
_STEPS_WINDOW = 64 * 1024


def _outside_strings(text: bytes) -> bytes:
    """The brackets of ``text`` that are not inside a string, ``{}`` written as ``[]``."""
    text = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    kept = text.translate(None, _DROP).replace(b'""', b"")
    parts: list[bytes] = []
    inside = False
    for start in range(0, len(kept), _WINDOW):
        pieces = kept[start : start + _WINDOW].split(b'"')
        parts.extend(pieces[1 if inside else 0 :: 2])
        inside ^= (len(pieces) - 1) % 2 == 1
    return b"".join(parts).translate(_UNIFORM)


@dataclass(frozen=True)
class JsonShape:
    """What JSON text holds before it is parsed: its arrays and objects (each becomes a Python
    object of about 60 bytes or more), and whether they nest deeper than the limit asked."""

    containers: int
    too_deep: bool


def json_shape(text: bytes | str, limit: int = JSON_MAX_DEPTH) -> JsonShape:
    """The arrays and objects of JSON ``text`` and whether they may nest more than ``limit``
    levels deep (brackets left open count as open: a parser recurses into them before it
    fails). ``too_deep`` False means a parser meets at most ``limit`` levels, and refuses
    malformed text with a ``ValueError`` of its own."""
    brackets = _brackets(text)
    containers = brackets.count(b"[")
    return JsonShape(containers, containers > limit and _deeper(brackets, limit))


def _brackets(text: bytes | str) -> bytes:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return _outside_strings(data)


def _window_depths(brackets: bytes) -> Iterator[int]:
    """The deepest level reached in each 64 KB window of ``brackets``, in order."""
    depth = 0
    for start in range(0, len(brackets), _STEPS_WINDOW):
        steps = memoryview(brackets[start : start + _STEPS_WINDOW].translate(_STEPS)).cast("b")
        yield max(accumulate(steps, initial=depth))
        depth += sum(steps)


def _deeper(brackets: bytes, limit: int) -> bool:
    if b"[" * (limit + 1) in brackets:
        return True
    return any(depth > limit for depth in _window_depths(brackets))


def json_nesting_depth(text: bytes | str) -> int:
    """How many levels deep the arrays and objects of JSON ``text`` nest (0 for none; brackets
    left open count as open), found as :func:`json_shape` finds it, without parsing."""
    return max(_window_depths(_brackets(text)), default=0)


def json_nesting_exceeds(text: bytes | str, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether JSON ``text`` may nest more than ``limit`` levels deep (see :func:`json_shape`)."""
    return json_shape(text, limit).too_deep
