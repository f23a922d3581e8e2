"""The demo's task progress: the 2024 batch's units record how far their tasks have come.

Each unit's tasks and key projects are the records its workbook import made. Against the day the
demo is loaded, the unit has completed its first tasks (their planned reduction achieved), has
others under way, one lagging behind with its reason, and the rest not yet started — every
change through the unit's own tracking action.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.task_models import ApplicationTask, TaskStatus
from lowcarbon.web.applications.tasks import do_track_task, planned_reductions
from lowcarbon.web.creation.models import CreationUnit

__all__ = ["load_task_progress"]

#: By position in the unit's list: status, percent complete, share of the planned reduction
#: achieved, note.
PROGRESS: tuple[tuple[str, int, Decimal, str], ...] = (
    (
        TaskStatus.DONE,
        100,
        Decimal(1),
        "已按计划建成并投入使用，减排量按竣工后一年的计量数据核算。",
    ),
    (
        TaskStatus.DONE,
        100,
        Decimal("0.9"),
        "已完成，实际减排量略低于计划（设备年运行小时数偏低）。",
    ),
    (TaskStatus.IN_PROGRESS, 60, Decimal("0.5"), "一期已完成，二期施工中，预计年内完工。"),
    (
        TaskStatus.LAGGING,
        20,
        Decimal(0),
        "施工许可办理晚于计划约四个月，已与街道协调加快，计划下季度开工。",
    ),
    (TaskStatus.IN_PROGRESS, 40, Decimal("0.3"), "已完成方案设计和招标，进入实施阶段。"),
)


def load_task_progress(unit: CreationUnit, applicant: User) -> None:
    """Record the demo's progress of ``unit``'s tasks as its applicant."""
    planned = planned_reductions(unit.application)
    records = ApplicationTask.objects.filter(application=unit.application).order_by("position")
    for record, (status, percent, share, note) in zip(records, PROGRESS, strict=False):
        achieved = (planned.get(record.code, Decimal(0)) * share).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        do_track_task(
            record,
            status=status,
            percent_complete=percent,
            achieved_reduction_tco2=achieved,
            note=note,
            evidence_note="竣工验收资料及计量记录见创建档案。" if status == TaskStatus.DONE else "",
            expected_version=record.tracking_version,
            actor=applicant,
        )
