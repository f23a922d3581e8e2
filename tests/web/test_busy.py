"""A busy database is a "save again" page, never a 500; sessions are not written on every
request (issue 11, finding 3; the load itself: test_sqlite_load.py)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from lowcarbon.web.accounts.models import User
from lowcarbon.web.busy import is_database_busy, server_error
from lowcarbon.web.sessions import RENEWED_AT

from .conftest import PASSWORD


def locked(request: HttpRequest) -> HttpResponse:
    raise OperationalError("database is locked")


def broken(request: HttpRequest) -> HttpResponse:
    raise OperationalError("no such table: applications_application")


urlpatterns = [
    path("test/locked/", locked),
    path("test/broken/", broken),
    path("", include("lowcarbon.web.urls")),
]


@pytest.mark.urls("tests.web.test_busy")
@pytest.mark.django_db
def test_a_database_still_locked_after_the_timeout_is_a_503_that_says_save_again() -> None:
    response = Client().post("/test/locked/", {"text": "x"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "其他人正在保存" in page
    assert "本次未保存" in page
    assert "locked" not in page
    assert "OperationalError" not in page


@pytest.mark.urls("tests.web.test_busy")
@pytest.mark.django_db
def test_other_database_errors_stay_server_errors() -> None:
    response = Client(raise_request_exception=False).get("/test/broken/")
    assert response.status_code == 500
    assert "其他人正在保存" not in response.content.decode()


def test_the_500_handler_answers_503_for_a_lock_met_outside_the_view() -> None:
    # e.g. the session saved after the view: the handler runs while the error is handled.
    request = RequestFactory().post("/applications/1/sections/1.1/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert "其他人正在保存" in response.content.decode()
    try:
        raise OperationalError("disk I/O error")
    except OperationalError:
        assert server_error(request).status_code == 500
    assert not is_database_busy(ValueError("database is locked"))


def test_sqlite_is_set_up_for_concurrent_use() -> None:
    from lowcarbon.web.settings import base

    options = base.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 10


# --- the idle timeout without a write per request -----------------------------------------------


def _expiry(client: Client) -> datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return sum(
        1
        for query in queries.captured_queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().startswith(("UPDATE", "INSERT"))
    )


@pytest.mark.django_db
def test_reading_pages_does_not_write_the_session_more_than_once_a_minute(
    admin_user: User,
) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_RENEW_INTERVAL == 60
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "admin", "password": PASSWORD}).status_code
        == 302
    )
    assert _session_writes(client) == 1  # the first request after signing in renews
    signed_in = _expiry(client)
    for _ in range(5):
        assert _session_writes(client) == 0
    assert _expiry(client) == signed_in


@pytest.mark.django_db
@pytest.mark.parametrize(("renewed_ago", "renewed"), [(61, True), (50, False)])
def test_a_request_a_minute_after_the_last_renewal_extends_the_idle_timeout(
    admin_user: User, renewed_ago: int, renewed: bool
) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    session = client.session
    session[RENEWED_AT] = int(time.time()) - renewed_ago
    session.save()
    # As if the last renewal had set the expiry then: 30 minutes from that moment.
    stored = timezone.now() + timedelta(seconds=30 * 60 - renewed_ago)
    Session.objects.filter(session_key=session.session_key).update(expire_date=stored)
    assert _session_writes(client) == (1 if renewed else 0)
    if renewed:
        assert _expiry(client) >= stored + timedelta(seconds=renewed_ago - 1)
    else:
        assert _expiry(client) == stored
