"""The selection score beside the acceptance score, item by item and section by section."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..messages import Message, gettext_noop
from ..rubric import Pool
from ..text import LocalText
from .scores import PanelScores

__all__ = ["ItemComparison", "Presence", "ScoreComparison", "SectionComparison", "compare_scores"]

# -- application score against acceptance score -----------------------------------------------


class Presence(StrEnum):
    """Where an item or a section is found when two rubric editions are compared."""

    BOTH = "both"
    APPLICATION_ONLY = "application_only"
    ACCEPTANCE_ONLY = "acceptance_only"


def _change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    return None if before is None or after is None else after - before


@dataclass(frozen=True)
class ItemComparison:
    """One item: the application's points and the acceptance's, each None where the item is not
    in that score's edition; ``change`` is acceptance minus application (None unless both)."""

    id: str
    section: str
    title: LocalText
    application: Decimal | None
    application_maximum: Decimal | None
    acceptance: Decimal | None
    acceptance_maximum: Decimal | None
    presence: Presence

    @property
    def change(self) -> Decimal | None:
        return _change(self.application, self.acceptance)


@dataclass(frozen=True)
class SectionComparison:
    id: str
    label: str
    title: LocalText
    pool: Pool
    application: Decimal | None
    application_maximum: Decimal | None
    acceptance: Decimal | None
    acceptance_maximum: Decimal | None
    presence: Presence
    items: tuple[ItemComparison, ...]

    @property
    def change(self) -> Decimal | None:
        return _change(self.application, self.acceptance)


@dataclass(frozen=True)
class ScoreComparison:
    """The application's score beside the acceptance score, in the acceptance edition's order
    (sections and items only in the application's edition follow, in its order)."""

    application_ref: str
    acceptance_ref: str
    sections: tuple[SectionComparison, ...]
    application_main: Decimal
    acceptance_main: Decimal
    application_bonus: Decimal
    acceptance_bonus: Decimal
    notes: tuple[Message, ...]

    @property
    def same_edition(self) -> bool:
        return self.application_ref == self.acceptance_ref

    @property
    def items(self) -> tuple[ItemComparison, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def main_change(self) -> Decimal:
        return self.acceptance_main - self.application_main

    @property
    def bonus_change(self) -> Decimal:
        return self.acceptance_bonus - self.application_bonus


def _presence(before: object, after: object) -> Presence:
    if before is None:
        return Presence.ACCEPTANCE_ONLY
    return Presence.APPLICATION_ONLY if after is None else Presence.BOTH


def compare_scores(application: PanelScores, acceptance: PanelScores) -> ScoreComparison:
    """Item by item and section by section, matched by id across the two editions."""
    section_ids = [s.id for s in acceptance.sections]
    section_ids += [s.id for s in application.sections if s.id not in section_ids]
    item_ids = [i.id for i in acceptance.items]
    item_ids += [i.id for i in application.items if i.id not in item_ids]
    items: list[ItemComparison] = []
    for item_id in item_ids:
        before, after = application.item(item_id), acceptance.item(item_id)
        shown = after or before
        assert shown is not None  # the id comes from one of the two
        items.append(
            ItemComparison(
                item_id,
                shown.section,
                shown.title,
                before.points if before else None,
                before.maximum if before else None,
                after.points if after else None,
                after.maximum if after else None,
                _presence(before, after),
            )
        )
    sections = []
    for section_id in section_ids:
        old, new = application.section(section_id), acceptance.section(section_id)
        section = new or old
        assert section is not None  # the id comes from one of the two
        sections.append(
            SectionComparison(
                section_id,
                section.label,
                section.title,
                section.pool,
                old.points if old else None,
                old.maximum if old else None,
                new.points if new else None,
                new.maximum if new else None,
                _presence(old, new),
                tuple(i for i in items if i.section == section_id),
            )
        )
    notes = []
    if application.rubric_ref != acceptance.rubric_ref:
        notes.append(
            Message(
                gettext_noop(
                    "the application was scored under {application} and the acceptance under "
                    "{acceptance}: items are matched by id; an item of one edition only has no "
                    "change"
                ),
                {"application": application.rubric_ref, "acceptance": acceptance.rubric_ref},
            )
        )
    only_before = [i.id for i in items if i.presence is Presence.APPLICATION_ONLY]
    only_after = [i.id for i in items if i.presence is Presence.ACCEPTANCE_ONLY]
    if only_before:
        notes.append(
            Message(
                gettext_noop("items only in the application's edition: {items}"),
                {"items": only_before},
            )
        )
    if only_after:
        notes.append(
            Message(
                gettext_noop("items only in the acceptance's edition: {items}"),
                {"items": only_after},
            )
        )
    return ScoreComparison(
        application.rubric_ref,
        acceptance.rubric_ref,
        tuple(sections),
        application.main,
        acceptance.main,
        application.bonus,
        acceptance.bonus,
        tuple(notes),
    )
