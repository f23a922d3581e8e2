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

__all__ = ["Message", "Translate", "format_points", "gettext_noop", "render_value"]

Translate = Callable[[str], str]


def gettext_noop(template: str) -> str:
    """Mark ``template`` for extraction into the catalogue without translating it here."""
    return template


def _identity(text: str) -> str:
    return text


def render_value(value: object, translate: Translate = _identity) -> str:
    """Render one message parameter: nested messages are translated, numbers kept plain."""
    if isinstance(value, Message):
        return value.render(translate)
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, list | tuple):
        return ", ".join(render_value(v, translate) for v in value)
    return str(value)


def format_points(value: Decimal) -> str:
    """Points as people write them: ``5``, ``2.5``, ``0.5`` (never ``5.0`` or ``2.50``)."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


@dataclass(frozen=True)
class Message:
    """An English template with named ``{fields}`` and the values that fill them."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = _identity) -> str:
        if not self.params:
            # A message without fields is shown as it is, braces included (schema texts
            # such as "{zh: …, en: …}" are messages of this kind).
            return translate(self.template)
        values = {key: render_value(value, translate) for key, value in self.params.items()}
        return translate(self.template).format(**values)

    def __str__(self) -> str:
        return self.render()
