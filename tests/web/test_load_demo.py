"""``load_demo`` builds the demo through the actions, so the audit log shows every step."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.rounds.models import Round

pytestmark = pytest.mark.django_db


def test_load_demo_creates_the_round_units_and_one_account_per_role() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    round_ = Round.objects.get(year=2026)
    assert round_.kinds == ["community", "zone"]
    assert round_.submission_deadline > date.today()  # the demo round accepts applications
    assert round_.rubric_editions == {"community": "2021", "zone": "2021"}
    assert round_.outline_editions == {"community": "2021", "zone": "2021"}
    assert round_.factor_set_id == "shanghai-2022"
    assert sorted(User.objects.values_list("role", flat=True)) == sorted(Role.values)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("user_created") == 4
    assert actions.count("organisation_created") == 3
    assert actions.count("round_opened") == 1
    printed = out.getvalue()
    for user in User.objects.all():
        assert user.username in printed


def test_load_demo_refuses_to_run_twice() -> None:
    call_command("load_demo", stdout=StringIO())
    with pytest.raises(CommandError, match="already"):
        call_command("load_demo", stdout=StringIO())
