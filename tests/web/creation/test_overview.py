"""The overview of creation units for the districts and the bureau: who sees which units, the
filters (with clear Chinese errors for values that name nothing), the figures against a clock
the test sets, and the XLSX workbook opened and read back."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.overview import (
    OverviewFilters,
    overview_rows,
    overview_workbook,
    parse_filters,
)
from lowcarbon.web.organisations.models import District

from ..review_support import make_round, make_unit, recommended_application, signed_in
from .conftest import Batch
from .support import decide_and_publish, shanghai, unit_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(batch: Batch, admin_user: User) -> CreationUnit:
    """外滩社区 (黄浦区), selected in the 2098 batch."""
    round_ = make_round(admin_user, year=2098)
    application, _ = recommended_application(round_, batch.other_applicant, batch.other_officer)
    decide_and_publish(admin_user, round_, [(application, "selected")], "expert_o2")
    return unit_of(application)


def names(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [row.unit.application.unit.name for row in rows]


def test_each_district_sees_its_units_and_the_bureau_all(
    batch: Batch, second: CreationUnit, users: dict[str, User], admin_user: User
) -> None:
    now = shanghai(2099, 3, 10, 9)
    everything = OverviewFilters()
    assert names(overview_rows(users[Role.DISTRICT_OFFICER], now, everything)) == ["田林十二村社区"]
    assert names(overview_rows(batch.other_officer, now, everything)) == ["外滩社区"]
    # Newest batch first.
    assert names(overview_rows(admin_user, now, everything)) == ["田林十二村社区", "外滩社区"]
    assert overview_rows(users[Role.APPLICANT], now, everything) == []


def test_the_figures_and_the_filters(batch: Batch, second: CreationUnit, admin_user: User) -> None:
    now = shanghai(2099, 3, 10, 9)  # 外滩's final plan and 2099 work plan are overdue
    rows = {
        row.unit.application.unit.name: row
        for row in overview_rows(admin_user, now, OverviewFilters())
    }
    tianlin, waitan = rows["田林十二村社区"], rows["外滩社区"]
    assert (tianlin.overdue, waitan.overdue) == (0, 2)
    assert tianlin.next_due is not None
    assert tianlin.next_due.item.code == "final_plan"
    assert waitan.next_due is not None
    assert waitan.next_due.item.code == "final_plan"
    assert tianlin.open_rectifications == 0
    assert tianlin.district == "徐汇区"
    # Tasks of the plan the unit was selected with; their reduction as the accounting counts it.
    assert tianlin.tasks.total > 0
    assert tianlin.tasks.done is None
    assert tianlin.tasks.planned_tco2 is not None
    assert tianlin.tasks.planned_tco2 > 0
    assert tianlin.tasks.achieved_tco2 is None

    huangpu = District.objects.get(name="黄浦区").pk

    def by(**query: str) -> list[str]:
        filters = parse_filters(query, [2098, 2099], {huangpu: "黄浦区"})
        return names(overview_rows(admin_user, now, filters))

    assert by(batch="2098") == ["外滩社区"]
    assert by(district=str(huangpu)) == ["外滩社区"]
    assert by(stage="selected") == ["田林十二村社区", "外滩社区"]
    assert by(stage="in_creation") == []
    assert by(overdue="1") == ["外滩社区"]


def test_values_that_name_nothing_are_left_out_with_a_chinese_message(
    batch: Batch, second: CreationUnit, officer: User
) -> None:
    huangpu = District.objects.get(name="黄浦区").pk
    page = signed_in(officer).get(
        reverse("creation:overview"), {"batch": "abc", "district": huangpu, "stage": "done"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "批次：收到“abc”，应为以下批次之一：2099。" in text
    assert f"区：收到“{huangpu}”，应为列表中的区。" in text  # another district's: not offered
    assert "阶段：收到“done”，应为列表中的阶段。" in text
    assert "田林十二村社区" in text
    assert "外滩社区" not in text


def test_the_page_in_chinese_with_its_export_link(
    batch: Batch, second: CreationUnit, admin_user: User
) -> None:
    text = (
        signed_in(admin_user).get(reverse("creation:overview"), {"batch": "2099"}).content.decode()
    )
    assert "创建单位总览" in text
    assert "已实现 / 计划减排量（吨二氧化碳/年）" in text
    assert f"{reverse('creation:overview_export')}?batch=2099" in text
    assert "田林十二村社区" in text
    assert "外滩社区" not in text


def test_the_workbook_holds_the_same_table_with_numbers_as_numbers(
    batch: Batch, second: CreationUnit, admin_user: User, officer: User
) -> None:
    response = signed_in(admin_user).get(reverse("creation:overview_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    headers = [cell.value for cell in sheet[2]]
    assert headers[:9] == [
        "单位",
        "所在区",
        "批次",
        "类型",
        "阶段",
        "下一到期事项",
        "下一到期日",
        "逾期事项",
        "未结整改通知",
    ]
    assert headers[11:] == ["已实现减排量（吨二氧化碳/年）", "计划减排量（吨二氧化碳/年）"]
    body = [list(row) for row in sheet.iter_rows(min_row=3)]
    assert [row[0].value for row in body] == ["田林十二村社区", "外滩社区"]
    tianlin = body[0]
    assert tianlin[2].value == 2099
    assert tianlin[2].data_type == "n"
    assert tianlin[6].is_date
    assert tianlin[6].number_format == "yyyy-mm-dd"
    assert isinstance(tianlin[7].value, int)
    assert isinstance(tianlin[12].value, float)
    assert tianlin[12].value > 0
    assert tianlin[12].number_format == "#,##0.00"
    assert tianlin[11].value is None  # achieved: not reported yet
    # The district's workbook: its own units only.
    mine = load_workbook(
        BytesIO(signed_in(officer).get(reverse("creation:overview_export")).content)
    ).active
    assert mine is not None
    assert [row[0].value for row in mine.iter_rows(min_row=3)] == ["田林十二村社区"]


def test_text_that_looks_like_a_formula_stays_text(batch: Batch, admin_user: User) -> None:
    round_ = make_round(admin_user, year=2097)
    _unit, person, district_officer = make_unit(
        admin_user, "黄浦区", '=HYPERLINK("http://x","点此")'
    )
    application, _ = recommended_application(round_, person, district_officer)
    decide_and_publish(admin_user, round_, [(application, "selected")], "expert_o3")
    now = shanghai(2099, 3, 10, 9)
    content = overview_workbook(overview_rows(admin_user, now, OverviewFilters()), now)
    sheet = load_workbook(BytesIO(content)).active
    assert sheet is not None
    [cell] = [row[0] for row in sheet.iter_rows(min_row=3) if str(row[0].value).startswith("=")]
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_tracked_tasks_give_tasks_done_and_reductions_achieved(
    users: dict[str, User], admin_user: User
) -> None:
    from lowcarbon.web.applications.actions import do_create_application
    from lowcarbon.web.applications.submission import do_district_decide, do_submit
    from lowcarbon.web.applications.task_models import TaskStatus
    from lowcarbon.web.applications.tasks import TaskValues, do_add_task, do_track_task

    from ..review_support import _fill

    applicant, officer = users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    round_ = make_round(admin_user, year=2096)
    application = _fill(
        do_create_application(round_, applicant.organisation, "community", actor=applicant),  # type: ignore[arg-type]
        applicant,
    )
    lights = do_add_task(
        application,
        TaskValues(
            name="居民节能行为倡导",
            domain="behaviour",
            start_year=2025,
            acts_on=("electricity/residential",),
            stated_reduction_tco2=Decimal("50"),
        ),
        actor=applicant,
    )
    application.refresh_from_db()
    do_add_task(
        application,
        TaskValues(
            name="社区低碳工作小组",
            domain="governance",
            start_year=2025,
            acts_on=("electricity/residential",),
            stated_reduction_tco2=Decimal("30"),
        ),
        actor=applicant,
    )
    application.refresh_from_db()
    do_add_task(
        application,
        TaskValues(name="低碳示范楼栋", domain="demonstration", start_year=2025),
        actor=applicant,
    )
    application.refresh_from_db()
    do_submit(application, actor=applicant)
    application.refresh_from_db()
    do_district_decide(application, decision="recommended", comment="同意推荐。", actor=officer)
    application.refresh_from_db()
    decide_and_publish(admin_user, round_, [(application, "selected")], "expert_o4")
    lights.refresh_from_db()
    do_track_task(
        lights,
        status=TaskStatus.DONE,
        percent_complete=100,
        achieved_reduction_tco2=Decimal("42.5"),
        note="改造完成。",
        expected_version=lights.tracking_version,
        actor=applicant,
    )
    [row] = overview_rows(admin_user, shanghai(2097, 1, 10), OverviewFilters(batch=2096))
    assert (row.tasks.done, row.tasks.total) == (1, 3)
    assert row.tasks.achieved_tco2 == Decimal("42.5")
    assert row.tasks.planned_tco2 == Decimal(80)
