"""The uploaded or pasted file decoded as JSON (size, nesting, encoding, syntax) and its one
geometry found.
"""

from __future__ import annotations

import json
from typing import Any

from lowcarbon.core.messages import Message, gettext_noop

from ..json_safety import json_nesting_depth
from .boundary import _error

__all__ = ["MAX_BYTES", "MAX_DEPTH"]

#: Larger than any hand-digitised boundary of a zone (a 2 MB file holds about 50 000 positions).
MAX_BYTES = 2_000_000
#: Arrays and objects inside each other: a MultiPolygon in a FeatureCollection needs 8 (the
#: collection, its features, the feature, the geometry, then four levels of coordinates); the
#: rest leaves room for properties a drawing tool writes. Deeper is refused before parsing.
MAX_DEPTH = 16


def _reject_constant(name: str) -> float:
    raise ValueError(name)


def _decode(content: bytes | str) -> str:
    size = len(content.encode("utf-8")) if isinstance(content, str) else len(content)
    if size > MAX_BYTES:
        raise _error(
            "geojson_too_large",
            gettext_noop(
                "the file has {size} bytes; a boundary file may have at most {limit} bytes "
                "(simplify the outline in the drawing tool)"
            ),
            size=size,
            limit=MAX_BYTES,
        )
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as problem:
            raise _error(
                "geojson_encoding",
                gettext_noop(
                    "the file is not UTF-8 text (byte {offset} cannot be read); GeoJSON files "
                    "are UTF-8 (RFC 7946 §11)"
                ),
                offset=problem.start + 1,
            ) from None
    if not content.strip():
        raise _error("geojson_empty", gettext_noop("the file is empty"))
    return content


# The JSON parser's own words (Python's json module), said in the user's language; anything
# else is shown as the parser wrote it.
_JSON_PROBLEMS = {
    "Expecting value": gettext_noop("a value was expected"),
    "Expecting property name enclosed in double quotes": gettext_noop(
        "a key in double quotes was expected"
    ),
    "Expecting ',' delimiter": gettext_noop("a comma was expected"),
    "Expecting ':' delimiter": gettext_noop("a colon was expected"),
    "Unterminated string starting at": gettext_noop("a text is not closed with a quote"),
    "Extra data": gettext_noop("there is more after the end of the JSON"),
    "Invalid control character at": gettext_noop("a text contains a control character"),
}


def _load(text: str) -> object:
    depth = json_nesting_depth(text)  # found without parsing, so without recursion
    if depth > MAX_DEPTH:
        raise _error(
            "geojson_too_deep",
            gettext_noop(
                "arrays and objects are nested {depth} levels deep in the file; a boundary "
                "needs at most {limit} (a MultiPolygon in a FeatureCollection has 8)"
            ),
            depth=depth,
            limit=MAX_DEPTH,
        )
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as problem:
        known = _JSON_PROBLEMS.get(problem.msg)
        raise _error(
            "geojson_syntax",
            gettext_noop(
                "not valid JSON at line {line}, column {column}: {problem}; is this a GeoJSON file?"
            ),
            line=problem.lineno,
            column=problem.colno,
            problem=Message(known) if known else problem.msg,
        ) from None
    except ValueError as problem:
        raise _error(
            "geojson_syntax",
            gettext_noop("{value} is not a number JSON allows"),
            value=str(problem),
        ) from None


def _type_name(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("type", "an object without a type"))
    return type(value).__name__


def _geometry(data: object) -> tuple[dict[str, Any], list[object]]:
    """The one polygon geometry a FeatureCollection, Feature or bare geometry holds, and the
    objects around it (where an old-style ``crs`` member may sit)."""
    holders: list[object] = []
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else 0
            raise _error(
                "geojson_feature_count",
                gettext_noop(
                    "the FeatureCollection holds {count} features; a boundary is exactly one "
                    "feature (join the parts into one MultiPolygon)"
                ),
                count=count,
            )
        holders.append(data)
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        holders.append(data)
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise _error(
            "geojson_type",
            gettext_noop(
                "found {found}; a boundary is a Polygon or MultiPolygon (a point or a line "
                "encloses no area), alone, in a Feature or in a FeatureCollection of one feature"
            ),
            found=_type_name(data) if data is not None else "null",
        )
    return data, [*holders, data]
