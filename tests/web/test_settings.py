"""Deployment settings: production refuses to start unsafe and passes ``check --deploy``."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

REPO = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "production-secret-for-tests-only-" + "x" * 20


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=lowcarbon.web.settings.production"],
        cwd=REPO,
        env=clean | {"LOWCARBON_VAR_DIR": str(REPO / "var"), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_passes_check_deploy() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="lowcarbon.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "named"),
    [
        (
            {"DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "h"},
            "DJANGO_DEBUG",
        ),
        ({"DJANGO_ALLOWED_HOSTS": "h"}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_SECRET_KEY": "django-insecure-" + "x" * 50, "DJANGO_ALLOWED_HOSTS": "h"},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_SECRET_KEY": GOOD_KEY}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "*"}, "DJANGO_ALLOWED_HOSTS"),
        (
            {"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "lowcarbon.example.gov.cn,*"},
            "'*'",
        ),
    ],
)
def test_production_refuses_to_start_unsafe(env: dict[str, str], named: str) -> None:
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_ensure_safe_names_the_problem() -> None:
    from lowcarbon.web.settings.production_checks import ensure_safe

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        ensure_safe(debug=True, secret_key=GOOD_KEY, allowed_hosts=["h"])
    ensure_safe(debug=False, secret_key=GOOD_KEY, allowed_hosts=["h"])


def test_check_deploy_refuses_any_host_and_a_policy_that_allows_inline_code(
    settings: Any,
) -> None:
    # Other settings modules built on base get the same answer from `check --deploy`.
    settings.ALLOWED_HOSTS = ["*"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'"]}
    }
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PermissionsPolicy" not in m]
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", "--deploy", "--tag", "security", stdout=StringIO(), stderr=StringIO())
    message = str(refused.value)
    assert "lowcarbon.E001" in message  # ALLOWED_HOSTS '*'
    assert "lowcarbon.E002" in message  # no Permissions-Policy
    assert "lowcarbon.E003" in message  # inline scripts allowed


@pytest.mark.django_db
def test_every_model_change_has_a_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
