"""The panel's acceptance opinion (验收意见), and a zone's mid-term evaluation opinion
(中期评估意见).

After the site visit the expert panel writes one opinion on the unit and each member signs it.
Its layout is the one such opinions have on paper:

* the title (``青枫里社区创建验收意见`` / ``临港低碳发展实践区中期评估意见``) and a
  line naming the batch and the kind of unit;
* an opening paragraph: when and where the panel met, on which unit, what it did;
* 一、the scores: the aggregated score (main points, the bonus pool where the indicator system
  has one, the total, the maximum) with the aggregation method named, then a table of the
  sections' points;
* 二、the panel's findings (the unit's achievements), as the panel wrote them;
* 三、the required improvements, numbered ``1.``, ``2.`` … (each becomes a rectification item);
* 四、the conclusion: the outcome (通过 / 整改后复验 / 未通过) with the explanation of the pass
  rule, and for a mid-term evaluation the decision (继续创建 / 限期整改, with the deadline
  where set);
* 五、the members of the panel (name, organisation, role), then the signature block: one
  signature line with its date line for each member, the leader first, and the leader's
  signature for the panel (专家组组长签字), kept on one page.

The input is plain values (:class:`AcceptanceOpinion`); texts that come from rules (the outcome's
explanation) arrive already translated. The DOCX is the official layout of
:mod:`lowcarbon.documents.word` without the plan's cover and contents; the PDF comes from it
(:func:`lowcarbon.documents.pdf.convert_to_pdf`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from docx import Document

from lowcarbon.core.messages import format_points, gettext_noop

from .blocks import Block, Heading, Paragraph, Placeholder, Table
from .pdf import convert_to_pdf
from .word.rendering import render_document
from .word.template import build_template

__all__ = [
    "DECISIONS",
    "KINDS",
    "LEADER",
    "MEMBER",
    "OUTCOMES",
    "STAGES",
    "AcceptanceOpinion",
    "AcceptanceScore",
    "PanelMember",
    "SectionScore",
    "date_text",
    "kind_label",
    "opinion_blocks",
    "opinion_title",
    "outcome_label",
    "write_docx",
    "write_pdf",
]

Translate = Callable[[str], str]

LEADER = "leader"
MEMBER = "member"
_ROLES = {LEADER: gettext_noop("Panel leader"), MEMBER: gettext_noop("Panel member")}

#: The kinds of unit, by their machine ids.
KINDS: dict[str, str] = {
    "zone": gettext_noop("low-carbon development practice zone (near-zero-carbon practice zone)"),
    "community": gettext_noop("low-carbon community (near-zero-carbon community)"),
}
#: A zone's mid-term evaluation, and the final acceptance of either kind.
STAGES = ("midterm", "final")
#: The outcomes of an acceptance: 通过 / 整改后复验 / 未通过 (the values of
#: :class:`lowcarbon.core.acceptance.AcceptanceOutcome`).
OUTCOMES: dict[str, str] = {
    "passed": gettext_noop("passed"),
    "reinspect": gettext_noop("rectify, then re-inspect"),
    "failed": gettext_noop("not passed"),
}
#: The decisions on a mid-term evaluation: 继续创建 / 限期整改.
DECISIONS: dict[str, str] = {
    "continue": gettext_noop("continue the creation"),
    "rectify": gettext_noop("rectify within a deadline"),
}

# Full-width underscores leave room to sign by hand on the printed page.
_BLANK = "＿" * 10
_DATE_BLANK = "＿＿＿＿年＿＿月＿＿日"
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class PanelMember:
    name: str
    organisation: str
    role: str = MEMBER  # LEADER (组长) or MEMBER (成员)


@dataclass(frozen=True)
class SectionScore:
    """The aggregated points of one section of the indicator system (一、低碳组织管理 …)."""

    label: str  # as printed, e.g. "一、低碳组织管理"
    points: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class AcceptanceScore:
    """The panel's aggregated score."""

    main: Decimal
    bonus: Decimal | None  # None: the indicator system has no bonus pool (附件2)
    total: Decimal  # main + bonus
    maximum: Decimal  # of the main items (100)
    bonus_maximum: Decimal | None  # of the bonus pool (附件4: 20), None without one
    method: str  # the aggregation method, as printed (e.g. 去掉最高分和最低分后取平均)
    experts: int  # how many experts' scores were aggregated


@dataclass(frozen=True)
class AcceptanceOpinion:
    unit: str
    district: str
    kind: str  # KINDS: "zone" or "community"
    stage: str  # STAGES: "midterm" (zones only) or "final"
    batch_year: int  # the batch (批次) the unit was selected in
    panel: str  # the panel's name
    held_on: date  # the site acceptance (evaluation)
    place: str
    members: Sequence[PanelMember]  # exactly one LEADER
    score: AcceptanceScore
    sections: Sequence[SectionScore]
    outcome: str  # OUTCOMES: "passed", "reinspect" or "failed"
    outcome_explanation: Sequence[str]  # the rule's explanation lines, translated
    findings: str  # the panel's findings (achievements); one paragraph a line
    improvements: Sequence[str]  # required improvements, in order; numbered in the document
    decision: str | None = None  # DECISIONS, for a mid-term evaluation only
    deadline: date | None = None  # of the rectification, where the decision sets one

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}: one of {', '.join(KINDS)}")
        if self.stage not in STAGES:
            raise ValueError(f"unknown stage {self.stage!r}: one of {', '.join(STAGES)}")
        if self.stage == "midterm" and self.kind != "zone":
            raise ValueError("only a practice zone has a mid-term evaluation")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}: one of {', '.join(OUTCOMES)}")
        if self.stage == "midterm" and self.decision not in DECISIONS:
            raise ValueError(
                f"a mid-term opinion needs a decision ({', '.join(DECISIONS)}), "
                f"not {self.decision!r}"
            )
        if self.stage == "final" and self.decision is not None:
            raise ValueError("a final acceptance has an outcome, not a mid-term decision")
        leaders = [m for m in self.members if m.role == LEADER]
        if len(leaders) != 1:
            raise ValueError(f"the panel needs exactly one leader, not {len(leaders)}")
        for member in self.members:
            if member.role not in _ROLES:
                raise ValueError(f"unknown role {member.role!r} of {member.name}")
        score = self.score
        if (score.bonus is None) != (score.bonus_maximum is None):
            raise ValueError("a bonus pool needs both its points and its maximum")
        if score.main + (score.bonus or Decimal(0)) != score.total:
            raise ValueError(
                f"the total {score.total} is not the main points {score.main} "
                f"plus the bonus pool {score.bonus}"
            )


def kind_label(kind: str, _: Translate) -> str:
    return _(KINDS[kind])


def outcome_label(outcome: str, _: Translate) -> str:
    return _(OUTCOMES[outcome])


def date_text(day: date, _: Translate) -> str:
    """``2029年5月12日`` (``2029-5-12`` in English)."""
    return _(gettext_noop("{year}-{month}-{day}")).format(
        year=day.year, month=day.month, day=day.day
    )


def opinion_title(opinion: AcceptanceOpinion, _: Translate) -> str:
    if opinion.stage == "midterm":
        return _(gettext_noop("Mid-term evaluation opinion on {unit}")).format(unit=opinion.unit)
    return _(gettext_noop("Acceptance opinion on {unit}")).format(unit=opinion.unit)


def _subtitle(opinion: AcceptanceOpinion, _: Translate) -> str:
    return _(gettext_noop("Batch of {year} · {kind}")).format(
        year=opinion.batch_year, kind=kind_label(opinion.kind, _)
    )


def _members(opinion: AcceptanceOpinion) -> list[PanelMember]:
    """The leader first, then the members in the order given."""
    return sorted(opinion.members, key=lambda member: member.role != LEADER)


def _points(value: Decimal) -> str:
    return format_points(value)


def _opening(opinion: AcceptanceOpinion, _: Translate) -> str:
    if opinion.stage == "midterm":
        template = gettext_noop(
            "On {date}, the panel {panel} carried out the mid-term evaluation of {unit} "
            "({district}, {kind}, batch of {year}) at {place}. The panel heard the unit's "
            "report, examined the self-evaluation report and its supporting records, inspected "
            "the site and, after discussion, gives the following opinion:"
        )
    else:
        template = gettext_noop(
            "On {date}, the panel {panel} carried out the site acceptance of {unit} "
            "({district}, {kind}, batch of {year}) at {place}. The panel heard the unit's "
            "report, examined the self-evaluation report and its supporting records, inspected "
            "the site and, after discussion, gives the following opinion:"
        )
    return _(template).format(
        date=date_text(opinion.held_on, _),
        panel=opinion.panel,
        unit=opinion.unit,
        district=opinion.district,
        kind=kind_label(opinion.kind, _),
        year=opinion.batch_year,
        place=opinion.place,
    )


def _score_text(opinion: AcceptanceOpinion, _: Translate) -> str:
    score = opinion.score
    if score.bonus is None or score.bonus_maximum is None:
        return _(
            gettext_noop(
                "The {experts} experts of the panel scored each item of the indicator system "
                "independently; aggregated by {method}, the score is {total} points (out of "
                "{maximum})."
            )
        ).format(
            experts=score.experts,
            method=score.method,
            total=_points(score.total),
            maximum=_points(score.maximum),
        )
    return _(
        gettext_noop(
            "The {experts} experts of the panel scored each item of the indicator system "
            "independently; aggregated by {method}, the score is {total} points: {main} of the "
            "main items (out of {maximum}) and {bonus} of the bonus items (out of "
            "{bonus_maximum})."
        )
    ).format(
        experts=score.experts,
        method=score.method,
        total=_points(score.total),
        main=_points(score.main),
        maximum=_points(score.maximum),
        bonus=_points(score.bonus),
        bonus_maximum=_points(score.bonus_maximum),
    )


def _score_table(opinion: AcceptanceOpinion, _: Translate) -> Table:
    score = opinion.score
    rows = [[s.label, _points(s.maximum), _points(s.points)] for s in opinion.sections]
    totals = [
        [_(gettext_noop("Total of the main items")), _points(score.maximum), _points(score.main)]
    ]
    if score.bonus is not None and score.bonus_maximum is not None:
        totals.append(
            [
                _(gettext_noop("Total of the bonus items")),
                _points(score.bonus_maximum),
                _points(score.bonus),
            ]
        )
        totals.append(
            [
                _(gettext_noop("Total including the bonus pool")),
                _points(score.maximum + score.bonus_maximum),
                _points(score.total),
            ]
        )
    return Table(
        caption=_(gettext_noop("Aggregated points by section")),
        header=[
            _(gettext_noop("Section of the indicator system")),
            _(gettext_noop("Maximum points")),
            _(gettext_noop("Points")),
        ],
        rows=rows + totals,
        numeric=frozenset({1, 2}),
        widths=(4.0, 1.2, 1.2),
        emphasis=frozenset(range(len(rows), len(rows) + len(totals))),
    )


def _conclusion(opinion: AcceptanceOpinion, _: Translate) -> list[Block]:
    label = (
        _(gettext_noop("Outcome of the evaluation: "))
        if opinion.stage == "midterm"
        else _(gettext_noop("Outcome of the acceptance: "))
    )
    blocks: list[Block] = [
        Paragraph(text=_sentence(outcome_label(opinion.outcome, _), _), lead=label)
    ]
    blocks.extend(Paragraph(text=line) for line in opinion.outcome_explanation if line.strip())
    if opinion.decision is not None:
        decision = _(DECISIONS[opinion.decision])
        if opinion.deadline is not None:
            decision += _(gettext_noop(", the rectification to be completed by {date}")).format(
                date=date_text(opinion.deadline, _)
            )
        blocks.append(
            Paragraph(
                text=_sentence(decision, _),
                lead=_(gettext_noop("Decision on the mid-term evaluation: ")),
            )
        )
    return blocks


def _sentence(text: str, _: Translate) -> str:
    """A short phrase as a sentence (with 。 in Chinese)."""
    return _(gettext_noop("{text}.")).format(text=text)


def _signatures(opinion: AcceptanceOpinion, _: Translate) -> list[Block]:
    """One signature line and its date line for each member, then the leader's for the panel;
    all kept together on one page with the heading before them."""
    lines = [
        f"{_(_ROLES[member.role])}　{member.name}　"
        + _(gettext_noop("Signature: "))
        + _BLANK[:8]
        + "\n"
        + _(gettext_noop("Date: "))
        + _DATE_BLANK
        for member in _members(opinion)
    ]
    lines.append(
        _(gettext_noop("Signature of the panel leader: "))
        + _BLANK
        + "\n"
        + _(gettext_noop("Date: "))
        + _DATE_BLANK
    )
    blocks: list[Block] = [
        Paragraph(text="", lead=_(gettext_noop("Signatures of the panel: ")), keep_with_next=True)
    ]
    blocks.extend(
        Paragraph(text=line, style="signature", keep_with_next=True) for line in lines[:-1]
    )
    # A blank line sets the panel's signature apart from the members'.
    blocks.append(Paragraph(text="", keep_with_next=True))
    blocks.append(Paragraph(text=lines[-1], style="signature"))
    return blocks


def opinion_blocks(opinion: AcceptanceOpinion, _: Translate) -> list[Block]:
    """The opinion's body, independent of the file format (module docstring)."""
    midterm = opinion.stage == "midterm"
    headings = [
        _(gettext_noop("Scores of the evaluation"))
        if midterm
        else _(gettext_noop("Scores of the acceptance")),
        _(gettext_noop("Main achievements")),
        _(gettext_noop("Problems and required improvements")),
        _(gettext_noop("Conclusion of the evaluation"))
        if midterm
        else _(gettext_noop("Conclusion of the acceptance")),
        _(gettext_noop("The panel and its signatures")),
    ]
    numbers = [f"{_NUMERALS[i]}、" for i in range(len(headings))]
    blocks: list[Block] = [Paragraph(text=_opening(opinion, _))]
    blocks.append(Heading(1, numbers[0], headings[0]))
    blocks.append(Paragraph(text=_score_text(opinion, _)))
    if opinion.sections:
        blocks.append(_score_table(opinion, _))
    blocks.append(Heading(1, numbers[1], headings[1]))
    findings = [line.strip() for line in opinion.findings.splitlines() if line.strip()]
    if findings:
        blocks.extend(Paragraph(text=line) for line in findings)
    else:
        blocks.append(
            Placeholder(_(gettext_noop("To be completed: the panel's findings are not written")))
        )
    blocks.append(Heading(1, numbers[2], headings[2]))
    improvements = [text.strip() for text in opinion.improvements if text.strip()]
    if improvements:
        blocks.append(
            Paragraph(
                text=_(
                    gettext_noop(
                        "The panel requires the following improvements; each is followed up as "
                        "a rectification item:"
                    )
                )
            )
        )
        blocks.extend(
            Paragraph(text=f"{number}. {text}") for number, text in enumerate(improvements, start=1)
        )
    else:
        blocks.append(Paragraph(text=_(gettext_noop("The panel requires no improvement."))))
    blocks.append(Heading(1, numbers[3], headings[3]))
    blocks.extend(_conclusion(opinion, _))
    blocks.append(Heading(1, numbers[4], headings[4]))
    blocks.append(
        Table(
            caption=_(gettext_noop("Members of the panel")),
            header=[
                _(gettext_noop("No.")),
                _(gettext_noop("Full name")),
                _(gettext_noop("Organisation")),
                _(gettext_noop("Role in the panel")),
            ],
            rows=[
                [str(number), member.name, member.organisation, _(_ROLES[member.role])]
                for number, member in enumerate(_members(opinion), start=1)
            ],
            widths=(0.6, 1.4, 3.6, 1.4),
        )
    )
    blocks.extend(_signatures(opinion, _))
    return blocks


def _template(path: Path) -> None:
    """The official layout's template (styles, A4, margins, page numbers) without the plan's
    cover and contents: a title, a subtitle and the body."""
    build_template(path, lambda text: text)
    document = Document(str(path))
    paragraphs = document.paragraphs
    # The body section starts at the last title paragraph; what precedes it (cover, contents
    # and the section break that ends them) is the plan's.
    start = max(i for i, p in enumerate(paragraphs) if p.text == "{{ title }}")
    for paragraph in paragraphs[:start]:
        paragraph._p.getparent().remove(paragraph._p)
    paragraphs[start + 1].text = "{{ subtitle }}"
    document.save(str(path))


def write_docx(opinion: AcceptanceOpinion, out: Path, _: Translate) -> None:
    """The opinion in the official Word layout (A4, GB/T 9704 margins and fonts)."""
    template = out.with_name(out.stem + ".template.docx")
    _template(template)
    title = opinion_title(opinion, _)
    try:
        render_document(
            template,
            {"title": title, "subtitle": _subtitle(opinion, _)},
            opinion_blocks(opinion, _),
            out,
            _,
        )
    finally:
        template.unlink(missing_ok=True)
    document = Document(str(out))
    core = document.core_properties
    core.title = title
    core.subject = _subtitle(opinion, _)
    core.keywords = f"stage:{opinion.stage} outcome:{opinion.outcome}" + (
        f" decision:{opinion.decision}" if opinion.decision else ""
    )
    core.author = "lowcarbon"
    document.save(str(out))


def write_pdf(
    opinion: AcceptanceOpinion, out_dir: Path, stem: str, _: Translate
) -> tuple[Path, Path]:
    """The DOCX and its PDF in ``out_dir``; :class:`~lowcarbon.documents.pdf.PdfConversionError`
    when no PDF can be made (the DOCX is then still there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = out_dir / f"{stem}.docx"
    write_docx(opinion, docx, _)
    return docx, convert_to_pdf(docx, out_dir)
