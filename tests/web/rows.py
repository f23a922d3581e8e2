"""The models whose rows a test may save and put back: the platform's managed tables, without
proxies and without what the migrations recreate by themselves (content types, permissions) or
what is not data (sessions, the admin's log)."""

from __future__ import annotations

from typing import Any

from django.apps import apps

__all__ = ["data_models"]

_NOT_DATA = {"contenttypes", "auth.permission", "sessions", "admin.logentry"}


def data_models() -> list[Any]:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in _NOT_DATA
        and model._meta.label_lower not in _NOT_DATA
    ]
