from __future__ import annotations

from lowcarbon.cli.table import clip, render_table, width


def test_chinese_characters_take_two_columns() -> None:
    assert width("低碳ab") == 6
    assert clip("低碳社区建设", 7) == "低碳社…"
    assert clip("abc", 3) == "abc"


def test_columns_line_up_with_mixed_text() -> None:
    table = render_table(["项", "分"], [["低碳", "5"], ["a", "10"]], right=(1,))
    lines = table.splitlines()
    assert [width(line) for line in lines[1:]] == [width(lines[1])] * 3
    assert lines[2].endswith(" 5")
