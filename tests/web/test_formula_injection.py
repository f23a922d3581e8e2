"""No generated spreadsheet carries a formula typed by a person (issue 11, finding 5).

The OWASP payloads go in where people type: the unit's name (the administrator's action), the
plan's task lists, key projects and schedule (the applicant's section saves), the baseline
data's tasks, sources and target notes (the workbook import's action, from the input
dataclass), an expert's name, comments and reasons (the review actions) and the decision's
reasons. Then every export is made the way a user gets it — the task list and the annual work
plan (the background job), the pre-filled accounting workbook (its download), the accounting
report, an expert's score sheet and the round's result sheet (their downloads) — and opened:
no cell is a formula (neither for openpyxl nor in the sheet's XML), every text starting with a
formula character is quote-prefixed, and the text reads back as it was stored.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lowcarbon.core.outline import ElementKind
from lowcarbon.documents.accounting_report import write_accounting_report
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.xlsx_safety import FORMULA_TRIGGERS
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.baseline import do_import_accounting
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import application_outline, is_editable
from lowcarbon.web.applications.tasks import TaskValues, do_add_task
from lowcarbon.web.documents.actions import DRAFT, do_request_document
from lowcarbon.web.documents.models import DocumentKind, DocumentStatus
from lowcarbon.web.review.actions import do_decide, do_form_panel
from lowcarbon.web.rounds.actions import do_open_round

from ..formula_payloads import PAYLOADS
from . import docgen_support
from .conftest import open_round_arguments
from .docgen_support import IMMEDIATE, read
from .review_support import (
    assign_all,
    make_expert,
    make_round,
    make_unit,
    recommended_application,
    signed_in,
)
from .test_review_actions import agree, save, submit

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
P = PAYLOADS


def typed(payload: str) -> str:
    """What the platform keeps of a payload: every text field is stripped when saved."""
    return payload.strip()


# --- reading a workbook -----------------------------------------------------------------------


def cells_of(content: bytes) -> list[Any]:
    """Every cell of every sheet, after checking that no sheet's XML holds a formula."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                xml = archive.read(name)
                assert b"<f>" not in xml, name
                assert b"<f " not in xml, name
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def check(content: bytes, whole: Sequence[str], within: Sequence[str] = ()) -> None:
    """No formula; quote prefix on every text starting with a trigger; each of ``whole`` is a
    cell's entire text and each of ``within`` part of one, as stored."""
    cells = cells_of(content)
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    for cell in texts:
        if cell.value.startswith(FORMULA_TRIGGERS):
            assert cell.quotePrefix, (cell.coordinate, cell.value)
    values = {cell.value for cell in texts}
    for payload in whole:
        assert typed(payload) in values, payload
    for payload in within:
        assert any(typed(payload) in value for value in values), payload


# --- the zone application: plan, baseline data, documents -------------------------------------

UNIT = P[0]  # the unit's name
KEY_PROJECT = {"name": P[1], "content": P[7], "implementer": P[4]}
TASK_NAMES = (P[3], P[5], P[6], P[8], P[13])
LIST_ITEMS = [P[2], P[9], P[12]]
SCHEDULE = {"project": P[1], "stage": P[10], "milestone": P[11]}
RECORD = {"label": P[14], "source": P[6]}
TARGET_NOTE = P[8]
YEAR = 2025


def _fill_zone(application: Application, person: User) -> Application:
    """Every required text and number and the schedule with the payloads, through the section
    saves; the tasks of the lists, the key project and the near-zero-carbon project with the
    payloads, through the tasks' editor (the plan's lists and table are made from them)."""
    for name in LIST_ITEMS:
        do_add_task(
            application, TaskValues(name=name, domain="energy", start_year=2024), actor=person
        )
    do_add_task(
        application,
        TaskValues(
            name=KEY_PROJECT["name"],
            content=KEY_PROJECT["content"],
            responsible=KEY_PROJECT["implementer"],
            domain="buildings",
            start_year=2024,
            end_year=2026,
            key_project=True,
            acts_on=("electricity/commercial_public",),
            stated_reduction_tco2=Decimal(150),
        ),
        actor=person,
    )
    do_add_task(
        application,
        TaskValues(name=P[15], domain="demonstration", start_year=2025, near_zero=True),
        actor=person,
    )
    application.refresh_from_db()
    payloads: dict[str, Any] = {
        "project_schedule": [
            SCHEDULE | {"start_date": f"{YEAR}-01-01", "end_date": f"{YEAR}-12-31"},
        ],
    }
    for section in application_outline(application).iter_sections():
        values: dict[str, Any] = {}
        for element in section.elements:
            if element.id in payloads:
                values[element.id] = payloads[element.id]
            elif not element.required or not is_editable(element):
                continue
            elif element.kind == ElementKind.TEXT:
                values[element.id] = "示例内容。"
            elif element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
                values[element.id] = "12"
            elif element.kind == ElementKind.LIST:
                values[element.id] = ["示例条目"]
        if values:
            application = do_save_section(
                application, section.id, values, expected_version=application.version, actor=person
            )
    return application


def _baseline(application: Application, person: User) -> Application:
    data = load_accounting_file(EXAMPLES / "zone" / "accounting.yaml")
    tasks = list(data.tasks)
    for index, name in enumerate(TASK_NAMES):
        tasks[index] = dataclasses.replace(tasks[index], name=name)
    records = list(data.records)
    records[0] = dataclasses.replace(records[0], **RECORD)
    targets = list(data.targets)
    targets[0] = dataclasses.replace(targets[0], note=TARGET_NOTE)
    data = dataclasses.replace(
        data, tasks=tuple(tasks), records=tuple(records), targets=tuple(targets)
    )
    return do_import_accounting(
        application, data, expected_version=application.accounting_version, actor=person
    )


@pytest.fixture
def zone(admin_user: User, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any) -> Any:
    settings.TASKS = IMMEDIATE
    docgen_support.no_pdf(monkeypatch, tmp_path)
    today = timezone.localdate()
    # The zone example accounts green power: the round needs the set with a green factor.
    round_ = do_open_round(
        **open_round_arguments(
            year=2099,
            submission_deadline=today + timedelta(days=30),
            recommendation_deadline=today + timedelta(days=60),
            review_deadline=today + timedelta(days=90),
            factor_set_id="shanghai-2023-green-power",
        ),
        actor=admin_user,
    )
    unit, person, _officer = make_unit(admin_user, "徐汇区", UNIT)
    assert unit.name == UNIT
    application = do_create_application(round_, unit, "zone", actor=person)
    application = _fill_zone(application, person)
    application = _baseline(application, person)
    return application, person


def _document(application: Application, person: User, kind: str, **extra: Any) -> bytes:
    document = do_request_document(application, source=DRAFT, actor=person, kind=kind, **extra)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    return read(document.xlsx)


def test_the_task_list_and_the_work_plan_carry_no_formula(zone: Any) -> None:
    application, person = zone
    task_list = _document(application, person, DocumentKind.TASK_LIST)
    check(
        task_list,
        whole=[*TASK_NAMES, *LIST_ITEMS, *KEY_PROJECT.values()],
        within=[UNIT],
    )
    work_plan = _document(application, person, DocumentKind.WORK_PLAN, year=YEAR)
    check(
        work_plan,
        whole=[*TASK_NAMES, KEY_PROJECT["name"], *SCHEDULE.values()],
        within=[UNIT],
    )


def test_the_accounting_workbook_and_report_carry_no_formula(zone: Any, tmp_path: Path) -> None:
    application, person = zone
    response = signed_in(person).get(
        reverse("applications:baseline_workbook", args=[application.pk])
    )
    assert response.status_code == 200
    workbook = b"".join(response.streaming_content)
    check(workbook, whole=[*TASK_NAMES, *RECORD.values(), TARGET_NOTE])
    result = computing.accounting_result(application)
    assert result is not None
    path = tmp_path / "report.xlsx"
    write_accounting_report(result, path, "zh", _)
    check(path.read_bytes(), whole=[RECORD["label"], RECORD["source"]])


# --- the review: an expert's sheet and the round's result sheet -------------------------------

EXPERT = P[5]
COMMENT = P[1]
DECISION = P[7]


def test_the_score_and_result_sheets_carry_no_formula(admin_user: User) -> None:
    round_ = make_round(admin_user)
    _unit, person, officer = make_unit(admin_user, "徐汇区", UNIT)
    application, _submission = recommended_application(round_, person, officer)
    first = make_expert(admin_user, "expert_payload", EXPERT)
    second = make_expert(admin_user, "expert_plain", "陈华")
    panel = do_form_panel(
        round_=round_,
        kind="community",
        name=P[6],
        deadline=round_.review_deadline,
        members=[first, second],
        actor=admin_user,
    )
    one, two = assign_all(admin_user, panel, application, [first, second])
    agree(one)
    agree(two)
    save(one, "1", {"level": "none", "comment": COMMENT})
    submit(one)
    submit(two)
    do_decide(application, outcome="selected", reasons=DECISION, actor=admin_user)
    admin = signed_in(admin_user)
    sheet = admin.get(reverse("review:expert_sheet", args=[one.pk, "xlsx"]))
    assert sheet.status_code == 200
    check(sheet.content, whole=[UNIT, EXPERT, P[6]], within=[COMMENT])
    results = admin.get(reverse("review:result_sheet", args=[round_.pk, "community", "xlsx"]))
    assert results.status_code == 200
    check(results.content, whole=[UNIT], within=[DECISION, EXPERT])
