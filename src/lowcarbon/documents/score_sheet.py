"""Score sheets of the expert review (专家评分表) and the round's result sheet (评审结果汇总表).

Both are built from engine results, never from typed numbers: an expert's sheet from the
:class:`~lowcarbon.core.scoring.ScoreResult` of one stored revision of their answers, the
result sheet from the aggregated results of the round. The builder returns a format-free
:class:`Sheet`; the writers lay it out as XLSX (openpyxl) and as DOCX (the official Word layout
of :mod:`lowcarbon.documents.word`), and the DOCX converts to PDF
(:func:`lowcarbon.documents.pdf.convert_to_pdf`).

The expert's sheet has two parts. The first is the indicator system's own table as published
(沪环气〔2021〕182号 附件4: 一级指标 | 低碳软/硬环境建设 or 加分项 | 评价方法 with the full scoring
standard | 得分, ending with its 注; 附件2: 指标项 | 指标内容 | 评分标准说明 | 得分 with 合计),
laid out by :func:`lowcarbon.documents.official_sheet.official_table` exactly as the plan's
self-assessment annex is. The second explains the engine's points item by item (the criteria
awarded, caps and constraints, the expert's reason, comment and evidence) with the section
subtotals. The signature lines close the sheet. Each file names the submission's snapshot
SHA-256 and the revision it was made from, both visibly and in the file's properties, so a
sheet can always be traced back to an audited entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Emu, Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from lowcarbon.core.messages import format_points, gettext_noop
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ScoreResult
from lowcarbon.rules.xlsx_safety import put

from .blocks import Block, Paragraph, Table
from .official_sheet import official_table
from .pdf import convert_to_pdf
from .word import build_template, render_document

__all__ = [
    "STAGES",
    "ExpertSheetContext",
    "ResultEntry",
    "ResultSheetContext",
    "Sheet",
    "SheetPart",
    "SheetRow",
    "expert_letter",
    "expert_sheet",
    "result_sheet",
    "write_docx",
    "write_pdf",
    "write_xlsx",
]

Translate = Callable[[str], str]
Language = Callable[[Any], str]  # LocalText -> text in the document's language

# Full-width underscores leave room to sign by hand on the printed sheet.
_BLANK = "＿" * 10
_DATE_BLANK = "＿＿＿＿年＿＿月＿＿日"


@dataclass(frozen=True)
class SheetRow:
    """One table row; ``kind`` is "item", "group" (a heading row inside the table),
    "subtotal" or "total" (all but items in bold).
    ``span`` rows from this one share the first column's cell (the 一级指标 of a section)."""

    cells: Sequence[str | Decimal | int | None]
    kind: str = "item"
    span: int = 1


@dataclass(frozen=True)
class SheetPart:
    """A further table of a sheet, with its own columns and notes."""

    caption: str
    header: Sequence[str]
    rows: Sequence[SheetRow]
    numeric: frozenset[int]
    widths: Sequence[float]
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class Sheet:
    """A sheet independent of the file format."""

    title: str
    subtitle: str
    info: Sequence[tuple[str, str]]  # (label, value) lines above the table
    caption: str
    header: Sequence[str]
    rows: Sequence[SheetRow]
    numeric: frozenset[int]
    widths: Sequence[float]
    notes: Sequence[str]
    signature: str
    # Stored in the file's properties as well (title, subject, keywords, description).
    properties: dict[str, str] = field(default_factory=dict)
    # Further tables after the first and its notes (the expert's sheet: the explanations).
    parts: Sequence[SheetPart] = ()

    def column(self, index: int) -> list[str | Decimal | int | None]:
        return [row.cells[index] if index < len(row.cells) else None for row in self.rows]


# --- the stage a sheet is printed for ----------------------------------------------------------

#: The stages whose sheets these are: the selection review (综合评估), a zone's mid-term
#: evaluation (中期评估) and the final acceptance (验收). The layout is the same; the titles say
#: which.
STAGES = ("selection", "midterm", "final")

# stage -> (expert's sheet title, its subtitle with {round}, result sheet title, unit label)
_TITLES: dict[str, tuple[str, str, str, str]] = {
    "selection": (
        gettext_noop("Expert score sheet"),
        gettext_noop("{round} low-carbon demonstration: comprehensive assessment"),
        gettext_noop("Review result sheet"),
        gettext_noop("Applicant unit"),
    ),
    "midterm": (
        gettext_noop("Mid-term evaluation score sheet"),
        gettext_noop("{round} low-carbon demonstration: mid-term evaluation"),
        gettext_noop("Mid-term evaluation score summary"),
        gettext_noop("Creation unit"),
    ),
    "final": (
        gettext_noop("Acceptance score sheet"),
        gettext_noop("{round} low-carbon demonstration: acceptance"),
        gettext_noop("Acceptance score summary"),
        gettext_noop("Creation unit"),
    ),
}


def _titles(stage: str) -> tuple[str, str, str, str]:
    if stage not in _TITLES:
        raise ValueError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
    return _TITLES[stage]


# --- the expert's score sheet ------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertSheetContext:
    """Where the scores come from: the application, the round, the expert and the revision."""

    round_label: str  # e.g. "2026年度"
    kind_label: str  # e.g. "低碳社区（近零碳排放社区）"
    unit: str
    panel: str
    expert: str
    submission_number: int
    snapshot_sha256: str
    revision: int
    revision_kind: str
    revision_at: str
    generated_at: str


def _explanation(result: Any, _: Translate, local: Language) -> str:
    """The expert's 评分说明 of one item: the criteria awarded (official text), the engine's
    notes (caps, constraints, "no evidence → 0"), the reason, the comment and the evidence."""
    lines = []
    awarded = [local(line.text) for line in result.lines if line.awarded]
    if awarded:
        lines.append(_(gettext_noop("Awarded: ")) + "；".join(awarded))
    lines.extend(note.render(_) for note in result.notes)
    if result.reason:
        lines.append(_(gettext_noop("Reason: ")) + result.reason)
    if result.comment:
        lines.append(_(gettext_noop("Comment: ")) + result.comment)
    if result.evidence:
        lines.append(_(gettext_noop("Evidence: ")) + "、".join(result.evidence))
    return "\n".join(lines)


def expert_sheet(
    result: ScoreResult,
    rubric: Rubric,
    context: ExpertSheetContext,
    _: Translate,
    local: Language,
    *,
    stage: str = "selection",
) -> Sheet:
    """One expert's sheet for one application, from the engine's result of their answers;
    ``stage`` (:data:`STAGES`) titles it for the selection review, the mid-term evaluation
    (中期评估评分表) or the acceptance (验收评分表)."""
    title, subtitle, _result_title, unit_label = _titles(stage)
    if result.rubric_ref != rubric.ref:
        raise ValueError(f"score of {result.rubric_ref} laid out with {rubric.ref}")
    official = official_table(
        rubric,
        {item.item.id: item.points for section in result.sections for item in section.items},
        {pool.pool.value: (pool.points, pool.maximum) for pool in result.pools},
        _,
        local,
        caption=_(gettext_noop("Part one: the score table of the indicator system")),
    )
    rows = [SheetRow(list(row.cells), kind=row.kind, span=row.span) for row in official.rows]
    explained: list[SheetRow] = []
    for section in result.sections:
        for item in section.items:
            explained.append(
                SheetRow(
                    [
                        item.item.id,
                        local(item.item.title),
                        _explanation(item, _, local) or "—",
                        item.points,
                    ]
                )
            )
        explained.append(
            SheetRow(
                [
                    "",
                    f"{section.section.label}、{local(section.section.title)}"
                    + _(gettext_noop(" (subtotal, at most {points})")).format(
                        points=format_points(section.maximum)
                    ),
                    "",
                    section.points,
                ],
                kind="subtotal",
            )
        )
    origin = _(
        gettext_noop(
            "Submission no. {number}, snapshot SHA-256 {sha}; revision {revision} ({kind}, {at})"
        )
    ).format(
        number=context.submission_number,
        sha=context.snapshot_sha256,
        revision=context.revision,
        kind=context.revision_kind,
        at=context.revision_at,
    )
    return Sheet(
        title=_(title),
        subtitle=_(subtitle).format(round=context.round_label),
        info=[
            (_(unit_label), context.unit),
            (_(gettext_noop("Kind")), context.kind_label),
            (_(gettext_noop("Indicator system")), f"{local(rubric.title)}（{rubric.source}）"),
            (_(gettext_noop("Panel")), context.panel),
            (_(gettext_noop("Expert")), context.expert),
            (_(gettext_noop("Scored from")), origin),
        ],
        caption=official.caption,
        header=list(official.header),
        rows=rows,
        numeric=frozenset({official.score_column}),
        widths=official.widths,
        notes=list(official.notes),
        parts=[
            SheetPart(
                caption=_(gettext_noop("Part two: the scoring explained item by item")),
                header=[
                    _(gettext_noop("No.")),
                    _(gettext_noop("Content evaluated")),
                    _(gettext_noop("Scoring explanation")),
                    _(gettext_noop("Score")),
                ],
                rows=explained,
                numeric=frozenset({3}),
                widths=(0.6, 3.0, 5.1, 0.9),
                notes=[
                    _(
                        gettext_noop(
                            "Generated by the platform from the expert's stored scores, "
                            "evaluated by the scoring engine against the frozen submission "
                            "({rubric}, SHA-256 {hash}); generated {at}."
                        )
                    ).format(
                        rubric=rubric.ref, hash=rubric.content_hash[:12], at=context.generated_at
                    ),
                ],
            )
        ],
        signature=_signature(_),
        properties={
            "title": _(title) + f" · {context.unit}",
            "keywords": f"snapshot-sha256:{context.snapshot_sha256} revision:{context.revision} "
            f"submission:{context.submission_number}",
            "description": origin,
        },
    )


def _signature(_: Translate) -> str:
    # Two lines: on one, the date would break inside its blanks (28 characters a line).
    return (
        _(gettext_noop("Expert's signature: "))
        + _BLANK
        + "\n"
        + _(gettext_noop("Date: "))
        + _DATE_BLANK
    )


# --- the round's result sheet ------------------------------------------------------------------


def expert_letter(index: int) -> str:
    """专家A, 专家B … for the 0-based ``index`` (AA after Z, as spreadsheets count)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class ResultEntry:
    """One application of the ranking with its experts' totals (in assignment order)."""

    rank: int | None
    tied: bool
    unit: str
    district: str
    experts: Sequence[tuple[str, Decimal]]  # (expert's name, main + bonus points)
    main: Decimal | None
    bonus: Decimal | None
    total: Decimal | None
    flags: Sequence[str]
    decision: str
    reasons: str
    pending: int = 0


@dataclass(frozen=True)
class ResultSheetContext:
    round_label: str
    kind_label: str
    method_label: str
    with_bonus: bool
    named: bool  # the experts' names (administrator) or 专家A/B/C
    generated_at: str


def result_sheet(
    entries: Sequence[ResultEntry],
    context: ResultSheetContext,
    _: Translate,
    *,
    stage: str = "selection",
) -> Sheet:
    """The panel results of a round and kind in ranking order (the order of ``entries``);
    ``stage`` (:data:`STAGES`) titles it for the review, the mid-term evaluation or the
    acceptance."""
    _expert_title, _subtitle, sheet_title, unit_label = _titles(stage)
    width = max((len(e.experts) for e in entries), default=0)
    letters = [
        _(gettext_noop("Expert {letter}")).format(letter=expert_letter(i)) for i in range(width)
    ]
    header = [
        _(gettext_noop("Rank")),
        _(unit_label),
        _(gettext_noop("District")),
    ]
    header += letters
    header += [_(gettext_noop("Aggregated main points"))]
    if context.with_bonus:
        header += [_(gettext_noop("Aggregated bonus pool")), _(gettext_noop("Total"))]
    header += [_(gettext_noop("Divergences")), _(gettext_noop("Decision"))]
    if context.named:
        header += [_(gettext_noop("Experts by letter"))]
    rows = []
    for entry in entries:
        if entry.rank is None:
            rank = _(gettext_noop("scoring ({pending} outstanding)")).format(pending=entry.pending)
        else:
            rank = str(entry.rank) + (_(gettext_noop(" (tie)")) if entry.tied else "")
        cells: list[str | Decimal | int | None] = [rank, entry.unit, entry.district]
        cells += [points for _name, points in entry.experts]
        cells += [None] * (width - len(entry.experts))
        cells += [entry.main]
        if context.with_bonus:
            cells += [entry.bonus, entry.total]
        cells += ["\n".join(entry.flags) or "—"]
        cells += [entry.decision + (f"：{entry.reasons}" if entry.reasons else "") or "—"]
        if context.named:
            cells += [
                "；".join(
                    f"{expert_letter(i)} {name}" for i, (name, _points) in enumerate(entry.experts)
                )
            ]
        rows.append(SheetRow(cells))
    first_number = 3
    numeric = set(range(first_number, first_number + width + 1 + (2 if context.with_bonus else 0)))
    widths = [0.8, 2.6, 1.2] + [0.9] * width + [1.1] + ([1.1, 1.1] if context.with_bonus else [])
    widths += [2.6, 2.6] + ([2.2] if context.named else [])
    notes = [
        _(
            gettext_noop(
                "Aggregation: {method}. Each expert's column is that expert's total (main points "
                "plus the bonus pool) as submitted; ranked by the aggregated total; equal totals "
                "share a rank."
            )
        ).format(method=context.method_label),
        _(gettext_noop("Generated by the platform from the stored scores; generated {at}.")).format(
            at=context.generated_at
        ),
    ]
    if not context.named:
        notes.append(
            _(gettext_noop("The experts are anonymised: A, B, C … within each application."))
        )
    title = _(sheet_title)
    return Sheet(
        title=title,
        subtitle=f"{context.round_label} · {context.kind_label}",
        info=[],
        caption=_(gettext_noop("Results in ranking order")),
        header=header,
        rows=rows,
        numeric=frozenset(numeric),
        widths=widths,
        notes=notes,
        signature=_(gettext_noop("Prepared by: "))
        + _BLANK[:6]
        + "　　"
        + _(gettext_noop("Checked by: "))
        + _BLANK[:6]
        + "\n"
        + _(gettext_noop("Date: "))
        + _DATE_BLANK,
        properties={
            "title": f"{title} · {context.round_label} · {context.kind_label}",
            "keywords": "named" if context.named else "anonymised",
            "description": context.method_label,
        },
    )


# --- writers -----------------------------------------------------------------------------------


def _text(value: str | Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_points(value)
    return str(value)


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"


def write_xlsx(sheet: Sheet, out: Path) -> None:
    """The sheet as an A4 workbook: the table with borders, the header row repeated on every
    printed page, fitted to the page width, page numbers in the footer."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet.title[:31]
    columns = len(sheet.header)
    last = get_column_letter(columns)
    total_width = sum(sheet.widths) or 1
    for index, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = round(110 * width / total_width, 1)
    row = 1

    def banner(text: str, size: int, bold: bool, height: float) -> None:
        nonlocal row
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = put(ws, row, 1, text)
        cell.font = Font(name=_FONT, size=size, bold=bold)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = height
        row += 1

    banner(sheet.title, 16, True, 28)
    banner(sheet.subtitle, 11, False, 18)
    for label, value in sheet.info:
        put(ws, row, 1, label).font = Font(name=_FONT, size=10, bold=True)
        if columns > 1:
            ws.merge_cells(f"B{row}:{last}{row}")
        cell = put(ws, row, min(2, columns), value)
        cell.font = Font(name=_FONT, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    fill = PatternFill("solid", fgColor="E7EEEA")

    def table(
        caption: str,
        header: Sequence[str],
        rows: Sequence[SheetRow],
        numeric_columns: frozenset[int],
        notes: Sequence[str],
    ) -> int:
        """Write a captioned table and its notes from the current row; its header row."""
        nonlocal row
        if caption:
            banner(caption, 11, True, 20)
        header_row = row
        for column, text in enumerate(header, start=1):
            cell = put(ws, row, column, text)
            cell.font = Font(name=_FONT, size=10, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
            cell.fill = fill
        row += 1
        spans: list[tuple[int, int]] = []
        width = len(header)
        for entry in rows:
            bold = entry.kind != "item"
            for column in range(1, width + 1):
                content = entry.cells[column - 1] if column - 1 < len(entry.cells) else None
                numeric = column - 1 in numeric_columns and isinstance(content, Decimal | int)
                cell = put(
                    ws, row, column, content if numeric or content is None else _text(content)
                )
                cell.font = Font(name=_FONT, size=10, bold=bold)
                cell.border = _BORDER
                if entry.kind == "group":
                    cell.fill = fill
                cell.alignment = Alignment(
                    horizontal="right" if numeric else ("center" if column == 1 else "left"),
                    vertical="center" if column == 1 else "top",
                    wrap_text=True,
                )
                if numeric:
                    cell.number_format = "0.0#"
            if entry.span > 1:
                spans.append((row, row + entry.span - 1))
            row += 1
        # Merged after every row is written: a merged cell below the first no longer takes
        # values.
        for first, last_row in spans:
            ws.merge_cells(start_row=first, start_column=1, end_row=last_row, end_column=1)
        row += 1
        for note in notes:
            ws.merge_cells(f"A{row}:{last}{row}")
            cell = put(ws, row, 1, note)
            cell.font = Font(name=_FONT, size=9)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = 30
            row += 1
        return header_row

    header_row = table("", sheet.header, sheet.rows, sheet.numeric, sheet.notes)
    for part in sheet.parts:
        row += 1
        table(part.caption, part.header, part.rows, part.numeric, part.notes)
    row += 1
    ws.merge_cells(f"A{row}:{last}{row}")
    cell = put(ws, row, 1, sheet.signature)
    cell.font = Font(name=_FONT, size=12)
    cell.alignment = Alignment(horizontal="right", vertical="bottom")
    ws.row_dimensions[row].height = 36
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if columns <= 8 else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "&P / &N"
    properties = workbook.properties
    properties.title = sheet.properties.get("title", sheet.title)
    properties.subject = sheet.subtitle
    properties.keywords = sheet.properties.get("keywords", "")
    properties.description = sheet.properties.get("description", "")
    properties.creator = "lowcarbon"
    workbook.save(out)


def _sheet_template(path: Path, _: Translate) -> None:
    """The official layout's template (styles, A4, margins, page numbers) without the plan's
    cover and contents: a title, a subtitle and the body."""
    build_template(path, _)
    document = Document(str(path))
    paragraphs = document.paragraphs
    # The body section starts at the last title paragraph; what precedes it (cover, contents
    # and the section break that ends them) is the plan's.
    start = max(i for i, p in enumerate(paragraphs) if p.text == "{{ title }}")
    for paragraph in paragraphs[:start]:
        paragraph._p.getparent().remove(paragraph._p)
    subtitle = paragraphs[start + 1]
    subtitle.text = "{{ subtitle }}"
    document.save(str(path))


def _blocks(sheet: Sheet, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(text=value, style="note", lead=f"{label}：") for label, value in sheet.info
    ]
    tables = [(sheet.caption, sheet.header, sheet.rows, sheet.numeric, sheet.widths, sheet.notes)]
    tables += [(p.caption, p.header, p.rows, p.numeric, p.widths, p.notes) for p in sheet.parts]
    for caption, header, rows, numeric, widths, notes in tables:
        blocks.append(
            Table(
                caption=caption,
                header=list(header),
                rows=[[_text(cell) for cell in row.cells] for row in rows],
                numeric=numeric,
                widths=tuple(widths),
                merged=tuple((i, 0, row.span) for i, row in enumerate(rows) if row.span > 1),
                emphasis=frozenset(
                    i for i, row in enumerate(rows) if row.kind in {"subtotal", "total"}
                ),
                subheaders=frozenset(i for i, row in enumerate(rows) if row.kind == "group"),
            )
        )
        blocks.extend(Paragraph(text=note, style="note") for note in notes)
    # The last note, a blank line and the signature stay on one page: a signature alone on a
    # page signs nothing visible.
    if blocks and isinstance(blocks[-1], Paragraph):
        last = blocks[-1]
        blocks[-1] = Paragraph(
            text=last.text, style=last.style, lead=last.lead, keep_with_next=True
        )
    blocks.append(Paragraph(text="", keep_with_next=True))
    blocks.append(Paragraph(text=sheet.signature, style="signature"))
    return blocks


# More columns than this do not fit a portrait A4 page legibly: the sheet turns landscape.
_PORTRAIT_COLUMNS = 8
_PORTRAIT_WIDTH_MM = 156.0  # the type area of the official layout (GB/T 9704 §5.2.1)


def _landscape(document: Any) -> None:
    """Turn the page to landscape A4 and widen the tables to the wider type area."""
    section = document.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    factor = (297 - 50) / _PORTRAIT_WIDTH_MM
    for table in document.tables:
        for column in table.columns:
            width = column.width
            if width is None:
                continue
            column.width = Emu(int(width * factor))
            for cell in column.cells:
                cell.width = Emu(int(width * factor))


def write_docx(sheet: Sheet, out: Path, _: Translate) -> None:
    """The sheet in the official Word layout (A4, GB/T 9704 margins and fonts)."""
    template = out.with_name(out.stem + ".template.docx")
    _sheet_template(template, _)
    try:
        render_document(
            template,
            {"title": sheet.title, "subtitle": sheet.subtitle},
            _blocks(sheet, _),
            out,
            _,
        )
    finally:
        template.unlink(missing_ok=True)
    document = Document(str(out))
    if len(sheet.header) > _PORTRAIT_COLUMNS:
        _landscape(document)
    core = document.core_properties
    core.title = sheet.properties.get("title", sheet.title)
    core.subject = sheet.subtitle
    core.keywords = sheet.properties.get("keywords", "")
    core.comments = sheet.properties.get("description", "")
    core.author = "lowcarbon"
    document.save(str(out))


def write_pdf(sheet: Sheet, out_dir: Path, stem: str, _: Translate) -> tuple[Path, Path]:
    """The DOCX and its PDF in ``out_dir``; :class:`~lowcarbon.documents.pdf.PdfConversionError`
    when no PDF can be made (the DOCX is then still there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = out_dir / f"{stem}.docx"
    write_docx(sheet, docx, _)
    return docx, convert_to_pdf(docx, out_dir)
