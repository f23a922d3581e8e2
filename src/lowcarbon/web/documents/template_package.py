"""What an uploaded Word template may hold. python-docx reads every part of a template into
memory and parses its XML into a tree (about 150 bytes an element) each time a document is made
with it, so the package is checked before the test rendering opens it: parts, unpacked size,
compression ratio and nesting, then the XML elements of all parts, counted as they stream.

The bundled template has 19 parts, unpacks to 0.8 MB and holds about 19 000 XML elements; the
limits leave room for a bureau's own styles, letterhead and cover images.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from django.utils.translation import gettext as _

from lowcarbon.rules.archives import (
    MB,
    ArchiveLimits,
    ArchiveRefused,
    check_archive,
    count_xml_elements,
    xml_part_names,
)

__all__ = ["TEMPLATE_ARCHIVE_LIMITS", "TEMPLATE_XML_ELEMENTS", "template_package_problem"]

TEMPLATE_ARCHIVE_LIMITS = ArchiveLimits(
    members=1000, unpacked_bytes=64 * MB, part_bytes=32 * MB, ratio=100, nesting=1
)
TEMPLATE_XML_ELEMENTS = 500_000


def template_package_problem(content: bytes, name: str) -> str | None:
    """Why the Word template ``content`` is refused for its size, in the user's language; None
    when it is within the limits or is no ZIP package (the type check then says what it is)."""
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        names = check_archive(io.BytesIO(content), TEMPLATE_ARCHIVE_LIMITS).names
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            count_xml_elements(archive, xml_part_names(names), TEMPLATE_XML_ELEMENTS)
    except ArchiveRefused as refused:
        if refused.code == "archive_damaged":
            return None
        return _("The template “{name}” cannot be used: {problem} Nothing was saved.").format(
            name=name, problem=refused.message.render(_)
        )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        return None  # damaged: the type check and the test rendering say so
    return None
