"""A submission freezes the application's task records, and the task list made from the frozen
snapshot reads them: a task's responsible unit typed in the task editor is the one listed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lowcarbon.rules.snapshot import snapshot_from_data
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.submission import do_submit, frozen_snapshot
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.creation.filing_content import task_rows

from .test_baseline import imported
from .test_submission import (
    ATTACHED,
    application,
    attach,
    current_round,
    example_answers,
    fill_outline,
)
from .test_tasks import form_data

pytestmark = pytest.mark.django_db

__all__ = ["application", "current_round"]  # fixtures used here


def test_a_submission_freezes_the_task_records_and_its_task_list_reads_them(
    application: Application, applicant: User
) -> None:
    application = fill_outline(application, applicant)
    for code in ATTACHED:
        attach(application, applicant, code, b"%PDF-1.4 " + code.encode() + b" evidence")
    Application.objects.filter(pk=application.pk).update(answers=example_answers())
    application.refresh_from_db()
    application = imported(application, applicant, "community")
    imported_codes = set(
        ApplicationTask.objects.filter(application=application).values_list("code", flat=True)
    )
    assert imported_codes
    # A task that is not a key project, its responsible unit typed in the editor.
    client = Client()
    client.force_login(applicant)
    data = form_data(responsible="田林十二村物业", content="楼道照明更换为LED灯具")
    del data["key_project"]
    response = client.post(reverse("applications:task_add", args=[application.pk]), data)
    assert response.status_code == 302
    added = ApplicationTask.objects.get(application=application, code="T01")
    assert not added.key_project
    application.refresh_from_db()

    submission = do_submit(application, actor=applicant)

    snapshot = frozen_snapshot(submission)
    assert snapshot.tasks is not None
    assert {t.code for t in snapshot.tasks} == imported_codes | {"T01"}
    record = next(t for t in snapshot.tasks if t.code == "T01")
    assert (record.responsible, record.content, record.end_year) == (
        "田林十二村物业",
        "楼道照明更换为LED灯具",
        2026,
    )
    assert record.budget_10k_yuan == Decimal("35.50")
    assert not record.key_project
    assert submission.snapshot["tasks"][-1]["budget_10k_yuan"] == "35.50"
    # The stored snapshot reads back to the hash stored beside it.
    assert snapshot_from_data(submission.snapshot) == snapshot

    # Later changes to the records do not reach the frozen submission.
    ApplicationTask.objects.filter(pk=added.pk).update(responsible="别的单位")
    rows = {row["task_id"]: row for row in task_rows(submission.snapshot)}
    assert rows["T01"]["responsible"] == "田林十二村物业"
    assert rows["T01"]["content"] == "楼道照明更换为LED灯具"
    assert rows["T01"]["deadline"] == "2026年"
    assert not rows["T01"]["key_project"]
    # The imported tasks name no responsible unit: the applicant unit is.
    others = [rows[code]["responsible"] for code in imported_codes]
    assert set(others) == {application.unit.name}
