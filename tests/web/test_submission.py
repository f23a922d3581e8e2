"""Submission: the pre-submission check, the frozen snapshot, withdrawal and resubmission.

Data is set up through the real actions where they exist (creating, saving sections); the
baseline data and the self-assessment are stored with a direct update from the bundled
examples, as the baseline and assessment pages would store them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lowcarbon.core.outline import ElementKind
from lowcarbon.rules.activity import accounting_input_to_data, load_accounting_file
from lowcarbon.rules.application_file import load_application_file
from lowcarbon.rules.snapshot import canonical_json as codec_canonical_json
from lowcarbon.rules.snapshot import (
    read_snapshot,
    snapshot_data,
    snapshot_from_data,
)
from lowcarbon.rules.snapshot import snapshot_sha256 as codec_snapshot_sha256
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.models import Application, Evidence, Submission
from lowcarbon.web.applications.outlines import application_outline
from lowcarbon.web.applications.submission import (
    canonical_json,
    check_application,
    do_submit,
    do_withdraw,
    draft_snapshot,
    frozen_snapshot,
    outline_sha256,
    score_total,
)
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from ..application_export import plain
from .conftest import PASSWORD, open_round_arguments

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "community"
# Evidence files attached in these tests: the example answers cite E01…E28.
ATTACHED = ("E01", "E02", "E03")


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def current_round(admin_user: User) -> Round:
    today = timezone.localdate()
    return do_open_round(
        **open_round_arguments(
            year=2099,
            kinds=["community"],
            submission_deadline=today + timedelta(days=30),
            recommendation_deadline=today + timedelta(days=60),
            review_deadline=today + timedelta(days=90),
        ),
        actor=admin_user,
    )


@pytest.fixture
def application(current_round: Round, applicant: User) -> Application:
    return do_create_application(
        current_round,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )


def fill_outline(application: Application, actor: User) -> Application:
    """Every required element: text and numbers through the real action, section by section;
    tables and lists with a direct update (their editors are another part's)."""
    outline = application_outline(application)
    direct: dict[str, Any] = {}
    for section in outline.iter_sections():
        values: dict[str, str] = {}
        for element in section.elements:
            if not element.required:
                continue
            if element.kind == ElementKind.TEXT:
                values[element.id] = f"{element.label.zh}：示例内容。"
            elif element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
                values[element.id] = "12"
            else:
                direct[element.id] = [{"text": f"{element.label.zh}一"}]
        if values:
            application = do_save_section(
                application,
                section.id,
                values,
                expected_version=application.version,
                actor=actor,
            )
    sections = dict(application.sections) | direct
    Application.objects.filter(pk=application.pk).update(sections=sections)
    application.refresh_from_db()
    return application


def example_accounting() -> dict[str, Any]:
    data = accounting_input_to_data(load_accounting_file(EXAMPLES / "accounting.yaml"))
    # As the baseline page stores them: JSON numbers (lowcarbon.web.applications.baseline).
    return plain(data)


def example_answers(keep_evidence: tuple[str, ...] = ATTACHED) -> dict[str, Any]:
    items = yaml.safe_load((EXAMPLES / "answers.yaml").read_text(encoding="utf-8"))["items"]
    answers = {}
    for item_id, answer in items.items():
        answer = dict(answer)
        cited = [code for code in answer.get("evidence", []) if code in keep_evidence]
        if cited:
            answer["evidence"] = cited
        else:
            answer.pop("evidence", None)
        answers[str(item_id)] = answer
    return answers


def attach(application: Application, actor: User, code: str, content: bytes) -> Evidence:
    evidence = Evidence(
        application=application,
        code=code,
        title=f"佐证材料{code}",
        items=["1"],
        original_name=f"{code}.pdf",
        content_kind="pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    evidence.file.save(f"{code}.pdf", ContentFile(content), save=True)
    return evidence


@pytest.fixture
def complete(application: Application, applicant: User) -> Application:
    """An application with nothing blocking: outline, baseline data, answers, evidence."""
    application = fill_outline(application, applicant)
    for code in ATTACHED:
        attach(application, applicant, code, b"%PDF-1.4 " + code.encode() + b" evidence")
    Application.objects.filter(pk=application.pk).update(
        accounting=example_accounting(), answers=example_answers()
    )
    application.refresh_from_db()
    return application


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def other_unit(admin_user: User, district: str, name: str) -> tuple[Organisation, User]:
    bureau = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name=district
    )
    unit = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name=name,
        parent=bureau,
        district=bureau.district,
        actor=admin_user,
    )
    person = do_create_user(
        username=f"applicant-{unit.pk}",
        password=PASSWORD,
        role=Role.APPLICANT,
        organisation=unit,
        actor=admin_user,
    )
    return unit, person


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- the check -----------------------------------------------------------------------------


def test_an_empty_application_lists_what_blocks_it(application: Application) -> None:
    check = check_application(application)
    codes = {gap.code for gap in check.blocking}
    assert codes == {"outline_missing", "no_baseline"}
    missing = {gap.params["element"] for gap in check.blocking if gap.code == "outline_missing"}
    assert {"geographic_location", "area", "indicator_system"} <= missing
    # Every item unanswered: a warning (0 points), not a refusal.
    unanswered = next(gap for gap in check.warnings if gap.code == "unanswered")
    assert len(unanswered.params["items"]) == len(computing.rubric_of("community", "2021").items())


def test_submitting_with_blocking_gaps_is_refused_listing_them(
    application: Application, applicant: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        do_submit(application, actor=applicant)
    message = " ".join(refused.value.messages)
    assert "尚不能提交" in message
    assert "地理位置" in message
    assert "基础数据" in message
    application.refresh_from_db()
    assert application.status == "draft"
    assert Submission.objects.count() == 0
    assert events("application_submitted") == 0


def test_a_complete_application_has_only_warnings(complete: Application) -> None:
    check = check_application(complete)
    assert check.blocking == ()
    codes = {gap.code for gap in check.warnings}
    # Items whose evidence the test did not attach claim points without it: 0, a warning.
    assert "no_evidence" in codes
    assert "unanswered" not in codes
    assert check.score is not None
    assert score_total(check.score) == score_total(computing.score_result(complete))


def test_an_answer_citing_a_removed_file_blocks(complete: Application) -> None:
    Evidence.objects.filter(application=complete, code="E02").update(removed_at=timezone.now())
    check = check_application(complete)
    assert [(g.code, g.params) for g in check.blocking] == [
        ("evidence_gone", {"item": "2", "evidence": "E02"})
    ]


# --- submitting ----------------------------------------------------------------------------


def test_submitting_freezes_a_snapshot_with_editions_hashes_and_score(
    complete: Application, applicant: User
) -> None:
    submission = do_submit(complete, actor=applicant)
    complete.refresh_from_db()
    assert complete.status == "submitted"
    assert submission.number == 1
    snapshot = Submission.objects.get(pk=submission.pk).snapshot
    rubric = computing.rubric_of("community", "2021")
    factor_set = computing.factor_library().factor_set("shanghai-2022")
    assert snapshot["editions"] == {
        "rubric": {"kind": "community", "edition": "2021", "sha256": rubric.content_hash},
        "outline": {
            "kind": "community",
            "edition": "2021",
            "sha256": outline_sha256("community", "2021"),
        },
        "factor_set": {"id": "shanghai-2022", "sha256": factor_set.content_hash},
    }
    assert len(rubric.content_hash) == len(factor_set.content_hash) == 64
    outline_file = Path(__file__).resolve().parents[2] / "data/schemes/community/2021/outline.yaml"
    assert (
        snapshot["editions"]["outline"]["sha256"]
        == hashlib.sha256(outline_file.read_bytes().replace(b"\r\n", b"\n")).hexdigest()
    )
    expected_total = score_total(computing.score_result(complete))
    assert snapshot["score"]["total"] == format(expected_total, "f")
    assert snapshot["score"]["items"]["1"]["status"] == "scored"
    assert snapshot["score"]["items"]["4"]["status"] == "zeroed_no_evidence"
    assert [e["code"] for e in snapshot["evidence"]] == list(ATTACHED)
    assert snapshot["evidence"][0]["sha256"] == hashlib.sha256(b"%PDF-1.4 E01 evidence").hexdigest()
    assert snapshot["sections"] == complete.sections
    assert snapshot["accounting"] == complete.accounting
    assert snapshot["answers"] == complete.answers
    assert snapshot["versions"] == {
        "sections": complete.version,
        "accounting": complete.accounting_version,
        "answers": complete.answers_version,
    }
    assert snapshot["submitted_by"]["username"] == "applicant"
    inventories = snapshot["accounting_result"]["inventories"]
    assert [i["year"] for i in inventories] == [2023, 2024, 2025]
    assert inventories[0]["gross_tco2"] == "6083.106590"  # Decimals as exact strings
    assert inventories[0]["by_category"]["electricity"] == "5236.72800"
    checks = snapshot["accounting_result"]["targets"]["checks"]
    assert {(c["kind"], c["year"], c["met"]) for c in checks} >= {("per_capita", 2027, False)}
    assert {w["code"] for w in snapshot["warnings"]} == {"no_evidence"}
    # The stored hash is the SHA-256 of the canonical JSON.
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert submission.snapshot_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert canonical_json(snapshot) == text
    event = AuditEvent.objects.get(action="application_submitted")
    assert event.after is not None
    assert event.after["snapshot_sha256"] == submission.snapshot_sha256
    assert event.before == {"status": "draft"}


def test_after_submission_the_application_is_read_only(
    complete: Application, applicant: User
) -> None:
    do_submit(complete, actor=applicant)
    complete.refresh_from_db()
    with pytest.raises(ValidationError):
        do_save_section(
            complete,
            "1.1",
            {"area": "99"},
            expected_version=complete.version,
            actor=applicant,
        )
    complete.refresh_from_db()
    assert complete.sections["area"] == "12"
    client = signed_in(applicant)
    edit = client.get(reverse("applications:edit_section", args=[complete.pk, "1.1"]))
    assert edit.status_code == 403
    page = client.get(reverse("applications:submission", args=[complete.pk])).content.decode()
    assert "已提交，申报内容只读" in page
    assert complete.submissions.get().snapshot_sha256 in page
    assert "提交申报…" not in page


def test_the_second_of_two_submits_is_refused(complete: Application, applicant: User) -> None:
    # Both started from the same draft (two people, two tabs): the second finds it submitted.
    first, second = Application.objects.get(pk=complete.pk), Application.objects.get(pk=complete.pk)
    do_submit(first, actor=applicant)
    with pytest.raises(ValidationError) as refused:
        do_submit(second, actor=applicant)
    assert "已被他人" in " ".join(refused.value.messages)
    assert Submission.objects.count() == 1
    assert events("application_submitted") == 1


def test_a_save_after_the_check_refuses_the_submit(complete: Application, applicant: User) -> None:
    seen = {
        "sections": complete.version,
        "accounting": complete.accounting_version,
        "answers": complete.answers_version,
    }
    do_save_section(
        complete, "1.1", {"area": "13"}, expected_version=complete.version, actor=applicant
    )
    with pytest.raises(ValidationError) as refused:
        do_submit(complete, actor=applicant, expected_versions=seen)
    assert "请重新检查后再提交" in " ".join(refused.value.messages)
    assert Submission.objects.count() == 0


def test_submitting_after_the_deadline_is_refused(complete: Application, applicant: User) -> None:
    Round.objects.filter(pk=complete.round_id).update(
        submission_deadline=timezone.localdate() - timedelta(days=1)
    )
    complete.refresh_from_db()
    with pytest.raises(ValidationError, match="截止日期"):
        do_submit(complete, actor=applicant)
    assert Submission.objects.count() == 0


def test_a_snapshot_that_does_not_read_back_identically_is_rolled_back(
    complete: Application, applicant: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lowcarbon.web.applications.submission import actions as module

    hashes = iter(["a" * 64, "b" * 64])
    monkeypatch.setattr(module, "snapshot_sha256", lambda data: next(hashes))
    with pytest.raises(ValidationError, match="读回后与写入内容不一致"):
        do_submit(complete, actor=applicant)
    complete.refresh_from_db()
    assert complete.status == "draft"
    assert Submission.objects.count() == 0
    assert events("application_submitted") == 0


def test_submitting_in_a_closed_round_is_refused(complete: Application, applicant: User) -> None:
    Round.objects.filter(pk=complete.round_id).update(status="closed")
    complete.refresh_from_db()
    with pytest.raises(ValidationError, match="未开放"):
        do_submit(complete, actor=applicant)
    assert Submission.objects.count() == 0


def test_only_the_units_people_submit(
    complete: Application, users: dict[str, User], admin_user: User
) -> None:
    _, stranger = other_unit(admin_user, "徐汇区", "康健街道社区")
    for actor in (stranger, users[Role.DISTRICT_OFFICER], admin_user):
        with pytest.raises(ValidationError):
            do_submit(complete, actor=actor)
    assert Submission.objects.count() == 0


def test_a_changed_evidence_file_is_refused(complete: Application, applicant: User) -> None:
    evidence = complete.evidence.get(code="E01")
    with evidence.file.open("wb") as handle:
        handle.write(b"tampered")
    with pytest.raises(ValidationError, match="E01"):
        do_submit(complete, actor=applicant)
    complete.refresh_from_db()
    assert complete.status == "draft"
    assert Submission.objects.count() == 0


# --- withdrawing and resubmitting ---------------------------------------------------------


def test_withdrawing_needs_a_reason(complete: Application, applicant: User) -> None:
    do_submit(complete, actor=applicant)
    complete.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        do_withdraw(complete, reason="  ", actor=applicant)
    assert "reason" in refused.value.message_dict
    complete.refresh_from_db()
    assert complete.status == "submitted"
    assert events("application_withdrawn") == 0


def test_withdrawal_and_resubmission_keep_the_first_snapshot(
    complete: Application, applicant: User
) -> None:
    first = do_submit(complete, actor=applicant)
    frozen = (first.snapshot_sha256, canonical_json(first.snapshot))
    complete.refresh_from_db()
    withdrawn = do_withdraw(complete, reason="面积数据需更正", actor=applicant)
    assert withdrawn.pk == first.pk
    complete.refresh_from_db()
    assert complete.status == "draft"
    event = AuditEvent.objects.get(action="application_withdrawn")
    assert event.reason == "面积数据需更正"
    complete = do_save_section(
        complete, "1.1", {"area": "0.38"}, expected_version=complete.version, actor=applicant
    )
    second = do_submit(complete, actor=applicant)
    assert second.number == 2
    assert second.snapshot["sections"]["area"] == "0.38"
    assert second.snapshot_sha256 != frozen[0]
    first.refresh_from_db()
    assert (first.snapshot_sha256, canonical_json(first.snapshot)) == frozen
    assert first.snapshot["sections"]["area"] == "12"
    assert (first.withdrawn_by, first.withdrawal_reason) == (applicant, "面积数据需更正")
    page = signed_in(applicant).get(reverse("applications:submission", args=[complete.pk]))
    content = page.content.decode()
    assert "面积数据需更正" in content
    assert content.count("/submissions/") >= 2


def test_withdrawing_after_the_deadline_is_refused(complete: Application, applicant: User) -> None:
    do_submit(complete, actor=applicant)
    Round.objects.filter(pk=complete.round_id).update(
        submission_deadline=timezone.localdate() - timedelta(days=1)
    )
    complete.refresh_from_db()
    with pytest.raises(ValidationError, match="截止日期"):
        do_withdraw(complete, reason="x", actor=applicant)
    complete.refresh_from_db()
    assert complete.status == "submitted"


def test_withdrawing_a_draft_is_refused(application: Application, applicant: User) -> None:
    with pytest.raises(ValidationError, match="已提交"):
        do_withdraw(application, reason="x", actor=applicant)


# --- pages ---------------------------------------------------------------------------------


def test_the_check_page_groups_the_gaps_and_links_to_the_fix(
    application: Application, applicant: User
) -> None:
    content = (
        signed_in(applicant)
        .get(reverse("applications:submission", args=[application.pk]))
        .content.decode()
    )
    assert "提交前检查" in content
    assert "必须修改" in content
    assert "提醒" in content
    assert "尚未录入基础数据" in content
    assert reverse("applications:edit_section", args=[application.pk, "1.1"]) in content
    assert reverse("applications:baseline", args=[application.pk]) in content
    assert reverse("applications:submission_confirm", args=[application.pk]) not in content


def test_submitting_through_the_pages(complete: Application, applicant: User) -> None:
    client = signed_in(applicant)
    page = client.get(reverse("applications:submission", args=[complete.pk])).content.decode()
    confirm_url = reverse("applications:submission_confirm", args=[complete.pk])
    assert confirm_url in page
    confirm = client.get(confirm_url).content.decode()
    assert "提交后申报内容将变为只读" in confirm
    versions = {
        "sections": complete.version,
        "accounting": complete.accounting_version,
        "answers": complete.answers_version,
    }
    done = client.post(confirm_url, versions)
    assert done.status_code == 302
    complete.refresh_from_db()
    assert complete.status == "submitted"
    again = client.post(confirm_url, versions)
    assert again.status_code == 403


def test_the_withdraw_page_keeps_what_was_typed_on_refusal(
    complete: Application, applicant: User
) -> None:
    do_submit(complete, actor=applicant)
    client = signed_in(applicant)
    url = reverse("applications:submission_withdraw", args=[complete.pk])
    blank = client.post(url, {"reason": ""})
    assert blank.status_code == 200
    assert "请填写撤回理由" in blank.content.decode()
    done = client.post(url, {"reason": "补充佐证材料"})
    assert done.status_code == 302
    complete.refresh_from_db()
    assert complete.status == "draft"


def test_the_permission_matrix_of_the_applicant_routes(
    complete: Application, users: dict[str, User], admin_user: User
) -> None:
    _, stranger = other_unit(admin_user, "徐汇区", "康健街道社区")
    pudong = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name="浦东新区"
    )
    far_officer = do_create_user(
        username="pudong-officer",
        password=PASSWORD,
        role=Role.DISTRICT_OFFICER,
        organisation=pudong,
        actor=admin_user,
    )
    page = reverse("applications:submission", args=[complete.pk])
    confirm = reverse("applications:submission_confirm", args=[complete.pk])
    withdraw = reverse("applications:submission_withdraw", args=[complete.pk])
    # Draft: own unit may check and confirm; withdrawing needs a submission (403 for the unit).
    expected = [
        (users[Role.APPLICANT], 200, 200, 403),
        (stranger, 404, 404, 404),
        (users[Role.DISTRICT_OFFICER], 200, 404, 403),
        (far_officer, 404, 404, 404),
        (users[Role.EXPERT], 404, 404, 404),
        (admin_user, 200, 404, 403),
    ]
    for user, *statuses in expected:
        client = signed_in(user)
        found = [client.get(url).status_code for url in (page, confirm, withdraw)]
        assert found == statuses, user.username
    for url in (page, confirm, withdraw):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    # Submitted: the confirm step is refused to the unit (403), withdrawing is open to it.
    do_submit(complete, actor=users[Role.APPLICANT])
    client = signed_in(users[Role.APPLICANT])
    assert client.get(confirm).status_code == 403
    assert client.get(withdraw).status_code == 200
    assert signed_in(stranger).post(withdraw, {"reason": "x"}).status_code == 404
    officer = signed_in(users[Role.DISTRICT_OFFICER])
    assert officer.post(withdraw, {"reason": "x"}).status_code == 403
    complete.refresh_from_db()
    assert complete.status == "submitted"


def test_the_workbench_shows_the_applicants_next_step(
    complete: Application, applicant: User
) -> None:
    client = signed_in(applicant)
    content = client.get(reverse("home")).content.decode()
    assert "我的待办" in content
    assert "完善后于截止日期前提交" in content
    do_submit(complete, actor=applicant)
    content = client.get(reverse("home")).content.decode()
    assert "等待区生态环境局推荐" in content


def test_a_stored_snapshot_reads_back_through_the_codec_to_the_same_bytes_and_hash(
    complete: Application, applicant: User
) -> None:
    """Format 1 as the platform stores it is exactly what the typed codec reads and writes: a
    stored snapshot (floats in the baseline data, decimals as strings) reads back to the same
    canonical bytes and the recorded SHA-256, and so does a draft's."""
    submission = do_submit(complete, actor=applicant)
    stored = Submission.objects.values_list("snapshot", flat=True).get(pk=submission.pk)
    text = json.dumps(stored, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == submission.snapshot_sha256
    assert any(isinstance(value, float) for value in _leaves(stored["accounting"]))
    typed = read_snapshot(json.dumps(stored, ensure_ascii=False, indent=2).encode("utf-8"))
    assert typed.number == submission.number
    assert typed.submitted_at == submission.submitted_at
    assert codec_canonical_json(typed) == text
    assert codec_snapshot_sha256(typed) == submission.snapshot_sha256
    assert snapshot_data(snapshot_from_data(stored)) == stored
    draft = draft_snapshot(complete)
    assert snapshot_from_data(snapshot_data(draft)) == draft


def test_a_submission_is_read_as_the_typed_snapshot_once_while_loaded(
    complete: Application, applicant: User
) -> None:
    submission = Submission.objects.get(pk=do_submit(complete, actor=applicant).pk)
    first = frozen_snapshot(submission)
    assert frozen_snapshot(submission) is first
    submission.refresh_from_db()  # new data loaded: read again, the same snapshot
    again = frozen_snapshot(submission)
    assert again is not first
    assert again == first


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_a_snapshot_exports_to_a_file_the_documents_read_back(
    complete: Application, applicant: User, tmp_path: Path
) -> None:
    """The frozen snapshot is the exported application the command line makes documents from:
    it reads back under the same editions, and to the same SHA-256 the platform recorded."""
    submission = do_submit(complete, actor=applicant)
    path = tmp_path / "application.json"
    path.write_text(json.dumps(submission.snapshot, ensure_ascii=False), encoding="utf-8")
    exported = load_application_file(path)
    assert exported.snapshot_sha256 == submission.snapshot_sha256
    assert exported.submission_number == submission.number
    assert exported.unit_name == complete.unit.name
    assert exported.accounting is not None
    assert exported.accounting.factor_set == complete.factor_set_id
    assert dict(exported.sections) == complete.sections
