"""Translatable messages with structured parameters.

``core`` never translates: it returns :class:`Message` objects whose ``template`` is the English
msgid of the project's gettext catalogue. The CLI and the web render them in the user's language
by passing their translation function to :meth:`Message.render`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .records import quick_init
from .text import LocalText

__all__ = [
    "Message",
    "Present",
    "Term",
    "Translate",
    "format_points",
    "gettext_noop",
    "render_value",
]

Translate = Callable[[str], str]


@quick_init
@dataclass(frozen=True)
class Term:
    """A machine id inside a message that a reader may want named: a unit (``tCO2/10^4kWh``),
    a factor set, a factor, a confidence grade.

    Rendered as its id by default, so traces for analysts (the command line, the JSON output)
    keep the ids they can look up; pages and documents pass a :data:`Present` that names it in
    the reader's language (吨二氧化碳/万千瓦时, the set's title, 原始文件 …). ``label`` is the
    name the data itself gives, when it gives one (a factor's 上海市外购电力)."""

    kind: str  # "unit" | "factor_set" | "factor" | "confidence"
    id: str
    label: LocalText | None = None

    def __str__(self) -> str:
        return self.id


#: How a reader's renderer names a :class:`Term`.
Present = Callable[[Term], str]


def gettext_noop(template: str) -> str:
    """Mark ``template`` for extraction into the catalogue without translating it here."""
    return template


#: Between the items of a list inside a message; translated like any text.
LIST_SEPARATOR = gettext_noop(", ")


def _identity(text: str) -> str:
    return text


def render_value(
    value: object, translate: Translate = _identity, present: Present | None = None
) -> str:
    """Render one message parameter: nested messages are translated, numbers kept plain, terms
    named by ``present`` (their ids without one)."""
    if isinstance(value, Message):
        return value.render(translate, present)
    if isinstance(value, Term):
        return value.id if present is None else present(value)
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, list | tuple):
        # The list separator is the reader's: ", " in English, "、" in Chinese (4、1, not 4, 1).
        separator = translate(LIST_SEPARATOR)
        return separator.join(render_value(v, translate, present) for v in value)
    return str(value)


def format_points(value: Decimal) -> str:
    """Points as people write them: ``5``, ``2.5``, ``0.5`` (never ``5.0`` or ``2.50``)."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


@quick_init
@dataclass(frozen=True)
class Message:
    """An English template with named ``{fields}`` and the values that fill them."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = _identity, present: Present | None = None) -> str:
        if not self.params:
            # A message without fields is shown as it is, braces included (schema texts
            # such as "{zh: …, en: …}" are messages of this kind).
            return translate(self.template)
        values = {
            key: render_value(value, translate, present) for key, value in self.params.items()
        }
        return translate(self.template).format(**values)

    def __str__(self) -> str:
        return self.render()
