"""Deployment settings: production refuses to start unsafe and passes ``check --deploy``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

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


@pytest.mark.django_db
def test_every_model_change_has_a_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
