"""Tasks and key projects as records: the workbook fills them, the editor's actions change them,
the accounting input is made from them, a re-import merges, a submitted application is frozen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.baseline import do_import_accounting, stored_form
from lowcarbon.web.applications.models import Application, ApplicationStatus
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.applications.tasks import (
    TASK_ADDED,
    TASK_CHANGED,
    TASK_REMOVED,
    TaskValues,
    do_add_task,
    do_change_task,
    do_remove_task,
)
from lowcarbon.web.audit.models import AuditEvent

from .test_baseline import example, green_round, imported, zone_application

pytestmark = pytest.mark.django_db

__all__ = ["green_round", "zone_application"]  # fixtures used here


def values(**changes: Any) -> TaskValues:
    base: dict[str, Any] = {
        "name": "社区公共区域LED照明改造",
        "domain": "buildings",
        "start_year": 2025,
        "end_year": 2026,
        "content": "楼道及地库照明更换为LED灯具并加装感应控制",
        "responsible": "田林十二村物业",
        "budget_10k_yuan": Decimal("35.5"),
        "acts_on": ("electricity/commercial_public",),
        "activities": (
            {"change": "avoided", "category": "electricity", "quantity": 12, "unit": "万kWh"},
        ),
    }
    return TaskValues(**(base | changes))


def codes(application: Application) -> list[str]:
    return list(
        ApplicationTask.objects.filter(application=application)
        .order_by("position")
        .values_list("code", flat=True)
    )


def test_importing_the_workbook_makes_one_record_per_task(
    zone_application: Application, applicant: User
) -> None:
    application = imported(zone_application, applicant)
    assert codes(application) == [f"Z0{n}" for n in range(1, 10)]
    z04 = ApplicationTask.objects.get(application=application, code="Z04")
    assert z04.name == "创智中心近零碳排放示范楼宇"
    assert (z04.key_project, z04.near_zero, z04.start_year, z04.ramp_years) == (
        True,
        True,
        2025,
        2,
    )
    assert [a["category"] for a in z04.activities] == [
        "electricity",
        "onsite_renewable_electricity",
        "natural_gas",
    ]
    # The stored accounting, made from the records, is the workbook's own data.
    assert application.accounting == stored_form(example("zone"))


def test_adding_changing_and_removing_a_task_changes_the_accounting(
    zone_application: Application, applicant: User
) -> None:
    application = imported(zone_application, applicant)
    record = do_add_task(application, values(), actor=applicant)
    assert record.code == "T01"
    application.refresh_from_db()
    assert application.accounting_version == 3
    added = application.accounting["tasks"][-1]
    assert added["id"] == "T01"
    assert added["name"] == "社区公共区域LED照明改造"
    assert "annual_reduction_tco2" not in added  # computed from its activity
    assert application.accounting["reductions"][-1]["task"] == "T01"
    event = AuditEvent.objects.get(action=TASK_ADDED)
    assert event.after["responsible"] == "田林十二村物业"

    changed = do_change_task(
        record,
        values(stated_reduction_tco2=Decimal("80"), activities=()),
        expected_version=1,
        actor=applicant,
    )
    assert changed.version == 2
    application.refresh_from_db()
    assert application.accounting["tasks"][-1]["annual_reduction_tco2"] == 80
    assert all(r["task"] != "T01" for r in application.accounting["reductions"])
    assert AuditEvent.objects.get(action=TASK_CHANGED).before["activities"]

    with pytest.raises(ValidationError) as stale:
        do_change_task(record, values(content="另一内容"), expected_version=1, actor=applicant)
    assert "现为第2版" in " ".join(stale.value.messages)

    do_remove_task(changed, expected_version=2, actor=applicant)
    application.refresh_from_db()
    assert [t["id"] for t in application.accounting["tasks"]] == [f"Z0{n}" for n in range(1, 10)]
    assert AuditEvent.objects.filter(action=TASK_REMOVED).count() == 1


def test_a_task_can_be_typed_before_any_baseline_data(
    zone_application: Application, applicant: User
) -> None:
    record = do_add_task(zone_application, values(), actor=applicant)
    zone_application.refresh_from_db()
    assert zone_application.accounting == {}
    assert record.content.startswith("楼道")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "  "}, "name", "名称"),
        ({"end_year": 2020}, "end_year", "2020"),
        ({"start_year": 1900}, "start_year", "1900"),
        ({"budget_10k_yuan": Decimal("-1")}, "budget_10k_yuan", "-1"),
        ({"acts_on": ("steam/residential",)}, "acts_on", "steam/residential"),
        (
            {"activities": ({"change": "avoided", "category": "electricity", "quantity": 0},)},
            "activities",
            "减排测算第1行",
        ),
        ({"name": "厂房及楼宇屋顶分布式光伏扩容"}, "name", "Z01"),
        ({"acts_on": ()}, "acts_on", "作用对象"),
        ({"start_year": 2019}, "start_year", "基准年"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    zone_application: Application,
    applicant: User,
    changes: dict[str, Any],
    field: str,
    words: str,
) -> None:
    application = imported(zone_application, applicant)
    with pytest.raises(ValidationError) as refused:
        do_add_task(application, values(**changes), actor=applicant)
    assert words in " ".join(refused.value.message_dict[field])
    assert ApplicationTask.objects.filter(application=application).count() == 9
    application.refresh_from_db()
    assert application.accounting_version == 2


def test_what_the_engine_cannot_account_is_refused_whole(
    zone_application: Application, applicant: User
) -> None:
    application = imported(zone_application, applicant)
    odd = {"change": "avoided", "category": "electricity", "quantity": 5, "unit": "桶"}
    with pytest.raises(ValidationError) as refused:
        do_add_task(application, values(activities=(odd,)), actor=applicant)
    assert "桶" in " ".join(refused.value.messages)
    assert not ApplicationTask.objects.filter(application=application, code="T01").exists()


def test_a_reimport_keeps_what_only_the_editor_holds(
    zone_application: Application, applicant: User
) -> None:
    application = imported(zone_application, applicant)
    z01 = ApplicationTask.objects.get(application=application, code="Z01")
    do_change_task(
        z01,
        values(
            name=z01.name,
            domain="energy",
            start_year=2024,
            ramp_years=4,
            end_year=2027,
            content="新增12 MWp屋顶光伏",
            responsible="园区管委会",
            acts_on=tuple(z01.acts_on),
            activities=tuple(z01.activities),
            key_project=True,
            stated_reduction_tco2=Decimal("1"),  # a figure the workbook will replace
        ),
        expected_version=1,
        actor=applicant,
    )
    mine = do_add_task(application, values(), actor=applicant)
    application.refresh_from_db()
    do_import_accounting(
        application,
        example("zone"),
        expected_version=application.accounting_version,
        actor=applicant,
    )
    z01.refresh_from_db()
    assert (z01.content, z01.responsible, z01.end_year) == (
        "新增12 MWp屋顶光伏",
        "园区管委会",
        2027,
    )
    assert z01.stated_reduction_tco2 == Decimal("5290")  # the workbook's figure again
    assert ApplicationTask.objects.filter(pk=mine.pk).exists()  # not in the workbook: kept
    application.refresh_from_db()
    assert [t["id"] for t in application.accounting["tasks"]] == [
        *(f"Z0{n}" for n in range(1, 10)),
        "T01",
    ]
    event = (
        AuditEvent.objects.filter(action="application_accounting_imported").order_by("pk").last()
    )
    assert event is not None
    assert (
        event.after["tasks_added"],
        event.after["tasks_updated"],
        event.after["tasks_kept"],
    ) == (
        0,
        1,
        1,
    )


def test_a_submitted_application_refuses_task_changes(
    zone_application: Application, applicant: User
) -> None:
    application = imported(zone_application, applicant)
    record = ApplicationTask.objects.get(application=application, code="Z01")
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    application.refresh_from_db()
    record.refresh_from_db()
    for attempt in (
        lambda: do_add_task(application, values(), actor=applicant),
        lambda: do_change_task(record, values(), expected_version=1, actor=applicant),
        lambda: do_remove_task(record, expected_version=1, actor=applicant),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "不能再修改" in " ".join(refused.value.messages)
    assert ApplicationTask.objects.filter(application=application).count() == 9


def test_another_unit_cannot_change_the_tasks(
    zone_application: Application, applicant: User, officer: User
) -> None:
    with pytest.raises(ValidationError):
        do_add_task(zone_application, values(), actor=officer)
    assert not ApplicationTask.objects.exists()


# --- the pages -------------------------------------------------------------------------------


def _client(user: User) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "社区公共区域LED照明改造",
        "domain": "buildings",
        "content": "楼道照明更换为LED灯具",
        "responsible": "田林十二村物业",
        "start_year": "2025",
        "end_year": "2026",
        "ramp_years": "1",
        "budget_10k_yuan": "35.5",
        "key_project": "on",
        "acts_on": "electricity/commercial_public",
        "rows": "3",
        "a0_change": "avoided",
        "a0_category": "electricity",
        "a0_quantity": "12",
        "a0_unit": "万kWh",
        "a0_note": "节电量按灯具功率与时长测算",
    }
    return data | changes


def test_the_editor_adds_a_task_and_the_list_shows_it(
    zone_application: Application, applicant: User
) -> None:
    from django.urls import reverse

    application = imported(zone_application, applicant)
    client = _client(applicant)
    page = client.get(reverse("applications:tasks", args=[application.pk])).content.decode()
    assert "创智中心近零碳排放示范楼宇" in page
    assert "9项任务和项目" in page
    response = client.post(reverse("applications:task_add", args=[application.pk]), form_data())
    assert response.status_code == 302
    record = ApplicationTask.objects.get(application=application, code="T01")
    assert (record.responsible, record.budget_10k_yuan, record.key_project) == (
        "田林十二村物业",
        Decimal("35.50"),
        True,
    )
    assert record.activities[0]["quantity"] == 12
    page = client.get(reverse("applications:tasks", args=[application.pk])).content.decode()
    assert "社区公共区域LED照明改造" in page
    assert "10项任务和项目" in page


def test_the_editor_names_what_is_wrong_and_saves_nothing(
    zone_application: Application, applicant: User
) -> None:
    from django.urls import reverse

    application = imported(zone_application, applicant)
    client = _client(applicant)
    url = reverse("applications:task_add", args=[application.pk])
    response = client.post(url, form_data(end_year="2020", a0_unit=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "完成年份2020早于开始年份2025" in page
    assert "减排测算第1行" in page
    assert "未保存任何内容" in page
    response = client.post(url, form_data(start_year="明年"))
    assert response.status_code == 400
    assert "明年" in response.content.decode()
    assert not ApplicationTask.objects.filter(application=application, code="T01").exists()


def test_the_editor_changes_and_removes_a_task(
    zone_application: Application, applicant: User
) -> None:
    from django.urls import reverse

    application = imported(zone_application, applicant)
    client = _client(applicant)
    z09 = ApplicationTask.objects.get(application=application, code="Z09")
    url = reverse("applications:task_edit", args=[application.pk, z09.pk])
    page = client.get(url).content.decode()
    assert z09.name in page
    data = form_data(name=z09.name, domain=z09.domain, version="1", responsible="街道办事处")
    response = client.post(url, data)
    assert response.status_code == 302
    z09.refresh_from_db()
    assert (z09.responsible, z09.version) == ("街道办事处", 2)
    # The same form again: someone else's save came first.
    response = client.post(url, data)
    assert response.status_code == 400
    assert "现为第2版" in response.content.decode()
    remove = reverse("applications:task_remove", args=[application.pk, z09.pk])
    assert client.post(remove, {"version": "2"}).status_code == 302
    assert not ApplicationTask.objects.filter(pk=z09.pk).exists()


def test_a_submitted_application_s_editor_is_refused_with_the_reason(
    zone_application: Application, applicant: User
) -> None:
    from django.urls import reverse

    application = imported(zone_application, applicant)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    client = _client(applicant)
    response = client.post(reverse("applications:task_add", args=[application.pk]), form_data())
    assert response.status_code == 403
    page = client.get(reverse("applications:tasks", args=[application.pk])).content.decode()
    assert "添加任务或重点项目" not in page
    assert ApplicationTask.objects.filter(application=application).count() == 9


# --- one source: the plan, the task list and the work plan read the records --------------------


def test_the_plan_the_task_list_and_the_work_plan_read_the_same_records(
    zone_application: Application, applicant: User
) -> None:
    from django.utils.translation import gettext

    from lowcarbon.documents.plan import PlanInput
    from lowcarbon.documents.task_list import build_task_list
    from lowcarbon.documents.work_plan import build_work_plan
    from lowcarbon.web.applications import computing
    from lowcarbon.web.applications.outlines import application_outline
    from lowcarbon.web.applications.tasks import planned_reductions

    application = imported(zone_application, applicant)
    do_add_task(application, values(key_project=True), actor=applicant)
    application.refresh_from_db()
    records = list(ApplicationTask.objects.filter(application=application))
    sections = application.sections
    # 三、2./三、3.: every record in its field's list, the key projects in the table.
    listed = [
        item
        for element in (
            "tasks_energy",
            "tasks_buildings",
            "tasks_transport",
            "tasks_regulatory_system",
            "tasks_low_carbon_culture",
        )
        for item in sections.get(element) or []
    ]
    assert "社区公共区域LED照明改造：楼道及地库照明更换为LED灯具并加装感应控制" in listed
    keys = [r for r in records if r.key_project]
    assert [row["name"] for row in sections["key_projects"]] == [r.name for r in keys]
    assert sections["near_zero_carbon_projects"] == ["创智中心近零碳排放示范楼宇"]
    led = sections["key_projects"][-1]
    assert (led["implementer"], led["investment"], led["end_year"]) == (
        "田林十二村物业",
        "35.5",
        2026,
    )
    result = computing.accounting_result(application)
    assert result is not None
    assert result.forecast is not None
    planned = planned_reductions(application)
    for row in sections["key_projects"]:
        code = next(r.code for r in keys if r.name == row["name"])
        assert Decimal(row["expected_reduction"]) == planned[code]
    plan = PlanInput(
        outline=application_outline(application),
        sections=sections,
        unit_name=application.unit.name,
        scheme="zone",
        round_year=application.round.year,
        accounting=result,
        draw_charts=False,
    )
    task_list = build_task_list(plan, gettext)
    assert len(task_list.entries) == len(records) == 10
    assert not task_list.warnings
    counted = sum((r.reduction_tco2 for r in result.forecast.reductions), Decimal(0))
    assert task_list.total == counted == sum(planned.values(), Decimal(0))
    assert {e.responsible for e in task_list.entries if e.task_id == "T01"} == {"田林十二村物业"}
    work = build_work_plan(plan, 2026, gettext)
    assert {i.entry.task_id for i in work.active} >= {"T01", "Z01"}


def test_existing_applications_get_their_records_from_their_data(
    zone_application: Application, applicant: User
) -> None:
    """The migration's step on an application stored before the records existed: the baseline
    data's tasks, completed by the key-project table, and the lists' other items."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lowcarbon.web.applications.migrations.0003_tasks")
    application = imported(zone_application, applicant)
    ApplicationTask.objects.all().delete()
    sections = {
        "key_projects": [
            {
                "name": "既有公共建筑节能改造",
                "content": "20万m²公共建筑改造",
                "implementer": "园区物业公司",
                "investment": "3200",
                "start_year": 2024,
                "end_year": 2026,
                "expected_reduction": "4350",
            }
        ],
        "tasks_energy": ["推广用户侧储能：工商业储能试点"],
    }
    Application.objects.filter(pk=application.pk).update(sections=sections)
    migration.records_from_existing(apps, None)
    z03 = ApplicationTask.objects.get(application=application, code="Z03")
    assert (z03.content, z03.responsible, z03.budget_10k_yuan, z03.end_year) == (
        "20万m²公共建筑改造",
        "园区物业公司",
        Decimal(3200),
        2026,
    )
    assert len(z03.activities) == 2
    storage = ApplicationTask.objects.get(application=application, name="推广用户侧储能")
    assert (storage.code, storage.domain, storage.content, storage.start_year) == (
        "P01",
        "energy",
        "工商业储能试点",
        application.round.year,
    )
    assert ApplicationTask.objects.filter(application=application).count() == 10
