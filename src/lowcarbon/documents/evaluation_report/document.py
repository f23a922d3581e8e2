"""The whole self-evaluation report: its title, its template fields, its blocks in order, DOCX
and PDF.
"""

from __future__ import annotations

from pathlib import Path

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block
from ..formatting import year
from ..pdf import convert_to_pdf
from ..task_list.document import write_docx
from .analysis import _analysis
from .annex import _annex, _closing
from .basics import _basics, _tasks
from .indicators import _indicators
from .report import _STAGE, EvaluationReport, Translate
from .self_score import _score
from .values import _date


def evaluation_report_title(report: EvaluationReport, _: Translate) -> str:
    if report.stage == "midterm":
        title = _(gettext_noop("{unit} self-evaluation report for the mid-term evaluation"))
    else:
        title = _(gettext_noop("{unit} self-evaluation report for acceptance"))
    return title.format(unit=report.unit_name)


def evaluation_report_fields(report: EvaluationReport, _: Translate) -> dict[str, str]:
    """The template fields of the official layout's cover (the same names as the plan's)."""
    return {
        "title": evaluation_report_title(report, _),
        "unit_name": report.unit_name,
        "round_label": _(gettext_noop("{year} round")).format(year=report.batch_year),
        "status_text": _(
            gettext_noop("{year} batch · creation period {start} to {end} · {stage}")
        ).format(
            year=year(report.batch_year),
            start=year(report.period_start),
            end=year(report.period_end),
            stage=_(_STAGE[report.stage]),
        ),
        "applicant_line": _(gettext_noop("Reporting unit: {unit}")).format(unit=report.unit_name),
        "seal_text": _(gettext_noop("(seal)")),
        "date_text": _date(report.report_date, _),
        "snapshot_sha256": "",
    }


def evaluation_report_blocks(report: EvaluationReport, _: Translate) -> list[Block]:
    """The body of the report (module docstring), without the cover."""
    return [
        *_basics(report, _),
        *_tasks(report, _),
        *_indicators(report, _),
        *_analysis(report, _),
        *_score(report, _),
        *_closing(report, _),
        *_annex(report, _),
    ]


def write_evaluation_report(
    report: EvaluationReport, out_docx: Path, _: Translate, *, template: Path | None = None
) -> None:
    """The report in the official Word layout (cover, contents, body), as the plan's."""
    write_docx(
        evaluation_report_fields(report, _),
        evaluation_report_blocks(report, _),
        out_docx,
        _,
        template,
    )


def write_evaluation_report_pdf(
    report: EvaluationReport,
    out_dir: Path,
    stem: str,
    _: Translate,
    *,
    template: Path | None = None,
) -> tuple[Path, Path]:
    """The DOCX and its PDF in ``out_dir``; :class:`~lowcarbon.documents.pdf.PdfConversionError`
    when no PDF can be made (the DOCX is then still there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = out_dir / f"{stem}.docx"
    write_evaluation_report(report, docx, _, template=template)
    return docx, convert_to_pdf(docx, out_dir)
