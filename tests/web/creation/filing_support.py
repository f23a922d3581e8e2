"""A filed revision for the permission matrix: the unit's final plan, filed (frozen) through the
real actions the first time a row asks for it."""

from __future__ import annotations

from typing import Any

from lowcarbon.web.creation.filings import do_start_filing, do_submit_filing
from lowcarbon.web.creation.models import Filing, FilingStatus


def filed_revision(world: Any) -> dict[str, int]:
    unit = world.unit
    found = Filing.objects.filter(unit=unit, status=FilingStatus.SUBMITTED).first()
    if found is None:
        applicant = world.users["applicant"]
        draft = do_start_filing(unit, kind="final_plan", year=None, actor=applicant)
        found = do_submit_filing(draft, expected_version=draft.version, actor=applicant)
    return {"pk": found.pk}
