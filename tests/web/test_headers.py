"""Content-Security-Policy and Permissions-Policy on every answer, and templates that need no
inline code (issue 11, finding 10; the browser's view: tests/browser/test_security.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.models import User

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "lowcarbon" / "web" / "templates"
STATIC = TEMPLATES.parent / "static"

pytestmark = pytest.mark.django_db


def directives(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/", "/no-such-page/"])
def test_every_answer_carries_a_strict_policy(path: str) -> None:
    response = Client().get(path)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def test_signed_in_pages_carry_the_policy_too(admin_user: User) -> None:
    client = Client()
    client.force_login(admin_user)
    for url in (reverse("home"), reverse("rounds:open"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an inline event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]


def test_no_template_holds_inline_script_style_or_event_handlers() -> None:
    found = [
        f"{template.relative_to(TEMPLATES)}:{number}: {what}"
        for template in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(template.read_text("utf-8").splitlines(), start=1)
        for pattern, what in INLINE
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_no_script_assigns_html_or_evaluates_text() -> None:
    # Reading innerHTML (to send the editor's content) is fine; assigning it is not.
    assigning = re.compile(
        r"(innerHTML|outerHTML)\s*=(?!=)|insertAdjacentHTML|document\.write|\beval\(|new Function"
    )
    found = [
        f"{script.name}:{number}: {line.strip()}"
        for script in sorted(STATIC.rglob("*.js"))
        # Libraries installed from the registries at set-up (scripts/vendor-assets) are theirs.
        if "vendor" not in script.relative_to(STATIC).parts
        for number, line in enumerate(script.read_text("utf-8").splitlines(), start=1)
        if assigning.search(line)
    ]
    assert not found, "\n".join(found)
