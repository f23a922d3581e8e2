"""The errors of the inventory: records that cannot be accounted as given (another year, a
negative quantity, green power the set or the year does not allow, an unknown sink type),
and how messages name a record.
"""

from __future__ import annotations

from ..activity import CATEGORY_NAMES, SECTOR_NAMES, ActivityRecord
from ..errors import LowcarbonError
from ..factors import FactorSet, ResolvedFactor
from ..messages import Message, gettext_noop
from .categories import SINK_LABELS

__all__ = [
    "DuplicateRecordError",
    "FactorSetYearError",
    "GreenElectricityNotCoveredError",
    "GreenPowerRuleNotInForceError",
    "InvalidQuantityError",
    "InventoryError",
    "RecordYearError",
    "UnknownSinkTypeError",
    "describe_record",
]


def describe_record(index: int, record: ActivityRecord) -> Message:
    """How messages name a record: its 1-based number (and where it was read, when known),
    category, sector, quantity and label."""
    template = (
        gettext_noop(
            "record {number} at {origin} ({category}, {sector}, {quantity} {unit}, '{label}')"
        )
        if record.origin
        else gettext_noop("record {number} ({category}, {sector}, {quantity} {unit}, '{label}')")
    )
    return Message(
        template,
        {
            "origin": record.origin,
            "number": index + 1,
            "category": Message(CATEGORY_NAMES[record.category]),
            "sector": Message(SECTOR_NAMES[record.sector]),
            "quantity": record.quantity,
            "unit": record.unit,
            "label": record.label,
        },
    )


class InventoryError(LowcarbonError):
    """The records cannot be accounted as given; never answered with 0."""

    code = "inventory"


class RecordYearError(InventoryError):
    code = "inventory_record_year"

    def __init__(self, index: int, record: ActivityRecord, year: int) -> None:
        self.index = index
        super().__init__(
            Message(
                gettext_noop(
                    "{record} is for {record_year}, not for the inventory year {year}; "
                    "account each year separately"
                ),
                {
                    "record": describe_record(index, record),
                    "record_year": record.year,
                    "year": year,
                },
            )
        )


class DuplicateRecordError(InventoryError):
    """The same source, label and quantity twice in one year: one record entered twice."""

    code = "inventory_duplicate_record"

    def __init__(
        self, first: int, first_record: ActivityRecord, second: int, second_record: ActivityRecord
    ) -> None:
        self.index = second
        self.first_index = first
        super().__init__(
            Message(
                gettext_noop(
                    "{second} repeats {first}: the same year, category, sector, label and "
                    "quantity would be counted twice; remove one, or give each its own label if "
                    "they are two different sources"
                ),
                {
                    "first": describe_record(first, first_record),
                    "second": describe_record(second, second_record),
                },
            )
        )


class FactorSetYearError(InventoryError):
    code = "inventory_set_year"

    def __init__(self, factor_set: FactorSet, year: int) -> None:
        self.set_id = factor_set.id
        self.year = year
        super().__init__(
            Message(
                gettext_noop(
                    "factor set '{set_id}' is valid from {valid_from} to {valid_to}, which "
                    "does not cover every day of {year}; choose a set valid for the whole year"
                ),
                {
                    "set_id": factor_set.id,
                    "valid_from": factor_set.valid_from.isoformat(),
                    "valid_to": (
                        factor_set.valid_to.isoformat()
                        if factor_set.valid_to
                        else Message(gettext_noop("now"))
                    ),
                    "year": year,
                },
            )
        )


class InvalidQuantityError(InventoryError):
    code = "inventory_quantity"

    def __init__(self, index: int, record: ActivityRecord) -> None:
        self.index = index
        super().__init__(
            Message(
                gettext_noop(
                    "{record}: the quantity must be a finite number of at least 0, not {quantity}"
                ),
                {"record": describe_record(index, record), "quantity": str(record.quantity)},
            )
        )


class GreenElectricityNotCoveredError(InventoryError):
    code = "inventory_green_not_covered"

    def __init__(self, index: int, record: ActivityRecord, set_id: str, sets: list[str]) -> None:
        self.index = index
        self.set_id = set_id
        self.sets_with_green = tuple(sets)
        super().__init__(
            Message(
                gettext_noop(
                    "{record}: factor set '{set_id}' has no green-power factor; account "
                    "qualifying green power (沪环气候〔2023〕89号) with a set that has one "
                    "({sets}), or enter it as electricity"
                ),
                {
                    "record": describe_record(index, record),
                    "set_id": set_id,
                    "sets": sets or Message(gettext_noop("none in the library")),
                },
            )
        )


class GreenPowerRuleNotInForceError(InventoryError):
    code = "inventory_green_before_rule"

    def __init__(self, index: int, record: ActivityRecord, factor: ResolvedFactor) -> None:
        self.index = index
        super().__init__(
            Message(
                gettext_noop(
                    "{record}: the green-power factor {source_id} applies from {valid_from}; "
                    "green power of {year} does not qualify and is electricity"
                ),
                {
                    "record": describe_record(index, record),
                    "source_id": factor.source_id,
                    "valid_from": factor.valid_from.isoformat(),
                    "year": record.year,
                },
            )
        )


class UnknownSinkTypeError(InventoryError):
    code = "inventory_sink_type"

    def __init__(self, index: int, record: ActivityRecord) -> None:
        self.index = index
        super().__init__(
            Message(
                gettext_noop(
                    "{record}: '{label}' names no sink factor; the label of a {category} "
                    "record must be one of: {accepted} (no verified rate exists for lawns, "
                    "shrubs or single species, accounting-method.md §5.9)"
                ),
                {
                    "record": describe_record(index, record),
                    "label": record.label,
                    "category": record.category.value,
                    "accepted": list(SINK_LABELS[record.category]),
                },
            )
        )
