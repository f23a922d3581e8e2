"""The batch's acceptance result sheet (验收结果汇总表), and a mid-term evaluation's
(中期评估结果汇总表).

One row per unit of a batch and kind: number, unit, district, the application score (the panel's
aggregated total at selection), the acceptance score (the aggregated total now), the change
between the two, the outcome (通过 / 整改后复验 / 未通过), whether the unit is named (命名) and a
remark. The rows are sorted by the acceptance score, highest first; units still without a score
follow; equal scores are listed by the unit's name, an order of listing that says nothing about
merit. A totals line counts the units per outcome and the units named.

The sheet is a :class:`~lowcarbon.documents.score_sheet.Sheet`, written by the score sheets'
writers: DOCX in the official layout, landscape (nine columns), PDF from it, and XLSX
(openpyxl) where every score and change is a number the reader can add up, the change with its
sign (``+2.5`` / ``-1``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment

from lowcarbon.core.messages import format_points, gettext_noop
from lowcarbon.rules.xlsx_safety import put

from . import score_sheet
from .acceptance_opinion import OUTCOMES, STAGES, kind_label, outcome_label
from .score_sheet.sheet import Sheet, SheetRow

__all__ = [
    "CHANGE_FORMAT",
    "AcceptanceResultEntry",
    "AcceptanceResultRow",
    "AcceptanceResults",
    "AcceptanceResultsContext",
    "build_acceptance_results",
    "write_docx",
    "write_pdf",
    "write_xlsx",
]

Translate = Callable[[str], str]

#: The change's number format in the workbook: always signed, no sign for no change.
CHANGE_FORMAT = "+0.0#;-0.0#;0"
_NO_VALUE = "—"
_BLANK = "＿" * 6
_DATE_BLANK = "＿＿＿＿年＿＿月＿＿日"
# Columns of the sheet (0-based).
_APPLICATION, _ACCEPTANCE, _CHANGE = 3, 4, 5


@dataclass(frozen=True)
class AcceptanceResultEntry:
    """One unit of the batch, as the bureau's records hold it."""

    unit: str
    district: str
    application_score: Decimal | None  # aggregated total at selection; None: not on record
    acceptance_score: Decimal | None  # aggregated total now; None: not yet scored
    outcome: str | None  # acceptance_opinion.OUTCOMES key; None: not yet decided
    named: bool  # named (命名) as a demonstration unit: only with the outcome "passed"
    remark: str = ""


@dataclass(frozen=True)
class AcceptanceResultsContext:
    batch_year: int
    kind: str  # "zone" or "community"
    stage: str  # "midterm" or "final"
    method: str  # the aggregation method, as printed (e.g. 去掉最高分和最低分后取平均)
    generated_at: str


@dataclass(frozen=True)
class AcceptanceResultRow:
    number: int  # 1, 2, … in the sheet's order
    entry: AcceptanceResultEntry
    change: Decimal | None  # acceptance score - application score, where both are there


@dataclass(frozen=True)
class AcceptanceResults:
    rows: Sequence[AcceptanceResultRow]  # sorted (module docstring)
    counts: dict[str, int]  # units per outcome (every key of OUTCOMES), in that order
    pending: int  # units without an outcome yet
    named: int
    sheet: Sheet


def _check(entry: AcceptanceResultEntry, context: AcceptanceResultsContext) -> None:
    if entry.outcome is not None and entry.outcome not in OUTCOMES:
        raise ValueError(
            f"{entry.unit}: unknown outcome {entry.outcome!r}: one of {', '.join(OUTCOMES)}"
        )
    if entry.named and entry.outcome != "passed":
        raise ValueError(f"{entry.unit}: only a unit that passed is named, not {entry.outcome!r}")
    if entry.named and context.stage == "midterm":
        raise ValueError(f"{entry.unit}: no unit is named at a mid-term evaluation")


def _order(entry: AcceptanceResultEntry) -> tuple[bool, Decimal, str]:
    score = entry.acceptance_score
    return (score is None, -(score or Decimal(0)), entry.unit)


def _signed(value: Decimal | None) -> str:
    if value is None:
        return _NO_VALUE
    text = format_points(value)
    return f"+{text}" if value > 0 else text


def _number(value: Decimal | None) -> Decimal | str:
    return _NO_VALUE if value is None else value


def build_acceptance_results(
    entries: Sequence[AcceptanceResultEntry], context: AcceptanceResultsContext, _: Translate
) -> AcceptanceResults:
    """The result sheet of one batch and kind at ``context.stage`` (module docstring)."""
    if context.stage not in STAGES:
        raise ValueError(f"unknown stage {context.stage!r}: one of {', '.join(STAGES)}")
    midterm = context.stage == "midterm"
    if midterm and context.kind != "zone":
        raise ValueError("only practice zones have a mid-term evaluation")
    for entry in entries:
        _check(entry, context)
    rows = []
    for number, entry in enumerate(sorted(entries, key=_order), start=1):
        change = None
        if entry.application_score is not None and entry.acceptance_score is not None:
            change = entry.acceptance_score - entry.application_score
        rows.append(AcceptanceResultRow(number=number, entry=entry, change=change))
    counts = {key: sum(1 for e in entries if e.outcome == key) for key in OUTCOMES}
    pending = sum(1 for e in entries if e.outcome is None)
    named = sum(1 for e in entries if e.named)
    yes, no = _(gettext_noop("yes")), _(gettext_noop("no"))
    cells: list[SheetRow] = [
        SheetRow(
            [
                str(row.number),
                row.entry.unit,
                row.entry.district,
                _number(row.entry.application_score),
                _number(row.entry.acceptance_score),
                _signed(row.change),
                _NO_VALUE if row.entry.outcome is None else outcome_label(row.entry.outcome, _),
                _NO_VALUE if midterm else (yes if row.entry.named else no),
                row.entry.remark.strip(),
            ]
        )
        for row in rows
    ]
    tally = [
        _(gettext_noop("{outcome} {count}")).format(outcome=outcome_label(key, _), count=count)
        for key, count in counts.items()
    ]
    if pending:
        tally.append(_(gettext_noop("pending {count}")).format(count=pending))
    cells.append(
        SheetRow(
            [
                "",
                _(gettext_noop("Total: {count} units")).format(count=len(entries)),
                "",
                "",
                "",
                "",
                "\n".join(tally),
                _NO_VALUE if midterm else _(gettext_noop("named {count}")).format(count=named),
                "",
            ],
            kind="total",
        )
    )
    if midterm:
        title = _(gettext_noop("Mid-term evaluation result sheet"))
        score_header = _(gettext_noop("Mid-term evaluation score"))
        outcome_header = _(gettext_noop("Outcome of the evaluation"))
    else:
        title = _(gettext_noop("Acceptance result sheet"))
        score_header = _(gettext_noop("Acceptance score"))
        outcome_header = _(gettext_noop("Outcome of the acceptance"))
    subtitle = _(gettext_noop("Batch of {year} · {kind}")).format(
        year=context.batch_year, kind=kind_label(context.kind, _)
    )
    notes = [
        _(
            gettext_noop(
                "Scores are the panels' aggregated totals (main items plus the bonus pool) by "
                "{method}; the application score is the one of the selection, the change is the "
                "score now less the application score. Sorted by the score now, highest first; "
                "equal scores by name."
            )
        ).format(method=context.method),
        _(gettext_noop("Generated by the platform from the stored scores; generated {at}.")).format(
            at=context.generated_at
        ),
    ]
    if midterm:
        notes.insert(1, _(gettext_noop("No unit is named at the mid-term evaluation.")))
    sheet = Sheet(
        title=title,
        subtitle=subtitle,
        info=[],
        caption=_(gettext_noop("Results by score")),
        header=[
            _(gettext_noop("No.")),
            _(gettext_noop("Creation unit")),
            _(gettext_noop("District")),
            _(gettext_noop("Application score")),
            score_header,
            _(gettext_noop("Change of the score")),
            outcome_header,
            _(gettext_noop("Named")),
            _(gettext_noop("Remark")),
        ],
        rows=cells,
        numeric=frozenset({_APPLICATION, _ACCEPTANCE, _CHANGE}),
        widths=(0.6, 2.4, 1.2, 1.1, 1.1, 1.0, 1.8, 1.1, 1.8),
        notes=notes,
        signature=_(gettext_noop("Prepared by: "))
        + _BLANK
        + "　　"
        + _(gettext_noop("Checked by: "))
        + _BLANK
        + "\n"
        + _(gettext_noop("Date: "))
        + _DATE_BLANK,
        properties={
            "title": f"{title} · {subtitle}",
            "keywords": f"stage:{context.stage} kind:{context.kind} batch:{context.batch_year}",
            "description": context.method,
        },
    )
    return AcceptanceResults(rows=rows, counts=counts, pending=pending, named=named, sheet=sheet)


def write_docx(results: AcceptanceResults, out: Path, _: Translate) -> None:
    """The sheet in the official Word layout, landscape A4."""
    score_sheet.write_docx(results.sheet, out, _)


def write_pdf(
    results: AcceptanceResults, out_dir: Path, stem: str, _: Translate
) -> tuple[Path, Path]:
    """The DOCX and its PDF in ``out_dir``; :class:`~lowcarbon.documents.pdf.PdfConversionError`
    when no PDF can be made (the DOCX is then still there)."""
    return score_sheet.write_pdf(results.sheet, out_dir, stem, _)


def write_xlsx(results: AcceptanceResults, out: Path) -> None:
    """The sheet as an A4 workbook (landscape, the header repeated on each page); the scores
    are numbers, the change a signed number (:data:`CHANGE_FORMAT`)."""
    score_sheet.write_xlsx(results.sheet, out)
    workbook = load_workbook(out)
    ws = workbook.active
    assert ws is not None
    header = list(results.sheet.header)
    first = next(
        number
        for number, values in enumerate(ws.iter_rows(max_col=2, values_only=True), start=1)
        if list(values) == header[:2]
    )
    for offset, row in enumerate(results.rows, start=1):
        if row.change is not None:
            cell = put(ws, first + offset, _CHANGE + 1, row.change)
            cell.quotePrefix = False
            cell.number_format = CHANGE_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="top", wrap_text=True)
    workbook.save(out)
