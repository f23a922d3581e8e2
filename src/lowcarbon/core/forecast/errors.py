"""The errors of the forecast: inputs that cannot give a forecast (a base year that
contradicts itself, unusable drivers or growth rates, a year outside the forecast, a task
whose figures cannot be counted).
"""

from __future__ import annotations

from ..errors import LowcarbonError
from ..messages import Message, gettext_noop

__all__ = [
    "BaselineError",
    "DriverError",
    "ForecastError",
    "ForecastYearError",
    "TaskError",
]


class ForecastError(LowcarbonError):
    """The inputs cannot give a forecast; never answered with a plausible number."""

    code = "forecast"


class BaselineError(ForecastError):
    """A base year that contradicts itself: negative quantities, drivers of another year."""

    code = "forecast_baseline"


class DriverError(ForecastError):
    """Planned drivers or growth assumptions that cannot be used."""

    code = "forecast_driver"


class ForecastYearError(ForecastError):
    """A year before the base year, or a year the forecast does not contain."""

    code = "forecast_year"

    def __init__(self, year: int, base_year: int, message: Message) -> None:
        self.year = year
        self.base_year = base_year
        super().__init__(message)


class TaskError(ForecastError):
    """A task whose figures cannot be counted; ``task_id`` names it."""

    code = "forecast_task"

    def __init__(self, task_id: str, problem: Message) -> None:
        self.task_id = task_id
        super().__init__(
            Message(gettext_noop("task '{task}': {problem}"), {"task": task_id, "problem": problem})
        )
