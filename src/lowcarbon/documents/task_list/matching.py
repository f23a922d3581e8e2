"""When two names are the same task: equal without white space, punctuation and case, or once
bracketed parts are removed too.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[\s\u3000,，。.;；:：、!！?？\"'“”‘’《》〈〉「」\-—–_·/\\]+")
_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


def _keys(name: str) -> tuple[str, str]:
    full = _PUNCTUATION.sub("", name).casefold()
    short = _PUNCTUATION.sub("", _BRACKETED.sub("", name)).casefold()
    return full, short


def same_task(a: str, b: str) -> bool:
    """Whether two names are the same task (see the module's rule on matching)."""
    full_a, short_a = _keys(a)
    full_b, short_b = _keys(b)
    return bool(full_a) and (full_a == full_b or (bool(short_a) and short_a == short_b))
