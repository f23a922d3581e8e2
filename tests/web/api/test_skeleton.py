"""The API's skeleton: its OpenAPI 3.1 document, its docs page under the site's CSP, and every
error as application/problem+json in both languages."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.test import Client

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {
    "type",
    "title",
    "status",
    "detail",
    "code",
    "title_zh",
    "title_en",
    "detail_zh",
    "detail_en",
}


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:lowcarbon:problem:{code}"
    assert "Traceback" not in response.content.decode()
    return body


def test_openapi_document_is_valid_openapi_3_1(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()  # raises when the document breaks the OpenAPI 3.1 meta-schema
    assert "/api/v1/units/{unit_id}/reading-batches" in document["paths"]
    # Error answers are documented as problems.
    answers = document["paths"]["/api/v1/rounds"]["get"]["responses"]
    assert set(answers["401"]["content"]) == {"application/problem+json"}
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_docs_page_uses_only_local_files_under_the_csp(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    html = response.content.decode()
    # Every script is a file of this site; the only inline <script> is JSON data, never run.
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/ninja/' in tag or 'type="application/json"' in tag, tag
    assert 'id="swagger-settings"' in html
    assert '"url": "/api/v1/openapi.json"' in html  # the settings the init script reads
    assert "cdn" not in html.lower()
    assert "http://" not in html
    assert "https://" not in html
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert b"".join(answer.streaming_content)
        answer.close()


def test_unknown_path_is_a_problem_in_both_languages(client: Client) -> None:
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["title_zh"] == "未找到"
    assert body["title_en"] == "Not found"
    assert body["title"] == body["title_zh"]  # Chinese unless the request asks for English
    english = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["title"] == "Not found"


def test_method_not_allowed_is_a_problem_with_allow(client: Client) -> None:
    response = client.delete("/api/v1/published/decisions")
    assert_problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_missing_token_is_401_with_www_authenticate(client: Client) -> None:
    response = client.get("/api/v1/rounds")
    body = assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in body["detail_en"]


def test_invalid_values_are_422_naming_the_field(client: Client) -> None:
    body = assert_problem(client.get("/api/v1/published/decisions?limit=0"), 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["query.limit"]
    assert "query.limit" in body["detail_zh"]


def test_a_cursor_not_given_by_the_api_is_400(client: Client) -> None:
    assert_problem(client.get("/api/v1/published/decisions?cursor=zz"), 400, "invalid_cursor")


def test_a_crash_is_a_problem_without_traceback(client: Client, monkeypatch) -> None:
    from lowcarbon.web.api import routes

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes, "page_of_queryset", broken)
    response = client.get("/api/v1/published/decisions")
    body = assert_problem(response, 500, "server_error")
    assert "secret internals" not in response.content.decode()
    assert body["title_en"] == "Internal error"
