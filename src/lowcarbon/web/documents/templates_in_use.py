"""The Word template in use for an outline edition, and a local copy of it for the renderer.

Shared by the actions (which validate uploads) and the background job (which renders with it);
kept apart so that neither imports the other.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lowcarbon.web.documents.models import DocumentTemplate

__all__ = ["active_template", "template_file"]


def active_template(kind: str, edition: str) -> DocumentTemplate | None:
    """The uploaded template in use for an outline edition; ``None``: the bundled default."""
    return DocumentTemplate.objects.filter(
        kind=kind, edition=edition, retired_at__isnull=True
    ).first()


@contextmanager
def template_file(template: DocumentTemplate | None) -> Iterator[Path | None]:
    """The template as a local file for the renderer (storage may be remote), or ``None``."""
    if template is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="lowcarbon-template-") as folder:
        path = Path(folder) / "template.docx"
        with template.file.open("rb") as handle:
            path.write_bytes(handle.read())
        yield path
