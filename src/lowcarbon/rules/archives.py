"""ZIP packages people upload (Office workbooks, documents, presentations), checked before
anything in them is unpacked, so that a small file cannot take the server's memory or time.

A ZIP's central directory declares every part's compressed and unpacked size, and ``zipfile``
never unpacks more of a part than it declares (it stops and fails the CRC check), so the
declared sizes bound what reading can cost. :func:`check_archive` refuses, before any part is
unpacked:

- a central directory too large for the member limit (read from the end record first:
  ``zipfile`` turns the whole directory into objects when it opens a file, whatever the count
  the end record claims),
- more parts than the limit,
- part names that are absolute, climb out with ``..``, use backslashes, drive letters or
  control characters, or repeat (ECMA-376 Part 2 §6.2.2: part names compare without case),
- encrypted parts, and compression other than stored and deflated (all that OOXML allows),
- a part, or everything together, unpacking beyond the size limits, and a part larger than
  1 MB compressed more than the ratio limit (zeros deflate about 1 000:1; Office XML 5-30:1),
- archives inside the archive nested deeper than allowed (a chart's workbook embedded in a
  document is one level); nested archives are checked with the same limits and count towards
  the totals.

:func:`scan_xml` streams one XML part through expat, calling back for every element, and
refuses document type declarations, the vehicle of entity expansion bombs (Office never writes
one); :func:`count_xml_elements` counts the elements of parts against a budget at the speed of
``bytes`` methods.

Every refusal is an :class:`ArchiveRefused` whose message says what was found and the limit.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop

__all__ = [
    "ArchiveLimits",
    "ArchiveRefused",
    "ArchiveSummary",
    "check_archive",
    "count_xml_elements",
    "format_size",
    "scan_xml",
    "xml_part_names",
]

MB = 1024 * 1024
# Parts smaller than this are never refused for their compression ratio: a few kilobytes of
# repetitive XML compress well and cost nothing to unpack.
_RATIO_FLOOR = MB
# Office part names are short ("ppt/slideLayouts/_rels/slideLayout11.xml.rels"); a directory
# entry is 46 bytes plus its name and extra fields. 256 bytes per permitted member bounds the
# objects zipfile makes from the directory to a few per permitted member.
_DIRECTORY_BYTES_PER_MEMBER = 256
_NAME_LIMIT = 512
_ZIP_MAGIC = b"PK\x03\x04"
_EOCD = struct.Struct("<4s4H2LH")
_EOCD_MAGIC = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_MAGIC = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_MAGIC = b"PK\x06\x06"
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 64 * 1024
_NAMES_CACHED = 1000


@dataclass(frozen=True)
class ArchiveLimits:
    """What one uploaded package may hold: parts, unpacked bytes (all parts and one part), the
    compression ratio of a part above 1 MB, and how deep archives may nest inside it."""

    members: int
    unpacked_bytes: int
    part_bytes: int
    ratio: int
    nesting: int = 1


@dataclass(frozen=True)
class ArchiveSummary:
    """The parts of a checked package (in directory order) and their unpacked size in all,
    nested archives included."""

    names: tuple[str, ...]
    unpacked_bytes: int


class ArchiveRefused(LowcarbonError):
    """A package that is not opened: ``found`` says what it holds, ``expected`` the limit, and
    ``value`` is what was found without words (a count, a size, a part name) for a table."""

    code = "archive"

    def __init__(self, found: Message, expected: Message, *, value: str, code: str) -> None:
        self.found = found
        self.expected = expected
        self.value = value
        super().__init__(
            Message(
                gettext_noop("The file holds {found}; accepted: {expected}."),
                {"found": found, "expected": expected},
            ),
            code=code,
        )


def format_size(count: int) -> str:
    """A byte count as people read it: ``1.1 GB``, ``20 MB``, ``512 KB``, ``80 B``."""
    if count >= 1024 * MB:
        return f"{count / (1024 * MB):.1f} GB"
    if count >= MB:
        text = f"{count / MB:.1f}"
        return f"{text.removesuffix('.0')} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} B"


def _damaged() -> ArchiveRefused:
    return ArchiveRefused(
        Message(gettext_noop("a damaged or unreadable ZIP package")),
        Message(gettext_noop("a package that opens, as the Office programs save it")),
        value="ZIP",
        code="archive_damaged",
    )


def _too_many(found: str, limits: ArchiveLimits) -> ArchiveRefused:
    return ArchiveRefused(
        Message(gettext_noop("{count} parts"), {"count": found}),
        Message(gettext_noop("at most {limit} parts"), {"limit": limits.members}),
        value=found,
        code="archive_members",
    )


def _directory(handle: IO[bytes]) -> tuple[int, int] | None:
    """The entry count and size of the central directory the end record declares, found as
    zipfile finds it (the last 22 bytes, else the last end signature in the final 64 KB)."""
    handle.seek(0, 2)
    size = handle.tell()
    if size < _EOCD.size:
        return None
    span = min(size, _EOCD.size + 0xFFFF)
    handle.seek(size - span)
    tail = handle.read(span)
    at = span - _EOCD.size
    if tail[at : at + 4] != _EOCD_MAGIC:
        at = tail.rfind(_EOCD_MAGIC)
        if at < 0 or at + _EOCD.size > span:
            return None
    record = _EOCD.unpack_from(tail, at)
    count, directory_size = int(record[4]), int(record[5])
    zip64 = count == 0xFFFF or directory_size == 0xFFFFFFFF or record[6] == 0xFFFFFFFF
    if zip64:
        locator_at = size - span + at - _ZIP64_LOCATOR.size
        record_at = locator_at - _ZIP64_EOCD.size
        if record_at < 0:
            return None
        handle.seek(record_at)
        raw = handle.read(_ZIP64_EOCD.size + _ZIP64_LOCATOR.size)
        if raw[_ZIP64_EOCD.size : _ZIP64_EOCD.size + 4] != _ZIP64_LOCATOR_MAGIC:
            return None
        if raw[:4] != _ZIP64_EOCD_MAGIC:
            return None
        record64 = _ZIP64_EOCD.unpack_from(raw, 0)
        count, directory_size = int(record64[7]), int(record64[8])
    return count, directory_size


def _bad_name(name: str) -> bool:
    if not name or len(name) > _NAME_LIMIT or "\\" in name or name.startswith("/"):
        return True
    if _DRIVE.match(name) or any(ord(char) < 32 or ord(char) == 127 for char in name):
        return True
    segments = name.removesuffix("/").split("/")
    return any(segment in {"", ".", ".."} for segment in segments)


class _Totals:
    def __init__(self) -> None:
        self.unpacked = 0
        self.names: list[str] = []


def _check_entries(
    infos: Iterable[zipfile.ZipInfo], limits: ArchiveLimits, totals: _Totals
) -> None:
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        shown = name if len(name) <= 80 else name[:79] + "…"
        if _bad_name(name) or name.casefold() in seen:
            raise ArchiveRefused(
                Message(gettext_noop("a part named “{name}”"), {"name": shown}),
                Message(
                    gettext_noop(
                        "part names inside the package, without “..”, absolute paths, "
                        "backslashes, control characters or repeats"
                    )
                ),
                value=shown,
                code="archive_name",
            )
        seen.add(name.casefold())
        if info.flag_bits & 0x1:
            raise ArchiveRefused(
                Message(gettext_noop("the encrypted part “{name}”"), {"name": shown}),
                Message(gettext_noop("a file without a password")),
                value=shown,
                code="archive_encrypted",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRefused(
                Message(
                    gettext_noop("the part “{name}” compressed with method {method}"),
                    {"name": shown, "method": info.compress_type},
                ),
                Message(gettext_noop("parts stored or deflated, as the Office programs save them")),
                value=f"{shown} ({info.compress_type})",
                code="archive_method",
            )
        if info.file_size > limits.part_bytes:
            raise ArchiveRefused(
                Message(
                    gettext_noop("the part “{name}” of {size} unpacked"),
                    {"name": shown, "size": format_size(info.file_size)},
                ),
                Message(
                    gettext_noop("at most {limit} unpacked for one part"),
                    {"limit": format_size(limits.part_bytes)},
                ),
                value=f"{shown}: {format_size(info.file_size)}",
                code="archive_part_size",
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            raise ArchiveRefused(
                Message(
                    gettext_noop("the part “{name}” compressed {ratio}:1"),
                    {"name": shown, "ratio": info.file_size // max(info.compress_size, 1)},
                ),
                Message(
                    gettext_noop("parts compressed at most {limit}:1 (a compression bomb?)"),
                    {"limit": limits.ratio},
                ),
                value=f"{shown}: {info.file_size // max(info.compress_size, 1)}:1",
                code="archive_ratio",
            )
        totals.unpacked += info.file_size
        if totals.unpacked > limits.unpacked_bytes:
            raise ArchiveRefused(
                Message(
                    gettext_noop("more than {size} unpacked"),
                    {"size": format_size(limits.unpacked_bytes)},
                ),
                Message(
                    gettext_noop("at most {limit} unpacked in all"),
                    {"limit": format_size(limits.unpacked_bytes)},
                ),
                value=f"> {format_size(limits.unpacked_bytes)}",
                code="archive_size",
            )


def _check(handle: IO[bytes], limits: ArchiveLimits, depth: int, totals: _Totals) -> None:
    directory = _directory(handle)
    if directory is None:
        raise _damaged()
    count, directory_size = directory
    if count > limits.members:
        raise _too_many(str(count), limits)
    if directory_size > limits.members * _DIRECTORY_BYTES_PER_MEMBER:
        raise _too_many(f"> {limits.members}", limits)
    handle.seek(0)
    with zipfile.ZipFile(handle) as archive:
        infos = archive.infolist()
        # zipfile reads the directory by its size, whatever count the end record claims.
        if len(infos) > limits.members:
            raise _too_many(str(len(infos)), limits)
        _check_entries(infos, limits, totals)
        if depth == 0:
            totals.names = [info.filename for info in infos]
        for info in infos:
            if info.is_dir() or info.file_size < len(_ZIP_MAGIC):
                continue
            with archive.open(info) as part:
                if part.read(len(_ZIP_MAGIC)) != _ZIP_MAGIC:
                    continue
            if depth >= limits.nesting:
                raise ArchiveRefused(
                    Message(
                        gettext_noop("the archive “{name}” nested {depth} level(s) deep"),
                        {"name": info.filename[:80], "depth": depth + 1},
                    ),
                    Message(
                        gettext_noop("archives nested at most {limit} level(s) deep"),
                        {"limit": limits.nesting},
                    ),
                    value=info.filename[:80],
                    code="archive_nesting",
                )
            with (
                tempfile.SpooledTemporaryFile(max_size=MB) as copy,
                archive.open(info) as part,
            ):
                shutil.copyfileobj(part, copy, _CHUNK)
                _check(copy, limits, depth + 1, totals)


def check_archive(source: IO[bytes] | Path | str, limits: ArchiveLimits) -> ArchiveSummary:
    """Check a ZIP package against ``limits`` without unpacking more than the first bytes of
    its parts (and nested archives, up to their declared size). A file object is left at the
    position it had. Raises :class:`ArchiveRefused` saying what was found and the limit."""
    totals = _Totals()
    try:
        if isinstance(source, Path | str):
            with Path(source).open("rb") as handle:
                _check(handle, limits, 0, totals)
        else:
            position = source.tell()
            try:
                _check(source, limits, 0, totals)
            finally:
                source.seek(position)
    except ArchiveRefused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        struct.error,
        zlib.error,
    ):
        raise _damaged() from None
    return ArchiveSummary(tuple(totals.names), totals.unpacked)


# --- XML parts -------------------------------------------------------------------------------


StartElement = Callable[[str, str, dict[str, str]], None]


def _refuse_dtd(*_: Any) -> None:
    raise ArchiveRefused(
        Message(gettext_noop("an XML part with a document type declaration")),
        Message(gettext_noop("XML parts without DTD or entities, as the Office programs write")),
        value="<!DOCTYPE>",
        code="archive_xml_dtd",
    )


def scan_xml(archive: zipfile.ZipFile, name: str, start: StartElement) -> bool:
    """Stream the XML part ``name`` through expat, calling ``start(namespace, local name,
    attributes)`` for each element; the callback may raise to stop. Returns False when the part
    is not well-formed XML (it was scanned up to the error). Document type declarations are
    refused (:class:`ArchiveRefused`): they carry entity expansion bombs."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd

    names: dict[str, tuple[str, str]] = {}

    def on_start(tag: str, attributes: dict[str, str]) -> None:
        # expat interns tag names; splitting each once saves an allocation per element.
        split = names.get(tag)
        if split is None:
            namespace, _, local = tag.rpartition(" ")
            split = (namespace, local)
            if len(names) < _NAMES_CACHED:
                names[tag] = split
        start(split[0], split[1], attributes)

    parser.StartElementHandler = on_start
    try:
        with archive.open(name) as part:
            while chunk := part.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        return False
    return True


def count_xml_elements(archive: zipfile.ZipFile, names: Iterable[str], limit: int) -> int:
    """The elements of the XML parts ``names`` together, refusing as soon as they pass
    ``limit`` (a parser that builds a tree, as python-docx does, takes about 150 bytes for
    each) and refusing document type declarations.

    Counted at the speed of ``bytes`` methods as the parts stream, not parsed: every element
    starts with a ``<`` that no ``</``, ``<?`` or ``<!`` follows, and XML allows no other raw
    ``<`` but in comments and CDATA (Office writes neither), where counting one more only errs
    on the safe side."""
    total = 0
    for name in names:
        with archive.open(name) as part:
            previous = b""
            while chunk := part.read(_CHUNK):
                joined = previous + chunk
                if b"<!DOCTYPE" in joined or b"<!ENTITY" in joined:
                    _refuse_dtd()
                starts = chunk.count(b"<") - sum(chunk.count(b"<" + c) for c in (b"/", b"?", b"!"))
                if previous.endswith(b"<") and chunk[:1] in (b"/", b"?", b"!"):
                    starts -= 1  # a closing tag, declaration or instruction split by the chunk
                total += starts
                if total > limit:
                    raise ArchiveRefused(
                        Message(gettext_noop("more than {limit} XML elements"), {"limit": limit}),
                        Message(
                            gettext_noop("at most {limit} XML elements in all"), {"limit": limit}
                        ),
                        value=f"> {limit}",
                        code="archive_xml_elements",
                    )
                previous = chunk[-16:]
    return total


def xml_part_names(names: Iterable[str]) -> list[str]:
    """The parts of a package a reader parses as XML (``.xml`` and relationship parts)."""
    return [
        name
        for name in names
        if posixpath.splitext(name)[1].lower() in {".xml", ".rels"} and not name.endswith("/")
    ]
