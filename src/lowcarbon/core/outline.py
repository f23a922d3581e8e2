"""The official plan outline (编制指南) and the completeness check of a plan against it.

附件1 (practice zones) and 附件3 (communities) tell applicants what their implementation plan
(实施方案) must contain, section by section. The outline is data (``data/schemes/<scheme>/
<edition>/outline.yaml``); here it is a tree of :class:`OutlineSection` whose
:class:`OutlineElement` entries are the concrete things the text names (地理位置, 户数,
指标体系…). :func:`check_completeness` tells an applicant, in the outline's order, which of
the required ones their plan still lacks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .messages import Message, gettext_noop
from .text import LocalText

__all__ = [
    "ColumnType",
    "CompletenessReport",
    "ElementKind",
    "MissingElement",
    "Outline",
    "OutlineColumn",
    "OutlineElement",
    "OutlineReference",
    "OutlineSection",
    "OutlineSource",
    "SectionGaps",
    "check_completeness",
    "chinese_numeral",
    "is_missing",
]


class ElementKind(StrEnum):
    """What shape a plan's value for an element takes."""

    TEXT = "text"  # narrative: 交通条件, 总体思路
    QUANTITY = "quantity"  # a measured number with a unit: 面积 (km2)
    INTEGER = "integer"  # a count with a unit: 户数 (household)
    GEOMETRY = "geometry"  # a drawn area: 四至边界
    TABLE = "table"  # rows and columns: 指标体系, 重点项目
    LIST = "list"  # an enumeration: 各领域任务


class ColumnType(StrEnum):
    """What one cell of a table element holds."""

    TEXT = "text"  # 项目名称, 建设内容
    NUMBER = "number"  # a decimal number with a unit: 投资 (万元), 预期减排量 (tCO2e/a)
    INTEGER = "integer"  # a whole number: 户数
    DATE = "date"  # a calendar day (ISO 8601): 开始日期
    YEAR = "year"  # a calendar year: 基准年, 目标年


@dataclass(frozen=True)
class OutlineColumn:
    """One column of a table element (指标体系, 重点项目…), with where the outline names it.

    ``not_before`` names another column of the same table whose value this one may not precede
    (an end year or date is never before its start): the check of "dates in order".
    """

    id: str
    label: LocalText
    type: ColumnType
    unit: str | None
    required: bool
    citation: str
    not_before: str | None = None


@dataclass(frozen=True)
class OutlineElement:
    """One thing the outline's text requires (or suggests, ``required=False``) a plan contain.

    Only tables have ``columns``; every other kind leaves it empty.
    """

    id: str
    label: LocalText
    kind: ElementKind
    unit: str | None
    required: bool
    citation: str
    columns: tuple[OutlineColumn, ...] = ()


@dataclass(frozen=True)
class OutlineReference:
    """Another document the text points to, e.g. 附件3 三、3. → 发改办气候〔2015〕362号."""

    document: str
    issuer: str
    citation: str


@dataclass(frozen=True)
class OutlineSection:
    """A section (一、二、三) or numbered point (1. 2. 3.) of the outline.

    ``guidance`` is the official text of a point; top-level sections print only their title,
    so theirs is ``None``.
    """

    id: str
    label: str
    title: LocalText
    guidance: LocalText | None
    citation: str
    elements: tuple[OutlineElement, ...] = ()
    children: tuple[OutlineSection, ...] = ()
    references: tuple[OutlineReference, ...] = ()

    def iter_sections(self) -> Iterator[OutlineSection]:
        """This section, then its subsections, depth first: the order the document prints."""
        yield self
        for child in self.children:
            yield from child.iter_sections()


@dataclass(frozen=True)
class OutlineSource:
    """The document and the annex an outline transcribes."""

    document: str
    clause: str


@dataclass(frozen=True)
class Outline:
    """One edition of the outline for one scheme (``zone`` or ``community``)."""

    scheme: str
    edition: str
    title: LocalText
    source: OutlineSource
    preamble: LocalText
    sections: tuple[OutlineSection, ...]

    @property
    def ref(self) -> str:
        """``scheme/edition``, the same form as a rubric's ref."""
        return f"{self.scheme}/{self.edition}"

    def iter_sections(self) -> Iterator[OutlineSection]:
        """Every section and subsection in document order (一, 一、1., 一、2., 二, …)."""
        for section in self.sections:
            yield from section.iter_sections()

    def iter_elements(self) -> Iterator[tuple[OutlineSection, OutlineElement]]:
        """Every element with the section that holds it, in document order."""
        for section in self.iter_sections():
            for element in section.elements:
                yield section, element

    def section(self, section_id: str) -> OutlineSection | None:
        """The section or subsection with ``section_id``, or ``None``."""
        return next((s for s in self.iter_sections() if s.id == section_id), None)

    def element(self, element_id: str) -> OutlineElement | None:
        """The element with ``element_id``, or ``None`` (ids are unique within an outline)."""
        return next((e for _, e in self.iter_elements() if e.id == element_id), None)

    def section_of(self, element_id: str) -> OutlineSection | None:
        """The section holding the element ``element_id``, or ``None``."""
        return next((s for s, e in self.iter_elements() if e.id == element_id), None)


@dataclass(frozen=True)
class MissingElement:
    """A required element the plan lacks, with the message shown to the applicant."""

    section: OutlineSection
    element: OutlineElement
    message: Message


@dataclass(frozen=True)
class SectionGaps:
    """The missing required elements of one section, in the outline's order."""

    section: OutlineSection
    missing: tuple[MissingElement, ...]


@dataclass(frozen=True)
class CompletenessReport:
    """What a plan lacks against its outline.

    ``sections`` lists only sections with gaps, in document order. ``unknown_ids`` are keys of
    the input that name no element of the outline: usually a typo, reported so it is not
    silently counted as the element being missing.
    """

    outline: Outline
    sections: tuple[SectionGaps, ...]
    unknown_ids: tuple[str, ...] = ()

    @property
    def is_complete(self) -> bool:
        return not self.sections

    @property
    def missing(self) -> tuple[MissingElement, ...]:
        """All missing elements, flattened, in document order."""
        return tuple(entry for gaps in self.sections for entry in gaps.missing)


def is_missing(value: object) -> bool:
    """Whether a provided value counts as absent: ``None``, blank text or an empty collection.

    Zero and ``False`` are values (a count of 0 households is an answer), so they are present.
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Collection):
        return len(value) == 0
    return False


def check_completeness(outline: Outline, provided: Mapping[str, object]) -> CompletenessReport:
    """The required elements of ``outline`` that ``provided`` (element id → value) lacks."""
    known: set[str] = set()
    gaps: list[SectionGaps] = []
    for section in outline.iter_sections():
        missing: list[MissingElement] = []
        for element in section.elements:
            known.add(element.id)
            if element.required and is_missing(provided.get(element.id)):
                missing.append(MissingElement(section, element, _missing_message(section, element)))
        if missing:
            gaps.append(SectionGaps(section, tuple(missing)))
    unknown = tuple(key for key in provided if key not in known)
    return CompletenessReport(outline=outline, sections=tuple(gaps), unknown_ids=unknown)


def _missing_message(section: OutlineSection, element: OutlineElement) -> Message:
    # Chinese is the working language: the parameters carry the official Chinese wording; the
    # structured fields of MissingElement let an English screen show its own rendering.
    return Message(
        gettext_noop("Section {section}: {element} is missing"),
        {
            "section": f"{section.id} {section.title.zh}",
            "element": element.label.zh,
            "element_id": element.id,
            "citation": element.citation,
        },
    )


_DIGITS = "一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """The Chinese numeral of 1…99 as documents number their sections: 一, 十, 十一, 二十一."""
    if not 1 <= n <= 99:
        raise ValueError(f"chinese_numeral covers 1 to 99, not {n}")
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        # 10-19 are written 十, 十一 … without a leading 一 (一十一 is only used inside
        # larger numbers).
        text = ("" if tens == 1 else _DIGITS[tens - 1]) + "十"
    if ones:
        text += _DIGITS[ones - 1]
    return text
