"""The reproduced attacks of the hardening review (issue 11, findings 1 and 13), each through the
page a person uses: huge exponents typed into the self-assessment, the expert's scores, the
plan, the review thresholds and the drivers; versions that are no numbers; 1e308 in a cell of
the accounting workbook; damaged uploads whose library errors named temporary paths.

Each is refused within a second of CPU with a message that names the field and the value, and
leaves the database as it was. The objects are those of the permission matrix
(tests/web/test_permission_matrix.py), made through the real actions.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lowcarbon.core.activity import UnitKind
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.workbook import write_workbook_template
from lowcarbon.web.accounts.models import User

from .fingerprint import database_fingerprint
from .review_support import EXAMPLES
from .test_permission_matrix import World, build_world

pytestmark = pytest.mark.django_db

# The texts of the report: 1e9999999 froze every worker; 1e5000 was a 500 on 11 endpoints.
HUGE = ["1e9999999", "1e1000000", "1e5000", "-1e5000", "1e999999"]
CPU_SECONDS = 1.0  # one refused request, all of it: parsing, page, database


@pytest.fixture
def world(users: dict[str, User], admin_user: User, applicant: User, officer: User) -> World:
    return build_world(users, admin_user, applicant, officer)


def _client(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


def _post(client: Client, url: str, data: dict[str, Any]) -> tuple[int, str]:
    started = time.process_time()
    response = client.post(url, data)
    spent = time.process_time() - started
    assert spent < CPU_SECONDS, f"{url}: {spent:.2f} s of CPU"
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("typed", HUGE)
def test_self_assessment_points_counts_and_deductions(world: World, typed: str) -> None:
    client = _client(world, "applicant")
    before = database_fingerprint()
    for item, field, named, limit in (
        ("10", "points", "的得分", "1000"),  # a judgement
        ("16", "count", "的数量", "1,000,000"),  # count tiers
        ("18", "count", "的数量", "1,000,000"),  # per unit
        ("13", "deduct", "的扣分", "1000"),  # a checklist with a deduction
    ):
        url = reverse("applications:assessment_save", args=[world.draft.pk, item])
        data = {field: typed, "reason": "理由", "version": world.draft.answers_version}
        status, page = _post(client, url, data)
        assert status == 400, (item, typed)
        relation = "小于" if typed.startswith("-") else "大于"
        bound = "-" + limit if typed.startswith("-") and limit == "1000" else limit
        if field == "count" and typed.startswith("-"):
            bound = "0"
        assert f"第{item}项" in page, item
        assert named in page, item
        assert f"“{typed}”{relation}{bound}，应为" in page, (item, typed)
    assert database_fingerprint() == before


@pytest.mark.parametrize("typed", HUGE)
def test_expert_points(world: World, typed: str) -> None:
    client = _client(world, "reviewer")
    before = database_fingerprint()
    url = reverse("review:save_item", args=[world.assignment.pk, "10"])
    version = world.assignment.review.version
    status, page = _post(client, url, {"points": typed, "reason": "理由", "version": version})
    assert status == 400
    expected = "小于-1000" if typed.startswith("-") else "大于1000"
    assert "第10项" in page
    assert f"的得分：“{typed}”{expected}，应为-1000至1000之间" in page
    assert database_fingerprint() == before


@pytest.mark.parametrize("typed", HUGE)
def test_plan_number_fields_and_table_cells(world: World, typed: str) -> None:
    client = _client(world, "applicant")
    before = database_fingerprint()
    url = reverse("applications:edit_section", args=[world.draft.pk, "1.1"])
    version = world.draft.version
    status, page = _post(client, url, {"version": version, "area": typed, "households": typed})
    assert status == 200  # the section's form again, with the errors
    beyond = "小于0" if typed.startswith("-") else "大于1,000,000,000,000"
    assert f"“{typed}”{beyond}，应为0至1,000,000,000,000之间、最多6位小数的数值" in page
    assert f"“{typed}”{beyond}，应为0至1,000,000,000,000之间的整数" in page
    table = reverse("applications:edit_section", args=[world.draft.pk, "2.1"])
    cells = {
        "version": version,
        "emissions_status-0-year": "2023",
        "emissions_status-0-source_category": "电力",
        "emissions_status-0-energy_consumption": typed,
        "emissions_status-0-emissions": "12",
    }
    status, page = _post(client, table, cells)
    assert status == 200
    assert "第1行“" in page
    assert f"：“{typed}”" in page
    stored_page = client.get(reverse("applications:workspace", args=[world.draft.pk]))
    assert typed not in stored_page.content.decode()
    assert database_fingerprint() == before


@pytest.mark.parametrize("typed", [*HUGE, "NaN", "sNaN", "Infinity", "1e308", "0.123"])
def test_review_thresholds(world: World, typed: str) -> None:
    client = _client(world, "admin")
    before = database_fingerprint()
    url = reverse("review:settings", args=[world.round_recommended.pk])
    data = {
        "method": "mean",
        "item_range_share": typed,
        "total_spread_limit": typed,
        "panel_visibility": "after_all_submitted",
        "applicant_visibility": "aggregate",
    }
    status, page = _post(client, url, data)
    assert status == 200  # the settings form again, with both errors
    assert page.count(f"：“{typed}”") == 2
    assert "应为0.05至1之间、最多2位小数的数值" in page
    assert "应为1至120之间、最多1位小数的数值" in page
    assert database_fingerprint() == before


@pytest.mark.parametrize("typed", HUGE)
def test_drivers_of_a_year(world: World, typed: str) -> None:
    client = _client(world, "applicant")
    before = database_fingerprint()
    url = reverse("applications:baseline_drivers", args=[world.draft.pk, world.year])
    data = {
        "version": world.draft.accounting_version,
        "resident_population": typed,
        "floor_area_residential": typed,
    }
    status, page = _post(client, url, data)
    assert status == 400
    assert f"“{typed}”" in page
    assert "应为1至1,000,000,000之间的整数" in page
    assert "应为0至1,000,000,000,000之间、最多2位小数的数值" in page
    assert database_fingerprint() == before


# (A NUL is refused for the whole request before any view: the test after this one.)
NOT_VERSIONS = ["abc", "1e9999999", "²", "٣", "9" * 5000, "-1", "1.5", "\u202e1"]


@pytest.mark.parametrize("version", NOT_VERSIONS)
def test_a_version_that_is_no_number_is_a_stale_form_never_a_500(
    world: World, version: str
) -> None:
    applicant, reviewer = _client(world, "applicant"), _client(world, "reviewer")
    before = database_fingerprint()
    posts = [
        (
            applicant,
            reverse("applications:assessment_save", args=[world.draft.pk, "1"]),
            {"level": "none", "version": version},
            400,
        ),
        (
            applicant,
            reverse("applications:edit_section", args=[world.draft.pk, "1.1"]),
            {"area": "1", "version": version},
            200,
        ),
        (
            applicant,
            reverse("applications:baseline_clear", args=[world.draft.pk]),
            {"confirm": "on", "version": version},
            302,  # back to the page, with the refusal as a message
        ),
        (
            reviewer,
            reverse("review:save_item", args=[world.assignment.pk, "1"]),
            {"level": "none", "version": version},
            400,
        ),
        (
            reviewer,
            reverse("review:inspection_record", args=[world.panel.pk, world.recommended.pk, "1"]),
            {"outcome": "met", "version": version},
            400,
        ),
    ]
    for client, url, data, answer in posts:
        status, _page = _post(client, url, data)
        assert status == answer, (url, version, status)
    assert database_fingerprint() == before


def test_a_nul_character_is_refused_for_the_whole_request(world: World) -> None:
    """PostgreSQL keeps no NUL in text or JSON: refused before any view, in Chinese."""
    client = _client(world, "applicant")
    url = reverse("applications:assessment_save", args=[world.draft.pk, "1"])
    version = world.draft.answers_version
    before = database_fingerprint()
    for data in (
        {"level": "none", "comment": "a\x00b", "version": version},
        {"level": "none", "comment\x00": "x", "version": version},
    ):
        response = client.post(url, data, HTTP_REFERER=f"http://testserver{url}")
        assert response.status_code == 400
        page = response.content.decode()
        assert "提交的内容含有空字符（字符编码0）" in page
        assert f'href="http://testserver{url}"' in page
    assert database_fingerprint() == before


@pytest.mark.parametrize("key", [str(2**63), str(2**64), "1e9999999", "-1", "٣", "1.0"])
def test_a_choice_that_cannot_be_a_key_is_an_invalid_choice(world: World, key: str) -> None:
    """A number past the key column's range used to reach the database (SQLite: "Python int
    too large to convert to SQLite INTEGER", a 500)."""
    expert, admin = _client(world, "expert"), _client(world, "admin")
    applicant = _client(world, "applicant")
    before = database_fingerprint()
    profile = {"districts": [key], "organisation_name": "", "consultancies": ""}
    status, page = _post(expert, reverse("review:profile"), profile)
    assert status == 200
    assert f"“{key}”不是一个有效的值" in page
    panel = {"round": key, "kind": "community", "name": "x", "deadline": "2099-01-01"}
    status, _page = _post(admin, reverse("review:panels"), panel | {"members": [key]})
    assert status == 200
    status, _page = _post(applicant, reverse("applications:list"), {"round": key, "kind": "zone"})
    assert status == 200
    assert database_fingerprint() == before


def test_publishing_nothing_goes_back_to_a_ranking_that_exists(world: World) -> None:
    admin = _client(world, "admin")
    url = reverse("review:publish", args=[world.round_recommended.pk])
    response = admin.post(url, {"kind": "a/b"})
    assert response.status_code == 302
    ranking = reverse("review:ranking", args=[world.round_recommended.pk, "community"])
    assert response["Location"] == ranking


def _example_workbook(tmp_path: Path, sheet: str, cell: str, value: object) -> bytes:
    """The community example written into the template with openpyxl, one cell replaced."""
    path = tmp_path / "filled.xlsx"
    example = load_accounting_file(EXAMPLES / "accounting.yaml")
    write_workbook_template(
        path, kind=UnitKind.COMMUNITY, language="zh", translate=lambda s: s, example=example
    )
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path.read_bytes()


def _upload(
    client: Client, world: World, content: bytes, name: str = "基础数据.xlsx"
) -> tuple[int, str]:
    url = reverse("applications:baseline", args=[world.draft.pk])
    data = {
        "workbook": SimpleUploadedFile(name, content),
        "version": world.draft.accounting_version,
    }
    return _post(client, url, data)


@pytest.mark.parametrize("value", [1e308, -1e308, "1e9999999", 1e-300])
def test_a_huge_number_in_a_workbook_cell(world: World, tmp_path: Path, value: object) -> None:
    content = _example_workbook(tmp_path, "电力", "D2", value)
    client = _client(world, "applicant")
    before = database_fingerprint()
    status, page = _upload(client, world, content)
    assert status == 400
    # The problem table: sheet, row, column, cell, what was found, what is expected.
    for words in ("<td>电力</td>", "<td>2</td>", "<td>数量</td>", "<td>D2</td>"):
        assert words in page, words
    found = {1e308: "1e+308", -1e308: "-1e+308", 1e-300: "1e-300"}.get(value, value)  # type: ignore[call-overload]
    assert f'<td class="found">{found}</td>' in page
    if value == -1e308:
        assert "大于等于0的数值" in page  # the field's own words: the sign is what is wrong
    else:
        assert "且不超过10¹⁵" in page
    assert database_fingerprint() == before


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


LIBRARY_WORDS = ("/tmp", "tmp", "Error", "Traceback", "lxml", "zipfile", "openpyxl", "Package")


def test_a_damaged_workbook_names_no_path_and_no_library_text(world: World) -> None:
    damaged = _zip({"[Content_Types].xml": "<x", "xl/workbook.xml": "garbage"})
    client = _client(world, "applicant")
    before = database_fingerprint()
    status, page = _upload(client, world, damaged, "损坏.xlsx")
    assert status == 400
    assert "损坏.xlsx" in page or "工作簿" in page
    problems = page[page.index("<table") :] if "<table" in page else page
    for word in LIBRARY_WORDS:
        assert word not in problems, word
    assert database_fingerprint() == before


def test_a_damaged_word_template_names_no_path_and_no_library_text(world: World) -> None:
    client = _client(world, "admin")
    damaged = _zip({"[Content_Types].xml": "<x", "word/document.xml": "garbage"})
    before = database_fingerprint()
    status, page = _post(
        client,
        reverse("documents:templates"),
        {"outline": "community/2021", "file": SimpleUploadedFile("模板.docx", damaged)},
    )
    assert status == 400
    assert "模板“模板.docx”" in page
    assert "不是可读取的Word模板：文件已损坏或不是.docx文档；请用Word或WPS打开" in page
    for word in (*LIBRARY_WORDS, "Start Tag", "line 1", "column"):
        assert word not in page, word
    assert database_fingerprint() == before
