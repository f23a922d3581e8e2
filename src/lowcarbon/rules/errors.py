"""Errors of the rules layer: a data or answers file that cannot be read as it should.

::

    LowcarbonError (core)
    └── DataFileError              file, key path, line, value found, what was expected
"""

from __future__ import annotations

from pathlib import Path

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop

__all__ = ["DataFileError"]

_MAX_SHOWN = 80


def shorten(value: object) -> str:
    """The value found, short enough for a one-line message."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


class DataFileError(LowcarbonError):
    """A file whose content is not what its kind requires."""

    code = "data_file"

    def __init__(
        self,
        path: Path | str,
        *,
        key: str,
        expected: Message,
        found: object = None,
        line: int | None = None,
        code: str | None = None,
    ) -> None:
        self.path = str(path)
        self.key = key or "(top level)"
        self.line = line
        self.found = found
        self.expected = expected
        where = f"{self.path}:{line}" if line is not None else self.path
        if found is None:
            message = Message(
                gettext_noop("{where}: at {key}: expected {expected}"),
                {"where": where, "key": self.key, "expected": expected},
            )
        else:
            message = Message(
                gettext_noop("{where}: at {key}: found {found}, expected {expected}"),
                {"where": where, "key": self.key, "found": shorten(found), "expected": expected},
            )
        super().__init__(message, code=code)
