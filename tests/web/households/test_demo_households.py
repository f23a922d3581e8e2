"""The demo's household ledger: the community 枫林湾社区 with twelve households and 24 months, the
account demo-resident that lands on its own ledger, and the 2025 selection published into the
unit's archive. Every households page each demo role reaches reads in Chinese (the platform-wide
walk starts at the home page, which sends a resident on: this one starts at the ledger)."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.test import Client
from openpyxl import load_workbook

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.archive.models import ArchiveFile
from lowcarbon.web.households.models import Household, LedgerMonth, LedgerSource, Selection

from ..responses import close, read_download
from ..test_chinese_pages import (
    ALLOWED,
    EMAIL,
    FILE_NAME,
    HASH,
    LATIN_WORD,
    _links,
    _names_in_the_data,
    _visible_text,
)

pytestmark = pytest.mark.django_db


def test_the_demo_community_its_resident_and_its_selection(demo: None) -> None:
    resident = User.objects.get(username="demo-resident")
    assert resident.role == Role.RESIDENT
    own = Household.objects.get(resident=resident)
    assert own.unit.name == "枫林湾社区"
    assert Household.objects.filter(unit=own.unit).count() == 12
    # 24 months of bills, then January to October 2026 from its meter (November is incomplete:
    # the real household's data ends on the 26th).
    assert LedgerMonth.objects.filter(household=own).count() == 34
    assert LedgerMonth.objects.filter(household=own, source=LedgerSource.METER).count() == 10
    client = Client()
    client.force_login(resident)
    page = client.get("/", follow=True)
    text = page.content.decode()
    assert own.label in text
    assert "2025-12" in text
    assert "2024-01" in text
    assert "社区户均" in text  # 11 or 12 households a month: the averages are shown
    assert "入选" in text  # the household's own result of the published selection
    assert "来自电表 0801（完整度 100.0 %）" in text
    assert "未记录" in text  # gas and water: no meter of the flat measures them
    assert "台账保留已记录的数" in text  # December 2025: the bill kept, the meters beside it
    assert "电表 0801 读数为 743.31 kWh，完整度仅 86.3 %" in text  # November: left out
    assert "3号楼住户总表" not in text  # the building's total is no household's meter
    selection = Selection.objects.get(unit=own.unit, year=2025)
    assert selection.published_at is not None
    chosen = [c["label"] for c in selection.result["candidates"] if c["selected"]]
    assert own.label in chosen
    assert 2 <= len(chosen) <= 8
    record = selection.archive_record
    assert record is not None
    assert record.category == "household_selection"
    stored = ArchiveFile.objects.get(record=record)
    committee = Client()
    committee.force_login(User.objects.get(username="demo-fenglin"))
    body = read_download(committee.get(f"/archive/files/{stored.pk}/"))
    cells = {
        str(c)
        for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)  # type: ignore[union-attr]
        for c in row
        if c is not None
    }
    assert set(chosen) <= cells


def _walk(client: Client, start: str, limit: int = 60) -> dict[str, set[str]]:
    allowed = ALLOWED | _names_in_the_data()
    found: dict[str, set[str]] = defaultdict(set)
    queue, seen, visited = [start], {start}, 0
    while queue and visited < limit:
        response = client.get(queue.pop(0), follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        url = response.request["PATH_INFO"]
        visited += 1
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            close(response)
            continue
        html = response.content.decode()
        text = FILE_NAME.sub(" ", EMAIL.sub(" ", HASH.sub(" ", _visible_text(html))))
        for word in LATIN_WORD.findall(text):
            if word not in allowed:
                found[url].add(word)
        for link in _links(html):
            if link.startswith("/households/") and link not in seen:
                seen.add(link)
                queue.append(link)
    return found


@pytest.mark.parametrize("username", ["demo-resident", "demo-fenglin", "demo-xuhui", "demo-admin"])
def test_the_households_pages_read_in_chinese(demo: None, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    problems = _walk(client, "/households/")
    assert problems == {}
