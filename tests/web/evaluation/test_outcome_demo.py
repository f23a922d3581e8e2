"""On the demo: the community named, the zone's mid-term evaluation decided by the bureau
(继续创建, its creation's own rectification order left open) with its opinion, and the round's
rule edition chosen with a reason until the first decision."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from docx import Document

from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus, RectificationStatus
from lowcarbon.web.evaluation.outcome import do_decide_acceptance, do_set_acceptance_rule, propose
from lowcarbon.web.evaluation.outcome_models import AcceptanceSettings
from lowcarbon.web.rounds.models import Stage

pytestmark = pytest.mark.django_db

MIDTERM = Stage.MIDTERM.value


def problems(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_the_zone_mid_term_evaluation_and_the_round_rule(demo: None) -> None:
    admin = User.objects.get(username="demo-admin")
    zone = CreationUnit.objects.get(application__unit__name="滨江新城低碳发展实践区")
    round_ = zone.application.round
    # The community is named on the public list already.
    public = Client().get("/acceptance/named/").content.decode()
    assert "枫林湾社区" in public
    assert "2024" in public
    # The community's decision settled its pair; the zone's mid-term pair is still open.
    assert AcceptanceSettings.objects.get(round=round_).editions == {"community/final": "2026"}
    version = AcceptanceSettings.objects.get(round=round_).version
    found = problems(
        lambda: do_set_acceptance_rule(
            round_,
            "zone",
            MIDTERM,
            edition="1999",
            reason="",
            expected_version=version,
            actor=admin,
        )
    )
    assert "1999" in found["edition"][0]
    assert "理由" in found["reason"][0]
    do_set_acceptance_rule(
        round_,
        "zone",
        MIDTERM,
        edition="2026",
        reason="沿用当年规则。",
        expected_version=version,
        actor=admin,
    )
    assert AuditEvent.objects.filter(action="acceptance_rule_set").count() == 1
    assert AcceptanceSettings.objects.get(round=round_).editions["zone/midterm"] == "2026"
    # The community's pair cannot change after its decision.
    stored = AcceptanceSettings.objects.get(round=round_)
    assert "认定" in " ".join(
        problems(
            lambda: do_set_acceptance_rule(
                round_,
                "community",
                "final",
                edition="2026",
                reason="改用。",
                expected_version=stored.version,
                actor=admin,
            )
        )["__all__"]
    )
    # The bureau decides the zone's mid-term evaluation on its page.
    proposal = propose(zone, MIDTERM)
    assert proposal.outcome == "passed"
    open_order = zone.rectifications.get(status=RectificationStatus.OPEN)
    bureau = Client()
    bureau.force_login(admin)
    page = bureau.get(f"/acceptance/rounds/{round_.pk}/zone/midterm/")
    assert "滨江新城低碳发展实践区" in page.content.decode()
    decision = do_decide_acceptance(
        zone,
        MIDTERM,
        panel=proposal.panel,  # type: ignore[arg-type]
        reasons="中期评估得分达到要求。",
        improvements=[],
        opinion="创建工作按计划推进。",
        expected_version=zone.version,
        actor=admin,
    )
    zone.refresh_from_db()
    assert zone.status == LifecycleStatus.IN_CREATION
    open_order.refresh_from_db()
    assert open_order.status == RectificationStatus.OPEN
    # A mid-term outcome is seen by the zone once decided: no naming.
    binjiang = Client()
    binjiang.force_login(User.objects.get(username="demo-binjiang"))
    download = binjiang.get(f"/acceptance/decisions/{decision.pk}/opinion.docx")
    assert download.status_code == 200
    document = Document(io.BytesIO(download.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "中期评估意见" in text
    assert "继续创建" in text
