"""``load_demo`` builds the demo through audited actions: a round, the fictional community and
zone of ``examples/`` with draft applications a person can open, and one account per role."""

from __future__ import annotations

import dataclasses
import importlib
import io
import json
import stat
import zipfile
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from lowcarbon.core.accounting import run_accounting
from lowcarbon.core.outline import check_completeness, is_missing
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.answers import load_answers, score_answers_file
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Application, ApplicationStatus, Evidence
from lowcarbon.web.applications.outlines import application_outline
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.management.commands import load_demo, serve_demo
from lowcarbon.web.management.commands.load_demo import DEMO_KINDS
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.models import Round

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(**options: Any) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def _application(kind: str) -> Application:
    return Application.objects.select_related("round", "unit").get(kind=kind, round__year=2026)


def test_the_round_the_units_and_one_account_per_role(demo: None) -> None:
    round_ = Round.objects.get(year=2026)
    assert round_.kinds == ["community", "zone"]
    assert round_.submission_deadline > date.today()  # the demo round accepts applications
    assert round_.rubric_editions == {"community": "2021", "zone": "2021"}
    assert round_.outline_editions == {"community": "2021", "zone": "2021"}
    # The zone example accounts green-power trades, which only this set can account.
    assert round_.factor_set_id == "shanghai-2023-green-power"
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    community = Organisation.objects.get(kind=OrganisationKind.APPLICANT_UNIT, name="青枫里社区")
    zone = Organisation.objects.get(
        kind=OrganisationKind.APPLICANT_UNIT, name="望江湾低碳发展实践区"
    )
    assert community.district is not None
    assert community.district.name == "徐汇区"
    assert community.parent is not None
    assert community.parent.kind == OrganisationKind.STREET_TOWN
    assert zone.district is not None
    assert zone.district.name == "浦东新区"
    by_name = {user.username: user for user in User.objects.select_related("organisation")}
    assert by_name["demo-community"].organisation == community
    assert by_name["demo-zone"].organisation == zone
    # A district officer for each unit's district, in that district's bureau.
    for officer, district in (("demo-xuhui", "徐汇区"), ("demo-pudong", "浦东新区")):
        user = by_name[officer]
        assert user.role == Role.DISTRICT_OFFICER
        assert user.organisation is not None
        assert user.organisation.kind == OrganisationKind.DISTRICT_BUREAU
        assert user.organisation.district is not None
        assert user.organisation.district.name == district
    assert by_name["demo-admin"].role == Role.ADMINISTRATOR
    assert by_name["demo-admin"].is_staff
    assert by_name["demo-expert"].role == Role.EXPERT


def test_passwords_are_printed_once_kept_for_the_owner_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    # One build of the demo for the three things its first and second runs must do: each full
    # build costs seconds of CI time.
    path = tmp_path / "demo-accounts.json"
    out = _load(accounts_file=path)
    assert "仅供演示" in out
    passwords = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0].startswith("demo-"):
            passwords[parts[0]] = next(p for p in parts[2:] if len(p) >= 16)
    assert set(passwords) == set(User.objects.values_list("username", flat=True))
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password), username
    response = Client().post(
        reverse("login"), {"username": "demo-community", "password": passwords["demo-community"]}
    )
    assert response.status_code == 302

    # The accounts file: readable by its owner only, the same working passwords.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    entries = json.loads(path.read_text(encoding="utf-8"))
    assert {entry["username"]: entry["password"] for entry in entries} == passwords
    assert [a.username for a in load_demo.read_accounts(path)] == [e["username"] for e in entries]

    # A second run changes nothing, says so, and prints no password.
    counts = (
        User.objects.count(),
        Organisation.objects.count(),
        Application.objects.count(),
        Evidence.objects.count(),
        AuditEvent.objects.count(),
    )
    versions = list(Application.objects.values_list("version", "answers_version"))
    again = _load()
    assert "未作任何更改" in again
    assert not any(password in again for password in passwords.values())
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        Application.objects.count(),
        Evidence.objects.count(),
        AuditEvent.objects.count(),
    )
    assert versions == list(Application.objects.values_list("version", "answers_version"))


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_each_application_is_a_draft_of_its_unit_with_the_round_editions(
    kind: str, demo: None
) -> None:
    application = _application(kind)
    assert application.status == ApplicationStatus.DRAFT
    assert application.round.year == 2026
    assert application.rubric_edition == "2021"
    assert application.outline_edition == "2021"
    assert application.factor_set_id == "shanghai-2023-green-power"
    applicant = User.objects.get(username=f"demo-{kind}")
    assert application.unit_id == applicant.organisation_id


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_every_text_and_number_element_is_filled(kind: str, demo: None) -> None:
    application = _application(kind)
    outline = application_outline(application)
    editable = [e for s in outline.iter_sections() for e in s.elements if e.kind in DEMO_KINDS]
    assert len(editable) > 20
    for element in editable:
        assert not is_missing(application.sections.get(element.id)), element.id
    # What is still missing are only tables, lists and drawn areas, filled in their editors.
    report = check_completeness(outline, application.sections)
    assert report.missing
    assert all(entry.element.kind not in DEMO_KINDS for entry in report.missing)
    # The figures agree with the example's profile.
    data = load_accounting_file(EXAMPLES / kind / "accounting.yaml")
    assert application.sections["area"] == str(data.profile.boundary.area_km2)
    if kind == "community":
        latest = data.profile.drivers[-1]
        assert application.sections["resident_population"] == latest.resident_population
        assert application.sections["households"] == latest.households
        assert application.sections["registered_population"] == latest.registered_population
    # Each section was saved by the unit's applicant through the audited section action.
    saves = AuditEvent.objects.filter(
        action="application_section_saved", object_id=str(application.pk)
    )
    assert saves.exists()
    assert set(saves.values_list("actor__username", flat=True)) == {f"demo-{kind}"}


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_the_baseline_data_accounts_to_the_examples_figures(kind: str, demo: None) -> None:
    application = _application(kind)
    result = computing.accounting_result(application)
    assert result is not None
    base = result.inventories[0]
    assert base.year == result.input.profile.base_year == 2023
    assert base.gross_tco2 > 0
    # Exactly what the engine computes from the example file under the round's factor set.
    example = dataclasses.replace(
        load_accounting_file(EXAMPLES / kind / "accounting.yaml"),
        factor_set=application.factor_set_id,
    )
    expected = run_accounting(example, computing.factor_library())
    assert [i.gross_tco2 for i in result.inventories] == [
        i.gross_tco2 for i in expected.inventories
    ]
    assert len(result.input.records) == len(example.records)
    assert (
        AuditEvent.objects.filter(
            action="application_accounting_imported", object_id=str(application.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_the_self_assessment_scores_as_the_example_answers_file(kind: str, demo: None) -> None:
    application = _application(kind)
    stored = computing.score_result(application)
    path = EXAMPLES / kind / "answers.yaml"
    expected = score_answers_file(path, computing.rubric_of(kind, "2021"))
    # Every evidence number the answers cite is on the evidence list, so nothing is zeroed
    # or refused for evidence: the totals are the file's.
    assert (stored.main, stored.bonus) == (expected.main, expected.bonus)
    assert stored.main > 0
    answers, document = load_answers(path)
    assert set(application.answers) == {str(i) for i in document.data["items"]}
    assert AuditEvent.objects.filter(
        action="assessment_answer_saved", object_id=str(application.pk)
    ).count() == len(answers.answers)


def _looks_like(kind: str, content: bytes) -> bool:
    if kind == "pdf":
        return content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    if kind == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "geojson":
        return json.loads(content)["type"] == "FeatureCollection"
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    return {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}[kind] in names


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_each_cited_evidence_number_has_a_real_small_file(kind: str, demo: None) -> None:
    application = _application(kind)
    _answers, document = load_answers(EXAMPLES / kind / "answers.yaml")
    listed = document.data["evidence"]
    evidence = list(Evidence.objects.filter(application=application).order_by("code"))
    # The platform numbers files E01, E02 … in the order of the example's list.
    assert [e.code for e in evidence] == [f"E{n:02d}" for n in range(1, len(listed) + 1)]
    assert [e.title for e in evidence] == [raw["title"] for raw in listed.values()]
    numbers = dict(zip(listed, (e.code for e in evidence), strict=True))
    kinds = set()
    for row, example_code in zip(evidence, listed, strict=True):
        with row.file.open("rb") as handle:
            content = handle.read()
        assert len(content) == row.size < 20_000
        assert _looks_like(row.content_kind, content), row.code
        assert row.original_name.endswith("." + row.content_kind)
        assert row.uploaded_by.username == f"demo-{kind}"
        cited = [
            str(i)
            for i, a in document.data["items"].items()
            if example_code in a.get("evidence", [])
        ]
        assert row.items == cited
        kinds.add(row.content_kind)
    assert len({row.sha256 for row in evidence}) == len(evidence)
    assert kinds >= ({"pdf", "xlsx", "png"} if kind == "community" else {"pdf", "docx", "geojson"})
    # The answers cite the numbers the files were given.
    for item_id, raw in document.data["items"].items():
        expected = [numbers[code] for code in raw.get("evidence", [])]
        assert application.answers[str(item_id)].get("evidence", []) == expected


def test_a_round_of_the_demo_year_made_by_someone_else_is_not_touched(
    open_round: Round,
) -> None:
    Round.objects.filter(pk=open_round.pk).update(year=2026)
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="2026"):
        _load()
    assert AuditEvent.objects.count() == before
    assert not User.objects.filter(username="demo-admin").exists()


def test_production_settings_are_refused(settings: Any) -> None:
    settings.SETTINGS_MODULE = "lowcarbon.web.settings.production"
    with pytest.raises(CommandError):
        _load()
    assert not User.objects.filter(username__startswith="demo-").exists()


def test_a_failure_half_way_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    stored: list[str] = []
    real = load_demo.attach_evidence

    def attach_then_fail(application: Application, *args: Any, **kwargs: Any) -> Evidence:
        if application.kind == "zone":
            raise ValidationError({"file": ["refused for the test"]})
        evidence = real(application, *args, **kwargs)
        stored.append(evidence.file.name)
        return evidence

    monkeypatch.setattr(load_demo, "attach_evidence", attach_then_fail)
    events = AuditEvent.objects.count()  # the seeded organisations' events
    with pytest.raises(CommandError, match="refused for the test"):
        _load()
    assert stored  # files of the community were written before the failure …
    assert not any(default_storage.exists(name) for name in stored)  # … and removed
    assert not User.objects.exists()
    assert not Round.objects.exists()
    assert AuditEvent.objects.count() == events


# --- the audited stand-ins refuse what the real actions refuse -----------------------------


def test_the_demo_actions_refuse_other_people_frozen_applications_and_stale_versions(
    demo: None,
) -> None:
    community = _application("community")
    zone_applicant = User.objects.get(username="demo-zone")
    applicant = User.objects.get(username="demo-community")
    answer = {"level": "group_with_roles", "evidence": ["E01"]}
    with pytest.raises(ValidationError) as other:
        load_demo.save_answer(
            community,
            "1",
            answer,
            expected_version=community.answers_version,
            actor=zone_applicant,
        )
    assert list(other.value.message_dict) == ["__all__"]
    with pytest.raises(ValidationError) as stale:
        load_demo.save_answer(
            community, "1", answer, expected_version=community.answers_version - 1, actor=applicant
        )
    assert stale.value.code == "stale"
    with pytest.raises(ValidationError, match="E99"):
        load_demo.save_answer(
            community,
            "1",
            {"level": "group_with_roles", "evidence": ["E99"]},
            expected_version=community.answers_version,
            actor=applicant,
        )
    data = load_accounting_file(EXAMPLES / "community" / "accounting.yaml")
    Application.objects.filter(pk=community.pk).update(status=ApplicationStatus.SUBMITTED)
    community.refresh_from_db()
    with pytest.raises(ValidationError) as frozen:
        load_demo.import_accounting(
            community, data, expected_version=community.accounting_version, actor=applicant
        )
    assert list(frozen.value.message_dict) == ["__all__"]
    with pytest.raises(ValidationError) as frozen:
        load_demo.attach_evidence(
            community,
            SimpleUploadedFile("x.pdf", b"%PDF-1.4 new"),
            title="t",
            items=[],
            actor=applicant,
        )
    assert list(frozen.value.message_dict) == ["__all__"]
    assert (
        AuditEvent.objects.filter(
            action__in=["assessment_answer_saved", "application_accounting_imported"],
            object_id=str(community.pk),
        ).count()
        == len(community.answers) + 1
    )


def test_baseline_data_the_round_cannot_account_is_refused(demo: None) -> None:
    zone = _application("zone")
    applicant = User.objects.get(username="demo-zone")
    Application.objects.filter(pk=zone.pk).update(factor_set_id="shanghai-2022")
    zone.refresh_from_db()
    data = load_accounting_file(EXAMPLES / "zone" / "accounting.yaml")
    with pytest.raises(ValidationError, match="shanghai-2022"):
        load_demo.import_accounting(
            zone, data, expected_version=zone.accounting_version, actor=applicant
        )


# --- serve_demo: what make demo runs ------------------------------------------------------------


def test_serve_demo_prints_the_address_and_the_accounts_then_serves(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.LOWCARBON_DEMO = True
    settings.VAR_DIR = tmp_path
    served: list[tuple[Any, ...]] = []
    real = serve_demo.call_command

    def call(name: str, *args: Any, **options: Any) -> None:
        if name == "runserver":  # the server itself is Django's; not started in a test
            served.append((name, *args, options))
            return
        real(name, *args, **options)

    monkeypatch.setattr(serve_demo, "call_command", call)
    outputs = []
    for _run in range(2):
        out = StringIO()
        call_command("serve_demo", stdout=out)
        outputs.append(out.getvalue())
    first, second = outputs
    assert "演示数据已载入：2026年度批次" in first
    assert "未作任何更改" in second
    for text in outputs:
        assert "http://127.0.0.1:8000/" in text
        assert "仅供演示" in text
        assert "Ctrl-C" in text
        assert "青枫里社区（账号 demo-community）：示范单位" in text
        assert "未找到" not in text  # the accounts file is there: no "start afresh" advice
    # The same working passwords both times: kept in var/demo-accounts.json.
    for account in load_demo.read_accounts(tmp_path / "demo-accounts.json"):
        assert User.objects.get(username=account.username).check_password(account.password)
        assert account.password in first
        assert account.password in second
    assert served == [("runserver", "127.0.0.1:8000", {"use_reloader": False})] * 2


def test_serve_demo_without_the_accounts_file_says_how_to_start_afresh(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo: None
) -> None:
    settings.LOWCARBON_DEMO = True
    settings.VAR_DIR = tmp_path  # loaded before (the demo fixture), its passwords not kept
    real = serve_demo.call_command
    monkeypatch.setattr(
        serve_demo,
        "call_command",
        lambda name, *a, **o: None if name == "runserver" else real(name, *a, **o),
    )
    out = StringIO()
    call_command("serve_demo", "8123", stdout=out)
    assert "http://127.0.0.1:8123/" in out.getvalue()
    assert "make demo" in out.getvalue()
    assert "demo-accounts.json" in out.getvalue()


def test_serve_demo_refuses_outside_the_demo_settings() -> None:
    with pytest.raises(CommandError, match=r"lowcarbon\.web\.settings\.demo"):
        call_command("serve_demo", stdout=StringIO())
    assert not User.objects.filter(username__startswith="demo-").exists()


def test_the_demo_settings_show_the_platforms_own_error_pages() -> None:
    # DEBUG would answer a refused URL with Django's English page listing the URL patterns.
    demo = importlib.import_module("lowcarbon.web.settings.demo")
    assert demo.DEBUG is False
    assert demo.LOWCARBON_DEMO is True
    assert demo.WHITENOISE_USE_FINDERS is True  # static files without collectstatic
    assert "127.0.0.1" in demo.ALLOWED_HOSTS


# --- the benchmark's settings and ceiling view (the load benchmark itself never runs in tests) ---


def test_the_bench_settings_are_production_like_and_local() -> None:
    bench = importlib.import_module("lowcarbon.web.settings.bench")
    assert bench.DEBUG is False
    assert bench.ALLOWED_HOSTS == ["localhost", "127.0.0.1"]
    assert bench.ROOT_URLCONF == "lowcarbon.web.bench_urls"
    assert len(bench.SECRET_KEY) >= 50
    assert not bench.SECRET_KEY.startswith("django-insecure")
    assert bench.AXES_FAILURE_LIMIT > 1000
    assert bench.LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT > 1000
    # The real password hasher (the test settings' fast one would flatter the sign-ins).
    assert "MD5" not in str(getattr(bench, "PASSWORD_HASHERS", ""))


def test_the_ceiling_view_is_only_in_the_bench_urls(settings: Any) -> None:
    client = Client()
    assert client.get("/bench/ping/").status_code == 404
    settings.ROOT_URLCONF = "lowcarbon.web.bench_urls"
    response = client.get("/bench/ping/")
    assert response.status_code == 200
    assert response.content == b"pong"
    assert client.get("/", follow=False).status_code == 302  # the site itself is mounted too


def test_the_demo_panel_has_three_experts_with_their_affiliations(demo: None) -> None:
    """The third expert works for a consultancy in 徐汇区: assigning them to the community
    there shows the conflict check at work (tests/web/test_review_actions.py covers it)."""
    from lowcarbon.web.review.models import ExpertProfile

    profiles = {p.user.username: p for p in ExpertProfile.objects.select_related("user")}
    assert set(profiles) == {"demo-expert", "demo-expert2", "demo-expert3"}
    assert [d.name for d in profiles["demo-expert3"].districts.all()] == ["徐汇区"]
    assert profiles["demo-expert3"].consultancies == ["青松节能咨询有限公司"]
    assert not profiles["demo-expert"].districts.exists()


def test_a_random_password_too_like_the_user_name_is_drawn_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lowcarbon.web.management.commands import load_demo

    draws = iter(["demo-xuhui1", "Qv8-rT2mZx_kPw4n"])
    monkeypatch.setattr(load_demo.secrets, "token_urlsafe", lambda _n: next(draws))
    assert load_demo._password("demo-xuhui") == "Qv8-rT2mZx_kPw4n"


def test_the_showcase_community_holds_together_and_the_zone_shows_the_checks(demo: None) -> None:
    # Issue 14 item 18: one unit whose plan is consistent, one whose gaps the checks show.
    community = computing.accounting_result(_application("community"))
    zone = computing.accounting_result(_application("zone"))
    assert community is not None
    assert community.forecast is not None
    assert zone is not None
    assert zone.forecast is not None
    assert all(check.met for check in community.forecast.targets.checks)
    assert community.forecast.targets.consistency is True
    assert [t.value for t in community.input.targets if t.year == 2027] == [
        Decimal("0.71"),
        Decimal("6.0"),
    ]
    assert sum(not check.met for check in zone.forecast.targets.checks) >= 5
    assert zone.forecast.targets.consistency is False
    parts = {unit["account"]: unit["part"] for unit in load_demo.unit_parts()}
    assert "示范" in parts["demo-community"]
    assert "核查" in parts["demo-zone"]


def test_the_sign_in_page_names_the_showcase_only_in_the_demo(settings: Any) -> None:
    page = Client().get(reverse("login")).content.decode()
    assert "演示数据" not in page
    settings.LOWCARBON_DEMO = True
    page = Client().get(reverse("login")).content.decode()
    assert "演示数据" in page
    assert "青枫里社区（账号 demo-community）：示范单位" in page
    assert "望江湾低碳发展实践区（账号 demo-zone）：展示平台的核查" in page


def test_the_experts_material_names_the_consistency_verdict_in_chinese(demo: None) -> None:
    from lowcarbon.web.review.models import Assignment

    expert = User.objects.get(username="demo-expert")
    assignment = (
        Assignment.objects.filter(expert=expert, application__kind="community")
        .order_by("pk")
        .first()
    )
    assert assignment is not None
    client = Client()
    client.force_login(expert)
    page = client.get(reverse("review:workspace", args=[assignment.pk])).content.decode()
    assert "任务减排量与总体目标的一致性：衔接" in page  # a community whose tasks reach its targets
    assert "True" not in page
