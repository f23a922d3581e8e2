"""The typed snapshot (format 1) and its canonical codec: exact round trips, every refusal named
by its key path."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest

from lowcarbon.rules.snapshot import (
    EvidenceEntry,
    FrozenScore,
    ItemScore,
    Snapshot,
    SnapshotError,
    TaskRecord,
    as_json_numbers,
    canonical_json,
    read_snapshot,
    snapshot_data,
    snapshot_from_data,
    snapshot_sha256,
)

SHA = "a" * 64


def stored() -> dict[str, Any]:
    """A submission's snapshot as the platform stores it, every part present."""
    return {
        "format": 1,
        "application": {
            "id": 7,
            "kind": "community",
            "round": {"id": 2, "year": 2026},
            "unit": {"id": 3, "name": "示范社区", "district_id": None},
        },
        "number": 2,
        "submitted_at": "2026-03-01T09:30:00.123456+00:00",
        "submitted_by": {"id": 5, "username": "applicant", "name": "张三"},
        "versions": {"sections": 4, "accounting": 2, "answers": 9},
        "editions": {
            "rubric": {"kind": "community", "edition": "2021", "sha256": SHA},
            "outline": {"kind": "community", "edition": "2021", "sha256": SHA},
            "factor_set": {"id": "shanghai-2022", "sha256": SHA},
        },
        "sections": {"area": "3.6", "rows": [{"name": "光伏", "capacity": 12.5}]},
        "accounting": {"factor_set": "shanghai-2022", "records": [{"quantity": 0.1, "n": 3}]},
        "accounting_result": {
            "final": False,
            "factor_set": "shanghai-2022",
            "inventories": [
                {
                    "year": 2023,
                    "final": True,
                    "gross_tco2": "6083.106590",
                    "sinks_tco2": "0",
                    "total_tce": "12.50",
                    "by_scope": {"1": "1.0", "2": "6082.106590"},
                    "by_category": {"electricity": "5236.72800"},
                    "by_sector": {"residential": "100"},
                }
            ],
            "indicators": [
                {
                    "year": 2023,
                    "values": {
                        "per_capita": {"value": "1.25", "unit": "tCO2/person"},
                        "per_gdp": {"value": None, "unit": "tCO2/10k CNY"},
                    },
                }
            ],
            "comparison": {
                "base_year": 2023,
                "year": 2025,
                "decline_rate": "0.0312",
                "per_capita_decline_rate": None,
            },
            "targets": {
                "checks": [
                    {
                        "kind": "per_capita",
                        "year": 2027,
                        "value": "1.1",
                        "reached": None,
                        "met": False,
                        "margin": "-0.05",
                    }
                ],
                "consistency": True,
            },
        },
        "answers": {"1": {"choice": "a", "evidence": ["E01"], "value": 3.25}},
        "score": {
            "rubric": "community/2021",
            "rubric_sha256": SHA,
            "total": "71.5",
            "pools": {"main": {"points": "70", "maximum": "100", "raw": "70.0"}},
            "sections": {"1": {"points": "8", "maximum": "10"}},
            "items": {"1": {"points": "2.5", "maximum": "3", "status": "unanswered"}},
        },
        "evidence": [
            {
                "code": "E01",
                "title": "照片",
                "items": ["1", "4"],
                "original_name": "photo.jpg",
                "content_kind": "image",
                "size": 1024,
                "sha256": SHA,
            }
        ],
        "warnings": [{"code": "draft_inventory", "params": {"year": 2025, "gaps": ["人口"]}}],
    }


def draft() -> dict[str, Any]:
    """A draft's snapshot: no number, nobody who submitted, nothing computed yet."""
    data = stored() | {"number": None, "submitted_at": None, "submitted_by": None}
    return data | {"accounting_result": None, "score": None, "accounting": {}, "evidence": []}


def refusal(data: Any) -> SnapshotError:
    with pytest.raises(SnapshotError) as caught:
        snapshot_from_data(data, source="application.json")
    return caught.value


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [stored, draft])
def test_a_stored_snapshot_reads_back_to_the_same_bytes_and_hash(make: Any) -> None:
    data = make()
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    snapshot = read_snapshot(json.dumps(data, indent=2))
    assert snapshot_data(snapshot) == data
    assert canonical_json(snapshot) == text == canonical_json(data)
    assert snapshot_sha256(snapshot) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert read_snapshot(text.encode("utf-8")) == snapshot


def test_the_typed_snapshot_holds_exact_decimals_and_typed_parts() -> None:
    snapshot = read_snapshot(json.dumps(stored()))
    assert isinstance(snapshot, Snapshot)
    assert snapshot.application.unit.name == "示范社区"
    assert snapshot.submitted_at == datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
    assert snapshot.submitted_by is not None
    assert snapshot.submitted_by.username == "applicant"
    assert snapshot.editions.factor_set.id == "shanghai-2022"
    assert snapshot.score is not None
    assert snapshot.score.items["1"] == ItemScore(Decimal("2.5"), Decimal("3"), "unanswered")
    assert str(snapshot.score.pools["main"].raw) == "70.0"
    result = snapshot.accounting_result
    assert result is not None
    assert result.inventories[0].by_category["electricity"] == Decimal("5236.72800")
    assert result.indicators[0].values["per_gdp"].value is None
    assert result.comparison is not None
    assert result.comparison.per_capita_decline_rate is None
    assert result.targets is not None
    assert result.targets.checks[0].margin == Decimal("-0.05")
    assert snapshot.evidence[0].items == ("1", "4")
    assert snapshot.warnings[0].params == {"year": 2025, "gaps": ["人口"]}
    assert snapshot.accounting["records"] == [{"quantity": 0.1, "n": 3}]


class _Pool(Enum):
    MAIN = "main"


def test_writing_makes_decimals_exact_strings_dates_iso_and_enums_their_value() -> None:
    score = FrozenScore(
        rubric="community/2021",
        rubric_sha256=SHA,
        total=Decimal("1E+2"),
        pools={},
        sections={},
        items={_Pool.MAIN.value: ItemScore(Decimal("0.10"), Decimal("NaN"), "scored")},
    )
    assert snapshot_data(score)["total"] == "100"
    assert snapshot_data(score)["items"]["main"] == {
        "points": "0.10",
        "maximum": "NaN",
        "status": "scored",
    }
    data = {"day": date(2026, 3, 1), "pool": _Pool.MAIN, "pair": (1, True), 3: None}
    assert canonical_json(data) == '{"3":null,"day":"2026-03-01","pair":[1,true],"pool":"main"}'
    entry = EvidenceEntry("E01", "照片", ("1",), "a.jpg", "image", 3, SHA)
    assert canonical_json(entry).startswith('{"code":"E01","content_kind":"image"')


def test_floats_are_written_only_in_the_inputs_kept_as_entered() -> None:
    assert canonical_json({"accounting": {"q": 0.1}}) == '{"accounting":{"q":0.1}}'
    with pytest.raises(TypeError, match=r"score\.total"):
        canonical_json({"score": {"total": 71.5}})
    with pytest.raises(TypeError, match="a float at : "):
        canonical_json(0.5)
    with pytest.raises(TypeError, match=r"float at accounting\.q"):
        canonical_json({"accounting": {"q": float("nan")}})
    with pytest.raises(TypeError, match=r"set at sections\.x is not snapshot data"):
        canonical_json({"sections": {"x": {1}}})
    with pytest.raises(TypeError, match="type at"):
        canonical_json(Snapshot)


# --- refusals ------------------------------------------------------------------------------


def test_an_unknown_key_is_refused_naming_it_and_the_known_ones() -> None:
    data = stored()
    data["score"]["items"]["1"]["comment"] = "x"
    error = refusal(data)
    assert error.key == "score.items.1.comment"
    assert error.key_path == ("score", "items", "1", "comment")
    assert error.found == "comment"
    assert "points, maximum, status" in str(error)
    assert str(error).startswith("application.json: at score.items.1.comment")


def test_a_missing_key_is_refused_naming_its_path() -> None:
    data = stored()
    del data["editions"]["outline"]["sha256"]
    error = refusal(data)
    assert error.key == "editions.outline.sha256"
    assert "missing" in str(error)


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        (("number",), "2", "number"),
        (("number",), True, "number"),
        (("accounting_result", "final"), "yes", "accounting_result.final"),
        (("application", "unit", "name"), 3, "application.unit.name"),
        (("score", "total"), 71.5, "score.total"),
        (("score", "total"), "1E+2", "score.total"),
        (("score", "total"), "12,5", "score.total"),
        (("score", "total"), " 1", "score.total"),
        (("submitted_at",), "2026-03-01 09:30:00+00:00", "submitted_at"),
        (("submitted_at",), "yesterday", "submitted_at"),
        (("submitted_at",), 20260301, "submitted_at"),
        (("evidence",), {"E01": {}}, "evidence"),
        (("score", "items"), [], "score.items"),
        (("sections",), [], "sections"),
        (("warnings", 0, "params", "year"), 2025.0, "warnings[0].params.year"),
        (("sections", "area"), float("inf"), "sections.area"),
        (("answers", "1", "when"), date(2026, 1, 1), "answers.1.when"),
        (("format",), 2, "format"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_its_path(
    path: tuple[Any, ...], value: Any, key: str
) -> None:
    data = copy.deepcopy(stored())
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    error = refusal(data)
    assert error.key == key
    assert error.found == value


def test_data_that_is_not_an_object_is_refused_at_the_top() -> None:
    assert refusal([]).key == "(top level)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "line 1, column 2"),
        ('{"format": 1, "format": 1}', "each key once"),
        ('{"format": NaN}', "no NaN"),
        (b"\xff\xfe{", "UTF-8"),
    ],
)
def test_text_that_is_not_strict_json_is_refused(text: str | bytes, expected: str) -> None:
    with pytest.raises(SnapshotError) as caught:
        read_snapshot(text, source="application.json")
    assert caught.value.key == "(top level)"
    assert expected in str(caught.value)


def test_the_inputs_kept_as_entered_store_decimals_as_json_numbers() -> None:
    data = {"q": Decimal("12.000"), "r": [Decimal("0.1"), (Decimal("2.50"), "x")], 3: None}
    stored_form = as_json_numbers(data)
    assert stored_form == {"q": 12, "r": [0.1, [2.5, "x"]], "3": None}
    assert type(stored_form["q"]) is int
    # And the codec keeps them where format 1 has them, reading back to the same text.
    assert canonical_json({"accounting": stored_form}) == (
        '{"accounting":{"3":null,"q":12,"r":[0.1,[2.5,"x"]]}}'
    )


# --- the task records, a part later snapshots have -------------------------------------------


def task_records() -> list[dict[str, Any]]:
    return [
        {
            "code": "T01",
            "name": "屋顶光伏",
            "domain": "energy",
            "content": "新增屋顶光伏 300 kWp",
            "responsible": "街道城运中心",
            "start_year": 2025,
            "end_year": 2027,
            "budget_10k_yuan": "120.50",
            "key_project": False,
            "near_zero": False,
            "stated_reduction_tco2": None,
        },
        {
            "code": "T02",
            "name": "低碳宣传周",
            "domain": "behaviour",
            "content": "",
            "responsible": "",
            "start_year": 2025,
            "end_year": None,
            "budget_10k_yuan": None,
            "key_project": True,
            "near_zero": True,
            "stated_reduction_tco2": "12.500",
        },
    ]


def test_the_task_records_read_back_typed_to_the_same_bytes_and_hash() -> None:
    data = stored() | {"tasks": task_records()}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    snapshot = read_snapshot(text)
    assert snapshot.tasks == (
        TaskRecord(
            code="T01",
            name="屋顶光伏",
            domain="energy",
            content="新增屋顶光伏 300 kWp",
            responsible="街道城运中心",
            start_year=2025,
            end_year=2027,
            budget_10k_yuan=Decimal("120.50"),
            key_project=False,
            near_zero=False,
            stated_reduction_tco2=None,
        ),
        TaskRecord(
            "T02",
            "低碳宣传周",
            "behaviour",
            "",
            "",
            2025,
            None,
            None,
            True,
            True,
            Decimal("12.500"),
        ),
    )
    assert str(snapshot.tasks[0].budget_10k_yuan) == "120.50"
    assert canonical_json(snapshot) == text
    assert snapshot_sha256(snapshot) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    # No tasks at all is a list, kept as such: not the same as a snapshot written before them.
    empty = read_snapshot(json.dumps(stored() | {"tasks": []}))
    assert empty.tasks == ()
    assert snapshot_data(empty)["tasks"] == []


def test_a_snapshot_written_before_the_task_records_reads_and_writes_back_without_them() -> None:
    data = stored()
    assert "tasks" not in data
    snapshot = snapshot_from_data(data)
    assert snapshot.tasks is None
    assert "tasks" not in snapshot_data(snapshot)
    assert snapshot_sha256(snapshot) == snapshot_sha256(data)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d.update(tasks=None), "tasks"),
        (lambda d: d.update(tasks={"T01": {}}), "tasks"),
        (lambda d: d["tasks"][0].update(budget_10k_yuan="120,5"), "tasks[0].budget_10k_yuan"),
        (lambda d: d["tasks"][0].update(budget_10k_yuan=120.5), "tasks[0].budget_10k_yuan"),
        (lambda d: d["tasks"][1].update(end_year="2027"), "tasks[1].end_year"),
        (lambda d: d["tasks"][1].update(key_project="是"), "tasks[1].key_project"),
        (lambda d: d["tasks"][0].pop("responsible"), "tasks[0].responsible"),
        # The creation stage's progress is not part of the frozen plan.
        (lambda d: d["tasks"][0].update(status="done"), "tasks[0].status"),
    ],
)
def test_a_bad_task_record_is_refused_naming_its_key(change: Any, key: str) -> None:
    data = stored() | {"tasks": task_records()}
    change(data)
    assert refusal(data).key == key


# --- a self-evaluation report's part ---------------------------------------------------------


def evaluation_part() -> dict[str, Any]:
    return {
        "stage": "final",
        "base_submission": 2,
        "report_year": 2026,
        "late": False,
        "outcomes": [
            {
                "code": "T01",
                "status": "done",
                "percent_done": 100,
                "achieved_reduction_tco2": "210.40",
                "note": "并网发电",
            },
            {
                "code": "T02",
                "status": "behind",
                "percent_done": None,
                "achieved_reduction_tco2": None,
                "note": "",
            },
        ],
        "texts": {"summary": "三年来…", "problems": ""},
        "records": [
            {
                "id": 7,
                "category": "activity",
                "title": "低碳市集",
                "date": "2026-05-12",
                "items": ["3", "6"],
                "evidence": ["R7-1", "R7-2"],
            }
        ],
    }


def test_the_evaluation_part_reads_back_typed_to_the_same_bytes_and_hash() -> None:
    data = stored() | {"tasks": task_records(), "evaluation": evaluation_part()}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    snapshot = read_snapshot(text)
    assert snapshot.evaluation is not None
    assert snapshot.evaluation.outcomes[0].achieved_reduction_tco2 == Decimal("210.40")
    assert snapshot.evaluation.records[0].evidence == ("R7-1", "R7-2")
    assert snapshot.evaluation.texts["summary"] == "三年来…"
    assert canonical_json(snapshot) == text
    # An application's own submission has no such part and writes back without it.
    assert "evaluation" not in snapshot_data(snapshot_from_data(stored()))


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d.update(evaluation=None), "evaluation"),
        (lambda d: d["evaluation"].update(report_year="2026"), "evaluation.report_year"),
        (
            lambda d: d["evaluation"]["outcomes"][0].update(achieved_reduction_tco2=210.4),
            "evaluation.outcomes[0].achieved_reduction_tco2",
        ),
        (lambda d: d["evaluation"]["records"][0].pop("date"), "evaluation.records[0].date"),
        (lambda d: d["evaluation"]["texts"].update(summary=3.5), "evaluation.texts.summary"),
    ],
)
def test_a_bad_evaluation_part_is_refused_naming_its_key(change: Any, key: str) -> None:
    data = stored() | {"evaluation": evaluation_part()}
    change(data)
    assert refusal(data).key == key
