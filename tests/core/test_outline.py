"""The plan outline's types, completeness check and Chinese numbering (附件1, 附件3)."""

from __future__ import annotations

import pytest

import lowcarbon.core.outline as outline_module
from lowcarbon.core.outline import (
    CompletenessReport,
    ElementKind,
    Outline,
    OutlineElement,
    OutlineSection,
    OutlineSource,
    check_completeness,
    chinese_numeral,
    is_missing,
)
from lowcarbon.core.text import LocalText


def _element(
    element_id: str, zh: str, *, required: bool = True, kind: str = "text"
) -> OutlineElement:
    unit = "km2" if kind == "quantity" else None
    return OutlineElement(
        id=element_id,
        label=LocalText(zh, element_id),
        kind=ElementKind(kind),
        unit=unit,
        required=required,
        citation="附件1 一、1.",
    )


@pytest.fixture
def outline() -> Outline:
    """A cut-down 附件1: two sections, three points, required and optional ("如") elements."""
    intro = OutlineSection(
        id="1.1",
        label="1",
        title=LocalText("区域情况简介", "Brief introduction"),
        guidance=LocalText("区域情况简介，包括区域地理位置、面积……"),
        citation="附件1 一、1.",
        elements=(
            _element("geographic_location", "地理位置"),
            _element("area", "面积", kind="quantity"),
        ),
    )
    bodies = OutlineSection(
        id="1.2",
        label="2",
        title=LocalText("创建活动实施方情况"),
        guidance=LocalText("创建活动实施方情况。……"),
        citation="附件1 一、2.",
        elements=(_element("implementing_bodies", "实施推进机构/部门"),),
    )
    status = OutlineSection(
        id="2.1",
        label="1",
        title=LocalText("系统介绍区域低碳建设的现状"),
        guidance=LocalText("系统介绍区域低碳建设的现状。如，……"),
        citation="附件1 二、1.",
        elements=(
            _element("low_carbon_status", "区域低碳建设的现状"),
            _element("development_plans", "区域发展规划", required=False),
            _element("low_carbon_certifications", "已获得的低碳相关认证", kind="list"),
        ),
    )
    return Outline(
        scheme="zone",
        edition="test",
        title=LocalText("编制指南"),
        source=OutlineSource(document="《上海市低碳示范创建工作方案》", clause="附件1"),
        preamble=LocalText("各申报单位编制实施方案时应……"),
        sections=(
            OutlineSection(
                id="1",
                label="一",
                title=LocalText("区域基本情况"),
                guidance=None,
                citation="附件1 一",
                children=(intro, bodies),
            ),
            OutlineSection(
                id="2",
                label="二",
                title=LocalText("创建可行性分析"),
                guidance=None,
                citation="附件1 二",
                children=(status,),
            ),
        ),
    )


FULL = {
    "geographic_location": "上海市某区",
    "area": 3.2,
    "implementing_bodies": "区生态环境局",
    "low_carbon_status": "……",
    "low_carbon_certifications": ["国家低碳试点"],
}

REQUIRED_IN_ORDER = [
    "geographic_location",
    "area",
    "implementing_bodies",
    "low_carbon_status",
    "low_carbon_certifications",
]


def _missing_ids(report: CompletenessReport) -> list[str]:
    return [entry.element.id for entry in report.missing]


# --- navigation -------------------------------------------------------------------------------


def test_sections_are_iterated_in_document_order(outline: Outline) -> None:
    assert [s.id for s in outline.iter_sections()] == ["1", "1.1", "1.2", "2", "2.1"]


def test_elements_are_iterated_with_their_section(outline: Outline) -> None:
    pairs = [(s.id, e.id) for s, e in outline.iter_elements()]
    assert pairs[0] == ("1.1", "geographic_location")
    assert pairs[-1] == ("2.1", "low_carbon_certifications")
    assert len(pairs) == 6


def test_an_element_is_found_by_id(outline: Outline) -> None:
    element = outline.element("area")
    assert element is not None
    assert element.label.zh == "面积"
    assert element.unit == "km2"
    assert outline.element("no_such_element") is None


def test_a_section_is_found_by_id_and_by_its_elements(outline: Outline) -> None:
    section = outline.section("2.1")
    assert section is not None
    assert section.title.zh == "系统介绍区域低碳建设的现状"
    assert outline.section("9") is None
    holder = outline.section_of("implementing_bodies")
    assert holder is not None
    assert holder.id == "1.2"
    assert outline.section_of("no_such_element") is None


def test_ref_names_scheme_and_edition(outline: Outline) -> None:
    assert outline.ref == "zone/test"


# --- completeness -----------------------------------------------------------------------------


def test_empty_input_lists_every_required_element_in_outline_order(outline: Outline) -> None:
    report = check_completeness(outline, {})
    assert not report.is_complete
    assert _missing_ids(report) == REQUIRED_IN_ORDER
    assert [gaps.section.id for gaps in report.sections] == ["1.1", "1.2", "2.1"]
    assert [e.element.id for e in report.sections[0].missing] == ["geographic_location", "area"]


def test_optional_elements_are_never_missing(outline: Outline) -> None:
    report = check_completeness(outline, {})
    assert "development_plans" not in _missing_ids(report)


def test_full_input_is_complete(outline: Outline) -> None:
    report = check_completeness(outline, FULL)
    assert report.is_complete
    assert report.sections == ()
    assert report.missing == ()
    assert report.unknown_ids == ()


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000\n", [], (), {}])
def test_blank_values_count_as_missing(outline: Outline, blank: object) -> None:
    report = check_completeness(outline, {**FULL, "low_carbon_certifications": blank})
    assert _missing_ids(report) == ["low_carbon_certifications"]


@pytest.mark.parametrize("value", [0, 0.0, False, "0", ["x"], {"row": 1}])
def test_zero_and_false_are_values_not_gaps(value: object) -> None:
    assert not is_missing(value)


def test_order_follows_the_outline_not_the_input(outline: Outline) -> None:
    provided = {"area": 1.0, "implementing_bodies": "某街道"}
    report = check_completeness(outline, provided)
    assert _missing_ids(report) == [
        "geographic_location",
        "low_carbon_status",
        "low_carbon_certifications",
    ]


def test_unknown_input_ids_are_reported_not_silently_dropped(outline: Outline) -> None:
    report = check_completeness(outline, {**FULL, "geografic_location": "typo"})
    assert report.is_complete
    assert report.unknown_ids == ("geografic_location",)


def test_missing_entry_carries_a_translatable_message(outline: Outline) -> None:
    entry = check_completeness(outline, {}).missing[0]
    assert entry.message.template == "Section {section}: {element} is missing"
    assert entry.message.render() == "Section 1.1 区域情况简介: 地理位置 is missing"
    assert entry.message.params["element_id"] == "geographic_location"
    assert entry.message.params["citation"] == "附件1 一、1."
    assert entry.section.id == "1.1"


# --- Chinese numerals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "numeral"),
    [
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (90, "九十"),
        (99, "九十九"),
    ],
)
def test_chinese_numeral(number: int, numeral: str) -> None:
    assert chinese_numeral(number) == numeral


@pytest.mark.parametrize("number", [0, 100, -1])
def test_chinese_numeral_outside_1_to_99_is_an_error(number: int) -> None:
    with pytest.raises(ValueError, match="1 to 99"):
        chinese_numeral(number)


def test_exported_members_exist_and_are_public() -> None:
    for name in outline_module.__all__:
        assert hasattr(outline_module, name)
        assert not name.startswith("_")
    assert sorted(outline_module.__all__) == outline_module.__all__
