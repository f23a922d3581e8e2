"""Sign-in: throttled after repeated failures, sessions expire when idle, strong passwords."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.models import User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str) -> int:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code


def test_the_right_password_signs_in(admin_user: User) -> None:
    client = Client()
    assert attempt(client, "admin", PASSWORD) == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_sixth_attempt_is_refused_even_with_the_right_password(admin_user: User) -> None:
    client = Client()
    for _ in range(5):
        assert attempt(client, "admin", "wrong-password-1") == 200
    response = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_and_success_resets_the_count(admin_user: User) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "ADMIN", "wrong-password-1")
    assert attempt(client, "admin", PASSWORD) == 302
    client.logout()
    for _ in range(4):
        attempt(client, "admin", "wrong-password-1")
    assert attempt(client, "admin", PASSWORD) == 302


def test_sessions_expire_after_thirty_idle_minutes(admin_user: User) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Renewed by a request at most once a minute (tests/web/test_busy.py), not on every one.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    client = Client()
    attempt(client, "admin", PASSWORD)
    assert client.session.get_expiry_age() == 30 * 60


def test_passwords_need_ten_characters_and_the_standard_validators() -> None:
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 10}
