"""Two experts on one panel (issue 11, the permission matrix extended): until the second expert
submits, no page, export, id or JSON answer shows them anything of the first expert's scores or
comments; after submitting, exactly what the round's setting allows.

Three experts score the same recommended application: 张明 (A) submits scores with a comment
and a reason no one else writes and an item-10 mark (0.5 of 3) that makes his main total his
own; 陈华 (B) has a draft; 刘洋 (C) has not started. B then walks every review URL with every
id of the panel, A's assignment included, and every document URL of the application. Each
answer is searched (exports unpacked) for A's texts and A's main total; each refusal must be a
logged 404.
The same texts are shown to be findable once the setting lets B see the panel, so their absence
before means something.
"""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from lowcarbon.core.messages import format_points
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.review.actions import do_save_review_settings
from lowcarbon.web.review.models import Assignment, AssignmentStatus, ExpertReviewRevision

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

A_COMMENT = "张明专家独有意见：跳蚤市场台账缺少2025年第三季度记录。"
A_REASON = "张明专家独有理由：仅见两次活动照片。"
DENIED = "permission denied"


@pytest.fixture
def panel_of_three(admin_user: User, users: dict[str, User]) -> dict[str, Any]:
    round_ = make_round(admin_user)
    application, _submission = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    experts = [
        make_expert(admin_user, "expert_a", "张明"),
        make_expert(admin_user, "expert_b", "陈华"),
        make_expert(admin_user, "expert_c", "刘洋"),
    ]
    panel = make_panel(admin_user, round_, experts)
    first, second, third = assign_all(admin_user, panel, application, experts)
    agree(first)
    save(
        first,
        "10",
        {"points": "0.5", "reason": A_REASON, "evidence": ["E01"], "comment": A_COMMENT},
    )
    submit(first)
    agree(second)
    a_main = ExpertReviewRevision.objects.get(review__assignment=first).main_points
    return {
        "admin": admin_user,
        "round": round_,
        "application": application,
        "panel": panel,
        "first": first,
        "second": second,
        "third": third,
        "a_main": format_points(a_main),
    }


def text_of(response: HttpResponse) -> str:
    """Everything a response carries, as text: an Office file or archive unpacked part by
    part (the XML of a workbook or document), any other body decoded."""
    body = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content
    )
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return body.decode("utf-8", "replace")


def requests_of(world: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], int]]:
    """(method, URL, posted data, expected status) for B before submitting."""
    a, b = world["first"].pk, world["second"].pk
    panel, application = world["panel"].pk, world["application"].pk
    round_ = world["round"].pk
    result = reverse("review:result", args=[panel, application])
    rows: list[tuple[str, str, dict[str, Any], int]] = [
        ("get", reverse("review:tasks"), {}, 200),
        ("get", reverse("review:workspace", args=[b]), {}, 200),
        ("get", reverse("review:evidence", args=[b, "E01"]), {}, 200),
        ("get", reverse("review:inspection", args=[panel, application]), {}, 200),
        # B's own scoring, refused and accepted: the re-rendered page shows B's own work only.
        ("post", reverse("review:save_item", args=[b, "10"]), {"points": "99", "version": 0}, 400),
        ("post", reverse("review:revise", args=[b, "10"]), {"revision_reason": "x"}, 400),
        ("post", reverse("review:submit", args=[b]), {"version": 0}, 400),
        ("get", reverse("review:expert_sheet", args=[b, "xlsx"]), {}, 302),
        # A's assignment by its id: every view answers as if it did not exist.
        ("get", reverse("review:workspace", args=[a]), {}, 404),
        ("post", reverse("review:workspace", args=[a]), {}, 404),
        ("get", reverse("review:evidence", args=[a, "E01"]), {}, 404),
        ("post", reverse("review:save_item", args=[a, "10"]), {"points": "3"}, 404),
        ("post", reverse("review:revise", args=[a, "10"]), {"revision_reason": "x"}, 404),
        ("post", reverse("review:submit", args=[a]), {}, 404),
        ("get", reverse("review:declare_conflict", args=[a]), {}, 404),
        ("post", reverse("review:reopen", args=[a]), {"reason": "x"}, 404),
        *(("get", reverse("review:expert_sheet", args=[a, fmt]), {}, 404) for fmt in FORMATS),
        # The panel's scores, discussion, ranking and sheets.
        ("get", result, {}, 404),
        ("post", result, {"text": "我想看看。"}, 404),
        ("get", reverse("review:panel", args=[panel]), {}, 404),
        ("get", reverse("review:ranking", args=[round_, "community"]), {}, 404),
        *(
            ("get", reverse("review:result_sheet", args=[round_, "community", fmt]), {}, 404)
            for fmt in FORMATS
        ),
        (
            "get",
            reverse("review:result_sheet", args=[round_, "community", "xlsx"]) + "?anonymous=1",
            {},
            404,
        ),
        ("get", reverse("review:settings", args=[round_]), {}, 404),
        ("get", reverse("review:decision", args=[application]), {}, 404),
        # The application's documents, the progress of a document as JSON included.
        ("get", reverse("documents:list", args=[application]), {}, 404),
        ("get", reverse("documents:status", args=[application]), {}, 404),
        ("post", reverse("documents:request", args=[application]), {"kind": "score_sheet"}, 404),
    ]
    return rows


FORMATS = ("xlsx", "pdf", "docx")


def secrets(world: dict[str, Any]) -> tuple[str, ...]:
    return (A_COMMENT, A_REASON, world["a_main"])


def test_the_second_expert_sees_nothing_of_the_first_before_submitting(
    panel_of_three: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    world = panel_of_three
    b = signed_in(User.objects.get(username="expert_b"))
    # A's main total is his own: B's page (the applicant's claim, B's draft) never shows it.
    own_page = text_of(b.get(reverse("review:workspace", args=[world["second"].pk])))
    assert world["a_main"] not in own_page
    refused = []
    with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
        for method, url, data, expected in requests_of(world):
            response = getattr(b, method)(url, data)
            assert response.status_code == expected, (method, url, response.status_code)
            body = text_of(response)
            for secret in secrets(world):
                assert secret not in body, (method, url, secret)
            if expected == 404:
                refused.append(url)
    denied = [r.getMessage() for r in caplog.records if DENIED in r.getMessage()]
    assert all("expert_b" in line for line in denied)
    assert len(denied) >= len(refused)
    assert any(f"review assignment {world['first'].pk}" in line for line in denied)
    assert any(
        f"panel {world['panel'].pk} scores of application {world['application'].pk}" in line
        for line in denied
    )
    # Nothing B did changed A's scores, and B is still a draft.
    first = Assignment.objects.get(pk=world["first"].pk)
    assert first.review.answers["10"]["comment"] == A_COMMENT
    assert Assignment.objects.get(pk=world["second"].pk).status == AssignmentStatus.SCORING


def _visible_to(client: Client, world: dict[str, Any]) -> tuple[int, str]:
    response = client.get(
        reverse("review:result", args=[world["panel"].pk, world["application"].pk])
    )
    return response.status_code, text_of(response)


def test_after_submitting_the_round_setting_decides_what_the_second_sees(
    panel_of_three: dict[str, Any],
) -> None:
    world = panel_of_three
    b = signed_in(User.objects.get(username="expert_b"))
    c = signed_in(User.objects.get(username="expert_c"))
    submit(world["second"])
    # Default: after every active expert submitted. C has not, so B still sees nothing of A.
    assert _visible_to(b, world)[0] == 404
    for fmt in FORMATS:
        own_sheet = b.get(reverse("review:expert_sheet", args=[world["second"].pk, fmt]))
        assert own_sheet.status_code == 200, fmt
        sheet = text_of(own_sheet)
        for secret in secrets(world):
            assert secret not in sheet, (fmt, secret)
    workspace = text_of(b.get(reverse("review:workspace", args=[world["second"].pk])))
    result_url = reverse("review:result", args=[world["panel"].pk, world["application"].pk])
    assert f'href="{result_url}"' not in workspace
    for secret in secrets(world):
        assert secret not in workspace
    # The round lets an expert see the panel after their own submission: B sees A's scores, C
    # (who has not submitted) still nothing.
    do_save_review_settings(
        world["round"],
        method="mean",
        item_range_share="0.5",
        total_spread_limit="15",
        panel_visibility="after_own_submitted",
        applicant_visibility="aggregate_and_comments",
        actor=world["admin"],
    )
    status, page = _visible_to(b, world)
    assert status == 200
    for secret in (A_COMMENT, world["a_main"], "张明"):
        assert secret in page
    assert _visible_to(c, world)[0] == 404
    workspace = text_of(b.get(reverse("review:workspace", args=[world["second"].pk])))
    assert f'href="{result_url}"' in workspace
