"""The pre-submission check: every gap of the plan contents, the baseline data, the self-
assessment and the evidence, grouped like the workspace tabs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message
from lowcarbon.core.outline import check_completeness
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ItemStatus, ScoreResult
from lowcarbon.rules.snapshot import SnapshotWarning
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.assessment.totals import running_total
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import (
    application_outline,
    is_editable,
    is_generated,
    local,
)

# Groups, in the order the page lists them, named like the workspace tabs.
GROUPS = {
    "outline": gettext_lazy("Plan contents"),
    "baseline": gettext_lazy("Baseline data"),
    "assessment": gettext_lazy("Self-assessment"),
    "evidence": gettext_lazy("Evidence files"),
}

# code -> (group, text); texts take their fields from ``Gap.params`` resolved by gap_text, so a
# snapshot keeps ids (language-independent) and each reader sees its own language.
_GAP_TEXTS: dict[str, tuple[str, Any]] = {
    "outline_missing": (
        "outline",
        gettext_lazy("Section {section}: the required element “{element}” is not filled in."),
    ),
    "outline_no_editor": (
        "outline",
        gettext_lazy(
            "Section {section}: the required element “{element}” (a table or list) cannot be "
            "entered on the platform yet; make sure the plan document contains it."
        ),
    ),
    "no_baseline": (
        "baseline",
        gettext_lazy("No baseline data has been entered: the carbon accounting cannot be done."),
    ),
    "accounting_error": (
        "baseline",
        gettext_lazy("The carbon accounting cannot be computed from the baseline data: {problem}"),
    ),
    "draft_inventory": (
        "baseline",
        gettext_lazy(
            "The {year} inventory is a draft, not final (some required data is missing): {gaps}"
        ),
    ),
    "unanswered": (
        "assessment",
        gettext_lazy("{count} indicator items are not answered and count 0 points: {items}."),
    ),
    "answer_problem": (
        "assessment",
        gettext_lazy("The self-assessment cannot be scored: {problem}"),
    ),
    "evidence_gone": (
        "evidence",
        gettext_lazy(
            "Item {item} cites evidence {evidence}, which is not among the application's "
            "evidence files (removed or never uploaded)."
        ),
    ),
    "no_evidence": (
        "evidence",
        gettext_lazy(
            "{count} items claim points without evidence and therefore score 0 (附件4 注): {items}."
        ),
    ),
}


@dataclass(frozen=True)
class Gap:
    """One thing missing before submission: blocking (submission refused) or a warning."""

    code: str
    blocking: bool
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""

    @property
    def group(self) -> str:
        return _GAP_TEXTS[self.code][0]

    def as_warning(self) -> SnapshotWarning:
        """What a snapshot keeps of a warning: its code and ids, no rendered text."""
        return SnapshotWarning(self.code, self.params)


def _item_names(rubric: Rubric, ids: list[str]) -> str:
    """A few items with their titles; many by their numbers only (the official titles are
    long, and the self-assessment page lists them in full)."""
    if len(ids) > 3:
        return "、".join(ids)
    names = []
    for item_id in ids:
        item = rubric.item(item_id)
        names.append(f"{item_id}（{local(item.title)}）" if item is not None else item_id)
    return "；".join(names)


def gap_text(application: Application, code: str, params: Mapping[str, Any]) -> str:
    """The sentence for a gap in the current language, labels looked up from the ids."""
    template = _GAP_TEXTS.get(code, (None, None))[1]
    if template is None:
        return code
    values: dict[str, Any] = dict(params)
    if code in {"outline_missing", "outline_no_editor"}:
        outline = application_outline(application)
        section = outline.section(str(params.get("section")))
        element = outline.element(str(params.get("element")))
        values["section"] = (
            f"{section.id} {local(section.title)}" if section else params.get("section")
        )
        values["element"] = local(element.label) if element else params.get("element")
    elif code in {"unanswered", "no_evidence"}:
        rubric = computing.rubric_of(application.kind, application.rubric_edition)
        items = [str(i) for i in params.get("items", [])]
        values["items"] = _item_names(rubric, items)
        values["count"] = len(items)
    elif code == "draft_inventory":
        values["gaps"] = "；".join(str(g) for g in params.get("gaps", [])) or "—"
    return str(template).format(**values)


@dataclass(frozen=True)
class Check:
    """Everything the pre-submission page shows, and what ``do_submit`` refuses on."""

    gaps: tuple[Gap, ...]
    accounting: AccountingResult | None
    score: ScoreResult | None
    unanswered: tuple[str, ...] = ()

    @property
    def blocking(self) -> tuple[Gap, ...]:
        return tuple(gap for gap in self.gaps if gap.blocking)

    @property
    def warnings(self) -> tuple[Gap, ...]:
        return tuple(gap for gap in self.gaps if not gap.blocking)


def _outline_gaps(application: Application) -> list[Gap]:
    outline = application_outline(application)
    report = check_completeness(outline, application.sections)
    gaps = []
    for entry in report.missing:
        section, element = entry.section, entry.element
        editable = is_editable(element)
        url = (
            reverse("applications:edit_section", args=[application.pk, section.id])
            if editable
            else reverse("applications:workspace", args=[application.pk]) + f"#section-{section.id}"
        )
        if is_generated(element):
            # Made from the tasks and key projects: they are entered on their own page.
            editable, url = True, reverse("applications:tasks", args=[application.pk])
        # A required element nobody can enter yet must not make submission impossible: the
        # platform says so and the plan document carries it (tables and lists get editors later).
        gaps.append(
            Gap(
                "outline_missing" if editable else "outline_no_editor",
                blocking=editable,
                params={"section": section.id, "element": element.id},
                url=url,
            )
        )
    return gaps


def _in_chinese(messages: Iterable[Message]) -> list[str]:
    """Engine messages in Chinese, the working language, whoever is reading: a snapshot that
    keeps them must not depend on the language of the person who submitted."""
    with translation.override(settings.LANGUAGE_CODE):
        return [message.render(_) for message in messages]


def _accounting_gaps(application: Application) -> tuple[list[Gap], AccountingResult | None]:
    baseline = reverse("applications:baseline", args=[application.pk])
    if not application.accounting:
        return [Gap("no_baseline", blocking=True, url=baseline)], None
    try:
        result = computing.accounting_result(application)
    except LowcarbonError as error:
        problem = error.message.render(_)
        return [Gap("accounting_error", True, {"problem": problem}, baseline)], None
    assert result is not None
    results = reverse("applications:results", args=[application.pk])
    gaps = [
        Gap(
            "draft_inventory",
            blocking=False,
            params={
                "year": inventory.year,
                "gaps": _in_chinese(inventory.completeness.gaps()),
            },
            url=results,
        )
        for inventory in result.inventories
        if not inventory.is_final
    ]
    return gaps, result


def _assessment_gaps(
    application: Application,
) -> tuple[list[Gap], ScoreResult | None, tuple[str, ...]]:
    rubric = computing.rubric_of(application.kind, application.rubric_edition)
    assessment = reverse("applications:assessment", args=[application.pk])
    answers: Mapping[str, Any] = application.answers or {}
    present = set(
        application.evidence.filter(removed_at__isnull=True).values_list("code", flat=True)
    )
    gaps = [
        Gap("evidence_gone", True, {"item": item.id, "evidence": code}, assessment)
        for item in rubric.items()
        for code in (answers.get(item.id) or {}).get("evidence") or ()
        if code not in present
    ]
    if gaps:
        return gaps, None, ()
    try:
        # The same running total the self-assessment page shows: an item not answered counts
        # 0 points (and never trips a section constraint); fully answered, it is exactly
        # computing.score_result.
        total = running_total(application)
    except LowcarbonError as error:
        problem = error.message.render(_)
        return [Gap("answer_problem", True, {"problem": problem}, assessment)], None, ()
    if total.unanswered:
        gaps.append(Gap("unanswered", False, {"items": list(total.unanswered)}, assessment))
    without = [
        result.item.id
        for section in total.result.sections
        for result in section.items
        if result.status is ItemStatus.ZEROED_NO_EVIDENCE and result.item.id not in total.unanswered
    ]
    if without:
        gaps.append(Gap("no_evidence", False, {"items": without}, assessment))
    return gaps, total.result, total.unanswered


def check_application(application: Application) -> Check:
    """Everything missing before ``application`` can be submitted, in the order of the tabs.

    Blocking: required outline elements people can enter, no baseline data (or data that does
    not compute), answers citing evidence files that are gone. Warnings (the application can
    still be submitted; the snapshot records them and the district sees them): required
    elements with no editor yet, a draft inventory, items not answered (0 points), points
    claimed without evidence (0 points, 附件4 注).
    """
    outline = _outline_gaps(application)
    accounting, result = _accounting_gaps(application)
    assessment, score, unanswered = _assessment_gaps(application)
    gaps = sorted(
        (*outline, *accounting, *assessment), key=lambda gap: list(GROUPS).index(gap.group)
    )
    return Check(tuple(gaps), result, score, unanswered)
