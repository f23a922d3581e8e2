"""Hostile values in every form field of every POST view the permission matrix knows (issue 11,
Tests): huge exponents, NaN/Infinity/sNaN, 100 000 characters, control characters, bidi marks,
NUL, nested JSON, posted by the role the matrix lets post there.

What must hold for every request: no answer of 500 or more, no request using a second of CPU
or more, and the database unchanged after every refusal (a fingerprint of row counts and
version counters, tests/web/fingerprint.py); a request that does change something (a hostile
text can be a valid reason) must leave an audit event.

The forms are not listed by hand: every page the posting role may see (the matrix's GET rows
answering 200) is read, and every ``<form method="post">`` whose action is a POST row's view is
taken with its fields and their values as a browser would send them. The coverage test fails
when a POST row of the matrix has no form and no stand-in (:data:`FORMLESS`), so a new view
cannot escape the fuzzing.

Each Hypothesis example runs in a savepoint that is rolled back, so every example meets the
objects of the matrix as they were made. Examples per property: the Hypothesis profile's
(HYPOTHESIS_PROFILE=ci: 200).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.models import AuditEvent

from .fingerprint import database_fingerprint
from .test_permission_matrix import LOGIN, ROLES, ROWS, World, build_world

pytestmark = pytest.mark.django_db

GET, POST = "GET", "POST"
# The roles the matrix lets post somewhere (the anonymous sign in).
POSTERS = ("anonymous", "applicant", "other_applicant", "officer", "expert", "reviewer", "admin")
ALLOWED = (200, 302, 400)  # the answers of a role that may post (even an empty POST)
CPU_SECONDS = 1.0  # the most one request may take, whatever is posted

# POST-only views the matrix lists with a GET row alone (405), and who posts there.
POST_ONLY_POSTERS = {"review:inspection_record": "reviewer"}

# POST views whose form is not on any page of the matrix's objects (it appears only in a later
# state: an expert's submitted scores, a ranked application, a photo), with the fields the view
# reads.
FORMLESS: dict[str, tuple[str, ...]] = {
    "review:reopen": ("reason",),  # a submitted expert's row of the panel page
    "review:revise": ("level", "points", "count", "reason", "version"),  # after submitting
    # The expert's sheet is one form (review:save_sheet); the page's script posts an item's
    # fields to the autosave, and a page of an older version posted to save_item.
    "review:save_item": ("level", "points", "count", "reason", "version"),
    "review:autosave_item": ("1:level", "1:evidence", "1:comment", "version"),
    "review:decide": ("d3-outcome", "d3-reasons", "outcome", "reasons"),  # a ranked one
    "review:result": ("text",),  # the discussion of divergent scores
    "review:workspace": ("version",),  # answers a POST as a GET: no form posts there
    "documents:template_reset": ("outline",),  # a template of the administrator's in use
    "password_reset": ("email",),  # offered only when mail is configured
    # Forms of the filing's page and the archive record's page that post to their own URLs.
    "creation:filing_save": ("version", "part_1", "summary", "task_1_status", "task_1_note"),
    "creation:filing_activity": ("version", "workbook"),
    "creation:filing_submit": ("version",),
    "creation:filing_delete": ("version",),
    "archive:publish": ("version",),
    # The matrix's archive record is cited by the unit's frozen report (and the report is
    # submitted, so its submit button is gone): their forms no longer show on their pages.
    "archive:remove": ("version", "reason"),
    "evaluation:submit": ("version",),
    # The decision form shows on the acceptance page once a panel has scored a passed report.
    "acceptance:decide": ("panel", "version", "reasons", "improvements", "opinion", "deadline"),
    # The matrix's household has its resident account: the form to make one no longer shows.
    "households:account": ("username", "full_name"),
    # The matrix's community has no household meter: no meter to link or unlink, no meter
    # figure kept beside a bill, so those forms do not show.
    "households:meter_link": ("meter", "since"),
    "households:meter_unlink": ("link",),
    "households:month_take_metered": ("version",),
    # The coverage page shows its filing button only when the unit has meters (the matrix's
    # unit has none).
    "monitoring_coverage:archive": (),
    # The correction form shows for a stored interval (the matrix's meter has no readings).
    "monitoring:correction_new": (
        "start",
        "expected_from",
        "kind",
        "value",
        "read_from_meter",
        "reason",
    ),
}
NOT_FUZZED = {"csrfmiddlewaretoken"}  # the test client does not check it

# Refusals that leave a trace by design: a failed sign-in is an audit event (accounts).
TRACE_ON_REFUSAL = {"login": {"audit.AuditEvent"}}

# --- the hostile values -----------------------------------------------------------------------

NESTED_ARRAYS = "[" * 5000 + "]" * 5000
NESTED_OBJECTS = '{"a":' * 2000 + "1" + "}" * 2000
NESTED_STRINGS = json.dumps(json.dumps(json.dumps({"points": "1e9999999", "a": [[[[1]]]]})))
NAMED: list[str] = [
    "1e9999999",
    "1e1000000",
    "-1e5000",
    "1e999999",
    "1e308",
    "-1e308",
    "1e-9999999",
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "9" * 100_000,
    "x" * 100_000,
    "９" * 5000,
    "1" * 4301,  # past Python's limit for int("…")
    "²",
    "٣",
    "0x10",
    "1_000",
    "-0",
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e12",
    "12\u202e",
    "\u200f\u200e\u2066",
    "\x1b[31m",
    "\r\n\t\x0b\x0c",
    "\ufeff",
    NESTED_ARRAYS,
    NESTED_OBJECTS,
    NESTED_STRINGS,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "=cmd|' /C calc'!A0",
    "a/b",
    "%00",
]

_JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=10,
)
HOSTILE = st.one_of(
    st.sampled_from(NAMED),
    st.from_regex(r"[-+]?[0-9]{0,40}(\.[0-9]{0,40})?([eE][-+]?[0-9]{1,12})?", fullmatch=True),
    st.integers().map(str),
    st.floats().map(str),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.text(st.sampled_from("0123456789.,eE+-\x00\u202e\u200f\x1b\n１２，"), max_size=40),
    _JSON.map(json.dumps),
    st.builds(
        lambda piece, count: piece * count,
        st.sampled_from(["9", "x", "\x00", "\u202e", "[", "{", "1e9", "，"]),
        st.integers(1_000, 100_000),
    ),
)

# --- the forms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    defaults: tuple[str, ...]  # what a browser sends unchanged (empty: nothing)


@dataclass(frozen=True)
class Form:
    view: str  # the URL name of the POST row
    url: str
    role: str
    fields: tuple[Field, ...]

    def data(self, hostile: dict[str, str]) -> dict[str, Any]:
        """The form as a browser sends it, with the fields in ``hostile`` replaced."""
        data: dict[str, Any] = {}
        for each in self.fields:
            if each.name in hostile:
                data[each.name] = hostile[each.name]
            elif each.defaults:
                data[each.name] = list(each.defaults)
        return data | {name: value for name, value in hostile.items() if name not in data}


class _Forms(HTMLParser):
    """The post forms of a page: action and fields with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
            return
        fields, name = self._fields, a.get("name", "")
        if fields is None or (not name and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            values = fields.setdefault(name, [])
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    values.append(a.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                values.append(a.get("value", ""))
        elif tag == "button":
            fields.setdefault(name, [])  # a named button: a field only when fuzzed
        elif tag == "textarea":
            self._textarea = name
            fields.setdefault(name, []).append("")
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False
            fields.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                fields[self._select].append(value)
                self._select_chosen = True

    def handle_data(self, data: str) -> None:
        if self._fields is not None and self._textarea is not None:
            self._fields[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._fields is not None:
            if not self._select_chosen and self._select_first is not None:
                self._fields[self._select].append(self._select_first)
            self._select = None


def _answer(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return int(response.status_code)


def post_rows(world: World) -> list[tuple[str, str, str]]:
    """(URL name, URL, role that may post) for every POST row of the matrix with such a role,
    and the POST-only views it lists with a GET row alone."""
    found: list[tuple[str, str, str]] = []
    for row in ROWS:
        url = reverse(row.name, kwargs=row.kwargs(world))
        if row.method == POST:
            role = next((r for r in ROLES if row.expected[r] in ALLOWED), None)
            if row.name in ("login", "logout"):  # the anonymous sign in; anyone signs out
                role = "anonymous" if row.name == "login" else "applicant"
            if role is not None:
                found.append((row.name, url, role))
        elif row.name in POST_ONLY_POSTERS:
            found.append((row.name, url, POST_ONLY_POSTERS[row.name]))
    return found


def _view_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def discover(world: World, clients: dict[str, Client], roles: tuple[str, ...]) -> list[Form]:
    """Every post form aimed at a POST row's view of one of ``roles``, on every page the
    posting role may see; a stand-in (:data:`FORMLESS`) for a view whose form is on none."""
    posting = [entry for entry in post_rows(world) if entry[2] in roles]
    views_of: dict[str, set[str]] = {}
    for name, _url, role in posting:
        views_of.setdefault(role, set()).add(name)
    forms: dict[tuple[str, str, str], Form] = {}
    for role, views in views_of.items():
        pages = [
            reverse(row.name, kwargs=row.kwargs(world))
            for row in ROWS
            if row.method == GET and row.expected[role] == 200
        ]
        for page in dict.fromkeys(pages):
            response = clients[role].get(page)
            if response.streaming:  # a download: read to its end, so the client closes it
                b"".join(response.streaming_content)
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(response.content.decode())
            for action, fields in parser.forms:
                url = action or page
                view = _view_of(url)
                if view in views:
                    shape = tuple(
                        Field(n, tuple(v)) for n, v in sorted(fields.items()) if n not in NOT_FUZZED
                    )
                    forms.setdefault((view, url, role), Form(view, url, role, shape))
    for name, url, role in posting:
        if name in FORMLESS and not any(f.view == name for f in forms.values()):
            shape = tuple(Field(n, ()) for n in FORMLESS[name])
            forms[(name, url, role)] = Form(name, url, role, shape)
    return list(forms.values())


# --- running one request -----------------------------------------------------------------------

SENT: Counter[str] = Counter()


@dataclass
class Bench:
    world: World
    clients: dict[str, Client]
    found: dict[tuple[str, ...], list[Form]] = field(default_factory=dict)

    def forms(self, *roles: str) -> list[Form]:
        """The forms of ``roles`` (all posting roles when none), read once per bench."""
        key = roles or POSTERS
        if key not in self.found:
            self.found[key] = discover(self.world, self.clients, key)
        return self.found[key]


@pytest.fixture
def bench(users: dict[str, User], admin_user: User, applicant: User, officer: User) -> Bench:
    world = build_world(users, admin_user, applicant, officer)
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in world.users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    return Bench(world, clients)


def _changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    }


def attack(bench: Bench, form: Form, hostile: dict[str, str]) -> None:
    """Post ``form`` with ``hostile`` values as its role; check the answer and the database;
    then undo whatever the request did (the savepoint), cookies included."""
    client = bench.clients[form.role]
    cookies = SimpleCookie(client.cookies.output(header="", sep=";"))
    try:
        with transaction.atomic():
            before = database_fingerprint()
            events = AuditEvent.objects.count()
            started = time.process_time()
            response = client.post(form.url, form.data(hostile))
            spent = time.process_time() - started
            SENT[form.view] += 1
            where = f"POST {form.url} ({form.view}) as {form.role} with {_shown(hostile)}"
            assert response.status_code < 500, f"{response.status_code}: {where}"
            assert spent < CPU_SECONDS, f"{spent:.2f} s of CPU: {where}"
            changed = _changed(before, database_fingerprint())
            if response.status_code != 302:
                allowed = TRACE_ON_REFUSAL.get(form.view, set())
                assert changed <= allowed, f"refused ({_answer(response)}) but {changed}: {where}"
            elif changed:
                assert AuditEvent.objects.count() > events, f"unaudited change {changed}: {where}"
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies


def _shown(hostile: dict[str, str]) -> str:
    return repr({k: v if len(v) <= 40 else f"{v[:20]!r}…({len(v)})" for k, v in hostile.items()})


# --- the tests ---------------------------------------------------------------------------------


def test_every_post_view_of_the_matrix_is_fuzzed(bench: Bench) -> None:
    forms = bench.forms()
    posting = {name for name, _url, _role in post_rows(bench.world)}
    missing = sorted(posting - {form.view for form in forms})
    assert not missing, f"POST views without a form to fuzz (add them to FORMLESS): {missing}"
    unused = sorted(set(FORMLESS) - posting)
    assert not unused, f"FORMLESS names no POST row of the matrix: {unused}"
    assert {role for _name, _url, role in post_rows(bench.world)} == set(POSTERS)
    # The assessment and the expert's workspace have a form for each of the 28 items.
    assert sum(form.view == "applications:assessment_save" for form in forms) == 28
    [sheet] = [form for form in forms if form.view == "review:save_sheet"]
    assert {field.name for field in sheet.fields} >= {"10:points", "10:reason", "version"}


def _shapes(forms: list[Form]) -> list[Form]:
    """One form of each view and set of field names (items of one rule kind share theirs)."""
    shapes: dict[tuple[str, tuple[str, ...]], Form] = {}
    for form in forms:
        shapes.setdefault((form.view, tuple(f.name for f in form.fields)), form)
    return list(shapes.values())


@pytest.mark.parametrize("role", POSTERS)
def test_every_field_with_the_named_values(bench: Bench, role: str) -> None:
    """Every named value in every form of the role, dealt round-robin over its fields, so each
    value meets each view and each field meets several values, in a bounded number of posts."""
    for form in _shapes(bench.forms(role)):
        names = [field.name for field in form.fields] or ["x"]
        for index in range(max(len(NAMED), len(names))):
            attack(bench, form, {names[index % len(names)]: NAMED[index % len(NAMED)]})


@pytest.mark.parametrize("role", POSTERS)
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_values_in_the_forms_of_a_role(bench: Bench, role: str, data: Any) -> None:
    forms = bench.forms(role)
    assert forms, role
    # The draws have one shape whatever form is picked (indices and a fixed number of values,
    # dealt over the form's fields): Hypothesis replays an example by its draws, and a shape
    # that followed the form's field count made any difference between two readings of the
    # pages look like inconsistent data generation.
    form = forms[data.draw(st.integers(0, len(forms) - 1), label="form")]
    names = [field.name for field in form.fields] or ["x"]
    picks = data.draw(st.lists(st.integers(0, 10_000), min_size=1, max_size=3), label="fields")
    values = data.draw(st.lists(HOSTILE, min_size=3, max_size=3), label="values")
    hostile = {names[pick % len(names)]: values[i] for i, pick in enumerate(picks)}
    if data.draw(st.booleans(), label="everything hostile"):
        spread = data.draw(st.lists(HOSTILE, min_size=6, max_size=6), label="spread")
        hostile |= {name: spread[i % len(spread)] for i, name in enumerate(names)}
    attack(bench, form, hostile)


@pytest.fixture(autouse=True, scope="module")
def _report() -> Iterator[None]:
    yield
    print(f"\nfuzz: {sum(SENT.values())} requests, by view: {dict(sorted(SENT.items()))}")
