"""The demo's 2024 batch: a community and a zone in creation, reached through the real
actions, with an extension and an overdue item against the day the demo is loaded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lowcarbon.web.accounts.models import User
from lowcarbon.web.creation.duties import DutyState, todos_for, unit_duties
from lowcarbon.web.creation.models import CreationUnit, Extension, LifecycleStatus
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision
from lowcarbon.web.review.models import Decision
from lowcarbon.web.rounds.models import Round

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_2024_batch_in_creation(demo: None) -> None:
    round_ = Round.objects.get(year=2024)
    assert (
        Decision.objects.filter(application__round=round_, published_at__isnull=False).count() == 2
    )
    units = {
        u.application.unit.name: u for u in CreationUnit.objects.select_related("application__unit")
    }
    assert set(units) == {"枫林湾社区", "滨江新城低碳发展实践区"}
    # The community's acceptance was decided as passed on its panel's scores and named.
    assert units["枫林湾社区"].status == LifecycleStatus.ACCEPTED
    named = AcceptanceDecision.objects.get(unit=units["枫林湾社区"])
    assert (named.outcome, named.published_at is not None) == ("passed", True)
    # The zone's mid-term report was submitted while its rectification order is open.
    assert units["滨江新城低碳发展实践区"].status == LifecycleStatus.MIDTERM_EVALUATION
    now = timezone.now()
    community = unit_duties(units["枫林湾社区"], now)
    assert any(d.extended and d.state != DutyState.OVERDUE for d in community)
    assert Extension.objects.filter(unit=units["枫林湾社区"]).count() == 1
    zone = unit_duties(units["滨江新城低碳发展实践区"], now)
    overdue = [d for d in zone if d.state == DutyState.OVERDUE]
    assert [d.item.key for d in overdue] == ["work_plan"]
    # The round keeps a 2024 batch's dates.
    assert round_.submission_deadline.year == 2024


def test_every_role_of_the_demo_sees_the_creation_stage(demo: None) -> None:
    now = timezone.now()
    pudong = User.objects.get(username="demo-pudong")
    assert [d.unit.application.unit.name for d in todos_for(pudong, now)] == [
        "滨江新城低碳发展实践区"
    ]
    assert todos_for(User.objects.get(username="demo-xuhui"), now) == []
    assert len(todos_for(User.objects.get(username="demo-admin"), now)) == 1
    for username in ("demo-fenglin", "demo-binjiang", "demo-xuhui", "demo-admin"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("creation:list")).content.decode()
        statuses = ("创建中", "预验收", "整改中", "中期评估", "验收通过")
        assert any(status in page for status in statuses), username
        assert client.get(reverse("creation:todos")).status_code == 200
    # The demo's existing people keep their drafts of the 2026 round.
    client = Client()
    client.force_login(User.objects.get(username="demo-community"))
    assert "枫林湾社区" not in client.get(reverse("creation:list")).content.decode()


def test_the_demo_zone_has_an_open_rectification_order(demo: None) -> None:
    from lowcarbon.web.creation.duties import rectification_todos_for
    from lowcarbon.web.creation.models import RectificationAnswer, RectificationOrder

    order = RectificationOrder.objects.get()
    assert order.unit.application.unit.name == "滨江新城低碳发展实践区"
    assert order.issued_by.username == "demo-pudong"
    assert order.status == "open"
    assert order.previous_status == LifecycleStatus.IN_CREATION
    assert [i.number for i in order.items.all()] == [1, 2]
    assert "年度工作计划" in order.items.get(number=1).problem
    assert "监测数据" in order.items.get(number=2).problem
    assert [a.item.number for a in RectificationAnswer.objects.all()] == [1]
    now = timezone.now()
    [todo] = rectification_todos_for(User.objects.get(username="demo-binjiang"), now)
    assert todo.order == order
    client = Client()
    client.force_login(User.objects.get(username="demo-binjiang"))
    page = client.get(reverse("creation:rectification", kwargs={"pk": order.pk})).content.decode()
    assert "整改通知" in page
    assert "保存答复" in page


def test_the_demo_reports_are_passed_on_and_scored(demo: None) -> None:
    from lowcarbon.web.applications.models import Submission
    from lowcarbon.web.review.models import Assignment

    reports = Submission.objects.exclude(stage="selection").select_related("application__unit")
    assert {(s.application.unit.name, s.stage, s.district_decision) for s in reports} == {
        ("枫林湾社区", "final", "recommended"),
        ("滨江新城低碳发展实践区", "midterm", "recommended"),
    }
    for report in reports:
        part = report.snapshot["evaluation"]
        assert part["late"] is False
        assert part["report_year"] == 2025
        assert report.snapshot["evidence"], report.application.unit.name
    scored = Assignment.objects.filter(panel__stage__in=["final", "midterm"], status="submitted")
    assert scored.count() == 2
