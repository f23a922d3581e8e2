"""Translation for the command line, from the same gettext catalogue the web will use.

Message ids are English; ``zh`` (简体中文) is the default language of every output.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["LANGUAGES", "LOCALE_DIR", "default_language", "translator"]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "django"  # shared with Django's LOCALE_PATHS
LANGUAGES = {"zh": "zh_Hans", "en": "en"}


def default_language() -> str:
    """``LOWCARBON_LANG`` when set to a known language, else Chinese."""
    value = os.environ.get("LOWCARBON_LANG", "zh")
    return value if value in LANGUAGES else "zh"


def translator(language: str) -> Callable[[str], str]:
    """The gettext function of ``language``; English is the identity."""
    if language == "en":
        return lambda text: text
    catalogue = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[LANGUAGES[language]], fallback=False
    )
    return catalogue.gettext
