"""Browser tests: the real site in a live server thread, driven by Debian's Chromium.

The browser is never downloaded (no ``playwright install``): Playwright launches the system
Chromium at ``CHROMIUM`` (``/usr/bin/chromium`` unless ``LOWCARBON_CHROMIUM`` says otherwise).
When it is missing the tests fail with the command that installs it; they never skip.

Screenshots of every main step go to ``test-artifacts/browser/<test>/`` (ignored by git).
With ``LOWCARBON_UPDATE_SCREENSHOTS=1`` the tests also rewrite the README's screenshots in
``docs/screenshots/``; CI leaves that variable unset so it never rewrites tracked files.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.db import connections
from playwright.sync_api import Page, sync_playwright

from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

if TYPE_CHECKING:
    from .walks import Clock, Selected

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
DOC_SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("LOWCARBON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}
PASSWORD = "correct-horse-battery"


# Fixtures that write to the database. The page fixture sets them up before it starts
# Playwright: its sync API keeps an asyncio loop running in this thread, and Django rightly
# refuses database calls while one runs. Tests therefore check the database through the pages.
DATA_FIXTURES = ("admin_user", "applicant", "round_2026")


@pytest.fixture
def page(request: pytest.FixtureRequest, site: str) -> Iterator[Page]:
    for name in DATA_FIXTURES:
        if name in request.fixturenames:
            request.getfixturevalue(name)
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: "
            "apt-get install -y chromium fonts-noto-cjk (never `playwright install`)",
            pytrace=False,
        )
    with sync_playwright() as driver:
        # launch() gives every test a new, empty, temporary user-data directory.
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


class Shots:
    """Full-page screenshots of the main steps, numbered in the order they were taken."""

    def __init__(self, page: Page, folder: Path) -> None:
        self.page = page
        self.folder = folder
        self.count = 0

    def __call__(self, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def for_readme(self, name: str) -> None:
        """The README's screenshot: the 1366×768 viewport, only when asked to update them."""
        if os.environ.get("LOWCARBON_UPDATE_SCREENSHOTS") == "1":
            DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=DOC_SCREENSHOTS / name, full_page=False)


@pytest.fixture
def shots(page: Page, request: pytest.FixtureRequest) -> Shots:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Shots(page, folder)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # The live server runs in this process and shares this cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="package", autouse=True)
def _seed_restored_afterwards(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    # Each live-server test ends with a flush that also deletes the districts the migrations
    # seed (serialized_rollback restores them only at the start of the next such test). Put
    # them back after the last browser test, for the tests that run after these in one session.
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            if hasattr(connection, "_test_serialized_contents"):
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@pytest.fixture
def site(live_server: object) -> str:
    return str(live_server.url)  # type: ignore[attr-defined]


@pytest.fixture
def municipal(transactional_db: None) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.MUNICIPAL_BUREAU)


@pytest.fixture
def admin_user(municipal: Organisation) -> User:
    return do_create_user(
        username="admin",
        password=PASSWORD,
        role=Role.ADMINISTRATOR,
        organisation=municipal,
        actor=None,
        full_name="李文静",
    )


@pytest.fixture
def applicant(admin_user: User) -> User:
    xuhui = Organisation.objects.get(kind=OrganisationKind.DISTRICT_BUREAU, district__name="徐汇区")
    unit = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name="田林十二村社区",
        parent=xuhui,
        district=xuhui.district,
        actor=admin_user,
    )
    return do_create_user(
        username="applicant",
        password=PASSWORD,
        role=Role.APPLICANT,
        organisation=unit,
        actor=admin_user,
        full_name="王建国",
    )


@pytest.fixture
def round_2026(admin_user: User) -> Round:
    return do_open_round(
        year=2026,
        kinds=["community"],
        submission_deadline=date(2026, 6, 30),
        recommendation_deadline=date(2026, 7, 31),
        review_deadline=date(2026, 9, 30),
        rubric_editions={"community": "2021"},
        outline_editions={"community": "2021"},
        factor_set_id="shanghai-2022",
        actor=admin_user,
    )


# --- the walks' clock and units (tests/browser/walks.py) ---------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from django.utils import timezone

    from ..web.creation.support import shanghai
    from .walks import Clock

    # The 2024 batch is selected in the autumn of 2024 (its units' first filings are due at
    # the end of February 2025, their second year's at the end of February 2026).
    moving = Clock(shanghai(2024, 10, 8, 9, 0))
    monkeypatch.setattr(timezone, "now", moving)
    return moving


@pytest.fixture
def community(clock: Clock, admin_user: User) -> Selected:
    from ..web.review_support import make_round
    from .walks import selected_unit

    round_ = make_round(admin_user, year=2024)
    return selected_unit(admin_user, round_, "徐汇区", "田林十二村社区", "community", "expert_w1")


@pytest.fixture
def zone(clock: Clock, admin_user: User) -> Selected:
    from ..web.review_support import make_round
    from .walks import selected_unit

    round_ = make_round(admin_user, year=2024)
    return selected_unit(
        admin_user, round_, "浦东新区", "滨江新城低碳发展实践区", "zone", "expert_w2"
    )
