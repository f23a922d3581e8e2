"""The plausible ranges (data/plausibility): the bundled files, and broken ones refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lowcarbon.core.activity import UnitKind
from lowcarbon.core.plausibility import PlausibilityMetric, RangeBasis
from lowcarbon.rules.errors import DataFileError
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.paths import data_dir
from lowcarbon.rules.plausibility import load_plausible_ranges

GOOD = {
    "metric": "per_capita",
    "applies_to": ["community"],
    "low": 0.1,
    "high": 20,
    "basis": "assumption",
    "source": "team assumption",
    "reason": {"zh": "理由", "en": "reason"},
}


def write(folder: Path, name: str, data: dict[str, object]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_every_metric_has_a_range_for_each_unit_kind() -> None:
    ranges = load_plausible_ranges()
    covered = {(r.metric, kind) for r in ranges for kind in r.kinds}
    assert covered == {(m, k) for m in PlausibilityMetric for k in UnitKind}
    for plausible in ranges:
        assert plausible.low < plausible.high
        assert plausible.source
        assert plausible.reason.zh
        assert plausible.reason.en


def test_ranges_without_a_published_bound_say_they_are_assumptions() -> None:
    for plausible in load_plausible_ranges():
        # No bundled range is read in a published source yet: each says so in its source.
        assert plausible.basis is RangeBasis.ASSUMPTION
        assert "assumption" in plausible.source.lower()
        assert plausible.confidence_note  # what is still to be verified


def test_the_bundled_library_carries_the_ranges_and_another_root_none() -> None:
    assert load_factor_library().plausible_ranges == load_plausible_ranges()
    factors = data_dir() / "factors"
    assert load_factor_library(factors).plausible_ranges == ()
    assert len(load_factor_library(factors, data_dir() / "plausibility").plausible_ranges) == 4


def test_a_range_file_is_read_with_its_values(tmp_path: Path) -> None:
    write(tmp_path, "community-per-capita", GOOD)
    (plausible,) = load_plausible_ranges(tmp_path)
    assert plausible.id == "community-per-capita"
    assert (plausible.low, plausible.high) == (Decimal("0.1"), Decimal(20))
    assert plausible.unit == "tCO2/(person*a)"
    assert plausible.contains(Decimal("0.1"))
    assert not plausible.contains(Decimal("20.01"))


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"low": 20, "high": 20}, "high", "a number greater than low (20)"),
        ({"metric": "per_household"}, "metric", "a metric: per_capita"),
        ({"applies_to": ["village"]}, "applies_to[0]", "zone (practice zone) or community"),
        ({"basis": "guess"}, "basis", "published (the bounds are read in the source)"),
        ({"low": -1}, "low", "the lowest plausible value"),
    ],
)
def test_a_broken_range_is_refused_naming_file_key_and_line(
    tmp_path: Path, change: dict[str, object], key: str, words: str
) -> None:
    path = write(tmp_path, "broken", {**GOOD, **change})
    with pytest.raises(DataFileError) as caught:
        load_plausible_ranges(tmp_path)
    error = caught.value
    assert (Path(error.path), error.key) == (path, key)
    assert error.line is not None
    assert words in error.expected.render()


def test_two_ranges_for_one_metric_and_kind_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a", GOOD)
    write(tmp_path, "b", {**GOOD, "applies_to": ["zone", "community"]})
    with pytest.raises(DataFileError) as caught:
        load_plausible_ranges(tmp_path)
    assert caught.value.key == "applies_to"
    assert "'a' already covers per_capita for community" in caught.value.expected.render()
