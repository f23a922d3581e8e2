"""Plan contents: every kind of element entered through the section editor, and refusals."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import narrative
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.maps import boundary_svg
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from .conftest import open_round_arguments

pytestmark = pytest.mark.django_db

SQUARE = [[121.40, 31.17], [121.42, 31.17], [121.42, 31.19], [121.40, 31.19], [121.40, 31.17]]
GEOJSON = json.dumps({"type": "Polygon", "coordinates": [SQUARE]})
FOUR_SIDES = "东至宜山路，南至漕宝路，西至桂林路，北至田林路"


@pytest.fixture
def current_round(admin_user: User) -> Round:
    today = timezone.localdate()
    return do_open_round(
        **open_round_arguments(
            year=2099,
            submission_deadline=today + timedelta(days=30),
            recommendation_deadline=today + timedelta(days=60),
            review_deadline=today + timedelta(days=90),
        ),
        actor=admin_user,
    )


@pytest.fixture
def zone(current_round: Round, applicant: User) -> Application:
    return do_create_application(
        current_round,
        applicant.organisation,  # type: ignore[arg-type]
        "zone",
        actor=applicant,
    )


def save(application: Application, section: str, values: dict, actor: User) -> Application:  # type: ignore[type-arg]
    return do_save_section(
        application, section, values, expected_version=application.version, actor=actor
    )


def refusal(application: Application, section: str, values: dict, actor: User) -> dict:  # type: ignore[type-arg]
    with pytest.raises(ValidationError) as caught:
        save(application, section, values, actor)
    application.refresh_from_db()
    return caught.value.message_dict


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- boundary -----------------------------------------------------------------------------


def test_a_boundary_is_stored_with_its_four_sides_and_area(
    zone: Application, applicant: User
) -> None:
    saved = save(
        zone, "1.1", {"boundary": {"geojson": GEOJSON, "four_sides": FOUR_SIDES}}, applicant
    )
    value = saved.sections["boundary"]
    assert value["geometry"] == {"type": "Polygon", "coordinates": [SQUARE]}
    assert value["four_sides"] == FOUR_SIDES
    assert value["area_km2"] == "4.2275"
    # Saving again without a file keeps the geometry and changes the four sides.
    again = save(saved, "1.1", {"boundary": {"geojson": "", "four_sides": "东至A路"}}, applicant)
    assert again.sections["boundary"]["geometry"] == value["geometry"]
    assert again.sections["boundary"]["four_sides"] == "东至A路"
    cleared = save(again, "1.1", {"boundary": {"clear": True}}, applicant)
    assert "boundary" not in cleared.sections


@pytest.mark.parametrize(
    ("boundary", "words"),
    [
        ({"geojson": "{not json", "four_sides": FOUR_SIDES}, "第1行第2列不是有效的 JSON"),
        (
            {
                "geojson": json.dumps(
                    {"type": "Polygon", "coordinates": [[[y, x] for x, y in SQUARE]]}
                ),
                "four_sides": FOUR_SIDES,
            },
            "纬度在前",
        ),
        ({"geojson": GEOJSON, "four_sides": ""}, "请同时填写四至"),
        ({"geojson": "", "four_sides": FOUR_SIDES}, "请同时上传或粘贴边界文件"),
    ],
)
def test_bad_boundaries_are_refused_in_chinese(
    zone: Application,
    applicant: User,
    boundary: dict,
    words: str,  # type: ignore[type-arg]
) -> None:
    errors = refusal(zone, "1.1", {"boundary": boundary}, applicant)
    assert words in " ".join(errors["boundary"])
    assert (zone.version, zone.sections) == (1, {})


def test_the_area_warning_and_the_map_on_the_workspace(zone: Application, applicant: User) -> None:
    save(
        zone,
        "1.1",
        {"boundary": {"geojson": GEOJSON, "four_sides": FOUR_SIDES}, "area": "5.5"},
        applicant,
    )
    page = (
        client_for(applicant)
        .get(reverse("applications:workspace", args=[zone.pk]))
        .content.decode()
    )
    assert '<svg class="boundary-map"' in page
    assert FOUR_SIDES in page
    assert "边界面积：4.2275 平方公里" in page
    assert "相差超过5%" in page
    zone.refresh_from_db()
    save(zone, "1.1", {"area": "4.3"}, applicant)
    page = (
        client_for(applicant)
        .get(reverse("applications:workspace", args=[zone.pk]))
        .content.decode()
    )
    assert "相差超过5%" not in page


def test_the_map_has_north_arrow_scale_bar_and_corners() -> None:
    svg = boundary_svg({"type": "Polygon", "coordinates": [SQUARE]}, title="<b>边界</b>")
    assert "&lt;b&gt;边界&lt;/b&gt;" in svg  # the title is escaped
    assert "31.19000°N" in svg
    assert "121.40000°E" in svg
    assert ">北<" in svg or ">N<" in svg
    assert re.search(r">\d+(米|千米)<", svg)  # the scale bar, its unit translated


def test_uploading_a_boundary_file_through_the_page(zone: Application, applicant: User) -> None:
    url = reverse("applications:edit_section", args=[zone.pk, "1.1"])
    client = client_for(applicant)
    upload = SimpleUploadedFile("boundary.txt", GEOJSON.encode(), content_type="text/plain")
    response = client.post(
        url,
        {"version": "1", "boundary__file": upload, "boundary__four_sides": FOUR_SIDES},
    )
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.sections["boundary"]["area_km2"] == "4.2275"
    # A projected file is refused by its content, and the four sides typed are kept.
    projected = json.dumps(
        {
            "type": "Polygon",
            "coordinates": [
                [[3466000, 350000], [3467000, 350000], [3467000, 351000], [3466000, 350000]]
            ],
        }
    )
    bad = client.post(
        url,
        {
            "version": "2",
            "boundary__file": SimpleUploadedFile("b.geojson", projected.encode()),
            "boundary__four_sides": "东至新路",
        },
    )
    page = bad.content.decode()
    assert bad.status_code == 200
    assert "投影坐标" in page
    assert "东至新路" in page


# --- tables and lists ----------------------------------------------------------------------

INDICATOR = {
    "indicator": "碳排放下降率",
    "unit": "%",
    "baseline_year": "2023",
    "baseline_value": "0",
    "stage_year": "2025",
    "stage_value": "8.50",
    "target_year": "2027",
    "target_value": "15",
}


def test_a_table_is_stored_typed_and_blank_rows_dropped(zone: Application, applicant: User) -> None:
    saved = save(zone, "3.1", {"indicator_system": [INDICATOR, {}, {"indicator": " "}]}, applicant)
    assert saved.sections["indicator_system"] == [
        {
            "indicator": "碳排放下降率",
            "unit": "%",
            "baseline_year": 2023,
            "baseline_value": "0",
            "stage_year": 2025,
            "stage_value": "8.5",
            "target_year": 2027,
            "target_value": "15",
        }
    ]


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ({**INDICATOR, "target_value": "十五"}, "指标体系第2行“目标值”：“十五”不是数值"),
        ({**INDICATOR, "target_year": "2024"}, "第2行：“目标年”（2024）早于“阶段目标年”（2025）"),
        (
            {**INDICATOR, "baseline_year": "23"},
            "第2行“基准年”：“23”小于1990，应为1990至2100之间的年份",
        ),
        ({**INDICATOR, "indicator": ""}, "第2行：“指标名称”为必填项"),
    ],
)
def test_bad_cells_name_row_column_and_value(
    zone: Application,
    applicant: User,
    row: dict,
    words: str,  # type: ignore[type-arg]
) -> None:
    errors = refusal(zone, "3.1", {"indicator_system": [INDICATOR, row]}, applicant)
    assert words in " ".join(errors["indicator_system"])
    assert zone.sections == {}


def test_the_task_lists_and_key_projects_are_not_typed_in_the_plan(
    zone: Application, applicant: User
) -> None:
    """三、2./三、3.'s lists and table are made from the tasks and key projects (their page)."""
    errors = refusal(zone, "3.3", {"key_projects": [{"name": "徐汇滨江光伏"}]}, applicant)
    assert "由任务和重点项目生成" in " ".join(errors["key_projects"])
    errors = refusal(zone, "3.2", {"tasks_energy": ["分布式光伏"]}, applicant)
    assert "任务和重点项目" in " ".join(errors["tasks_energy"])
    client = client_for(applicant)
    assert (
        client.get(reverse("applications:edit_section", args=[zone.pk, "3.2"])).status_code == 404
    )
    page = client.get(reverse("applications:edit_section", args=[zone.pk, "3.3"])).content.decode()
    assert 'id="editor-project_schedule"' in page
    assert 'id="editor-key_projects"' not in page


def test_schedule_dates_are_checked(zone: Application, applicant: User) -> None:
    stage = {
        "project": "光伏",
        "stage": "建设",
        "start_date": "2026-05-01",
        "end_date": "2026-04-30",
    }
    errors = refusal(zone, "3.3", {"project_schedule": [stage]}, applicant)
    assert "早于“开始日期”（2026-05-01）" in " ".join(errors["project_schedule"])
    errors = refusal(
        zone, "3.3", {"project_schedule": [{**stage, "end_date": "2026/13/01"}]}, applicant
    )
    assert "“2026/13/01”不是日期" in " ".join(errors["project_schedule"])
    saved = save(
        zone, "3.3", {"project_schedule": [{**stage, "end_date": "2026-12-31"}]}, applicant
    )
    assert saved.sections["project_schedule"][0]["end_date"] == "2026-12-31"


def test_a_list_keeps_its_entries(zone: Application, applicant: User) -> None:
    saved = save(
        zone, "2.1", {"low_carbon_certifications": ["绿色建筑三星", "", " ISO 14064 "]}, applicant
    )
    assert saved.sections["low_carbon_certifications"] == ["绿色建筑三星", "ISO 14064"]
    errors = refusal(saved, "2.1", {"low_carbon_certifications": ["x" * 2001]}, applicant)
    assert "已获得的低碳相关认证第1条：最多2000个字符" in " ".join(
        errors["low_carbon_certifications"]
    )


def test_the_table_editor_keeps_what_was_typed_and_marks_the_cell(
    zone: Application, applicant: User
) -> None:
    url = reverse("applications:edit_section", args=[zone.pk, "3.1"])
    client = client_for(applicant)
    page = client.get(url).content.decode()
    assert 'name="indicator_system-2-indicator"' in page  # blank rows without JavaScript
    data = {"version": "1"} | {f"indicator_system-0-{k}": v for k, v in INDICATOR.items()}
    data["indicator_system-0-target_value"] = "十五"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="十五"' in page
    assert 'class="invalid"' in page
    assert "第1行“目标值”：“十五”不是数值" in page
    data["indicator_system-0-target_value"] = "15"
    assert client.post(url, data).status_code == 302
    zone.refresh_from_db()
    assert zone.sections["indicator_system"][0]["indicator"] == "碳排放下降率"
    # Deleting a row through its box.
    data = {"version": str(zone.version), "indicator_system-0-DELETE": "1"} | {
        f"indicator_system-0-{k}": v for k, v in INDICATOR.items()
    }
    assert client.post(url, data).status_code == 302
    zone.refresh_from_db()
    assert "indicator_system" not in zone.sections
    edit = reverse("applications:edit_section", args=[zone.pk, "2.1"])
    data = {"version": str(zone.version), "low_carbon_certifications-0": "绿色建筑三星"}
    assert client.post(edit, data).status_code == 302
    workspace = client.get(reverse("applications:workspace", args=[zone.pk])).content.decode()
    assert "<li>绿色建筑三星</li>" in workspace


# --- narrative ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "<style>body{display:none}</style>",
        '<p style="color:red" onclick="x()">x</p>',
    ],
)
def test_the_sanitiser_removes_what_could_run(attack: str) -> None:
    cleaned = narrative.sanitise(f"<p>好</p>{attack}")
    for bad in ("<script", "onerror", "javascript:", "<style", "style=", "onclick", "<a", "<img"):
        assert bad not in cleaned
    assert cleaned.startswith("<p>好</p>")
    assert "<script" not in narrative.to_html(f"<p>好</p>{attack}")


def test_the_sanitiser_keeps_the_allowed_formatting() -> None:
    html = (
        "<h3>目标</h3><p><b>加粗</b>和<i>斜体</i></p><ul><li>一</li></ul><ol><li>二</li></ol>"
        "<div>行</div>"
    )
    assert narrative.sanitise(html) == (
        "<h3>目标</h3><p><strong>加粗</strong>和<em>斜体</em></p><ul><li>一</li></ul>"
        "<ol><li>二</li></ol><p>行</p>"
    )
    assert narrative.sanitise("只有文字") == "<p>只有文字</p>"
    assert narrative.sanitise("<p><br></p>") == ""
    assert narrative.to_html("第一行\n第二行\n\n第二段") == "<p>第一行<br>第二行</p><p>第二段</p>"
    assert narrative.to_plain_text("<h3>标题</h3><p>a &amp; b</p>") == "标题\na & b"
    assert narrative.to_plain_text("纯文本") == "纯文本"


def test_narrative_from_the_editor_is_sanitised_and_shown(
    zone: Application, applicant: User
) -> None:
    url = reverse("applications:edit_section", args=[zone.pk, "3.1"])
    client = client_for(applicant)
    response = client.post(
        url,
        {
            "version": "1",
            "overall_approach": "<h3>思路</h3><p><b>近零碳</b></p><script>alert(1)</script>",
            "overall_approach__format": "html",
            "construction_targets": "第一行\n第二行",
            "indicator_system-0-indicator": "碳排放下降率",
            "indicator_system-0-target_year": "2030",
            "indicator_system-0-target_value": "20",
        },
    )
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.sections["overall_approach"] == "<h3>思路</h3><p><strong>近零碳</strong></p>"
    assert zone.sections["construction_targets"] == "第一行\n第二行"
    assert zone.sections["indicator_system"] == [
        {"indicator": "碳排放下降率", "target_year": 2030, "target_value": "20"}
    ]
    page = client.get(reverse("applications:workspace", args=[zone.pk])).content.decode()
    assert "<h3>思路</h3><p><strong>近零碳</strong></p>" in page
    assert "<p>第一行<br>第二行</p>" in page
    assert "alert(1)" not in page


def test_plain_text_that_looks_like_markup_is_kept_as_typed(
    zone: Application, applicant: User
) -> None:
    saved = save(zone, "1.1", {"geographic_location": "位于<b>徐汇区</b>"}, applicant)
    assert saved.sections["geographic_location"] == "<p>位于&lt;b&gt;徐汇区&lt;/b&gt;</p>"
    page = client_for(applicant).get(reverse("applications:workspace", args=[zone.pk]))
    assert "位于&lt;b&gt;徐汇区&lt;/b&gt;" in page.content.decode()


# --- refusals --------------------------------------------------------------------------------


def test_edits_after_submission_are_refused(zone: Application, applicant: User) -> None:
    Application.objects.filter(pk=zone.pk).update(status="submitted")
    zone.refresh_from_db()
    errors = refusal(zone, "1.1", {"area": "1"}, applicant)
    assert "不能再修改" in " ".join(errors["__all__"])
    url = reverse("applications:edit_section", args=[zone.pk, "1.1"])
    assert client_for(applicant).get(url).status_code == 403


def test_a_returned_application_can_be_edited(zone: Application, applicant: User) -> None:
    Application.objects.filter(pk=zone.pk).update(status="returned")
    zone.refresh_from_db()
    assert save(zone, "1.1", {"area": "1"}, applicant).sections == {"area": "1"}


def test_edits_after_the_deadline_are_refused_naming_it(
    zone: Application, applicant: User, current_round: Round
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    Round.objects.filter(pk=current_round.pk).update(submission_deadline=yesterday)
    zone = Application.objects.select_related("round").get(pk=zone.pk)
    errors = refusal(zone, "1.1", {"area": "1"}, applicant)
    assert f"申报截止日期（{yesterday.isoformat()}）已过" in " ".join(errors["__all__"])
    assert AuditEvent.objects.filter(action="application_section_saved").count() == 0


def test_a_stale_save_of_a_table_names_what_changed(zone: Application, applicant: User) -> None:
    do_save_section(
        zone, "3.1", {"indicator_system": [INDICATOR]}, expected_version=1, actor=applicant
    )
    with pytest.raises(ValidationError) as caught:
        do_save_section(
            zone,
            "3.1",
            {"indicator_system": [{**INDICATOR, "indicator": "人均碳排放"}]},
            expected_version=1,
            actor=applicant,
        )
    message = " ".join(caught.value.messages)
    assert "他人已先保存了本申报" in message
    assert "指标体系" in message
    zone.refresh_from_db()
    assert zone.sections["indicator_system"][0]["indicator"] == "碳排放下降率"


def test_every_element_of_both_outlines_has_an_editor(
    zone: Application, applicant: User, current_round: Round
) -> None:
    from lowcarbon.web.applications.outlines import (
        application_outline,
        is_editable,
        is_generated,
    )

    community = do_create_application(
        current_round,
        applicant.organisation,
        "community",
        actor=applicant,  # type: ignore[arg-type]
    )
    client = client_for(applicant)
    for application in (zone, community):
        outline = application_outline(application)
        for section in outline.iter_sections():
            # The task lists and key projects are made from their own page (is_generated).
            assert all(
                is_editable(element) or is_generated(element) for element in section.elements
            )
            if any(is_editable(element) for element in section.elements):
                url = reverse("applications:edit_section", args=[application.pk, section.id])
                page = client.get(url).content.decode()
                for element in section.elements:
                    if is_editable(element):
                        assert f'id="editor-{element.id}"' in page, (section.id, element.id)
