"""六、存在问题与下一步工作 and 附件：佐证材料清单, every cited record with its full SHA-256."""

from __future__ import annotations

from lowcarbon.core.messages import gettext_noop

from ..blocks import Block, Heading, Paragraph, Table
from .report import EvaluationReport, Translate
from .values import _hash_lines, _texts


def _closing(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [
        Heading(1, "六、", _(gettext_noop("Problems and next steps"))),
        Heading(2, "（一）", _(gettext_noop("Problems"))),
    ]
    blocks += _texts(
        report.problems, _(gettext_noop("To be completed: the problems met in the creation"))
    )
    blocks.append(Heading(2, "（二）", _(gettext_noop("Next steps"))))
    blocks += _texts(report.next_steps, _(gettext_noop("To be completed: the work planned next")))
    return blocks


def _annex(report: EvaluationReport, _: Translate) -> list[Block]:
    blocks: list[Block] = [Heading(1, "", _(gettext_noop("Annex: list of evidence")))]
    records = report.cited_records
    if not records:
        blocks.append(Paragraph(_(gettext_noop("No archive record is cited."))))
        return blocks
    blocks.append(
        Table(
            caption=_(gettext_noop("Archive records cited as evidence")),
            header=[
                _(gettext_noop("No.")),
                _(gettext_noop("Record")),
                _(gettext_noop("Title")),
                _(gettext_noop("Category")),
                _(gettext_noop("Date")),
                "SHA-256",
            ],
            rows=[
                [
                    str(index),
                    record.code,
                    record.title,
                    record.category,
                    record.date.isoformat(),
                    _hash_lines(record.sha256),
                ]
                for index, record in enumerate(records, start=1)
            ],
            numeric=frozenset({0}),
            widths=(0.5, 1.2, 2.4, 1.0, 1.1, 1.6),
            note=_(
                gettext_noop(
                    "The SHA-256 of each record identifies the file kept in the archive: a "
                    "reader can check a copy against it."
                )
            ),
        )
    )
    return blocks
