"""Loads the low-carbon household selection's rules: ``data/households/selection_rules.yaml``.

The schema (``data/schemas/household_selection.schema.json``) checks the form; this module checks
what the schema leaves open: month counts from 1 to 12, the median switch 0 or 1, and an average
over at least 3 households (with 2, a household's own figures and the average give the other's).
Every problem is a :class:`~lowcarbon.rules.errors.DataFileError` naming file, key path, line,
the value found and what is expected.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lowcarbon.core.household_selection import SelectionRules, SetBy, Threshold
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.text import LocalText

from .paths import data_dir, schema_path
from .yamlio import YamlDocument, load_schema, read_yaml, validate_with_schema

__all__ = ["load_selection_rules", "selection_rules_path"]

# Criterion: (lowest, highest) the value may take beyond the schema's 0..100.
_BOUNDS = {
    "minimum_months": (1, 12),
    "minimum_previous_months": (1, 12),
    "minimum_reduction_percent": (0, 100),
    "at_or_below_median": (0, 1),
    "minimum_households": (3, 100),
}


def selection_rules_path() -> Path:
    return data_dir() / "households" / "selection_rules.yaml"


def _threshold(document: YamlDocument, name: str) -> Threshold:
    spec = document.data["criteria"][name]
    lowest, highest = _BOUNDS[name]
    value = int(spec["value"])
    if not lowest <= value <= highest:
        raise document.error(
            ("criteria", name, "value"),
            Message(
                gettext_noop("a whole number from {lowest} to {highest}"),
                {"lowest": lowest, "highest": highest},
            ),
            value,
            code="selection_rule_out_of_range",
        )
    return Threshold(Decimal(value), SetBy(spec["set_by"]), str(spec["basis"]).strip())


def load_selection_rules(path: Path | None = None) -> SelectionRules:
    """The rules of ``path`` (default: the bundled edition), checked."""
    document = read_yaml(path if path is not None else selection_rules_path())
    validate_with_schema(document, load_schema(schema_path("household_selection")))
    data = document.data
    return SelectionRules(
        edition=str(data["edition"]),
        title=LocalText(str(data["title"]["zh"]), str(data["title"]["en"])),
        source=str(data["source"]).strip(),
        minimum_months=_threshold(document, "minimum_months"),
        minimum_previous_months=_threshold(document, "minimum_previous_months"),
        minimum_reduction_percent=_threshold(document, "minimum_reduction_percent"),
        at_or_below_median=_threshold(document, "at_or_below_median"),
        minimum_households=_threshold(document, "minimum_households"),
    )
