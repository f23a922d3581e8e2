"""``manage.py load_demo``: a demo round, two applicant units and one account per role.

Everything is created through the actions, so the audit log shows it. The passwords are
printed once and are for demonstrations only.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Kind, Round

DEMO_YEAR = 2026


class Command(BaseCommand):
    help = "Create a demo round (2026), applicant units and one account per role."

    def handle(self, *args: Any, **options: Any) -> None:
        if Round.objects.filter(year=DEMO_YEAR).exists():
            raise CommandError(f"a {DEMO_YEAR} round exists already: the demo is loaded")
        with transaction.atomic():
            accounts = self._load()
        self.stdout.write(f"Demo round {DEMO_YEAR} opened. Accounts (demo passwords only):")
        for username, role, password in accounts:
            self.stdout.write(f"  {username:<16} {role:<18} {password}")

    def _load(self) -> list[tuple[str, str, str]]:
        municipal = Organisation.objects.get(kind=OrganisationKind.MUNICIPAL_BUREAU)
        xuhui = Organisation.objects.get(
            kind=OrganisationKind.DISTRICT_BUREAU, district__name="徐汇区"
        )
        created: list[tuple[str, str, str]] = []

        def account(username: str, role: str, org: Organisation | None, actor: User | None) -> User:
            password = secrets.token_urlsafe(12)
            user = do_create_user(
                username=username, password=password, role=role, organisation=org, actor=actor
            )
            created.append((username, role, password))
            return user

        admin = account("demo-admin", Role.ADMINISTRATOR, municipal, None)
        street = do_create_organisation(
            kind=OrganisationKind.STREET_TOWN,
            name="徐汇区田林街道（演示）",
            parent=xuhui,
            district=xuhui.district,
            actor=admin,
        )
        community = do_create_organisation(
            kind=OrganisationKind.APPLICANT_UNIT,
            name="田林十二村社区（演示）",
            parent=street,
            district=xuhui.district,
            actor=admin,
        )
        do_create_organisation(
            kind=OrganisationKind.APPLICANT_UNIT,
            name="漕河泾低碳发展实践区（演示）",
            parent=xuhui,
            district=xuhui.district,
            actor=admin,
        )
        account("demo-applicant", Role.APPLICANT, community, admin)
        account("demo-district", Role.DISTRICT_OFFICER, xuhui, admin)
        account("demo-expert", Role.EXPERT, None, admin)
        do_open_round(
            year=DEMO_YEAR,
            kinds=[Kind.COMMUNITY, Kind.ZONE],
            # Deadlines ahead of today, so the demo round accepts applications whenever the
            # demo is loaded.
            submission_deadline=date.today() + timedelta(days=90),
            recommendation_deadline=date.today() + timedelta(days=120),
            review_deadline=date.today() + timedelta(days=150),
            rubric_editions={Kind.COMMUNITY: "2021", Kind.ZONE: "2021"},
            outline_editions={Kind.COMMUNITY: "2021", Kind.ZONE: "2021"},
            factor_set_id="shanghai-2022",
            actor=admin,
        )
        return created
