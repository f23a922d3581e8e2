"""Loads the creation stage's reminder rules: ``data/creation/reminders.yaml``.

The schema (``data/schemas/reminders.schema.json``) checks the form; this module checks what a
schema cannot: each step's code is unique (it is part of the key that makes a reminder go out
once) and no two steps of one audience fall on the same day. Every problem is a
:class:`~lowcarbon.rules.errors.DataFileError` naming file, key path, line, the value found and
what is expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lowcarbon.core.messages import Message, gettext_noop

from .paths import data_dir, schema_path
from .yamlio import load_schema, read_yaml, validate_with_schema

__all__ = ["AUDIENCES", "ReminderStep", "load_reminder_rules", "reminder_rules_path"]

#: Who a step reminds: the unit's people, its district's officers, the bureau.
AUDIENCES = ("unit", "district", "bureau")


@dataclass(frozen=True)
class ReminderStep:
    """One reminder: ``days`` from the due date's day (negative: before it), to ``audience``."""

    code: str
    days: int
    audience: str


def reminder_rules_path() -> Path:
    return data_dir() / "creation" / "reminders.yaml"


def load_reminder_rules(path: Path | None = None) -> tuple[ReminderStep, ...]:
    """The steps of ``path`` (default: the bundled rules), checked, in order of their day."""
    document = read_yaml(path if path is not None else reminder_rules_path())
    validate_with_schema(document, load_schema(schema_path("reminders")))
    steps: list[ReminderStep] = []
    codes: set[str] = set()
    days: set[tuple[str, int]] = set()
    for index, spec in enumerate(document.data["steps"]):
        step = ReminderStep(str(spec["code"]), int(spec["days"]), str(spec["audience"]))
        if step.code in codes:
            raise document.error(
                ("steps", index, "code"),
                Message(gettext_noop("a code no other step has")),
                step.code,
                code="reminder_duplicate_code",
            )
        if (step.audience, step.days) in days:
            raise document.error(
                ("steps", index, "days"),
                Message(
                    gettext_noop("a day no other step to {audience} has"),
                    {"audience": step.audience},
                ),
                step.days,
                code="reminder_duplicate_day",
            )
        codes.add(step.code)
        days.add((step.audience, step.days))
        steps.append(step)
    return tuple(sorted(steps, key=lambda s: (s.days, s.code)))
