"""The meter register: audited actions that keep the database and the store's register the
same, and its pages (issue 17 §1)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any as SettingsWrapper

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lowcarbon.core.metering import MeterEventKind, ReadingKind
from lowcarbon.monitoring.store import Store
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.monitoring.actions import (
    EventInput,
    SourceInput,
    do_add_meter_event,
    do_change_meter,
    do_import_file,
)
from lowcarbon.web.monitoring.forms import HEADINGS
from lowcarbon.web.monitoring.models import Meter, MeterEvent
from lowcarbon.web.monitoring.stores import community_key
from lowcarbon.web.organisations.models import Organisation

from .support import hourly_rows, make_meter, meter_input, write_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(applicant: User) -> Organisation:
    assert applicant.organisation is not None
    return applicant.organisation


def test_a_meter_is_registered_in_the_database_and_the_store(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    meter = make_meter(unit, applicant, multiplier=Decimal("80.0000"))
    assert meter.store_id == f"{unit.pk}-0101"
    registered = own_store.meters()[meter.store_id]
    assert registered.community == community_key(unit)
    assert registered.multiplier == Decimal(80)
    assert registered.max_rate == 40.0
    assert registered.reading is ReadingKind.INTERVAL_ENERGY
    event = AuditEvent.objects.get(action="monitoring_meter_created")
    assert event.after is not None
    assert event.after["store_id"] == meter.store_id


def test_a_meter_described_wrongly_is_refused_naming_the_field(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_meter(unit, applicant, interval_minutes=7)
    assert "interval_minutes" in caught.value.message_dict
    assert "“7”" in caught.value.message_dict["interval_minutes"][0]
    with pytest.raises(ValidationError) as caught:
        make_meter(unit, applicant, reading="average-power", reading_unit="kWh")
    assert "reading_unit" in caught.value.message_dict
    make_meter(unit, applicant)
    with pytest.raises(ValidationError) as caught:
        make_meter(unit, applicant)  # the same number again
    assert "其他计量表" in caught.value.message_dict["number"][0]
    assert Meter.objects.count() == 1
    assert list(own_store.meters()) == [f"{unit.pk}-0101"]


def test_only_the_units_own_staff_register_its_meters(
    own_store: Store, unit: Organisation, users: dict[str, User]
) -> None:
    for role in (Role.DISTRICT_OFFICER, Role.ADMINISTRATOR, Role.EXPERT):
        with pytest.raises(ValidationError):
            make_meter(unit, users[role])
    assert not Meter.objects.exists()


def test_a_failed_store_write_saves_nothing(
    settings: SettingsWrapper, tmp_path: Path, unit: Organisation, applicant: User
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store's folder should be")
    settings.LOWCARBON_MONITORING_DIR = blocked
    with pytest.raises(ValidationError) as caught:
        make_meter(unit, applicant)
    assert "未保存" in caught.value.messages[0]
    assert not Meter.objects.exists()
    assert not AuditEvent.objects.filter(action="monitoring_meter_created").exists()


def test_an_edit_of_a_stale_version_is_refused_and_a_good_one_is_kept_with_its_reason(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    meter = make_meter(unit, applicant)
    changed = do_change_meter(
        meter,
        meter_input(name="3号楼及4号楼公共照明", multiplier=Decimal(2)),
        expected_version=1,
        reason="合并了4号楼的照明回路",
        actor=applicant,
    )
    assert changed.version == 2
    assert own_store.meters()[meter.store_id].multiplier == Decimal(2)
    with pytest.raises(ValidationError) as caught:
        do_change_meter(
            changed, meter_input(name="旧页面"), expected_version=1, reason="旧", actor=applicant
        )
    assert "版本" in caught.value.messages[0]
    changed.refresh_from_db()
    assert changed.name == "3号楼及4号楼公共照明"
    event = AuditEvent.objects.get(action="monitoring_meter_changed")
    assert event.reason == "合并了4号楼的照明回路"
    assert event.before is not None
    assert event.before["multiplier"] == "1.0000"
    with pytest.raises(ValidationError) as caught:
        do_change_meter(changed, meter_input(), expected_version=2, reason="", actor=applicant)
    assert "reason" in caught.value.message_dict


def test_how_stored_readings_were_read_cannot_change(
    own_store: Store, unit: Organisation, applicant: User, tmp_path: Path
) -> None:
    meter = make_meter(unit, applicant)
    export = write_export(tmp_path / "e.csv", hourly_rows(["0101"], 3))
    mapping = SourceInput("", "抄表时间", "电量", "表号")
    do_import_file(unit, export, file_name="e.csv", mapping=mapping, actor=applicant)
    with pytest.raises(ValidationError) as caught:
        do_change_meter(
            meter,
            meter_input(multiplier=Decimal(2)),
            expected_version=1,
            reason="倍率抄错",
            actor=applicant,
        )
    assert "multiplier" in caught.value.message_dict
    renamed = do_change_meter(
        meter,
        meter_input(name="3号楼照明", max_rate=Decimal(60)),
        expected_version=1,
        reason="改名并放宽上限",
        actor=applicant,
    )
    assert renamed.name == "3号楼照明"
    assert own_store.meters()[meter.store_id].max_rate == 60.0


def test_a_replacement_event_goes_into_the_stores_register(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    meter = make_meter(unit, applicant, reading="register")
    at = datetime(2026, 5, 6, 10, 30, tzinfo=SHANGHAI)
    do_add_meter_event(
        meter,
        EventInput("replacement", at, Decimal("5120.5"), Decimal(0), "旧表损坏更换"),
        actor=applicant,
    )
    [event] = own_store.meters()[meter.store_id].events
    assert event.at == datetime(2026, 5, 6, 10, 30)  # Shanghai wall-clock time
    assert event.kind is MeterEventKind.REPLACEMENT
    assert (event.final_reading, event.start_reading) == (5120.5, 0.0)
    with pytest.raises(ValidationError) as caught:
        do_add_meter_event(
            meter,
            EventInput("rollover", timezone.now() + timedelta(days=2), Decimal(10), Decimal(20)),
            actor=applicant,
        )
    assert set(caught.value.message_dict) == {"at", "start_reading"}
    assert MeterEvent.objects.count() == 1


BULK_HEADER = list(HEADINGS.values())


def _bulk_csv(rows: list[list[str]], encoding: str = "utf-8") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BULK_HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile("计量表清单.csv", out.getvalue().encode(encoding))


GOOD_ROWS = [
    [
        "0101",
        "1号楼住户总表",
        "1号楼",
        "电力",
        "居民住户",
        "区间用量",
        "kWh",
        "15",
        "80",
        "2024-06-01",
        "400",
        "4",
        "",
    ],
    [
        "0201",
        "燃气总表",
        "服务中心东侧",
        "天然气",
        "公共建筑",
        "累计读数",
        "m3",
        "60",
        "",
        "",
        "",
        "",
        "",
    ],
]


def test_bulk_registration_from_a_gbk_csv_registers_every_row(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    client = Client()
    client.force_login(applicant)
    url = reverse("monitoring:meter_bulk", kwargs={"unit": unit.pk})
    response = client.post(url, {"file": _bulk_csv(GOOD_ROWS, "gbk")})
    assert response.status_code == 302
    assert sorted(Meter.objects.values_list("number", flat=True)) == ["0101", "0201"]
    gas = Meter.objects.get(number="0201")
    assert (gas.carrier, gas.reading, gas.multiplier) == ("gas", "register", Decimal(1))
    assert set(own_store.meters()) == {f"{unit.pk}-0101", f"{unit.pk}-0201"}


def test_a_bulk_file_with_bad_rows_registers_nothing_and_names_each_cell(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    make_meter(unit, applicant, number="0301")
    bad = [
        *GOOD_ROWS,
        ["0102", "2号楼", "", "电", "居民住户", "区间用量", "kWh", "15", "", "", "", "", ""],
        ["0103", "3号楼", "", "电力", "居民住户", "区间用量", "kWh", "7", "", "", "", "", ""],
        ["0301", "重复", "", "电力", "其他用途", "区间用量", "kWh", "15", "", "", "", "", ""],
        ["0101", "同表号", "", "电力", "其他用途", "区间用量", "kWh", "15", "", "", "", "", ""],
    ]
    client = Client()
    client.force_login(applicant)
    url = reverse("monitoring:meter_bulk", kwargs={"unit": unit.pk})
    response = client.post(url, {"file": _bulk_csv(bad)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "未登记任何计量表" in page
    assert "第 4 行，“能源品种”列：发现“电”" in page
    assert Meter.objects.count() == 1  # the one made before
    # Readable cells but a definition the engines refuse, and numbers taken: named too.
    response = client.post(url, {"file": _bulk_csv(bad[:2] + bad[3:])})
    page = response.content.decode()
    assert "第 4 行，“间隔（分钟）”列：发现“7”" in page
    assert "第 5 行，“表号”列：发现“0301”" in page
    assert "第 6 行，“表号”列：发现“0101”" in page
    assert Meter.objects.count() == 1
    assert list(own_store.meters()) == [f"{unit.pk}-0301"]


def test_the_template_downloads_with_chinese_headings_and_reads_back(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    client = Client()
    client.force_login(applicant)
    response = client.get(reverse("monitoring:meter_template", kwargs={"unit": unit.pk}))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == BULK_HEADER
    # The template's examples are themselves a valid file.
    upload = SimpleUploadedFile("template.xlsx", content)
    response = client.post(
        reverse("monitoring:meter_bulk", kwargs={"unit": unit.pk}), {"file": upload}
    )
    assert response.status_code == 302
    assert Meter.objects.count() == 2


def test_an_unreadable_bulk_file_is_refused_in_chinese(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    client = Client()
    client.force_login(applicant)
    url = reverse("monitoring:meter_bulk", kwargs={"unit": unit.pk})
    upload = SimpleUploadedFile("meters.xlsx", b"PK\x03\x04 not really a workbook")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "meters.xlsx" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    book = Workbook()
    assert book.active is not None
    book.active.append(["名称", "位置"])
    out = io.BytesIO()
    book.save(out)
    response = client.post(url, {"file": SimpleUploadedFile("m.xlsx", out.getvalue())})
    assert "缺少列" in response.content.decode() or "没有列" in response.content.decode()
    assert not Meter.objects.exists()


def test_the_pages_read_in_chinese_and_show_what_each_meter_measures(
    own_store: Store, unit: Organisation, users: dict[str, User]
) -> None:
    applicant = users[Role.APPLICANT]
    meter = make_meter(unit, applicant, use="ev_charging")
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    page = client.get(reverse("monitoring:meters", kwargs={"unit": unit.pk})).content.decode()
    assert "3号楼公共照明" in page
    assert "电动汽车充电" in page
    assert "交通" in page  # EV charging is accounted under transport
    assert "登记计量表" not in page  # the officer reads, does not register
    page = client.get(reverse("monitoring:meter", kwargs={"pk": meter.pk})).content.decode()
    assert "计量表" in page
    client.force_login(applicant)
    response = client.post(
        reverse("monitoring:meter_create", kwargs={"unit": unit.pk}),
        {
            "number": "0102",
            "name": "充电桩",
            "carrier": "electricity",
            "use": "ev_charging",
            "reading": "average-power",
            "reading_unit": "kW",
            "interval_minutes": "15",
            "multiplier": "1",
            "max_gap_intervals": "4",
        },
    )
    assert response.status_code == 302
    created = Meter.objects.get(number="0102")
    response = client.post(
        reverse("monitoring:meter_edit", kwargs={"pk": created.pk}),
        {
            "number": "0102",
            "name": "充电桩（东）",
            "carrier": "electricity",
            "use": "ev_charging",
            "reading": "average-power",
            "reading_unit": "kW",
            "interval_minutes": "15",
            "multiplier": "1",
            "max_gap_intervals": "4",
            "version": "1",
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()


def test_a_definition_left_in_the_store_by_an_earlier_database_is_replaced(
    own_store: Store, unit: Organisation, applicant: User
) -> None:
    make_meter(unit, applicant, multiplier=Decimal(5))
    Meter.objects.all().delete()  # a database started afresh beside the same store
    meter = make_meter(unit, applicant, multiplier=Decimal(2))
    assert own_store.meters()[meter.store_id].multiplier == Decimal(2)
