"""Records cited by something frozen (a rectification answer; later filings and evaluations).

``cite(unit, records, source_label, source_key)`` sets the records a source cites (a source
answering again in the same round replaces its set); a cited record can be neither changed nor
removed, and the refusal names what cites it (``cited_by``). Callers run inside their own
action's transaction and audit event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.numbers import shown_text
from lowcarbon.web.archive.models import ArchiveRecord, Citation
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.numbers import is_key

__all__ = ["archive_records", "citations_of", "cite", "cited_by", "records_of_source"]


def cite(
    unit: CreationUnit,
    records: Iterable[ArchiveRecord],
    source_label: str,
    source_key: str,
    *,
    now: datetime | None = None,
) -> list[ArchiveRecord]:
    """``source_key`` cites exactly ``records`` (the unit's, not removed) from now on; a record it
    cited before and no longer names is released. :class:`ValueError` for another unit's record
    or a removed one (the caller offers only the unit's current records)."""
    now = now or timezone.now()
    chosen = {record.pk: record for record in records}
    current = ArchiveRecord.objects.filter(
        pk__in=chosen, unit=unit, removed_at__isnull=True
    ).values_list("pk", flat=True)
    stray = set(chosen) - set(current)
    if stray:
        raise ValueError(f"records {sorted(stray)} are not current records of unit {unit.pk}")
    Citation.objects.filter(source_key=source_key).exclude(record_id__in=chosen).delete()
    kept = set(Citation.objects.filter(source_key=source_key).values_list("record_id", flat=True))
    Citation.objects.bulk_create(
        Citation(record_id=pk, source_key=source_key, source_label=source_label[:300], cited_at=now)
        for pk in chosen
        if pk not in kept
    )
    return list(chosen.values())


def archive_records(
    unit: CreationUnit, keys: Sequence[object], errors: dict[str, list[str]]
) -> list[ArchiveRecord]:
    """The unit's current records chosen by their keys (as posted) for a citing form; a key of
    no such record is added to ``errors["records"]``."""
    wanted: list[int] = []
    for key in keys:
        if not is_key(key):
            errors.setdefault("records", []).append(
                _("“{found}” is no record of the archive.").format(found=shown_text(str(key)))
            )
        else:
            wanted.append(int(str(key)))
    found = list(ArchiveRecord.objects.filter(unit=unit, removed_at__isnull=True, pk__in=wanted))
    missing = sorted(set(wanted) - {r.pk for r in found})
    if missing:
        errors.setdefault("records", []).append(
            _("The unit's archive has no record {found}.").format(
                found="、".join(str(n) for n in missing)
            )
        )
    return found


def citations_of(record: ArchiveRecord) -> list[Citation]:
    return list(record.citations.all())


def cited_by(record: ArchiveRecord) -> str:
    """What cites the record, in words (、-separated), or "" when nothing does."""
    return "、".join(dict.fromkeys(c.source_label for c in record.citations.all()))


def records_of_source(source_key: str) -> QuerySet[ArchiveRecord]:
    return ArchiveRecord.objects.filter(citations__source_key=source_key).order_by("date", "id")
