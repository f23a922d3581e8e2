"""An exported application: a submission's frozen snapshot read back, to make its documents.

The web platform freezes every submission as one JSON document (format 1: the inputs — plan
contents, baseline data, self-assessment — the editions with their content hashes, and the key
results). The command line makes the plan and the other documents from such a file, so an old
document can be made again from what was submitted, on any machine.

A document is only reproducible with the same editions: when the indicator system, the plan
outline or the factor set bundled here has different content from what the snapshot records,
reading refuses with the file, the key and both hashes, instead of silently using other rules
(a change of an official value is a new edition, never an edit).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lowcarbon.core.activity import AccountingInput
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.outline import Outline
from lowcarbon.core.rubric import Rubric

from .activity.checks import check_accounting_data
from .activity.reading import accounting_input_from_data
from .errors import DataFileError
from .factors import load_factor_library
from .outlines import OUTLINE_FILE, load_outline
from .paths import data_dir, schema_path
from .schemes import load_rubric
from .snapshot import Snapshot, SnapshotError, snapshot_data, snapshot_from_data, snapshot_sha256
from .yamlio import YamlDocument, load_schema, read_yaml, validate_with_schema

__all__ = ["ApplicationFile", "load_application_file", "outline_content_hash"]


def outline_content_hash(kind: str, edition: str) -> str:
    """SHA-256 of an outline file's text as the loader reads it (UTF-8, universal newlines),
    computed like the rubric's and the factor set's ``content_hash``."""
    path = data_dir() / "schemes" / kind / edition / OUTLINE_FILE
    return hashlib.sha256(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApplicationFile:
    path: Path
    kind: str
    unit_name: str
    round_year: int
    submission_number: int | None
    snapshot_sha256: str  # of the file's canonical JSON, as the platform computes it
    snapshot: Snapshot
    outline: Outline
    rubric: Rubric
    sections: Mapping[str, Any]
    accounting: AccountingInput | None
    answers: Mapping[str, Any]
    score: Mapping[str, Any] | None


def _edition_mismatch(
    document: YamlDocument, key: list[str | int], recorded: str, bundled: str
) -> DataFileError:
    return document.error(
        key,
        Message(
            gettext_noop(
                "the content hash of the edition bundled here ({bundled}); this file was made "
                "with other rules, so documents made now would not reproduce it"
            ),
            {"bundled": bundled[:12]},
        ),
        recorded[:12],
        code="edition_changed",
    )


def _typed(document: YamlDocument) -> Snapshot:
    """The file's snapshot, typed; a refusal names the file, the line and the key."""
    try:
        return snapshot_from_data(document.data, source=str(document.path))
    except SnapshotError as error:
        raise document.error(
            error.key_path, error.expected, error.found, code=error.code
        ) from error


def load_application_file(path: Path) -> ApplicationFile:
    """Read and check an exported application (JSON); every problem names file, line and key."""
    document = read_yaml(path)  # JSON is YAML: the same strict reader, with line numbers
    validate_with_schema(document, load_schema(schema_path("application")))
    snapshot = _typed(document)
    kind = snapshot.application.kind
    editions = snapshot.editions
    for name, edition in (("rubric", editions.rubric), ("outline", editions.outline)):
        if edition.kind != kind:
            raise document.error(
                ["editions", name, "kind"],
                Message(gettext_noop("the application's kind ({kind})"), {"kind": kind}),
                edition.kind,
                code="edition_kind",
            )
    try:
        rubric = load_rubric(kind, editions.rubric.edition)
        outline = load_outline(kind, editions.outline.edition)
    except DataFileError as error:
        raise document.error(
            ["editions"],
            Message(
                gettext_noop("editions bundled with this software ({problem})"),
                {"problem": error.key},
            ),
            code="edition_unknown",
        ) from error
    if rubric.content_hash != editions.rubric.sha256:
        raise _edition_mismatch(
            document, ["editions", "rubric", "sha256"], editions.rubric.sha256, rubric.content_hash
        )
    outline_hash = outline_content_hash(kind, editions.outline.edition)
    if outline_hash != editions.outline.sha256:
        raise _edition_mismatch(
            document, ["editions", "outline", "sha256"], editions.outline.sha256, outline_hash
        )
    library = load_factor_library()
    set_id = editions.factor_set.id
    if set_id not in library.sets:
        raise document.error(
            ["editions", "factor_set", "id"],
            Message(
                gettext_noop("one of the factor sets {known}"),
                {"known": "、".join(sorted(library.sets))},
            ),
            set_id,
            code="factor_set_unknown",
        )
    factor_set = library.factor_set(set_id)
    if factor_set.content_hash != editions.factor_set.sha256:
        raise _edition_mismatch(
            document,
            ["editions", "factor_set", "sha256"],
            editions.factor_set.sha256,
            factor_set.content_hash,
        )
    accounting: AccountingInput | None = None
    if snapshot.accounting:
        validate_with_schema(document, load_schema(schema_path("accounting")), ["accounting"])
        issues = check_accounting_data(snapshot.accounting)
        if issues:
            issue = issues[0]
            raise document.error(
                ["accounting", *issue.path], issue.expected, issue.found, code=issue.code
            )
        # The round's factor set governs, as on the platform.
        accounting = dataclasses.replace(
            accounting_input_from_data(snapshot.accounting), factor_set=set_id
        )
    return ApplicationFile(
        path=path,
        kind=kind,
        unit_name=snapshot.application.unit.name,
        round_year=snapshot.application.round.year,
        submission_number=snapshot.number,
        snapshot_sha256=snapshot_sha256(snapshot),
        snapshot=snapshot,
        outline=outline,
        rubric=rubric,
        sections=snapshot.sections,
        accounting=accounting,
        answers=snapshot.answers,
        score=None if snapshot.score is None else snapshot_data(snapshot.score),
    )
