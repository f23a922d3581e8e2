"""The demo's earlier batch (2024): two units selected, published and now in creation.

The 2024 round goes through exactly what people do: two applications (a community in 徐汇区 and
a practice zone in 浦东新区, with the examples' plan text, baseline data and self-assessment)
submitted, recommended by their districts, scored by one expert each (who agrees with the
self-assessment), decided and published: publication makes the creation units and the batch's
default schedule. The round's deadlines, opened ahead of today so the actions accept each step,
are then set back to those of a 2024 batch (an audited change with its reason).

In creation, against the date the demo is loaded: every item of the schedule due before today
is recorded as received three days before its date, except the zone's latest annual work plan
(overdue); the community's latest item gets an extension to six weeks from today; the community
has reached pre-acceptance, the zone passed its mid-term evaluation and is in creation again,
until 浦东新区 issues it a rectification order (its overdue work plan, missing monitoring data)
of which the unit has answered the first item.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from lowcarbon.core.outline import ColumnType, ElementKind, OutlineColumn
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_save_section
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import application_outline, is_editable
from lowcarbon.web.applications.submission import do_district_decide, do_submit
from lowcarbon.web.creation.actions import do_change_unit_status, do_extend, do_record_completion
from lowcarbon.web.creation.duties import DutyState, unit_duties
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus
from lowcarbon.web.creation.rectification import (
    ItemInput,
    do_answer_rectification_item,
    do_issue_rectification,
)
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.management.commands._demo_acceptance import load_acceptance
from lowcarbon.web.management.commands._demo_archive import WORK_PLAN_MINUTES, load_archive
from lowcarbon.web.management.commands._demo_evaluation import (
    load_evaluation,
    score_as_submitted,
)
from lowcarbon.web.management.commands._demo_filings import load_filings
from lowcarbon.web.management.commands._demo_reminders import load_reminders
from lowcarbon.web.management.commands._demo_tasks import load_task_progress
from lowcarbon.web.organisations.models import Organisation
from lowcarbon.web.review.actions import (
    do_assign,
    do_decide,
    do_form_panel,
    do_publish_decisions,
)
from lowcarbon.web.rounds.actions import do_change_round_deadlines, do_open_round
from lowcarbon.web.rounds.models import Kind, Round

__all__ = ["BATCH_YEAR", "fill_required_lists", "load_creation_batch"]

BATCH_YEAR = 2024
# The dates of a 2024 batch, set once the demo's steps are done.
DEADLINES_2024 = (date(2024, 6, 30), date(2024, 7, 31), date(2024, 9, 30))


@dataclass(frozen=True)
class BatchUnit:
    kind: str
    name: str
    district: str
    applicant: str


BATCH_UNITS = (
    BatchUnit(Kind.COMMUNITY, "枫林湾社区", "徐汇区", "demo-fenglin"),
    BatchUnit(Kind.ZONE, "滨江新城低碳发展实践区", "浦东新区", "demo-binjiang"),
)


# The demo zone's boundary: a fictional rectangle of about 9.5 km² on the Pudong riverside
# (WGS 84), and its four sides.
BOUNDARY = json.dumps(
    {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [
                    [121.50, 31.20],
                    [121.53, 31.20],
                    [121.53, 31.23],
                    [121.50, 31.23],
                    [121.50, 31.20],
                ]
            ],
        },
    }
)
FOUR_SIDES = "东至滨江大道，南至新城南路，西至云台路，北至耀华路（均为虚构）"


def _cell_text(column: OutlineColumn, year: int) -> str:
    if column.type == ColumnType.TEXT:
        return f"{column.label.zh}（见任务清单）"
    if column.type == ColumnType.DATE:
        return f"{year}-03-01"
    if column.type == ColumnType.YEAR:
        return str(year)
    return "1"


def fill_required_lists(application: Application, applicant: User) -> Application:
    """The required lists and tables the demo's text leaves empty (指标体系, the tasks of 3.3),
    one entry each, through the plan editor's action, so the application can be submitted."""
    year = application.round.year + 1
    for section in application_outline(application).iter_sections():
        values: dict[str, Any] = {}
        for element in section.elements:
            if not element.required or application.sections.get(element.id):
                continue
            if not is_editable(element):  # made from the tasks and key projects
                continue
            if element.kind == ElementKind.LIST:
                values[element.id] = [f"{element.label.zh}：按实施方案和任务清单推进"]
            elif element.kind == ElementKind.TABLE:
                values[element.id] = [{c.id: _cell_text(c, year) for c in element.columns}]
            elif element.kind == ElementKind.GEOMETRY:
                values[element.id] = {"geojson": BOUNDARY, "four_sides": FOUR_SIDES}
        if values:
            application = do_save_section(
                application,
                section.id,
                values,
                expected_version=application.version,
                actor=applicant,
            )
    return application


def load_creation_batch(
    *,
    admin: User,
    expert: User,
    units: Mapping[str, tuple[Organisation, User, User]],
    make_application: Callable[[Round, str, Organisation, User], Application],
    factor_set_id: str,
) -> list[CreationUnit]:
    """``units``: kind -> (applicant unit, its applicant, its district officer)."""
    today = timezone.localdate()
    round_ = do_open_round(
        year=BATCH_YEAR,
        kinds=[Kind.COMMUNITY, Kind.ZONE],
        submission_deadline=today + timedelta(days=1),
        recommendation_deadline=today + timedelta(days=2),
        review_deadline=today + timedelta(days=3),
        rubric_editions={Kind.COMMUNITY: "2021", Kind.ZONE: "2021"},
        outline_editions={Kind.COMMUNITY: "2021", Kind.ZONE: "2021"},
        factor_set_id=factor_set_id,
        actor=admin,
    )
    applications = []
    for kind, (organisation, applicant, officer) in units.items():
        application = fill_required_lists(
            make_application(round_, kind, organisation, applicant), applicant
        )
        do_submit(application, actor=applicant)
        application.refresh_from_db()
        do_district_decide(application, decision="recommended", comment="同意推荐。", actor=officer)
        application.refresh_from_db()
        panel = do_form_panel(
            round_=round_,
            kind=kind,
            name=f"{BATCH_YEAR}年{Kind(kind).label}评估组",
            deadline=today + timedelta(days=3),
            members=[expert],
            actor=admin,
        )
        score_as_submitted(do_assign(panel, application, expert, actor=admin), expert)
        do_decide(
            application,
            outcome="selected",
            reasons="综合评估得分达到入选要求，实施方案可行。",
            actor=admin,
        )
        applications.append(application)
    do_publish_decisions(round_, actor=admin)
    submission, recommendation, review = DEADLINES_2024
    do_change_round_deadlines(
        round_,
        submission_deadline=submission,
        recommendation_deadline=recommendation,
        review_deadline=review,
        actor=admin,
        reason="演示数据：2024 年批次按当年通知的日期记录。",
    )
    made = list(CreationUnit.objects.filter(application__in=applications))
    for unit in made:
        _in_creation(unit, admin, units[unit.kind][2])
        load_task_progress(unit, units[unit.kind][1])
        load_archive(unit, units[unit.kind][1])
        load_filings(unit, units[unit.kind][1], units[unit.kind][2])
        if unit.kind == Kind.ZONE:
            unit.refresh_from_db()
            _rectification(unit, units[unit.kind][1], units[unit.kind][2])
        unit.refresh_from_db()
        load_evaluation(unit, units[unit.kind][1], units[unit.kind][2], expert, admin)
        load_acceptance(unit, admin)
    load_reminders(made)
    return made


def _rectification(unit: CreationUnit, applicant: User, officer: User) -> None:
    """The district's order to the zone: two items, the first answered (not yet submitted)."""
    now = timezone.now()
    overdue = [d for d in unit_duties(unit, now) if d.state == DutyState.OVERDUE]
    plan = overdue[0].item.label if overdue else "年度工作计划"
    order = do_issue_rectification(
        unit,
        items=[
            ItemInput(
                f"{plan}逾期未报送。",
                "十个工作日内报送年度工作计划，说明逾期原因。",
                "创建工作方案：每年 2 月底前报送年度工作计划。",
            ),
            ItemInput(
                "缺少重点用能单位的能耗监测数据，无法核实年度减排进展。",
                "补报上一年度逐月能耗监测数据，并明确数据报送责任人。",
                "实施方案第 4 部分：监测与数据管理。",
            ),
        ],
        deadline=local_date(now) + timedelta(days=14),
        expected_version=unit.version,
        actor=officer,
    )
    do_answer_rectification_item(
        order.items.get(number=1),
        text="年度工作计划已经管委会审议，将于本周内报送；逾期原因为重点项目调整。",
        records=list(
            unit.archive_records.filter(title=WORK_PLAN_MINUTES).values_list("pk", flat=True)
        ),
        expected_version=order.version,
        actor=applicant,
    )


def _move(unit: CreationUnit, target: str, reason: str, actor: User) -> CreationUnit:
    return do_change_unit_status(
        unit, target=target, reason=reason, expected_version=unit.version, actor=actor
    )


def _in_creation(unit: CreationUnit, admin: User, officer: User) -> None:
    now = timezone.now()
    today = local_date(now)
    unit = _move(unit, LifecycleStatus.IN_CREATION, "最终实施方案和任务清单已报送。", officer)
    passed = [d for d in unit_duties(unit, now) if local_date(d.due_at) < today]
    work_plans = [d for d in passed if d.item.key == "work_plan"]
    # The zone's latest work plan stays overdue; the community's latest item is extended.
    left = work_plans[-1].item if unit.kind == Kind.ZONE and work_plans else None
    extended = passed[-1].item if unit.kind == Kind.COMMUNITY and passed else None
    for duty in passed:
        if duty.item in (left, extended):
            continue
        do_record_completion(
            unit,
            duty.item,
            completed_on=min(local_date(duty.due_at) - timedelta(days=3), today),
            note="材料已收到。",
            actor=officer,
        )
    if extended is not None:
        do_extend(
            unit,
            extended,
            due_on=today + timedelta(days=42),
            reason="市级现场验收专家组时间调整，顺延。",
            actor=admin,
        )
    # The reports of the mid-term evaluation and the final acceptance move the unit on
    # (``_demo_evaluation``).
