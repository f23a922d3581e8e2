"""A value of the data read as a decimal or as text, the same way by the checks and the reader."""

from __future__ import annotations

from decimal import Decimal

__all__ = []


def _decimal(value: int | float | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    # repr of a float is the shortest text that reads back as the same float: the digits the
    # person wrote, for any number of up to 15 significant digits.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _text(value: str | None) -> str:
    return (value or "").strip()
