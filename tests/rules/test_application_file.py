"""Reading an exported application back: what it holds, and every refusal with its key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from lowcarbon.rules.application_file import load_application_file
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.snapshot import snapshot_sha256

from ..application_export import example_export, write_export


def load(tmp_path: Path, data: dict[str, Any]) -> Any:
    return load_application_file(write_export(tmp_path / "application.json", data))


def refusal(tmp_path: Path, data: dict[str, Any]) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        load(tmp_path, data)
    return caught.value


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_an_export_reads_back_with_its_editions(tmp_path: Path, kind: str) -> None:
    data = example_export(kind)
    exported = load(tmp_path, data)
    assert exported.kind == kind
    assert exported.round_year == 2026
    assert exported.submission_number == 1
    assert exported.outline.scheme == kind
    assert exported.rubric.ref == f"{kind}/2021"
    assert exported.accounting is not None
    assert exported.accounting.factor_set == data["editions"]["factor_set"]["id"]
    assert exported.sections["area"] == "3.6"
    assert len(exported.snapshot_sha256) == 64


def test_the_hash_changes_with_the_content(tmp_path: Path) -> None:
    first = load(tmp_path, example_export("zone")).snapshot_sha256
    second = load(tmp_path, example_export("zone", sections={"area": "3.7"})).snapshot_sha256
    assert first != second


def test_without_baseline_data_there_is_no_accounting(tmp_path: Path) -> None:
    assert load(tmp_path, example_export("community", accounting={})).accounting is None


def test_a_missing_key_is_named_with_its_line(tmp_path: Path) -> None:
    data = example_export("zone")
    del data["editions"]["rubric"]
    error = refusal(tmp_path, data)
    assert error.key == "editions"
    assert error.line is not None
    assert "rubric" in str(error)


@pytest.mark.parametrize(
    ("part", "key"),
    [("rubric", "editions.rubric.sha256"), ("outline", "editions.outline.sha256")],
)
def test_an_edition_with_other_content_is_refused(tmp_path: Path, part: str, key: str) -> None:
    data = example_export("zone")
    data["editions"][part]["sha256"] = "0" * 64
    error = refusal(tmp_path, data)
    assert error.key == key
    assert error.code == "edition_changed"
    assert error.found == "0" * 12


def test_a_factor_set_with_other_content_is_refused(tmp_path: Path) -> None:
    data = example_export("zone")
    data["editions"]["factor_set"]["sha256"] = "f" * 64
    assert refusal(tmp_path, data).key == "editions.factor_set.sha256"


def test_an_unknown_factor_set_names_the_known_ones(tmp_path: Path) -> None:
    data = example_export("zone")
    data["editions"]["factor_set"]["id"] = "beijing-2030"
    error = refusal(tmp_path, data)
    assert error.code == "factor_set_unknown"
    assert "shanghai-2022" in str(error)


def test_an_edition_of_another_kind_is_refused(tmp_path: Path) -> None:
    data = example_export("zone")
    data["editions"]["outline"]["kind"] = "community"
    error = refusal(tmp_path, data)
    assert error.key == "editions.outline.kind"
    assert error.code == "edition_kind"


def test_an_edition_not_bundled_is_refused(tmp_path: Path) -> None:
    data = example_export("zone")
    data["editions"]["rubric"]["edition"] = "1999"
    assert refusal(tmp_path, data).code == "edition_unknown"


def test_broken_baseline_data_is_named_under_accounting(tmp_path: Path) -> None:
    data = example_export("zone")
    broken = copy.deepcopy(data["accounting"])
    broken["records"][0]["quantity"] = "lots"
    data["accounting"] = broken
    error = refusal(tmp_path, data)
    assert error.key.startswith("accounting.records[0]") or error.key.startswith("accounting")
    assert "lots" in str(error)


def test_baseline_data_the_schema_allows_but_the_method_refuses_is_named(tmp_path: Path) -> None:
    data = example_export("community")
    data["accounting"]["records"][0]["year"] = 1990  # long before the base year
    error = refusal(tmp_path, data)
    assert error.key.startswith("accounting.records[0]")
    assert "1990" in str(error)


def test_the_file_reads_as_the_typed_snapshot_it_hashes_to(tmp_path: Path) -> None:
    exported = load(tmp_path, example_export("zone"))
    assert exported.snapshot.application.kind == "zone"
    assert exported.snapshot.editions.rubric.edition == "2021"
    assert exported.snapshot_sha256 == snapshot_sha256(exported.snapshot)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda data: data["application"].update(colour="red"), "application.colour"),
        (lambda data: data.pop("versions"), "versions"),
        (lambda data: data.update(score={"total": 71.5}), "score.rubric"),
        (lambda data: data["evidence"].append({"code": "E01"}), "evidence[0].title"),
    ],
)
def test_what_is_not_snapshot_format_1_is_refused_with_its_key_and_line(
    tmp_path: Path, change: Any, key: str
) -> None:
    data = example_export("zone")
    change(data)
    error = refusal(tmp_path, data)
    assert error.key == key
    assert error.code == "snapshot"
    assert error.line is not None
    assert str(error).startswith(str(tmp_path / "application.json"))


ZONE_TASK = {
    "code": "Z01",
    "name": "厂房及楼宇屋顶分布式光伏扩容",
    "domain": "energy",
    "content": "利用厂房和楼宇屋顶新增12 MWp",
    "responsible": "区发展改革委",
    "start_year": 2024,
    "end_year": 2027,
    "budget_10k_yuan": "3600.00",
    "key_project": False,
    "near_zero": False,
    "stated_reduction_tco2": None,
}


def test_an_export_made_before_the_task_records_still_reads(tmp_path: Path) -> None:
    data = example_export("zone")
    assert "tasks" not in data
    exported = load(tmp_path, data)
    assert exported.snapshot.tasks is None
    # Its hash is the one it was exported with: nothing is added when it is read back.
    assert exported.snapshot_sha256 == snapshot_sha256(data)


def test_an_export_with_task_records_reads_them(tmp_path: Path) -> None:
    exported = load(tmp_path, example_export("zone", tasks=[ZONE_TASK]))
    assert exported.snapshot.tasks is not None
    (record,) = exported.snapshot.tasks
    assert (record.code, record.responsible, record.end_year) == ("Z01", "区发展改革委", 2027)
    assert str(record.budget_10k_yuan) == "3600.00"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"domain": "sky"}, "tasks[0].domain"),
        ({"budget_10k_yuan": "3,600"}, "tasks[0].budget_10k_yuan"),
        ({"percent_complete": 50}, "tasks[0]"),
        ({"end_year": 27}, "tasks[0].end_year"),
    ],
)
def test_a_bad_task_record_is_refused_with_its_key_and_line(
    tmp_path: Path, change: dict[str, Any], key: str
) -> None:
    error = refusal(tmp_path, example_export("zone", tasks=[ZONE_TASK | change]))
    assert error.key == key
    assert error.line is not None
