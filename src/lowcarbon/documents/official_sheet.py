"""The score table in the layout of the published indicator systems, for every score sheet.

沪环气〔2021〕182号 prints two layouts (the founding document, 附件2 and 附件4):

* 附件2 (practice zones): four columns 指标项 | 指标内容 | 评分标准说明 | 得分, the 指标项
  "一、…（20分）" spanning its 指标内容 rows, and a 合计 row;
* 附件4 (communities): four columns 一级指标 | 低碳软环境建设 | 评价方法 | 得分, the second
  column holding the item as "N.名称（X分）" and the third the evaluation method with the full
  scoring standard; the 一级指标 "一、…（20分）" spans its items; the hard-environment section
  and the bonus items start under their own heading rows (低碳硬环境建设 / 加分项 | 评价方法 |
  得分); the table ends with the 注 on missing evidence.

The expert's score sheet (:mod:`lowcarbon.documents.score_sheet`) and the plan's
self-assessment annex (:mod:`lowcarbon.documents.plan`) both lay their scores out with
:func:`official_table` and write it with :func:`official_blocks`: one layout, two sources of
points. The texts come from the rubric data (the official wording in ``zh``); where the maximum
the engine can award differs from the official one (附件4 第19项 declares 6 points but its
standard reaches 3.5, so the main items reach 99.5 of 100), the total says so and the table's
notes give the edition's reasons (the rubric's ``resolutions``) instead of a bare number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lowcarbon.core.messages import format_points, gettext_noop
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    Item,
    JudgementRule,
    LevelsRule,
    PerUnitRule,
    Pool,
    Rubric,
    Rule,
    Section,
)

from .blocks import Block, Paragraph, Table

__all__ = [
    "OfficialRow",
    "OfficialTable",
    "evidence_note",
    "item_label",
    "item_maximum",
    "official_blocks",
    "official_cells",
    "official_table",
    "scoring_standard",
]

Translate = Callable[[str], str]
Language = Callable[[Any], str]  # LocalText -> text in the document's language

# 附件4's column heads above its sections: 一、二 are the soft environment, 三 the hard one, the
# bonus items their own (the data names no such grouping; the layout is the document's).
SOFT = gettext_noop("Low-carbon soft environment")
HARD = gettext_noop("Low-carbon hard environment")
BONUS = gettext_noop("Bonus items")
_ANNEX4_GROUPS = {"community": {"s3": HARD}}
_ANNEX4_SCHEMES = frozenset(_ANNEX4_GROUPS)

# 附件4 注, word for word in its Chinese translation (seed 000, the line after 加分项第5项).
EVIDENCE_NOTE = gettext_noop(
    "Note: an indicator for which data or supporting evidence are lacking, or whose data cannot "
    "be established with high confidence, scores 0."
)


@dataclass(frozen=True)
class OfficialRow:
    """One row of four cells. ``kind``: "item", "group" (a heading row inside the table, as
    附件4 starts its hard environment and its bonus items) or "total". ``span`` rows from this
    one share the first column's cell (the section of the official table)."""

    cells: tuple[str | Decimal | None, ...]
    kind: str = "item"
    span: int = 1
    item_id: str = ""


@dataclass(frozen=True)
class OfficialTable:
    caption: str
    header: tuple[str, ...]
    rows: tuple[OfficialRow, ...]
    widths: tuple[float, ...]
    notes: tuple[str, ...]

    #: The score column (numbers, right-aligned).
    score_column = 3


def _points(value: Decimal) -> str:
    return format_points(value)


def item_maximum(item: Item) -> Decimal:
    """The maximum the official table prints for the item: its heading's points, or what its
    standard reaches when the heading prints none (附件2 三 "（分）")."""
    return item.declared_points if item.declared_points is not None else item.reachable_maximum


def item_label(item: Item, number: str, _: Translate, local: Language) -> str:
    """ "N.名称（X分）" as 附件4 prints it (附件2 prints the name and points without a number)."""
    points = _(gettext_noop(" ({points} points)")).format(points=_points(item_maximum(item)))
    return f"{number}{local(item.title)}{points}"


def _rule_texts(rule: Rule, local: Language) -> list[str]:
    if isinstance(rule, LevelsRule):
        return [local(option.text) for option in rule.options]
    if isinstance(rule, ChecklistRule):
        texts = [local(criterion.text) for criterion in rule.criteria]
        if rule.deduction is not None:
            texts.append(local(rule.deduction.text))
        return texts
    if isinstance(rule, CountTiersRule):
        return [local(tier.text) for tier in rule.tiers]
    if isinstance(rule, PerUnitRule | JudgementRule):
        return [local(rule.text)]
    if isinstance(rule, CompositeRule):
        return [text for part in rule.parts for text in _rule_texts(part.rule, local)]
    raise TypeError(f"unknown rule {type(rule).__name__}")  # pragma: no cover


def scoring_standard(item: Item, local: Language) -> str:
    """The item's full scoring standard as the official table states it: every level or
    criterion, the deduction and the constraint, in the order of the data."""
    texts = [text.strip().rstrip("；;。") for text in _rule_texts(item.rule, local)]
    if item.constraint is not None:
        texts.append(local(item.constraint.text).strip().rstrip("；;。"))
    return "；".join(text for text in texts if text) + "。"


def evidence_note(rubric: Rubric, _: Translate) -> str:
    return _(EVIDENCE_NOTE) if rubric.evidence_required else ""


def _section_heading(section: Section, _: Translate, local: Language) -> str:
    heading = f"{section.label}、{local(section.title)}"
    if section.declared_points is not None:
        heading += _(gettext_noop(" ({points} points)")).format(
            points=_points(section.declared_points)
        )
    return heading


def _total_text(declared: Decimal, reachable: Decimal | None, _: Translate) -> str:
    text = _(gettext_noop("Maximum {points} points")).format(points=_points(declared))
    if reachable is not None and reachable != declared:
        text += _(
            gettext_noop(
                "; under the scoring standards at most {reachable} points can be awarded "
                "(see the notes below the table)"
            )
        ).format(reachable=_points(reachable))
    return text


def official_table(
    rubric: Rubric,
    points: Mapping[str, Decimal | None],
    pools: Mapping[str, tuple[Decimal, Decimal]],
    _: Translate,
    local: Language,
    *,
    caption: str,
) -> OfficialTable:
    """The rubric's official table with ``points`` by item id (``None``: not scored) and
    ``pools`` by pool id as (points, maximum the engine can award)."""
    annex4 = rubric.scheme in _ANNEX4_SCHEMES
    groups = _ANNEX4_GROUPS.get(rubric.scheme, {})
    rows: list[OfficialRow] = []
    first_group = ""
    group = ""
    for section in rubric.sections:
        if annex4:
            current = BONUS if section.pool is Pool.BONUS else groups.get(section.id, SOFT)
            if not first_group:
                first_group = group = current
            elif current != group:
                group = current
                rows.append(
                    OfficialRow(
                        (
                            "",
                            _(current),
                            _(gettext_noop("Evaluation method")),
                            _(gettext_noop("Score")),
                        ),
                        kind="group",
                    )
                )
        heading = _section_heading(section, _, local)
        for index, item in enumerate(section.items, start=1):
            if annex4:
                number = item.id if item.id.isdigit() else str(index)
                label = item_label(item, f"{number}.", _, local)
                method = item.method_text or ""
                standard = scoring_standard(item, local)
                method = f"{method}\n{standard}" if method else standard
            else:
                label = item_label(item, "", _, local)
                method = scoring_standard(item, local)
            rows.append(
                OfficialRow(
                    (heading if index == 1 else "", label, method, points.get(item.id)),
                    span=len(section.items) if index == 1 else 1,
                    item_id=item.id,
                )
            )
    main = pools.get(Pool.MAIN.value)
    bonus = pools.get(Pool.BONUS.value)
    total = gettext_noop("Total of the main items") if annex4 else gettext_noop("Total")
    main_label = _(total)
    rows.append(
        OfficialRow(
            (
                main_label,
                _total_text(rubric.declared_total, main[1] if main else None, _),
                "",
                main[0] if main else None,
            ),
            kind="total",
        )
    )
    if rubric.declared_bonus is not None or bonus is not None:
        declared_bonus = rubric.declared_bonus
        if declared_bonus is None:
            declared_bonus = bonus[1] if bonus else Decimal(0)
        rows.append(
            OfficialRow(
                (
                    _(gettext_noop("Total of the bonus items")),
                    _total_text(declared_bonus, bonus[1] if bonus else None, _),
                    "",
                    bonus[0] if bonus else None,
                ),
                kind="total",
            )
        )
        if main and bonus:
            rows.append(
                OfficialRow(
                    (
                        _(gettext_noop("Total including the bonus pool")),
                        _(gettext_noop("Main items plus the bonus items, counted separately")),
                        "",
                        main[0] + bonus[0],
                    ),
                    kind="total",
                )
            )
    notes = []
    evidence = evidence_note(rubric, _)
    if evidence:
        notes.append(evidence)
    # The edition's decisions on the points (items, sections, pools), which explain a maximum
    # or a total that differs from the printed one; decisions on labels do not belong here.
    targets = {item.id for item in rubric.items()} | {section.id for section in rubric.sections}
    targets |= {pool.value for pool in Pool} | {"total"}
    notes.extend(
        _(gettext_noop("As this edition reads the official table: {note}")).format(
            note=local(resolution.note)
        )
        for resolution in rubric.resolutions
        if resolution.target in targets
    )
    if annex4:
        header = (
            _(gettext_noop("First-level indicator")),
            _(first_group or SOFT),
            _(gettext_noop("Evaluation method")),
            _(gettext_noop("Score")),
        )
        widths = (1.5, 2.9, 4.5, 0.9)
    else:
        header = (
            _(gettext_noop("Indicator item")),
            _(gettext_noop("Indicator content")),
            _(gettext_noop("Scoring standard")),
            _(gettext_noop("Score")),
        )
        widths = (1.5, 2.4, 4.8, 0.9)
    return OfficialTable(caption, header, tuple(rows), widths, tuple(notes))


def official_cells(row: OfficialRow) -> list[str]:
    return [value if isinstance(value, str) else _score(value) for value in row.cells]


def _score(value: Decimal | None) -> str:
    return "" if value is None else format_points(value)


def official_blocks(table: OfficialTable) -> list[Block]:
    """The table and its notes as document blocks (the first column merged over each section,
    heading and total rows in bold)."""
    merged = tuple((index, 0, row.span) for index, row in enumerate(table.rows) if row.span > 1)
    emphasis = frozenset(i for i, row in enumerate(table.rows) if row.kind == "total")
    subheaders = frozenset(i for i, row in enumerate(table.rows) if row.kind == "group")
    blocks: list[Block] = [
        Table(
            caption=table.caption,
            header=list(table.header),
            rows=[official_cells(row) for row in table.rows],
            numeric=frozenset({table.score_column}),
            widths=table.widths,
            merged=merged,
            emphasis=emphasis,
            subheaders=subheaders,
        )
    ]
    blocks.extend(Paragraph(text=note, style="note") for note in table.notes)
    return blocks
