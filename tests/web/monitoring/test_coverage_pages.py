"""The coverage report of the monitoring system (监控系统覆盖情况): the unit's page and its
XLSX, read by the unit, its district's officer and the bureau; filed in the unit's records
archive by the unit's own staff as evidence for 附件4 加分项第2项 (rubric item B2).

The unit, its meters and its 2025 readings are those of :mod:`.test_inventory` (figures by hand
there): electricity, public and commercial, 17 448 kWh at 74.8 %; gas 3 650 m³ at 100 %;
water 730 m³; EV charging registered without readings.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lowcarbon.monitoring.store import Store
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.archive.models import ArchiveRecord
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.monitoring.inventory import COVERAGE_SHEET, do_archive_coverage

from ..review_support import signed_in
from .test_inventory import YEAR, Metered, creation_unit, metered  # noqa: F401

pytestmark = pytest.mark.django_db


def _text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_the_unit_reads_its_coverage_and_downloads_it(metered: Metered) -> None:  # noqa: F811
    client = signed_in(metered.applicant)
    unit_page = _text(client.get(reverse("creation:unit", args=[metered.unit.pk])))
    assert reverse("monitoring_coverage:unit", args=[metered.unit.pk]) in unit_page
    page = _text(client.get(reverse("monitoring_coverage:unit", args=[metered.unit.pk])))
    assert "监控系统覆盖情况" in page
    assert "0101 3号楼公共照明、0102 1号楼电梯" in page
    assert "2025-01—2025-12（12/12）" in page
    assert "74.8 %" in page
    assert "17448.000 kWh" in page
    assert "7.328" in page  # tCO2 of the metered electricity
    assert "附件4 加分项第2项" in page
    assert "归档为加分项证明材料" in page
    assert "按计量数据预填的活动水平数据表" in page
    # The inventory's categories (2023) the meters do not cover are named.
    assert "电力（居民生活）" in page
    response = client.get(reverse("monitoring_coverage:xlsx", args=[metered.unit.pk, YEAR]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    cells = [c for row in book[COVERAGE_SHEET].iter_rows(values_only=True) for c in row if c]
    assert "74.8 %" in cells
    assert 17448 in cells
    assert "B2" in " ".join(str(c) for c in cells)


def test_the_district_and_the_bureau_read_but_do_not_file(
    metered: Metered,  # noqa: F811
    users: dict[str, User],
    admin_user: User,
) -> None:
    for reader in (metered.officer, admin_user):
        client = signed_in(reader)
        page = _text(client.get(reverse("monitoring_coverage:unit", args=[metered.unit.pk])))
        assert "74.8 %" in page
        assert "归档为加分项证明材料" not in page
        index = _text(client.get(reverse("monitoring_coverage:index")))
        assert metered.unit.application.unit.name in index
        refused = client.post(reverse("monitoring_coverage:archive", args=[metered.unit.pk, YEAR]))
        assert refused.status_code == 403
    assert not ArchiveRecord.objects.filter(category="monitoring_system").exists()
    client = signed_in(users[Role.EXPERT])
    assert client.get(reverse("monitoring_coverage:index")).status_code == 404
    assert (
        client.get(reverse("monitoring_coverage:unit", args=[metered.unit.pk])).status_code == 404
    )


def test_the_unit_files_its_coverage_as_evidence(metered: Metered) -> None:  # noqa: F811
    client = signed_in(metered.applicant)
    response = client.post(
        reverse("monitoring_coverage:archive", args=[metered.unit.pk, YEAR]), follow=True
    )
    assert "已归档" in _text(response)
    record = ArchiveRecord.objects.get(unit=metered.unit, category="monitoring_system")
    assert record.items == ["B2"]
    assert "2025" in record.title
    assert "计量表 5 块" in record.description
    assert "74.8" not in record.description  # the description counts categories, not shares
    assert "中覆盖 2 个" in record.description
    [attached] = record.files.all()
    assert attached.original_name.endswith(".xlsx")
    with attached.file.open("rb") as handle:
        book = load_workbook(BytesIO(handle.read()))
    assert COVERAGE_SHEET in book.sheetnames
    assert AuditEvent.objects.filter(
        action="archive_record_added", object_id=str(record.pk)
    ).exists()
    # The record is in the unit's archive page, under the bonus item.
    archive = _text(client.get(reverse("archive:unit", args=[metered.unit.pk])))
    assert record.title in archive


def test_without_meters_there_is_nothing_to_file(
    users: dict[str, User],
    admin_user: User,
    own_store: Store,
) -> None:
    unit = creation_unit(users, admin_user)
    applicant = users[Role.APPLICANT]
    client = signed_in(applicant)
    page = _text(client.get(reverse("monitoring_coverage:unit", args=[unit.pk])))
    assert "本单位尚未登记计量表" in page
    assert "归档为加分项证明材料" not in page
    response = client.post(
        reverse("monitoring_coverage:archive", args=[unit.pk, YEAR]), follow=True
    )
    assert "尚未登记计量表，没有可归档的覆盖情况" in _text(response)
    with pytest.raises(Exception, match="尚未登记计量表"):
        do_archive_coverage(unit, YEAR, actor=applicant)
    assert not ArchiveRecord.objects.filter(unit=unit).exists()


def test_a_year_the_store_cannot_hold_is_no_page(metered: Metered) -> None:  # noqa: F811
    client = signed_in(metered.applicant)
    for name in ("monitoring_coverage:xlsx", "monitoring_coverage:workbook"):
        for year in (0, 1999, 2100, 99999):
            assert client.get(reverse(name, args=[metered.unit.pk, year])).status_code == 404
    assert (
        client.post(reverse("monitoring_coverage:archive", args=[metered.unit.pk, 0])).status_code
        == 404
    )
    page = client.get(reverse("monitoring_coverage:unit", args=[metered.unit.pk]) + "?year=0000")
    assert "2025-01—2025-12" in page.content.decode()  # the latest year with readings instead
