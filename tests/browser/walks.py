"""What the walks of the creation stage and of its evaluation share: the clock they move, a
unit selected into creation through the real actions, database calls from outside Playwright's
thread, signing in anew."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, expect

from lowcarbon.core.activity import Domain
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.review.actions import (
    do_decide,
    do_form_panel,
    do_publish_decisions,
    do_save_review,
)

from ..web.creation.support import decide_and_publish, shanghai, unit_of
from ..web.review_support import (
    assign_all,
    make_expert,
    make_unit,
    recommended_application,
)
from ..web.test_review_actions import form_of, submit
from .conftest import PASSWORD

ZONE_ANSWERS = Path(__file__).resolve().parents[2] / "examples" / "zone" / "answers.yaml"


class Clock:
    """What ``timezone.now()`` answers while the walk runs."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def set(self, *parts: int) -> datetime:
        self.current = shanghai(*parts)
        return self.current

    def __call__(self) -> datetime:
        return self.current


@dataclass
class Selected:
    unit: CreationUnit
    application: Application
    applicant: str
    officer: str


def selected_unit(
    admin: User, round_: Any, district: str, name: str, kind: str, expert: str
) -> Selected:
    _org, person, officer = make_unit(admin, district, name)
    application, _ = recommended_application(round_, person, officer, kind=kind)
    # The task record the unit tracks (the application's task list, kept as records).
    ApplicationTask.objects.create(
        application=application,
        code="T01",
        name="既有住宅节能改造",
        domain=Domain.BUILDINGS.value,
        start_year=2024,
        end_year=2026,
    )
    if kind == "community":
        decide_and_publish(admin, round_, [(application, "selected")], expert)
    else:  # the shared helper forms a community panel; a zone needs a zone panel
        scorer = make_expert(admin, expert)
        panel = do_form_panel(
            round_=round_,
            kind=kind,
            name=f"{expert}组",
            deadline=timezone.localdate() + timedelta(days=20),
            members=[scorer],
            actor=admin,
        )
        [assignment] = assign_all(admin, panel, application, [scorer])
        # The expert scores the zone by the zone example's answers (the application's own
        # answers are the community example's, which the zone rubric does not know).
        items = yaml.safe_load((ZONE_ANSWERS).read_text(encoding="utf-8"))["items"]
        for item_id, answer in items.items():
            plain = {k: v for k, v in answer.items() if k != "evidence"}
            plain["comment"] = "按实践区示例材料评分。"
            assignment.refresh_from_db()
            do_save_review(
                assignment,
                str(item_id),
                form_of(plain),
                expected_version=assignment.review.version,
                actor=scorer,
            )
        submit(assignment)
        do_decide(application, outcome="selected", reasons="综合评估结果。", actor=admin)
        do_publish_decisions(round_, actor=admin)
    return Selected(unit_of(application), application, person.username, officer.username)


def in_thread(call: Callable[[], Any]) -> Any:
    """Run a database call outside Playwright's thread, as another process would."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as error:  # re-raised in the test's thread
            failure.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result[0]


def sign_in_as(
    page: Page, site: str, username: str, password: str = PASSWORD, lands_on: str = "我的工作台"
) -> None:
    """A new sign-in (the clock may have moved past the last session's age). A resident lands
    on their household's ledger, not the workbench."""
    page.context.clear_cookies()
    page.goto(site + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=lands_on)).to_be_visible()
