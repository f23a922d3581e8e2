"""Evidence files (证明材料): what a file is, found from its bytes, and where it is kept.

A file's name says nothing trustworthy about it, so the type is found from the content (the
"magic" bytes of PDF, PNG and JPEG; the parts inside an Office Open XML package; GeoJSON's
``type``), and a name whose extension claims another type is refused naming both, so that a
PDF renamed ``.docx`` or a program renamed ``.pdf`` never reaches an expert's desk.

Files are stored under their SHA-256 (``models.evidence_path``): the name a person gave never
reaches the file system, and the same content is stored once however often it is attached.

Nothing a file holds may cost the server (or an expert's computer) more than its limits: an
Office package is checked before it is opened (parts, unpacked size, compression ratio, nesting:
``EVIDENCE_ARCHIVE_LIMITS``), and JSON is measured before it is parsed (size, nesting depth,
arrays and objects), its objects kept only as far as their GeoJSON ``type``.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.rules.archives import MB, ArchiveLimits, ArchiveRefused, check_archive
from lowcarbon.rules.json_safety import JSON_MAX_DEPTH, json_shape
from lowcarbon.web.applications.models import Evidence, evidence_path

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "CONTENT_TYPES",
    "EVIDENCE_ARCHIVE_LIMITS",
    "GEOJSON_MAX_BYTES",
    "GEOJSON_MAX_CONTAINERS",
    "KIND_NAMES",
    "CheckedFile",
    "EvidenceRejected",
    "Sniffed",
    "file_response",
    "kind_name",
    "read_upload",
    "read_uploads",
    "sniff",
    "store",
    "store_by_hash",
]

# What each accepted kind is called in messages, and the content type a download declares.
KIND_NAMES = {
    "pdf": gettext_lazy("PDF document"),
    "docx": gettext_lazy("Word document (.docx)"),
    "xlsx": gettext_lazy("Excel workbook (.xlsx)"),
    "pptx": gettext_lazy("PowerPoint presentation (.pptx)"),
    "png": gettext_lazy("PNG image"),
    "jpeg": gettext_lazy("JPEG image"),
    "geojson": gettext_lazy("GeoJSON map data"),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "geojson": "application/geo+json",
}
# The extension a file name may carry for each kind ("" when the name has none is refused:
# a person downloading it later could not open it).
ACCEPTED_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pptx": "pptx",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".geojson": "geojson",
    ".json": "geojson",
}
# Office Open XML packages: the folder of the main part tells the three apart (ECMA-376 Part 2).
_OOXML_PARTS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_GEOJSON_TYPES = frozenset(
    {
        "FeatureCollection",
        "Feature",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)
# Recognised but refused, so the message can say what the file is instead of "unknown".
_REFUSED_SIGNATURES = (
    (b"MZ", gettext_lazy("a Windows program (.exe/.dll)")),
    (b"\x7fELF", gettext_lazy("a Linux program (ELF)")),
    (b"#!", gettext_lazy("a script")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("an old Office file (.doc/.xls/.ppt)")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("a 7-Zip archive")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
)
_CHUNK = 64 * 1024
#: Word, Excel and PowerPoint files: a 20 MB upload of photos and text unpacks to some tens of
#: MB; a chart's workbook embedded in a document is one level of nesting.
EVIDENCE_ARCHIVE_LIMITS = ArchiveLimits(
    members=5000, unpacked_bytes=256 * MB, part_bytes=128 * MB, ratio=100, nesting=1
)
#: GeoJSON is parsed whole to find its type; parsed JSON takes 5-20 times its size in memory.
GEOJSON_MAX_BYTES = 5 * MB
#: Arrays and objects (a coordinate pair is one): a 5 MB FeatureCollection holds about 250 000.
GEOJSON_MAX_CONTAINERS = 500_000
_JSON_OBJECT = re.compile(rb"\s*\{")
_GEOJSON_NAMES = {name: name for name in _GEOJSON_TYPES}


class EvidenceRejected(ValueError):
    """The file cannot be accepted; ``message`` says why in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sniffed:
    kind: str
    sha256: str
    size: int


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


def accepted_types_text() -> str:
    return "、".join(str(name) for name in KIND_NAMES.values())


def read_upload(chunks: Iterable[bytes], limit: int) -> bytes:
    """The whole upload, refusing as soon as it grows beyond ``limit`` bytes."""
    buffer = io.BytesIO()
    for chunk in chunks:
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise EvidenceRejected(too_large(buffer.tell(), limit, at_least=True))
    return buffer.getvalue()


def too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    template = (
        _("The file is larger than {limit} (more than {size} read); upload at most {limit}.")
        if at_least
        else _("The file is {size}, larger than the limit of {limit}.")
    )
    return template.format(size=_megabytes(size), limit=_megabytes(limit))


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _ooxml_kind(content: bytes) -> str:
    try:
        names = check_archive(io.BytesIO(content), EVIDENCE_ARCHIVE_LIMITS).names
    except ArchiveRefused as refused:
        if refused.code == "archive_damaged":
            raise EvidenceRejected(
                _("The file starts like a ZIP archive but cannot be read as one (damaged?).")
            ) from None
        raise EvidenceRejected(refused.message.render(_)) from None
    if "[Content_Types].xml" not in names:
        raise EvidenceRejected(
            _(
                "The file is a ZIP archive, not a Word, Excel or PowerPoint document. "
                "Accepted types: {types}."
            ).format(types=accepted_types_text())
        )
    if any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names):
        # Macro-enabled documents (.docm/.xlsm) run code when opened by the experts.
        raise EvidenceRejected(
            _("The document contains macros; save it without macros (.docx/.xlsx/.pptx).")
        )
    for prefix, kind in _OOXML_PARTS:
        if any(name.startswith(prefix) for name in names):
            return kind
    raise EvidenceRejected(
        _("The file is an Office package but neither Word, Excel nor PowerPoint.")
    )


def _geojson_type(pairs: list[tuple[str, object]]) -> str | None:
    # Each object is reduced to its GeoJSON type as it is parsed (the outermost one's is all
    # that is wanted): a file of small objects would take twenty times its size as dicts.
    for key, value in pairs:
        if key == "type" and isinstance(value, str):
            return _GEOJSON_NAMES.get(value)  # the one copy of the name, not the parsed one
    return None


def _nothing(_text: str) -> None:
    return None


def _geojson(content: bytes) -> bool:
    text = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
    if not _JSON_OBJECT.match(text):
        return False
    if len(text) > GEOJSON_MAX_BYTES:
        raise EvidenceRejected(
            _("The file is JSON of {size}; GeoJSON files are accepted up to {limit}.").format(
                size=_megabytes(len(text)), limit=_megabytes(GEOJSON_MAX_BYTES)
            )
        )
    shape = json_shape(text, JSON_MAX_DEPTH)
    if shape.too_deep:
        raise EvidenceRejected(
            _(
                "The file's JSON nests more than {limit} levels deep (or leaves brackets "
                "open); GeoJSON nests fewer than 10."
            ).format(limit=JSON_MAX_DEPTH)
        )
    if shape.containers > GEOJSON_MAX_CONTAINERS:
        raise EvidenceRejected(
            _(
                "The file's JSON holds {found} arrays and objects; GeoJSON files are accepted "
                "with up to {limit}."
            ).format(found=shape.containers, limit=GEOJSON_MAX_CONTAINERS)
        )
    try:
        found = json.loads(
            text.decode("utf-8"),
            object_pairs_hook=_geojson_type,
            parse_float=_nothing,
            parse_int=_nothing,
            parse_constant=_nothing,
        )
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(found, str)


def content_kind(content: bytes) -> str:
    """The accepted kind the bytes are; :class:`EvidenceRejected` saying what they are else."""
    if not content:
        raise EvidenceRejected(_("The file is empty."))
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"PK\x03\x04"):
        return _ooxml_kind(content)
    if _geojson(content):
        return "geojson"
    found = next((name for magic, name in _REFUSED_SIGNATURES if content.startswith(magic)), None)
    if found is not None:
        raise EvidenceRejected(
            _("The file is {found}, which is not accepted. Accepted types: {types}.").format(
                found=found, types=accepted_types_text()
            )
        )
    raise EvidenceRejected(
        _("The file's content is of no accepted type. Accepted types: {types}.").format(
            types=accepted_types_text()
        )
    )


def sniff(content: bytes, name: str) -> Sniffed:
    """The kind, hash and size of an upload, checked against the extension of its name."""
    kind = content_kind(content)
    extension = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    claimed = ACCEPTED_EXTENSIONS.get(extension)
    if claimed is None:
        raise EvidenceRejected(
            _(
                "The file name '{name}' ends in '{extension}', but its content is a {kind}; "
                "rename it to end in {expected}."
            ).format(
                name=name,
                extension=extension or _("(no extension)"),
                kind=kind_name(kind),
                expected=" / ".join(e for e, k in ACCEPTED_EXTENSIONS.items() if k == kind),
            )
        )
    if claimed != kind:
        raise EvidenceRejected(
            _(
                "The file name '{name}' says {claimed} ({extension}), but its content is a "
                "{kind}. Nothing was stored."
            ).format(
                name=name, claimed=kind_name(claimed), extension=extension, kind=kind_name(kind)
            )
        )
    return Sniffed(kind, hashlib.sha256(content).hexdigest(), len(content))


@dataclass(frozen=True)
class CheckedFile:
    """An upload read whole and checked by content: its name (as given, at most 255 characters),
    bytes, kind, SHA-256 and size."""

    name: str
    content: bytes
    kind: str
    sha256: str
    size: int


def read_uploads(
    files: Iterable[UploadedFile], errors: dict[str, list[str]], field: str = "files"
) -> list[CheckedFile]:
    """Each upload read (refused beyond the upload limit) and checked by content; a refusal is
    added to ``errors[field]`` naming the file, and the file is left out."""
    limit: int = settings.LOWCARBON_UPLOAD_MAX_BYTES
    read = []
    for uploaded in files:
        name = (uploaded.name or "").strip() or "file"
        try:
            if uploaded.size is not None and uploaded.size > limit:
                raise EvidenceRejected(too_large(uploaded.size, limit))
            content = read_upload(uploaded.chunks(), limit)
            sniffed = sniff(content, name)
        except EvidenceRejected as rejected:
            errors.setdefault(field, []).append(
                _("{name}: {problem}").format(name=name, problem=rejected.message)
            )
            continue
        read.append(CheckedFile(name[:255], content, sniffed.kind, sniffed.sha256, sniffed.size))
    return read


def store_by_hash(field_file: FieldFile, path: str, name: str, content: bytes) -> None:
    """Put the content in ``field_file``'s storage at ``path`` (a path made of its hash), once:
    a file of the same content stored before is shared rather than copied."""
    if field_file.storage.exists(path):
        field_file.name = path
    else:
        field_file.save(name, ContentFile(content), save=False)


def store(evidence: Evidence, content: bytes) -> None:
    """Put the content in storage under its hash, once: a file of the same content (attached
    before, perhaps to a removed row) is shared rather than copied."""
    store_by_hash(
        evidence.file,
        evidence_path(evidence, evidence.original_name),
        evidence.original_name,
        content,
    )


def file_response(evidence: Evidence) -> FileResponse:
    """An evidence file as a download: its original name, the content type of the kind found
    in its bytes (never what the uploader claimed), and no sniffing by the browser."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=CONTENT_TYPES.get(evidence.content_kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
