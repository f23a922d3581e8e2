"""Narrative text of the plan: rich text from the editor, sanitised; plain text kept as typed.

The editor (``static/lowcarbon/richtext.js``) sends HTML; without JavaScript the same textarea
sends plain text. A stored narrative is therefore either plain text (no tags) or HTML that
went through :func:`sanitise`, which always starts with a block tag. Whatever is stored, the
page shows it through :func:`to_html`, which sanitises again: nothing a person typed reaches a
page unescaped.

Allowed: paragraphs, line breaks, bold, italic, headings h3/h4, bullet and numbered lists and
simple tables (colspan/rowspan only). No links, images, styles, classes or scripts: a plan is
printed to Word and read by officials; nothing in it needs to point elsewhere or run.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["Html", "is_html", "sanitise", "to_html", "to_plain_text"]

TAGS = {
    "p", "br", "strong", "em", "h3", "h4", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td",
    # What browsers' editing commands produce; renamed below to the tags above.
    "b", "i", "div",
}  # fmt: skip
ATTRIBUTES = {"th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
_RENAMES = (("b", "strong"), ("i", "em"), ("div", "p"))
_BLOCK_START = re.compile(r"^<(p|h3|h4|ul|ol|table)[\s>]")
_TAG = re.compile(r"<[a-zA-Z/!]")


class Html(str):
    """Text that the editor sent as HTML (as opposed to plain text from a bare textarea)."""


def is_html(value: str) -> bool:
    return bool(_TAG.search(value))


def sanitise(html: str) -> str:
    """``html`` reduced to the allowlist, starting with a block tag; ``""`` if nothing is left."""
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=set(),
        strip_comments=True,
        link_rel=None,
    )
    for old, new in _RENAMES:
        cleaned = re.sub(rf"<(/?){old}>", rf"<\g<1>{new}>", cleaned)
    cleaned = re.sub(r"<p>(\s|<br>|&nbsp;)*</p>", "", cleaned).strip()
    if not re.sub(r"<[^>]*>|&nbsp;|\s", "", cleaned):
        return ""
    if not _BLOCK_START.match(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def plain_to_html(text: str) -> str:
    """Plain text as paragraphs (blank lines) and line breaks, escaped."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return "".join(
        "<p>" + escape(block).replace("\n", "<br>") + "</p>" for block in blocks if block
    )


def to_html(value: str) -> SafeString:
    """A stored narrative as safe HTML for a page."""
    # Sanitised output only: stored HTML is cleaned again, plain text is escaped.
    return mark_safe(sanitise(value) if is_html(value) else plain_to_html(value))


def to_plain_text(value: str) -> str:
    """A stored narrative without markup (blocks on their own lines), for plain-text outputs."""
    if not is_html(value):
        return value
    text = re.sub(r"<br>", "\n", sanitise(value))
    text = re.sub(r"</(p|h3|h4|li|tr)>", "\n", text)
    text = re.sub(r"<[^>]*>", "", text)
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
        .strip()
    )
