"""Corrections of stored readings through the web: from an import's findings to the form, the
record and its audit event, the monthly figures; who may correct; refusals; a stale page; the
database and the store kept in step when either fails."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lowcarbon.monitoring.monthly import monthly
from lowcarbon.monitoring.store import Store
from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.monitoring import correction_actions
from lowcarbon.web.monitoring.correction_actions import CorrectionItem, do_correct_readings
from lowcarbon.web.monitoring.dashboard import unit_figures
from lowcarbon.web.monitoring.models import ImportRecord, Meter, ReadingCorrection
from lowcarbon.web.organisations.models import Organisation

from .support import hourly_rows, make_meter

pytestmark = pytest.mark.django_db

SPIKE_AT = datetime(2026, 3, 1, 5)  # the sixth hourly row
FORM = re.compile(r'href="(/monitoring/meters/\d+/corrections/new/\?start=[^"]+)"')


@pytest.fixture
def unit(applicant: User) -> Organisation:
    assert applicant.organisation is not None
    return applicant.organisation


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def imported(own_store: Store, unit: Organisation, applicant: User) -> tuple[Meter, ImportRecord]:
    """A meter (at most 40 kWh an hour) and 12 hours of 1.5 kWh with a 95 kWh spike."""
    meter = make_meter(unit, applicant, "0101")
    rows = hourly_rows(["0101"], 12)
    rows[5][2] = "95"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["抄表时间", "表号", "电量"])
    writer.writerows(rows)
    upload = SimpleUploadedFile("a.csv", out.getvalue().encode())
    data = {"time_column": "抄表时间", "value_column": "电量", "meter_column": "表号"}
    response = signed_in(applicant).post(
        reverse("monitoring:import_new", kwargs={"unit": unit.pk}), {"file": upload, **data}
    )
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert record.flagged == 1
    return meter, record


def total(store: Store) -> Decimal:
    return sum((f.consumption for f in monthly(store).figures), Decimal(0))


def item(meter: Meter, **values: Any) -> CorrectionItem:
    return CorrectionItem(meter, SPIKE_AT, **({"kind": "replace"} | values))


def test_a_spike_is_corrected_from_the_import_page_with_its_reason(
    own_store: Store, imported: tuple[Meter, ImportRecord], applicant: User, unit: Organisation
) -> None:
    meter, record = imported
    client = signed_in(applicant)
    before = total(own_store)
    page = client.get(reverse("monitoring:import", kwargs={"pk": record.pk})).content.decode()
    [link] = FORM.findall(page)
    assert link.endswith("start=2026-03-01T05%3A00")
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert "95 kWh" in form
    assert "已标记，不计入" in form
    assert f'value="{record.store_import}"' in form  # the stale-page check
    response = client.post(
        link,
        {
            "start": "2026-03-01T05:00",
            "expected_from": record.store_import,
            "kind": "replace",
            "value": "1.5",
            "read_from_meter": "on",
            "reason": "表计瞬时干扰，按现场抄表读数更正",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:corrections", kwargs={"unit": unit.pk})
    row = ReadingCorrection.objects.get()
    assert (row.before_consumption, row.before_quality) == (95.0, "flagged")
    assert (row.after_consumption, row.after_quality) == (1.5, "measured")
    assert row.corrected_by == applicant
    assert row.store_correction == own_store.corrections()[0].id
    event = AuditEvent.objects.get(action="monitoring_readings_corrected")
    assert event.reason == "表计瞬时干扰，按现场抄表读数更正"
    assert event.after is not None
    assert event.after["store_correction"] == row.store_correction
    # The monthly job counts the corrected value: 1.5 kWh more (the spike counted nothing).
    assert total(own_store) - before == Decimal("1.5")
    listing = client.get(response["Location"]).content.decode()
    assert "95 (已标记，不计入) → 1.5 (实测)" in listing
    assert "表计瞬时干扰" in listing
    detail = client.get(reverse("monitoring:meter", kwargs={"pk": meter.pk})).content.decode()
    assert "表计瞬时干扰" in detail


def test_who_may_correct(
    own_store: Store,
    imported: tuple[Meter, ImportRecord],
    users: dict[str, User],
    admin_user: User,
    unit: Organisation,
) -> None:
    meter, record = imported
    url = reverse("monitoring:correction_new", kwargs={"pk": meter.pk})
    officer = signed_in(users["district_officer"])
    assert officer.get(url).status_code == 403
    post = {"start": "2026-03-01T05:00", "kind": "exclude", "reason": "x"}
    assert officer.post(url, post).status_code == 403
    import_page = officer.get(reverse("monitoring:import", kwargs={"pk": record.pk}))
    assert not FORM.findall(import_page.content.decode())  # officers read, no link
    listing = reverse("monitoring:corrections", kwargs={"unit": unit.pk})
    assert officer.get(listing).status_code == 200
    assert signed_in(users["expert"]).get(url).status_code == 404
    assert signed_in(users["expert"]).get(listing).status_code == 404
    with pytest.raises(ValidationError):
        do_correct_readings(unit, [item(meter, value=Decimal(1))], "理由", actor=users["expert"])
    # The bureau corrects.
    rows = do_correct_readings(unit, [item(meter, value=Decimal(1))], "市局核定", actor=admin_user)
    assert rows[0].corrected_by == admin_user
    assert not ReadingCorrection.objects.filter(corrected_by=users["expert"]).exists()


def test_refusals_name_the_field_and_the_value(
    own_store: Store, imported: tuple[Meter, ImportRecord], applicant: User
) -> None:
    meter, _record = imported
    client = signed_in(applicant)
    url = reverse("monitoring:correction_new", kwargs={"pk": meter.pk})
    base = {"start": "2026-03-01T05:00", "kind": "replace", "reason": "理由"}
    page = client.post(url, base | {"value": "-1"}).content.decode()
    assert "发现“-1”；应为不小于 0 kWh 的用量" in page
    page = client.post(url, base | {"value": "50"}).content.decode()
    assert "发现“50”" in page
    assert "60 分钟内不超过 40 kWh" in page
    page = client.post(url, base | {"start": "2026-03-09T05:00", "value": "1"}).content.decode()
    assert "发现“2026-03-09 05:00:00”" in page
    page = client.post(url, base | {"kind": "restore"}).content.decode()
    assert "曾被更正的区间" in page
    page = client.post(url, base | {"value": "1", "reason": " "}).content.decode()
    assert "更正理由" in page or "这个字段是必填项" in page
    with pytest.raises(ValidationError) as refused:
        do_correct_readings(meter.unit, [item(meter, value=Decimal(1))], "   ", actor=applicant)
    assert "reason" in refused.value.message_dict
    assert not ReadingCorrection.objects.exists()
    assert own_store.corrections() == []


def test_a_stale_page_is_refused(
    own_store: Store, imported: tuple[Meter, ImportRecord], applicant: User
) -> None:
    meter, record = imported
    client = signed_in(applicant)
    url = reverse("monitoring:correction_new", kwargs={"pk": meter.pk})
    do_correct_readings(
        meter.unit,
        [item(meter, value=Decimal(2), expected_from=record.store_import)],
        "第一次更正",
        actor=applicant,
    )
    page = client.post(
        url,
        {
            "start": "2026-03-01T05:00",
            "expected_from": record.store_import,  # the page was made before that correction
            "kind": "replace",
            "value": "3",
            "reason": "第二个人的更正",
        },
    ).content.decode()
    assert "您作出判断期间该区间已被改动" in page
    assert ReadingCorrection.objects.count() == 1


def test_a_failed_store_write_saves_nothing(
    own_store: Store,
    imported: tuple[Meter, ImportRecord],
    applicant: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meter, _record = imported
    files = own_store.files()

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Store, "correct", full)
    with pytest.raises(ValidationError) as refused:
        do_correct_readings(meter.unit, [item(meter, value=Decimal(1))], "理由", actor=applicant)
    assert "读数库无法写入" in str(refused.value)
    assert not ReadingCorrection.objects.exists()
    assert not AuditEvent.objects.filter(action="monitoring_readings_corrected").exists()
    assert own_store.files() == files


def test_a_database_failure_takes_the_store_correction_back(
    own_store: Store,
    imported: tuple[Meter, ImportRecord],
    applicant: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meter, _record = imported
    files, before = own_store.files(), total(own_store)

    def broken(**kwargs: Any) -> None:
        raise DatabaseError("the database went away")

    monkeypatch.setattr(correction_actions, "record_event", broken)
    with pytest.raises(ValidationError) as refused:
        do_correct_readings(meter.unit, [item(meter, value=Decimal(1))], "理由", actor=applicant)
    assert "更正未能保存" in str(refused.value)
    assert not ReadingCorrection.objects.exists()
    assert own_store.corrections() == []
    assert own_store.files() == files
    assert total(own_store) == before


def test_the_demo_shows_a_corrected_spike(demo: None) -> None:
    row = ReadingCorrection.objects.select_related("meter", "unit").get()
    assert (row.meter.number, row.unit.name) == ("0301", "枫林湾社区")
    assert (row.before_consumption, row.before_quality) == (600.0, "flagged")
    assert (row.after_consumption, row.after_quality) == (9.0, "estimated")
    assert "通信模块故障" in row.reason
    staff = User.objects.filter(organisation=row.unit, role="applicant").first()
    assert staff is not None
    page = signed_in(staff).get(reverse("monitoring:corrections", kwargs={"unit": row.unit.pk}))
    assert "600 (已标记，不计入) → 9 (估算)" in page.content.decode()
    # The unit's monthly page no longer lists the corrected spike among its open anomalies.
    unit = CreationUnit.objects.get(application__unit=row.unit)
    anomalies = unit_figures(unit, now=timezone.now()).anomalies
    assert anomalies.corrected >= 1
    assert not [
        a
        for a in anomalies.latest
        if a.meter == row.meter.store_id
        and a.at.startswith(f"{timezone.localtime(row.start):%Y-%m-%d %H}")
    ]
    figures = signed_in(staff).get(reverse("monitoring_figures:unit", kwargs={"pk": unit.pk}))
    assert "已更正，不再列为待处理" in figures.content.decode()
