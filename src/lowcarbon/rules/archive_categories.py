"""The categories of a creation unit's records archive (档案), read from
``data/creation/archive_categories.yaml``: checked by its JSON Schema, each category's code
unique within its kind, and every indicator item it names present in the rubric edition the
file names for that kind.

``lowcarbon rubrics validate`` (``make data``) checks the file with the other data; ``python -m
lowcarbon.rules.archive_categories`` checks it alone, printing the categories of each kind, or the
file's first problem and exiting with 1.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.text import LocalText

from .errors import DataFileError
from .paths import data_dir, schema_path
from .schemes import load_rubric
from .text import local_text
from .yamlio import load_schema, read_yaml, validate_with_schema

__all__ = [
    "RECORD_KINDS",
    "ArchiveCategory",
    "KindCategories",
    "categories_of",
    "categories_path",
    "load_categories",
]

#: What a record of a category holds besides its title, date, description and files.
RECORD_KINDS = ("document", "activity", "inspection")


@dataclass(frozen=True)
class ArchiveCategory:
    code: str
    title: LocalText
    items: tuple[str, ...]
    citation: str
    basis: str
    record: str  # one of RECORD_KINDS


@dataclass(frozen=True)
class KindCategories:
    kind: str
    edition: str  # the rubric edition whose items the categories support
    categories: tuple[ArchiveCategory, ...]

    def get(self, code: str) -> ArchiveCategory | None:
        return next((c for c in self.categories if c.code == code), None)


def categories_path() -> Path:
    return data_dir() / "creation" / "archive_categories.yaml"


def load_categories(path: Path | None = None) -> dict[str, KindCategories]:
    """Every kind's categories; a :class:`DataFileError` naming the first problem."""
    document = read_yaml(path or categories_path())
    validate_with_schema(document, load_schema(schema_path("archive_categories")))
    found: dict[str, KindCategories] = {}
    for kind, scheme in document.data["schemes"].items():
        edition = str(scheme["edition"])
        rubric = load_rubric(kind, edition)
        seen: set[str] = set()
        categories = []
        for index, raw in enumerate(scheme["categories"]):
            where: list[str | int] = ["schemes", kind, "categories", index]
            if raw["code"] in seen:
                raise document.error(
                    [*where, "code"],
                    Message(gettext_noop("a category code not used before for this kind")),
                    raw["code"],
                    code="duplicate_category",
                )
            seen.add(raw["code"])
            for number, item in enumerate(raw["items"]):
                if rubric.item(item) is None:
                    raise document.error(
                        [*where, "items", number],
                        Message(
                            gettext_noop("an item of the rubric {rubric}"),
                            {"rubric": f"{kind}/{edition}"},
                        ),
                        item,
                        code="unknown_item",
                    )
            categories.append(
                ArchiveCategory(
                    code=raw["code"],
                    title=local_text(raw["title"]),
                    items=tuple(raw["items"]),
                    citation=raw["citation"],
                    basis=raw.get("basis", ""),
                    record=raw["record"],
                )
            )
        found[kind] = KindCategories(kind, edition, tuple(categories))
    return found


@cache
def _bundled() -> dict[str, KindCategories]:
    return load_categories()


def categories_of(kind: str) -> KindCategories:
    """The bundled categories of ``kind`` (community or zone), read once."""
    return _bundled()[kind]


def main() -> int:
    try:
        found = load_categories()
    except DataFileError as error:
        print(error, file=sys.stderr)
        return 1
    for kind, categories in found.items():
        codes = ", ".join(c.code for c in categories.categories)
        print(f"{kind} ({categories.edition}): {len(categories.categories)} categories: {codes}")
    return 0


if __name__ == "__main__":  # pragma: no cover - the command line
    sys.exit(main())
