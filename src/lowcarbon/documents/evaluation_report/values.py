"""How the report's sections write tonnes, dates, years, statuses and record hashes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block, Paragraph, Placeholder
from ..formatting import NO_VALUE, number, percent, year
from .report import _STATUS, HASH_PREFIX, CitedRecord, ReportTask, Translate


def _tonnes(value: Decimal | None) -> str:
    return number(value, 2)


def _date(value: date, _: Translate) -> str:
    return _(gettext_noop("{year}-{month}-{day}")).format(
        year=value.year, month=value.month, day=value.day
    )


def _years(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return NO_VALUE
    if start == end or end is None or start is None:
        return year(start if start is not None else end)
    return f"{year(start)}—{year(end)}"


def _status(task: ReportTask, _: Translate) -> str:
    label = _(_STATUS[task.status]) if task.status in _STATUS else task.status
    if task.percent_done is None or task.status == "cancelled":
        return label
    return f"{label}\n{percent(task.percent_done, 0)}"


def _texts(text: str, missing: str) -> list[Block]:
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if not paragraphs:
        return [Placeholder(missing)]
    return [Paragraph(line) for line in paragraphs]


def _hash_prefix(record: CitedRecord) -> str:
    return record.sha256.lower()[:HASH_PREFIX]


def _hash_lines(sha256: str) -> str:
    """The full hash in four lines of 16 digits: a column narrow enough for the annex table."""
    digest = sha256.lower()
    return "\n".join(digest[i : i + 16] for i in range(0, len(digest), 16))
