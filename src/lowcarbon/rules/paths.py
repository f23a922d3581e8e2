"""Where the bundled data lives: ``data/`` in a checkout, ``lowcarbon/data`` in a wheel."""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "schema_path"]

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder holding ``schemes/``, ``factors/`` and ``schemas/``."""
    installed = _PACKAGE_DIR / "data"
    if installed.is_dir():  # pragma: no cover - only in a built wheel
        return installed
    return _PACKAGE_DIR.parent.parent / "data"


def schema_path(name: str) -> Path:
    """The JSON Schema file for one kind of data file, e.g. ``rubric``."""
    return data_dir() / "schemas" / f"{name}.schema.json"
