"""The errors of the target check: a target that cannot be checked (a year outside the
forecast, a value out of range or given twice, a zero or missing denominator).
"""

from __future__ import annotations

from ..activity import Target
from ..forecast import ForecastError
from ..messages import Message, gettext_noop
from .kinds import _kind_name

__all__ = [
    "DenominatorError",
    "TargetError",
    "TargetValueError",
    "TargetYearError",
]


class TargetError(ForecastError):
    """A target that cannot be checked; never answered with a made-up pass or fail."""

    code = "target"


class TargetYearError(TargetError):
    code = "target_year"

    def __init__(self, target: Target, base_year: int, message: Message) -> None:
        self.target = target
        self.base_year = base_year
        super().__init__(message)


class TargetValueError(TargetError):
    code = "target_value"

    def __init__(self, target: Target, message: Message) -> None:
        self.target = target
        super().__init__(message)


class DenominatorError(TargetError):
    """The indicator divides by a quantity that is zero or missing in the year asked for."""

    code = "target_denominator"

    def __init__(self, target: Target, quantity: Message) -> None:
        self.target = target
        super().__init__(
            Message(
                gettext_noop("{kind} {year} cannot be computed: {quantity} is zero or missing"),
                {"kind": _kind_name(target.kind), "year": target.year, "quantity": quantity},
            )
        )
