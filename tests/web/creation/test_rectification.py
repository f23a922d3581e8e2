"""Rectification orders (整改通知): issued by the unit's district or the bureau, answered item by
item with evidence by the unit, submitted, returned for another round and closed; the unit's
status goes to 整改中 and back; refusals, the audit trail, to-dos against a set clock, pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.actions import do_change_unit_status
from lowcarbon.web.creation.duties import DutyState, rectification_todos_for
from lowcarbon.web.creation.models import (
    CreationUnit,
    LifecycleStatus,
    RectificationAnswer,
    RectificationFile,
    RectificationOrder,
    RectificationStatus,
)
from lowcarbon.web.creation.rectification import (
    ItemInput,
    do_answer_rectification_item,
    do_close_rectification,
    do_issue_rectification,
    do_return_rectification,
    do_submit_rectification,
)

from ..review_support import signed_in
from .conftest import Batch
from .support import shanghai

pytestmark = pytest.mark.django_db

NOW = shanghai(2100, 3, 1, 9, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ITEMS = [
    ItemInput("2100年度工作计划逾期未报。", "十日内报送年度工作计划。", "创建工作方案"),
    ItemInput("缺少监测数据。", "补报2099年能耗监测数据。"),
]


@pytest.fixture
def unit(batch: Batch, admin_user: User) -> CreationUnit:
    """田林十二村社区 (徐汇区), in creation."""
    return do_change_unit_status(
        batch.unit,
        target=LifecycleStatus.IN_CREATION,
        reason="实施方案已报送。",
        expected_version=batch.unit.version,
        actor=admin_user,
    )


def issue(unit: CreationUnit, actor: User, **overrides: object) -> RectificationOrder:
    arguments: dict[str, object] = {
        "items": ITEMS,
        "deadline": date(2100, 3, 31),
        "expected_version": unit.version,
        "actor": actor,
        "now": NOW,
    } | overrides
    return do_issue_rectification(unit, **arguments)  # type: ignore[arg-type]


def answer(order: RectificationOrder, number: int, actor: User, text: str = "已完成。") -> None:
    order.refresh_from_db()
    item = order.items.get(number=number)
    do_answer_rectification_item(
        item, text=text, expected_version=order.version, actor=actor, now=NOW
    )


def refused(call: object) -> str:
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    return " ".join(m for ms in caught.value.message_dict.values() for m in ms)


def test_the_whole_cycle_moves_the_unit_to_rectification_and_back(
    unit: CreationUnit, officer: User, applicant: User
) -> None:
    order = issue(unit, officer)
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.RECTIFICATION
    assert order.previous_status == LifecycleStatus.IN_CREATION
    assert [i.number for i in order.items.all()] == [1, 2]
    assert order.due_at == shanghai(2100, 3, 31, 23, 59, 59)

    answer(order, 1, applicant, "已报送年度工作计划。")
    order.refresh_from_db()
    upload = SimpleUploadedFile("监测数据.png", PNG)
    do_answer_rectification_item(
        order.items.get(number=2),
        text="已补报监测数据。",
        files=[upload],
        expected_version=order.version,
        actor=applicant,
        now=NOW,
    )
    stored = RectificationFile.objects.get()
    assert stored.content_kind == "png"
    assert stored.file.name.endswith(stored.sha256)
    order.refresh_from_db()
    do_submit_rectification(order, expected_version=order.version, actor=applicant, now=NOW)
    order.refresh_from_db()
    assert order.status == RectificationStatus.ANSWERED
    # Submitted answers are frozen.
    assert "只有待答复或退回" in refused(lambda: answer(order, 1, applicant, "改一下。"))
    assert RectificationAnswer.objects.get(item__number=1).text == "已报送年度工作计划。"

    do_return_rectification(
        order,
        comment="监测数据不完整。",
        item_comments={2: "缺少十二月数据。"},
        deadline=date(2100, 4, 15),
        expected_version=order.version,
        actor=officer,
        now=NOW,
    )
    order.refresh_from_db()
    assert order.status == RectificationStatus.RETURNED
    assert order.round_number == 2
    assert order.deadline == date(2100, 4, 15)
    assert order.returns[0]["previous_deadline"] == "2100-03-31"
    first = RectificationAnswer.objects.get(item__number=2, round_number=1)
    assert first.return_comment == "缺少十二月数据。"

    answer(order, 1, applicant, "年度工作计划已确认。")
    answer(order, 2, applicant, "已补充十二月数据。")
    order.refresh_from_db()
    do_submit_rectification(order, expected_version=order.version, actor=applicant, now=NOW)
    # The earlier round's answers are kept beside the new ones.
    assert RectificationAnswer.objects.filter(item__order=order).count() == 4
    order.refresh_from_db()
    do_close_rectification(
        order, reason="整改到位。", expected_version=order.version, actor=officer, now=NOW
    )
    order.refresh_from_db()
    unit.refresh_from_db()
    assert order.status == RectificationStatus.CLOSED
    assert order.close_reason == "整改到位。"
    assert unit.status == LifecycleStatus.IN_CREATION

    actions = list(
        AuditEvent.objects.filter(action__startswith="creation_rectification")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "creation_rectification_issued",
        "creation_rectification_answered",
        "creation_rectification_answered",
        "creation_rectification_submitted",
        "creation_rectification_returned",
        "creation_rectification_answered",
        "creation_rectification_answered",
        "creation_rectification_submitted",
        "creation_rectification_closed",
    ]
    issued = AuditEvent.objects.get(action="creation_rectification_issued")
    assert issued.before == {"status": "in_creation"}
    assert issued.after["status"] == "rectification"
    assert issued.after["due_at"] == "2100-03-31T23:59:59+08:00"
    closed = AuditEvent.objects.get(action="creation_rectification_closed")
    assert closed.reason == "整改到位。"
    assert closed.after["unit_status"] == "in_creation"


def test_the_bureau_issues_too_and_the_unit_returns_to_its_own_status(
    unit: CreationUnit, admin_user: User, officer: User
) -> None:
    unit = do_change_unit_status(
        unit,
        target=LifecycleStatus.PRE_ACCEPTANCE,
        reason="自评报告已报送。",
        expected_version=unit.version,
        actor=officer,
    )
    order = issue(unit, admin_user)
    do_close_rectification(
        order, reason="误发。", expected_version=order.version, actor=admin_user, now=NOW
    )
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.PRE_ACCEPTANCE


def test_refusals(batch: Batch, unit: CreationUnit, users: dict[str, User], officer: User) -> None:
    applicant = users[Role.APPLICANT]
    expert = users[Role.EXPERT]
    for who in (applicant, expert, batch.other_officer):
        assert "区" in refused(lambda who=who: issue(unit, who))
    assert "至少" in refused(lambda: issue(unit, officer, items=[ItemInput("", "")]))
    assert "要求" in refused(lambda: issue(unit, officer, items=[ItemInput("问题", "")]))
    assert "2100-02-28" in refused(lambda: issue(unit, officer, deadline=date(2100, 2, 28)))
    assert "刷新" in refused(lambda: issue(unit, officer, expected_version=unit.version - 1))
    assert not RectificationOrder.objects.exists()
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.IN_CREATION

    order = issue(unit, officer)
    unit.refresh_from_db()
    assert "尚未关闭" in refused(lambda: issue(unit, officer))
    # Answers: the unit's own people, with text.
    assert "本单位" in refused(lambda: answer(order, 1, officer))
    assert "本单位" in refused(lambda: answer(order, 1, batch.other_applicant))
    assert "填写" in refused(lambda: answer(order, 1, applicant, "  "))
    bad = SimpleUploadedFile("计划.pdf", PNG)
    order.refresh_from_db()
    message = refused(
        lambda: do_answer_rectification_item(
            order.items.get(number=1),
            text="已完成。",
            files=[bad],
            expected_version=order.version,
            actor=applicant,
            now=NOW,
        )
    )
    assert "计划.pdf" in message
    assert "PNG" in message
    assert not RectificationAnswer.objects.exists()
    answer(order, 1, applicant)
    order.refresh_from_db()
    assert "2" in refused(
        lambda: do_submit_rectification(order, expected_version=order.version, actor=applicant)
    )
    # Closing: the issuer's side, with a reason.
    order.refresh_from_db()
    assert "理由" in refused(
        lambda: do_close_rectification(
            order, reason=" ", expected_version=order.version, actor=officer
        )
    )
    assert "区" in refused(
        lambda: do_close_rectification(
            order, reason="好。", expected_version=order.version, actor=applicant
        )
    )
    assert "提交" in refused(
        lambda: do_return_rectification(
            order,
            comment="再改。",
            item_comments={},
            deadline=date(2100, 4, 1),
            expected_version=order.version,
            actor=officer,
            now=NOW,
        )
    )
    do_close_rectification(order, reason="好。", expected_version=order.version, actor=officer)
    order.refresh_from_db()
    assert "已关闭" in refused(lambda: answer(order, 2, applicant))


def test_stale_versions_are_refused(unit: CreationUnit, officer: User, applicant: User) -> None:
    order = issue(unit, officer)
    stale = order.version
    answer(order, 1, applicant)
    assert "刷新" in refused(
        lambda: do_answer_rectification_item(
            order.items.get(number=2),
            text="已完成。",
            expected_version=stale,
            actor=applicant,
        )
    )


def test_returning_needs_a_comment_and_a_future_deadline(
    unit: CreationUnit, officer: User, applicant: User
) -> None:
    order = issue(unit, officer)
    answer(order, 1, applicant)
    answer(order, 2, applicant)
    order.refresh_from_db()
    do_submit_rectification(order, expected_version=order.version, actor=applicant, now=NOW)
    order.refresh_from_db()

    def back(**overrides: object) -> str:
        arguments: dict[str, object] = {
            "comment": "",
            "item_comments": {},
            "deadline": date(2100, 4, 1),
            "expected_version": order.version,
            "actor": officer,
            "now": NOW,
        } | overrides
        return refused(lambda: do_return_rectification(order, **arguments))  # type: ignore[arg-type]

    assert "意见" in back()
    assert "3" in back(item_comments={3: "无此项。"})
    assert "2100-02-01" in back(comment="再改。", deadline=date(2100, 2, 1))
    order.refresh_from_db()
    assert order.status == RectificationStatus.ANSWERED


def test_to_dos_against_the_given_clock(
    batch: Batch, unit: CreationUnit, officer: User, applicant: User, admin_user: User
) -> None:
    order = issue(unit, officer)
    [mine] = rectification_todos_for(applicant, NOW)
    assert mine.order == order
    assert mine.state == DutyState.DUE
    assert mine.due_at == shanghai(2100, 3, 31, 23, 59, 59)
    [late] = rectification_todos_for(applicant, shanghai(2100, 4, 1, 0, 0))
    assert late.state == DutyState.OVERDUE
    assert rectification_todos_for(applicant, shanghai(2100, 3, 31, 23, 59, 59))[0].state == (
        DutyState.DUE
    )
    assert rectification_todos_for(officer, NOW) == []
    assert rectification_todos_for(batch.other_applicant, NOW) == []
    answer(order, 1, applicant)
    answer(order, 2, applicant)
    order.refresh_from_db()
    do_submit_rectification(order, expected_version=order.version, actor=applicant, now=NOW)
    assert rectification_todos_for(applicant, NOW) == []
    [review] = rectification_todos_for(officer, NOW)
    assert review.state == DutyState.REVIEW
    # The district issued it: the bureau is not asked, nor the other district.
    assert rectification_todos_for(admin_user, NOW) == []
    assert rectification_todos_for(batch.other_officer, NOW) == []


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["整改通知", "发现的问题", "整改要求", "整改中", "第 1 轮", "保存答复"]),
        ("en", ["Rectification order", "Problem found", "What is required", "Save the answer"]),
    ],
)
def test_the_pages_in_chinese_and_english(
    unit: CreationUnit, officer: User, applicant: User, language: str, words: list[str]
) -> None:
    order = issue(unit, officer, deadline=date(2099, 12, 31), now=shanghai(2099, 1, 1, 9, 0))
    answer(order, 1, applicant, "已报送。")
    seen = ""
    for who, urls in (
        (
            applicant,
            [
                reverse("creation:unit", kwargs={"pk": unit.pk}),
                reverse("creation:rectification", kwargs={"pk": order.pk}),
                reverse("creation:todos"),
            ],
        ),
        (
            officer,
            [
                reverse("creation:rectification_issue", kwargs={"pk": unit.pk}),
                reverse("creation:rectification_close", kwargs={"pk": order.pk}),
                reverse("creation:rectification_return", kwargs={"pk": order.pk}),
            ],
        ),
    ):
        client = signed_in(who)
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            seen += response.content.decode()
    for word in words:
        assert word in seen, word


def test_the_forms_through_the_views(unit: CreationUnit, officer: User, applicant: User) -> None:
    client = signed_in(officer)
    url = reverse("creation:rectification_issue", kwargs={"pk": unit.pk})
    unit_page = reverse("creation:unit", kwargs={"pk": unit.pk})
    assert url in client.get(unit_page).content.decode()
    empty = client.post(url, {"deadline": "2099-12-31", "version": unit.version})
    assert empty.status_code == 200
    assert "至少" in empty.content.decode()
    response = client.post(
        url,
        {
            "deadline": "2099-12-31",
            "version": unit.version,
            "problem_1": "年度工作计划逾期。",
            "requirement_1": "尽快报送。",
        },
    )
    order = RectificationOrder.objects.get()
    assert url not in client.get(unit_page).content.decode()  # one order at a time
    assert response["Location"] == reverse("creation:rectification", kwargs={"pk": order.pk})

    mine = signed_in(applicant)
    answer_url = reverse("creation:rectification_answer", kwargs={"pk": order.pk, "number": 1})
    mine.post(
        answer_url,
        {
            "item1-text": "已报送。",
            "item1-version": order.version,
            "item1-files": SimpleUploadedFile("证明.png", PNG),
        },
    )
    saved = RectificationAnswer.objects.get()
    assert saved.text == "已报送。"
    [stored] = saved.files.all()
    download = mine.get(reverse("creation:rectification_file", kwargs={"pk": stored.pk}))
    assert b"".join(download.streaming_content) == PNG
    order.refresh_from_db()
    mine.post(
        reverse("creation:rectification_submit", kwargs={"pk": order.pk}),
        {"version": order.version},
    )
    order.refresh_from_db()
    assert order.status == RectificationStatus.ANSWERED

    close_url = reverse("creation:rectification_close", kwargs={"pk": order.pk})
    no_reason = client.post(close_url, {"reason": "", "version": order.version})
    assert no_reason.status_code == 200
    client.post(close_url, {"reason": "已整改。", "version": order.version})
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.IN_CREATION
    page = client.get(reverse("creation:unit", kwargs={"pk": unit.pk})).content.decode()
    assert "整改通知已关闭" in page  # the history


def test_an_order_of_the_bureau_waits_for_the_bureau(
    unit: CreationUnit, officer: User, applicant: User, admin_user: User
) -> None:
    order = issue(unit, admin_user)
    answer(order, 1, applicant)
    answer(order, 2, applicant)
    order.refresh_from_db()
    do_submit_rectification(order, expected_version=order.version, actor=applicant, now=NOW)
    [review] = rectification_todos_for(admin_user, NOW)
    assert review.order == order
    assert review.state == DutyState.REVIEW
    assert rectification_todos_for(officer, NOW) == []
    # The district may still close it: it is on the issuer's side of its own unit.
    order.refresh_from_db()
    do_close_rectification(
        order, reason="整改到位。", expected_version=order.version, actor=officer, now=NOW
    )
    assert rectification_todos_for(admin_user, NOW) == []


def test_the_pages_of_another_district_and_of_experts_are_refused(
    batch: Batch, unit: CreationUnit, officer: User, users: dict[str, User]
) -> None:
    order = issue(unit, officer)
    for who in (batch.other_officer, batch.other_applicant, users[Role.EXPERT]):
        client = signed_in(who)
        page = reverse("creation:rectification", kwargs={"pk": order.pk})
        assert client.get(page).status_code == 404
        issue_page = reverse("creation:rectification_issue", kwargs={"pk": unit.pk})
        assert client.get(issue_page).status_code == 404
    mine = signed_in(users[Role.APPLICANT])
    close = reverse("creation:rectification_close", kwargs={"pk": order.pk})
    assert mine.post(close, {"reason": "好。", "version": order.version}).status_code == 403
    order.refresh_from_db()
    assert order.status == RectificationStatus.OPEN
