"""The creation batch of tests/web/creation (田林十二村社区 selected, in creation), with a filed
progress report on 2025 and an archive: what a self-evaluation report is made of."""

from __future__ import annotations

import pytest

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.creation.models import CreationUnit

from ..creation.conftest import Batch, batch  # noqa: F401  (the fixture)
from .support import reporting_unit


@pytest.fixture
def applicant(users: dict[str, User]) -> User:
    return users[Role.APPLICANT]


@pytest.fixture
def officer(users: dict[str, User]) -> User:
    return users[Role.DISTRICT_OFFICER]


@pytest.fixture
def unit(batch: Batch, admin_user: User, applicant: User, officer: User) -> CreationUnit:  # noqa: F811
    return reporting_unit(batch.unit, admin_user, applicant, officer)
