"""The low-carbon household selection (附件4 第7项) in the web: run by the residents' committee
(audited, repeatable until published), each candidate with its reasons, published (frozen) into
the unit's records archive with the result list as a workbook, opened and read here; district
officers and the bureau see aggregates only."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.archive.models import ArchiveFile, ArchiveRecord
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.households.models import Household, Selection
from lowcarbon.web.households.selection import do_publish_selection, do_run_selection

from ..creation.support import decide_and_publish, unit_of
from ..responses import read_download
from ..review_support import make_round, recommended_application, signed_in
from .support import household, year_of

pytestmark = pytest.mark.django_db

# label, members, monthly kWh in 2024 and in 2025, months of 2025: per-capita kgCO2 a year of
# 2025 at 0.42 kg/kWh plus 10 m³ of gas a month (21.62 kg) → (kWh × 0.42 + 21.62) × 12 ÷ members.
LEDGERS = (
    ("1号楼 101", 2, "300", "250", 12),  # falls, low: selected
    ("1号楼 102", 2, "300", "320", 12),  # rises
    ("1号楼 201", 1, "200", "150", 12),  # falls, but alone: above the median
    ("1号楼 202", 3, "400", "380", 12),  # falls, low per person: selected
    ("1号楼 301", 2, "300", "200", 9),  # incomplete
)


@pytest.fixture
def committee(users: dict[str, User]) -> User:
    return users[Role.APPLICANT]


@pytest.fixture
def ledgers(committee: User) -> dict[str, Household]:
    made = {}
    for label, members, before, after, months in LEDGERS:
        found = household(committee, label, members)
        year_of(committee, found, 2024, before)
        year_of(committee, found, 2025, after, months=months)
        made[label] = found
    return made


@pytest.fixture
def in_creation(users: dict[str, User], admin_user: User) -> CreationUnit:
    round_ = make_round(admin_user, year=2099)
    selected, _ = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    decide_and_publish(admin_user, round_, [(selected, "selected")], "selection_reviewer")
    return unit_of(selected)


def test_the_selection_with_its_reasons(committee: User, ledgers: dict[str, Household]) -> None:
    assert committee.organisation is not None
    selection = do_run_selection(committee.organisation, 2025, actor=committee)
    chosen = [c["label"] for c in selection.result["candidates"] if c["selected"]]
    assert chosen == ["1号楼 202", "1号楼 101"]
    by_label = {c["label"]: c for c in selection.result["candidates"]}
    failed = {
        label: [k["code"] for k in c["checks"] if not k["passed"]] for label, c in by_label.items()
    }
    assert failed["1号楼 102"] == ["reduction", "level"]
    assert failed["1号楼 201"] == ["level"]
    assert failed["1号楼 301"] == ["completeness"]
    assert selection.runs == 1
    assert AuditEvent.objects.get(action="household_selection_run").after["selected"] == 2
    page = signed_in(committee).get(
        reverse("households:selection", args=[committee.organisation_id, 2025])
    )
    text = page.content.decode()
    assert "12 个月中记录了 9 个月；至少需要 10 个月" in text
    assert "须不高于中位数" in text
    assert "平台设定" in text  # the thresholds are the platform's choice, and say so


def test_run_again_until_published_then_frozen(
    committee: User, ledgers: dict[str, Household], in_creation: CreationUnit
) -> None:
    unit = committee.organisation
    assert unit is not None
    first = do_run_selection(unit, 2025, actor=committee)
    year_of(committee, ledgers["1号楼 301"], 2025, "200", months=0)  # nothing new
    again = do_run_selection(unit, 2025, actor=committee)
    assert again.pk == first.pk
    assert again.runs == 2
    with pytest.raises(ValidationError):
        do_publish_selection(again, expected_version=first.version, actor=committee)  # stale
    published = do_publish_selection(again, expected_version=again.version, actor=committee)
    assert published.published_at is not None
    with pytest.raises(ValidationError) as refused:
        do_run_selection(unit, 2025, actor=committee)
    assert "已公布" in refused.value.messages[0]
    record = published.archive_record
    assert record is not None
    assert record.unit == in_creation
    assert record.category == "household_selection"
    assert "7" in record.items
    assert record.title == "2025年度低碳家庭评选"
    stored = ArchiveFile.objects.get(record=record)
    assert stored.content_kind == "xlsx"
    body = read_download(signed_in(committee).get(reverse("archive:file", args=[stored.pk])))
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "2025年度低碳家庭评选" in cells
    assert "1号楼 202" in cells
    assert "1号楼 101" in cells
    # Households not selected appear only as counts, never by name.
    assert "1号楼 102" not in cells
    assert "1号楼 301" not in cells
    assert AuditEvent.objects.filter(action="household_selection_published").count() == 1
    assert ArchiveRecord.objects.filter(category="household_selection").count() == 1


def test_the_pages_run_and_publish(committee: User, ledgers: dict[str, Household]) -> None:
    unit_pk = committee.organisation_id
    client = signed_in(committee)
    response = client.post(reverse("households:selection_run", args=[unit_pk]), {"year": "2025"})
    assert response.url == reverse("households:selection", args=[unit_pk, 2025])
    bad = client.post(
        reverse("households:selection_run", args=[unit_pk]), {"year": "20x5"}, follow=True
    )
    assert "年份" in bad.content.decode()
    selection = Selection.objects.get(year=2025)
    client.post(
        reverse("households:selection_publish", args=[unit_pk, 2025]),
        {"version": str(selection.version)},
    )
    selection.refresh_from_db()
    assert selection.published_at is not None
    assert selection.archive_record is None  # the unit is not in creation: no archive
    text = client.get(reverse("households:selection", args=[unit_pk, 2025])).content.decode()
    assert "结果已冻结" in text


def test_officers_and_the_bureau_see_aggregates_only(
    users: dict[str, User], admin_user: User, committee: User, ledgers: dict[str, Household]
) -> None:
    for person in (users[Role.DISTRICT_OFFICER], admin_user):
        client = signed_in(person)
        assert client.get(reverse("households:index")).url == reverse("households:overview")
        text = client.get(reverse("households:overview")).content.decode()
        assert "田林十二村社区" in text
        for label, *_rest in LEDGERS:
            assert label not in text
        assert "户数不足，不显示平均" in text  # 4 complete ledgers: no average
        for name, args in (
            ("households:community", [committee.organisation_id]),
            ("households:household", [ledgers["1号楼 101"].pk]),
            ("households:selection", [committee.organisation_id, 2025]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 404
    expert = signed_in(users[Role.EXPERT])
    assert expert.get(reverse("households:index")).status_code == 404
    assert expert.get(reverse("households:overview")).status_code == 404
