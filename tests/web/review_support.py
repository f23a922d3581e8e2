"""Shared set-up of the review tests: a recommended application made through the real actions
(create, sections, submit, the district's recommendation), experts and a panel.

The baseline data and the self-assessment answers are stored with a direct update from the
bundled examples, as the submission tests do (their pages are other parts' business); the
evidence files are stored as Evidence rows with real content, hashed.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from lowcarbon.core.outline import ElementKind
from lowcarbon.rules.activity import accounting_input_to_data, load_accounting_file
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.models import Application, Evidence, Submission
from lowcarbon.web.applications.outlines import application_outline
from lowcarbon.web.applications.submission import do_district_decide, do_submit
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.review.actions import do_assign, do_form_panel
from lowcarbon.web.review.models import Assignment, Panel
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from ..application_export import plain

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "community"
ATTACHED = ("E01", "E02", "E03")
PASSWORD = "correct-horse-battery"


def make_round(admin: User, year: int = 2099) -> Round:
    today = timezone.localdate()
    return do_open_round(
        year=year,
        kinds=["community", "zone"],
        submission_deadline=today + timedelta(days=30),
        recommendation_deadline=today + timedelta(days=60),
        review_deadline=today + timedelta(days=90),
        rubric_editions={"community": "2021", "zone": "2021"},
        outline_editions={"community": "2021", "zone": "2021"},
        factor_set_id="shanghai-2022",
        actor=admin,
    )


def make_unit(admin: User, district: str, name: str) -> tuple[Organisation, User, User]:
    """An applicant unit in ``district``, one of its people and the district's officer."""
    bureau = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name=district
    )
    unit = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name=name,
        parent=bureau,
        district=bureau.district,
        actor=admin,
    )
    person = do_create_user(
        username=f"applicant-{unit.pk}",
        password=PASSWORD,
        role=Role.APPLICANT,
        organisation=unit,
        actor=admin,
    )
    officer = User.objects.filter(role=Role.DISTRICT_OFFICER, organisation=bureau).first()
    if officer is None:
        officer = do_create_user(
            username=f"officer-{bureau.pk}",
            password=PASSWORD,
            role=Role.DISTRICT_OFFICER,
            organisation=bureau,
            actor=admin,
        )
    return unit, person, officer


def make_expert(admin: User, username: str, full_name: str = "") -> User:
    return do_create_user(
        username=username,
        password=PASSWORD,
        role=Role.EXPERT,
        organisation=None,
        actor=admin,
        full_name=full_name or username,
    )


def example_answers() -> dict[str, Any]:
    items = yaml.safe_load((EXAMPLES / "answers.yaml").read_text(encoding="utf-8"))["items"]
    answers = {}
    for item_id, answer in items.items():
        answer = dict(answer)
        cited = [code for code in answer.get("evidence", []) if code in ATTACHED]
        if cited:
            answer["evidence"] = cited
        else:
            answer.pop("evidence", None)
        answers[str(item_id)] = answer
    return answers


def _fill(application: Application, actor: User) -> Application:
    outline = application_outline(application)
    direct: dict[str, Any] = {}
    for section in outline.iter_sections():
        values: dict[str, str] = {}
        for element in section.elements:
            if not element.required:
                continue
            if element.kind == ElementKind.TEXT:
                values[element.id] = f"{element.label.zh}：示例内容。"
            elif element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
                values[element.id] = "12"
            else:
                direct[element.id] = [{"text": f"{element.label.zh}一"}]
        if values:
            application = do_save_section(
                application, section.id, values, expected_version=application.version, actor=actor
            )
    Application.objects.filter(pk=application.pk).update(
        sections=dict(application.sections) | direct
    )
    for code in ATTACHED:
        content = b"%PDF-1.4 " + code.encode() + b" evidence"
        evidence = Evidence(
            application=application,
            code=code,
            title=f"佐证材料{code}",
            items=["1"],
            original_name=f"{code}.pdf",
            content_kind="pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        evidence.file.save(f"{code}.pdf", ContentFile(content), save=True)
    accounting = accounting_input_to_data(load_accounting_file(EXAMPLES / "accounting.yaml"))
    Application.objects.filter(pk=application.pk).update(
        accounting=plain(accounting), answers=example_answers()
    )
    application.refresh_from_db()
    return application


def recommended_application(
    round_: Round, person: User, officer: User, kind: str = "community"
) -> tuple[Application, Submission]:
    """Created, filled, submitted and recommended, all through the real actions."""
    application = do_create_application(
        round_,
        person.organisation,  # type: ignore[arg-type]
        kind,
        actor=person,
    )
    application = _fill(application, person)
    submission = do_submit(application, actor=person)
    application.refresh_from_db()
    do_district_decide(application, decision="recommended", comment="同意推荐。", actor=officer)
    application.refresh_from_db()
    submission.refresh_from_db()
    return application, submission


def make_panel(admin: User, round_: Round, experts: list[User], name: str = "第一组") -> Panel:
    return do_form_panel(
        round_=round_,
        kind="community",
        name=name,
        deadline=timezone.localdate() + timedelta(days=20),
        members=experts,
        actor=admin,
    )


def assign_all(
    admin: User, panel: Panel, application: Application, experts: list[User]
) -> list[Assignment]:
    return [do_assign(panel, application, expert, actor=admin) for expert in experts]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
