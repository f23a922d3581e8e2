"""Readable text for people: score tables with points lost and why, findings, rubrics."""

from __future__ import annotations

from lowcarbon.core.messages import Translate, format_points
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    Item,
    JudgementRule,
    PerUnitRule,
    Pool,
    Rubric,
    Rule,
)
from lowcarbon.core.scoring import ItemResult, ItemStatus, ScoreResult
from lowcarbon.core.validation import DECISION_TEXT, ValidationReport

from .table import clip, render_table

__all__ = ["render_report", "render_rubric", "render_score"]

P = format_points


def _status(result: ItemResult, _: Translate) -> str:
    return {
        ItemStatus.SCORED: "",
        ItemStatus.NOT_APPLICABLE: _("not applicable"),
        ItemStatus.ZEROED_CONSTRAINT: _("constraint not met"),
        ItemStatus.ZEROED_SECTION_CONSTRAINT: _("section constraint not met"),
        ItemStatus.ZEROED_NO_EVIDENCE: _("no evidence"),
    }[result.status]


def _awarded(result: ItemResult, lang: str) -> str:
    texts = [line.text.get(lang) for line in result.lines if line.awarded]
    return "；".join(texts) if texts else "—"


def _why_lost(result: ItemResult, lang: str, _: Translate) -> list[str]:
    """Lines explaining the points lost on one item: notes first, then what was not met.

    Where one line at most can be awarded (levels, count tiers) only the top line is named as
    what full marks need; for a checklist every criterion not ticked is named.
    """
    lines = [note.render(_) for note in result.notes]
    if result.status is ItemStatus.NOT_APPLICABLE:
        return lines
    rule = result.item.rule
    rules = (
        [(p.id, p.rule) for p in rule.parts] if isinstance(rule, CompositeRule) else [(None, rule)]
    )
    for part, part_rule in rules:
        part_lines = [line for line in result.lines if line.part == part]
        if isinstance(part_rule, JudgementRule):
            continue  # the reason given says why; there is no criterion to name
        if isinstance(part_rule, ChecklistRule):
            missed = [line for line in part_lines if not line.awarded]
        elif isinstance(part_rule, PerUnitRule):
            lines.append(part_rule.text.get(lang))
            continue
        else:
            best = max(part_lines, key=lambda line: line.points, default=None)
            missed = [best] if best is not None and not best.awarded else []
        lines += [
            _("not met ({points}): {text}").format(points=P(line.points), text=line.text.get(lang))
            for line in missed
        ]
    if result.reason:
        lines.append(_("reason given: {reason}").format(reason=result.reason))
    return lines


def render_score(result: ScoreResult, rubric: Rubric, lang: str, _: Translate) -> str:
    out = [
        _("Unit: {unit}").format(unit=result.unit),
        _("Indicator system: {title} ({ref}, {source})").format(
            title=rubric.title.get(lang), ref=result.rubric_ref, source=rubric.source
        ),
        _("Edition fingerprint: sha256 {hash}").format(hash=result.rubric_hash[:16]),
        "",
    ]
    lost: list[str] = []
    for section in result.sections:
        out.append(
            f"{section.section.label}、{section.section.title.get(lang)}  "
            f"{P(section.points)} / {P(section.maximum)}"
        )
        rows = []
        for item in section.items:
            rows.append(
                [
                    item.item.id,
                    clip(item.item.title.get(lang), 34),
                    P(item.points),
                    P(item.maximum),
                    P(item.lost) if item.lost else "",
                    _status(item, _) or clip(_awarded(item, lang), 40),
                    ",".join(item.evidence),
                ]
            )
            if item.lost or item.status is not ItemStatus.SCORED:
                why = _why_lost(item, lang, _)
                lost.append(
                    _("Item {item} ({title}): {lost} points lost").format(
                        item=item.item.id,
                        title=clip(item.item.title.get(lang), 30),
                        lost=P(item.lost),
                    )
                )
                lost += [f"    · {line}" for line in why]
        header = [
            _("Item"),
            _("Title"),
            _("Points"),
            _("Max"),
            _("Lost"),
            _("Basis"),
            _("Evidence"),
        ]
        out += ["  " + line for line in render_table(header, rows, right=(2, 3, 4)).splitlines()]
        out += [f"  ※ {note.render(_)}" for note in section.notes]
        out.append("")
    for pool in result.pools:
        label = _("Total (main points)") if pool.pool is Pool.MAIN else _("Bonus pool")
        declared = rubric.declared_total if pool.pool is Pool.MAIN else rubric.declared_bonus
        out.append(
            _("{label}: {points} / {maximum} (declared {declared})").format(
                label=label,
                points=P(pool.points),
                maximum=P(pool.maximum),
                declared=P(declared) if declared is not None else "—",
            )
        )
        out += [f"  ※ {note.render(_)}" for note in pool.notes]
    if lost:
        out += ["", _("Points lost and why:"), *lost]
    return "\n".join(out)


def render_report(report: ValidationReport, rubric: Rubric, lang: str, _: Translate) -> str:
    out = [f"{rubric.title.get(lang)} ({report.rubric_ref})"]
    for pool, value in report.pools.items():
        name = _("main points") if pool is Pool.MAIN else _("bonus pool")
        out.append(
            "  "
            + _(
                "{name}: declared {declared}, reachable {minimum}–{maximum}, "
                "scored at most {effective}"
            ).format(
                name=name,
                declared=P(value.declared) if value.declared is not None else "—",
                minimum=P(value.minimum),
                maximum=P(value.maximum),
                effective=P(value.effective_maximum),
            )
        )
    if not report.findings:
        out.append("  " + _("no findings"))
    for finding in report.findings:
        out.append("  ⚑ " + finding.message.render(_))
        if finding.resolution:
            out.append(
                "    → "
                + _("resolved: {decision} — {note}").format(
                    decision=_(DECISION_TEXT[finding.decision]),
                    note=finding.resolution.note.get(lang),
                )
            )
    for problem in report.problems:
        out.append("  ✗ " + problem.message.render(_))
    return "\n".join(out)


def render_rubric(rubric: Rubric, lang: str, _: Translate, item_id: str | None = None) -> str:
    out = [
        f"{rubric.title.get(lang)} ({rubric.ref})",
        rubric.source,
        _("Edition fingerprint: sha256 {hash}").format(hash=rubric.content_hash[:16]),
        "",
    ]
    for section in rubric.sections:
        declared = "—" if section.declared_points is None else P(section.declared_points)
        if item_id is None:
            out.append(f"{section.label}、{section.title.get(lang)} ({declared})")
        for item in section.items:
            if item_id is not None and item.id != item_id:
                continue
            points = "—" if item.declared_points is None else P(item.declared_points)
            out.append(f"  {item.id}. {item.title.get(lang)} ({points})  [{item.citation}]")
            if item_id is not None:
                out += _item_detail(item, lang, _)
    return "\n".join(out)


def _item_detail(item: Item, lang: str, _: Translate) -> list[str]:
    out = []
    if item.method_text:
        out.append("     " + _("evaluation method:") + " " + item.method_text)
    rule = item.rule
    parts = rule.parts if isinstance(rule, CompositeRule) else ()
    rules: list[tuple[str, Rule]] = [(p.title.get(lang), p.rule) for p in parts] or [("", rule)]
    for title, part_rule in rules:
        if title:
            out.append(f"     [{title}]")
        for attr in ("options", "criteria", "tiers"):
            for entry in getattr(part_rule, attr, ()):
                key = getattr(entry, "id", None) or f">={entry.min_count}"
                out.append(f"       {key}: {P(entry.points)}  {entry.text.get(lang)}")
        text = getattr(part_rule, "text", None)
        if text is not None:
            out.append(f"       {text.get(lang)}")
    if item.constraint:
        out.append("     " + _("constraint:") + " " + item.constraint.text.get(lang))
    return out
