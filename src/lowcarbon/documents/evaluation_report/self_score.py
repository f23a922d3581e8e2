"""五、自评分情况: the self-score item by item with the archive records that support it."""

from __future__ import annotations

from decimal import Decimal

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block, Heading, Paragraph, Placeholder, Table
from ..formatting import column, trimmed
from .report import HASH_PREFIX, EvaluationReport, ScoreItem, Translate
from .values import _date, _hash_prefix


def _evidence(item: ScoreItem, _: Translate) -> str:
    return "\n".join(
        f"{r.code} {r.title}\n{_date(r.date, _)} {_hash_prefix(r)}" for r in item.records
    ) or _(gettext_noop("none"))


def _score_table(report: EvaluationReport, _: Translate) -> Table:
    rows: list[list[str]] = []
    points: list[list[Decimal | None]] = []  # the two point columns, formatted together
    subheaders: set[int] = set()
    emphasis: set[int] = set()
    for section in report.score:
        subheaders.add(len(rows))
        rows.append(["", section.title, "", "", "", ""])
        points.append([None, None])
        for item in section.items:
            rows.append([item.item_id, item.title, "", "", item.statement, _evidence(item, _)])
            points.append([item.max_points, item.self_points])
        emphasis.add(len(rows))
        rows.append(["", _(gettext_noop("Subtotal")), "", "", "", ""])
        points.append([section.max_points, section.self_points])
    emphasis.add(len(rows))
    rows.append(["", _(gettext_noop("Total")), "", "", "", ""])
    points.append([report.max_points, report.self_points])
    for index in (0, 1):
        shown = column([p[index] for p in points], most=2)
        for row, value, kind in zip(rows, shown, points, strict=True):
            if kind[0] is not None:
                row[2 + index] = value
    return Table(
        caption=_(gettext_noop("Self-score by item")),
        header=[
            _(gettext_noop("No.")),
            _(gettext_noop("Evaluation item")),
            _(gettext_noop("Maximum points")),
            _(gettext_noop("Self-assessed points")),
            _(gettext_noop("Statement")),
            _(gettext_noop("Evidence (record, date, SHA-256)")),
        ],
        rows=rows,
        numeric=frozenset({2, 3}),
        widths=(0.8, 2.0, 0.8, 0.8, 2.6, 2.6),
        emphasis=frozenset(emphasis),
        subheaders=frozenset(subheaders),
        note=_(
            gettext_noop(
                "Each record is named by its archive code and title, its date and the first "
                "{digits} hex digits of its SHA-256; the annex gives the full hash."
            )
        ).format(digits=HASH_PREFIX),
    )


def _score(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [Heading(1, "五、", _(gettext_noop("Self-score")))]
    if not report.score:
        blocks.append(Placeholder(_(gettext_noop("To be completed: the self-score item by item"))))
        return blocks
    items = [item for section in report.score for item in section.items]
    unscored = [item.item_id for item in items if item.self_points is None]
    blocks.append(
        Paragraph(
            _(
                gettext_noop(
                    "Scored against {rubric}: {points} of {maximum} points, over {count} items "
                    "supported by {records} archive records."
                )
            ).format(
                rubric=report.rubric,
                points=trimmed(report.self_points),
                maximum=trimmed(report.max_points),
                count=len(items),
                records=len({r.code for item in items for r in item.records}),
            )
        )
    )
    if unscored:
        blocks.append(
            Placeholder(
                _(gettext_noop("To be completed: the self-score of items {items}")).format(
                    items="、".join(unscored)
                )
            )
        )
    blocks.append(_score_table(report, _))
    return blocks
