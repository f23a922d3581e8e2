"""Sign-in: paused after repeated failures per account and per address, on the admin site too,
counted in the database and audited; sessions expire when idle; strong passwords."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.actions import (
    SIGN_IN_FAILED,
    SIGN_IN_LOCKED_OUT,
    SIGNED_IN,
    do_create_user,
)
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.models import Organisation

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多"
WRONG = "请输入一个正确的"  # Django's "enter a correct user name and password"


def attempt(client: Client, username: str, password: str, url: str | None = None) -> int:
    response = client.post(url or reverse("login"), {"username": username, "password": password})
    return response.status_code


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_signs_in(admin_user: User) -> None:
    client = Client()
    assert attempt(client, "admin", PASSWORD) == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_fifth_failure_pauses_the_account_even_for_the_right_password(
    admin_user: User,
) -> None:
    client = Client()
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "admin", "password": "wrong-1"})
        assert response.status_code == 200
        assert WRONG in response.content.decode()
        assert LOCKED not in response.content.decode()
    response = client.post(reverse("login"), {"username": "admin", "password": "wrong-5"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "15分钟" in response.content.decode()
    response = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)
    # Another browser, another address: the account itself is paused.
    elsewhere = Client(REMOTE_ADDR="10.20.30.40")
    assert attempt(elsewhere, "admin", PASSWORD) == 429
    assert not signed_in(elsewhere)


def test_four_failures_do_not_lock_and_success_resets_the_count(admin_user: User) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, "ADMIN ", "wrong-password-1")  # counted without case or spaces
    assert attempt(client, "admin", PASSWORD) == 302
    client.logout()
    for _ in range(4):
        attempt(client, "admin", "wrong-password-1")
    assert attempt(client, "admin", PASSWORD) == 302


def test_case_and_spaces_do_not_make_a_new_count(admin_user: User) -> None:
    client = Client()
    for name in ("admin", "Admin", " ADMIN", "aDmIn ", "admin"):
        attempt(client, name, "wrong-password-1")
    assert attempt(client, "admin", PASSWORD) == 429


def test_the_admin_sign_in_is_paused_after_the_limit(admin_user: User) -> None:
    admin_login = reverse("admin:login")
    client = Client()
    for _ in range(5):
        attempt(client, "admin", "wrong-password-1", admin_login)
    response = client.post(admin_login, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)
    # One count for both doors: the platform's sign-in page is paused too.
    assert attempt(client, "admin", PASSWORD) == 429


def test_the_admin_sign_in_counts_towards_the_platform_sign_in(admin_user: User) -> None:
    client = Client()
    for _ in range(3):
        attempt(client, "admin", "wrong-password-1", reverse("admin:login"))
    for _ in range(2):
        attempt(client, "admin", "wrong-password-1")
    assert attempt(client, "admin", PASSWORD) == 429


@pytest.fixture
def officers(municipal: Organisation, admin_user: User) -> list[User]:
    return [
        do_create_user(
            username=f"officer{number}",
            password=PASSWORD,
            role=Role.ADMINISTRATOR,
            organisation=municipal,
            actor=admin_user,
        )
        for number in range(9)
    ]


def test_guesses_spread_over_accounts_from_one_address_are_paused_by_address(
    officers: list[User],
) -> None:
    attacker = Client(REMOTE_ADDR="192.0.2.7")
    answers = [
        attempt(attacker, f"officer{number}", f"guess-{guess}")
        for number in range(8)
        for guess in range(4)
    ]
    # No account reached its own limit (4 < 5), but the address reached 20 failures.
    assert answers[:19] == [200] * 19
    assert set(answers[19:]) == {429}
    assert attempt(attacker, "officer8", PASSWORD) == 429
    assert not signed_in(attacker)
    # The accounts themselves are not paused: from another address they sign in.
    colleague = Client(REMOTE_ADDR="192.0.2.8")
    assert attempt(colleague, "officer8", PASSWORD) == 302
    assert attempt(Client(REMOTE_ADDR="192.0.2.9"), "officer0", PASSWORD) == 302


def test_signing_in_to_ones_own_account_does_not_wipe_the_failures_against_others(
    officers: list[User],
) -> None:
    attacker = Client(REMOTE_ADDR="192.0.2.7")
    for _ in range(4):
        attempt(attacker, "officer1", "guess")
    assert attempt(attacker, "officer0", PASSWORD) == 302  # the attacker's own account
    attacker.logout()
    assert attempt(attacker, "officer1", "guess") == 429


def test_the_counts_are_in_the_database_that_every_server_process_shares(
    admin_user: User,
) -> None:
    assert settings.AXES_HANDLER == "lowcarbon.web.accounts.sign_in.SignInHandler"
    for _ in range(5):
        attempt(Client(), "admin", "wrong-password-1")
    [row] = AccessAttempt.objects.filter(username="admin")
    assert row.failures_since_start == 5
    assert "wrong-password-1" not in row.post_data  # the password typed is never stored
    # Nothing in this process's memory holds the lockout: emptied caches change nothing.
    cache.clear()
    assert attempt(Client(), "admin", PASSWORD) == 429
    # The lockout ends when its rows go (after 15 minutes, or `manage.py axes_reset_username`).
    AccessAttempt.objects.all().delete()
    assert attempt(Client(), "admin", PASSWORD) == 302


def test_sign_ins_failures_and_lockouts_are_audited(admin_user: User) -> None:
    client = Client(REMOTE_ADDR="198.51.100.4")
    assert attempt(client, "admin", PASSWORD) == 302
    event = AuditEvent.objects.filter(action=SIGNED_IN).latest("id")
    assert (event.actor, event.object_id, event.ip_address) == (
        admin_user,
        str(admin_user.pk),
        "198.51.100.4",
    )
    client.logout()
    for _ in range(5):
        attempt(client, "admin", "wrong-password-1")
    failures = AuditEvent.objects.filter(action=SIGN_IN_FAILED).order_by("id")
    assert [e.after["account_failures"] for e in failures] == [1, 2, 3, 4, 5]  # type: ignore[index]
    assert {(e.object_type, e.object_id, e.ip_address) for e in failures} == {
        ("accounts.User", str(admin_user.pk), "198.51.100.4")
    }
    [lockout] = AuditEvent.objects.filter(action=SIGN_IN_LOCKED_OUT)
    assert lockout.after == {
        "username": "admin",
        "path": reverse("login"),
        "locked": "account",
        "account_failures": 5,
        "address_failures": 5,
    }
    # Attempts refused during the lockout are logged, not audited (the log is append-only).
    attempt(client, "admin", PASSWORD)
    assert AuditEvent.objects.filter(action=SIGN_IN_FAILED).count() == 5
    assert AuditEvent.objects.filter(action=SIGN_IN_LOCKED_OUT).count() == 1


def test_a_failure_for_a_name_of_no_account_is_audited_with_the_name_typed(db: None) -> None:
    attempt(Client(), "nobody-here", "wrong-password-1")
    [event] = AuditEvent.objects.filter(action=SIGN_IN_FAILED)
    assert event.object_type == "axes.AccessAttempt"
    assert event.after["username"] == "nobody-here"  # type: ignore[index]
    assert event.actor is None


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


def test_operators_see_the_counts_in_the_admin_but_cannot_delete_them(admin_user: User) -> None:
    for _ in range(5):
        attempt(Client(), "admin", "wrong-password-1")
    [row] = AccessAttempt.objects.all()
    operator = User.objects.create_superuser("operator", password=PASSWORD)  # createsuperuser
    client = Client()
    client.force_login(operator)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "127.0.0.1" in listing.content.decode()
    delete = reverse("admin:axes_accessattempt_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=row.pk).exists()
