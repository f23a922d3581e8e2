"""The unit's archive as evidence: of a self-evaluation report, for the experts who score it.

Each file of a current archive record is one evidence entry of the frozen report, coded by its
record and its place among the record's files (``R12-1``, ``R12-2``): the code an item's answer
cites, the code an expert sees beside the item, the file the hash in the snapshot was taken of.
A record's files are fixed in order (by kind, then upload) and cannot change once something
frozen cites the record, so a code always names the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import FileResponse

from lowcarbon.rules.snapshot import CitedRecord, EvidenceEntry
from lowcarbon.web.applications.evidence import CONTENT_TYPES
from lowcarbon.web.archive.models import ArchiveFile, ArchiveRecord
from lowcarbon.web.creation.models import CreationUnit

__all__ = [
    "ArchiveEvidence",
    "archive_evidence",
    "cited_records",
    "evidence_code",
    "file_download",
    "file_of_code",
]


def evidence_code(record_id: int, position: int) -> str:
    return f"R{record_id}-{position}"


@dataclass(frozen=True)
class ArchiveEvidence:
    record: ArchiveRecord
    file: ArchiveFile
    entry: EvidenceEntry


def archive_evidence(unit: CreationUnit, *, removed: bool = False) -> list[ArchiveEvidence]:
    """Every file of the unit's current records (with ``removed``, of its removed records too: a
    frozen report keeps what it cited) as an evidence entry, newest record first."""
    records = ArchiveRecord.objects.filter(unit=unit)
    if not removed:
        records = records.filter(removed_at__isnull=True)
    found = []
    for record in records.prefetch_related("files"):
        for position, stored in enumerate(record.files.order_by("role", "id"), start=1):
            found.append(
                ArchiveEvidence(
                    record=record,
                    file=stored,
                    entry=EvidenceEntry(
                        code=evidence_code(record.pk, position),
                        title=f"{record.date:%Y-%m-%d} {record.title}",
                        items=tuple(str(item) for item in record.items),
                        original_name=stored.original_name,
                        content_kind=stored.content_kind,
                        size=stored.size,
                        sha256=stored.sha256,
                    ),
                )
            )
    return found


def cited_records(evidence: Iterable[ArchiveEvidence], codes: Iterable[str]) -> list[CitedRecord]:
    """The records whose files ``codes`` name, each with the codes of its cited files."""
    wanted = set(codes)
    by_record: dict[int, tuple[ArchiveRecord, list[str]]] = {}
    for found in evidence:
        if found.entry.code in wanted:
            by_record.setdefault(found.record.pk, (found.record, []))[1].append(found.entry.code)
    return [
        CitedRecord(
            id=record.pk,
            category=record.category,
            title=record.title,
            date=record.date.isoformat(),
            items=tuple(str(item) for item in record.items),
            evidence=tuple(codes),
        )
        for record, codes in sorted(by_record.values(), key=lambda pair: (pair[0].date, pair[0].pk))
    ]


def file_of_code(unit: CreationUnit, code: str, sha256: str) -> ArchiveFile | None:
    """The archive file a frozen report's evidence code names, if its bytes are still those
    hashed (a cited record cannot change, so only a damaged store fails this)."""
    for found in archive_evidence(unit, removed=True):
        if found.entry.code == code and found.file.sha256 == sha256:
            return found.file
    return None


def file_download(found: ArchiveFile) -> FileResponse:
    """An archive file as a download: its original name, the content type of the kind found in
    its bytes, and no sniffing by the browser."""
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=CONTENT_TYPES.get(found.content_kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
