"""Baseline data: importing the accounting workbook, editing drivers, clearing; who may do what."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lowcarbon.core.activity import AccountingInput, UnitKind
from lowcarbon.rules.activity import accounting_input_from_data, load_accounting_file
from lowcarbon.rules.workbook import read_workbook, write_workbook_template
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.baseline import (
    ACCOUNTING_CLEARED,
    ACCOUNTING_IMPORTED,
    DRIVERS_SAVED,
    accounting_summary,
    canonical_sha256,
    content_kind,
    do_clear_accounting,
    do_import_accounting,
    do_save_drivers,
    read_uploaded_workbook,
    stored_form,
)
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from .conftest import PASSWORD, open_round_arguments

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def example(kind: str) -> AccountingInput:
    return load_accounting_file(EXAMPLES / kind / "accounting.yaml")


def workbook_bytes(kind: str, tmp_path: Path, edit: Any = None) -> bytes:
    """The example of ``kind`` written to the template, optionally changed by ``edit(book)``."""
    target = tmp_path / f"{kind}.xlsx"
    write_workbook_template(
        target, kind=UnitKind(kind), language="zh", translate=str, example=example(kind)
    )
    if edit is not None:
        book = load_workbook(target)
        edit(book)
        book.save(target)
    return target.read_bytes()


def upload(content: bytes, name: str = "核算数据.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def _round(admin_user: User, year: int, factor_set: str) -> Round:
    today = timezone.localdate()
    return do_open_round(
        **open_round_arguments(
            year=year,
            submission_deadline=today + timedelta(days=30),
            recommendation_deadline=today + timedelta(days=60),
            review_deadline=today + timedelta(days=90),
            factor_set_id=factor_set,
        ),
        actor=admin_user,
    )


@pytest.fixture
def green_round(admin_user: User) -> Round:
    """The zone example accounts green power: it needs the set that has a green factor."""
    return _round(admin_user, 2098, "shanghai-2023-green-power")


@pytest.fixture
def zone_application(green_round: Round, applicant: User) -> Application:
    return do_create_application(
        green_round,
        applicant.organisation,  # type: ignore[arg-type]
        "zone",
        actor=applicant,
    )


@pytest.fixture
def community_application(green_round: Round, applicant: User) -> Application:
    return do_create_application(
        green_round,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )


def imported(application: Application, applicant: User, kind: str = "zone") -> Application:
    return do_import_accounting(application, example(kind), expected_version=1, actor=applicant)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- content checks --------------------------------------------------------------------------


def test_content_kind_is_found_from_the_bytes(tmp_path: Path) -> None:
    assert content_kind(io.BytesIO(workbook_bytes("community", tmp_path))) == "xlsx"
    assert content_kind(io.BytesIO(b"%PDF-1.7\n...")) == "pdf"
    assert content_kind(io.BytesIO(b"\x89PNG\r\n\x1a\n....")) == "png"
    assert content_kind(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....")) == "ole"
    assert content_kind(io.BytesIO(b"")) == "empty"
    assert content_kind(io.BytesIO("年份,数量\n2023,1\n".encode())) == "text"
    assert content_kind(io.BytesIO(b"PK\x03\x04broken")) == "unknown"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("[Content_Types].xml", "<Types/>")
        handle.writestr("word/document.xml", "<w:document/>")
    assert content_kind(archive) == "docx"
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as handle:
        handle.writestr("readme.txt", "hello")
    assert content_kind(plain) == "zip"


def test_a_renamed_pdf_is_refused_saying_what_it_is() -> None:
    with pytest.raises(ValidationError) as caught:
        read_uploaded_workbook(upload(b"%PDF-1.7\n%binary", "核算数据.xlsx"))
    text = " ".join(caught.value.message_dict["workbook"])
    assert "“核算数据.xlsx”是PDF文档" in text
    assert "不是Excel工作簿（.xlsx）" in text


def test_an_oversized_file_is_refused_before_it_is_read(settings: Any, tmp_path: Path) -> None:
    settings.LOWCARBON_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        read_uploaded_workbook(upload(workbook_bytes("community", tmp_path)))
    text = " ".join(caught.value.message_dict["workbook"])
    assert "最多可上传 1000 B" in text


def test_the_uploaded_workbook_reads_back_the_example(tmp_path: Path) -> None:
    data = read_uploaded_workbook(upload(workbook_bytes("zone", tmp_path)))
    assert data == example("zone")


# --- importing -------------------------------------------------------------------------------


def test_importing_stores_the_data_bumps_the_version_and_audits_a_summary(
    zone_application: Application, applicant: User
) -> None:
    stored = imported(zone_application, applicant)
    assert stored.accounting_version == 2
    fresh = Application.objects.get(pk=zone_application.pk)
    assert fresh.accounting == stored_form(example("zone"))
    # Stored as JSON numbers, it reads back into the same input.
    assert accounting_input_from_data(fresh.accounting) == example("zone")
    [event] = events(ACCOUNTING_IMPORTED)
    assert event.actor == applicant
    assert event.before == {"version": 1, "empty": True}
    assert event.after["version"] == 2
    assert event.after["records"] == 71
    assert event.after["tasks"] == 9
    assert event.after["years"] == [2023, 2024, 2025]
    assert event.after["sha256"] == canonical_sha256(fresh.accounting)
    assert event.after["workbook_factor_set"] == "shanghai-2023-green-power"
    # A summary, not the data: the event stays small.
    assert "records" not in str(event.after.get("profile", ""))
    assert len(str(event.after)) < 1000


def test_replacing_audits_the_summary_before_and_after(
    zone_application: Application, applicant: User
) -> None:
    first = imported(zone_application, applicant)
    smaller = example("zone")
    smaller = AccountingInput(
        smaller.profile,
        tuple(r for r in smaller.records if r.year == 2023),
        factor_set=smaller.factor_set,
        years=(2023,),
    )
    do_import_accounting(first, smaller, expected_version=2, actor=applicant)
    event = events(ACCOUNTING_IMPORTED)[-1]
    assert event.before["records"] == 71
    assert event.after["records"] == len(smaller.records)
    assert event.before["sha256"] != event.after["sha256"]


def test_a_stale_version_is_refused_naming_who_changed_it(
    zone_application: Application, applicant: User
) -> None:
    imported(zone_application, applicant)
    with pytest.raises(ValidationError, match=r"版本 2.*版本 1.*applicant") as caught:
        do_import_accounting(zone_application, example("zone"), expected_version=1, actor=applicant)
    assert caught.value.code == "stale"
    assert len(events(ACCOUNTING_IMPORTED)) == 1
    assert Application.objects.get(pk=zone_application.pk).accounting_version == 2


def test_data_the_engine_cannot_account_under_the_round_set_is_refused(
    admin_user: User, applicant: User
) -> None:
    # shanghai-2022 has no green-power factor: the zone example's green power cannot be
    # accounted (沪环气候〔2023〕89号), so nothing is stored.
    plain = _round(admin_user, 2097, "shanghai-2022")
    application = do_create_application(
        plain,
        applicant.organisation,  # type: ignore[arg-type]
        "zone",
        actor=applicant,
    )
    with pytest.raises(ValidationError) as caught:
        imported(application, applicant)
    text = " ".join(caught.value.message_dict["workbook"])
    assert "shanghai-2022" in text
    assert "绿电" in text or "绿色电力" in text
    assert Application.objects.get(pk=application.pk).accounting == {}
    assert events(ACCOUNTING_IMPORTED) == []


def test_a_workbook_of_the_other_kind_is_refused(
    community_application: Application, applicant: User
) -> None:
    with pytest.raises(ValidationError, match=r"实践区.*社区"):
        imported(community_application, applicant, "zone")
    assert Application.objects.get(pk=community_application.pk).accounting == {}


def test_another_units_applicant_cannot_import(
    zone_application: Application, admin_user: User, xuhui: Organisation
) -> None:
    unit = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name="康健街道社区",
        parent=xuhui,
        district=xuhui.district,
        actor=admin_user,
    )
    other = do_create_user(
        username="other-applicant",
        password=PASSWORD,
        role=Role.APPLICANT,
        organisation=unit,
        actor=admin_user,
    )
    with pytest.raises(ValidationError, match="只能编辑本单位"):
        imported(zone_application, other)
    assert events(ACCOUNTING_IMPORTED) == []


def test_a_submitted_application_cannot_be_changed(
    zone_application: Application, applicant: User
) -> None:
    Application.objects.filter(pk=zone_application.pk).update(status="submitted")
    zone_application.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再修改"):
        imported(zone_application, applicant)
    assert events(ACCOUNTING_IMPORTED) == []


def test_nothing_changes_after_the_deadline(zone_application: Application, applicant: User) -> None:
    Round.objects.filter(pk=zone_application.round_id).update(
        submission_deadline=timezone.localdate() - timedelta(days=1)
    )
    zone_application.refresh_from_db()
    with pytest.raises(ValidationError, match=r"申报截止日期.*已过"):
        imported(zone_application, applicant)
    assert events(ACCOUNTING_IMPORTED) == []


def test_clearing_empties_the_data_and_audits(
    zone_application: Application, applicant: User
) -> None:
    stored = imported(zone_application, applicant)
    cleared = do_clear_accounting(stored, expected_version=2, actor=applicant)
    assert (cleared.accounting, cleared.accounting_version) == ({}, 3)
    [event] = events(ACCOUNTING_CLEARED)
    assert event.before["records"] == 71
    assert event.after == {"version": 3, "empty": True}
    with pytest.raises(ValidationError, match="版本 3"):
        do_clear_accounting(stored, expected_version=2, actor=applicant)


def test_saving_drivers_replaces_one_year_and_audits_it(
    zone_application: Application, applicant: User
) -> None:
    stored = imported(zone_application, applicant)
    saved = do_save_drivers(
        stored,
        2025,
        {"resident_population": 15600, "households": 6300, "floor_area_residential": 530000},
        expected_version=2,
        actor=applicant,
    )
    drivers = {d["year"]: d for d in saved.accounting["profile"]["drivers"]}
    assert drivers[2025] == {
        "year": 2025,
        "resident_population": 15600,
        "households": 6300,
        "floor_area_m2": {"residential": 530000},
    }
    assert drivers[2024]["resident_population"] == 15100  # other years untouched
    [event] = events(DRIVERS_SAVED)
    assert event.after["year"] == 2025
    assert event.after["drivers_before"]["resident_population"] == 15300
    assert event.after["drivers_after"]["resident_population"] == 15600


def test_drivers_need_a_resident_population(zone_application: Application, applicant: User) -> None:
    stored = imported(zone_application, applicant)
    with pytest.raises(ValidationError) as caught:
        do_save_drivers(
            stored,
            2025,
            {"resident_population": 0, "households": -3},
            expected_version=2,
            actor=applicant,
        )
    assert "2025" in caught.value.message_dict["resident_population"][0]
    assert caught.value.message_dict["households"]
    assert events(DRIVERS_SAVED) == []


def test_summary_of_empty_data() -> None:
    assert accounting_summary({}, 4) == {"version": 4, "empty": True}


# --- the page --------------------------------------------------------------------------------


def test_the_page_imports_an_uploaded_workbook(
    zone_application: Application, applicant: User, tmp_path: Path
) -> None:
    client = signed_in(applicant)
    url = reverse("applications:baseline", args=[zone_application.pk])
    empty = client.get(url).content.decode()
    assert "尚未录入基础数据" in empty
    assert 'name="version" value="1"' in empty
    response = client.post(
        url, {"version": "1", "workbook": upload(workbook_bytes("zone", tmp_path))}, follow=True
    )
    page = response.content.decode()
    assert "已导入" in page
    assert "71" in page
    assert "望江湾低碳发展实践区" in page
    assert "国网上海市电力公司计量数据" in page  # a record's source, in place
    assert "14,800" in page  # the base-year resident population, formatted
    assert Application.objects.get(pk=zone_application.pk).accounting_version == 2


def test_the_page_says_when_the_workbook_names_another_factor_set(
    community_application: Application, applicant: User, tmp_path: Path
) -> None:
    client = signed_in(applicant)
    url = reverse("applications:baseline", args=[community_application.pk])
    response = client.post(
        url,
        {"version": "1", "workbook": upload(workbook_bytes("community", tmp_path))},
        follow=True,
    )
    page = response.content.decode()
    assert "shanghai-2022" in page
    assert "shanghai-2023-green-power" in page
    assert "排放因子集" in page


def _spoil(book: Any) -> None:
    sheet = book["电力"]
    sheet["D2"] = "一万八千"  # 数量: text in a number cell
    sheet["E3"] = "m³"  # 单位: a volume for electricity
    book["年度规模"]["B2"] = "很多"


def test_row_errors_are_shown_in_place_and_nothing_is_saved(
    zone_application: Application, applicant: User, tmp_path: Path
) -> None:
    client = signed_in(applicant)
    url = reverse("applications:baseline", args=[zone_application.pk])
    response = client.post(
        url, {"version": "1", "workbook": upload(workbook_bytes("zone", tmp_path, _spoil))}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "采集表中发现 3 处问题，没有导入任何数据" in page
    problems = page.split('<div class="problems"', 1)[1].split("</table>", 1)[0]
    assert problems.count("<tr>") == 1 + 3  # header + one row per problem
    assert "一万八千" in problems
    assert "很多" in problems
    assert "m³" in problems
    assert "<td>电力</td><td>2</td><td>数量</td><td>D2</td>" in problems
    assert "年度规模" in problems
    assert Application.objects.get(pk=zone_application.pk).accounting == {}
    assert events(ACCOUNTING_IMPORTED) == []


def test_the_page_refuses_a_renamed_pdf(zone_application: Application, applicant: User) -> None:
    client = signed_in(applicant)
    url = reverse("applications:baseline", args=[zone_application.pk])
    response = client.post(url, {"version": "1", "workbook": upload(b"%PDF-1.4 x", "数据.xlsx")})
    assert response.status_code == 400
    assert "是PDF文档，不是Excel工作簿" in response.content.decode()
    assert events(ACCOUNTING_IMPORTED) == []


def test_the_page_refuses_a_stale_upload_and_offers_the_new_version(
    zone_application: Application, applicant: User, tmp_path: Path
) -> None:
    imported(zone_application, applicant)
    client = signed_in(applicant)
    url = reverse("applications:baseline", args=[zone_application.pk])
    response = client.post(
        url, {"version": "1", "workbook": upload(workbook_bytes("zone", tmp_path))}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "其他人已先修改了基础数据" in page
    assert 'name="version" value="2"' in page
    assert len(events(ACCOUNTING_IMPORTED)) == 1


def test_the_downloaded_workbook_holds_the_stored_data(
    zone_application: Application, applicant: User, tmp_path: Path
) -> None:
    client = signed_in(applicant)
    url = reverse("applications:baseline_workbook", args=[zone_application.pk])
    empty = client.get(url)
    assert empty["Content-Type"] == XLSX
    assert "attachment" in empty["Content-Disposition"]
    target = tmp_path / "empty.xlsx"
    target.write_bytes(b"".join(empty.streaming_content))  # type: ignore[attr-defined]
    assert "年度规模" in load_workbook(target).sheetnames
    imported(zone_application, applicant)
    filled = client.get(url)
    target = tmp_path / "filled.xlsx"
    target.write_bytes(b"".join(filled.streaming_content))  # type: ignore[attr-defined]
    data = read_workbook(target)
    assert data.records == example("zone").records
    assert data.factor_set == "shanghai-2023-green-power"


def test_the_drivers_page_saves_and_keeps_typed_text(
    zone_application: Application, applicant: User
) -> None:
    imported(zone_application, applicant)
    client = signed_in(applicant)
    url = reverse("applications:baseline_drivers", args=[zone_application.pk, 2025])
    form = client.get(url).content.decode()
    assert 'value="15300"' in form
    bad = client.post(url, {"version": "2", "resident_population": "一万五", "households": "6250"})
    assert bad.status_code == 400
    assert "一万五" in bad.content.decode()
    assert "整数" in bad.content.decode()
    good = client.post(
        url, {"version": "2", "resident_population": "15600", "households": "6250"}, follow=True
    )
    assert "2025年的规模数据已保存" in good.content.decode()
    assert len(events(DRIVERS_SAVED)) == 1
    missing = client.get(reverse("applications:baseline_drivers", args=[zone_application.pk, 2019]))
    assert missing.status_code == 404


def test_the_clear_form_needs_confirmation(zone_application: Application, applicant: User) -> None:
    imported(zone_application, applicant)
    client = signed_in(applicant)
    url = reverse("applications:baseline_clear", args=[zone_application.pk])
    unconfirmed = client.post(url, {"version": "2"}, follow=True)
    assert "勾选" in unconfirmed.content.decode()
    assert Application.objects.get(pk=zone_application.pk).accounting
    client.post(url, {"version": "2", "confirm": "on"})
    assert Application.objects.get(pk=zone_application.pk).accounting == {}


def test_after_the_deadline_the_page_has_no_upload_form(
    zone_application: Application, applicant: User
) -> None:
    Round.objects.filter(pk=zone_application.round_id).update(
        submission_deadline=timezone.localdate() - timedelta(days=1)
    )
    page = (
        signed_in(applicant)
        .get(reverse("applications:baseline", args=[zone_application.pk]))
        .content.decode()
    )
    assert "申报截止日期" in page
    assert 'enctype="multipart/form-data"' not in page


# --- who may do what -------------------------------------------------------------------------


def _people(users: dict[str, User], admin_user: User) -> dict[str, User]:
    """The seven kinds of visitor of the permission matrix (anonymous apart)."""
    people = dict(users)

    def unit_person(district: str, name: str, role: str, username: str) -> User:
        bureau = Organisation.objects.get(
            kind=OrganisationKind.DISTRICT_BUREAU, district__name=district
        )
        organisation = bureau
        if role == Role.APPLICANT:
            organisation = do_create_organisation(
                kind=OrganisationKind.APPLICANT_UNIT,
                name=name,
                parent=bureau,
                district=bureau.district,
                actor=admin_user,
            )
        return do_create_user(
            username=username,
            password=PASSWORD,
            role=role,
            organisation=organisation,
            actor=admin_user,
        )

    people["other_unit"] = unit_person("徐汇区", "康健街道社区", Role.APPLICANT, "other-unit")
    people["other_district"] = unit_person("黄浦区", "", Role.DISTRICT_OFFICER, "other-officer")
    return people


# (GET status, POST status) per visitor: 404 hides other people's applications.
MATRIX = {
    Role.APPLICANT: (200, 302),
    "other_unit": (404, 404),
    Role.DISTRICT_OFFICER: (200, 404),
    "other_district": (404, 404),
    Role.EXPERT: (404, 404),
    Role.ADMINISTRATOR: (200, 404),
}


def test_the_permission_matrix(
    zone_application: Application,
    users: dict[str, User],
    admin_user: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    imported(zone_application, users[Role.APPLICANT])
    people = _people(users, admin_user)
    pk = zone_application.pk
    reads = [
        reverse("applications:baseline", args=[pk]),
        reverse("applications:baseline_workbook", args=[pk]),
        reverse("applications:results", args=[pk]),
    ]
    writes = [
        (reverse("applications:baseline_drivers", args=[pk, 2025]), {"version": "0"}),
        (reverse("applications:baseline_clear", args=[pk]), {"version": "0"}),
        (reverse("applications:baseline", args=[pk]), {"version": "0"}),
    ]
    caplog.set_level(logging.WARNING, logger="lowcarbon.web.permissions")
    for who, (get_status, post_status) in MATRIX.items():
        client = signed_in(people[who])
        for url in reads:
            assert client.get(url).status_code == get_status, (who, url)
        for url, data in writes:
            status = client.post(url, data).status_code
            if post_status == 302:
                # The owner reaches the view: a stale or incomplete form, never a 403/404.
                assert status in (200, 302, 400), (who, url, status)
            else:
                assert status == post_status, (who, url, status)
        drivers_get = client.get(writes[0][0]).status_code
        assert drivers_get == (200 if who == Role.APPLICANT else 404), who
    assert "permission denied" in caplog.text
    anonymous = Client()
    for url in [*reads, *(url for url, _ in writes)]:
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Application.objects.get(pk=pk).accounting_version == 2


def test_own_people_get_403_on_a_submitted_application(
    zone_application: Application, applicant: User
) -> None:
    imported(zone_application, applicant)
    Application.objects.filter(pk=zone_application.pk).update(status="submitted")
    client = signed_in(applicant)
    pk = zone_application.pk
    assert client.get(reverse("applications:baseline", args=[pk])).status_code == 200
    assert client.get(reverse("applications:results", args=[pk])).status_code == 200
    assert client.post(reverse("applications:baseline", args=[pk]), {}).status_code == 403
    assert client.post(reverse("applications:baseline_clear", args=[pk]), {}).status_code == 403
    drivers = reverse("applications:baseline_drivers", args=[pk, 2025])
    assert client.get(drivers).status_code == 403
    page = client.get(reverse("applications:baseline", args=[pk])).content.decode()
    assert "只读" in page
    assert 'enctype="multipart/form-data"' not in page
