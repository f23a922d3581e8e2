"""The rubric validator: declared points against what the criteria can actually reach.

The official text is not always consistent with itself (附件4 第19项 declares 6 points while its
levels reach 3.5; 附件4 三 declares 30 while its items declare 32; 附件2 三's item heading has no
number). The validator finds every such case as a :class:`Finding`; each edition records a
:class:`~lowcarbon.core.rubric.Resolution` for it, and :func:`caps_for` turns those resolutions
into the caps and scale factors that scoring applies. A finding without a resolution, a
resolution that matches no finding, or a decision a finding does not allow, is a problem that
``make data`` refuses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .messages import Message, gettext_noop
from .rubric import ZERO, Item, Pool, Resolution, Rubric, Section

__all__ = [
    "ALLOWED_DECISIONS",
    "DECISION_TEXT",
    "Caps",
    "Finding",
    "Problem",
    "Range",
    "ValidationReport",
    "caps_for",
    "item_effective_max",
    "scale_points",
    "validate_rubric",
]

#: Which decisions an edition may take on each kind of finding (the first is the default the
#: engine applies while a finding is unresolved).
ALLOWED_DECISIONS: dict[str, tuple[str, ...]] = {
    "item_declared_missing": ("use_criteria_maximum",),
    "item_unreachable": ("criteria_as_written", "scale_to_declared"),
    "item_exceedable": ("cap_at_declared", "no_cap"),
    "section_items_exceed_declared": ("cap_at_declared", "no_cap"),
    "section_items_below_declared": ("accept",),
    "section_unreachable": ("accept",),
    "section_exceedable": ("cap_at_declared", "no_cap"),
    "pool_sections_mismatch": ("accept",),
    "pool_unreachable": ("accept",),
    "pool_exceedable": ("cap_at_declared", "no_cap"),
    "duplicate_section_label": ("accept",),
}

#: What each decision means, for people reading a validation report.
DECISION_TEXT: dict[str, str] = {
    "use_criteria_maximum": gettext_noop("the criteria's maximum is the item's maximum"),
    "criteria_as_written": gettext_noop("scored as the criteria are written"),
    "scale_to_declared": gettext_noop("scaled to the declared points"),
    "cap_at_declared": gettext_noop("capped at the declared points"),
    "no_cap": gettext_noop("not capped"),
    "accept": gettext_noop("accepted as printed"),
}

_FINDING_TEXT: dict[str, str] = {
    "item_declared_missing": gettext_noop(
        "item {target} declares no points; its criteria reach {computed}"
    ),
    "item_unreachable": gettext_noop(
        "item {target} declares {declared} points but its criteria reach only {computed}"
    ),
    "item_exceedable": gettext_noop(
        "item {target} declares {declared} points but its criteria can add up to {computed}"
    ),
    "section_items_exceed_declared": gettext_noop(
        "section {target} declares {declared} points while its items declare {computed}"
    ),
    "section_items_below_declared": gettext_noop(
        "section {target} declares {declared} points while its items declare only {computed}"
    ),
    "section_unreachable": gettext_noop(
        "section {target} declares {declared} points but its items can reach only {computed}"
    ),
    "section_exceedable": gettext_noop(
        "section {target} declares {declared} points but its items can reach {computed}"
    ),
    "pool_sections_mismatch": gettext_noop(
        "the {target} pool declares {declared} points while its sections declare {computed}"
    ),
    "pool_unreachable": gettext_noop(
        "the {target} pool declares {declared} points but can reach only {computed}"
    ),
    "pool_exceedable": gettext_noop(
        "the {target} pool declares {declared} points but its sections can reach {computed}"
    ),
    "duplicate_section_label": gettext_noop("the label {target} is printed on {computed} sections"),
}


@dataclass(frozen=True)
class Range:
    """Declared points and the reachable minimum and maximum, before and after resolution."""

    declared: Decimal | None
    minimum: Decimal
    maximum: Decimal
    effective_maximum: Decimal


@dataclass(frozen=True)
class Finding:
    code: str
    target: str
    declared: Decimal | None
    computed: Decimal
    resolution: Resolution | None

    label: str = ""  # how people know the target: a section's printed numeral

    @property
    def message(self) -> Message:
        target = f"{self.label} ({self.target})" if self.label else self.target
        return Message(
            _FINDING_TEXT[self.code],
            {"target": target, "declared": self.declared, "computed": self.computed},
        )

    @property
    def decision(self) -> str:
        """The decision in force: the edition's, or the default while unresolved."""
        return self.resolution.decision if self.resolution else ALLOWED_DECISIONS[self.code][0]


@dataclass(frozen=True)
class Problem:
    """Something ``make data`` refuses: unresolved findings, stale or invalid resolutions."""

    code: str
    message: Message


@dataclass(frozen=True)
class Caps:
    """What scoring applies, derived from the rubric and its resolutions."""

    item_cap: dict[str, Decimal | None] = field(default_factory=dict)
    #: item id → (declared, reachable): points are multiplied by declared / reachable.
    item_scale: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    section_cap: dict[str, Decimal | None] = field(default_factory=dict)
    pool_cap: dict[Pool, Decimal | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ValidationReport:
    rubric_ref: str
    findings: tuple[Finding, ...]
    problems: tuple[Problem, ...]
    items: dict[str, Range]
    sections: dict[str, Range]
    pools: dict[Pool, Range]

    @property
    def ok(self) -> bool:
        return not self.problems


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def _item_findings(rubric: Rubric, item: Item) -> list[Finding]:
    reachable = item.reachable_maximum
    if item.declared_points is None:
        code = "item_declared_missing"
    elif item.declared_points > reachable:
        code = "item_unreachable"
    elif item.declared_points < reachable:
        code = "item_exceedable"
    else:
        return []
    return [
        Finding(code, item.id, item.declared_points, reachable, rubric.resolution(code, item.id))
    ]


def _compare(
    rubric: Rubric,
    target: str,
    declared: Decimal | None,
    computed: Decimal,
    above: str,
    below: str,
    label: str = "",
) -> list[Finding]:
    # `above`: computed exceeds declared; `below`: computed falls short of it.
    if declared is None or computed == declared:
        return []
    code = above if computed > declared else below
    return [Finding(code, target, declared, computed, rubric.resolution(code, target), label)]


def scale_points(points: Decimal, scale: tuple[Decimal, Decimal] | None) -> Decimal:
    """``points`` × declared / reachable; multiplying first keeps 3.5 × 6 / 3.5 exactly 6."""
    if scale is None:
        return points
    declared, reachable = scale
    return points * declared / reachable


def item_effective_max(item: Item, caps: Caps) -> Decimal:
    """The most an item can score once the edition's resolutions are applied."""
    maximum = scale_points(item.reachable_maximum, caps.item_scale.get(item.id))
    cap = caps.item_cap.get(item.id)
    return maximum if cap is None else min(maximum, cap)


def _items_effective_sum(section: Section, caps: Caps) -> Decimal:
    return _sum(item_effective_max(item, caps) for item in section.items)


def _section_effective_max(section: Section, caps: Caps) -> Decimal:
    total = _items_effective_sum(section, caps)
    cap = caps.section_cap.get(section.id)
    return total if cap is None else min(total, cap)


def _pool_declared(rubric: Rubric, pool: Pool) -> Decimal | None:
    return rubric.declared_total if pool is Pool.MAIN else rubric.declared_bonus


def _collect_findings(rubric: Rubric) -> list[Finding]:
    findings: list[Finding] = []
    for section in rubric.sections:
        for item in section.items:
            findings += _item_findings(rubric, item)
        declared_items = [i.declared_points for i in section.items]
        if all(points is not None for points in declared_items):
            findings += _compare(
                rubric,
                section.id,
                section.declared_points,
                _sum(p for p in declared_items if p is not None),
                "section_items_exceed_declared",
                "section_items_below_declared",
                section.label,
            )
    caps = caps_for(rubric, findings)
    for section in rubric.sections:
        findings += _compare(
            rubric,
            section.id,
            section.declared_points,
            _items_effective_sum(section, caps),
            "section_exceedable",
            "section_unreachable",
            section.label,
        )
    for pool in Pool:
        sections = [s for s in rubric.sections if s.pool is pool]
        if not sections:
            continue
        declared = _pool_declared(rubric, pool)
        section_declared = [s.declared_points for s in sections]
        if all(points is not None for points in section_declared):
            findings += _compare(
                rubric,
                pool.value,
                declared,
                _sum(p for p in section_declared if p is not None),
                "pool_sections_mismatch",
                "pool_sections_mismatch",
            )
        # Section caps as the edition decided them (a section may be left uncapped).
        section_caps = caps_for(rubric, findings)
        reachable = _sum(_section_effective_max(s, section_caps) for s in sections)
        findings += _compare(
            rubric, pool.value, declared, reachable, "pool_exceedable", "pool_unreachable"
        )
    labels = Counter(section.label for section in rubric.sections)
    for label, count in labels.items():
        if count > 1:
            findings.append(
                Finding(
                    "duplicate_section_label",
                    label,
                    None,
                    Decimal(count),
                    rubric.resolution("duplicate_section_label", label),
                )
            )
    return findings


def caps_for(rubric: Rubric, findings: Iterable[Finding] | None = None) -> Caps:
    """Caps and scale factors that follow the edition's resolutions of ``findings``."""
    if findings is None:
        findings = _collect_findings(rubric)
    decisions = {(f.code, f.target): f.decision for f in findings}
    caps = Caps()
    for section in rubric.sections:
        for item in section.items:
            declared = item.declared_points
            cap: Decimal | None = declared
            if decisions.get(("item_exceedable", item.id)) == "no_cap":
                cap = None
            if (
                decisions.get(("item_unreachable", item.id)) == "scale_to_declared"
                and item.reachable_maximum > 0  # nothing to scale from: see _problems
            ):
                assert declared is not None  # item_unreachable implies declared points
                caps.item_scale[item.id] = (declared, item.reachable_maximum)
            caps.item_cap[item.id] = cap
        no_cap = "no_cap" in {
            decisions.get(("section_items_exceed_declared", section.id)),
            decisions.get(("section_exceedable", section.id)),
        }
        caps.section_cap[section.id] = None if no_cap else section.declared_points
    for pool in Pool:
        no_cap = decisions.get(("pool_exceedable", pool.value)) == "no_cap"
        caps.pool_cap[pool] = None if no_cap else _pool_declared(rubric, pool)
    return caps


def _problems(rubric: Rubric, findings: list[Finding]) -> list[Problem]:
    problems: list[Problem] = []
    found = {(f.code, f.target) for f in findings}
    for finding in findings:
        if finding.resolution is None:
            problems.append(
                Problem(
                    "unresolved",
                    Message(
                        gettext_noop("unresolved finding: {finding}; record one of {decisions}"),
                        {
                            "finding": finding.message,
                            "decisions": list(ALLOWED_DECISIONS[finding.code]),
                        },
                    ),
                )
            )
    for resolution in rubric.resolutions:
        allowed = ALLOWED_DECISIONS.get(resolution.finding)
        if (resolution.finding, resolution.target) not in found:
            problems.append(
                Problem(
                    "stale_resolution",
                    Message(
                        gettext_noop("resolution of {finding} on {target} matches no finding"),
                        {"finding": resolution.finding, "target": resolution.target},
                    ),
                )
            )
        elif resolution.decision == "scale_to_declared" and _reaches_nothing(
            rubric, resolution.target
        ):
            problems.append(
                Problem(
                    "invalid_decision",
                    Message(
                        gettext_noop(
                            "item {target} cannot be scaled to its declared points: its "
                            "criteria reach 0"
                        ),
                        {"target": resolution.target},
                    ),
                )
            )
        elif allowed is not None and resolution.decision not in allowed:
            problems.append(
                Problem(
                    "invalid_decision",
                    Message(
                        gettext_noop(
                            "decision {decision} is not allowed for {finding}; use one of "
                            "{decisions}"
                        ),
                        {
                            "decision": resolution.decision,
                            "finding": resolution.finding,
                            "decisions": list(allowed),
                        },
                    ),
                )
            )
    return problems


def _reaches_nothing(rubric: Rubric, item_id: str) -> bool:
    item = rubric.item(item_id)
    return item is not None and item.reachable_maximum == 0


def validate_rubric(rubric: Rubric) -> ValidationReport:
    """Findings of ``rubric`` with their resolutions, the ranges, and the problems."""
    findings = _collect_findings(rubric)
    caps = caps_for(rubric, findings)
    items = {
        item.id: Range(
            item.declared_points,
            item.reachable_minimum,
            item.reachable_maximum,
            item_effective_max(item, caps),
        )
        for item in rubric.items()
    }
    sections = {
        s.id: Range(
            s.declared_points,
            _sum(item.reachable_minimum for item in s.items),
            _sum(item.reachable_maximum for item in s.items),
            _section_effective_max(s, caps),
        )
        for s in rubric.sections
    }
    pools: dict[Pool, Range] = {}
    for pool in Pool:
        members = [s for s in rubric.sections if s.pool is pool]
        if members:
            effective = _sum(sections[s.id].effective_maximum for s in members)
            cap = caps.pool_cap[pool]
            pools[pool] = Range(
                _pool_declared(rubric, pool),
                _sum(sections[s.id].minimum for s in members),
                _sum(sections[s.id].maximum for s in members),
                effective if cap is None else min(effective, cap),
            )
    return ValidationReport(
        rubric.ref, tuple(findings), tuple(_problems(rubric, findings)), items, sections, pools
    )
