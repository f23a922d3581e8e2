"""The demo's records archives (档案) of the 2024 batch's units in creation: records in several
categories with small generated files of their kind (PDF, PNG), a training with its attendance
list and photos, a market and a 光盘 pledge, and for the community its 低碳志愿者 team with an
inspection report published to residents (and a later one not yet published). All made through
the real actions, as the unit's applicant makes them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from lowcarbon.web.accounts.models import User
from lowcarbon.web.archive.actions import (
    RecordInput,
    do_add_record,
    do_add_volunteer,
    do_publish_report,
)
from lowcarbon.web.archive.models import ArchiveRecord
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.rounds.models import Kind

from ._demo_files import placeholder_file

__all__ = ["WORK_PLAN_MINUTES", "load_archive"]

#: The zone's record its rectification answer cites.
WORK_PLAN_MINUTES = "管委会审议年度工作计划会议纪要"


def _files(code: str, title: str, *names: str) -> list[SimpleUploadedFile]:
    made = []
    for number, name in enumerate(names, start=1):
        file_name, _kind, content = placeholder_file(f"{code}-{number}", title, name)
        made.append(SimpleUploadedFile(file_name, content))
    return made


def _add(
    unit: CreationUnit,
    applicant: User,
    code: str,
    *,
    documents: Sequence[str] = (),
    photos: Sequence[str] = (),
    attendance_lists: Sequence[str] = (),
    **values: Any,
) -> ArchiveRecord:
    title = str(values["title"])
    return do_add_record(
        unit,
        RecordInput(
            **values,
            documents=_files(f"{code}-doc", title, *documents),
            photos=_files(f"{code}-photo", title, *photos),
            attendance_lists=_files(f"{code}-list", title, *attendance_lists),
        ),
        actor=applicant,
    )


def _community(unit: CreationUnit, applicant: User) -> None:
    _add(
        unit,
        applicant,
        "C01",
        category="decision",
        title="关于创建低碳社区的决定",
        date=date(2024, 9, 10),
        description="街道党工委会议决定申报并创建低碳社区。",
        documents=["关于创建低碳社区的决定.pdf"],
    )
    _add(
        unit,
        applicant,
        "C02",
        category="working_group",
        title="低碳社区推进工作小组及岗位分工",
        date=date(2024, 9, 20),
        documents=["工作小组名单.pdf"],
    )
    _add(
        unit,
        applicant,
        "C03",
        category="plans_rules",
        title="2025年度低碳社区创建工作计划及考核办法",
        date=date(2025, 2, 20),
        description="工作计划配套《低碳社区创建考核办法》。",
        documents=["2025年度工作计划.pdf", "考核办法.pdf"],
    )
    _add(
        unit,
        applicant,
        "C04",
        category="training",
        title="“低碳生活从家庭做起”专题讲座",
        date=date(2025, 4, 12),
        place="社区党群服务中心多功能厅",
        organiser="社区居委会、区生态环境局",
        attendance=56,
        description="讲解家庭节电、节水和垃圾分类，现场发放节能灯。",
        photos=["讲座现场1.png", "讲座现场2.png"],
        attendance_lists=["讲座签到表.pdf"],
    )
    _add(
        unit,
        applicant,
        "C05",
        category="market",
        title="周末跳蚤市场（第三期）",
        date=date(2025, 6, 14),
        place="社区中心广场",
        organiser="社区居委会、志愿者服务队",
        attendance=180,
        photos=["跳蚤市场.png"],
    )
    _add(
        unit,
        applicant,
        "C06",
        category="clean_plate",
        title="“光盘行动”倡议签名活动",
        date=date(2025, 10, 16),
        place="社区食堂",
        organiser="社区居委会",
        attendance=230,
        description="世界粮食日当天居民签名承诺光盘。",
        photos=["光盘行动签名.png"],
        attendance_lists=["签名名单.pdf"],
    )
    team = [
        ("王建国", "138 0000 1201", date(2024, 11, 1)),
        ("李秀英", "139 0000 3302", date(2024, 11, 1)),
        ("张伟", "", date(2025, 3, 15)),
        ("陈静", "137 0000 5504", date(2025, 3, 15)),
    ]
    for name, contact, joined in team:
        do_add_volunteer(unit, name=name, contact=contact, joined_on=joined, actor=applicant)
    report = _add(
        unit,
        applicant,
        "C07",
        category="volunteer_inspection",
        title="2025年第二季度低碳评议检查",
        date=date(2025, 6, 28),
        inspectors="王建国、李秀英、张伟",
        findings="抽查12个楼道：感应灯损坏3处，已报物业维修；垃圾分类准确率约85%，"
        "建议加强湿垃圾破袋指导。宣传栏内容已按季度更新。",
        documents=["第二季度评议检查报告.pdf"],
    )
    do_publish_report(report, expected_version=report.version, actor=applicant)
    _add(
        unit,
        applicant,
        "C08",
        category="volunteer_inspection",
        title="2025年第四季度低碳评议检查",
        date=date(2025, 12, 20),
        inspectors="李秀英、陈静",
        findings="充电桩使用登记不全；雨水收集桶2处破损，待更换。",
        documents=["第四季度检查记录.pdf"],
    )


def _zone(unit: CreationUnit, applicant: User) -> None:
    _add(
        unit,
        applicant,
        "Z01",
        category="decision",
        title="关于创建低碳发展实践区的决定及实施方案",
        date=date(2024, 9, 5),
        documents=["创建决定.pdf", "实施方案（定稿）.pdf"],
    )
    _add(
        unit,
        applicant,
        "Z02",
        category="organisation",
        title="实践区创建领导小组及办公室设立通知",
        date=date(2024, 10, 8),
        documents=["领导小组通知.pdf"],
    )
    _add(
        unit,
        applicant,
        "Z03",
        category="funds",
        title="2025年低碳发展专项资金安排",
        date=date(2025, 3, 1),
        description="管委会安排专项资金 800 万元。",
        documents=["资金安排.pdf"],
    )
    _add(
        unit,
        applicant,
        "Z04",
        category="training",
        title="重点用能单位碳排放核算培训",
        date=date(2025, 5, 22),
        place="管委会三楼会议室",
        organiser="管委会、市节能中心",
        attendance=64,
        photos=["培训现场.png"],
        attendance_lists=["培训签到表.pdf"],
    )
    _add(
        unit,
        applicant,
        "Z05",
        category="statistics",
        title="2024年度区域温室气体清单",
        date=date(2025, 7, 30),
        documents=["温室气体清单.pdf"],
    )
    _add(
        unit,
        applicant,
        "Z06",
        category="rules",
        title=WORK_PLAN_MINUTES,
        date=date(2026, 3, 20),
        description="管委会主任办公会审议年度工作计划，明确报送责任人。",
        documents=["会议纪要.pdf"],
    )


def load_archive(unit: CreationUnit, applicant: User) -> None:
    """The unit's archive, as its applicant keeps it."""
    if unit.kind == Kind.COMMUNITY:
        _community(unit, applicant)
    else:
        _zone(unit, applicant)
