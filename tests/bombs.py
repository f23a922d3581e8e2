"""Files made to exhaust whoever reads them, generated small and fast for the resource tests,
and a measure of the time and peak memory a call takes.

- :func:`zip_with_zeros` and :func:`zip_with_repeated`: a ZIP whose part unpacks to a block
  repeated (a gigabyte of zeros, 42 million empty cells), written without ever holding it: the
  block is deflated once and its compressed form repeated (a full flush makes every copy
  alike), so 1 GiB takes about 1 MB on disk and well under a second to write.
- :func:`replace_part`: a copy of a package with one part streamed from a generator (a sheet of
  a million rows, a row of a million cells) through ``zipfile``.
- :func:`png_declaring` and :func:`jpeg_declaring`: a few hundred bytes declaring huge images.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

MIB = 1024 * 1024

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


def zip_with_repeated(
    path: Path,
    name: str,
    block: bytes,
    count: int,
    *,
    head: bytes = b"",
    tail: bytes = b"",
    others: Mapping[str, bytes] | None = None,
) -> Path:
    """A ZIP at ``path`` whose part ``name`` unpacks to ``head``, ``block`` ``count`` times and
    ``tail`` (under 4 GiB in all), then the parts ``others`` added by ``zipfile``. Each piece
    is deflated once: a full flush makes every copy of the block compress alike."""
    size = len(head) + len(block) * count + len(tail)
    assert size < 4 * 1024 * MIB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert again == middle  # a full flush starts every block afresh
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    compressed = len(first) + len(middle) * count + len(last)
    encoded = name.encode()
    fields = (20, 0, 8, 0, 0x21, crc, compressed, size, len(encoded))
    with path.open("wb") as out:
        out.write(_LOCAL.pack(b"PK\x03\x04", *fields, 0))
        out.write(encoded)
        out.write(first)
        for _ in range(count):
            out.write(middle)
        out.write(last)
        directory = out.tell()
        out.write(_CENTRAL.pack(b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, 0))
        out.write(encoded)
        directory_size = out.tell() - directory
        out.write(_END.pack(b"PK\x05\x06", 0, 0, 1, 1, directory_size, directory, 0))
    if others:
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
            for other, content in others.items():
                archive.writestr(other, content)
    return path


def zip_with_zeros(
    path: Path, name: str, size: int, others: Mapping[str, bytes] | None = None
) -> Path:
    """A ZIP at ``path`` whose part ``name`` unpacks to ``size`` zeros (a multiple of 1 MiB),
    then the parts ``others``: 1 GiB takes about 1 MB on disk and well under a second."""
    assert size % MIB == 0
    return zip_with_repeated(path, name, bytes(MIB), size // MIB, others=others)


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def replace_part(source: Path, target: Path, name: str, chunks: Iterable[bytes]) -> Path:
    """A copy of the package ``source`` at ``target`` with part ``name`` written from
    ``chunks`` (streamed: never held whole)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != name:
                new.writestr(info, old.read(info))
        with new.open(name, "w", force_zip64=True) as part:
            for chunk in chunks:
                part.write(chunk)
    return target


def batched(pieces: Iterable[str], size: int = 4096) -> Iterator[bytes]:
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) == size:
            yield "".join(batch).encode()
            batch.clear()
    if batch:
        yield "".join(batch).encode()


SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def sheet_xml(rows: Iterable[str], dimension: str | None = None) -> Iterator[bytes]:
    """A worksheet part whose ``<sheetData>`` holds ``rows`` (XML text of ``<row>`` elements)."""
    head = SHEET_HEAD + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>"
    yield head.encode()
    yield from batched(rows)
    yield b"</sheetData></worksheet>"


def _picture(kind: str) -> bytearray:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 60)).save(buffer, format=kind)
    return bytearray(buffer.getvalue())


def png_declaring(width: int, height: int) -> bytes:
    """A valid 8 × 8 PNG whose header (IHDR, checksum corrected) declares width × height."""
    content = _picture("PNG")
    content[16:24] = struct.pack(">II", width, height)
    content[29:33] = struct.pack(">I", zlib.crc32(bytes(content[12:29])))
    return bytes(content)


def jpeg_declaring(width: int, height: int) -> bytes:
    """A JPEG of 8 × 8 pixels whose start of frame declares width × height."""
    content = _picture("JPEG")
    at = content.index(b"\xff\xc0")
    content[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(content)


@dataclass
class Measured:
    seconds: float = 0.0
    peak_bytes: int = 0

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / MIB


# A refusal must come "within seconds" (issue: the unguarded reads took 24 s to 97 s and
# gigabytes). What is bounded is the work done, not the machine's speed: the CPU time of the
# refusing thread (``time.thread_time``), which other processes on a loaded CI machine do not
# lengthen; unpacking the gigabyte would take far more. The speed itself is a benchmark's
# business, not a test's.
REFUSAL_SECONDS = 15


@contextmanager
def measured() -> Iterator[Measured]:
    """The CPU time of this thread and the peak of memory allocated through Python (tracemalloc)
    inside the block; C libraries' own allocations (libxml2, zlib's window) are not counted."""
    result = Measured()
    started = tracemalloc.is_tracing()
    if not started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    begin = time.thread_time()
    try:
        yield result
    finally:
        result.seconds = time.thread_time() - begin
        result.peak_bytes = tracemalloc.get_traced_memory()[1] - base
        if not started:
            tracemalloc.stop()


def refusal_of(
    call: Callable[[], object], expected: type[BaseException]
) -> tuple[BaseException, Measured]:
    """The exception ``call`` raises (it must raise ``expected``), with time and peak memory."""
    with measured() as cost:
        try:
            call()
        except expected as error:
            caught: BaseException = error
        else:
            raise AssertionError(f"{call} was not refused")
    return caught, cost
