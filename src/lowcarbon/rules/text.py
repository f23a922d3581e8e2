"""Reading bilingual text fields from data files into :class:`LocalText`."""

from __future__ import annotations

from typing import Any

from lowcarbon.core.text import LocalText

__all__ = ["local_text"]


def local_text(value: Any) -> LocalText:
    """``{zh: …, en: …}`` (schema-checked before this is called) → :class:`LocalText`."""
    return LocalText(zh=str(value["zh"]), en=str(value.get("en", "")))
