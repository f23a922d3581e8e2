"""Loading the plan outlines (附件1 zones, 附件3 communities) from ``data/schemes/``.

A file is read strictly (:func:`~lowcarbon.rules.yamlio.read_yaml`), checked against
``data/schemas/outline.schema.json``, then checked for what a schema cannot say:

* section ids are unique across the outline, element ids across the file (a plan's values are
  keyed by element id, so two elements with one id would share one answer);
* a subsection's id starts with its parent's id and a dot (``3.2`` under ``3``), so an id
  alone tells where a point sits in 附件1/附件3 and reordering cannot go unnoticed;
* a table element has columns and no other kind has any; a table's column ids are unique and a
  column's ``not_before`` names an earlier column of the same type (end year after start year).

Every problem is a :class:`~lowcarbon.rules.errors.DataFileError` naming file, key and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.outline import (
    ColumnType,
    ElementKind,
    Outline,
    OutlineColumn,
    OutlineElement,
    OutlineReference,
    OutlineSection,
    OutlineSource,
)

from .errors import DataFileError
from .paths import data_dir, schema_path
from .text import local_text
from .yamlio import YamlDocument, format_path, load_schema, read_yaml, validate_with_schema

__all__ = ["list_outlines", "load_outline", "load_outline_file"]

OUTLINE_FILE = "outline.yaml"

KeyPath = list[str | int]


def list_outlines() -> list[tuple[str, str]]:
    """``(scheme, edition)`` of every bundled outline, sorted."""
    schemes = data_dir() / "schemes"
    return sorted(
        (path.parent.parent.name, path.parent.name) for path in schemes.glob(f"*/*/{OUTLINE_FILE}")
    )


def load_outline(scheme: str, edition: str) -> Outline:
    """The bundled outline of ``scheme`` (``zone`` or ``community``) and ``edition``."""
    path = data_dir() / "schemes" / scheme / edition / OUTLINE_FILE
    available = list_outlines()
    # Checking against the listing (not just the file's existence) also keeps a scheme such as
    # "../x" from reaching outside data/.
    if (scheme, edition) not in available:
        raise DataFileError(
            path,
            key="",
            code="outline_missing",
            found=f"{scheme}/{edition}",
            expected=Message(
                gettext_noop("one of the bundled outlines: {outlines}"),
                {"outlines": ", ".join(f"{s}/{e}" for s, e in available)},
            ),
        )
    document, outline = _read(path)
    # The folder is the id (STYLE: "the folder path is the id"); a file copied into another
    # scheme's or edition's folder without editing would otherwise load under the wrong name.
    for key, folder, declared in (
        ("scheme", scheme, outline.scheme),
        ("edition", edition, outline.edition),
    ):
        if declared != folder:
            raise document.error(
                [key],
                Message(
                    gettext_noop("'{folder}', the name of the folder holding the file"),
                    {"folder": folder},
                ),
                declared,
                code="outline_folder_mismatch",
            )
    return outline


def load_outline_file(path: Path) -> Outline:
    """Read, validate and check one outline file."""
    return _read(path)[1]


def _read(path: Path) -> tuple[YamlDocument, Outline]:
    document = read_yaml(path)
    validate_with_schema(document, load_schema(schema_path("outline")))
    data: dict[str, Any] = document.data
    _check_ids(document, data["sections"])
    outline = Outline(
        scheme=str(data["scheme"]),
        edition=str(data["edition"]),
        title=local_text(data["title"]),
        source=OutlineSource(
            document=str(data["source"]["document"]), clause=str(data["source"]["clause"])
        ),
        preamble=local_text(data["preamble"]),
        sections=tuple(_section(raw) for raw in data["sections"]),
    )
    return document, outline


def _check_ids(document: YamlDocument, sections: list[dict[str, Any]]) -> None:
    """Unique section ids, unique element ids, subsection ids under their parent's id."""
    section_ids: dict[str, KeyPath] = {}
    element_ids: dict[str, KeyPath] = {}

    def visit(raw: dict[str, Any], path: KeyPath, parent_id: str | None) -> None:
        section_id = str(raw["id"])
        if parent_id is not None and not section_id.startswith(f"{parent_id}."):
            raise document.error(
                [*path, "id"],
                Message(
                    gettext_noop(
                        "an id that starts with '{prefix}' (its parent section's id and a dot)"
                    ),
                    {"prefix": f"{parent_id}."},
                ),
                section_id,
                code="outline_section_id_parent",
            )
        _claim(document, section_ids, section_id, [*path, "id"], "section")
        for index, element in enumerate(raw.get("elements", [])):
            _claim(
                document,
                element_ids,
                str(element["id"]),
                [*path, "elements", index, "id"],
                "element",
            )
            _check_columns(document, element, [*path, "elements", index])
        for index, child in enumerate(raw.get("children", [])):
            visit(child, [*path, "children", index], section_id)

    for index, raw in enumerate(sections):
        visit(raw, ["sections", index], None)


def _check_columns(document: YamlDocument, element: dict[str, Any], path: KeyPath) -> None:
    """Columns on tables only (and on every table); unique ids; ``not_before`` well aimed."""
    columns: list[dict[str, Any]] = element.get("columns", [])
    is_table = element["kind"] == ElementKind.TABLE
    if is_table and not columns:
        raise document.error(
            path,
            Message(gettext_noop("a table element with the key columns")),
            None,
            code="outline_table_without_columns",
        )
    if not is_table and columns:
        raise document.error(
            [*path, "columns"],
            Message(gettext_noop("no columns: only elements of kind table have them")),
            element["kind"],
            code="outline_columns_on_non_table",
        )
    seen: dict[str, KeyPath] = {}
    types: dict[str, str] = {}
    for index, column in enumerate(columns):
        column_path: KeyPath = [*path, "columns", index]
        column_id = str(column["id"])
        _claim(document, seen, column_id, [*column_path, "id"], "column")
        earlier = column.get("not_before")
        if earlier is not None and types.get(str(earlier)) != column["type"]:
            raise document.error(
                [*column_path, "not_before"],
                Message(
                    gettext_noop(
                        "the id of an earlier column of type {type} in the same table "
                        "(earlier columns: {columns})"
                    ),
                    {"type": column["type"], "columns": ", ".join(types) or "none"},
                ),
                earlier,
                code="outline_column_not_before",
            )
        types[column_id] = str(column["type"])


def _claim(
    document: YamlDocument, seen: dict[str, KeyPath], value: str, path: KeyPath, what: str
) -> None:
    if value in seen:
        raise document.error(
            path,
            Message(
                gettext_noop("an id no other {what} of the outline uses (already at {first})"),
                {"what": what, "first": format_path(seen[value])},
            ),
            value,
            code=f"outline_duplicate_{what}_id",
        )
    seen[value] = path


def _section(raw: dict[str, Any]) -> OutlineSection:
    guidance = raw.get("guidance")
    return OutlineSection(
        id=str(raw["id"]),
        label=str(raw["label"]),
        title=local_text(raw["title"]),
        guidance=local_text(guidance) if guidance is not None else None,
        citation=str(raw["citation"]),
        elements=tuple(_element(element) for element in raw.get("elements", [])),
        children=tuple(_section(child) for child in raw.get("children", [])),
        references=tuple(
            OutlineReference(
                document=str(ref["document"]),
                issuer=str(ref.get("issuer", "")),
                citation=str(ref["citation"]),
            )
            for ref in raw.get("references", [])
        ),
    )


def _element(raw: dict[str, Any]) -> OutlineElement:
    unit = raw.get("unit")
    return OutlineElement(
        id=str(raw["id"]),
        label=local_text(raw["label"]),
        kind=ElementKind(raw["kind"]),
        unit=str(unit) if unit is not None else None,
        required=bool(raw["required"]),
        citation=str(raw["citation"]),
        columns=tuple(_column(column) for column in raw.get("columns", [])),
    )


def _column(raw: dict[str, Any]) -> OutlineColumn:
    unit = raw.get("unit")
    not_before = raw.get("not_before")
    return OutlineColumn(
        id=str(raw["id"]),
        label=local_text(raw["label"]),
        type=ColumnType(raw["type"]),
        unit=str(unit) if unit is not None else None,
        required=bool(raw["required"]),
        citation=str(raw["citation"]),
        not_before=str(not_before) if not_before is not None else None,
    )
