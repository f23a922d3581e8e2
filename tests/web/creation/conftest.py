"""A published round of two communities in 徐汇区 and 黄浦区: 田林十二村社区 selected (its
creation unit), 外滩社区 not selected."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.rounds.models import Round

from ..review_support import make_round, make_unit, recommended_application
from .support import decide_and_publish, unit_of


@dataclass
class Batch:
    round: Round
    selected: Application
    rejected: Application
    unit: CreationUnit
    other_applicant: User
    other_officer: User


@pytest.fixture
def batch(users: dict[str, User], admin_user: User) -> Batch:
    round_ = make_round(admin_user, year=2099)
    selected, _ = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    _unit, other_applicant, other_officer = make_unit(admin_user, "黄浦区", "外滩社区")
    rejected, _ = recommended_application(round_, other_applicant, other_officer)
    decide_and_publish(
        admin_user, round_, [(selected, "selected"), (rejected, "not_selected")], "expert_c1"
    )
    return Batch(round_, selected, rejected, unit_of(selected), other_applicant, other_officer)
