"""An uploaded accounting workbook: what kind of file it is, and its content read."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.core.activity import AccountingInput
from lowcarbon.rules.archives import ArchiveRefused, check_archive
from lowcarbon.rules.workbook import WORKBOOK_LIMITS, read_workbook

#: What a file is, found from its bytes, and how a person calls it.
KIND_NAMES: dict[str, Any] = {
    "xlsx": gettext_lazy("an Excel workbook (.xlsx)"),
    "docx": gettext_lazy("a Word document (.docx)"),
    "pptx": gettext_lazy("a PowerPoint presentation (.pptx)"),
    "zip": gettext_lazy("a ZIP archive"),
    "ole": gettext_lazy("an old-format Office file (.xls or .doc, before 2007)"),
    "pdf": gettext_lazy("a PDF document"),
    "png": gettext_lazy("a PNG image"),
    "jpeg": gettext_lazy("a JPEG image"),
    "gif": gettext_lazy("a GIF image"),
    "text": gettext_lazy("a text file"),
    "empty": gettext_lazy("an empty file"),
    "unknown": gettext_lazy("a file of unknown type"),
}

KIND_LABELS: dict[str, Any] = {
    "zone": gettext_lazy("low-carbon development practice zone"),
    "community": gettext_lazy("low-carbon community"),
}


def content_kind(handle: IO[bytes]) -> str:
    """What the file is by its content (its name proves nothing). An XLSX is a ZIP holding
    ``[Content_Types].xml`` and ``xl/workbook.xml`` (ECMA-376 Part 2, Open Packaging).

    A ZIP beyond the workbook's package limits raises :class:`ArchiveRefused` (its parts are
    listed only once the package is known to be within them)."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(check_archive(handle, WORKBOOK_LIMITS.archive).names)
        except ArchiveRefused as refused:
            if refused.code == "archive_damaged":
                return "unknown"
            raise
        finally:
            handle.seek(0)
        if "[Content_Types].xml" in names:
            for part, kind in (
                ("xl/workbook.xml", "xlsx"),
                ("word/document.xml", "docx"),
                ("ppt/presentation.xml", "pptx"),
            ):
                if part in names:
                    return kind
        return "zip"
    signatures = (
        (b"%PDF", "pdf"),
        (b"\x89PNG", "png"),
        (b"\xff\xd8\xff", "jpeg"),
        (b"GIF8", "gif"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    )
    for signature, kind in signatures:
        if head.startswith(signature):
            return kind
    sample = handle.read(4096)
    handle.seek(0)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown"
    return "text"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} B"


def read_uploaded_workbook(upload: UploadedFile) -> AccountingInput:
    """The accounting input in an uploaded workbook.

    Raises ``ValidationError`` (field ``workbook``) when the file is too large or is not an
    XLSX by its content, and :class:`~lowcarbon.rules.workbook.WorkbookError` listing every
    problem of the workbook itself (sheet, row, column, value found, what is expected)."""
    name = upload.name or ""
    limit = settings.LOWCARBON_UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "workbook": [
                    _("The file “{name}” is {size}; at most {limit} can be uploaded.").format(
                        name=name, size=_size(size), limit=_size(limit)
                    )
                ]
            },
            code="too_large",
        )
    try:
        kind = content_kind(upload.file) if upload.file is not None else "empty"
    except ArchiveRefused as refused:
        raise ValidationError(
            {
                "workbook": [
                    _(
                        "The file “{name}” cannot be imported: {problem} Nothing was imported."
                    ).format(name=name, problem=refused.message.render(_))
                ]
            },
            code="too_large",
        ) from None
    if kind != "xlsx":
        raise ValidationError(
            {
                "workbook": [
                    _(
                        "The file “{name}” is {kind}, not an Excel workbook (.xlsx). Download "
                        "the accounting workbook below, fill it in and upload it as .xlsx."
                    ).format(name=name, kind=KIND_NAMES[kind])
                ]
            },
            code="wrong_type",
        )
    # The reader wants a path; the upload may live only in memory. The temporary file is
    # deleted when the block ends, whatever happens.
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        return read_workbook(copy.name)
