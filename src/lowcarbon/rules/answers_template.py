"""A fill-in answers file for a rubric: every item with its options and official text.

The template is itself a valid answers file (every answer blank), so ``score`` on an unfilled
template lists exactly what is still to be answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from lowcarbon.core.messages import format_points
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    Item,
    JudgementRule,
    LevelsRule,
    PerUnitRule,
    Rubric,
    SimpleRule,
)

__all__ = ["write_answers_template"]

Translate = Callable[[str], str]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _rule_lines(
    rule: SimpleRule, lang: str, _: Translate, indent: str
) -> tuple[list[str], list[str]]:
    """Comment lines explaining the rule, and the blank answer lines to fill in."""
    comments: list[str] = []
    if isinstance(rule, LevelsRule):
        comments.append(_("choose one level:"))
        width = max(len(o.id) for o in rule.options)
        comments += [
            f"  {o.id:<{width}}  {format_points(o.points):>4}  {o.text.get(lang)}"
            for o in rule.options
        ]
        return comments, [f"{indent}level: null"]
    if isinstance(rule, ChecklistRule):
        comments.append(_("tick every criterion met (list of ids):"))
        width = max(len(c.id) for c in rule.criteria)
        comments += [
            f"  {c.id:<{width}}  {format_points(c.points):>4}  {c.text.get(lang)}"
            for c in rule.criteria
        ]
        answer = [f"{indent}ticked: null"]
        if rule.deduction is not None:
            comments.append(
                _("deduction (give deduct and reason):") + " " + rule.deduction.text.get(lang)
            )
            answer.append(f"{indent}deduct: null")
        return comments, answer
    if isinstance(rule, CountTiersRule | PerUnitRule):
        comments.append(_("count:") + " " + rule.counted.get(lang))
        texts = (
            [t.text.get(lang) for t in rule.tiers]
            if isinstance(rule, CountTiersRule)
            else [rule.text.get(lang)]
        )
        comments += [f"  {text}" for text in texts]
        return comments, [f"{indent}count: null"]
    return _judgement_lines(rule, lang, _, indent)


def _judgement_lines(
    rule: JudgementRule, lang: str, _: Translate, indent: str
) -> tuple[list[str], list[str]]:
    comments = [
        _("points from {minimum} to {maximum} in steps of {step}, with a reason:").format(
            minimum=format_points(rule.minimum),
            maximum=format_points(rule.maximum),
            step=format_points(rule.step),
        ),
        f"  {rule.text.get(lang)}",
    ]
    return comments, [f"{indent}points: null"]


def _item_block(item: Item, lang: str, _: Translate) -> list[str]:
    declared = "—" if item.declared_points is None else format_points(item.declared_points)
    lines = [f"  # ── {item.id}. {item.title.get(lang)} ({declared}) {item.citation}"]
    if item.method_text:
        lines.append(f"  #    {_('evaluation method:')} {item.method_text}")
    answer: list[str] = []
    rule = item.rule
    if isinstance(rule, CompositeRule):
        answer.append("    parts:")
        for part in rule.parts:
            comments, fields = _rule_lines(part.rule, lang, _, "        ")
            lines.append(f"  #    [{part.id}] {part.title.get(lang)}")
            lines += [f"  #      {c}" for c in comments]
            answer += [f"      {part.id}:", *fields]
    else:
        comments, fields = _rule_lines(rule, lang, _, "    ")
        lines += [f"  #    {c}" for c in comments]
        answer += fields
    if item.constraint is not None:
        lines.append(f"  #    {_('constraint (true/false):')} {item.constraint.text.get(lang)}")
        answer.append("    constraint_met: null")
    needs_reason = isinstance(rule, JudgementRule) or (
        isinstance(rule, ChecklistRule) and rule.deduction is not None
    )
    answer += [
        '    reason: ""' if needs_reason else "    reason: null",
        "    evidence: []",
    ]
    return [*lines, f"  {_q(item.id)}:", *answer, ""]


def write_answers_template(rubric: Rubric, lang: str, translate: Translate) -> str:
    """The template text for ``rubric`` with comments in ``lang``."""
    _ = translate
    lines = [
        f"# {rubric.title.get(lang)} — {rubric.source}",
        "# " + _("Fill in every item; evidence ids refer to the evidence list below."),
    ]
    if rubric.evidence_required:
        lines.append(
            "# "
            + _("Items with points but no evidence score 0 ({citation}).").format(
                citation=rubric.evidence_citation
            )
        )
    lines += [
        f"rubric: {rubric.ref}",
        f"unit: {_q(_('(name of the applicant unit)'))}",
        'assessor: {role: applicant, name: ""}',
        "evidence:",
        f"  # E1: {{title: {_q(_('(title of the document)'))}, file: evidence/E1.pdf}}",
        "items:",
    ]
    for section in rubric.sections:
        lines.append(f"  # ═══ {section.label}、{section.title.get(lang)} ═══")
        for item in section.items:
            lines += _item_block(item, lang, _)
    return "\n".join(lines).rstrip() + "\n"
