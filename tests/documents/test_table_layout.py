"""Column widths from content (``documents.table_layout``): numbers, dates and words never break
inside a cell when the table can hold them; the widths always fill the text width."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowcarbon.documents.table_layout import column_widths, minimum_width, text_width

TOTAL, FONT, PADDING = 156.0, 3.704, 3.8


def unbreakable_mm(text: str) -> float:
    """Independently of the module: the widest run of ASCII without a space, set in the font;
    a cell with Chinese in it at least one character wide."""
    runs = re.findall(r"[!-~]+", text)
    chinese = FONT if re.search(r"[^\x00-\x7f]", text) else 0.0
    return max([len(run) * 0.5 * FONT for run in runs] + [chinese])


CELL = st.one_of(
    st.integers(0, 10**10).map(lambda n: f"{n / 100:,.2f}"),  # amounts
    st.dates().map(lambda d: d.isoformat()),
    st.text(alphabet="低碳社区建设改造光伏节能楼宇公共", max_size=30),
    st.sampled_from(["kWh", "tCO2/10^4kWh", "2.1", "11,240,000 kWh", "—", ""]),
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], list[float]]:
    columns = draw(st.integers(1, 9))
    header = draw(st.lists(CELL, min_size=columns, max_size=columns))
    rows = draw(st.lists(st.lists(CELL, min_size=columns, max_size=columns), max_size=5))
    preferred = draw(
        st.one_of(st.just([]), st.lists(st.floats(0.2, 5), min_size=columns, max_size=columns))
    )
    return header, rows, preferred


@given(tables())
def test_the_widths_fill_the_text_width(
    table: tuple[list[str], list[list[str]], list[float]],
) -> None:
    header, rows, preferred = table
    widths = column_widths(header, rows, TOTAL, FONT, preferred)
    assert len(widths) == len(header)
    assert sum(widths) == pytest.approx(TOTAL)
    assert all(w > 0 for w in widths)


@given(tables())
def test_nothing_unbreakable_breaks_where_the_table_can_hold_it(
    table: tuple[list[str], list[list[str]], list[float]],
) -> None:
    header, rows, preferred = table
    needed = [
        max(unbreakable_mm(cell) for cell in column) + PADDING
        for column in zip(header, *rows, strict=True)
    ]
    widths = column_widths(header, rows, TOTAL, FONT, preferred)
    if sum(needed) * 1.06 <= TOTAL:  # the module's safety margin
        for column, (width, need) in enumerate(zip(widths, needed, strict=True)):
            assert width >= need, (column, width, need, header, rows)


def test_the_builders_proportions_stand_where_every_cell_fits() -> None:
    header = ["项目", "说明"]
    rows = [["光伏", "屋顶分布式光伏"]]
    assert column_widths(header, rows, TOTAL, FONT, [1, 3]) == pytest.approx([39.0, 117.0])


def test_a_narrow_number_column_takes_its_width_from_the_wide_text_column() -> None:
    # The defect: a 7-column table of equal widths broke "11,240,000 kWh" and "2026-01-01".
    header = ["序号", "项目名称", "建设内容", "年发电量", "开始", "结束", "备注"]
    rows = [
        [
            "1",
            "屋顶光伏",
            "在12栋住宅屋顶建设分布式光伏" * 3,
            "11,240,000",
            "2026-01-01",
            "2027-12-31",
            "",
        ]
    ]
    for preferred in ([], [1] * 7):  # laid out from the content, or the builder's equal columns
        widths = column_widths(header, rows, TOTAL, FONT, preferred)
        for column in (3, 4, 5):
            assert widths[column] >= unbreakable_mm(rows[0][column]) + PADDING
    widths = column_widths(header, rows, TOTAL, FONT)
    assert widths[2] == max(widths)  # the long text gave way, but kept the most room


def test_columns_that_fit_on_one_line_are_in_proportion_to_their_text() -> None:
    widths = column_widths(["年份", "排放量"], [["2023", "1,234.5"]], TOTAL, FONT)
    natural = [
        text_width("年份") * FONT * 1.06 + PADDING,
        text_width("1,234.5") * FONT * 1.06 + PADDING,  # wider than its header
    ]
    assert widths[0] / widths[1] == pytest.approx(natural[0] / natural[1])


def test_chinese_breaks_but_short_words_stay_whole() -> None:
    assert minimum_width("低碳社区建设") == 4.0
    assert minimum_width("未达标") == 3.0
    assert minimum_width("低碳社区建设", floor=2.0) == 2.0
    assert minimum_width("11,240,000 kWh") == 5.0
    assert minimum_width("约11,240,000千瓦时", floor=1.0) == 5.0
    # Eight columns of four-character labels and numbers: the labels stay whole.
    header = ["目标", "年份", "类型", "目标值", "可达", "结论", "所需减排量", "备注"]
    rows = [["碳排放下降率", "2027", "总体目标", "10.00", "7.75", "未达标", "26,975.98", ""]]
    widths = column_widths(header, rows, TOTAL, FONT)
    for column in (2, 5):
        assert widths[column] >= text_width(rows[0][column]) * FONT + PADDING


def test_tables_too_wide_for_the_page_share_it_by_their_minimums() -> None:
    header = ["x"] * 12
    rows = [["12,345,678.90"] * 12]
    widths = column_widths(header, rows, TOTAL, FONT)
    assert widths == pytest.approx([TOTAL / 12] * 12)
