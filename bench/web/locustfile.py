"""Simulated users of the web benchmark (``bench/bench_web.py`` runs this; not a test).

Each user signs in through the real sign-in form as one of the demo accounts that see every
main page (the applicants, the district officers, the administrator; round robin), finds its
application and the round from the pages themselves, waits until every user has signed in (the
statistics start then and run for ``LOWCARBON_BENCH_SECONDS``, so that the deliberately slow
password hashing of the sign-ins is not measured), and then requests one page, the one
``LOWCARBON_BENCH_PAGE`` names, back to back without think time:

    home        /                     我的工作台
    list        /applications/        我的申报 (application list)
    workspace   /applications/<id>/   the application workspace (申报书 by section)
    round       /rounds/<id>/         the round (批次) page
    ping        /bench/ping/          the ceiling: a bare view, same server and session

Environment: ``LOWCARBON_BENCH_ACCOUNTS`` (the JSON file ``load_demo --accounts-file`` wrote),
``LOWCARBON_BENCH_PAGE``, ``LOWCARBON_BENCH_USERS`` (how many users the run starts),
``LOWCARBON_BENCH_SECONDS`` (how long to measure once all are signed in).
"""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import gevent
from gevent.event import Event
from locust import HttpUser, constant, task

ACCOUNTS = [
    account
    for account in json.loads(Path(os.environ["LOWCARBON_BENCH_ACCOUNTS"]).read_text("utf-8"))
    # The expert's pages come with the review increment; everyone else sees all four.
    if account["role"] in ("applicant", "district_officer", "administrator")
]
PAGE = os.environ.get("LOWCARBON_BENCH_PAGE", "home")
USERS = int(os.environ.get("LOWCARBON_BENCH_USERS", "20"))
SECONDS = float(os.environ.get("LOWCARBON_BENCH_SECONDS", "30"))
PAGES = {
    "home": lambda user: "/",
    "list": lambda user: "/applications/",
    "workspace": lambda user: f"/applications/{user.application}/",
    "round": lambda user: f"/rounds/{user.round}/",
    "ping": lambda user: "/bench/ping/",
}
if PAGE not in PAGES:
    raise SystemExit(f"LOWCARBON_BENCH_PAGE must be one of {', '.join(PAGES)}, not {PAGE!r}")

_next_account = itertools.count()
_signed_in = itertools.count(1)
_everyone_in = Event()


def _first(pattern: str, text: str, what: str) -> str:
    found = re.search(pattern, text)
    if found is None:
        raise RuntimeError(f"bench: no {what} link found")
    return found.group(1)


class DemoUser(HttpUser):
    wait_time = constant(0)
    application = ""
    round = ""

    def on_start(self) -> None:
        account: dict[str, Any] = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.client.get("/accounts/login/", name="setup: sign-in form")
        signed_in = self.client.post(
            "/accounts/login/",
            data={
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
            name="setup: sign in",
        )
        if signed_in.status_code != 302:
            raise RuntimeError(f"bench: {account['username']} could not sign in")
        listing = self.client.get("/applications/", name="setup: find pages").text
        self.application = _first(r'href="/applications/(\d+)/"', listing, "application")
        home = self.client.get("/", name="setup: find pages").text
        self.round = _first(r'href="/rounds/(\d+)/"', home, "round")
        if next(_signed_in) == USERS:
            # Everyone is signed in: measure from here on, for SECONDS.
            self.environment.stats.reset_all()
            runner = self.environment.runner
            assert runner is not None
            gevent.spawn_later(SECONDS, runner.quit)
            _everyone_in.set()
        _everyone_in.wait()

    @task
    def page(self) -> None:
        with self.client.get(
            PAGES[PAGE](self), name=PAGE, allow_redirects=False, catch_response=True
        ) as response:
            # A redirect would be the sign-in page: count it as a failure, not as a fast page.
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
