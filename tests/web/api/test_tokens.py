"""Tokens: created in the web and shown once, kept hashed, refused when expired or revoked,
last use recorded, write use audited, rate limited with Retry-After."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from lowcarbon.web.accounts.models import User
from lowcarbon.web.api.models import ApiToken
from lowcarbon.web.api.tokens import do_create_token, do_revoke_token
from lowcarbon.web.audit.models import AuditEvent

from .conftest import bearer
from .test_skeleton import assert_problem

pytestmark = pytest.mark.django_db


def test_admin_creates_a_token_in_the_web_shown_once_and_kept_hashed(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(User.objects.get(username="admin"))
    response = client.post(
        "/api-tokens/new/",
        {
            "name": "徐汇区数据平台",
            "organisation": world["xuhui"].pk,
            "scopes": ["read-district"],
            "days": "90",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret.startswith("lct_")
    assert secret in response.content.decode()
    token = ApiToken.objects.get()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))  # never stored
    listing = client.get("/api-tokens/").content.decode()
    assert token.prefix in listing
    assert secret not in listing
    event = AuditEvent.objects.get(action="api_token_created")
    assert secret not in str(event.after)
    assert client.get("/api/v1/rounds", **bearer(secret)).status_code == 200


def test_unit_staff_give_their_gateways_read_unit_and_write_readings_only(
    client: Client, world: dict[str, Any]
) -> None:
    applicant = world["applicant"]
    token, _ = do_create_token(
        name="网关",
        organisation=world["unit"],
        scopes=["write-readings", "read-unit"],
        days=30,
        actor=applicant,
        now=timezone.now(),
    )
    assert token.created_by == applicant
    for organisation, scopes, field in (
        (world["unit"], ["read-city"], "scopes"),
        (world["other"], ["write-readings"], "organisation"),
        (world["xuhui"], ["read-district"], "organisation"),
    ):
        with pytest.raises(ValidationError) as refused:
            do_create_token(
                name="x",
                organisation=organisation,
                scopes=scopes,
                days=30,
                actor=applicant,
                now=timezone.now(),
            )
        assert field in refused.value.message_dict
    client.force_login(User.objects.get(username="applicant"))
    page = client.get("/api-tokens/").content.decode()
    assert "网关" in page
    assert "read-city" not in page


def test_a_scope_is_only_for_its_kind_of_organisation(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        do_create_token(
            name="x",
            organisation=world["unit"],
            scopes=["read-city"],
            days=30,
            actor=world["admin"],
            now=timezone.now(),
        )
    assert "read-city" in refused.value.message_dict["scopes"][0]


def test_officers_and_experts_have_no_token_pages(client: Client, world: dict[str, Any]) -> None:
    for username in ("officer", "expert"):
        client.force_login(User.objects.get(username=username))
        assert client.get("/api-tokens/").status_code == 403


def test_expired_and_revoked_tokens_are_refused_401(
    client: Client, world: dict[str, Any], make_token: Any
) -> None:
    expired = make_token(
        world["municipal"], "read-city", days=1, now=timezone.now() - timedelta(days=2)
    )
    body = assert_problem(client.get("/api/v1/rounds", **bearer(expired)), 401, "unauthenticated")
    assert "过期" in body["detail_zh"]
    assert "expired" in body["detail_en"]
    live = make_token(world["municipal"], "read-city")
    assert client.get("/api/v1/rounds", **bearer(live)).status_code == 200
    token = ApiToken.objects.get(prefix=live.split("_")[1])
    do_revoke_token(token, reason="网关更换", actor=world["admin"], now=timezone.now())
    body = assert_problem(client.get("/api/v1/rounds", **bearer(live)), 401, "unauthenticated")
    assert "revoked" in body["detail_en"]
    assert AuditEvent.objects.filter(action="api_token_revoked", reason="网关更换").exists()
    wrong = live[:-3] + "abc"
    assert_problem(client.get("/api/v1/rounds", **bearer(wrong)), 401, "unauthenticated")


def test_revoking_in_the_web(client: Client, world: dict[str, Any], make_token: Any) -> None:
    secret = make_token(world["unit"], "write-readings", actor=world["applicant"])
    token = ApiToken.objects.get()
    client.force_login(User.objects.get(username="applicant"))
    response = client.post(f"/api-tokens/{token.pk}/revoke/", {"reason": "设备报废"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoke_reason == "设备报废"
    assert client.get("/api/v1/rounds", **bearer(secret)).status_code == 401
    # Another unit's staff cannot even see it.
    other = ApiToken.objects.create(
        name="o",
        organisation=world["other"],
        scopes=["read-unit"],
        prefix="zz",
        secret_hash="0" * 64,
        created_by=world["admin"],
        created_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert client.post(f"/api-tokens/{other.pk}/revoke/", {"reason": "x"}).status_code == 404


def test_last_used_is_recorded(client: Client, world: dict[str, Any], make_token: Any) -> None:
    secret = make_token(world["municipal"], "read-city")
    assert ApiToken.objects.get().last_used_at is None
    client.get("/api/v1/rounds", **bearer(secret))
    assert ApiToken.objects.get().last_used_at is not None


def test_rate_limit_answers_429_with_retry_after(
    client: Client, world: dict[str, Any], make_token: Any, settings: Any
) -> None:
    settings.LOWCARBON_API_RATE_LIMIT = 3
    settings.LOWCARBON_API_RATE_WINDOW = 60
    secret = make_token(world["municipal"], "read-city")
    for _ in range(3):
        assert client.get("/api/v1/rounds", **bearer(secret)).status_code == 200
    response = client.get("/api/v1/rounds", **bearer(secret))
    body = assert_problem(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "3" in body["detail_zh"]
    # Another token has its own window.
    other = make_token(world["municipal"], "read-city")
    assert client.get("/api/v1/rounds", **bearer(other)).status_code == 200


def test_guessing_tokens_is_rate_limited_by_address(
    client: Client, world: dict[str, Any], settings: Any
) -> None:
    settings.LOWCARBON_API_RATE_LIMIT = 2
    for _ in range(2):
        assert client.get("/api/v1/rounds", **bearer("lct_abc_guess")).status_code == 401
    response = client.get("/api/v1/rounds", **bearer("lct_abc_guess"))
    assert_problem(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
