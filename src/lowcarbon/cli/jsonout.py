"""Machine-readable forms (``--json``) of scores, validation reports and rubrics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lowcarbon.core.messages import Translate, format_points
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ItemResult, ScoreResult
from lowcarbon.core.validation import Range, ValidationReport

__all__ = ["report_to_json", "rubric_to_json", "score_to_json"]


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    text = format_points(value)
    return int(text) if "." not in text else float(text)


def _item(result: ItemResult, lang: str, _: Translate) -> dict[str, Any]:
    return {
        "id": result.item.id,
        "title": result.item.title.get(lang),
        "status": result.status.value,
        "points": _num(result.points),
        "maximum": _num(result.maximum),
        "lost": _num(result.lost),
        "raw": _num(result.raw),
        "citation": result.item.citation,
        "trace": [
            {
                "part": line.part,
                "criterion": line.criterion,
                "text": line.text.get(lang),
                "points": _num(line.points),
                "awarded": line.awarded,
            }
            for line in result.lines
        ],
        "notes": [note.render(_) for note in result.notes],
        "evidence": list(result.evidence),
        "reason": result.reason,
        "comment": result.comment,
    }


def score_to_json(result: ScoreResult, lang: str, _: Translate) -> dict[str, Any]:
    return {
        "rubric": result.rubric_ref,
        "rubric_sha256": result.rubric_hash,
        "unit": result.unit,
        "pools": {
            pool.pool.value: {
                "points": _num(pool.points),
                "maximum": _num(pool.maximum),
                "raw": _num(pool.raw),
                "notes": [n.render(_) for n in pool.notes],
            }
            for pool in result.pools
        },
        "sections": [
            {
                "id": s.section.id,
                "label": s.section.label,
                "title": s.section.title.get(lang),
                "pool": s.section.pool.value,
                "points": _num(s.points),
                "maximum": _num(s.maximum),
                "raw": _num(s.raw),
                "notes": [n.render(_) for n in s.notes],
                "items": [_item(i, lang, _) for i in s.items],
            }
            for s in result.sections
        ],
    }


def _range(value: Range) -> dict[str, Any]:
    return {
        "declared": _num(value.declared),
        "minimum": _num(value.minimum),
        "maximum": _num(value.maximum),
        "effective_maximum": _num(value.effective_maximum),
    }


def report_to_json(report: ValidationReport, _: Translate) -> dict[str, Any]:
    return {
        "rubric": report.rubric_ref,
        "ok": report.ok,
        "findings": [
            {
                "code": f.code,
                "target": f.target,
                "declared": _num(f.declared),
                "computed": _num(f.computed),
                "message": f.message.render(_),
                "decision": f.decision,
                "resolved": f.resolution is not None,
            }
            for f in report.findings
        ],
        "problems": [{"code": p.code, "message": p.message.render(_)} for p in report.problems],
        "items": {key: _range(value) for key, value in report.items.items()},
        "sections": {key: _range(value) for key, value in report.sections.items()},
        "pools": {key.value: _range(value) for key, value in report.pools.items()},
    }


def rubric_to_json(rubric: Rubric, lang: str) -> dict[str, Any]:
    return {
        "rubric": rubric.ref,
        "title": rubric.title.get(lang),
        "source": rubric.source,
        "sha256": rubric.content_hash,
        "sections": [
            {
                "id": s.id,
                "label": s.label,
                "title": s.title.get(lang),
                "pool": s.pool.value,
                "points": _num(s.declared_points),
                "items": [
                    {
                        "id": i.id,
                        "title": i.title.get(lang),
                        "points": _num(i.declared_points),
                        "citation": i.citation,
                        "methods": [m.value for m in i.methods],
                    }
                    for i in s.items
                ],
            }
            for s in rubric.sections
        ],
    }
