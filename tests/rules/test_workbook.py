"""The data-collection workbook: template layout, round trips, and broken workbooks."""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from lowcarbon.core.activity import (
    ActivityChange,
    ActivityRecord,
    Boundary,
    DataQuality,
    ProjectFactor,
    ReductionActivity,
    Sector,
    SourceCategory,
    UnitKind,
)
from lowcarbon.rules.activity import (
    AccountingInput,
    accounting_input_from_data,
    accounting_input_to_data,
    load_accounting_file,
)
from lowcarbon.rules.workbook import (
    INSTRUCTIONS_SHEET,
    OPTIONS_SHEET,
    WorkbookError,
    WorkbookProblem,
    read_workbook,
    write_workbook_template,
)
from tests.bombs import replace_part

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

DATA_SHEETS = [
    "基本情况",
    "年度规模",
    "电力",
    "燃气与燃料",
    "热力与可再生能源",
    "碳汇",
    "废弃物与水",
    "任务与项目",
    "减排测算",
    "目标",
    "预测假设",
]
RECORD_HEADERS = ["年份", "类别", "部门", "数量", "单位", "数据质量", "数据来源", "说明"]

# The translations the lead will add to the catalogue, enough to show a Chinese message.
ZH = {
    "{place}: found “{found}”, expected {expected}": "{place}：发现 “{found}”，应为{expected}",
    "{sheet}!{cell} {column}": "{sheet}!{cell} {column}",
    "a number of 0 or more": "不小于0的数字",
}


def _zh(text: str) -> str:
    return ZH.get(text, text)


def _identity(text: str) -> str:
    return text


@pytest.fixture(scope="module")
def community() -> AccountingInput:
    return load_accounting_file(EXAMPLES / "community" / "accounting.yaml")


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, community: AccountingInput) -> Path:
    """The community example written into the template (read-only: copy before editing)."""
    path = tmp_path_factory.mktemp("workbook") / "community.xlsx"
    write_workbook_template(
        path, kind=UnitKind.COMMUNITY, language="zh", translate=_identity, example=community
    )
    return path


# --- the template -----------------------------------------------------------------------------


def test_sheets_headers_and_frozen_rows(filled: Path) -> None:
    book = load_workbook(filled)
    assert book.sheetnames == [INSTRUCTIONS_SHEET, *DATA_SHEETS, OPTIONS_SHEET]
    assert book[OPTIONS_SHEET].sheet_state == "hidden"
    for name in DATA_SHEETS:
        assert book[name].freeze_panes == "A2", name
    for name in ("电力", "燃气与燃料", "热力与可再生能源", "碳汇", "废弃物与水"):
        assert [c.value for c in book[name][1]] == RECORD_HEADERS
    assert [c.value for c in book["年度规模"][1]][:4] == [
        "年份",
        "常住人口（人）",
        "户籍人口（人）",
        "户数（户）",
    ]
    assert [c.value for c in book["基本情况"]["A"]][:4] == ["项目", "名称", "类型", "四至边界"]
    assert book["电力"].column_dimensions["B"].width == 26
    assert book["电力"]["D1"].comment is not None


def test_drop_down_lists_cover_category_unit_and_quality(filled: Path) -> None:
    book = load_workbook(filled)
    options = book[OPTIONS_SHEET]
    for name in ("电力", "燃气与燃料", "碳汇"):
        validations = {
            str(v.sqref).split(":")[0]: (v.formula1, v.showErrorMessage)
            for v in book[name].data_validations.dataValidation
        }
        category, strict = validations["B2"]
        assert category is not None
        assert category.startswith(f"'{OPTIONS_SHEET}'!")
        assert strict
        unit, strict = validations["E2"]
        assert unit is not None
        assert not strict
        assert {"C2", "F2"} <= set(validations)
    # The list behind the category column of 电力 holds only that sheet's categories.
    reference = next(
        v.formula1
        for v in book["电力"].data_validations.dataValidation
        if str(v.sqref) == "B2:B1000"
    )
    assert reference is not None
    column = reference.split("!$")[1][0]
    assert _listed(options, column) == ["外购电力", "绿色电力（绿电交易）"]
    forms = {str(v.sqref): v for v in book["基本情况"].data_validations.dataValidation}
    assert set(forms) == {"B3", "B9"}  # kind, factor set
    factor_sets = forms["B9"].formula1
    assert factor_sets is not None
    assert "shanghai-2022" in _listed(options, factor_sets.split("!$")[1][0])
    assert not forms["B9"].showErrorMessage


def _listed(sheet: Any, column: str) -> list[object]:
    return [c.value for c in sheet[column] if c.value is not None][1:]


def test_instructions_cite_the_method_in_the_chosen_language(tmp_path: Path) -> None:
    path = tmp_path / "zone.xlsx"

    def translate(text: str) -> str:
        return {"Method": "核算方法", "Purpose": "用途"}.get(text, text)

    write_workbook_template(path, kind=UnitKind.ZONE, language="en", translate=translate)
    sheet = load_workbook(path)[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "low-carbon development practice zone" in text
    assert "核算方法" in text
    assert "用途" in text
    assert "accounting-method.md" in text
    assert "§8" in text
    assert "附件1 一、1" in text
    assert "(required) The calendar year of the data." in text
    book = load_workbook(path)
    # An English template shows the machine values in its lists and prefills the kind.
    assert book["基本情况"]["B3"].value == "zone"
    assert _listed(book[OPTIONS_SHEET], "B") == ["true", "false"]


def test_a_community_template_cites_annex_3(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_workbook_template(path, kind=UnitKind.COMMUNITY, language="zh", translate=_identity)
    sheet = load_workbook(path)[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "附件3 一、1" in text
    assert load_workbook(path)["基本情况"]["B3"].value == "低碳社区（近零碳排放社区）"


def test_bad_arguments_are_programming_errors(tmp_path: Path, community: AccountingInput) -> None:
    with pytest.raises(ValueError, match="language"):
        write_workbook_template(
            tmp_path / "x.xlsx", kind=UnitKind.ZONE, language="fr", translate=_identity
        )
    with pytest.raises(ValueError, match="community"):
        write_workbook_template(
            tmp_path / "x.xlsx",
            kind=UnitKind.ZONE,
            language="zh",
            translate=_identity,
            example=community,
        )
    with pytest.raises(ValueError, match="one factor set"):
        write_workbook_template(
            tmp_path / "x.xlsx",
            kind=UnitKind.COMMUNITY,
            language="zh",
            translate=_identity,
            example=dataclasses.replace(community, year_factor_sets={2023: "shanghai-2012"}),
        )


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["community", "zone"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_example_round_trips_exactly(tmp_path: Path, name: str, language: str) -> None:
    example = load_accounting_file(EXAMPLES / name / "accounting.yaml")
    path = tmp_path / f"{name}.xlsx"
    write_workbook_template(
        path, kind=example.profile.kind, language=language, translate=_identity, example=example
    )
    assert read_workbook(path) == example


def test_round_trip_keeps_geometry_formula_like_text_and_long_decimals(
    tmp_path: Path, community: AccountingInput
) -> None:
    polygon = {
        "type": "Polygon",
        "coordinates": [[[121.1, 31.1], [121.2, 31.1], [121.2, 31.2], [121.1, 31.1]]],
    }
    record = ActivityRecord(
        year=2024,
        category=SourceCategory.LPG,
        sector=Sector.COMMERCIAL_PUBLIC,
        quantity=Decimal("1234567890.123456789"),
        unit="kg",
        quality=DataQuality.ESTIMATED,
        source="=问卷×户数",
    )
    example = dataclasses.replace(
        community,
        profile=dataclasses.replace(
            community.profile,
            boundary=Boundary("东至甲路", Decimal("0.38"), polygon),
        ),
        records=(*community.records[:30], record, *community.records[30:]),
        years=(),
    )
    path = tmp_path / "c.xlsx"
    write_workbook_template(
        path, kind=UnitKind.COMMUNITY, language="zh", translate=_identity, example=example
    )
    result = read_workbook(path)
    lpg = next(r for r in result.records if r.category is SourceCategory.LPG)
    assert lpg.quantity == Decimal("1234567890.123456789")
    assert lpg.source == "=问卷×户数"
    assert result.profile.boundary.geometry == polygon
    # Years left empty are the years of the activity data.
    assert result.years == (2023, 2024, 2025)
    # Records come back grouped as the sheets are: the LPG record joins the fuels.
    canonical = accounting_input_from_data(accounting_input_to_data(example))
    assert canonical.records != example.records
    assert result == canonical


def test_the_empty_template_reads_as_nothing_entered(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_workbook_template(path, kind=UnitKind.ZONE, language="zh", translate=_identity)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    (problem,) = caught.value.problems
    assert problem.code == "nothing_entered"
    assert problem.sheet is None
    assert "nothing was entered" in str(caught.value)
    assert str(caught.value).startswith(f"{path}: 1 problem(s), nothing was imported: ")


# --- broken workbooks -------------------------------------------------------------------------

Edit = Callable[[Workbook], None]


def _broken(tmp_path: Path, filled: Path, edit: Edit) -> WorkbookError:
    path = tmp_path / "broken.xlsx"
    shutil.copy(filled, path)
    book = load_workbook(path)
    edit(book)
    book.save(path)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    return caught.value


def _cell(sheet: str, cell: str, value: object) -> Edit:
    def edit(book: Workbook) -> None:
        worksheet = book[sheet]
        assert isinstance(worksheet, Worksheet)
        worksheet[cell] = value  # type: ignore[assignment]

    return edit


def _only(error: WorkbookError) -> WorkbookProblem:
    assert len(error.problems) == 1, [p.message.render() for p in error.problems]
    return error.problems[0]


def test_text_in_a_number_cell_names_sheet_cell_column_and_value(
    tmp_path: Path, filled: Path
) -> None:
    problem = _only(_broken(tmp_path, filled, _cell("电力", "D7", "abc")))
    assert (problem.sheet, problem.row, problem.column, problem.cell) == ("电力", 7, "数量", "D7")
    assert problem.found == "abc"
    assert problem.expected.render() == "a number of 0 or more"
    assert problem.message.render() == "电力!D7 数量: found “abc”, expected a number of 0 or more"
    assert problem.message.render(_zh) == "电力!D7 数量：发现 “abc”，应为不小于0的数字"


def test_an_unknown_category_lists_the_sheet_categories(tmp_path: Path, filled: Path) -> None:
    problem = _only(_broken(tmp_path, filled, _cell("电力", "B3", "煤炭")))
    assert (problem.sheet, problem.cell, problem.column, problem.found) == (
        "电力",
        "B3",
        "类别",
        "煤炭",
    )
    assert problem.expected.render() == (
        "one of 外购电力 (electricity), 绿色电力（绿电交易） (green_electricity)"
    )


def test_an_empty_required_cell_is_named(tmp_path: Path, filled: Path) -> None:
    problem = _only(_broken(tmp_path, filled, _cell("电力", "E5", None)))
    assert (problem.sheet, problem.row, problem.column, problem.found) == ("电力", 5, "单位", None)
    assert problem.message.render().startswith("电力!E5 单位: empty, expected a unit such as kWh")


def test_a_renamed_sheet_is_refused_listing_what_is_missing(tmp_path: Path, filled: Path) -> None:
    def rename(book: Workbook) -> None:
        book["电力"].title = "Electricity"

    problem = _only(_broken(tmp_path, filled, rename))
    assert (problem.sheet, problem.code, problem.cell) == ("电力", "sheet_missing", None)
    text = problem.message.render()
    assert text.startswith("sheet 电力: expected a sheet named 电力")
    assert "Electricity" in text


def test_a_removed_header_column_is_refused(tmp_path: Path, filled: Path) -> None:
    def remove(book: Workbook) -> None:
        sheet = book["电力"]
        assert isinstance(sheet, Worksheet)
        sheet.delete_cols(4)

    problem = _only(_broken(tmp_path, filled, remove))
    assert (problem.sheet, problem.code) == ("电力", "headers")
    assert "missing or renamed: 数量" in problem.expected.render()
    assert problem.found == "年份 | 类别 | 部门 | 单位 | 数据质量 | 数据来源 | 说明"
    assert problem.message.render().startswith("sheet 电力: found “年份 | 类别")


def test_reordered_headers_and_labels_are_refused(tmp_path: Path, filled: Path) -> None:
    def reorder(book: Workbook) -> None:
        _cell("目标", "A1", "目标年份")(book)
        _cell("目标", "B1", "指标")(book)
        _cell("基本情况", "A2", "单位名称")(book)

    error = _broken(tmp_path, filled, reorder)
    assert [(p.sheet, p.code) for p in error.problems] == [
        ("基本情况", "headers"),
        ("目标", "headers"),
    ]
    labels, headers = (p.expected.render() for p in error.problems)
    assert labels.startswith("the labels 名称 | 类型 | 四至边界")
    assert labels.endswith("missing or renamed: 名称")
    assert (
        headers == "the headers 指标 | 目标年份 | 目标值 | 总体目标 | 说明 in row 1 in this order"
    )


def test_reordered_sheets_are_refused(tmp_path: Path, filled: Path) -> None:
    def move(book: Workbook) -> None:
        book.move_sheet("目标", offset=-3)

    problem = _only(_broken(tmp_path, filled, move))
    assert (problem.sheet, problem.code) == (None, "sheet_order")
    assert problem.message.render().startswith("the workbook: found “基本情况 | 年度规模 | 电力")


def test_every_problem_is_collected_in_sheet_and_row_order(tmp_path: Path, filled: Path) -> None:
    def several(book: Workbook) -> None:
        _cell("目标", "C2", "很多")(book)
        _cell("电力", "D7", "abc")(book)
        _cell("电力", "B3", "煤炭")(book)
        _cell("基本情况", "B2", None)(book)

    error = _broken(tmp_path, filled, several)
    assert [p.cell and f"{p.sheet}!{p.cell}" for p in error.problems] == [
        "基本情况!B2",
        "电力!B3",
        "电力!D7",
        "目标!C2",
    ]
    assert "4 problem(s)" in str(error)
    assert error.code == "workbook"


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "found", "expected"),
    [
        ("电力", "D4", -3, "-3", "a number of 0 or more"),
        ("电力", "D5", True, "True", "a number of 0 or more"),
        ("电力", "D6", datetime(2024, 1, 1), "2024-01-01 00:00:00", "a number of 0 or more"),
        ("电力", "D8", "inf", "inf", "a number of 0 or more"),
        ("电力", "A2", 2023.5, "2023.5", "a calendar year such as 2023"),
        ("电力", "D9", "x" * 100, "x" * 79 + "…", "a number of 0 or more"),
        ("基本情况", "B5", 0, "0", "the area in km², a number greater than 0"),
        ("基本情况", "B7", 2200, "2200", "the base year, a calendar year from 2000 to 2100"),
        ("基本情况", "B8", "2023-2025", "2023-2025", "the accounting years, a list of distinct"),
        ("基本情况", "B8", "2023, 2023", "2023, 2023", "the accounting years, a list of distinct"),
        ("基本情况", "B6", "{not json", "{not json", "a GeoJSON Polygon or MultiPolygon"),
        ("基本情况", "B6", '{"type": "Point", "coordinates": []}', None, "a GeoJSON Polygon"),
        ("基本情况", "B9", "Shanghai 2022", "Shanghai 2022", "the id of a factor set"),
        ("年度规模", "B3", 8160.5, "8160.5", "a whole number of 0 or more"),
        ("预测假设", "B2", 150, "150", "a percentage between -100 and 100"),
        ("预测假设", "B3", -100, "-100", "a percentage between -100 and 100"),
        # C08 (row 9) has no row on 减排测算, which would name the task's old id
        ("任务与项目", "A9", "C 08", "C 08", "an id of letters, digits"),
        ("任务与项目", "G3", 0, "0", "a whole number of 1 or more"),
        ("任务与项目", "H3", "maybe", "maybe", "one of 是 (true), 否 (false)"),
        ("任务与项目", "C3", "能源建设", "能源建设", "one of 能源 (energy), 建筑 (buildings)"),
        ("目标", "A2", "人均排放", "人均排放", "one of 碳排放总量（tCO2，不高于） (total)"),
    ],
)
def test_unreadable_cells(
    tmp_path: Path,
    filled: Path,
    sheet: str,
    cell: str,
    value: object,
    found: str | None,
    expected: str,
) -> None:
    problem = _only(_broken(tmp_path, filled, _cell(sheet, cell, value)))
    assert (problem.sheet, problem.cell, problem.code) == (sheet, cell, "cell")
    assert expected in problem.expected.render()
    if found is not None:
        assert problem.message.render().split("found “")[1].startswith(found + "”")


def test_a_whole_number_beyond_10_15_is_refused_naming_the_cell_limit(
    tmp_path: Path, filled: Path
) -> None:
    # Excel holds numbers as doubles: 10^16 is read back as the float 1e16.
    problem = _only(_broken(tmp_path, filled, _cell("年度规模", "D3", 10**16)))
    assert (problem.sheet, problem.cell, problem.column) == ("年度规模", "D3", "户数（户）")
    assert problem.expected.render() == "a whole number of 0 or more, at most 10¹⁵"
    assert problem.message.render() == (
        "年度规模!D3 户数（户）: found “1e+16”, expected a whole number of 0 or more, at most 10¹⁵"
    )


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "where", "code", "words"),
    [
        ("电力", "E2", "m³", "电力!E2", "unit_dimension", "a unit of energy for electricity"),
        ("电力", "E3", "kWhh", "电力!E3", "unknown_unit", "'kWhh' is not an accepted spelling"),
        ("电力", "A2", 2060, "电力!A2", "year_out_of_range", "a year from 2013 to 2053"),
        ("任务与项目", "A9", "C09", "任务与项目!A10", "duplicate_task_id", "used by tasks[7]"),
        ("任务与项目", "D2", "外购电力/居民", "任务与项目!D2", "unknown_source", "category/sector"),
        ("任务与项目", "D3", None, "任务与项目!D3", "task_without_source", "at least one source"),
        ("基本情况", "B8", "2024, 2025", "基本情况!B8", "base_year_not_accounted", "2023"),
        ("年度规模", "A4", 2026, "年度规模", "drivers_missing", "missing: 2025"),
        ("目标", "B3", 2025, "目标!B3", "duplicate_target", "per_capita 2025 is in targets[0]"),
    ],
)
def test_checks_of_the_yaml_loader_point_at_cells(
    tmp_path: Path,
    filled: Path,
    sheet: str,
    cell: str,
    value: object,
    where: str,
    code: str,
    words: str,
) -> None:
    error = _broken(tmp_path, filled, _cell(sheet, cell, value))
    problem = error.problems[0]
    assert (f"{problem.sheet}!{problem.cell}" if problem.cell else problem.sheet) == where
    assert problem.code == code
    if code == "base_year_not_accounted":
        # … and every record of the base year says it is outside the accounting years.
        assert {p.code for p in error.problems[1:]} == {"year_not_accounted"}
    else:
        assert len(error.problems) == 1
    assert words in problem.expected.render()


def test_a_sheet_level_problem_reads_as_such(tmp_path: Path, filled: Path) -> None:
    problem = _only(_broken(tmp_path, filled, _cell("年度规模", "A4", 2026)))
    assert problem.message.render().startswith("sheet 年度规模: expected the size of the unit")


def test_missing_rows_are_reported(tmp_path: Path, filled: Path) -> None:
    def clear(book: Workbook) -> None:
        for name in ("年度规模", "电力", "燃气与燃料", "热力与可再生能源", "碳汇", "废弃物与水"):
            sheet = book[name]
            assert isinstance(sheet, Worksheet)
            sheet.delete_rows(2, sheet.max_row)

    error = _broken(tmp_path, filled, clear)
    assert [(p.sheet, p.code) for p in error.problems] == [
        (None, "no_records"),
        ("年度规模", "no_drivers"),
    ]
    assert (
        error.problems[0]
        .message.render()
        .startswith(
            "the workbook: expected at least one activity record on the sheets 电力, 燃气与燃料"
        )
    )


def test_a_row_with_only_a_note_lacks_its_required_cells(tmp_path: Path, filled: Path) -> None:
    error = _broken(tmp_path, filled, _cell("碳汇", "H20", "备注"))
    assert [p.column for p in error.problems] == [
        "年份",
        "类别",
        "部门",
        "数量",
        "单位",
        "数据质量",
    ]
    assert {p.row for p in error.problems} == {20}


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    problem = _only(caught.value)
    assert problem.code == "unreadable"
    text = problem.message.render()
    assert text.startswith("the workbook: expected an .xlsx workbook made from the template")
    # Neither the parser's exception nor a path reaches the person.
    assert "Error" not in text
    assert "File" not in text
    assert str(tmp_path) not in text


def test_a_sheet_that_cannot_be_parsed_is_reported_as_unreadable(
    tmp_path: Path, filled: Path
) -> None:
    """The workbook opens (read-only mode parses a sheet only when its rows are read), but the
    sheet 电力 is not well-formed XML: the reading stops with the same words as for a file that
    does not open, never the parser's."""
    with zipfile.ZipFile(filled) as archive:
        names = re.findall(r'<sheet [^>]*name="([^"]+)"', archive.read("xl/workbook.xml").decode())
        part = f"xl/worksheets/sheet{names.index('电力') + 1}.xml"
        content = archive.read(part)
    assert content.count(b"</sheetData>") == 1
    broken = content.replace(
        b"</sheetData>", b'<row r="90"><c r="A90"><v>2023</v></c><</sheetData>'
    )
    path = replace_part(filled, tmp_path / "broken.xlsx", part, [broken])
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    problem = _only(caught.value)
    assert (problem.sheet, problem.code) == (None, "unreadable")
    assert problem.message.render() == (
        "the workbook: expected an .xlsx workbook made from the template (this file cannot be "
        "opened as one: damaged, or saved in another format)"
    )


# --- what people type that is accepted --------------------------------------------------------


def test_machine_values_numeric_text_and_full_width_separators_are_read(
    tmp_path: Path, filled: Path, community: AccountingInput
) -> None:
    path = tmp_path / "typed.xlsx"
    shutil.copy(filled, path)
    book = load_workbook(path)
    for sheet, cell, value in [
        ("电力", "B2", "Electricity"),
        ("电力", "C2", "居民生活 "),
        ("电力", "F2", "A实测(计量、票据)"),
        ("电力", "D3", "11,420,000"),
        ("任务与项目", "H2", True),
        ("任务与项目", "I2", "否"),
        ("任务与项目", "D5", "外购电力／居民生活；天然气/居民生活；"),
        ("基本情况", "B8", "2023，2024、2025"),
        ("预测假设", "B6", 2025),
        ("电力", "A30", "  "),
    ]:
        _cell(sheet, cell, value)(book)
    book.save(path)
    result = read_workbook(path)
    assert result.records == community.records
    assert result.tasks == community.tasks
    assert result.assumptions.target_years == (2025,)


def test_a_record_entered_twice_names_both_rows(tmp_path: Path, filled: Path) -> None:
    def copy_row(book: Workbook) -> None:
        sheet = book["电力"]
        assert isinstance(sheet, Worksheet)
        last = sheet.max_row + 1
        for column in range(1, len(RECORD_HEADERS) + 1):
            sheet.cell(row=last, column=column).value = sheet.cell(row=3, column=column).value
        sheet.cell(row=last, column=7).value = "重复粘贴的一行"  # another source: still the same

    problem = _only(_broken(tmp_path, filled, copy_row))
    assert (problem.sheet, problem.cell, problem.code) == ("电力", None, "duplicate_record")
    assert problem.row is not None
    assert problem.row > 3
    text = problem.message.render()
    assert text.startswith(f"sheet 电力, row {problem.row}: found ")
    assert "a record not entered before: sheet 电力, row 3 has the same year" in text


def test_engine_errors_on_a_record_name_its_sheet_and_row(tmp_path: Path, filled: Path) -> None:
    path = tmp_path / "trees.xlsx"
    shutil.copy(filled, path)
    book = load_workbook(path)
    sheet = book["碳汇"]
    assert isinstance(sheet, Worksheet)
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(row=r, column=8).value)
    sheet.cell(row=row, column=8).value = "香樟"
    book.save(path)
    accounting = read_workbook(path)
    assert {r.origin for r in accounting.records if r.label == "香樟"} == {f"碳汇!A{row}"}


def test_reductions_and_project_factors_round_trip_through_the_sheet(tmp_path: Path) -> None:
    zone = load_accounting_file(EXAMPLES / "zone" / "accounting.yaml")
    audited = ReductionActivity(
        "Z03",
        ActivityChange.AVOIDED,
        SourceCategory.NATURAL_GAS,
        Decimal("12.5"),
        "万m³",
        factor=ProjectFactor(Decimal("2.1"), "kgCO2/m3", "燃气表计与热值检测报告", "primary"),
        note="锅炉房实测",
    )
    example = dataclasses.replace(zone, reductions=(*zone.reductions, audited))
    path = tmp_path / "zone.xlsx"
    write_workbook_template(
        path, kind=UnitKind.ZONE, language="zh", translate=_identity, example=example
    )
    back = read_workbook(path)
    assert back.reductions == example.reductions
    assert back.reductions[-1].origin == f"减排测算!A{len(example.reductions) + 1}"
    sheet = load_workbook(path)["减排测算"]
    assert isinstance(sheet, Worksheet)
    assert sheet["B2"].value == "增加（因任务新增）"  # the first row: Z01's PV, added
