"""Shares of a total, rounded so that the rounded shares add up to exactly 100 %.

Rounding each share on its own can show 33.3 + 33.3 + 33.3 = 99.9 %: a reader then doubts every
figure. :func:`apportion` rounds by the largest-remainder method (Hamilton): every share is first
rounded down to the places shown, then the units still missing to reach 100 % go, one each, to
the shares with the largest remainders (ties to the larger amount, then to the earlier key). The
exact share is kept beside the shown one, so the rounding is visible: no shown share differs from
its exact value by a full unit of the last place.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Generic, TypeVar

from .messages import Message, gettext_noop

__all__ = ["HUNDRED", "Share", "ShareTable", "apportion"]

HUNDRED = Decimal(100)

_Key = TypeVar("_Key", bound=Hashable)


@dataclass(frozen=True)
class Share(Generic[_Key]):
    """One part of a total: its amount, its exact share and its share as shown (in %)."""

    key: _Key
    amount: Decimal
    exact_pct: Decimal
    shown_pct: Decimal

    @property
    def rounding(self) -> Decimal:
        """Shown − exact: what the rounding moved (less than one unit of the last place)."""
        return self.shown_pct - self.exact_pct


@dataclass(frozen=True)
class ShareTable(Generic[_Key]):
    """The shares of one breakdown (by scope, category, sector …), largest first."""

    total: Decimal
    places: int
    shares: tuple[Share[_Key], ...]

    @property
    def shown_total_pct(self) -> Decimal:
        return sum((share.shown_pct for share in self.shares), Decimal(0))

    def share(self, key: _Key) -> Share[_Key]:
        """The share of ``key``; KeyError when it has none."""
        for share in self.shares:
            if share.key == key:
                return share
        raise KeyError(key)

    @property
    def note(self) -> Message:
        return Message(
            gettext_noop(
                "shares rounded to {places} decimal place(s) by the largest remainder, so that "
                "they add up to exactly 100 %"
            ),
            {"places": self.places},
        )


def apportion(amounts: Mapping[_Key, Decimal], places: int = 1) -> ShareTable[_Key]:
    """The shares of ``amounts`` (each at least 0) in %, shown to ``places`` decimals and adding
    up to exactly 100; an empty table when the total is 0 (no share of nothing)."""
    if any(amount < 0 for amount in amounts.values()):
        raise ValueError("shares of negative amounts are not defined")
    total = sum(amounts.values(), Decimal(0))
    if total == 0:
        return ShareTable(total, places, ())
    unit = Decimal(1).scaleb(-places)
    exact = {key: amount * HUNDRED / total for key, amount in amounts.items()}
    floors = {key: value.quantize(unit, rounding=ROUND_FLOOR) for key, value in exact.items()}
    missing = int((HUNDRED - sum(floors.values(), Decimal(0))) / unit)
    order = list(amounts)
    by_remainder = sorted(
        order,
        key=lambda key: (-(exact[key] - floors[key]), -amounts[key], order.index(key)),
    )
    for key in by_remainder[:missing]:
        floors[key] += unit
    shares = tuple(
        Share(key, amounts[key], exact[key], floors[key])
        for key in sorted(order, key=lambda key: (-amounts[key], order.index(key)))
    )
    return ShareTable(total, places, shares)
