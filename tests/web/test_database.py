"""The web tests run on the database they were asked to run on (PostgreSQL in CI)."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_requested_database_engine_is_used() -> None:
    expected = "postgresql" if os.environ.get("LOWCARBON_TEST_DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
