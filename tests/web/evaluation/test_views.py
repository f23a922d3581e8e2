"""The self-evaluation report's pages as people use them: the unit scores an item and writes the
texts, a bad answer comes back in place with its error, submitting freezes the report; the
district reads the frozen report, downloads its files as hashed and pre-accepts item by item;
an expert of the final panel downloads a report's file from the archive."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.urls import reverse

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import answer_form_fields
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.creation.models import CreationUnit, RectificationOrder
from lowcarbon.web.evaluation.actions import Finding, do_pre_accept, evaluation_of
from lowcarbon.web.evaluation.report import report_rubric
from lowcarbon.web.review.actions import do_assign, do_form_panel

from ..responses import read_download
from ..review_support import make_expert, signed_in
from .support import score_everything

pytestmark = pytest.mark.django_db


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_the_unit_scores_an_item_and_a_bad_answer_comes_back_in_place(
    unit: CreationUnit, applicant: User
) -> None:
    client = signed_in(applicant)
    url = reverse("evaluation:report", args=[unit.pk, "final"])
    # The creation unit's page leads to the report of each stage the unit reports on.
    unit_page = page(client.get(reverse("creation:unit", args=[unit.pk])))
    assert f'href="{url}"' in unit_page
    assert reverse("evaluation:report", args=[unit.pk, "midterm"]) not in unit_page
    shown = page(client.get(url))
    assert "对照指标体系自评分" in shown
    assert reverse("evaluation_documents:draft", args=[unit.pk, "final", "docx"]) in shown
    record = unit.archive_records.order_by("pk").first()
    assert record is not None
    code = f"R{record.pk}-1"
    assert code in shown  # the archive's files are offered as evidence
    item = report_rubric(unit).items()[0]
    save = reverse("evaluation:save_item", args=[unit.pk, "final", item.id])
    bad = client.post(save, {"version": "0", "level": "no-such-level", "evidence": [code]})
    assert bad.status_code == 400
    assert "no-such-level" in page(bad)
    assert evaluation_of(unit, "final").pk is None  # nothing saved
    level = item.rule.options[0].id  # type: ignore[attr-defined]
    ok = client.post(save, {"version": "0", "level": level, "evidence": [code]})
    assert ok.status_code == 302
    assert evaluation_of(unit, "final").answers[item.id]["evidence"] == [code]
    # The texts; a second window's stale save is refused and the first text kept.
    texts = reverse("evaluation:save_texts", args=[unit.pk, "final"])
    assert client.post(texts, {"version": "1", "summary": "概况甲"}).status_code == 302
    stale = client.post(texts, {"version": "1", "summary": "概况乙"})
    assert stale.status_code == 400
    assert "版本" in page(stale)
    assert evaluation_of(unit, "final").texts["summary"] == "概况甲"
    # Submitting with items unanswered names them; nothing is frozen.
    submit = reverse("evaluation:submit", args=[unit.pk, "final"])
    refused = client.post(submit, {"version": "2"})
    assert refused.status_code == 400
    assert "尚未填写" in page(refused)
    assert not Submission.objects.filter(application=unit.application, stage="final").exists()


def test_submitted_the_district_reads_downloads_and_pre_accepts(
    unit: CreationUnit, applicant: User, officer: User
) -> None:
    score_everything(unit, "final", applicant)
    client = signed_in(applicant)
    version = evaluation_of(unit, "final").version
    done = client.post(
        reverse("evaluation:submit", args=[unit.pk, "final"]), {"version": str(version)}
    )
    assert done.status_code == 302
    submission = Submission.objects.get(application=unit.application, stage="final")
    assert done["Location"] == reverse("evaluation:frozen", args=[submission.pk])
    district = signed_in(officer)
    frozen = page(district.get(done["Location"]))
    assert "创建以来，社区完成既有住宅节能改造等任务。" in frozen
    assert "记录预验收意见" in frozen  # the district's form
    # A frozen file downloads as the bytes its hash was taken of.
    entry = submission.snapshot["evidence"][0]
    body = read_download(
        district.get(reverse("evaluation:frozen_file", args=[submission.pk, entry["code"]]))
    )
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    # Rectify first with an item not met but no problem described: the page again, the error
    # beside the item, nothing recorded.
    items = [item.id for item in report_rubric(unit).items()]
    form = {f"ok_{item}": "yes" for item in items} | {
        "recommendation": "rectify",
        "deadline": (date.today() + timedelta(days=20)).isoformat(),
        f"ok_{items[1]}": "no",
    }
    url = reverse("evaluation:pre_accept", args=[submission.pk])
    again = district.post(url, form)
    assert again.status_code == 400
    assert "请说明发现的问题" in page(again)
    assert not RectificationOrder.objects.filter(unit=unit).exists()
    form[f"note_{items[1]}"] = "工作计划未附考核办法。"
    assert district.post(url, form).status_code == 302
    order = RectificationOrder.objects.get(unit=unit)
    assert "工作计划未附考核办法。" in order.items.get().problem
    shown = page(district.get(reverse("evaluation:frozen", args=[submission.pk])))
    assert "工作计划未附考核办法。" in shown
    assert "记录预验收意见" not in shown  # decided once


def test_an_expert_of_the_final_panel_downloads_a_reports_file(
    unit: CreationUnit, applicant: User, officer: User, admin_user: User
) -> None:
    score_everything(unit, "final", applicant)
    client = signed_in(applicant)
    client.post(
        reverse("evaluation:submit", args=[unit.pk, "final"]),
        {"version": str(evaluation_of(unit, "final").version)},
    )
    submission = Submission.objects.get(application=unit.application, stage="final")
    do_pre_accept(
        submission,
        findings={item.id: Finding(ok=True) for item in report_rubric(unit).items()},
        recommendation="pass",
        comment="",
        deadline=None,
        actor=officer,
    )
    expert = make_expert(admin_user, "expert_final", "验收专家")
    panel = do_form_panel(
        round_=unit.application.round,
        kind="community",
        stage="final",
        name="验收组",
        deadline=date.today() + timedelta(days=10),
        members=[expert],
        actor=admin_user,
    )
    assignment = do_assign(panel, unit.application, expert, actor=admin_user)
    reviewer = signed_in(expert)
    workspace = page(reviewer.get(reverse("review:workspace", args=[assignment.pk])))
    assert "创建单位自评价报告" in workspace
    assert "创建以来，社区完成既有住宅节能改造等任务。" in workspace
    entry = submission.snapshot["evidence"][0]
    body = read_download(
        reviewer.get(reverse("review:evidence", args=[assignment.pk, entry["code"]]))
    )
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]
    # The site checklist of the acceptance: the items to check on site or by interview.
    checklist = reviewer.get(reverse("review:inspection", args=[panel.pk, unit.application.pk]))
    assert checklist.status_code == 200
    assert "现场检查" in page(checklist)
    # The expert scores the item with the unit's citation.
    item, answer = next(
        (i, a) for i, a in submission.snapshot["answers"].items() if a.get("evidence")
    )
    saved = reviewer.post(
        reverse("review:save_item", args=[assignment.pk, item]),
        answer_form_fields(answer) | {"version": "1"},
    )
    assert saved.status_code == 302


def test_the_sign_in_page_links_the_public_list_of_named_units(client: object) -> None:
    shown = page(client.get(reverse("login")))  # type: ignore[attr-defined]
    assert reverse("acceptance:named") in shown
