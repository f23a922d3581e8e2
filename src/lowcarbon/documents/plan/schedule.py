"""The projects' schedule (附件1 三、3. 进度安排) as stages with dates and as a Gantt chart."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from lowcarbon.core.messages import gettext_noop

from ..charts import Stage, gantt_chart
from .inputs import Translate

# The table element whose rows are stages with dates (附件1 三、3. 进度安排; columns project,
# stage, start_date, end_date, milestone in data/schemes/zone/2021/outline.yaml): drawn as a
# Gantt chart under the table.
SCHEDULE_ELEMENT = "project_schedule"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    # The editor stores dates as YYYY-MM-DD (the date column of the outline); anything else
    # (a number, 2026/05/01, the week forms fromisoformat also accepts) is not a stored date.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def schedule_stages(rows: Sequence[Any]) -> list[Stage]:
    """The stages of the schedule table (附件1 三、3. 进度安排) that can be drawn, in the table's
    order: a row without a valid start or end date, or ending before it starts, is left out
    (the table shows it as entered; the editor refuses such rows when they are saved)."""
    stages = []
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        start, end = _date(row.get("start_date")), _date(row.get("end_date"))
        if start is None or end is None or end < start:
            continue
        stages.append(
            Stage(
                str(row.get("project") or "").strip(),
                str(row.get("stage") or "").strip(),
                start,
                end,
                str(row.get("milestone") or "").strip(),
            )
        )
    return stages


def schedule_chart(rows: Sequence[Any], _: Translate) -> str | None:
    """The schedule as a Gantt chart (SVG), or ``None`` when no row has drawable dates."""
    stages = schedule_stages(rows)
    if not stages:
        return None
    listed = "；".join(
        f"{s.project} {s.stage} {s.start.isoformat()}—{s.end.isoformat()}"
        + (f"（{s.milestone}）" if s.milestone else "")
        for s in stages
    )
    return gantt_chart(
        stages,
        chart_id="chart-schedule",
        title=_(gettext_noop("Schedule of the key projects")),
        desc=_(gettext_noop("{count} stages from {start} to {end}: {stages}.")).format(
            count=len(stages),
            start=min(s.start for s in stages).isoformat(),
            end=max(s.end for s in stages).isoformat(),
            stages=listed,
        ),
        milestone_label=_(gettext_noop("Milestone")),
        # Narrower than the results' charts: a schedule has few rows, and at 150 mm on the page
        # its labels then print at about the size of the table's text above it.
        width=600,
    )
