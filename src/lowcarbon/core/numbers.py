"""Numbers as people type them: one parser for every number field, bounded by the field.

A number typed into a form, or read from a workbook cell, is text of any length. Python's
``Decimal`` accepts all of it (``1e9999999``, ``NaN``, ``sNaN``, 100 000 digits, Arabic-Indic
digits, underscores), and ``int()`` or ``quantize`` on such a value can run for minutes or
raise. :func:`parse_number` and :func:`parse_whole` read the text by hand first and build a
``Decimal`` only when it fits the field's :class:`NumberSpec`: at most :data:`MAX_LENGTH`
characters, :data:`MAX_DIGITS` significant digits, ``places`` decimal places and a magnitude
within ``minimum``..``maximum``. Every check costs a few microseconds whatever is typed.

What is accepted, once full-width characters are folded to ASCII (:func:`ascii_forms`: the
digits, comma, point and minus a Chinese input method types; ``−`` U+2212 counts as a minus;
superscripts, circled and other scripts' digits are refused): an optional sign, ASCII digits with
an optional decimal point, thousands separators only in groups of three (``1,200,000``; ``1,5``
is refused as ambiguous) and an optional exponent (``1.2e3``). Surrounding blanks are ignored.

A refusal is a :class:`NumberError` whose message names the field (``spec.label``), the text
found (shortened, control characters made visible) and what the field expects.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .errors import LowcarbonError
from .messages import Message, gettext_noop

__all__ = [
    "MAX_DIGITS",
    "MAX_LENGTH",
    "NumberError",
    "NumberSpec",
    "ascii_forms",
    "parse_number",
    "parse_whole",
    "shown_text",
    "year_spec",
]

MAX_LENGTH = 64  # characters of a typed number, after trimming (1,000,000,000,000.123456 is 24)
MAX_DIGITS = 28  # significant digits: Decimal's default precision, so arithmetic stays exact
MAX_PLACES = 20  # the most decimal places a field may allow
_MAX_EXPONENT_DIGITS = 6  # beyond this an exponent is only "huge" (never turned into an int)
_SHOWN = 40  # characters of the typed text quoted in a message
_RAW_LIMIT = 4 * MAX_LENGTH  # longer raw text is refused before it is even normalised
_HUGE_BITS = 4 * MAX_LENGTH  # an int of more bits has more digits than a typed number may

Reason = Literal[
    "empty",
    "not_a_number",
    "too_long",
    "too_many_digits",
    "not_whole",
    "too_many_places",
    "too_small",
    "too_large",
]

_NUMBER = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)"
    r"(?:\.(?P<fraction>[0-9]*))?"
    r"(?:[eE](?P<exponent>[+-]?[0-9]+))?",
    re.ASCII,
)
# What a Chinese input method types: full-width forms (０-９，．－＋ｅ, U+FF01-FF5E) and the
# ideographic space, folded to ASCII; U+2212 is the minus sign Word writes. Nothing else is
# folded: NFKC would also read "10²" as 102 and "①" as 1.
_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_ASCII_FORMS = str.maketrans(_FULL_WIDTH | {"\u3000": " ", "\u2212": "-"})

_TEMPLATES: dict[Reason, str] = {
    "empty": gettext_noop("{field}: empty; expected {expected}."),
    "not_a_number": gettext_noop("{field}: “{found}” is not a number; expected {expected}."),
    "too_long": gettext_noop(
        "{field}: “{found}” is too long for a number ({length} characters); expected {expected}."
    ),
    "too_many_digits": gettext_noop(
        "{field}: “{found}” has more than {digits} significant digits; expected {expected}."
    ),
    "not_whole": gettext_noop("{field}: “{found}” is not a whole number; expected {expected}."),
    "too_many_places": gettext_noop(
        "{field}: “{found}” has more than {places} decimal places; expected {expected}."
    ),
    "too_small": gettext_noop("{field}: “{found}” is less than {minimum}; expected {expected}."),
    "too_large": gettext_noop("{field}: “{found}” is more than {maximum}; expected {expected}."),
}


@dataclass(frozen=True)
class NumberSpec:
    """What one number field accepts: ``minimum``..``maximum`` (both included) with at most
    ``places`` decimal places (0: a whole number).

    ``label`` names the field in messages: a :class:`Message`, or text already in the reader's
    language (a lazily translated string is rendered when the message is).
    """

    label: object
    minimum: Decimal
    maximum: Decimal
    places: int = 0
    # What the field expects in words, when "a whole number from … to …" says it less well
    # (see :func:`year_spec`).
    wording: Message | None = None

    def __post_init__(self) -> None:
        for bound in (self.minimum, self.maximum):
            if not bound.is_finite() or abs(bound) >= Decimal(10) ** MAX_DIGITS:
                raise ValueError(f"a bound of a number field must be finite and sane: {bound}")
        if self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum} above maximum {self.maximum}")
        if not 0 <= self.places <= MAX_PLACES:
            raise ValueError(f"places must lie in 0..{MAX_PLACES}: {self.places}")

    @property
    def whole(self) -> bool:
        return self.places == 0

    @property
    def expected(self) -> Message:
        """What the field expects, for messages: "a whole number from 0 to 120", …"""
        if self.wording is not None:
            return self.wording
        bounds = {"minimum": _bound(self.minimum), "maximum": _bound(self.maximum)}
        if self.whole:
            return Message(gettext_noop("a whole number from {minimum} to {maximum}"), bounds)
        if self.places == 1:
            return Message(
                gettext_noop("a number from {minimum} to {maximum} with at most 1 decimal place"),
                bounds,
            )
        return Message(
            gettext_noop(
                "a number from {minimum} to {maximum} with at most {places} decimal places"
            ),
            bounds | {"places": self.places},
        )


def year_spec(label: object, first: int, last: int) -> NumberSpec:
    """A calendar year from ``first`` to ``last``."""
    return NumberSpec(
        label,
        Decimal(first),
        Decimal(last),
        wording=Message(
            gettext_noop("a year from {first} to {last}"), {"first": str(first), "last": str(last)}
        ),
    )


class NumberError(LowcarbonError):
    """Typed text that is not a number the field accepts. ``reason`` says which check failed;
    ``found`` is the text as shown (shortened); ``expected`` what the field accepts."""

    code = "number"

    def __init__(self, spec: NumberSpec, reason: Reason, found: str, length: int = 0) -> None:
        self.spec = spec
        self.reason: Reason = reason
        self.found = found
        self.expected = spec.expected
        params: dict[str, object] = {
            "field": spec.label,
            "found": found,
            "expected": self.expected,
            "length": length,
            "digits": MAX_DIGITS,
            "places": spec.places,
            "minimum": _bound(spec.minimum),
            "maximum": _bound(spec.maximum),
        }
        super().__init__(Message(_TEMPLATES[reason], params), code=f"number_{reason}")


def _bound(value: Decimal) -> str:
    """A bound as people read it: 1000000 → "1,000,000"; 0.05 stays "0.05"."""
    text = format(value.normalize(), "f")
    whole, point, fraction = text.partition(".")
    digits = whole.lstrip("-")
    if len(digits) > 4:
        grouped = f"{int(digits):,}"
        whole = ("-" if whole.startswith("-") else "") + grouped
    return whole + point + fraction if fraction else whole


def shown_text(text: str, limit: int = _SHOWN) -> str:
    """``text`` fit to quote in a message: control, format (bidi) and unassigned characters
    become "�", and anything beyond ``limit`` characters is cut with "…"."""
    cut = text[: limit + 1]
    visible = "".join("\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in cut)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def ascii_forms(text: str) -> str:
    """``text`` with full-width characters, the ideographic space and the minus sign U+2212
    in their ASCII form ("１２，０００" → "12,000")."""
    return text.translate(_ASCII_FORMS)


def _found_of(raw: object) -> str:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() > _HUGE_BITS:
        return "…"  # never turn a huge integer into text
    if isinstance(raw, float):
        return format(raw, ".15g")
    return shown_text(str(raw).strip())


def _text_of(raw: object) -> str | None:
    """The text to read from a typed value or a cell's value (None: not a number at all)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return str(raw)  # a huge one never gets here (parse_number)
    if isinstance(raw, float):
        # Excel keeps 15 significant digits; anything after them is binary noise.
        return format(raw, ".15g") if raw == raw and abs(raw) != float("inf") else None
    if isinstance(raw, Decimal):
        return str(raw) if raw.is_finite() else None
    return None


def parse_number(raw: object, spec: NumberSpec) -> Decimal:
    """The number in ``raw`` (typed text, or a cell's int, float or Decimal) if ``spec`` accepts
    it, as a ``Decimal`` without trailing zeros; else :class:`NumberError`.

    Never slower than a few microseconds: the text is measured, matched and its exponent
    compared with the field's bounds before any ``Decimal`` is made.
    """
    found = _found_of(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() > _HUGE_BITS:
        # A huge integer (a workbook cell) is refused by its size, never printed.
        raise NumberError(spec, "too_small" if raw < 0 else "too_large", found)
    text = _text_of(raw)
    if text is None:
        raise NumberError(spec, "not_a_number", found)
    if len(text) > _RAW_LIMIT:
        raise NumberError(spec, "too_long", found, len(text))
    text = ascii_forms(text).strip()
    if not text:
        raise NumberError(spec, "empty", found)
    if len(text) > MAX_LENGTH:
        raise NumberError(spec, "too_long", found, len(text))
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise NumberError(spec, "not_a_number", found)
    whole = match["whole"].replace(",", "")
    fraction = match["fraction"] or ""
    if not whole and not fraction:
        raise NumberError(spec, "not_a_number", found)
    negative = match["sign"] == "-"
    digits = (whole + fraction).lstrip("0")
    if not digits:
        number = Decimal(0)
    else:
        exponent_text = (match["exponent"] or "0").lstrip("+")
        exponent_sign = -1 if exponent_text.startswith("-") else 1
        exponent_digits = exponent_text.lstrip("-").lstrip("0") or "0"
        if len(exponent_digits) > _MAX_EXPONENT_DIGITS:
            exponent = exponent_sign * 10**_MAX_EXPONENT_DIGITS  # as good as infinite here
        else:
            exponent = exponent_sign * int(exponent_digits)
        # The value is 0.digits × 10^(leading): ``leading`` counts the places before the point.
        stripped = digits.rstrip("0")
        last = exponent - len(fraction) + (len(digits) - len(stripped))  # exponent of last digit
        leading = last + len(stripped)
        if leading > _places_before_point(spec.minimum if negative else spec.maximum):
            raise NumberError(spec, "too_small" if negative else "too_large", found)
        if len(stripped) > MAX_DIGITS:
            raise NumberError(spec, "too_many_digits", found)
        if -last > spec.places:
            raise NumberError(spec, "not_whole" if spec.whole else "too_many_places", found)
        number = Decimal((1 if negative else 0, tuple(int(d) for d in stripped), last))
        if last > 0:
            number = Decimal(int(number))  # at most a few dozen digits: written out in full
    if number < spec.minimum:
        raise NumberError(spec, "too_small", found)
    if number > spec.maximum:
        raise NumberError(spec, "too_large", found)
    return number


def _places_before_point(bound: Decimal) -> int:
    """``n`` such that ``|bound| < 10^n`` (120 → 3, 0.05 → -1, 0 → 0): a number of at least
    ``10^n`` lies outside the bound, so it is refused before it is built."""
    return int(bound.adjusted()) + 1 if bound else 0


def parse_whole(raw: object, spec: NumberSpec) -> int:
    """The whole number in ``raw`` as an ``int`` (``spec.places`` must be 0): "1200", "1.2e3"
    and "1,200" are 1200; "12.5" is refused."""
    if not spec.whole:
        raise ValueError("parse_whole needs a spec of whole numbers (places=0)")
    return int(parse_number(raw, spec))
