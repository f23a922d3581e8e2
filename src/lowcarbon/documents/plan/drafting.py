"""The plan being drafted: its blocks and warnings, the document's language, and what every section
shares (figures, the placeholder for missing baseline data).
"""

from __future__ import annotations

from lowcarbon.core.messages import gettext_noop

from .. import result_charts
from ..blocks import Block, Placeholder
from ..charts import png
from ..formatting import presenter
from .inputs import Language, PlanInput, Translate


class _Draft:
    """The blocks and warnings written so far, with the translation and language they use."""

    def __init__(self, plan: PlanInput, _: Translate, local: Language) -> None:
        self.plan = plan
        self._ = _
        self.local = local
        self.present = presenter(local, _)  # the engine's terms by their names, not their ids
        self.blocks: list[Block] = []
        self.warnings: list[str] = []

    def _no_accounting(self) -> bool:
        if self.plan.accounting is not None:
            return False
        _ = self._
        self.blocks.append(
            Placeholder(
                _(
                    gettext_noop(
                        "To be completed: baseline data (enter or import it under Baseline data)"
                    )
                )
            )
        )
        message = _(
            gettext_noop("No baseline data: the inventory, indicators and targets are missing")
        )
        if message not in self.warnings:
            self.warnings.append(message)
        return True

    def _chart(self, name: str) -> bytes | None:
        """A chart as PNG: given by the caller, or drawn from the accounting result (the same
        drawing as the results page, :mod:`lowcarbon.documents.result_charts`)."""
        if name in self.plan.charts:
            return self.plan.charts[name]
        result = self.plan.accounting
        if result is None or not self.plan.draw_charts:
            return None
        svg = (
            result_charts.structure_chart(result, self._, self.local, by="category")
            if name == "structure"
            else result_charts.trend_chart(result, self._, self.local)
        )
        return None if svg is None else png(svg)
