"""Numbers typed into the web's forms, read by the one parser (:mod:`lowcarbon.core.numbers`).

Views and actions never call ``int()``, ``float()`` or ``Decimal()`` on request data: they ask
here, with the field's bounds, and get the value or a ``ValidationError`` whose message (in the
reader's language) names the field, the text found and what is expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.core.numbers import (
    NumberError,
    NumberSpec,
    parse_number,
    parse_whole,
    shown_text,
    year_spec,
)

__all__ = [
    "KEY_MAXIMUM",
    "VERSION_MAXIMUM",
    "KeyChoiceField",
    "KeysChoiceField",
    "NumberField",
    "VersionField",
    "YearField",
    "is_key",
    "number_message",
    "posted_version",
    "typed_number",
    "typed_whole",
]

# The version counters are PositiveIntegerFields: 2^31 - 1 is the largest every database holds.
VERSION_MAXIMUM = 2**31 - 1
_VERSION = NumberSpec(gettext_lazy("Version"), Decimal(0), Decimal(VERSION_MAXIMUM))


def number_message(error: NumberError) -> str:
    """The refusal in the reader's language."""
    return error.message.render(_)


def typed_number(raw: Any, spec: NumberSpec) -> Decimal:
    """The number typed as ``raw`` if ``spec`` accepts it, else ``ValidationError``."""
    try:
        return parse_number(raw, spec)
    except NumberError as error:
        raise ValidationError(number_message(error), code=error.code) from None


def typed_whole(raw: Any, spec: NumberSpec) -> int:
    """The whole number typed as ``raw`` if ``spec`` accepts it, else ``ValidationError``."""
    try:
        return parse_whole(raw, spec)
    except NumberError as error:
        raise ValidationError(number_message(error), code=error.code) from None


def posted_version(data: Mapping[str, Any], name: str = "version") -> int:
    """The version (or revision number) a form or link was made from; -1 when what was sent
    is none, so the action refuses the save as made from a stale page (never a server error)."""
    raw = data.get(name, "")
    try:
        return parse_whole(raw, _VERSION)
    except NumberError:
        return -1


class NumberField(forms.Field):
    """A form field read by the one parser: ``minimum``..``maximum``, at most ``places``
    decimal places (0: the cleaned value is an ``int``, else a ``Decimal``)."""

    def __init__(
        self,
        *,
        minimum: int | Decimal,
        maximum: int | Decimal,
        places: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.places = Decimal(minimum), Decimal(maximum), places
        if not self.widget.is_hidden:
            self.widget.attrs.setdefault("inputmode", "numeric" if places == 0 else "decimal")

    def spec(self) -> NumberSpec:
        return NumberSpec(self.label or "", self.minimum, self.maximum, self.places)

    def to_python(self, value: Any) -> int | Decimal | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if self.places == 0:
            return typed_whole(value, self.spec())
        return typed_number(value, self.spec())


# Primary keys are BigAutoFields: a larger number is no key of any row, and the database would
# refuse it (SQLite: "Python int too large to convert to SQLite INTEGER", a 500).
KEY_MAXIMUM = 2**63 - 1
_KEY = NumberSpec("", Decimal(1), Decimal(KEY_MAXIMUM))


def is_key(value: Any) -> bool:
    """Whether ``value`` (a posted choice) can be the primary key of a row."""
    try:
        parse_whole(value, _KEY)
    except NumberError:
        return False
    return True


class KeyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one row by its key; a posted value that cannot be a key is an invalid
    choice before the database is asked."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values or self.to_field_name or is_key(value):
            return super().to_python(value)
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class KeysChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of rows by their keys; a posted value that cannot be a key is refused before
    the database is asked (``pk__in`` with a number past the column's range is a 500)."""

    def clean(self, value: Any) -> Any:
        if not self.to_field_name and isinstance(value, list | tuple):
            for pk in value:
                if pk not in self.empty_values and not is_key(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": shown_text(str(pk))},
                    )
        return super().clean(value)


class YearField(NumberField):
    """A calendar year from ``first`` to ``last``."""

    def __init__(self, *, first: int, last: int, **kwargs: Any) -> None:
        super().__init__(minimum=first, maximum=last, **kwargs)
        self.first, self.last = first, last

    def spec(self) -> NumberSpec:
        return year_spec(self.label or "", self.first, self.last)


class VersionField(NumberField):
    """The hidden version counter of an editing form."""

    def __init__(self, *, minimum: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("label", gettext_lazy("Version"))
        super().__init__(minimum=minimum, maximum=VERSION_MAXIMUM, **kwargs)
