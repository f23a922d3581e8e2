"""The full-width colon after a form label in Chinese.

Django writes a label's suffix as ``gettext(":")`` and its own Chinese catalogue keeps the ASCII
colon ("月份:"). The id is marked here so that the platform's catalogue, which Django reads
first, gives the colon of Chinese text ("月份：").
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

__all__ = ["LABEL_SUFFIX"]

LABEL_SUFFIX = gettext_noop(":")
