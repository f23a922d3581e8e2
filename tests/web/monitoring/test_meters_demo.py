"""The demo community's meters and year of readings (issue 17, Done when: a newcomer's demo
shows a community with a year of metered data and its anomalies)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from lowcarbon.monitoring.monthly import monthly
from lowcarbon.monitoring.store import Store
from lowcarbon.web.accounts.models import User
from lowcarbon.web.management.commands._demo_monitoring import load_monitoring
from lowcarbon.web.monitoring.models import ImportRecord, Meter, MeterEvent
from lowcarbon.web.monitoring.stores import community_key

pytestmark = pytest.mark.django_db


def test_the_demo_community_has_a_year_of_readings_with_its_defects(
    own_store: Store, applicant: User
) -> None:
    unit = applicant.organisation
    assert unit is not None
    started = time.perf_counter()
    load_monitoring(unit, applicant)
    elapsed = time.perf_counter() - started
    print(f"demo monitoring load: {elapsed:.1f} s")
    assert Meter.objects.filter(unit=unit).count() == 11
    assert {m.use for m in Meter.objects.filter(unit=unit)} >= {
        "household",
        "public_lighting",
        "lifts_and_pumps",
        "ev_charging",
        "public_building",
    }
    assert MeterEvent.objects.get().meter.number == "0201"
    imports = {r.file_name: r for r in ImportRecord.objects.filter(unit=unit)}
    assert len(imports) == 6
    household = imports["住户样本_每分钟功率.csv"]
    assert household.rows > 500_000
    electricity = own_store.report_path(
        imports["国网电力导出_2025-12至2026-11.csv"].store_import
    ).read_text(encoding="utf-8-sig")
    assert "缺" in electricity  # the service centre's 60 silent hours: a gap left open
    assert "600 kWh" in electricity  # the lifts' impossible hour: a spike, flagged
    # The replacement is read on both sides of the event: the lighting register's drop to 0
    # is no finding, and June's lighting is complete with every hour measured.
    lighting = own_store.report_path(
        imports["路灯电表导出_2025-12至2026-11.csv"].store_import
    ).read_text(encoding="utf-8-sig")
    assert lighting.count("\n") == 1  # the header alone: no finding
    figures = {(f.meter, f.month): f for f in monthly(own_store).figures}
    lighting_june = figures[(f"{community_key(unit)}-0201", "2026-06")]
    assert (lighting_june.completeness, lighting_june.flagged) == (1, 0)
    centre_march = figures[(f"{community_key(unit)}-0501", "2026-03")]
    assert centre_march.completeness < 1  # the gap is left open, never estimated
    assert len({month for _meter, month in figures}) == 12
    client = Client()
    client.force_login(applicant)
    page = client.get(
        reverse("monitoring:meter", kwargs={"pk": Meter.objects.get(number="0801").pk})
    ).content.decode()
    assert "CC BY 4.0" in page
    assert elapsed < 30
