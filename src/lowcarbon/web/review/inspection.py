"""The panel's site inspection (现场检查 / 交流访谈, issue 5 §6): which items it covers, what to
check for each, and how photos are checked (the audited actions that record findings and photos
are :mod:`lowcarbon.web.review.actions.inspection`).

附件4 names an evaluation method (评价方法) for every item; the items whose methods include 现场检查
or 交流访谈 are checked on the panel's visit. What to check is the item's official criteria,
beside what the applicant claimed for it in the frozen submission. Findings and photos are the
panel's evidence: they are stored with the inspection and shown to the panel's experts beside
the item; the applicant's snapshot never changes.

Photos are accepted by their content (JPEG or PNG, decoded once to be sure), never by their
name, up to ``settings.LOWCARBON_UPLOAD_MAX_BYTES`` and ``PHOTO_MAX_PIXELS``: the dimensions a
file declares are read from its header before any decoder sees it, so that a few kilobytes
declaring 60 000 × 60 000 pixels (14 GB decoded, in the server or an expert's browser) are
refused as what they are.
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from lowcarbon.core.messages import format_points
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    Item,
    JudgementRule,
    LevelsRule,
    Method,
    PerUnitRule,
    Rubric,
    Rule,
)
from lowcarbon.web import permissions
from lowcarbon.web.applications.evidence import EvidenceRejected, content_kind, kind_name
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.review.models import (
    Inspection,
    Panel,
)

__all__ = [
    "INSPECTION_METHODS",
    "PHOTO_LIMIT",
    "PHOTO_MAX_PIXELS",
    "PHOTO_MAX_SIDE",
    "CheckedPhoto",
    "Photo",
    "UploadedPhoto",
    "check_photo",
    "criteria_texts",
    "declared_size",
    "inspection_items",
    "inspection_of",
    "item_inspection",
    "panel_submission",
    "self_claim",
]

# 附件4 评价方法: the methods that need the panel on site.
INSPECTION_METHODS = frozenset({Method.SITE_INSPECTION, Method.INTERVIEW})
PHOTO_LIMIT = 10  # photos in one upload; an item may collect more over several
#: The largest photo: 64 megapixels (a phone's 48 MP mode is 8 000 × 6 000; its usual photo
#: 12 MP), each side at most 20 000 pixels. Pillow's own bomb check starts at 89 MP.
PHOTO_MAX_PIXELS = 64_000_000
PHOTO_MAX_SIDE = 20_000
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
# JPEG start-of-frame markers (ITU T.81 B.1.1.3): every SOFn but DHT (C4), JPG (C8), DAC (CC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})


def inspection_items(rubric: Rubric) -> list[Item]:
    """The items of the rubric the panel checks on site or by interview, in rubric order."""
    return [item for item in rubric.items() if INSPECTION_METHODS & set(item.methods)]


def _rule_texts(rule: Rule, prefix: str = "") -> list[str]:
    if isinstance(rule, LevelsRule):
        return [prefix + local(option.text) for option in rule.options]
    if isinstance(rule, ChecklistRule):
        texts = [prefix + local(criterion.text) for criterion in rule.criteria]
        if rule.deduction is not None:
            texts.append(prefix + local(rule.deduction.text))
        return texts
    if isinstance(rule, CountTiersRule):
        return [prefix + local(tier.text) for tier in rule.tiers]
    if isinstance(rule, PerUnitRule | JudgementRule):
        return [prefix + local(rule.text)]
    assert isinstance(rule, CompositeRule)
    return [
        text
        for part in rule.parts
        for text in _rule_texts(part.rule, prefix=f"{local(part.title)}：")
    ]


def criteria_texts(item: Item) -> list[str]:
    """What to check: the item's official criteria (and its constraint) as published."""
    texts = _rule_texts(item.rule)
    if item.constraint is not None:
        texts.append(local(item.constraint.text))
    return texts


def panel_submission(panel: Panel, application: Application) -> Submission | None:
    """The submission the panel scores for ``application`` (that of its assignments)."""
    assignment = (
        panel.assignments.filter(application=application)
        .order_by("pk")
        .select_related("submission", "submission__application")
        .first()
    )
    return assignment.submission if assignment is not None else None


def inspection_of(panel: Panel, application: Application) -> Inspection | None:
    return Inspection.objects.filter(panel=panel, application=application).first()


@dataclass(frozen=True)
class Photo:
    pk: int
    caption: str
    name: str
    by: str
    at: Any
    can_remove: bool


def item_inspection(inspection: Inspection | None, user: Any = None) -> dict[str, dict[str, Any]]:
    """Per item id: the finding (or None) and the photos kept (removed ones left out)."""
    result: dict[str, dict[str, Any]] = {}
    if inspection is None:
        return result
    for finding in inspection.findings.select_related("recorded_by"):
        result.setdefault(finding.item_id, {"finding": None, "photos": []})["finding"] = finding
    recording = user is not None and permissions.can_record_inspection(
        user, inspection.panel, inspection.application
    )
    for photo in inspection.photos.filter(removed_at__isnull=True).select_related("uploaded_by"):
        result.setdefault(photo.item_id, {"finding": None, "photos": []})["photos"].append(
            Photo(
                pk=photo.pk,
                caption=photo.caption,
                name=photo.original_name,
                by=photo.uploaded_by.get_full_name() or photo.uploaded_by.get_username(),
                at=photo.uploaded_at,
                can_remove=recording
                and (photo.uploaded_by_id == user.pk or permissions.can_manage_review(user)),
            )
        )
    return result


# --- photos ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedPhoto:
    """An upload as the view read it: the name it came with and its bytes (at most the limit
    plus one chunk; the size found tells whether it was larger)."""

    name: str
    content: bytes
    size: int


@dataclass(frozen=True)
class CheckedPhoto:
    name: str
    content: bytes
    kind: str
    sha256: str
    width: int
    height: int


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _other_picture(content: bytes) -> str | None:
    """What a picture in a format other than JPEG or PNG is, for the refusal to name it (a
    phone's HEIC in particular, the iPhone's default)."""
    if content.startswith((b"GIF87a", b"GIF89a")):
        return _("a GIF image")
    if content[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc", b"ftypavif"):
        return _(
            "a HEIC/HEIF photo (the iPhone's default format; choose “Most Compatible” in the "
            "camera settings or convert it)"
        )
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return _("a WebP image")
    if content.startswith(b"BM"):
        return _("a BMP image")
    if content.startswith((b"II*\x00", b"MM\x00*")):
        return _("a TIFF image")
    return None


def declared_size(content: bytes, kind: str) -> tuple[int, int] | None:
    """The width and height a PNG's IHDR or a JPEG's first start-of-frame declares, read
    without decoding; None when the header cannot be found."""
    if kind == "png":
        if content[12:16] != b"IHDR" or len(content) < 24:
            return None
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    at = 2
    while at + 4 <= len(content):
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _STANDALONE:
            at += 2
            continue
        if marker in _SOF:
            if at + 9 > len(content):
                return None
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return int(width), int(height)
        at += 2 + int.from_bytes(content[at + 2 : at + 4], "big")
    return None


def _too_many_pixels(name: str, width: int, height: int) -> ValueError:
    return ValueError(
        _(
            "Photo “{name}” is {width} × {height} pixels; at most {limit} megapixels and "
            "{side} pixels a side are accepted (a phone photo has 12 to 50 megapixels)."
        ).format(
            name=name,
            width=width,
            height=height,
            limit=PHOTO_MAX_PIXELS // 1_000_000,
            side=PHOTO_MAX_SIDE,
        )
    )


def _within_limits(size: tuple[int, int]) -> bool:
    width, height = size
    return width * height <= PHOTO_MAX_PIXELS and max(width, height) <= PHOTO_MAX_SIDE


def check_photo(photo: UploadedPhoto) -> CheckedPhoto:
    """A JPEG or PNG photo within the size limit, by content; ``ValueError`` with the message."""
    limit = int(settings.LOWCARBON_UPLOAD_MAX_BYTES)
    if photo.size > limit:
        raise ValueError(
            _("Photo “{name}” is {size}, larger than the limit of {limit}.").format(
                name=photo.name, size=_megabytes(photo.size), limit=_megabytes(limit)
            )
        )
    content = photo.content
    if not content:
        raise ValueError(_("Photo “{name}” is empty.").format(name=photo.name))
    if content.startswith(_JPEG):
        kind = "jpeg"
    elif content.startswith(_PNG):
        kind = "png"
    else:
        found = _other_picture(content)
        if found is None:
            try:
                found = kind_name(content_kind(content))
            except EvidenceRejected:
                found = _("a file of another type")
        raise ValueError(
            _("“{name}” is {found}; only JPEG or PNG photos are accepted.").format(
                name=photo.name, found=found
            )
        )
    declared = declared_size(content, kind)
    if declared is not None and not _within_limits(declared):
        raise _too_many_pixels(photo.name, *declared)
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            image.verify()  # checks the chunks' checksums; decodes no pixels
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow found more pixels than the header read here declared (89 MP and more).
        raise ValueError(
            _(
                "Photo “{name}” has more pixels than {limit} megapixels; a phone photo has "
                "12 to 50 megapixels."
            ).format(name=photo.name, limit=PHOTO_MAX_PIXELS // 1_000_000)
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValueError(
            _("“{name}” starts like a {kind} but cannot be read as a picture (damaged?).").format(
                name=photo.name, kind=kind_name(kind)
            )
        ) from None
    if not _within_limits((width, height)):
        raise _too_many_pixels(photo.name, width, height)
    return CheckedPhoto(
        photo.name, content, kind, hashlib.sha256(content).hexdigest(), int(width), int(height)
    )


def self_claim(submission: Submission, item_id: str) -> Mapping[str, Any]:
    """What the applicant claimed for the item in the frozen submission."""
    snapshot = frozen_snapshot(submission)
    answer = snapshot.answers.get(item_id) or {}  # an item not answered has no entry
    claimed = None if snapshot.score is None else snapshot.score.items.get(item_id)
    return {
        "points": "—" if claimed is None else format_points(claimed.points),
        "reason": str(answer.get("reason") or ""),
        "comment": str(answer.get("comment") or ""),
        "evidence": list(answer.get("evidence") or []),
    }
