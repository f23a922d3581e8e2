"""Utility exports imported through the web: counts, findings in Chinese, the report download,
idempotency, conflicts, GBK, and files that cannot be read (issue 17 §2)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from lowcarbon.monitoring.store import Store
from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.monitoring.models import ExportSource, ImportRecord
from lowcarbon.web.organisations.models import Organisation

from .support import START, hourly_rows, make_meter

pytestmark = pytest.mark.django_db

HEADER = ["抄表时间", "表号", "电量"]
COLUMNS = {"time_column": "抄表时间", "value_column": "电量", "meter_column": "表号"}


@pytest.fixture
def unit(applicant: User) -> Organisation:
    assert applicant.organisation is not None
    return applicant.organisation


@pytest.fixture
def client(applicant: User) -> Client:
    client = Client()
    client.force_login(applicant)
    return client


def export(name: str, rows: list[list[str]], encoding: str = "utf-8") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding))


def post(client: Client, unit: Organisation, upload: SimpleUploadedFile, **data: Any) -> Any:
    url = reverse("monitoring:import_new", kwargs={"unit": unit.pk})
    return client.post(url, {"file": upload, **(COLUMNS | data)})


def test_an_export_imports_with_its_counts_findings_and_report(
    own_store: Store, unit: Organisation, applicant: User, client: Client
) -> None:
    make_meter(unit, applicant, "0101")
    make_meter(unit, applicant, "0102")
    rows = hourly_rows(["0101", "0102"], 24)
    rows[5][2] = "-3"  # negative: rejected
    rows[30][2] = "95"  # above 40 kWh an hour: a spike, flagged
    rows.append([START.strftime("%Y-%m-%d %H:%M"), "0999", "1"])  # no such meter
    response = post(client, unit, export("国网导出.csv", rows))
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse("monitoring:import", kwargs={"pk": record.pk})
    assert (record.rows, record.rejected, record.flagged) == (49, 2, 2)  # spike, gap
    # 48 hours of readings: one rejected (its hour estimated), the spike kept as flagged
    assert record.added == 48
    assert record.store_import in {path.stem for path in own_store.root.glob("_imports/*.json")}
    assert len(record.sha256) == 64
    assert AuditEvent.objects.filter(action="monitoring_file_imported").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "国网导出.csv" in page
    assert "用电量不能为负" in page or "不能为负" in page
    assert "0999" in page
    assert f"{unit.pk}-0999" not in page  # the unit's numbers, not the store's ids
    assert "拒收" in page
    report = client.get(reverse("monitoring:import_report", kwargs={"pk": record.pk}))
    assert report["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["处理", "理由", "计量表", "行"]
    assert len(lines) == 1 + record.findings
    assert {line[2] for line in lines[1:]} == {"0101", "0102", "0999"}


def test_the_same_file_twice_adds_nothing_and_says_so(
    own_store: Store, unit: Organisation, applicant: User, client: Client
) -> None:
    make_meter(unit, applicant, "0101")
    rows = hourly_rows(["0101"], 12)
    post(client, unit, export("a.csv", rows))
    response = post(client, unit, export("a.csv", rows))
    second = ImportRecord.objects.order_by("pk").last()
    assert second is not None
    assert (second.added, second.already_stored) == (0, 12)
    page = client.get(response["Location"]).content.decode()
    assert "没有新数据" in page
    assert "曾于" in page  # the same SHA-256 was imported before


def test_a_conflicting_value_is_reported_and_the_stored_one_kept(
    own_store: Store, unit: Organisation, applicant: User, client: Client
) -> None:
    make_meter(unit, applicant, "0101")
    rows = hourly_rows(["0101"], 12)
    post(client, unit, export("a.csv", rows))
    rows[3][2] = "2.5"
    response = post(client, unit, export("b.csv", rows))
    record = ImportRecord.objects.get(file_name="b.csv")
    assert (record.added, record.already_stored, record.rejected) == (0, 11, 1)
    page = client.get(response["Location"]).content.decode()
    assert "已存储" in page or "已存在" in page
    assert "2.5" in page


def test_a_gbk_export_of_one_meter_imports(
    own_store: Store, unit: Organisation, applicant: User, client: Client
) -> None:
    meter = make_meter(unit, applicant, "0101")
    rows = [[t, v] for t, _number, v in hourly_rows(["0101"], 6)]
    out = io.StringIO()
    csv.writer(out).writerows([["时间", "有功电量（千瓦时）"], *rows])
    upload = SimpleUploadedFile("电表.csv", out.getvalue().encode("gbk"))
    response = post(
        client,
        unit,
        upload,
        time_column="时间",
        value_column="有功电量（千瓦时）",
        meter_column="",
        meter=str(meter.pk),
        save_as="电表单表导出",
    )
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert (record.rows, record.added) == (6, 6)
    source = ExportSource.objects.get(name="电表单表导出")
    assert (source.meter, source.meter_column) == (meter, "")
    # The saved source names the columns the next time.
    more = [[t, v] for t, _n, v in hourly_rows(["0101"], 8)]
    out = io.StringIO()
    csv.writer(out).writerows([["时间", "有功电量（千瓦时）"], *more])
    upload = SimpleUploadedFile("电表2.csv", out.getvalue().encode("gbk"))
    url = reverse("monitoring:import_new", kwargs={"unit": unit.pk})
    client.post(url, {"file": upload, "source": str(source.pk)})
    second = ImportRecord.objects.get(file_name="电表2.csv")
    assert (second.added, second.already_stored, second.source) == (2, 6, source)


def test_an_xlsx_export_imports(
    own_store: Store, unit: Organisation, applicant: User, client: Client
) -> None:
    make_meter(unit, applicant, "0101")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for k in range(4):
        sheet.append([START.replace(hour=k), "0101", 1.25])
    out = io.BytesIO()
    book.save(out)
    response = post(client, unit, SimpleUploadedFile("导出.xlsx", out.getvalue()))
    assert response.status_code == 302
    assert ImportRecord.objects.get().added == 4


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("坏.xlsx", b"PK\x03\x04 not a workbook"), "坏.xlsx"),
        (SimpleUploadedFile("empty.csv", b""), "空文件"),
        (SimpleUploadedFile("readings.pdf", b"%PDF-1.4"), "应为 CSV / XLSX 文件"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_chinese(
    own_store: Store,
    unit: Organisation,
    applicant: User,
    client: Client,
    upload: SimpleUploadedFile,
    message: str,
) -> None:
    make_meter(unit, applicant, "0101")
    response = post(client, unit, upload)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Traceback" not in page
    assert "/tmp" not in page
    assert not ImportRecord.objects.exists()


def test_a_missing_column_is_named(
    own_store: Store, unit: Organisation, applicant: User, client: Client
) -> None:
    make_meter(unit, applicant, "0101")
    response = post(client, unit, export("a.csv", hourly_rows(["0101"], 2)), value_column="读数")
    page = response.content.decode()
    assert "a.csv：没有“读数”列" in page
    assert "现有列为" in page
    response = post(client, unit, export("a.csv", hourly_rows(["0101"], 2)), meter_column="表")
    assert "a.csv：没有“表”列" in response.content.decode()
    assert not ImportRecord.objects.exists()


def test_an_upload_beyond_the_limit_is_refused(
    own_store: Store, unit: Organisation, client: Client, settings: Any
) -> None:
    settings.LOWCARBON_UPLOAD_MAX_BYTES = 100
    response = post(client, unit, export("big.csv", hourly_rows(["0101"], 20)))
    assert "超过" in response.content.decode()
    assert not ImportRecord.objects.exists()


def test_the_district_reads_the_imports_and_does_not_import(
    own_store: Store, unit: Organisation, users: dict[str, User], applicant: User, tmp_path: Path
) -> None:
    make_meter(unit, applicant, "0101")
    own = Client()
    own.force_login(applicant)
    post(own, unit, export("a.csv", hourly_rows(["0101"], 2)))
    officer = Client()
    officer.force_login(users["district_officer"])
    page = officer.get(reverse("monitoring:imports", kwargs={"unit": unit.pk})).content.decode()
    assert "a.csv" in page
    assert "导入抄表数据文件" not in page
    response = post(officer, unit, export("b.csv", hourly_rows(["0101"], 2)))
    assert response.status_code == 403
    expert = Client()
    expert.force_login(users["expert"])
    record = ImportRecord.objects.get()
    assert expert.get(reverse("monitoring:import", kwargs={"pk": record.pk})).status_code == 404
