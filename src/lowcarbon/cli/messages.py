"""Maintain the translation catalogue: ``python -m lowcarbon.cli.messages [--check]``.

Extracts every message id (``_()``, ``gettext()``, ``gettext_noop()``) from the source and
every ``{% translate %}`` / ``{% blocktranslate %}`` string from the web templates, merges
them into ``locale/zh_Hans/LC_MESSAGES/django.po`` and compiles ``django.mo``. With ``--check``
it changes nothing and fails when a message has no Chinese translation or the compiled catalogue
is out of date — the test suite runs that check.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from lowcarbon.rules.paths import schema_path

__all__ = ["check", "compiled_problems", "extract", "template_messages", "update"]

PACKAGE = Path(__file__).resolve().parent.parent
PO_PATH = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "gettext_noop": None, "gettext_lazy": None}
TEMPLATES = PACKAGE / "web" / "templates"

_TRANSLATE = re.compile(r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)[^%]*%}""")
_BLOCK = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)(?P<options>[^%]*)%}(?P<body>.*?)"
    r"{%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.DOTALL,
)
_VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def _block_id(options: str, body: str) -> str:
    # As django.templatetags.i18n.BlockTranslateNode builds the id: {{ x }} becomes %(x)s,
    # and "trimmed" joins the stripped lines with single spaces.
    if "trimmed" in options.split():
        body = " ".join(line.strip() for line in body.strip().splitlines())
    return _VARIABLE.sub(r"%(\1)s", body.replace("%", "%%"))


_PLURAL = re.compile(r"{%\s*plural\s*%}")

MessageId = str | tuple[str, str]


def _block_message(options: str, body: str) -> MessageId:
    """A blocktranslate's id; ``count`` blocks with ``{% plural %}`` give (singular, plural)."""
    parts = _PLURAL.split(body)
    if len(parts) == 2:
        return (_block_id(options, parts[0]), _block_id(options, parts[1]))
    return _block_id(options, body)


def template_messages(text: str) -> list[tuple[int, MessageId]]:
    """``(line, message id)`` of every translate / blocktranslate tag in a template."""
    found: list[tuple[int, MessageId]] = [
        (m.start(), m.group("text")) for m in _TRANSLATE.finditer(text)
    ]
    found += [(m.start(), _block_message(m["options"], m["body"])) for m in _BLOCK.finditer(text)]
    found.sort(key=lambda pair: pair[0])
    return [(text.count("\n", 0, start) + 1, message) for start, message in found]


def _translated(message: Any) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def _schema_descriptions(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["description"]] if isinstance(node.get("description"), str) else []
        return found + [d for value in node.values() for d in _schema_descriptions(value)]
    if isinstance(node, list):
        return [d for value in node for d in _schema_descriptions(value)]
    return []


def extract() -> Catalog:
    """Every message id used in the package and in the JSON Schemas' descriptions."""
    template = Catalog(project="lowcarbon", fuzzy=False)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(message, locations=[(f"lowcarbon/{filename}", lineno)])
    for template_file in sorted(TEMPLATES.glob("**/*.html")):
        location = f"lowcarbon/{template_file.relative_to(PACKAGE).as_posix()}"
        for lineno, message in template_messages(template_file.read_text("utf-8")):
            template.add(message, locations=[(location, lineno)])
    for schema in sorted(schema_path("x").parent.glob("*.schema.json")):
        for description in _schema_descriptions(json.loads(schema.read_text("utf-8"))):
            template.add(description, locations=[(f"data/schemas/{schema.name}", 0)])
    return template


def _read() -> Catalog:
    if PO_PATH.exists():
        with PO_PATH.open("rb") as handle:
            return read_po(handle, locale="zh_Hans_CN")
    return Catalog(locale="zh_Hans_CN", project="lowcarbon")


def _mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update() -> list[str]:
    """Merge new ids into the .po file, compile the .mo; return ids still untranslated."""
    catalog = _read()
    catalog.update(extract(), no_fuzzy_matching=True)
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    with PO_PATH.open("wb") as handle:
        write_po(
            handle,
            catalog,
            width=100,
            sort_output=True,
            include_previous=False,
            omit_header=False,
            ignore_obsolete=True,
        )
    MO_PATH.write_bytes(_mo_bytes(catalog))
    return [str(m.id) for m in catalog if m.id and not _translated(m)]


def check() -> list[str]:
    """Problems with the catalogue, without changing it."""
    catalog = _read()
    problems = []
    wanted = {m.id for m in extract() if m.id}
    have = {m.id: m for m in catalog if m.id}
    problems += [f"not in django.po: {mid!r}" for mid in sorted(wanted - set(have), key=str)]
    problems += [
        f"untranslated: {mid!r}"
        for mid in sorted(wanted, key=str)
        if mid in have and not _translated(have[mid])
    ]
    problems += [
        f"fuzzy: {mid!r}" for mid in sorted(wanted, key=str) if mid in have and have[mid].fuzzy
    ]
    problems += compiled_problems(catalog, MO_PATH)
    return problems


def _key(message_id: Any) -> MessageId:
    return tuple(message_id) if isinstance(message_id, list | tuple) else message_id


def _translations(catalog: Catalog) -> dict[MessageId, Any]:
    """What a compiled catalogue means: message id → translation, as gettext will look it up.

    Only translated, non-fuzzy messages are compiled (Babel's ``write_mo`` default), and plural
    translations compare as tuples. The header (id "") is metadata, compared separately through
    the plural rule it declares."""
    return {
        _key(message.id): tuple(message.string)
        if isinstance(message.string, list | tuple)
        else message.string
        for message in catalog
        if message.id and _translated(message) and not message.fuzzy
    }


def compiled_problems(catalog: Catalog, mo_path: Path) -> list[str]:
    """Does django.mo hold exactly django.po's translations?

    Compares meanings, never bytes: another Babel release writes the same catalogue with other
    bytes, and that must not fail; a translation changed in the .po only must."""
    stale = "django.mo is not compiled from django.po: run `make messages`"
    if not mo_path.exists():
        return [stale]
    with mo_path.open("rb") as handle:
        compiled = read_mo(handle)
    want, have = _translations(catalog), _translations(compiled)
    differing = sorted(
        (mid for mid in want.keys() | have.keys() if want.get(mid) != have.get(mid)), key=str
    )
    problems = (
        [f"{stale} ({len(differing)} message(s) differ, first {differing[0]!r})"]
        if differing
        else []
    )
    if compiled.plural_forms != catalog.plural_forms:
        problems.append(
            f"{stale} (plural rule {compiled.plural_forms!r}, not {catalog.plural_forms!r})"
        )
    return problems


def main(argv: list[str]) -> int:
    if "--check" in argv:
        problems = check()
        print("\n".join(problems) or "catalogue complete")
        return 1 if problems else 0
    missing = update()
    print(f"{PO_PATH}: {len(missing)} message(s) without a translation")
    for message_id in missing:
        print(f"  {message_id!r}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
