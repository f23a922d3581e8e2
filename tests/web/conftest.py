"""Web tests: data set up through the real actions, in Chinese, with a fresh cache (the network
beyond this machine is refused for every test: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from .rows import data_models

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    """Every test starts in Chinese, the default language. A request in English activates
    English for the thread, and without this a later test calling an action directly would
    get English messages."""
    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Path:
    """The demo, built once per test process through its audited actions (``load_demo``) and
    kept as a fixture file of the rows it added; the building transaction is rolled back. Its
    files (evidence, archive, readings) stay in the run's throw-away media and monitoring
    folders. Rows the migrations seed (the bureau, the districts and their audit events, which
    PostgreSQL keeps append-only) are already in every test's database and are left out."""
    rows = tmp_path_factory.mktemp("demo") / "demo-rows.json"
    with django_db_blocker.unblock(), transaction.atomic():
        models = data_models()
        seeded = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        call_command("load_demo", stdout=StringIO())
        added = [
            row
            for model in models
            for row in model._base_manager.order_by("pk")
            if row.pk not in seeded[model]
        ]
        rows.write_text(serializers.serialize("json", added), encoding="utf-8")
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def demo(_demo_rows: Path, db: None) -> None:
    """The whole demo in this test's database: the rows ``load_demo`` wrote, loaded again
    (seconds instead of building it through its actions for every test that reads it)."""
    call_command("loaddata", str(_demo_rows), verbosity=0)


def open_round_arguments(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "year": 2026,
        "kinds": ["community", "zone"],
        "submission_deadline": date(2026, 6, 30),
        "recommendation_deadline": date(2026, 7, 31),
        "review_deadline": date(2026, 9, 30),
        "rubric_editions": {"community": "2021", "zone": "2021"},
        "outline_editions": {"community": "2021", "zone": "2021"},
        "factor_set_id": "shanghai-2022",
    }
    return arguments | overrides


@pytest.fixture
def municipal(db: None) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.MUNICIPAL_BUREAU)


@pytest.fixture
def xuhui(db: None) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.DISTRICT_BUREAU, district__name="徐汇区")


@pytest.fixture
def admin_user(municipal: Organisation) -> User:
    return do_create_user(
        username="admin",
        password=PASSWORD,
        role=Role.ADMINISTRATOR,
        organisation=municipal,
        actor=None,
    )


@pytest.fixture
def users(admin_user: User, xuhui: Organisation) -> dict[str, User]:
    unit = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name="田林十二村社区",
        parent=xuhui,
        district=xuhui.district,
        actor=admin_user,
    )

    def make(username: str, role: str, organisation: Organisation | None) -> User:
        return do_create_user(
            username=username,
            password=PASSWORD,
            role=role,
            organisation=organisation,
            actor=admin_user,
        )

    return {
        Role.ADMINISTRATOR: admin_user,
        Role.DISTRICT_OFFICER: make("officer", Role.DISTRICT_OFFICER, xuhui),
        Role.EXPERT: make("expert", Role.EXPERT, None),
        Role.APPLICANT: make("applicant", Role.APPLICANT, unit),
    }


@pytest.fixture
def applicant(users: dict[str, User]) -> User:
    return users[Role.APPLICANT]


@pytest.fixture
def officer(users: dict[str, User]) -> User:
    return users[Role.DISTRICT_OFFICER]


@pytest.fixture
def open_round(admin_user: User) -> Round:
    return do_open_round(**open_round_arguments(), actor=admin_user)
