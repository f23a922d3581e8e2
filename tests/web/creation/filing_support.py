"""A filed revision for the permission matrix: the unit's final plan, filed (frozen) through the
real actions the first time a row asks for it; a year's activity data for a progress report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lowcarbon.core.activity import AccountingInput
from lowcarbon.rules.activity import (
    accounting_input_from_data,
    accounting_input_to_data,
    load_accounting_file,
)
from lowcarbon.rules.snapshot import as_json_numbers
from lowcarbon.web.creation.filings import do_start_filing, do_submit_filing
from lowcarbon.web.creation.models import Filing, FilingStatus

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def filed_revision(world: Any) -> dict[str, int]:
    unit = world.unit
    found = Filing.objects.filter(unit=unit, status=FilingStatus.SUBMITTED).first()
    if found is None:
        applicant = world.users["applicant"]
        draft = do_start_filing(unit, kind="final_plan", year=None, actor=applicant)
        found = do_submit_filing(draft, expected_version=draft.version, actor=applicant)
    return {"pk": found.pk}


def activity_of(year: int, kind: str = "community") -> AccountingInput:
    """The example community's 2025 data moved to ``year`` (for a unit of ``kind``: the tests'
    zones are filled with the community example too)."""
    data = as_json_numbers(
        accounting_input_to_data(load_accounting_file(EXAMPLES / "community" / "accounting.yaml"))
    )
    data["profile"]["kind"] = kind
    data["records"] = [dict(r, year=year) for r in data["records"] if r["year"] == 2025]
    data["profile"]["drivers"] = [
        dict(d, year=year) for d in data["profile"]["drivers"] if d["year"] == 2025
    ]
    data["years"] = [year]
    data["targets"] = []
    data["tasks"] = []
    return accounting_input_from_data(data)
