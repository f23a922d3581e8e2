"""An exported application built from the bundled examples, as the platform freezes one
(snapshot format 1, every key present; the key figures and the score left out as a draft's
are when they cannot be computed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from lowcarbon.rules.activity import accounting_input_to_data, load_accounting_file
from lowcarbon.rules.application_file import outline_content_hash
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.schemes import load_rubric
from lowcarbon.rules.snapshot import as_json_numbers

REPO = Path(__file__).resolve().parents[1]


def plain(value: Any) -> Any:
    """Decimals as JSON numbers, as the platform stores baseline data."""
    return as_json_numbers(value)


def example_export(kind: str, **overrides: Any) -> dict[str, Any]:
    accounting = load_accounting_file(REPO / "examples" / kind / "accounting.yaml")
    answers = yaml.safe_load((REPO / "examples" / kind / "answers.yaml").read_text("utf-8"))
    factor_set = load_factor_library().factor_set(accounting.factor_set)
    data: dict[str, Any] = {
        "format": 1,
        "application": {
            "id": 1,
            "kind": kind,
            "round": {"id": 1, "year": 2026},
            "unit": {"id": 1, "name": accounting.profile.name, "district_id": None},
        },
        "number": 1,
        "submitted_at": "2026-03-01T09:30:00+00:00",
        "submitted_by": {"id": 1, "username": "applicant", "name": ""},
        "versions": {"sections": 1, "accounting": 1, "answers": 1},
        "editions": {
            "rubric": {
                "kind": kind,
                "edition": "2021",
                "sha256": load_rubric(kind, "2021").content_hash,
            },
            "outline": {
                "kind": kind,
                "edition": "2021",
                "sha256": outline_content_hash(kind, "2021"),
            },
            "factor_set": {"id": factor_set.id, "sha256": factor_set.content_hash},
        },
        "sections": {"geographic_location": "位于上海市。", "area": "3.6"},
        "accounting": plain(accounting_input_to_data(accounting)),
        "accounting_result": None,
        "answers": answers["items"],
        "score": None,
        "evidence": [],
        "warnings": [],
    }
    return data | overrides


def write_export(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
