"""A strict YAML reader for rule, factor and answers files, with JSON Schema checking.

Why not ``yaml.safe_load``: it silently keeps the last of two duplicate keys, turns ``no`` into
``False`` and ``2021-08-01`` into a ``date``, and forgets line numbers. Our files are official
rules; each of those would hide a transcription mistake. This reader:

* rejects duplicate keys, naming both lines;
* reads only ``true``/``false`` as booleans and leaves dates as text (checked by the schema);
* remembers where every value stands, so errors name the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError

from lowcarbon.core.messages import Message, gettext_noop

from .errors import DataFileError, shorten

__all__ = ["YamlDocument", "format_path", "load_schema", "read_yaml", "validate_with_schema"]

SCHEMA_DIR_NAME = "schemas"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's surprises (see module docstring)."""


# Drop the implicit resolvers for bool (yes/no/on/off) and timestamp, then add back a strict
# boolean resolver. Copying the table keeps SafeLoader itself untouched.
_StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its data, the node tree for line look-ups, and where it came from."""

    path: Path
    data: Any
    root: yaml.Node
    text: str

    def line_of(self, key_path: Sequence[str | int]) -> int | None:
        """1-based line of the value at ``key_path``, or of its nearest existing parent."""
        node: yaml.Node = self.root
        for part in key_path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def error(
        self,
        key_path: Sequence[str | int],
        expected: Message,
        found: object = None,
        *,
        code: str | None = None,
    ) -> DataFileError:
        """A :class:`DataFileError` for the value at ``key_path`` in this document."""
        return DataFileError(
            self.path,
            key=format_path(key_path),
            expected=expected,
            found=found,
            line=self.line_of(key_path),
            code=code,
        )


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(part):
                found: yaml.Node = value_node
                return found
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item: yaml.Node = node.value[part]
        return item
    return None


def format_path(key_path: Sequence[str | int]) -> str:
    """``['sections', 0, 'items', 2]`` → ``sections[0].items[2]``."""
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _check_duplicate_keys(path: Path, node: yaml.Node) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise DataFileError(
                    path,
                    key=key,
                    line=line,
                    code="duplicate_key",
                    expected=Message(
                        gettext_noop("each key only once in a mapping (first at line {first})"),
                        {"first": seen[key]},
                    ),
                )
            seen[key] = line
            _check_duplicate_keys(path, value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(path, item)


def read_yaml(path: Path) -> YamlDocument:
    """Read one YAML file strictly; any problem is a :class:`DataFileError` naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(
            path,
            key="",
            code="file_missing",
            expected=Message(gettext_noop("an existing file")),
        ) from None
    except UnicodeDecodeError as exc:
        raise DataFileError(
            path,
            key="",
            code="encoding",
            found=f"byte {exc.start}",
            expected=Message(gettext_noop("text encoded as UTF-8")),
        ) from None
    try:
        root = yaml.compose(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(
            path,
            key="",
            line=mark.line + 1 if mark else None,
            found=problem,
            code="yaml_syntax",
            expected=Message(gettext_noop("well-formed YAML")),
        ) from None
    if root is None:
        raise DataFileError(
            path,
            key="",
            code="empty_file",
            expected=Message(gettext_noop("a mapping of keys to values, not an empty file")),
        )
    _check_duplicate_keys(path, root)
    data = _StrictLoader(text).get_single_data()
    return YamlDocument(path=path, data=data, root=root, text=text)


@cache
def load_schema(schema_path: Path) -> dict[str, Any]:
    """The JSON Schema at ``schema_path`` (cached; schemas are part of the installed data)."""
    schema: dict[str, Any] = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def validate_with_schema(
    document: YamlDocument, schema: dict[str, Any], at: Sequence[str | int] = ()
) -> None:
    """Raise a :class:`DataFileError` for the first schema violation (deepest path first).

    ``at`` validates only the value at that key path (a part of the file with a schema of its
    own, such as the baseline data inside an exported application); errors name the full path.
    """
    data = document.data
    for part in at:
        data = data[part]
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=_error_rank)
    if errors:
        error = errors[0]
        key_path = [*at, *error.absolute_path]
        raise document.error(
            key_path, _expected(error), _found(error), code=f"schema_{error.validator}"
        )


def _error_rank(error: ValidationError) -> tuple[int, str]:
    # The deepest error is the most specific one; ties broken by the path text so the message
    # is stable from run to run.
    return (-len(error.absolute_path), format_path(list(error.absolute_path)))


def _schema_of(error: ValidationError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _found(error: ValidationError) -> object:
    if error.validator == "required":
        return None
    if error.validator == "additionalProperties":
        return _unknown_keys(error)
    return error.instance


def _unknown_keys(error: ValidationError) -> str:
    allowed = set(_schema_of(error).get("properties", {}))
    instance: Any = error.instance
    unknown = [key for key in instance if key not in allowed]
    return ", ".join(unknown)


def _iter_descriptions(error: ValidationError) -> Iterator[str]:
    parent = error.parent
    for schema in (error.schema, parent.schema if parent else {}):
        if isinstance(schema, dict) and "description" in schema:
            yield str(schema["description"])


# A number as people write it (1e30, 2.5E-3, 1_000) that YAML 1.1 reads as text: its floats
# need a decimal point and a signed exponent (1.0e+30).
_NUMBER_AS_TEXT = re.compile(r"^[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def _number_read_as_text(error: ValidationError) -> bool:
    kinds = (
        error.validator_value
        if isinstance(error.validator_value, list)
        else [error.validator_value]
    )
    return (
        error.validator == "type"
        and bool({"number", "integer"} & set(kinds))
        and isinstance(error.instance, str)
        and _NUMBER_AS_TEXT.match(error.instance.strip()) is not None
    )


def _expected(error: ValidationError) -> Message:
    validator = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    if _number_read_as_text(error):
        return Message(
            gettext_noop(
                "a number; YAML reads {text} as text, not as a number: write it with a decimal "
                "point and a signed exponent (1.0e+30) or in plain digits"
            ),
            {"text": instance},
        )
    if validator == "required":
        missing = [key for key in value if key not in instance]
        return Message(gettext_noop("the required key {keys}"), {"keys": ", ".join(missing)})
    if validator == "additionalProperties":
        allowed = sorted(_schema_of(error).get("properties", {}))
        return Message(gettext_noop("only the keys {keys}"), {"keys": ", ".join(allowed)})
    descriptions = list(_iter_descriptions(error))
    if descriptions:
        # Schema descriptions are message ids too: `make messages` extracts them from
        # data/schemas so they reach people in their language.
        return Message(descriptions[0])
    if validator == "enum":
        return Message(gettext_noop("one of {values}"), {"values": ", ".join(map(str, value))})
    if validator == "type":
        return Message(gettext_noop("a value of type {type}"), {"type": _type_name(value)})
    if validator in {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}:
        return Message(
            gettext_noop("a number with {rule} {limit}"), {"rule": validator, "limit": value}
        )
    return Message(
        gettext_noop("a value that satisfies {rule}: {constraint}"),
        {"rule": validator, "constraint": shorten(value)},
    )


_TYPE_NAMES = {
    "string": gettext_noop("text"),
    "number": gettext_noop("number"),
    "integer": gettext_noop("whole number"),
    "object": gettext_noop("mapping"),
    "array": gettext_noop("list"),
    "boolean": gettext_noop("true/false"),
    "null": gettext_noop("null"),
}


def _type_name(value: object) -> list[Message]:
    kinds = value if isinstance(value, list) else [value]
    return [Message(_TYPE_NAMES[str(kind)]) for kind in kinds]
