"""Fixtures and helpers of the 文件生成 tests (``test_docgen*.py``)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.utils import timezone
from docx import Document

from lowcarbon.core.outline import ElementKind
from lowcarbon.rules.activity import accounting_input_to_data, load_accounting_file
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.applications.outlines import application_outline
from lowcarbon.web.applications.submission import do_submit
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from ..application_export import plain
from .conftest import PASSWORD, open_round_arguments

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "community"
UNIT = "田林十二村社区"


# --- fixtures ------------------------------------------------------------------------------


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def no_pdf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """LibreOffice "installed" at a path that does not exist: no PDF, quickly."""
    missing = str(tmp_path / "no-such-soffice")
    monkeypatch.setenv("LOWCARBON_SOFFICE", missing)
    return missing


def make_round(admin_user: User) -> Round:
    today = timezone.localdate()
    return do_open_round(
        **open_round_arguments(
            year=2099,
            kinds=["community"],
            submission_deadline=today + timedelta(days=30),
            recommendation_deadline=today + timedelta(days=60),
            review_deadline=today + timedelta(days=90),
        ),
        actor=admin_user,
    )


def _fill(application: Application, actor: User) -> Application:
    """Every required element: text and numbers through the real action; tables and lists
    directly (their editors are another part's)."""
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
    accounting = plain(accounting_input_to_data(load_accounting_file(EXAMPLES / "accounting.yaml")))
    items = yaml.safe_load((EXAMPLES / "answers.yaml").read_text(encoding="utf-8"))["items"]
    # No evidence attached here: answers cite none (those items score 0, a warning only).
    answers = {str(k): {a: b for a, b in v.items() if a != "evidence"} for k, v in items.items()}
    Application.objects.filter(pk=application.pk).update(
        sections=dict(application.sections) | direct, accounting=accounting, answers=answers
    )
    application.refresh_from_db()
    return application


def make_application(current_round: Round, applicant: User) -> Application:
    created = do_create_application(
        current_round,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )
    return _fill(created, applicant)


def submit(application: Application, applicant: User) -> Submission:
    return do_submit(application, actor=applicant)


def _user(admin_user: User, username: str, role: str, district: str | None) -> User:
    organisation = None
    if district is not None:
        bureau = Organisation.objects.get(
            kind=OrganisationKind.DISTRICT_BUREAU, district__name=district
        )
        organisation = bureau
        if role == Role.APPLICANT:
            organisation = do_create_organisation(
                kind=OrganisationKind.APPLICANT_UNIT,
                name=f"{district}另一社区",
                parent=bureau,
                district=bureau.district,
                actor=admin_user,
            )
    return do_create_user(
        username=username, password=PASSWORD, role=role, organisation=organisation, actor=admin_user
    )


def make_people(users: dict[str, User], admin_user: User) -> dict[str, User]:
    """Everyone the permission tests ask: own applicant, another unit's applicant (same
    district), the district's officer, another district's officer, an expert, the admin."""
    return {
        "own": users[Role.APPLICANT],
        "other_unit": _user(admin_user, "other-applicant", Role.APPLICANT, "徐汇区"),
        "officer": users[Role.DISTRICT_OFFICER],
        "other_district": _user(admin_user, "pudong-officer", Role.DISTRICT_OFFICER, "浦东新区"),
        "expert": users[Role.EXPERT],
        "admin": admin_user,
    }


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def headings(docx_bytes: bytes) -> list[str]:
    document = Document(io.BytesIO(docx_bytes))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def read(field: Any) -> bytes:
    with field.open("rb") as handle:
        return bytes(handle.read())
