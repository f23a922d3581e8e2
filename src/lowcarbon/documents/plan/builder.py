"""The plan's blocks in the outline's order, with the computed tables where the outline asks for
them.
"""

from __future__ import annotations

from lowcarbon.core.messages import gettext_noop

from .inputs import PlanDocument
from .inventory_tables import _InventoryTables
from .outline_sections import _OutlineSections
from .score_appendix import _ScoreAppendix
from .targets_table import _TargetsTable
from .tasks_table import _TasksTable


class _Builder(_OutlineSections, _InventoryTables, _TargetsTable, _TasksTable, _ScoreAppendix):
    def build(self) -> PlanDocument:
        _ = self._
        plan = self.plan
        for index, section in enumerate(plan.outline.sections, start=1):
            self._section(section, level=1, index=index)
        if plan.score is not None:
            self._score_appendix(plan.score)
        title = self.local(plan.outline.title).replace("编制指南", "").strip() or self.local(
            plan.outline.title
        )
        status = (
            _(gettext_noop("Draft — not submitted"))
            if plan.submission_number is None
            else _(gettext_noop("Submission {number}")).format(number=plan.submission_number)
        )
        fields = {
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
        return PlanDocument(fields, tuple(self.blocks), tuple(self.warnings))
