"""Uploaded ZIP packages checked before anything in them is unpacked: compression bombs, too
many parts, path tricks, nesting, encryption; each refusal fast, small and naming the limit."""

from __future__ import annotations

import io
import random
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

from lowcarbon.core.activity import UnitKind
from lowcarbon.rules.archives import (
    _CHUNK,
    _NAMES_CACHED,
    MB,
    ArchiveLimits,
    ArchiveRefused,
    check_archive,
    count_xml_elements,
    format_size,
    scan_xml,
    xml_part_names,
)
from lowcarbon.rules.workbook import WORKBOOK_LIMITS, write_workbook_template
from tests.bombs import MIB, REFUSAL_SECONDS, measured, refusal_of, zip_with_zeros

LIMITS = WORKBOOK_LIMITS.archive


def _zip(path: Path, parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def test_the_accounting_template_is_well_within_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_workbook_template(path, kind=UnitKind.ZONE, language="zh", translate=str)
    with measured() as cost:
        summary = check_archive(path, LIMITS)
    assert "xl/workbook.xml" in summary.names
    assert len(summary.names) < LIMITS.members / 10
    assert summary.unpacked_bytes < LIMITS.unpacked_bytes / 100
    assert cost.seconds < REFUSAL_SECONDS


def test_a_part_unpacking_to_a_gigabyte_of_zeros_is_refused_before_it_is_unpacked(
    tmp_path: Path,
) -> None:
    bomb = zip_with_zeros(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", 1024 * MIB)
    assert bomb.stat().st_size < 1.1 * MB
    refused, cost = refusal_of(lambda: check_archive(bomb, LIMITS), ArchiveRefused)
    assert isinstance(refused, ArchiveRefused)
    assert refused.code == "archive_part_size"
    assert refused.message.render() == (
        "The file holds the part “xl/worksheets/sheet1.xml” of 1.0 GB unpacked; accepted: at "
        "most 50 MB unpacked for one part."
    )
    assert cost.seconds < REFUSAL_SECONDS
    assert cost.peak_mb < 5


def test_a_part_compressed_a_thousand_to_one_is_refused_for_its_ratio(tmp_path: Path) -> None:
    bomb = zip_with_zeros(tmp_path / "bomb.docx", "word/document.xml", 8 * MIB)
    refused, cost = refusal_of(lambda: check_archive(bomb, LIMITS), ArchiveRefused)
    assert isinstance(refused, ArchiveRefused)
    assert refused.code == "archive_ratio"
    assert "compressed 1010:1" in refused.message.render()
    assert "parts compressed at most 100:1" in refused.message.render()
    assert cost.peak_mb < 5


def test_parts_together_beyond_the_total_are_refused(tmp_path: Path) -> None:
    limits = ArchiveLimits(members=10, unpacked_bytes=2 * MB, part_bytes=2 * MB, ratio=100)
    noise = bytes(range(256)) * 4096  # 1 MB, compressible but not a bomb
    path = _zip(tmp_path / "big.zip", {"a.xml": noise, "b.xml": noise, "c.xml": noise})
    with pytest.raises(ArchiveRefused, match="at most 2 MB unpacked in all") as refused:
        check_archive(path, limits)
    assert refused.value.code == "archive_size"


def test_too_many_parts_are_refused_from_the_end_record_before_the_directory_is_read(
    tmp_path: Path,
) -> None:
    path = _zip(tmp_path / "many.zip", {f"p/{n}.xml": b"" for n in range(LIMITS.members + 1)})
    refused, cost = refusal_of(lambda: check_archive(path, LIMITS), ArchiveRefused)
    assert isinstance(refused, ArchiveRefused)
    assert refused.code == "archive_members"
    assert refused.message.render() == "The file holds 1001 parts; accepted: at most 1000 parts."
    assert cost.peak_mb < 1


def test_a_directory_larger_than_its_declared_count_allows_is_refused(tmp_path: Path) -> None:
    # The end record claims one entry; the directory holds 30 000 (zipfile would make an object
    # of each, whatever the count says).
    path = _zip(tmp_path / "lying.zip", {f"{n:05d}": b"" for n in range(30_000)}, 0)
    content = bytearray(path.read_bytes())
    end = content.rindex(b"PK\x05\x06")
    content[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2
    handle = io.BytesIO(bytes(content))
    refused, cost = refusal_of(lambda: check_archive(handle, LIMITS), ArchiveRefused)
    assert isinstance(refused, ArchiveRefused)
    assert refused.code == "archive_members"
    assert "accepted: at most 1000 parts" in refused.message.render()
    assert cost.peak_mb < 2


@pytest.mark.parametrize(
    "name", ["../evil.xml", "/etc/passwd", "xl\\..\\x.xml", "C:x.xml", "xl/./a.xml", "a\x01b"]
)
def test_part_names_that_leave_the_package_are_refused(tmp_path: Path, name: str) -> None:
    path = _zip(tmp_path / "names.zip", {"[Content_Types].xml": b"<Types/>", name: b"x"})
    with pytest.raises(ArchiveRefused, match="part names inside the package") as refused:
        check_archive(path, LIMITS)
    assert refused.value.code == "archive_name"


def test_a_part_name_repeated_in_other_case_is_refused(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of the duplicate
        path = _zip(tmp_path / "twice.zip", {"xl/Workbook.xml": b"a", "xl/workbook.xml": b"b"})
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(path, LIMITS)
    assert refused.value.code == "archive_name"


def test_encrypted_parts_and_other_compression_methods_are_refused(tmp_path: Path) -> None:
    # zipfile writes no encryption: the flag is set in both headers by hand.
    content = bytearray(_zip(tmp_path / "plain.zip", {"word/document.xml": b"<w/>"}).read_bytes())
    content[6] |= 0x1
    content[content.index(b"PK\x01\x02") + 8] |= 0x1
    with pytest.raises(ArchiveRefused, match="without a password"):
        check_archive(io.BytesIO(bytes(content)), LIMITS)
    lzma = _zip(tmp_path / "lzma.zip", {"word/document.xml": b"<w/>"}, zipfile.ZIP_LZMA)
    with pytest.raises(ArchiveRefused, match="stored or deflated") as refused:
        check_archive(lzma, LIMITS)
    assert refused.value.code == "archive_method"


def _nest(content: bytes, levels: int) -> bytes:
    for level in range(levels):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"word/embeddings/level{level}.xlsx", content)
        content = buffer.getvalue()
    return content


def test_an_embedded_workbook_is_checked_and_counted_one_level_deep() -> None:
    inner = _nest(b"<x/>" * 1000, 1)
    summary = check_archive(io.BytesIO(_nest(inner, 1)), LIMITS)
    assert summary.names == ("word/embeddings/level0.xlsx",)
    assert summary.unpacked_bytes == len(inner) + 4000
    with pytest.raises(ArchiveRefused, match="archives nested at most 1 level") as refused:
        check_archive(io.BytesIO(_nest(inner, 2)), LIMITS)
    assert refused.value.code == "archive_nesting"


def test_a_zero_bomb_inside_an_embedded_archive_is_refused(tmp_path: Path) -> None:
    inner = zip_with_zeros(tmp_path / "inner.xlsx", "xl/worksheets/sheet1.xml", 512 * MIB)
    outer = _zip(tmp_path / "outer.docx", {"word/embeddings/a.xlsx": inner.read_bytes()})
    refused, cost = refusal_of(lambda: check_archive(outer, LIMITS), ArchiveRefused)
    assert isinstance(refused, ArchiveRefused)
    assert refused.code == "archive_part_size"
    assert cost.peak_mb < 5


def test_a_file_that_is_no_zip_is_reported_as_damaged() -> None:
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(io.BytesIO(b"PK\x03\x04 and then nothing"), LIMITS)
    assert refused.value.code == "archive_damaged"


def test_a_file_object_is_left_where_it_was(tmp_path: Path) -> None:
    path = _zip(tmp_path / "ok.zip", {"a.xml": b"<a/>"})
    handle = io.BytesIO(path.read_bytes())
    handle.seek(3)
    check_archive(handle, LIMITS)
    assert handle.tell() == 3


def test_xml_elements_are_counted_against_a_budget_and_dtds_refused(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "xml.zip",
        {
            "a.xml": b"<r>" + b"<p/>" * 5000 + b"</r>",
            "b.rels": b"<r/>",
            "media/image1.png": b"\x89PNG",
        },
    )
    with zipfile.ZipFile(path) as archive:
        names = xml_part_names(archive.namelist())
        assert names == ["a.xml", "b.rels"]
        assert count_xml_elements(archive, names, 10_000) == 5002
        with pytest.raises(ArchiveRefused, match="at most 1000 XML elements in all"):
            count_xml_elements(archive, names, 1000)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><r>&lol2;</r>'
    )
    billion = _zip(tmp_path / "laughs.zip", {"a.xml": laughs})
    with zipfile.ZipFile(billion) as archive, pytest.raises(ArchiveRefused) as refused:
        count_xml_elements(archive, ["a.xml"], 1000)
    assert refused.value.code == "archive_xml_dtd"


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (80, "80 B"),
        (2048, "2 KB"),
        (20 * MB, "20 MB"),
        (int(2.5 * MB), "2.5 MB"),
        (1 << 30, "1.0 GB"),
    ],
)
def test_sizes_are_shown_as_people_read_them(count: int, shown: str) -> None:
    assert format_size(count) == shown


def _damaged_copies(content: bytes, count: int) -> list[bytes]:
    """Copies cut short or with bytes changed at random (seeded: the same copies every run)."""
    chance = random.Random(20261207)
    copies = []
    for _ in range(count):
        damaged = bytearray(content)
        if chance.random() < 0.3:
            del damaged[chance.randrange(1, len(damaged)) :]
        else:
            for _ in range(chance.randint(1, 20)):
                damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        copies.append(bytes(damaged))
    return copies


def test_a_damaged_package_is_refused_in_words_never_with_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_workbook_template(path, kind=UnitKind.COMMUNITY, language="zh", translate=str)
    outcomes = set()
    for damaged in _damaged_copies(path.read_bytes(), 300):
        try:
            check_archive(io.BytesIO(damaged), LIMITS)
        except ArchiveRefused as refused:
            outcomes.add(refused.code)
        else:
            outcomes.add("accepted")
    assert "archive_damaged" in outcomes
    assert outcomes <= {
        "accepted",
        "archive_damaged",
        "archive_name",
        "archive_method",
        "archive_encrypted",
        "archive_ratio",
        "archive_part_size",
        "archive_size",
        "archive_members",
    }


# --- end records with a comment, ZIP64 end records, lying counts -----------------------------

_END = struct.Struct("<4s4H2LH")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
SMALL = ArchiveLimits(members=2, unpacked_bytes=MB, part_bytes=MB, ratio=100)
THREE = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/a.xml": b"<a/>"}


def _zip_bytes(parts: dict[str, bytes], comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        archive.comment = comment
    return buffer.getvalue()


def _as_zip64(content: bytes, comment: bytes = b"") -> bytes:
    """The ZIP ``content`` ended as writers end one of more than 65 535 parts or past 4 GB
    (APPNOTE 4.3.14-4.3.16): a ZIP64 end record holding the count, size and offset of the
    directory, its locator, then the end record with those fields all ones."""
    end = content.rindex(b"PK\x05\x06")
    count, size, offset = _END.unpack_from(content, end)[4:7]
    body = content[:end]
    record = _ZIP64_END.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, offset)
    locator = _ZIP64_LOCATOR.pack(b"PK\x06\x07", 0, len(body), 1)
    tail = _END.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment))
    return body + record + locator + tail + comment


def test_an_archive_with_a_comment_after_its_end_record_is_read_through_it() -> None:
    content = _zip_bytes(THREE, comment=b"Saved by a scanner's software" * 100)
    summary = check_archive(io.BytesIO(content), LIMITS)
    assert summary.names == tuple(THREE)
    assert summary.unpacked_bytes == 16
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(io.BytesIO(content), SMALL)
    assert refused.value.message.render() == "The file holds 3 parts; accepted: at most 2 parts."
    # An end signature in the last 21 bytes leaves no room for an end record after it.
    cut = _zip_bytes(THREE, comment=b"note PK\x05\x06")
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(io.BytesIO(cut), LIMITS)
    assert refused.value.code == "archive_damaged"


@pytest.mark.parametrize("comment", [b"", b"archived 2026-12-07"])
def test_a_zip64_archive_is_read_from_its_zip64_end_record(comment: bytes) -> None:
    content = _as_zip64(_zip_bytes(THREE), comment)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # a ZIP64 archive as zipfile reads it
        assert archive.namelist() == list(THREE)
    summary = check_archive(io.BytesIO(content), LIMITS)
    assert summary.names == tuple(THREE)
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(io.BytesIO(content), SMALL)
    assert refused.value.code == "archive_members"
    assert refused.value.value == "3"  # the count of the ZIP64 record, not 65535
    assert refused.value.message.render() == "The file holds 3 parts; accepted: at most 2 parts."


def test_an_end_record_pointing_to_zip64_records_that_are_not_there_is_damaged() -> None:
    plain = bytearray(_zip_bytes(THREE))
    end = plain.rindex(b"PK\x05\x06")
    plain[end + 8 : end + 12] = b"\xff" * 4  # "see the ZIP64 record", with none before it
    zip64 = bytearray(_as_zip64(_zip_bytes(THREE)))
    zip64[zip64.rindex(b"PK\x06\x06") + 3] = 0x07  # the locator is there, its record is not
    alone = _END.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    for content in (bytes(plain), bytes(zip64), alone):
        with pytest.raises(ArchiveRefused) as refused:
            check_archive(io.BytesIO(content), LIMITS)
        assert refused.value.code == "archive_damaged"
        assert refused.value.message.render() == (
            "The file holds a damaged or unreadable ZIP package; accepted: a package that opens, "
            "as the Office programs save it."
        )


def test_more_directory_entries_than_the_end_record_declares_are_counted() -> None:
    # Five short entries fit in the directory size two parts allow (2 × 256 bytes); the end
    # record claims one. zipfile reads the directory by its size, so all five are counted.
    content = bytearray(_zip_bytes({f"{n}.xml": b"<a/>" for n in range(5)}))
    end = content.rindex(b"PK\x05\x06")
    content[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2
    assert _END.unpack_from(content, end)[5] <= SMALL.members * 256
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        assert len(archive.infolist()) == 5
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(io.BytesIO(bytes(content)), SMALL)
    assert refused.value.code == "archive_members"
    assert refused.value.message.render() == "The file holds 5 parts; accepted: at most 2 parts."


def test_folders_and_parts_too_small_to_be_archives_are_listed_and_not_opened() -> None:
    content = _zip_bytes(
        {"xl/": b"", "xl/empty.xml": b"", "xl/pk.bin": b"PK\x03", "a.xml": b"<a/>"}
    )
    summary = check_archive(io.BytesIO(content), LIMITS)
    assert summary.names == ("xl/", "xl/empty.xml", "xl/pk.bin", "a.xml")
    assert summary.unpacked_bytes == 7


# --- XML parts: many tag names, tags split between reads ----------------------------------------


def test_every_element_is_named_beyond_the_tag_names_kept_split() -> None:
    count = _NAMES_CACHED + 50
    body = "".join(f"<e{n}/>" for n in range(count))
    xml = f'<root xmlns="urn:a" xmlns:b="urn:b">{body}<b:e{count - 1}/><e{count - 1}/></root>'
    content = _zip_bytes({"a.xml": xml.encode()})
    seen: list[tuple[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert scan_xml(archive, "a.xml", lambda ns, local, _: seen.append((ns, local)))
    last = f"e{count - 1}"
    assert seen == [
        ("urn:a", "root"),
        *(("urn:a", f"e{n}") for n in range(count)),
        ("urn:b", last),
        ("urn:a", last),
    ]


@pytest.mark.parametrize(
    ("piece", "elements"),
    [
        (b"</a>", 3),  # a closing tag: no element
        (b"<?pi x?>", 3),  # a processing instruction
        (b"<!-- note -->", 3),  # a comment
        (b"<c/>", 4),  # an element: counted once
    ],
)
def test_a_tag_split_between_two_reads_is_counted_as_what_it_is(
    piece: bytes, elements: int
) -> None:
    # The part is read _CHUNK bytes at a time: the piece's "<" ends the first read.
    head = b"<r><a>"
    filler = b"x" * (_CHUNK - 1 - len(head))
    xml = head + filler + piece + (b"" if piece == b"</a>" else b"</a>") + b"<b/></r>"
    assert xml[_CHUNK - 1 : _CHUNK + 1] == piece[:2]
    content = _zip_bytes({"a.xml": xml})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert count_xml_elements(archive, ["a.xml"], 10) == elements
