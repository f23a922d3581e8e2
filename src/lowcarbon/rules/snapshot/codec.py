"""The one canonical codec of snapshot format 1 (see the package's description)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, NoReturn, TypeVar

from lowcarbon.core.messages import Message, gettext_noop

from ..errors import DataFileError
from ..yamlio import format_path
from .records import FLOAT_ROOTS, SNAPSHOT_FORMAT, Snapshot

__all__ = [
    "SnapshotError",
    "as_json_numbers",
    "canonical_json",
    "exact_decimal",
    "read_snapshot",
    "snapshot_data",
    "snapshot_from_data",
    "snapshot_sha256",
]

KeyPath = tuple[str | int, ...]


class SnapshotError(DataFileError):
    """A snapshot that is not format 1 as the platform writes it; ``key_path`` names where."""

    code = "snapshot"

    def __init__(
        self, source: str, key_path: KeyPath, expected: Message, found: object = None
    ) -> None:
        self.key_path = key_path
        super().__init__(source, key=format_path(key_path), expected=expected, found=found)


# --- writing ---------------------------------------------------------------------------------


def exact_decimal(value: Decimal) -> str:
    """A decimal as the snapshot writes it: exact, never in exponent form."""
    return format(value, "f") if value.is_finite() else str(value)


def _plain(value: object, path: KeyPath) -> Any:
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return exact_decimal(value)
    if isinstance(value, float):
        if path and path[0] in FLOAT_ROOTS and math.isfinite(value):
            return value
        raise TypeError(f"a float at {format_path(path)}: decimals are written as exact strings")
    if isinstance(value, Enum):
        return _plain(value.value, path)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            item.name: _plain(getattr(value, item.name), (*path, item.name))
            for item in dataclasses.fields(value)
            if not (_optional(item) and getattr(value, item.name) is None)
        }
    if isinstance(value, Mapping):
        return {str(key): _plain(item, (*path, str(key))) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, (*path, index)) for index, item in enumerate(value)]
    raise TypeError(f"{type(value).__name__} at {format_path(path)} is not snapshot data")


def _optional(item: dataclasses.Field[Any]) -> bool:
    """A part older snapshots do not have: written only when present (see ``OPTIONAL_PART``)."""
    return bool(item.metadata.get("optional"))


def as_json_numbers(value: object) -> Any:
    """Data with decimals as JSON numbers, the rule of the inputs kept as entered (the baseline
    data in ``Application.accounting`` and a snapshot's ``accounting``): integers when whole,
    else the float whose shortest text is the decimal's (the reader reads floats back through
    ``repr``, so up to 15 significant digits round-trip exactly, as through an Excel cell)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {str(key): as_json_numbers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json_numbers(item) for item in value]
    return value


def snapshot_data(value: object) -> Any:
    """``value`` (a :class:`Snapshot`, a part of one, or data shaped like one) as plain JSON
    data, as the platform stores it."""
    return _plain(value, ())


def canonical_json(value: object) -> str:
    """The one text a snapshot hashes to: its plain data with sorted keys, UTF-8 as is, no
    spaces. The platform freezes submissions with it and every reader checks them with it."""
    return json.dumps(
        snapshot_data(value),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


def snapshot_sha256(value: object) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


# --- reading ---------------------------------------------------------------------------------

_T = TypeVar("_T")

_EXPECTED = {
    int: gettext_noop("a whole number"),
    bool: gettext_noop("true or false"),
    str: gettext_noop("text"),
    Decimal: gettext_noop('an exact decimal number written as text, such as "12.5"'),
    datetime: gettext_noop("a date and time in ISO form, such as 2026-03-01T09:30:00+08:00"),
}


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """A record's field types, resolved once (resolving string annotations is slow)."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def refuse(
        self, path: KeyPath, expected: str, found: object = None, **params: object
    ) -> NoReturn:
        raise SnapshotError(self.source, path, Message(expected, params), found)

    def read(self, hint: Any, value: object, path: KeyPath) -> Any:
        origin = typing.get_origin(hint)
        if origin is types.UnionType:  # ``X | None``
            inner = next(arg for arg in typing.get_args(hint) if arg is not type(None))
            return None if value is None else self.read(inner, value, path)
        if origin is tuple:
            if not isinstance(value, list):
                self.refuse(path, gettext_noop("a list"), value)
            item = typing.get_args(hint)[0]
            return tuple(self.read(item, entry, (*path, i)) for i, entry in enumerate(value))
        if origin is Mapping:
            item = typing.get_args(hint)[1]
            mapping = self.mapping(value, path)
            if item is Any:
                return {key: self.json(entry, (*path, key)) for key, entry in mapping.items()}
            return {key: self.read(item, entry, (*path, key)) for key, entry in mapping.items()}
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.record(hint, value, path)
        return self.scalar(hint, value, path)

    def mapping(self, value: object, path: KeyPath) -> dict[str, object]:
        if not isinstance(value, dict):
            self.refuse(path, gettext_noop("an object"), value)
        return value

    def record(self, cls: type[_T], value: object, path: KeyPath) -> _T:
        mapping = self.mapping(value, path)
        hints = _hints(cls)
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        names = [item.name for item in fields]
        optional = {item.name for item in fields if _optional(item)}
        for key in mapping:
            if key not in hints:
                self.refuse(
                    (*path, key),
                    gettext_noop("only the keys {keys}"),
                    key,
                    keys=", ".join(names),
                )
        missing = [name for name in names if name not in mapping and name not in optional]
        if missing:
            self.refuse((*path, missing[0]), gettext_noop("this key (it is missing)"))
        values = {}
        for name in names:
            if name not in mapping:
                continue  # an optional part an older snapshot does not have: its default
            hint = hints[name]
            if name in optional:
                # Present, it is never null: null would not be written back the same.
                hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
            values[name] = self.read(hint, mapping[name], (*path, name))
        return cls(**values)

    def scalar(self, hint: type, value: object, path: KeyPath) -> object:
        expected = _EXPECTED[hint]
        if hint is bool:
            ok = isinstance(value, bool)
        elif hint is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif hint is str:
            ok = isinstance(value, str)
        elif hint is Decimal:
            return self.decimal(value, path, expected)
        else:
            return self.moment(value, path, expected)
        if not ok:
            self.refuse(path, expected, value)
        return value

    def decimal(self, value: object, path: KeyPath, expected: str) -> Decimal:
        try:
            number = Decimal(value) if isinstance(value, str) else None
        except InvalidOperation:
            number = None
        if number is None or exact_decimal(number) != value:
            self.refuse(path, expected, value)
        return number

    def moment(self, value: object, path: KeyPath, expected: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.isoformat() != value:
            self.refuse(path, expected, value)
        return moment

    def json(self, value: object, path: KeyPath) -> object:
        """A free JSON value: floats only under the inputs kept as entered."""
        if isinstance(value, dict):
            return {key: self.json(entry, (*path, key)) for key, entry in value.items()}
        if isinstance(value, list):
            return [self.json(entry, (*path, i)) for i, entry in enumerate(value)]
        if isinstance(value, float):
            if path[0] in FLOAT_ROOTS and math.isfinite(value):
                return value
            self.refuse(path, _EXPECTED[Decimal], value)
        if not (isinstance(value, bool | int | str) or value is None):
            self.refuse(
                path,
                gettext_noop("JSON data (an object, a list, text, a number, true, false or null)"),
                value,
            )
        return value


def snapshot_from_data(data: object, *, source: str = "snapshot") -> Snapshot:
    """The typed snapshot of plain JSON data (as a JSON column gives it back); refused with a
    :class:`SnapshotError` naming the key path when it is not format 1 as the platform writes
    it. ``source`` names where the data came from in the message (a file name)."""
    reader = _Reader(source)
    snapshot = reader.record(Snapshot, data, ())
    if snapshot.format != SNAPSHOT_FORMAT:
        reader.refuse(("format",), gettext_noop("snapshot format 1"), snapshot.format)
    return snapshot


class _NotJson(ValueError):
    """Text JSON parsers accept but a snapshot never holds (a key twice, NaN, Infinity)."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _NotJson
    return data


def _no_constant(name: str) -> object:
    raise _NotJson


def read_snapshot(text: str | bytes, *, source: str = "snapshot") -> Snapshot:
    """A snapshot from its JSON text (UTF-8; each key once; no NaN or Infinity)."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        expected = Message(
            gettext_noop(
                "a JSON document (the text cannot be read at line {line}, column {column})"
            ),
            {"line": error.lineno, "column": error.colno},
        )
        raise SnapshotError(source, (), expected) from error
    except ValueError as error:  # _NotJson, or bytes that are not UTF-8
        expected = Message(
            gettext_noop("a JSON document in UTF-8 with each key once and no NaN or Infinity")
        )
        raise SnapshotError(source, (), expected) from error
    return snapshot_from_data(data, source=source)
