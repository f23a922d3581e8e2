"""Table columns of the plan outlines: the bundled ones, and broken column definitions."""

from __future__ import annotations

from pathlib import Path

import pytest

from lowcarbon.core.outline import ColumnType, ElementKind
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.outlines import load_outline, load_outline_file

FIXTURES = Path(__file__).parent / "fixtures" / "outline"

TABLES = {
    "zone": {"energy_and_emissions_status", "indicator_system", "key_projects", "project_schedule"},
    "community": {"emissions_status", "indicator_system"},
}


@pytest.mark.parametrize("scheme", ["zone", "community"])
def test_every_table_has_cited_columns_and_nothing_else_has_any(scheme: str) -> None:
    outline = load_outline(scheme, "2021")
    tables = set()
    for _, element in outline.iter_elements():
        if element.kind == ElementKind.TABLE:
            tables.add(element.id)
            assert element.columns, element.id
            assert any(column.required for column in element.columns), element.id
            for column in element.columns:
                assert column.citation.startswith(("附件1", "附件2", "附件3")), column.id
                assert column.label.zh
                assert column.label.en
        else:
            assert element.columns == (), element.id
    assert tables == TABLES[scheme]


def test_key_projects_carry_reduction_investment_and_years_in_order() -> None:
    projects = load_outline("zone", "2021").element("key_projects")
    assert projects is not None
    columns = {column.id: column for column in projects.columns}
    assert columns["expected_reduction"].unit == "tCO2e/a"
    assert columns["expected_reduction"].type == ColumnType.NUMBER
    assert columns["investment"].unit == "万元"
    assert columns["end_year"].not_before == "start_year"
    assert columns["start_year"].type == ColumnType.YEAR
    schedule = load_outline("zone", "2021").element("project_schedule")
    assert schedule is not None
    dates = {column.id: column for column in schedule.columns}
    assert dates["end_date"].not_before == "start_date"
    assert dates["end_date"].type == ColumnType.DATE


def test_indicator_targets_are_staged() -> None:
    for scheme in ("zone", "community"):
        indicators = load_outline(scheme, "2021").element("indicator_system")
        assert indicators is not None
        columns = {column.id: column for column in indicators.columns}
        assert columns["stage_year"].not_before == "baseline_year"
        assert columns["target_year"].not_before == "stage_year"
        assert columns["stage_year"].citation == "附件2 三"


def _write(tmp_path: Path, element_yaml: str) -> Path:
    """valid_minimal.yaml with its first element replaced by ``element_yaml``."""
    text = (FIXTURES / "valid_minimal.yaml").read_text(encoding="utf-8")
    start = text.index("          - id: geographic_location")
    end = text.index("          - id:", start + 10)
    path = tmp_path / "outline.yaml"
    path.write_text(text[:start] + element_yaml + text[end:], encoding="utf-8")
    return path


TABLE = """\
          - id: projects
            label:
              zh: 重点项目
            kind: table
            required: true
            citation: 附件1 三、3.
"""

COLUMN = """\
              - id: {id}
                label:
                  zh: 列
                type: {type}
                required: false
                citation: 附件1 三、3.
"""


def _columns(*columns: str) -> str:
    return TABLE + "            columns:\n" + "".join(columns)


def test_a_table_with_columns_loads(tmp_path: Path) -> None:
    outline = load_outline_file(
        _write(
            tmp_path,
            _columns(
                COLUMN.format(id="start", type="year"),
                COLUMN.format(id="end", type="year") + "                not_before: start\n",
                COLUMN.format(id="cost", type="number") + "                unit: 万元\n",
            ),
        )
    )
    element = outline.element("projects")
    assert element is not None
    assert [(c.id, c.type, c.unit, c.not_before) for c in element.columns] == [
        ("start", ColumnType.YEAR, None, None),
        ("end", ColumnType.YEAR, None, "start"),
        ("cost", ColumnType.NUMBER, "万元", None),
    ]


@pytest.mark.parametrize(
    ("element_yaml", "code", "key", "expected"),
    [
        (TABLE, "outline_table_without_columns", "elements[0]", "the key columns"),
        (
            TABLE.replace("kind: table", "kind: text")
            + "            columns:\n"
            + COLUMN.format(id="a", type="text"),
            "outline_columns_on_non_table",
            "elements[0].columns",
            "only elements of kind table",
        ),
        (
            _columns(COLUMN.format(id="a", type="text"), COLUMN.format(id="a", type="year")),
            "outline_duplicate_column_id",
            "columns[1].id",
            "no other column",
        ),
        (
            _columns(
                COLUMN.format(id="start", type="date"),
                COLUMN.format(id="end", type="year") + "                not_before: start\n",
            ),
            "outline_column_not_before",
            "columns[1].not_before",
            "an earlier column of type year in the same table (earlier columns: start)",
        ),
        (
            _columns(COLUMN.format(id="end", type="year") + "                not_before: x\n"),
            "outline_column_not_before",
            "columns[0].not_before",
            "(earlier columns: none)",
        ),
    ],
)
def test_broken_columns_are_refused(
    tmp_path: Path, element_yaml: str, code: str, key: str, expected: str
) -> None:
    with pytest.raises(DataFileError) as caught:
        load_outline_file(_write(tmp_path, element_yaml))
    assert caught.value.code == code
    assert caught.value.key.endswith(key)
    assert expected in caught.value.expected.render()
