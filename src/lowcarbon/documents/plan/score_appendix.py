"""The self-assessment annex, in the indicator system's own table (附件2 / 附件4)."""

from __future__ import annotations

from lowcarbon.core.messages import gettext_noop

from ..blocks import Heading, Paragraph
from ..official_sheet import official_blocks, official_table
from .drafting import _Draft
from .inputs import ScoreSheet


class _ScoreAppendix(_Draft):
    """The annex with the self-assessment scores."""

    def _score_appendix(self, score: ScoreSheet) -> None:
        """The self-assessment in the indicator system's own table (附件2 / 附件4), the same
        layout as the experts' score sheets."""
        _ = self._
        self.blocks.append(
            Heading(
                1,
                _(gettext_noop("Annex: ")),
                _(gettext_noop("Self-assessment against the indicator system")),
            )
        )
        table = official_table(
            score.rubric,
            {line.item_id: line.points for line in score.lines},
            {pool: (points, maximum) for pool, points, maximum in score.pools},
            _,
            self.local,
            caption=_(gettext_noop("Self-assessment scores")),
        )
        self.blocks.extend(official_blocks(table))
        unanswered = [line.item_id for line in score.lines if line.unanswered]
        if unanswered:
            self.blocks.append(
                Paragraph(
                    _(
                        gettext_noop(
                            "Not answered in the self-assessment, counted as 0: item {items}."
                        )
                    ).format(items="、".join(unanswered)),
                    style="note",
                )
            )
