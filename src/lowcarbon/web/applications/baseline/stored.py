"""The stored form of the baseline data, its canonical SHA-256, and the summary the audit keeps."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from lowcarbon.core.activity import AccountingInput
from lowcarbon.rules.activity.writing import accounting_input_to_data
from lowcarbon.rules.snapshot import as_json_numbers


def stored_form(data: AccountingInput) -> dict[str, Any]:
    """``data`` as it is stored in ``Application.accounting``."""
    stored: dict[str, Any] = as_json_numbers(accounting_input_to_data(data))
    return stored


def canonical_sha256(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, UTF-8, no spaces), as for snapshots."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def accounting_summary(data: Mapping[str, Any], version: int) -> dict[str, Any]:
    """What the audit trail keeps of stored baseline data: counts and a hash, not the data."""
    if not data:
        return {"version": version, "empty": True}
    profile = data.get("profile") or {}
    return {
        "version": version,
        "unit": profile.get("name", ""),
        "base_year": profile.get("base_year"),
        "years": list(data.get("years") or []),
        "factor_set": data.get("factor_set", ""),
        "drivers": len(profile.get("drivers") or []),
        "records": len(data.get("records") or []),
        "tasks": len(data.get("tasks") or []),
        "targets": len(data.get("targets") or []),
        "sha256": canonical_sha256(data),
    }
