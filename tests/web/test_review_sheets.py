"""The review's sheets: an expert's score sheet from a stored revision (the engine's points,
the snapshot and revision named, only the expert and the administrator), and the round's
result sheet (ranking order, experts anonymised unless named, administrators only)."""

from __future__ import annotations

import io
import logging
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.review.actions import do_decide
from lowcarbon.web.review.models import Assignment, ExpertReviewRevision
from lowcarbon.web.review.snapshots import score_of

from ..system_tools import pdf_text, require_converter
from .review_support import (
    assign_all,
    make_expert,
    make_panel,
    make_round,
    recommended_application,
    signed_in,
)
from .test_review_actions import agree, save, submit

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "sheets"


@pytest.fixture
def setup(admin_user: User, users: dict[str, User]) -> dict[str, Any]:
    round_ = make_round(admin_user)
    application, submission = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    a = make_expert(admin_user, "expert_a", "张明")
    b = make_expert(admin_user, "expert_b", "陈华")
    outsider = make_expert(admin_user, "expert_x", "王五")
    panel = make_panel(admin_user, round_, [a, b, outsider])
    first, second = assign_all(admin_user, panel, application, [a, b])
    return {
        "round": round_,
        "application": application,
        "submission": submission,
        "panel": panel,
        "a": a,
        "b": b,
        "outsider": outsider,
        "first": first,
        "second": second,
        **users,
    }


def people(setup: dict[str, Any]) -> dict[str, Client]:
    return {
        "a": signed_in(setup["a"]),
        "b": signed_in(setup["b"]),
        "outsider": signed_in(setup["outsider"]),
        "applicant": signed_in(setup[Role.APPLICANT]),
        "officer": signed_in(setup[Role.DISTRICT_OFFICER]),
        "admin": signed_in(setup[Role.ADMINISTRATOR]),
        "anonymous": Client(),
    }


def score_both(setup: dict[str, Any]) -> None:
    """A agrees with the applicant; B gives item 1 no points, with a comment."""
    agree(setup["first"])
    agree(setup["second"])
    save(setup["second"], "1", {"level": "none", "comment": "未见工作小组文件。"})
    submit(setup["first"])
    submit(setup["second"])


def rows_of(content: bytes) -> list[list[Any]]:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def test_the_expert_downloads_their_sheet_with_the_engines_points(
    setup: dict[str, Any],
) -> None:
    score_both(setup)
    second: Assignment = setup["second"]
    url = reverse("review:expert_sheet", args=[second.pk, "xlsx"])
    response = people(setup)["b"].get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response.content)
    revision = ExpertReviewRevision.objects.get(review__assignment=second)
    expected = score_of(second.submission, revision.answers)
    # First the official table of 附件4, then the engine's explanation item by item.
    assert ["一级指标", "低碳软环境建设", "评价方法", "得分"] in rows
    header = next(i for i, row in enumerate(rows) if row[0] == "序号")
    assert rows[header] == ["序号", "评价内容", "评分说明", "得分"]
    items = {str(row[0]): row for row in rows[header + 1 :] if row[0] and row[3] is not None}
    assert set(items) == {item.item.id for s in expected.sections for item in s.items}
    for item_id, row in items.items():
        assert Decimal(str(row[3])) == expected.item(item_id).points, item_id
    assert Decimal(str(items["1"][3])) == 0
    assert "未见工作小组文件。" in items["1"][2]
    totals = {row[0]: row[3] for row in rows if row[0] in {"基本项合计", "加分项合计"}}
    assert Decimal(str(totals["基本项合计"])) == expected.main == revision.main_points
    assert Decimal(str(totals["加分项合计"])) == expected.bonus
    text = "\n".join(str(v) for row in rows for v in row if v is not None)
    assert "田林十二村社区" in text
    assert "陈华" in text
    assert second.submission.snapshot_sha256 in text
    assert "第1版" in text
    assert "专家签字：" in text


def test_the_sheet_is_from_the_revision_not_the_reopened_draft(
    setup: dict[str, Any],
) -> None:
    from lowcarbon.web.review.actions import do_reopen_review

    score_both(setup)
    second: Assignment = setup["second"]
    second.refresh_from_db()
    do_reopen_review(second, reason="核对第1项", actor=setup[Role.ADMINISTRATOR])
    second.refresh_from_db()
    save(second, "1", {"level": "group_with_roles", "comment": "补充材料后满分。"})
    rows = rows_of(
        people(setup)["b"].get(reverse("review:expert_sheet", args=[second.pk, "xlsx"])).content
    )
    item_1 = next(row for row in rows if row[0] == "1")
    assert Decimal(str(item_1[3])) == 0  # revision 1, as submitted; the draft is not a sheet
    assert (
        people(setup)["b"]
        .get(reverse("review:expert_sheet", args=[second.pk, "xlsx"]) + "?revision=7")
        .status_code
        == 404
    )


def test_before_submission_the_expert_is_told_to_submit_first(setup: dict[str, Any]) -> None:
    agree(setup["first"])
    client = people(setup)["a"]
    response = client.get(
        reverse("review:expert_sheet", args=[setup["first"].pk, "xlsx"]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("review:workspace", args=[setup["first"].pk])
    assert "提交评分后" in response.content.decode()


def test_only_the_expert_and_the_administrator_get_an_experts_sheet(
    setup: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    agree(setup["second"])
    submit(setup["second"])
    url = reverse("review:expert_sheet", args=[setup["second"].pk, "xlsx"])
    clients = people(setup)
    # A has not submitted: B's sheet is invisible to A, as to everyone but B and the admin.
    expected = {"a": 404, "outsider": 404, "applicant": 404, "officer": 404, "b": 200, "admin": 200}
    with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
        for who, status in expected.items():
            assert clients[who].get(url).status_code == status, who
    assert clients["anonymous"].get(url).status_code == 302
    denied = [r.getMessage() for r in caplog.records if "permission denied" in r.getMessage()]
    assert any("expert_a" in line and "score sheet" in line for line in denied)
    assert any("officer" in line for line in denied)
    # After A submits too (the panel then sees each other's scores), the sheet stays B's.
    agree(setup["first"])
    submit(setup["first"])
    assert clients["a"].get(url).status_code == 404
    assert clients["admin"].get(url.replace("xlsx", "docx")).status_code == 200
    assert clients["b"].get(url.replace("xlsx", "txt")).status_code == 404
    # An id that does not exist answers the same as one that is not yours.
    assert clients["a"].get(reverse("review:expert_sheet", args=[99999, "xlsx"])).status_code == 404


def test_the_workspace_offers_the_sheet_of_each_revision(setup: dict[str, Any]) -> None:
    client = people(setup)["a"]
    page = client.get(reverse("review:workspace", args=[setup["first"].pk])).content.decode()
    assert "提交评分后即可下载评分表" in page
    agree(setup["first"])
    submit(setup["first"])
    page = client.get(reverse("review:workspace", args=[setup["first"].pk])).content.decode()
    assert reverse("review:expert_sheet", args=[setup["first"].pk, "pdf"]) + "?revision=1" in page


def test_the_pdf_sheet_shows_the_unit_and_the_signature_line(
    setup: dict[str, Any], tmp_path: Path
) -> None:
    require_converter()
    agree(setup["first"])
    submit(setup["first"])
    response = people(setup)["a"].get(
        reverse("review:expert_sheet", args=[setup["first"].pk, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = pdf_text(pdf)
    assert "田林十二村社区" in text
    assert "专家签字" in text
    assert "专家评分表" in text
    # The first page as a picture, for a person to look at (test-artifacts/ is not tracked).
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(ARTIFACTS / "sheet")],
        check=True,
    )


def test_a_failed_pdf_conversion_says_why_and_keeps_the_other_formats(
    setup: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWCARBON_SOFFICE", "/nonexistent/soffice")
    agree(setup["first"])
    submit(setup["first"])
    client = people(setup)["a"]
    response = client.get(
        reverse("review:expert_sheet", args=[setup["first"].pk, "pdf"]), follow=True
    )
    text = response.content.decode()
    assert "LibreOffice" in text
    assert "无法生成PDF" in text
    assert (
        client.get(reverse("review:expert_sheet", args=[setup["first"].pk, "docx"])).status_code
        == 200
    )


# --- the result sheet ------------------------------------------------------------------------


def test_the_result_sheet_is_the_administrators_in_ranking_order(
    setup: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    score_both(setup)
    do_decide(
        setup["application"],
        outcome="selected",
        reasons="综合得分较高。",
        actor=setup[Role.ADMINISTRATOR],
    )
    url = reverse("review:result_sheet", args=[setup["round"].pk, "community", "xlsx"])
    clients = people(setup)
    with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
        for who in ("a", "b", "outsider", "applicant", "officer"):
            assert clients[who].get(url).status_code == 404, who
    assert clients["anonymous"].get(url).status_code == 302
    assert any("result sheet" in r.getMessage() for r in caplog.records)
    response = clients["admin"].get(url)
    assert response.status_code == 200
    rows = rows_of(response.content)
    header_index = next(i for i, row in enumerate(rows) if row[0] == "名次")
    header = rows[header_index]
    assert header[3:5] == ["专家A", "专家B"]
    row = rows[header_index + 1]
    assert row[1] == "田林十二村社区"
    assert row[2] == "徐汇区"
    totals = {
        a.expert.get_full_name(): score_of(a.submission, a.review.answers)
        for a in Assignment.objects.filter(pk__in=[setup["first"].pk, setup["second"].pk])
    }
    assert Decimal(str(row[3])) == totals["张明"].main + totals["张明"].bonus
    assert Decimal(str(row[4])) == totals["陈华"].main + totals["陈华"].bonus
    assert "入选" in row[header.index("决定")]
    assert "综合得分较高。" in str(row[header.index("决定")])
    assert row[header.index("评审专家")] == "A 张明；B 陈华"
    anonymous = rows_of(clients["admin"].get(url + "?anonymous=1").content)
    flat = "".join(str(v) for r in anonymous for v in r if v is not None)
    assert "张明" not in flat
    assert "陈华" not in flat
    assert "专家A" in flat
    # An unknown kind or round is not found.
    assert (
        clients["admin"]
        .get(reverse("review:result_sheet", args=[setup["round"].pk, "nothing", "xlsx"]))
        .status_code
        == 404
    )


def test_the_result_sheet_as_pdf_names_the_unit_and_the_experts(
    setup: dict[str, Any], tmp_path: Path
) -> None:
    require_converter()
    score_both(setup)
    url = reverse("review:result_sheet", args=[setup["round"].pk, "community", "pdf"])
    response = people(setup)["admin"].get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "result.pdf"
    pdf.write_bytes(response.content)
    text = pdf_text(pdf)
    assert "评审结果汇总表" in text
    assert "田林十二村社区" in text
    assert "张明" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "result")],
        check=True,
    )
