"""Reading a self-evaluation report's input from a data file, every problem naming its place."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop

from .report import (
    ChangeEffect,
    CitedRecord,
    Emissions,
    EvaluationReport,
    ReportIndicator,
    ReportTask,
    ScoreItem,
    ScoreSection,
    StagedTarget,
)


class EvaluationInputError(LowcarbonError):
    """Input of the report that cannot be read; the message names the field, the value found
    and what is expected."""

    code = "evaluation_input"


_HEX = frozenset("0123456789abcdef")
_VALUE_SHOWN = 40  # characters of a wrong value quoted in a message


def _found(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    text = str(value)
    return text if len(text) <= _VALUE_SHOWN else text[:_VALUE_SHOWN] + "…"


class _Reader:
    """Typed values out of the decoded JSON, every problem naming where it is (tasks[2].name)."""

    def __init__(self, data: Mapping[str, Any], where: str = "") -> None:
        self.data = data
        self.where = where

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _wrong(self, key: str, value: object, expected: str) -> EvaluationInputError:
        if value is None and key not in self.data:
            return EvaluationInputError(
                Message(
                    gettext_noop("the field {field} is missing (expected {expected})"),
                    {"field": self._path(key), "expected": Message(expected)},
                )
            )
        return EvaluationInputError(
            Message(
                gettext_noop("the field {field} holds {value}; expected {expected}"),
                {"field": self._path(key), "value": _found(value), "expected": Message(expected)},
            )
        )

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self._wrong(key, value, gettext_noop("a text"))
        return value

    def year(self, key: str, *, required: bool = True) -> int | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            raise self._wrong(key, value, gettext_noop("a year of four digits"))
        return value

    def required_year(self, key: str) -> int:
        found = self.year(key)
        assert found is not None  # required
        return found

    def number(self, key: str, *, required: bool = True) -> Decimal | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise self._wrong(key, value, gettext_noop("a number"))
        try:
            found = Decimal(str(value).strip())
        except InvalidOperation:
            raise self._wrong(key, value, gettext_noop("a number")) from None
        if not found.is_finite():
            raise self._wrong(key, value, gettext_noop("a number"))
        return found

    def required_number(self, key: str) -> Decimal:
        found = self.number(key)
        assert found is not None  # required
        return found

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self._wrong(key, value, gettext_noop("true or false"))
        return value

    def verdict(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is not None and not isinstance(value, bool):
            raise self._wrong(key, value, gettext_noop("true, false or null (not yet due)"))
        return value

    def day(self, key: str) -> date:
        value = self.data.get(key)
        try:
            if not isinstance(value, str):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise self._wrong(key, value, gettext_noop("a date written YYYY-MM-DD")) from None

    def percent(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise self._wrong(key, value, gettext_noop("a whole number from 0 to 100"))
        return value

    def choice(self, key: str, choices: Mapping[str, str]) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or value not in choices:
            raise self._wrong(key, value, choices[""])
        return value

    def sha256(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or len(value) != 64 or not set(value.lower()) <= _HEX:
            raise self._wrong(key, value, gettext_noop("a SHA-256 of 64 hexadecimal digits"))
        return value.lower()

    def objects(self, key: str) -> list[_Reader]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, value, gettext_noop("a list"))
        found = []
        for index, entry in enumerate(value):
            where = f"{self._path(key)}[{index}]"
            if not isinstance(entry, dict):
                raise EvaluationInputError(
                    Message(
                        gettext_noop("the field {field} holds {value}; expected {expected}"),
                        {
                            "field": where,
                            "value": _found(entry),
                            "expected": Message(gettext_noop("an object")),
                        },
                    )
                )
            found.append(_Reader(entry, where))
        return found

    def codes(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise self._wrong(key, value, gettext_noop("a list of record codes"))
        return list(value)

    def object(self, key: str) -> _Reader | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._wrong(key, value, gettext_noop("an object"))
        return _Reader(value, self._path(key))


_KINDS = {"": gettext_noop("community or zone"), "community": "", "zone": ""}
_STAGES = {"": gettext_noop("midterm or final"), "midterm": "", "final": ""}


def _record(entry: _Reader) -> CitedRecord:
    day = entry.day("date")
    return CitedRecord(
        code=entry.text("code"),
        title=entry.text("title"),
        category=entry.text("category", required=False),
        date=day,
        sha256=entry.sha256("sha256"),
    )


def _task(entry: _Reader) -> ReportTask:
    return ReportTask(
        code=entry.text("code"),
        name=entry.text("name"),
        domain=entry.text("domain", required=False),
        responsible=entry.text("responsible", required=False),
        start_year=entry.year("start_year", required=False),
        end_year=entry.year("end_year", required=False),
        key_project=entry.flag("key_project"),
        near_zero=entry.flag("near_zero"),
        planned_tco2e=entry.number("planned_tco2e", required=False),
        status=entry.text("status"),
        percent_done=entry.percent("percent_done"),
        achieved_tco2e=entry.number("achieved_tco2e", required=False),
        note=entry.text("note", required=False),
    )


def _indicator(entry: _Reader) -> ReportIndicator:
    return ReportIndicator(
        name=entry.text("name"),
        unit=entry.text("unit", required=False),
        base_value=entry.number("base_value", required=False),
        current_value=entry.number("current_value", required=False),
        targets=tuple(
            StagedTarget(
                year=target.required_year("year"),
                value=target.required_number("value"),
                met=target.verdict("met"),
            )
            for target in entry.objects("targets")
        ),
        like_for_like_value=entry.number("like_for_like_value", required=False),
    )


def _item(entry: _Reader, records: Mapping[str, CitedRecord]) -> ScoreItem:
    cited = []
    for code in entry.codes("records"):
        if code not in records:
            raise EvaluationInputError(
                Message(
                    gettext_noop(
                        "the field {field} cites the record {code}, which is not in the list "
                        "of records (records)"
                    ),
                    {"field": f"{entry.where}.records", "code": code},
                )
            )
        cited.append(records[code])
    return ScoreItem(
        item_id=entry.text("item_id"),
        title=entry.text("title"),
        max_points=entry.required_number("max_points"),
        self_points=entry.number("self_points", required=False),
        statement=entry.text("statement", required=False),
        records=tuple(cited),
    )


def evaluation_report_from_data(data: object) -> EvaluationReport:
    """The report's input from decoded JSON (the field names of :class:`EvaluationReport`;
    ``records`` lists the archive records, which the score items cite by code); an
    :class:`EvaluationInputError` names the first field that cannot be read."""
    if not isinstance(data, dict):
        raise EvaluationInputError(
            Message(
                gettext_noop("the input holds {value}; expected {expected}"),
                {"value": _found(data), "expected": Message(gettext_noop("an object"))},
            )
        )
    top = _Reader(data)
    records = {record.code: record for record in map(_record, top.objects("records"))}
    emissions = top.object("emissions")
    kind = top.choice("kind", _KINDS)
    stage = top.choice("stage", _STAGES)
    return EvaluationReport(
        unit_name=top.text("unit_name"),
        district=top.text("district", required=False),
        kind="zone" if kind == "zone" else "community",
        stage="midterm" if stage == "midterm" else "final",
        batch_year=top.required_year("batch_year"),
        period_start=top.required_year("period_start"),
        period_end=top.required_year("period_end"),
        report_date=top.day("report_date"),
        rubric=top.text("rubric"),
        base_year=top.required_year("base_year"),
        current_year=top.required_year("current_year"),
        base_factor_set=top.text("base_factor_set"),
        current_factor_set=top.text("current_factor_set"),
        tasks=tuple(_task(entry) for entry in top.objects("tasks")),
        indicators=tuple(_indicator(entry) for entry in top.objects("indicators")),
        emissions=None
        if emissions is None
        else Emissions(
            base_tco2e=emissions.required_number("base_tco2e"),
            current_tco2e=emissions.required_number("current_tco2e"),
            like_for_like_tco2e=emissions.number("like_for_like_tco2e", required=False),
        ),
        effects=tuple(
            ChangeEffect(entry.text("name"), entry.required_number("tco2e"))
            for entry in top.objects("effects")
        ),
        score=tuple(
            ScoreSection(
                section.text("title"),
                tuple(_item(entry, records) for entry in section.objects("items")),
            )
            for section in top.objects("score")
        ),
        summary=top.text("summary", required=False),
        achievements=top.text("achievements", required=False),
        problems=top.text("problems", required=False),
        next_steps=top.text("next_steps", required=False),
        evidence=tuple(records.values()),
    )
