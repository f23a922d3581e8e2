"""Workbooks beyond the limits are refused before they are opened, quickly and in little
memory, with a message that names the sheet and the limit: a million rows, a gigabyte of zeros,
42 million empty cells, a row past row 20 000, too many sheets, an XML bomb."""

from __future__ import annotations

import dataclasses
import random
import re
import time
import zipfile
from pathlib import Path

import pytest

from lowcarbon.core.activity import UnitKind
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.workbook import (
    WORKBOOK_LIMITS,
    WorkbookError,
    WorkbookProblem,
    check_workbook_package,
    read_workbook,
    write_workbook_template,
)
from tests.bombs import (
    MIB,
    REFUSAL_SECONDS,
    SHEET_HEAD,
    measured,
    parts_of,
    refusal_of,
    replace_part,
    sheet_xml,
    zip_with_repeated,
    zip_with_zeros,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The refusals must come in seconds and small: the findings took 8.5 GB, 3.9 GB and 97 s.
SECONDS = REFUSAL_SECONDS
PEAK_MB = 50


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The community example written into the template (read-only: copy before editing)."""
    path = tmp_path_factory.mktemp("workbook") / "community.xlsx"
    example = load_accounting_file(EXAMPLES / "community" / "accounting.yaml")
    write_workbook_template(
        path, kind=UnitKind.COMMUNITY, language="zh", translate=str, example=example
    )
    return path


def sheet_part(path: Path, sheet: str) -> str:
    """The part holding ``sheet`` (the writer numbers them in the workbook's order)."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def refused(path: Path) -> tuple[WorkbookProblem, float, float]:
    """The one problem of the refusal, its time (untraced: tracing memory slows Python
    several times) and its peak memory (traced)."""
    begin = time.perf_counter()
    with pytest.raises(WorkbookError):
        read_workbook(path)
    seconds = time.perf_counter() - begin
    error, cost = refusal_of(lambda: read_workbook(path), WorkbookError)
    assert isinstance(error, WorkbookError)
    assert len(error.problems) == 1, [p.message.render() for p in error.problems]
    return error.problems[0], seconds, cost.peak_mb


HEADER = (
    '<row r="1">'
    + "".join(
        f'<c r="{column}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for column, text in zip(
            "ABCDEFGH",
            ["年份", "类别", "部门", "数量", "单位", "数据质量", "数据来源", "说明"],
            strict=True,
        )
    )
    + "</row>"
)


def record_rows(count: int) -> list[str]:
    return [
        f'<row r="{n}"><c r="A{n}"><v>2023</v></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>外购电力</t></is></c>'
        f'<c r="D{n}"><v>{n}.5</v></c></row>'
        for n in range(2, count + 2)
    ]


def test_a_sheet_of_21_000_records_is_refused_naming_the_sheet_and_the_row_limit(
    tmp_path: Path, filled: Path
) -> None:
    path = replace_part(
        filled,
        tmp_path / "rows.xlsx",
        sheet_part(filled, "电力"),
        sheet_xml([HEADER, *record_rows(21_000)]),
    )
    problem, seconds, peak = refused(path)
    assert problem.code == "too_many_rows"
    assert problem.sheet == "电力"
    assert problem.message.render() == (
        "sheet 电力: expected at most 20000 rows on one sheet (this sheet has more: delete the "
        "rows below the data)"
    )
    assert seconds < SECONDS
    assert peak < PEAK_MB


def test_a_workbook_of_a_million_rows_is_refused_in_seconds(tmp_path: Path, filled: Path) -> None:
    rows = (f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1_000_001))
    path = replace_part(
        filled, tmp_path / "million.xlsx", sheet_part(filled, "电力"), sheet_xml(rows)
    )
    assert path.stat().st_size < 11 * MIB
    problem, seconds, peak = refused(path)
    assert problem.code in {"too_many_rows", "archive_part_size", "archive_size"}
    assert "at most" in problem.expected.render()
    assert seconds < SECONDS
    assert peak < PEAK_MB


def test_a_row_numbered_past_the_limit_is_refused(tmp_path: Path, filled: Path) -> None:
    far = '<row r="1000000"><c r="A1000000"><v>2023</v></c></row>'
    path = replace_part(
        filled, tmp_path / "far.xlsx", sheet_part(filled, "碳汇"), sheet_xml([HEADER, far])
    )
    problem, seconds, peak = refused(path)
    assert (problem.code, problem.sheet) == ("too_many_rows", "碳汇")
    assert seconds < SECONDS
    assert peak < PEAK_MB


def test_a_sheet_of_too_many_cells_is_refused_naming_the_limit(
    tmp_path: Path, filled: Path
) -> None:
    wide = (
        f'<row r="{r}">'
        + "".join(f'<c r="{column}{r}"><v>1</v></c>' for column in "ABCDEFGHIJ")
        + "</row>"
        for r in range(1, 101)
    )
    path = replace_part(filled, tmp_path / "wide.xlsx", sheet_part(filled, "目标"), sheet_xml(wide))
    limits = dataclasses.replace(WORKBOOK_LIMITS, sheet_cells=999)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path, limits)
    problem = caught.value.problems[0]
    assert (problem.code, problem.sheet) == ("too_many_cells", "目标")
    assert problem.expected.render() == (
        "at most 999 cells on one sheet (this sheet has more: delete the columns and rows "
        "outside the table)"
    )


def test_a_cell_bomb_of_42_million_empty_cells_is_refused_before_it_is_parsed(
    tmp_path: Path, filled: Path
) -> None:
    # The finding: 4.3 MB, 42 M cells, 3.9 GB and 97 s. Here: 42 M "<c/>" in one row.
    part = sheet_part(filled, "电力")
    others = {name: content for name, content in parts_of(filled).items() if name != part}
    path = zip_with_repeated(
        tmp_path / "cells.xlsx",
        part,
        b"<c/>" * (MIB // 4),
        42 * 4,
        head=(SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData><row r="1">').encode(),
        tail=b"</row></sheetData></worksheet>",
        others=others,
    )
    assert path.stat().st_size < MIB
    problem, seconds, peak = refused(path)
    assert problem.code in {"archive_part_size", "archive_ratio"}
    assert problem.found == f"{part}: 168 MB"
    assert seconds < SECONDS
    assert peak < PEAK_MB


def test_a_gigabyte_of_zeros_is_refused_before_it_is_unpacked(tmp_path: Path, filled: Path) -> None:
    part = sheet_part(filled, "电力")
    others = {name: content for name, content in parts_of(filled).items() if name != part}
    path = zip_with_zeros(tmp_path / "zeros.xlsx", part, 1024 * MIB, others)
    assert path.stat().st_size < 1.2 * MIB
    problem, seconds, peak = refused(path)
    assert problem.code == "archive_part_size"
    assert problem.message.render() == (
        f"the workbook: found “{part}: 1.0 GB”, expected at most 50 MB unpacked for one part"
    )
    assert seconds < SECONDS
    assert peak < PEAK_MB


def test_a_declared_dimension_is_not_trusted(tmp_path: Path, filled: Path) -> None:
    """A sheet claiming A1:XFD1048576 with a few rows is read as the few rows it has."""
    part = sheet_part(filled, "电力")
    content = parts_of(filled)[part].decode()
    content = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', content)
    path = replace_part(filled, tmp_path / "dimension.xlsx", part, [content.encode()])
    with measured() as cost:
        data = read_workbook(path)
    assert data == read_workbook(filled)
    assert cost.seconds < SECONDS
    assert cost.peak_mb < PEAK_MB


def test_too_many_sheets_are_refused(tmp_path: Path, filled: Path) -> None:
    workbook = parts_of(filled)["xl/workbook.xml"].decode()
    extra = "".join(
        f'<sheet xmlns:r="{RELATIONSHIPS}" name="extra{n}" sheetId="{100 + n}" r:id="rId{n}"/>'
        for n in range(30)
    )
    workbook = workbook.replace("</sheets>", extra + "</sheets>")
    path = replace_part(filled, tmp_path / "sheets.xlsx", "xl/workbook.xml", [workbook.encode()])
    problem, _, _ = refused(path)
    assert problem.code == "too_many_sheets"
    assert problem.found == 43
    assert problem.message.render() == (
        "the workbook: found “43”, expected at most 32 sheets (the template has 13)"
    )


def test_the_limits_are_inclusive_and_every_element_counts(filled: Path) -> None:
    """The instructions sheet 说明 has 114 rows: a row limit of 114 reads the workbook, 113
    refuses it; an element budget below the workbook's refuses it too."""
    read_workbook(filled, dataclasses.replace(WORKBOOK_LIMITS, rows=114))
    with pytest.raises(WorkbookError) as caught:
        read_workbook(filled, dataclasses.replace(WORKBOOK_LIMITS, rows=113))
    assert (caught.value.problems[0].code, caught.value.problems[0].sheet) == (
        "too_many_rows",
        "说明",
    )
    with pytest.raises(WorkbookError) as caught:
        read_workbook(filled, dataclasses.replace(WORKBOOK_LIMITS, xml_elements=1000))
    assert (
        caught.value.problems[0]
        .expected.render()
        .startswith("a workbook of at most 1000 XML elements in all")
    )
    with pytest.raises(WorkbookError) as caught:
        read_workbook(filled, dataclasses.replace(WORKBOOK_LIMITS, cells=100))
    assert caught.value.problems[0].code == "too_many_cells"


def test_an_xml_entity_bomb_is_refused(tmp_path: Path, filled: Path) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "]><sst>&i;</sst>"
    )
    path = replace_part(filled, tmp_path / "laughs.xlsx", "xl/sharedStrings.xml", [laughs.encode()])
    problem, seconds, peak = refused(path)
    assert problem.code == "archive_xml_dtd"
    assert seconds < SECONDS
    assert peak < PEAK_MB


def test_a_damaged_workbook_is_refused_in_words_never_with_a_crash(
    tmp_path: Path, filled: Path
) -> None:
    content = filled.read_bytes()
    chance = random.Random(20261207)
    codes = set()
    for n in range(60):
        damaged = bytearray(content)
        for _ in range(chance.randint(1, 10)):
            damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        path = tmp_path / f"damaged{n}.xlsx"
        path.write_bytes(bytes(damaged))
        try:
            read_workbook(path)
        except WorkbookError as error:
            codes.update(problem.code for problem in error.problems)
    assert "unreadable" in codes


def test_rows_without_their_number_follow_the_row_before_them(tmp_path: Path, filled: Path) -> None:
    """A row may leave out its number ``r``: it is then the row after the one before it (as
    openpyxl reads it), so three rows after row 19 999 reach row 20 001 on a sheet of five."""
    part = sheet_part(filled, "碳汇")
    unnumbered = '<row><c t="inlineStr"><is><t>备注</t></is></c></row>'
    before = [HEADER, '<row r="19999"><c r="A19999"><v>2023</v></c></row>']
    inside = replace_part(filled, tmp_path / "inside.xlsx", part, sheet_xml([*before, unnumbered]))
    check_workbook_package(inside)  # row 20 000: within the limit
    past = replace_part(
        filled, tmp_path / "past.xlsx", part, sheet_xml([*before, unnumbered, unnumbered])
    )
    problem, _, _ = refused(past)
    assert (problem.code, problem.sheet) == ("too_many_rows", "碳汇")
    assert problem.message.render() == (
        "sheet 碳汇: expected at most 20000 rows on one sheet (this sheet has more: delete the "
        "rows below the data)"
    )


def test_a_sheet_whose_relationship_is_missing_leaves_the_others_named(
    tmp_path: Path, filled: Path
) -> None:
    """A sheet of the workbook part whose ``r:id`` no relationship declares has no part to
    count; the other sheets are still counted and named, and the workbook is then refused as
    unreadable, in words."""
    workbook = parts_of(filled)["xl/workbook.xml"].decode()
    ghost = f'<sheet xmlns:r="{RELATIONSHIPS}" name="附表" sheetId="99" r:id="rId99"/>'
    assert "<sheets>" in workbook
    workbook = workbook.replace("<sheets>", "<sheets>" + ghost)
    ghostly = replace_part(filled, tmp_path / "ghost.xlsx", "xl/workbook.xml", [workbook.encode()])
    far = '<row r="1000000"><c r="A1000000"><v>2023</v></c></row>'
    path = replace_part(
        ghostly, tmp_path / "far.xlsx", sheet_part(filled, "碳汇"), sheet_xml([HEADER, far])
    )
    problem, _, _ = refused(path)
    assert (problem.code, problem.sheet) == ("too_many_rows", "碳汇")
    problem, _, _ = refused(ghostly)
    assert problem.code == "unreadable"
    assert problem.message.render().startswith(
        "the workbook: expected an .xlsx workbook made from the template"
    )
