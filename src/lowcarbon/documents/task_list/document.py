"""The task list as a Word document, and both files (DOCX and XLSX) of one application."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block, Paragraph
from ..formatting import trimmed
from ..plan.inputs import PlanInput
from ..word.rendering import render_document
from ..word.template import build_template
from .collecting import build_task_list
from .entries import TaskList, Translate
from .grid import _summary_grid, task_list_grid
from .workbook import write_workbook


def document_fields(plan: PlanInput, title: str, _: Translate) -> dict[str, str]:
    """The template fields, the same as the plan's, so one Word template serves every document."""
    status = (
        _(gettext_noop("Draft — not submitted"))
        if plan.submission_number is None
        else _(gettext_noop("Submission {number}")).format(number=plan.submission_number)
    )
    return {
        "title": title,
        "unit_name": plan.unit_name,
        "round_label": _(gettext_noop("{year} round")).format(year=plan.round_year),
        "status_text": status,
        "applicant_line": _(gettext_noop("Applicant: {unit}")).format(unit=plan.unit_name),
        "seal_text": _(gettext_noop("(seal)")),
        "date_text": _(gettext_noop("{year}-{month}-{day}")).format(
            year=plan.issued.year, month=plan.issued.month, day=plan.issued.day
        ),
        "snapshot_sha256": plan.snapshot_sha256,
    }


def task_list_title(plan: PlanInput, _: Translate) -> str:
    return _(gettext_noop("{unit} task list of low-carbon development")).format(unit=plan.unit_name)


def task_list_blocks(tasks: TaskList, _: Translate) -> list[Block]:
    entries = tasks.entries
    intro = _(
        gettext_noop(
            "{count} tasks and projects in {fields} fields, of which {key} key projects and "
            "{near_zero} near-zero-carbon demonstration projects; expected reduction "
            "{total} tCO₂ a year once all are in place."
        )
    ).format(
        count=len(entries),
        fields=len(tasks.groups),
        key=sum(1 for e in entries if e.key_project),
        near_zero=sum(1 for e in entries if e.near_zero),
        total=trimmed(tasks.total),
    )
    return [
        Paragraph(intro),
        task_list_grid(tasks, _).block(),
        _summary_grid(tasks, _).block(),
    ]


def write_docx(
    fields: Mapping[str, str],
    blocks: Sequence[Block],
    out: Path,
    _: Translate,
    template: Path | None = None,
) -> None:
    """Lay ``blocks`` out in ``template`` or the bundled official layout (as the plan)."""
    if template is not None:
        render_document(template, fields, blocks, out, _)
        return
    bundled = out.with_name(out.stem + ".template.docx")
    build_template(bundled, _)
    try:
        render_document(bundled, fields, blocks, out, _)
    finally:
        bundled.unlink(missing_ok=True)


def subtitle(plan: PlanInput, _: Translate) -> str:
    fields = document_fields(plan, "", _)
    return "　".join(
        part
        for part in (
            fields["applicant_line"],
            fields["round_label"],
            fields["status_text"],
            fields["date_text"],
        )
        if part
    )


def write_task_list(
    plan: PlanInput, out: Path, _: Translate, *, template: Path | None = None
) -> TaskList:
    """Write the task list to ``out``: a spreadsheet when it ends in ``.xlsx``, else Word."""
    tasks = build_task_list(plan, _)
    title = task_list_title(plan, _)
    if out.suffix.lower() == ".xlsx":
        write_workbook(
            title,
            subtitle(plan, _),
            [task_list_grid(tasks, _), _summary_grid(tasks, _)],
            out,
        )
    else:
        write_docx(document_fields(plan, title, _), task_list_blocks(tasks, _), out, _, template)
    return tasks
