"""The embedded SQLite under a small office's load, through a real server (issue 11, finding 3).

A throw-away SQLite file (``migrate`` + ``load_demo``) served by gunicorn with four sync worker
processes and production-like settings (``server_settings``), as a small office would run it. For a
bounded time, 20 people read the community's workspace and home page while 5 save the same
section of the same application through the real form (each GETs the form, keeps its version,
changes one narrative and POSTs). Nobody may see a server error: a write is saved (302), refused
with the optimistic version message ("someone else saved first"), or, if the database stayed
busy past its timeout, answered with the 503 page that asks to save again. The version the
application ends with counts exactly the saves that were reported as saved.

The same server shows that a sign-in lockout holds across its worker processes (finding 4): the
failure counts are rows of the database, not memory of one process.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

REPO = Path(__file__).resolve().parents[2]
READERS, WRITERS, SECONDS = 20, 5, 10.0
WORKERS = 4
SECTION = "1.2"  # 组织实施: two narrative elements
STALE = "他人已先保存了本申报"
BUSY = "其他人正在保存"


class Browser:
    """One person's browser: cookies, CSRF token, no redirects followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location header, body)"""
        with self.lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, "Host": f"127.0.0.1:{self.port}"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            with self.lock:
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", text
        finally:
            connection.close()

    def sign_in(self, username: str, password: str) -> None:
        status, _location, page = self.request("GET", "/accounts/login/")
        assert status == 200, page[:500]
        token = FormFields.of(page)["csrfmiddlewaretoken"]
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        status, _location, page = self.request("POST", "/accounts/login/", form)
        assert status == 302, f"sign-in of {username}: {status} {page[:500]}"


class FormFields(HTMLParser):
    """The named inputs and textareas of a page's forms, with their values."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    @classmethod
    def of(cls, page: str) -> dict[str, str]:
        parser = cls()
        parser.feed(page)
        return parser.values

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        name = named.get("name")
        if tag == "input" and name and named.get("type") not in ("checkbox", "file"):
            self.values[name] = named.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times_ms: list[float] = field(default_factory=list)
    reads: dict[int, int] = field(default_factory=dict)
    writes: dict[str, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def timed(
        self, browser: Browser, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        started = time.perf_counter()
        status, location, page = browser.request(method, path, form)
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.times_ms.append(elapsed)
            if status >= 500 and not (status == 503 and BUSY in page):
                self.server_errors.append(f"{method} {path}: {status} {page[:300]!r}")
        return status, location, page

    def count(self, table: dict[Any, int], key: Any) -> None:
        with self.lock:
            table[key] = table.get(key, 0) + 1

    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Site:
    port: int
    database: Path
    accounts: dict[str, str]
    application: int


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    folder = Path(tempfile.mkdtemp(prefix="lowcarbon-sqlite-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.web.server_settings",
        "LOWCARBON_VAR_DIR": str(folder / "var"),
        "LOWCARBON_MEDIA_DIR": str(folder / "media"),
    }
    accounts_file = folder / "accounts.json"
    for command in (
        ["migrate", "--noinput", "--verbosity", "0"],
        ["load_demo", "--accounts-file", str(accounts_file)],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    accounts = {a["username"]: a["password"] for a in json.loads(accounts_file.read_text())}
    database = folder / "var" / "lowcarbon.sqlite3"
    with sqlite3.connect(database) as connection:
        [(application,)] = connection.execute(
            "SELECT a.id FROM applications_application a "
            "JOIN organisations_organisation o ON a.unit_id = o.id WHERE o.name = '青枫里社区'"
        ).fetchall()
    port = free_port()
    log = (folder / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lowcarbon.web.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (folder / "gunicorn.log").read_text()
            try:
                status, _location, _page = Browser(port).request("GET", "/bench/ping/")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield Site(port, database, accounts, int(application))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_twenty_readers_and_five_writers_see_no_server_error(site: Site) -> None:
    # Sessions as in an office: several people per account, each signed in once.
    writer = Browser(site.port)
    writer.sign_in("demo-community", site.accounts["demo-community"])
    readers = []
    for username in ("demo-community", "demo-xuhui", "demo-admin"):
        browser = Browser(site.port)
        browser.sign_in(username, site.accounts[username])
        readers.append(browser)
    workspace = f"/applications/{site.application}/"
    form_url = f"/applications/{site.application}/sections/{SECTION}/"
    with sqlite3.connect(site.database) as connection:
        [(version_before,)] = connection.execute(
            "SELECT version FROM applications_application WHERE id = ?", (site.application,)
        ).fetchall()

    tally = Tally()
    deadline = time.monotonic() + SECONDS

    def read(number: int) -> None:
        browser = readers[number % len(readers)]
        pages = (workspace, "/")
        while time.monotonic() < deadline:
            status, _location, _page = tally.timed(browser, "GET", pages[number % 2])
            tally.count(tally.reads, status)
            number += 1

    def write(number: int) -> None:
        saves = 0
        while time.monotonic() < deadline:
            status, _location, page = tally.timed(writer, "GET", form_url)
            if status != 200:
                tally.count(tally.writes, f"form {status}")
                continue
            fields = FormFields.of(page)
            saves += 1
            fields["implementing_bodies"] = (
                f"街道办事处与居委会（第{number}位编辑，第{saves}次保存）"
            )
            fields["implementing_bodies__format"] = "plain"
            status, location, page = tally.timed(writer, "POST", form_url, fields)
            if status == 302 and location.startswith(workspace):
                tally.count(tally.writes, "saved")
            elif status == 200 and STALE in page:
                tally.count(tally.writes, "someone else saved first")
            elif status == 503 and BUSY in page:
                tally.count(tally.writes, "busy, save again")
            else:
                tally.count(tally.writes, f"unexpected {status}")
                with tally.lock:
                    tally.unexpected.append(f"POST {status} {location} {page[:500]!r}")

    threads = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    threads += [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 180)
    assert not any(thread.is_alive() for thread in threads), "a request hung"

    with sqlite3.connect(site.database) as connection:
        [(version_after,)] = connection.execute(
            "SELECT version FROM applications_application WHERE id = ?", (site.application,)
        ).fetchall()
        [(journal,)] = connection.execute("PRAGMA journal_mode").fetchall()
    print(
        f"\nSQLite load, {SECONDS:.0f} s, {READERS} readers + {WRITERS} writers, "
        f"{WORKERS} gunicorn workers: {len(tally.times_ms)} requests, "
        f"p95 {tally.p95():.0f} ms, reads {tally.reads}, writes {tally.writes}, "
        f"server errors {len(tally.server_errors)}"
    )
    assert not tally.server_errors, "\n".join(tally.server_errors[:10])
    assert not tally.unexpected, "\n".join(tally.unexpected[:10])
    assert set(tally.reads) == {200}, tally.reads
    assert tally.writes.get("saved", 0) >= WRITERS, tally.writes
    assert version_after - version_before == tally.writes["saved"]
    assert journal == "wal"


def test_a_lockout_holds_across_the_server_processes(site: Site) -> None:
    # Five wrong passwords at once: the four sync workers take them in parallel, so a count
    # kept per process (a local-memory cache) would stay below the limit in each of them.
    def wrong(number: int) -> int:
        browser = Browser(site.port)
        _status, _location, page = browser.request("GET", "/accounts/login/")
        token = FormFields.of(page)["csrfmiddlewaretoken"]
        form = {"csrfmiddlewaretoken": token, "username": "demo-expert3", "password": f"x{number}"}
        return browser.request("POST", "/accounts/login/", form)[0]

    answers: list[int] = []
    threads = [threading.Thread(target=lambda n=n: answers.append(wrong(n))) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(answers) in ([200, 200, 200, 200, 429], [200, 200, 200, 200, 200])
    browser = Browser(site.port)
    status, _location, page = browser.request("GET", "/accounts/login/")
    token = FormFields.of(page)["csrfmiddlewaretoken"]
    right = {
        "csrfmiddlewaretoken": token,
        "username": "demo-expert3",
        "password": site.accounts["demo-expert3"],
    }
    status, _location, page = browser.request("POST", "/accounts/login/", right)
    assert status == 429
    assert "登录失败次数过多" in page
    with sqlite3.connect(site.database) as connection:
        [(count,)] = connection.execute(
            "SELECT SUM(failures_since_start) FROM axes_accessattempt WHERE username = ?",
            ("demo-expert3",),
        ).fetchall()
    assert count == 5
