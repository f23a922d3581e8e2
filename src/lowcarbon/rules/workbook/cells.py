"""Cells and fields: how each kind of field is read from a cell and written into one (text,
numbers, years, choices, sources, GeoJSON), what a field and a sheet of the layout are, and
how a field's path reaches into the accounting data.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.numbers import NumberError, NumberSpec, ascii_forms, parse_number

from .choices import _CATEGORIES, _FLAGS, _SECTORS, _Choices
from .errors import _Invalid

__all__: list[str] = []


KeyPath = tuple[str | int, ...]


def _text_of(raw: object) -> str:
    return format(raw, ".15g") if isinstance(raw, float) else str(raw)


# No figure of the accounting workbook comes near 10^15 (kWh, m³, t, m², tCO2 of a zone for a
# year), and none needs more than 12 decimal places: beyond either, a cell is a mistake.
CELL_LIMIT = Decimal(10) ** 15
CELL_PLACES = 12
# The reasons for which a cell is refused for being the wrong kind of value (the field's own
# words say what is expected); the others are about its size (the limits say it).
_WRONG_KIND = ("empty", "not_a_number", "not_whole")


def _cell_number(
    raw: object, expected: Message, low: Decimal | None, high: Decimal | None, places: int
) -> Decimal:
    """The number in a cell (int, float or text, read by :mod:`lowcarbon.core.numbers`), within
    ``low``..``high`` (both included; None: only the cell limit) or :class:`_Invalid`."""
    spec = NumberSpec(
        "",
        -CELL_LIMIT if low is None else low,
        CELL_LIMIT if high is None else high,
        places,
    )
    try:
        return parse_number(raw, spec)
    except NumberError as error:
        own = (
            error.reason in _WRONG_KIND
            or (error.reason == "too_small" and low is not None)
            or (error.reason == "too_large" and high is not None)
        )
        if own:
            raise _Invalid(expected) from None
        if places:
            template = gettext_noop(
                "{expected}, at most {limit} with at most {places} decimal places"
            )
        else:
            template = gettext_noop("{expected}, at most {limit}")
        limits = {"expected": expected, "limit": "10¹⁵", "places": places}
        raise _Invalid(Message(template, limits)) from None


def _number_cell(value: Decimal) -> Decimal | str:
    # A number Excel cannot hold exactly (over 15 significant digits) is written as text, which
    # the reader accepts, so that nothing is lost between a YAML file and its workbook.
    return value if Decimal(format(float(value), ".15g")) == value else str(value)


class _Kind:
    """How one field is read from a cell and written into one."""

    def __init__(self, expected: Message) -> None:
        self.expected = expected

    def read(self, raw: object) -> object:
        raise NotImplementedError

    def write(self, value: Any, language: str) -> object:
        return value


class _Text(_Kind):
    def __init__(self, expected: Message, pattern: str | None = None) -> None:
        super().__init__(expected)
        self.pattern = re.compile(pattern) if pattern else None

    def read(self, raw: object) -> object:
        text = _text_of(raw)
        if self.pattern is not None and not self.pattern.fullmatch(text):
            raise _Invalid(self.expected)
        return text


class _Number(_Kind):
    def __init__(
        self, expected: Message, low: Decimal, high: Decimal | None = None, *, strict: bool = False
    ) -> None:
        super().__init__(expected)
        self.low, self.high, self.strict = low, high, strict

    def read(self, raw: object) -> object:
        number = _cell_number(raw, self.expected, self.low, self.high, CELL_PLACES)
        if (self.strict and number == self.low) or (self.high is not None and number >= self.high):
            raise _Invalid(self.expected)
        return number

    def write(self, value: Any, language: str) -> object:
        return _number_cell(value)


class _Whole(_Kind):
    def __init__(self, expected: Message, low: int | None = None, high: int | None = None) -> None:
        super().__init__(expected)
        self.low, self.high = low, high

    def read(self, raw: object) -> object:
        low = None if self.low is None else Decimal(self.low)
        high = None if self.high is None else Decimal(self.high)
        return int(_cell_number(raw, self.expected, low, high, 0))


class _Choice(_Kind):
    def __init__(self, choices: _Choices) -> None:
        super().__init__(
            Message(
                gettext_noop("one of {values}"),
                {"values": [f"{label} ({value})" for value, label in choices.labels.items()]},
            )
        )
        self.choices = choices

    def read(self, raw: object) -> object:
        value = self.choices.lookup(_text_of(raw))
        if value is None:
            raise _Invalid(self.expected)
        return value

    def write(self, value: Any, language: str) -> object:
        return self.choices.shown(str(value), language)


class _Flag(_Choice):
    def __init__(self) -> None:
        super().__init__(_FLAGS)

    def read(self, raw: object) -> object:
        return raw if isinstance(raw, bool) else super().read(raw) == "true"

    def write(self, value: Any, language: str) -> object:
        return super().write("true" if value else "false", language)


class _YearList(_Kind):
    def read(self, raw: object) -> object:
        text = ascii_forms(_text_of(raw))
        parts = [part for part in re.split(r"[,，、;；\s]+", text) if part]
        if not parts or not all(re.fullmatch(r"[0-9]{1,4}", part) for part in parts):
            raise _Invalid(self.expected)
        years = [int(part) for part in parts]
        if len(set(years)) != len(years):
            raise _Invalid(self.expected)
        return years

    def write(self, value: Any, language: str) -> object:
        return ", ".join(str(year) for year in value)


class _Sources(_Kind):
    """``acts_on``: category/sector pairs separated by ；. Unknown names are kept as written, so
    :func:`check_accounting_data` reports them with the vocabulary."""

    def read(self, raw: object) -> object:
        sources = []
        for part in re.split(r"[;；\n]+", unicodedata.normalize("NFKC", _text_of(raw))):
            category, _, sector = part.strip().partition("/")
            known = (_CATEGORIES.lookup(category.strip()), _SECTORS.lookup(sector.strip()))
            if part.strip():
                sources.append(f"{known[0]}/{known[1]}" if all(known) else part.strip())
        return sources

    def write(self, value: Any, language: str) -> object:
        pairs = [text.partition("/") for text in value]
        return "; ".join(
            f"{_CATEGORIES.shown(c, language)}/{_SECTORS.shown(s, language)}" for c, _, s in pairs
        )


class _Geometry(_Kind):
    def read(self, raw: object) -> object:
        try:
            geometry = json.loads(_text_of(raw))
        except (json.JSONDecodeError, RecursionError):  # nested too deep for the parser
            raise _Invalid(self.expected) from None
        if (
            not isinstance(geometry, dict)
            or set(geometry) != {"type", "coordinates"}
            or geometry["type"] not in ("Polygon", "MultiPolygon")
            or not isinstance(geometry["coordinates"], list)
        ):
            raise _Invalid(self.expected)
        return geometry

    def write(self, value: Any, language: str) -> object:
        return json.dumps(value, ensure_ascii=False)


_ANY_NUMBER = Message(gettext_noop("a number of 0 or more"))
_WHOLE = Message(gettext_noop("a whole number of 0 or more"))
_YEAR = _Whole(Message(gettext_noop("a calendar year such as 2023")))
_NOTE = _Text(Message(gettext_noop("a note, as text")))
_PERCENT = _Number(
    Message(gettext_noop("a percentage between -100 and 100")),
    Decimal(-100),
    Decimal(100),
    strict=True,
)


@dataclass(frozen=True)
class _Field:
    """One column of a table sheet, or one row of a form sheet."""

    header: str
    path: tuple[str, ...]
    kind: _Kind
    help: str
    required: bool = False
    width: int = 14
    options: str | None = None  # the drop-down list on the options sheet
    strict: bool = True  # refuse values not in the drop-down list
    prefilled: bool = False  # written into an empty template (does not count as entered)


@dataclass(frozen=True)
class _Sheet:
    name: str
    purpose: str
    fields: tuple[_Field, ...]
    table: KeyPath | None = None  # the list its rows go to; None: a form (one value per row)
    group: str | None = None  # an activity sheet: its group in ACTIVITY_GROUPS
    categories: tuple[str, ...] = ()  # … and the categories it takes


def _get(data: Mapping[str, Any], path: Sequence[str | int]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _put(data: dict[str, Any], path: Sequence[str], value: object) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value
