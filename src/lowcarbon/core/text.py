"""Text that the data files give in Chinese (authoritative) with an English rendering."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LocalText"]


@dataclass(frozen=True)
class LocalText:
    """``zh`` is the official wording (from the seed when cited); ``en`` is our translation."""

    zh: str
    en: str = ""

    def get(self, language: str) -> str:
        """The text in ``language`` (``zh`` or ``en``); falls back to Chinese, never to blank."""
        if language.startswith("en") and self.en:
            return self.en
        return self.zh
