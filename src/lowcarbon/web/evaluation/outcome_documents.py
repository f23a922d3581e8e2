"""The documents of an acceptance decision, from what the decision recorded: the panel's
acceptance opinion (验收意见 / 中期评估意见, :mod:`lowcarbon.documents.acceptance_opinion`) and the
batch's result sheet (验收结果汇总表, :mod:`lowcarbon.documents.acceptance_results`).

The opinion reads the decision's ``basis`` (the aggregate, the method, the members and the
rule's explanation as rendered when it was decided), so it prints the same later. The panel's
leader is the first member listed (the experts in the order they were assigned).

The result sheet's application score is the selection panel's aggregated main score where the
unit was scored at selection, else the self-score frozen with the application; the sheet's
method text says so, and the remark of a row that uses the self-score says it too.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.documents import acceptance_opinion, acceptance_results
from lowcarbon.documents.acceptance_opinion import (
    LEADER,
    MEMBER,
    AcceptanceOpinion,
    AcceptanceScore,
    PanelMember,
    SectionScore,
)
from lowcarbon.documents.acceptance_results import (
    AcceptanceResultEntry,
    AcceptanceResults,
    AcceptanceResultsContext,
    build_acceptance_results,
)
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.evaluation.outcome import unit_rows
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision
from lowcarbon.web.review.aggregate import application_result
from lowcarbon.web.review.models import Assignment, Panel, round_settings
from lowcarbon.web.rounds.models import Round, Stage

__all__ = [
    "CONTENT_TYPES",
    "OPINION_FORMATS",
    "RESULT_FORMATS",
    "DocumentFile",
    "opinion_of",
    "render_opinion",
    "render_results",
    "results_of",
]

OPINION_FORMATS = ("docx", "pdf")
RESULT_FORMATS = ("docx", "xlsx", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class DocumentFile:
    content: bytes
    content_type: str
    filename: str


def _decimal(value: object) -> Decimal:
    return Decimal(str(value or "0"))


def opinion_of(decision: AcceptanceDecision) -> AcceptanceOpinion:
    basis = decision.basis
    application = decision.unit.application
    members = [
        PanelMember(
            name=str(m.get("name", "")),
            organisation=str(m.get("organisation", "")),
            role=LEADER if index == 0 else MEMBER,
        )
        for index, m in enumerate(basis.get("members", []))
    ]
    bonus_maximum = _decimal(basis.get("bonus_maximum"))
    has_bonus = bonus_maximum > 0
    main = _decimal(basis.get("main"))
    bonus = _decimal(basis.get("bonus")) if has_bonus else None
    sections = [
        SectionScore(
            label=f"{s['label']}、{s['title']}",
            points=_decimal(s["points"]),
            maximum=_decimal(s["maximum"]),
        )
        for s in basis.get("sections", [])
        if s.get("pool", "main") == "main"
    ]
    midterm = decision.stage == Stage.MIDTERM
    return AcceptanceOpinion(
        unit=application.unit.name,
        district=str(application.unit.district or ""),
        kind=application.kind,
        stage=decision.stage,
        batch_year=application.round.year,
        panel=decision.panel.name,
        held_on=timezone.localtime(decision.decided_at).date(),
        place=application.unit.name,
        members=members,
        score=AcceptanceScore(
            main=main,
            bonus=bonus,
            total=main + (bonus or Decimal(0)),
            maximum=_decimal(basis.get("main_maximum")),
            bonus_maximum=bonus_maximum if has_bonus else None,
            method=str(basis.get("method", "")),
            experts=int(basis.get("experts", len(members))),
        ),
        sections=sections,
        outcome=decision.outcome,
        outcome_explanation=[str(line) for line in basis.get("explanation", [])],
        findings=decision.opinion,
        improvements=list(decision.improvements),
        decision=("continue" if decision.outcome == "passed" else "rectify") if midterm else None,
        deadline=None if decision.order is None else decision.order.deadline,
    )


def render_opinion(decision: AcceptanceDecision, fmt: str, stem: str) -> DocumentFile:
    """The opinion as bytes; ``PdfConversionError`` when no PDF can be made."""
    opinion = opinion_of(decision)
    with tempfile.TemporaryDirectory(prefix="lowcarbon-opinion-") as folder:
        out = Path(folder)
        if fmt == "docx":
            path = out / "opinion.docx"
            acceptance_opinion.write_docx(opinion, path, _)
        elif fmt == "pdf":
            _docx, path = acceptance_opinion.write_pdf(opinion, out, "opinion", _)
        else:
            raise ValueError(fmt)
        return DocumentFile(path.read_bytes(), CONTENT_TYPES[fmt], f"{stem}.{fmt}")


def _application_score(application: Application) -> tuple[Decimal | None, bool]:
    """The selection panel's aggregated main score, else the frozen self-score (True when it
    is the self-score)."""
    panel_id = (
        Assignment.objects.filter(application=application, panel__stage=Stage.SELECTION)
        .values_list("panel_id", flat=True)
        .first()
    )
    if panel_id is not None:
        panel = Panel.objects.select_related("round").get(pk=panel_id)
        result = application_result(panel, application)
        if result.aggregate is not None:
            return result.aggregate.main, False
    unit = application.creation_unit
    score = frozen_snapshot(unit.submission).score
    if score is None:
        return None, False
    main = score.pools.get("main")
    return (score.total if main is None else main.points), True


def results_of(round_: Round, kind: str, stage: str) -> AcceptanceResults:
    entries = []
    for row in unit_rows(round_, kind, stage):
        application = row.unit.application
        applied, self_scored = _application_score(application)
        latest = row.latest
        named = (
            latest is not None
            and latest.stage == Stage.FINAL
            and latest.outcome == "passed"
            and latest.published_at is not None
        )
        if latest is not None:
            accepted: Decimal | None = _decimal(latest.basis.get("main"))
        elif row.proposal.decision is not None:
            accepted = row.proposal.decision.main
        else:
            accepted = None
        entries.append(
            AcceptanceResultEntry(
                unit=application.unit.name,
                district=str(application.unit.district or ""),
                application_score=applied,
                acceptance_score=accepted,
                outcome=None if latest is None else latest.outcome,
                named=named,
                remark=_("application score: self-score") if self_scored else "",
            )
        )
    method = str(round_settings(round_).get_method_display())
    context = AcceptanceResultsContext(
        batch_year=round_.year,
        kind=kind,
        stage=stage,
        method=_(
            "{method}; main points only. Application score: the selection panel's aggregated "
            "main score, or the self-score frozen with the application where the unit has none."
        ).format(method=method),
        generated_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    )
    return build_acceptance_results(entries, context, _)


def render_results(results: AcceptanceResults, fmt: str, stem: str) -> DocumentFile:
    with tempfile.TemporaryDirectory(prefix="lowcarbon-results-") as folder:
        out = Path(folder)
        if fmt == "xlsx":
            path = out / "results.xlsx"
            acceptance_results.write_xlsx(results, path)
        elif fmt == "docx":
            path = out / "results.docx"
            acceptance_results.write_docx(results, path, _)
        elif fmt == "pdf":
            _docx, path = acceptance_results.write_pdf(results, out, "results", _)
        else:
            raise ValueError(fmt)
        return DocumentFile(path.read_bytes(), CONTENT_TYPES[fmt], f"{stem}.{fmt}")
