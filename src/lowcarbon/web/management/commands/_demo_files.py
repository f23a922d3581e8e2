"""Small placeholder evidence files for the demo, real files of their kind (by content, not name).

The example answers name evidence files (``evidence/E01-工作小组.pdf`` …) that do not exist. The
demo attaches a tiny generated file of the same kind instead, so that every evidence number the
self-assessment cites is on the application's evidence list (the scoring engine refuses answers
citing unlisted evidence) and so that a content check (PDF, XLSX, DOCX, PNG, GeoJSON from the
bytes) accepts each one. JPEG photos become PNG images: a JPEG encoder is not worth carrying for a
placeholder, and the standard library writes PNG.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import PurePosixPath

from openpyxl import Workbook

from lowcarbon.rules.xlsx_safety import put

__all__ = ["placeholder_file", "placeholder_kind"]

NOTICE = "lowcarbon demo evidence - for demonstration only / 仅供演示"


def _pdf(code: str) -> bytes:
    """A one-page PDF saying what it is (ASCII text in a standard font: no font to embed)."""
    text = f"{code}: {NOTICE.split(' / ')[0]}".replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 56 780 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _xlsx(code: str, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = code
    put(sheet, 1, 1, code)
    put(sheet, 1, 2, title)
    put(sheet, 2, 1, NOTICE)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _docx(code: str, title: str) -> bytes:
    """The smallest Word document Word opens: content types, the package relation, one body."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{code} {title}</w:t></w:r></w:p>"
        f"<w:p><w:r><w:t>{NOTICE}</w:t></w:r></w:p></w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def _png(code: str, title: str) -> bytes:
    """A 16 × 16 green square whose text chunk names the evidence (so each file differs)."""
    width = height = 16
    row = b"\x00" + bytes((46, 125, 50)) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + f"{code} {title} {NOTICE}".encode())
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _geojson(code: str, title: str) -> bytes:
    """A fictional rectangle near the river (the example zone's boundary is invented)."""
    ring = [[121.500, 31.200], [121.520, 31.200], [121.520, 31.216], [121.500, 31.216]]
    feature = {
        "type": "Feature",
        "properties": {"code": code, "title": title, "note": NOTICE},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }
    return json.dumps(
        {"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False
    ).encode("utf-8")


def placeholder_file(code: str, title: str, file: str) -> tuple[str, str, bytes]:
    """``(file name, content kind, bytes)`` of a placeholder for evidence ``code`` that an
    answers file names ``file`` (its folder is dropped; a photo becomes a PNG image)."""
    name = PurePosixPath(file or f"{code}.pdf").name
    suffix = PurePosixPath(name).suffix.lower()
    stem = name[: -len(suffix)] if suffix else name
    if suffix == ".xlsx":
        return name, "xlsx", _xlsx(code, title)
    if suffix == ".docx":
        return name, "docx", _docx(code, title)
    if suffix in (".jpg", ".jpeg", ".png"):
        return f"{stem}.png", "png", _png(code, title)
    if suffix == ".geojson":
        return name, "geojson", _geojson(code, title)
    return f"{stem}.pdf", "pdf", _pdf(code)


def placeholder_kind(content: bytes) -> str | None:
    """What a placeholder is, from its bytes (``None``: not one of the kinds made here)."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        return "xlsx" if "xl/workbook.xml" in names else None
    try:
        data = json.loads(content)
    except ValueError:
        return None
    return "geojson" if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
