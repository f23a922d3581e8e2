"""Loading the bundled plan outlines (附件1, 附件3) and rejecting broken outline files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import lowcarbon.rules.outlines as outlines_module
from lowcarbon.core.outline import (
    ElementKind,
    Outline,
    OutlineElement,
    OutlineSection,
    check_completeness,
)
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.outlines import list_outlines, load_outline, load_outline_file
from lowcarbon.rules.paths import schema_path

FIXTURES = Path(__file__).parent / "fixtures" / "outline"


@pytest.fixture(scope="module")
def zone() -> Outline:
    return load_outline("zone", "2021")


@pytest.fixture(scope="module")
def community() -> Outline:
    return load_outline("community", "2021")


def _element(outline: Outline, element_id: str) -> OutlineElement:
    element = outline.element(element_id)
    assert element is not None, element_id
    return element


def _section(outline: Outline, section_id: str) -> OutlineSection:
    section = outline.section(section_id)
    assert section is not None, section_id
    return section


def _labels(outline: Outline) -> dict[str, str]:
    """Chinese label → element id."""
    return {element.label.zh: element.id for _, element in outline.iter_elements()}


# --- the bundled outlines ---------------------------------------------------------------------


def test_both_bundled_outlines_are_listed() -> None:
    assert list_outlines() == [("community", "2021"), ("zone", "2021")]


def test_zone_outline_cites_annex_1(zone: Outline) -> None:
    assert zone.scheme == "zone"
    assert zone.edition == "2021"
    assert zone.title.zh == "低碳发展实践区（近零碳排放实践区）创建实施方案编制指南"
    assert zone.source.document == "《上海市低碳示范创建工作方案》（沪环气〔2021〕182号）"
    assert zone.source.clause == "附件1"
    assert zone.preamble.zh.startswith("各申报单位编制实施方案时应与自身发展相结合")


def test_community_outline_cites_annex_3(community: Outline) -> None:
    assert community.scheme == "community"
    assert community.source.clause == "附件3"
    assert community.title.zh == "低碳社区（近零碳排放社区）创建实施方案编制指南"
    assert community.preamble.zh.startswith("各社区编制实施方案时应与自身发展相结合")


@pytest.mark.parametrize("scheme", ["zone", "community"])
def test_sections_follow_the_printed_numbering(scheme: str) -> None:
    outline = load_outline(scheme, "2021")
    assert [s.id for s in outline.iter_sections()] == [
        "1", "1.1", "1.2", "2", "2.1", "2.2", "3", "3.1", "3.2", "3.3", "3.4",
    ]  # fmt: skip
    assert [s.label for s in outline.sections] == ["一", "二", "三"]
    annex = "附件1" if scheme == "zone" else "附件3"
    assert _section(outline, "3.4").citation == f"{annex} 三、4."
    for section in outline.sections:
        assert section.guidance is None  # top-level sections print only their title
        for child in section.children:
            assert child.guidance is not None
            assert child.guidance.zh.startswith(child.title.zh)
            assert child.guidance.en
            assert child.elements
            assert any(element.required for element in child.elements)


def test_zone_outline_has_boundary_and_target_indicators(zone: Outline) -> None:
    labels = _labels(zone)
    for zh in ("四至边界", "碳排放下降率", "可再生能源利用占比", "碳源碳汇比"):
        assert zh in labels
    boundary = _element(zone, "boundary")
    assert boundary.kind is ElementKind.GEOMETRY
    assert boundary.required
    assert boundary.citation == "附件2 一"
    # 附件1 三、1. names the three indicators after "如": examples, so optional.
    for element_id in ("emission_decline_rate", "renewable_share", "source_sink_ratio"):
        element = _element(zone, element_id)
        assert not element.required
        assert element.unit
    indicator_system = _element(zone, "indicator_system")
    assert indicator_system.required


def test_zone_outline_names_the_domains_and_near_zero_projects(zone: Outline) -> None:
    labels = _labels(zone)
    for zh in (
        "能源领域任务",
        "建筑领域任务",
        "交通领域任务",
        "监管体系领域任务",
        "低碳人文领域任务",
    ):
        assert _element(zone, labels[zh]).required
    near_zero = _element(zone, "near_zero_carbon_projects")
    assert near_zero.required
    holder = zone.section_of("near_zero_carbon_projects")
    assert holder is not None
    assert holder.id == "3.3"
    for zh in ("进度安排", "预期成效", "组织管理", "资金和政策保障", "宣传培训"):
        assert zh in labels


def test_community_outline_has_population_and_per_capita_elements(community: Outline) -> None:
    labels = _labels(community)
    for zh in ("户数", "常住人口数", "户籍人口数", "居民住宅建筑面积", "人均碳排放量"):
        assert zh in labels
    households = _element(community, "households")
    assert households.kind is ElementKind.INTEGER
    assert households.unit == "household"
    floor_area = _element(community, "residential_floor_area")
    assert floor_area.unit == "m2"
    # These follow "如" in 附件3 一、1. and 三、1.: optional.
    for element_id in ("households", "resident_population", "per_capita_emissions"):
        assert not _element(community, element_id).required
    for zh in (
        "组织管理方面任务",
        "低碳行为方面任务",
        "低碳示范项目方面任务",
        "资金保障",
        "建设安排",
    ):
        assert _element(community, labels[zh]).required


def test_community_construction_content_references_the_2015_pilot_guide(
    community: Outline,
) -> None:
    section = _section(community, "3.3")
    (reference,) = section.references
    assert reference.document == "《低碳社区试点建设指南》（发改办气候〔2015〕362号）"
    assert reference.issuer == "国家发展改革委"
    assert reference.citation == "附件3 三、3."
    assert section.guidance is not None
    assert "《低碳社区试点建设指南（发改办气候〔2015〕362号）》" in section.guidance.zh


@pytest.mark.parametrize(
    ("scheme", "section_id", "seed_text"),
    [
        # Short exact pieces of the seed (000_dc7ba2cdf1161b37.txt), each within one PDF line.
        ("zone", "1.1", "区域情况简介，包括区域地理位置、面积、区位、交通条件，与周边基"),
        ("zone", "1.2", "低碳示范创建活动主要实施推进机构/部门介绍，"),
        ("zone", "3.1", "和指标体系，如区域碳排放下降率、可再生能源利用占比、碳源碳汇比等。"),
        ("zone", "3.3", "目（含近零碳排放示范项目）及其进度安排、预期成效，以支撑低碳发展"),
        ("zone", "3.4", "保障措施。主要从组织管理、资金和政策保障、宣传培训等方面进行阐"),
        ("community", "1.1", "小区数量（包括居民住宅建筑面积、户数、常住人口数、户籍人口数，社"),
        ("community", "2.1", "养现状、建筑节能改造情况、低碳出行现状、资源节约与循环利用现状、"),
        ("community", "3.1", "主要目标。根据社区的实际情况，提出建设目标和指标体系，如人均碳"),
        ("community", "3.3", "框架设计，从组织管理、低碳行为和低碳示范项目等方面提出切实可行的"),
        ("community", "3.4", "保障措施。主要从组织管理、资金保障、建设安排、宣传培训等方面进"),
    ],
)
def test_guidance_is_the_seed_wording(scheme: str, section_id: str, seed_text: str) -> None:
    section = _section(load_outline(scheme, "2021"), section_id)
    assert section.guidance is not None
    assert seed_text in section.guidance.zh


@pytest.mark.parametrize("scheme", ["zone", "community"])
def test_element_citations_name_the_annex(scheme: str) -> None:
    outline = load_outline(scheme, "2021")
    for section, element in outline.iter_elements():
        if element.id == "boundary":
            continue  # cites 附件2 一, see the data file
        assert element.citation == section.citation


@pytest.mark.parametrize("scheme", ["zone", "community"])
def test_a_plan_with_every_required_element_is_complete(scheme: str) -> None:
    outline = load_outline(scheme, "2021")
    required = [e.id for _, e in outline.iter_elements() if e.required]
    empty = check_completeness(outline, {})
    assert [entry.element.id for entry in empty.missing] == required
    full = check_completeness(outline, dict.fromkeys(required, "已填写"))
    assert full.is_complete


# --- broken files -----------------------------------------------------------------------------


def _error(name: str) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        load_outline_file(FIXTURES / name)
    return caught.value


def test_the_minimal_fixture_is_valid() -> None:
    outline = load_outline_file(FIXTURES / "valid_minimal.yaml")
    assert outline.edition == "test"
    area = _element(outline, "area")
    assert area.unit == "km2"
    assert outline.sections[0].references == ()


@pytest.mark.parametrize(
    ("name", "key", "line", "found", "expected"),
    [
        (
            "unknown_key.yaml",
            "sections[0].children[0].elements[0]",
            26,
            "mandatory",
            "only the keys citation, columns, id, kind, label, required, unit",
        ),
        (
            "duplicate_key.yaml",
            "title",
            22,
            None,
            "each key only once in a mapping (first at line 20)",
        ),
        (
            "missing_key.yaml",
            "sections[0].children[0].elements[1]",
            32,
            None,
            "the required key citation",
        ),
        (
            "wrong_type.yaml",
            "sections[0].children[0].elements[0].required",
            30,
            "yes",
            "true or false",
        ),
        (
            "quantity_without_unit.yaml",
            "sections[0].children[0].elements[1]",
            32,
            None,
            "the required key unit",
        ),
        (
            "unit_on_text.yaml",
            "sections[0].children[0].elements[0]",
            26,
            None,
            "no unit: only elements of kind quantity or integer have one",
        ),
        (
            "bad_element_id.yaml",
            "sections[0].children[0].elements[1].id",
            32,
            "Area-km2",
            "a snake_case English id",
        ),
        (
            "duplicate_element_id.yaml",
            "sections[0].children[0].elements[1].id",
            32,
            "geographic_location",
            "an id no other element of the outline uses "
            "(already at sections[0].children[0].elements[0].id)",
        ),
        (
            "duplicate_section_id.yaml",
            "sections[1].id",
            17,
            "1",
            "an id no other section of the outline uses (already at sections[0].id)",
        ),
        (
            "subsection_not_under_parent.yaml",
            "sections[0].children[0].id",
            18,
            "2.1",
            "an id that starts with '1.' (its parent section's id and a dot)",
        ),
    ],
)
def test_broken_file_error_names_file_key_line_and_expectation(
    name: str, key: str, line: int, found: str | None, expected: str
) -> None:
    error = _error(name)
    assert Path(error.path).name == name
    assert error.key == key
    assert error.line == line
    if found is not None:
        assert error.found == found
    assert expected in error.expected.render()
    # The one-line message a person reads carries all of it.
    text = str(error)
    assert f"{name}:{line}" in text
    assert key in text
    assert expected in text


def test_unknown_outline_names_the_available_ones() -> None:
    with pytest.raises(DataFileError) as caught:
        load_outline("zone", "1999")
    assert caught.value.code == "outline_missing"
    assert "community/2021, zone/2021" in caught.value.expected.render()
    assert caught.value.found == "zone/1999"


def test_a_scheme_outside_the_data_folder_is_refused() -> None:
    with pytest.raises(DataFileError, match="one of the bundled outlines"):
        load_outline("../schemas", "2021")


@pytest.mark.parametrize(("field", "line"), [("scheme", 2), ("edition", 3)])
def test_a_file_in_the_wrong_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, line: int
) -> None:
    # valid_minimal.yaml declares zone/test; filed as community/test or zone/2099 it must not
    # load under the folder's name.
    folder = ("community", "test") if field == "scheme" else ("zone", "2099")
    target = tmp_path / "schemes" / folder[0] / folder[1] / "outline.yaml"
    target.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "valid_minimal.yaml", target)
    monkeypatch.setattr(outlines_module, "data_dir", lambda: tmp_path)
    with pytest.raises(DataFileError) as caught:
        load_outline(*folder)
    error = caught.value
    assert error.key == field
    assert error.line == line
    assert error.code == "outline_folder_mismatch"
    assert "the name of the folder holding the file" in error.expected.render()


# --- the schema and the module surface --------------------------------------------------------


def _walk(node: Any, path: str = "$") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((path, node))
        for key, value in node.items():
            found.extend(_walk(value, f"{path}.{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_walk(value, f"{path}[{index}]"))
    return found


def test_schema_closes_every_object_and_describes_every_field() -> None:
    schema = json.loads(schema_path("outline").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for path, node in _walk(schema):
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, path
            # The loader shows a field's description as "expected" in error messages.
            for field, definition in node.get("properties", {}).items():
                assert definition.get("description"), f"{path}.properties.{field}"


def test_exported_members_exist() -> None:
    assert outlines_module.__all__ == ["list_outlines", "load_outline", "load_outline_file"]
    for name in outlines_module.__all__:
        assert callable(getattr(outlines_module, name))
