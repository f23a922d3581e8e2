"""``manage.py load_demo``: a demo round, two applicant units with their applications, one
account per role, and an earlier batch (2024) whose two units are in creation
(``_demo_creation``).

Everything is created through audited actions, so the audit log shows every step, and in one
transaction: the demo is loaded completely or not at all. Running it again changes nothing and
says so. The passwords are random, printed once (and written to ``--accounts-file`` when asked,
for ``serve_demo`` and the web benchmark) and are for demonstrations only.

The two units are the fictional ones of ``examples/``: the community 青枫里社区 (徐汇区, in the
fictional 青枫街道) and the practice zone 望江湾低碳发展实践区 (浦东新区). Each has a draft
application with the plan's text and number elements filled (``_demo_content``), the example's
baseline data (``examples/*/accounting.yaml``), a placeholder file for every evidence number the
example's self-assessment cites, and that self-assessment (``examples/*/answers.yaml``). Both
stay drafts: submitting is the applicant's step to show.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lowcarbon.core.activity import AccountingInput
from lowcarbon.core.outline import ElementKind
from lowcarbon.rules.activity import (
    load_accounting_file,
)
from lowcarbon.rules.answers import load_answers
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.assessment import do_attach_evidence, do_import_answer
from lowcarbon.web.applications.baseline import do_import_accounting
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import application_outline
from lowcarbon.web.management.commands._demo_content import (
    COMMUNITY_SECTIONS,
    COMMUNITY_TARGETS,
    ZONE_SECTIONS,
)
from lowcarbon.web.management.commands._demo_creation import BATCH_UNITS, load_creation_batch
from lowcarbon.web.management.commands._demo_files import placeholder_file
from lowcarbon.web.management.commands._demo_households import load_households
from lowcarbon.web.management.commands._demo_monitoring import load_monitoring
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import District, Organisation, OrganisationKind
from lowcarbon.web.review.actions import do_save_expert_profile
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Kind, Round

__all__ = [
    "ADMIN_USERNAME",
    "DEMO_KINDS",
    "DEMO_YEAR",
    "FACTOR_SET",
    "UNITS",
    "Command",
    "DemoUnit",
]

DEMO_YEAR = 2026
# The zone example accounts its ETS enterprise's green-power trades (沪环气候〔2023〕89号), which
# only a set with a green-power factor can account; the set is otherwise shanghai-2022's.
FACTOR_SET = "shanghai-2023-green-power"
ADMIN_USERNAME = "demo-admin"
EXPERT_USERNAME = "demo-expert"
# A panel of three (fictional) experts with their affiliations, so conflicts of interest show
# as they would: the third works for a consultancy in 徐汇区, the community's district.
EXPERTS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (EXPERT_USERNAME, "海川大学环境与能源学院", (), ()),
    ("demo-expert2", "申江低碳发展研究中心", (), ()),
    ("demo-expert3", "青松节能咨询有限公司", ("徐汇区",), ("青松节能咨询有限公司",)),
)
EXAMPLES_DIR = Path(settings.REPO_ROOT) / "examples"


@dataclass(frozen=True)
class DemoUnit:
    kind: str
    name: str
    district: str
    street: str  # empty: the unit sits directly under the district bureau
    applicant: str
    officer: str
    sections: Mapping[str, Any]
    part: str  # what the unit shows in the demo (sign-in page, serve_demo)
    # (target kind, year) → value that replaces the example's (see ``_demo_content``).
    targets: Mapping[tuple[str, int], str] = dataclasses.field(default_factory=dict)

    @property
    def example(self) -> Path:
        return EXAMPLES_DIR / self.kind

    def accounting(self) -> AccountingInput:
        """The example's accounting data, with the demo's own targets where it states them."""
        data = load_accounting_file(self.example / "accounting.yaml")
        targets = tuple(
            dataclasses.replace(target, value=Decimal(value))
            if (value := self.targets.get((target.kind.value, target.year)))
            else target
            for target in data.targets
        )
        return dataclasses.replace(data, targets=targets)


UNITS = (
    DemoUnit(
        kind=Kind.COMMUNITY,
        name="青枫里社区",
        district="徐汇区",
        street="徐汇区青枫街道",
        applicant="demo-community",
        officer="demo-xuhui",
        sections=COMMUNITY_SECTIONS,
        part=gettext_noop(
            "the showcase: a plan that holds together, every target met and the tasks' "
            "reductions consistent with the overall target"
        ),
        targets=COMMUNITY_TARGETS,
    ),
    DemoUnit(
        kind=Kind.ZONE,
        name="望江湾低碳发展实践区",
        district="浦东新区",
        street="",
        applicant="demo-zone",
        officer="demo-pudong",
        sections=ZONE_SECTIONS,
        part=gettext_noop(
            "the checks at work: targets its tasks do not reach, the gap in tonnes, and "
            "reductions not consistent with the overall target"
        ),
    ),
)

# The demo writes the plan's prose and figures; tables, lists and the drawn boundary are shown
# being filled in their own editors.
DEMO_KINDS = frozenset({ElementKind.TEXT, ElementKind.QUANTITY, ElementKind.INTEGER})

ACCOUNTING_IMPORTED = "application_accounting_imported"
EVIDENCE_ATTACHED = "application_evidence_attached"
ANSWER_SAVED = "application_answer_saved"


# The workspace's own actions: the demo is loaded through exactly what a person's clicks call.
import_accounting = do_import_accounting
attach_evidence = do_attach_evidence
save_answer = do_import_answer


# --- The command -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    organisation: str
    password: str


class Command(BaseCommand):
    help = (
        "Load the demo: a 2026 round, the fictional community and zone of examples/ with draft "
        "applications, and one account per role (passwords printed once, demo only). "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accounts-file",
            type=Path,
            help="also write the accounts and passwords to this JSON file (readable by you only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # (Overridden settings, as in tests, have no module name: the environment's applies.)
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production"):
            raise CommandError(
                _("The demo is never loaded with production settings: it creates accounts.")
            )
        if User.objects.filter(username=ADMIN_USERNAME).exists():
            self.stdout.write(_("The demo is already loaded; nothing was changed."))
            return
        if Round.objects.filter(year=DEMO_YEAR).exists():
            raise CommandError(
                _(
                    "A {year} round exists that the demo did not create; the demo needs an "
                    "empty database."
                ).format(year=DEMO_YEAR)
            )
        written: list[str] = []
        try:
            with transaction.atomic():
                accounts, applications = _load(written)
        except ValidationError as error:
            for name in written:  # nothing of the database remains; neither do its files
                default_storage.delete(name)
            raise CommandError(f"{error.messages}") from error
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        round_ = Round.objects.get(year=DEMO_YEAR)
        self.stdout.write(
            _(
                "Demo loaded: the {year} round (submissions until {deadline}) with {count} draft "
                "applications."
            ).format(
                year=DEMO_YEAR,
                deadline=round_.submission_deadline.isoformat(),
                count=len(applications),
            )
        )
        self.stdout.write(_("Demo accounts (these passwords are for demonstrations only):"))
        for line in account_lines(accounts):
            self.stdout.write(line)
        if options.get("accounts_file"):
            write_accounts(options["accounts_file"], accounts)


def account_lines(accounts: list[Account]) -> list[str]:
    """The accounts as aligned lines: user name, role, organisation, password."""
    labels = {value: str(label) for value, label in Role.choices}
    return [
        f"  {_pad(a.username, 16)} {_pad(labels.get(a.role, a.role), 14)} "
        f"{_pad(a.password, 18)} {a.organisation}"
        for a in accounts
    ]


def unit_parts() -> list[dict[str, str]]:
    """What each demo unit shows, for the sign-in page and ``serve_demo``: its name, the
    applicant account that opens it, and its part (translated when called)."""
    return [{"name": u.name, "account": u.applicant, "part": _(u.part)} for u in UNITS]


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 0)


def write_accounts(path: Path, accounts: list[Account]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created readable by its owner only: it holds passwords, even if demo ones.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump([dataclasses.asdict(a) for a in accounts], handle, ensure_ascii=False, indent=1)


def read_accounts(path: Path) -> list[Account]:
    return [Account(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))]


def _password(username: str) -> str:
    """A random password the site's password rules accept for ``username``: a random draw can,
    rarely, read too like the user name (Django's similarity rule), so it is drawn again."""
    for _attempt in range(20):
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password, User(username=username))
        except ValidationError:
            continue
        return password
    raise CommandError(f"no acceptable random password for {username}")  # pragma: no cover


def _load(written: list[str]) -> tuple[list[Account], list[Application]]:
    municipal = Organisation.objects.get(kind=OrganisationKind.MUNICIPAL_BUREAU)
    accounts: list[Account] = []

    def account(username: str, role: str, org: Organisation | None, actor: User | None) -> User:
        password = _password(username)
        user = do_create_user(
            username=username, password=password, role=role, organisation=org, actor=actor
        )
        accounts.append(Account(username, role, org.name if org else "—", password))
        return user

    admin = account(ADMIN_USERNAME, Role.ADMINISTRATOR, municipal, None)
    round_ = do_open_round(
        year=DEMO_YEAR,
        kinds=[Kind.COMMUNITY, Kind.ZONE],
        # Deadlines ahead of today, so the demo round accepts applications whenever the demo is
        # loaded.
        submission_deadline=date.today() + timedelta(days=90),
        recommendation_deadline=date.today() + timedelta(days=120),
        review_deadline=date.today() + timedelta(days=150),
        rubric_editions={Kind.COMMUNITY: "2021", Kind.ZONE: "2021"},
        outline_editions={Kind.COMMUNITY: "2021", Kind.ZONE: "2021"},
        factor_set_id=FACTOR_SET,
        actor=admin,
    )
    applications = []
    applicants: list[tuple[DemoUnit, Organisation, User]] = []
    for demo in UNITS:
        bureau = Organisation.objects.get(
            kind=OrganisationKind.DISTRICT_BUREAU, district__name=demo.district
        )
        parent = bureau
        if demo.street:
            parent = do_create_organisation(
                kind=OrganisationKind.STREET_TOWN,
                name=demo.street,
                parent=bureau,
                district=bureau.district,
                actor=admin,
            )
        unit = do_create_organisation(
            kind=OrganisationKind.APPLICANT_UNIT,
            name=demo.name,
            parent=parent,
            district=bureau.district,
            actor=admin,
        )
        applicants.append((demo, unit, account(demo.applicant, Role.APPLICANT, unit, admin)))
        account(demo.officer, Role.DISTRICT_OFFICER, bureau, admin)
    for username, organisation_name, districts, consultancies in EXPERTS:
        expert = account(username, Role.EXPERT, None, admin)
        do_save_expert_profile(
            expert,
            districts=District.objects.filter(name__in=districts),
            organisation_name=organisation_name,
            consultancies=consultancies,
            actor=admin,
        )
    for demo, unit, applicant in applicants:
        applications.append(_application(round_, demo, unit, applicant, written))
    # The earlier batch, in creation (issue 15): its own units and applicants.
    batch_units: dict[str, tuple[Organisation, User, User]] = {}
    for batch in BATCH_UNITS:
        bureau = Organisation.objects.get(
            kind=OrganisationKind.DISTRICT_BUREAU, district__name=batch.district
        )
        unit = do_create_organisation(
            kind=OrganisationKind.APPLICANT_UNIT,
            name=batch.name,
            parent=bureau,
            district=bureau.district,
            actor=admin,
        )
        person = account(batch.applicant, Role.APPLICANT, unit, admin)
        officer = User.objects.get(role=Role.DISTRICT_OFFICER, organisation=bureau)
        batch_units[batch.kind] = (unit, person, officer)
    contents = {demo.kind: demo for demo in UNITS}

    def batch_application(
        round_: Round, kind: str, unit: Organisation, applicant: User
    ) -> Application:
        return _application(round_, contents[kind], unit, applicant, written)

    load_creation_batch(
        admin=admin,
        expert=User.objects.get(username=EXPERT_USERNAME),
        units=batch_units,
        make_application=batch_application,
        factor_set_id=FACTOR_SET,
    )
    load_monitoring(*batch_units[Kind.COMMUNITY][:2])  # its meters and a year of readings
    load_households(*batch_units[Kind.COMMUNITY][:2], account)
    return accounts, applications


def _application(
    round_: Round, demo: DemoUnit, unit: Organisation, applicant: User, written: list[str]
) -> Application:
    application = do_create_application(round_, unit, demo.kind, actor=applicant)
    for section in application_outline(application).iter_sections():
        values = {
            element.id: demo.sections[element.id]
            for element in section.elements
            if element.kind in DEMO_KINDS and element.id in demo.sections
        }
        if values:
            application = do_save_section(
                application,
                section.id,
                values,
                expected_version=application.version,
                actor=applicant,
            )
    application = import_accounting(
        application,
        demo.accounting(),
        expected_version=application.accounting_version,
        actor=applicant,
        file_name="accounting.yaml",
    )
    _answers, document = load_answers(demo.example / "answers.yaml")
    items: dict[str, Any] = {str(i): answer or {} for i, answer in document.data["items"].items()}
    # The platform numbers evidence itself (E01 …); the example's numbers (E01 …, Z01 …) are
    # mapped to the numbers given, and the answers cite those.
    numbers: dict[str, str] = {}
    for code, raw in (document.data.get("evidence") or {}).items():
        cited_by = [i for i, answer in items.items() if code in answer.get("evidence", ())]
        name, _kind, content = placeholder_file(str(code), raw["title"], raw.get("file", ""))
        evidence = attach_evidence(
            application,
            SimpleUploadedFile(name, content),
            title=raw["title"],
            items=cited_by,
            actor=applicant,
        )
        written.append(evidence.file.name)
        numbers[str(code)] = evidence.code
    for item_id, answer in items.items():
        cited = [numbers[str(code)] for code in answer.get("evidence", ())]
        application = save_answer(
            application,
            item_id,
            {**answer, "evidence": cited} if cited else answer,
            expected_version=application.answers_version,
            actor=applicant,
        )
    return application
