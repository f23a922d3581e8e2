"""Public modules declare their surface in ``__all__`` and every name in it exists."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import lowcarbon

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(lowcarbon.__path__, "lowcarbon.")
    if not info.ispkg and info.name.split(".")[1] in {"core", "rules"}
)


@pytest.mark.parametrize("name", MODULES)
def test_module_declares_an_existing_public_surface(name: str) -> None:
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    for member in module.__all__:
        assert hasattr(module, member), f"{name}.__all__ names missing {member}"
