"""The error tree of the domain layer.

::

    LowcarbonError                 every error this project raises on purpose
    ├── RubricError                a rubric (indicator system) that cannot be scored as built
    ├── AnswerError                one answer that does not fit the rubric (unknown item…)
    └── AnswerProblems             all AnswerErrors of one answer set, raised together

Each error carries a :class:`~lowcarbon.core.messages.Message` (translated at the edge) and a
stable ``code`` that tests and the web UI can rely on.
"""

from __future__ import annotations

from .messages import Message, gettext_noop

__all__ = ["AnswerError", "AnswerProblems", "LowcarbonError", "RubricError"]


class LowcarbonError(Exception):
    """Base of every deliberate error; ``message`` is rendered in the user's language."""

    code: str = "error"

    def __init__(self, message: Message, *, code: str | None = None) -> None:
        super().__init__(message.render())
        self.message = message
        if code is not None:
            self.code = code


class RubricError(LowcarbonError):
    """A rubric whose structure the engine cannot score (duplicate ids, empty options…)."""

    code = "rubric"


class AnswerError(LowcarbonError):
    """Answers that do not fit the rubric; ``item_id`` names the item when there is one."""

    code = "answer"

    def __init__(self, message: Message, *, item_id: str | None = None, code: str | None = None):
        super().__init__(message, code=code)
        self.item_id = item_id


class AnswerProblems(LowcarbonError):
    """Every problem found in one answer set, so a person can fix them all in one pass."""

    code = "answers"

    def __init__(self, problems: list[AnswerError]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            problems[0].message
            if len(problems) == 1
            else Message(
                gettext_noop("{count} problems in the answers, the first: {first}"),
                {"count": len(problems), "first": problems[0].message},
            )
        )
