"""Meter register and import tests: each writes to its own store folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any as SettingsWrapper

import pytest

from lowcarbon.monitoring.store import Store
from lowcarbon.web.monitoring.stores import monitoring_store


@pytest.fixture
def own_store(settings: SettingsWrapper, tmp_path: Path) -> Store:
    """The platform's store, in a folder of this test alone."""
    settings.LOWCARBON_MONITORING_DIR = tmp_path / "monitoring"
    return monitoring_store()
