"""``manage.py check`` fails when the vendored ECharts file the pages load is missing."""

from __future__ import annotations

from pathlib import Path

from django.core import checks
from django.test import override_settings

from lowcarbon.web.monitoring.dashboard_checks import ECHARTS

ONLY_FOLDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]


def _errors() -> list[str]:
    return [m.id or "" for m in checks.run_checks(tags=[checks.Tags.staticfiles])]


def test_the_installed_file_passes() -> None:
    assert "lowcarbon.E017" not in _errors()


def test_a_missing_file_fails_the_check(tmp_path: Path) -> None:
    with override_settings(STATICFILES_FINDERS=ONLY_FOLDERS, STATICFILES_DIRS=[tmp_path]):
        assert "lowcarbon.E017" in _errors()
        (tmp_path / ECHARTS).parent.mkdir(parents=True)
        (tmp_path / ECHARTS).write_text("/* echarts */", encoding="utf-8")
        assert "lowcarbon.E017" not in _errors()
