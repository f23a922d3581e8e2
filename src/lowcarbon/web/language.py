"""The reader's language: texts the data carries in both (titles, labels, unit names), and the
engine's messages rendered for a reader (units, factor sets and factors by their names)."""

from __future__ import annotations

from django.utils.translation import get_language, gettext

from lowcarbon.core.messages import Message
from lowcarbon.core.text import LocalText
from lowcarbon.documents.formatting import presenter

__all__ = ["local", "read"]


def local(text: LocalText) -> str:
    """``text`` in the language of the current request (Chinese unless English is asked for)."""
    return text.get(get_language() or "zh-hans")


def read(message: Message) -> str:
    """``message`` as a reader of the current request reads it: translated, its terms named
    (吨二氧化碳/万千瓦时, the set's title) where the command line keeps their ids."""
    return message.render(gettext, presenter(local, gettext))
