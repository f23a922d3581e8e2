"""The bureau's acceptance page, its forms and downloads, the public list of named units and the
outcome on the unit's own page, through the real views."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision, AcceptanceSettings
from lowcarbon.web.rounds.models import Stage

from ..review_support import make_unit, signed_in
from .test_outcome import experts, panel_scores_report, reported  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

FINAL = Stage.FINAL.value


def page_of(unit: CreationUnit) -> str:
    return f"/acceptance/rounds/{unit.application.round_id}/community/final/"


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


def test_decide_on_the_page_publish_and_the_unit_sees_its_outcome(
    unit: CreationUnit,
    reported: Any,  # noqa: F811
    admin_user: User,
    applicant: User,
    users: dict[str, User],
    experts: list[User],  # noqa: F811
) -> None:
    panel = panel_scores_report(unit, admin_user, reported, "验收组", experts)
    bureau = signed_in(admin_user)
    name = unit.application.unit.name
    page = bureau.get(page_of(unit))
    assert page.status_code == 200
    text = page.content.decode()
    assert name in text
    assert "按规则得出的结果" in text
    assert "通过线" in text  # the rule's explanation, in Chinese
    unit.refresh_from_db()
    # A form without reasons decides nothing and says why.
    answer = bureau.post(
        f"/acceptance/units/{unit.pk}/final/decide/",
        {"panel": panel.pk, "version": unit.version, "reasons": ""},
        follow=True,
    )
    assert "认定理由" in answer.content.decode()
    assert not AcceptanceDecision.objects.exists()
    answer = bureau.post(
        f"/acceptance/units/{unit.pk}/final/decide/",
        {
            "panel": panel.pk,
            "version": unit.version,
            "reasons": "评分完整，达到通过线。",
            "opinion": "档案齐全，工作扎实。",
        },
    )
    assert answer.status_code == 302
    decision = AcceptanceDecision.objects.get()
    assert decision.outcome == "passed"
    assert decision.decided_by == admin_user
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.ACCEPTED
    # The rule edition is settled for the round; it cannot change any more.
    assert AcceptanceSettings.objects.get().editions == {"community/final": "2026"}
    settings = AcceptanceSettings.objects.get()
    bureau.post(
        f"/acceptance/rounds/{unit.application.round_id}/community/final/rule/",
        {"edition": "2026", "reason": "沿用。", "version": settings.version},
    )
    assert AcceptanceSettings.objects.get().version == settings.version
    # The result sheet: the unit, its outcome, the method saying where the application score
    # comes from.
    sheet = bureau.get(
        f"/acceptance/rounds/{unit.application.round_id}/community/final/results.xlsx"
    )
    assert sheet.status_code == 200
    cells = [str(c.value) for row in load_workbook(io.BytesIO(sheet.content)).active for c in row]
    assert name in cells
    assert any("通过" in c for c in cells)
    assert any("自评分" in c for c in cells)
    # Before the naming the unit does not see a final outcome.
    own = signed_in(applicant)
    opinion = f"/acceptance/decisions/{decision.pk}/opinion.docx"
    assert own.get(opinion).status_code == 404
    assert "验收意见" not in own.get(f"/creation/units/{unit.pk}/").content.decode()
    assert bureau.post(f"/acceptance/rounds/{unit.application.round_id}/community/publish/")
    decision.refresh_from_db()
    assert decision.published_at is not None
    public = signed_in(applicant).get("/acceptance/named/").content.decode()
    assert name in public
    # The unit's page shows the outcome and its opinion; the opinion names every member.
    unit_page = own.get(f"/creation/units/{unit.pk}/").content.decode()
    assert opinion in unit_page
    download = own.get(opinion)
    assert download.status_code == 200
    text = docx_text(download.content)
    assert name in text
    for expert in experts:
        assert expert.get_full_name() in text
    # Another unit's people and experts never see it.
    _org, other_applicant, other_officer = make_unit(admin_user, "黄浦区", "南京东路社区")
    assert signed_in(other_applicant).get(opinion).status_code == 404
    assert signed_in(other_officer).get(opinion).status_code == 404
    assert signed_in(experts[0]).get(opinion).status_code == 404
    assert signed_in(users[Role.DISTRICT_OFFICER]).get(opinion).status_code == 200


def test_the_public_list_needs_no_account(client: Any) -> None:
    page = client.get("/acceptance/named/")
    assert page.status_code == 200
    assert "尚无命名单位" in page.content.decode()
