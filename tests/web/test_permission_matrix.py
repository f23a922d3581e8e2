"""Every named URL of the web platform × every role × own and other objects (issue 4, Tests).

One table, one row per (URL name, object, method): the answer each role gets. The test walks
the URL resolver and fails when a URL name of the covered namespaces has no row, so a new view
cannot be added without deciding who may reach it. Refusals (403, and the 404 that hides
another unit's object) must leave a line in the ``lowcarbon.web.permissions`` log.

The objects, made through the real actions (tests/web/review_support.py):
  * 田林十二村社区 (徐汇区, the unit): a draft with baseline data and evidence files E01–E03, a
    submitted application and a recommended one, each in its own round (one application per
    unit, round and kind);
  * 外滩社区 (黄浦区, another unit): a draft of its own;
  * a review panel in the recommended application's round, with one assigned expert;
  * 田林十二村社区's creation unit: its community application of a fourth round, scored by an
    expert outside the table, selected and published (publication made the unit).
An empty POST never carries valid data, so it changes nothing except where the table says so
(the removal of evidence E03, the last row that touches the draft; logging out).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.baseline import do_import_accounting
from lowcarbon.web.applications.models import Application, ApplicationTask, Submission
from lowcarbon.web.applications.submission import do_district_decide, do_submit
from lowcarbon.web.archive.actions import RecordInput, do_add_record
from lowcarbon.web.archive.models import ArchiveFile, ArchiveRecord
from lowcarbon.web.creation.actions import do_change_unit_status
from lowcarbon.web.creation.models import (
    CreationUnit,
    LifecycleStatus,
    RectificationFile,
    RectificationOrder,
    ScheduleItem,
)
from lowcarbon.web.creation.rectification import (
    ItemInput,
    do_answer_rectification_item,
    do_issue_rectification,
)
from lowcarbon.web.organisations.models import District
from lowcarbon.web.review.models import Assignment, Panel
from lowcarbon.web.rounds.models import Round

from .creation.filing_support import filed_revision
from .creation.support import decide_and_publish, unit_of
from .evaluation.support import frozen_file, frozen_report
from .households.support import (
    committee_selection,
    committee_unit,
    matrix_households,
    neighbour_household,
    own_household,
    own_month,
)
from .review_support import (
    EXAMPLES,
    _fill,
    assign_all,
    make_expert,
    make_panel,
    make_round,
    make_unit,
    recommended_application,
)

COVERED_NAMESPACES = (
    "applications",
    "rounds",
    "review",
    "documents",
    "creation",
    "reminders",
    "archive",
    "evaluation",
    "comparison",
    "acceptance",
    "evaluation_documents",
    "monitoring",
    "households",
    "api_tokens",
    "monitoring_figures",
    "monitoring_coverage",
)
LOGIN = "login"  # a 302 to the sign-in page
ROLES = (
    "anonymous",
    "applicant",  # of 田林十二村社区, the unit that owns the draft, submitted and recommended
    "other_applicant",  # of 外滩社区 in 黄浦区
    "officer",  # of 徐汇区, the unit's district
    "other_officer",  # of 黄浦区
    "expert",  # not assigned to anything
    "reviewer",  # the expert assigned to the recommended application
    "admin",
    "resident",  # of 田林十二村社区: the household 12号楼 3单元 502
)


def outcome(default: int | str, **by_role: int | str) -> dict[str, int | str]:
    """The answer for every role: ``default`` unless named; anonymous people are sent to sign
    in unless said otherwise (every page but the public ones needs an account)."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {role: by_role.get(role, LOGIN if role == "anonymous" else default) for role in ROLES}


# The patterns of the table, named by who gets through.
READ_OWN = outcome(404, applicant=200, officer=200, admin=200)  # 田林's objects, read
READ_OTHER = outcome(404, other_applicant=200, other_officer=200, admin=200)  # 外滩's draft
NOT_GET = outcome(405)  # a POST-only view: signed-in people get 405 Method Not Allowed


def edit_own(answer: int) -> dict[str, int | str]:
    """An editing view of the draft: only the unit's applicant reaches it; everyone else is
    told it does not exist (even those who may read it)."""
    return outcome(404, applicant=answer)


def frozen_own() -> dict[str, int | str]:
    """An editing view of a submitted application: the unit's applicant hears why (403)."""
    return outcome(404, applicant=403)


@dataclass
class World:
    users: dict[str, User]
    round_draft: Round
    round_recommended: Round
    draft: Application
    submitted: Application
    recommended: Application
    other: Application
    submission: Submission
    recommended_submission: Submission
    panel: Panel
    assignment: Assignment
    year: int  # a year of the draft's baseline data
    unit: CreationUnit  # 田林十二村社区 in creation
    round_created: Round  # its round, published
    schedule_item: ScheduleItem  # the final plan of the unit's batch
    rectification: RectificationOrder  # the unit's open order, its first item answered
    rectification_file: RectificationFile  # the evidence of that answer


Kwargs = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: Kwargs
    method: str
    expected: dict[str, int | str]
    # Why a 403/404 in this row is not a refusal (so need not be logged): e.g. no such object.
    not_a_refusal: str = ""


def none(world: World) -> dict[str, Any]:
    return {}


def on(obj: str, key: str = "pk", **extra: Any) -> Kwargs:
    """The kwargs of a URL about ``world.<obj>``; an extra value may be read from the world."""

    def kwargs(world: World) -> dict[str, Any]:
        found = {name: value(world) if callable(value) else value for name, value in extra.items()}
        return {key: getattr(world, obj).pk} | found

    return kwargs


def year(world: World) -> int:
    return world.year


def reviewer_id(world: World) -> int:
    return int(world.users["reviewer"].pk)


def recommended_pk(world: World) -> int:
    return int(world.recommended.pk)


# Who reaches what, by name.
SEEN_REFUSED = outcome(404, applicant=403, officer=403, admin=403)  # may see it, may not do it
ADMIN_ONLY = outcome(404, admin=200)
EXPERTS = outcome(404, expert=200, reviewer=200)
ASSIGNED = outcome(404, reviewer=200, admin=200)
NOBODY = outcome(404)
GET, POST = "GET", "POST"
DRAFT_1_1 = on("draft", section_id="1.1")
SCORED = on("panel", key="panel_pk", application_pk=recommended_pk)  # the panel's application
SCORED_ITEM = on("panel", key="panel_pk", application_pk=recommended_pk, item_id="1")
FIRST = on("submitted", number=1)
ROUND_SHEET = on("round_recommended", kind="community", fmt="xlsx")
NO_PHOTO = {"pk": 999_999}  # no photo exists yet (the site inspection is recent work)
DEFAULT_TEMPLATE = {"kind": "community", "edition": "2021"}
BAD_TOKEN = {"uidb64": "MQ", "token": "x-y"}
EDIT_OTHER = outcome(404, other_applicant=200)
GONE = {"other_applicant": 302}  # removed, back to the list of evidence
OWN_OK = {"applicant": 200}
READERS_ASK = {"applicant": 400, "officer": 400, "admin": 400}
ASSIGNED_BACK = outcome(404, reviewer=302, admin=302)
UNPUBLISHED = outcome(404, anonymous=404)
UNIT_ITEM = on("unit", item_pk=lambda w: w.schedule_item.pk)
DISTRICT_AND_BUREAU = {"officer": 302, "admin": 302}
ISSUERS_200 = {"officer": 200, "admin": 200}  # a form of the unit's district and the bureau
ANSWER_ITEM = on("rectification", number=1)


def task_of(obj: str) -> Callable[[World], int]:
    """The first task record of ``world.<obj>``'s application."""

    def first(world: World) -> int:
        application = getattr(world, obj)
        return int(ApplicationTask.objects.filter(application=application).order_by("pk")[0].pk)

    return first


def unit_task(world: World) -> dict[str, Any]:
    """A task of the creation unit's application (the URL names the application)."""
    application = world.unit.application
    record = ApplicationTask.objects.filter(application=application).order_by("pk")[0]
    return {"pk": application.pk, "task_pk": record.pk}


UNIT_TASK = unit_task
DRAFT_TASK = on("draft", task_pk=task_of("draft"))
SUBMITTED_TASK = on("submitted", task_pk=task_of("submitted"))


def archive_record(world: World) -> dict[str, Any]:
    return {"pk": ArchiveRecord.objects.get(unit=world.unit).pk}


def archive_file(world: World) -> dict[str, Any]:
    return {"pk": ArchiveFile.objects.get(unit=world.unit).pk}


ARCHIVE_RECORD, ARCHIVE_FILE = archive_record, archive_file


def district_code(world: World, name: str) -> str:
    return str(District.objects.get(name=name).code)


def unit_organisation(world: World) -> dict[str, Any]:
    """田林十二村社区 as an organisation (its meters and imports are the organisation's)."""
    return {"unit": world.unit.application.unit_id}


#: A meter number the demo never uses (the demo and this table share the tests' store).
MATRIX_METER = "9901"


def unit_meter(world: World) -> dict[str, Any]:
    """田林十二村社区's meter, registered through the action the first time a row asks."""
    from lowcarbon.web.monitoring.actions import MeterInput, do_create_meter
    from lowcarbon.web.monitoring.models import Meter

    organisation = world.unit.application.unit
    meter = Meter.objects.filter(unit=organisation, number=MATRIX_METER).first()
    if meter is None:
        meter = do_create_meter(
            organisation,
            MeterInput(
                MATRIX_METER,
                "1号楼公共照明",
                "electricity",
                "public_lighting",
                "kWh",
                "interval-energy",
                interval_minutes=60,
            ),
            actor=world.users["applicant"],
        )
    return {"pk": meter.pk}


def unit_import(world: World) -> dict[str, Any]:
    """An import of that meter's readings, made through the action the first time."""
    import tempfile
    from pathlib import Path

    from lowcarbon.web.monitoring.actions import SourceInput, do_import_file
    from lowcarbon.web.monitoring.models import ImportRecord, Meter

    meter = Meter.objects.get(pk=unit_meter(world)["pk"])
    record = ImportRecord.objects.filter(unit=meter.unit).first()
    if record is None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "readings.csv"
            path.write_text("时间,电量\n2026-01-01 00:00,1.5\n2026-01-01 01:00,-1\n")
            record = do_import_file(
                meter.unit,
                path,
                file_name="readings.csv",
                mapping=SourceInput("", "时间", "电量", "", meter),
                actor=world.users["applicant"],
            )
    return {"pk": record.pk}


COMPARED_BATCH = on("round_created", "round_pk", kind="community", stage="final")
ACCEPTANCE_PAGE = on("round_created", kind="community", stage="final")

ROWS: list[Row] = [
    # --- shared pages ----------------------------------------------------------------------
    Row("home", none, GET, outcome(200, resident=302)),
    Row("home", none, POST, outcome(405, anonymous=405)),
    Row("login", none, GET, outcome(302, anonymous=200)),
    Row("login", none, POST, outcome(302, anonymous=200)),
    Row("logout", none, GET, outcome(405, anonymous=405)),
    Row("logout", none, POST, outcome(LOGIN)),  # signed out, sent to sign in again
    Row("password_change", none, GET, outcome(200)),
    Row("password_change", none, POST, outcome(200)),
    Row("password_change_done", none, GET, outcome(200)),
    Row("password_reset", none, GET, outcome(200, anonymous=200)),
    Row("password_reset", none, POST, outcome(200, anonymous=200)),
    Row("password_reset_done", none, GET, outcome(200, anonymous=200)),
    Row("password_reset_confirm", lambda w: BAD_TOKEN, GET, outcome(200, anonymous=200)),
    Row("password_reset_complete", none, GET, outcome(200, anonymous=200)),
    # --- rounds ----------------------------------------------------------------------------
    Row("rounds:open", none, GET, outcome(403, admin=200)),
    Row("rounds:open", none, POST, outcome(403, admin=200)),
    Row("rounds:detail", on("round_draft"), GET, outcome(200, resident=404)),
    # --- applications: the list, the plan --------------------------------------------------
    Row("applications:list", none, GET, outcome(200, expert=404, reviewer=404, resident=404)),
    Row("applications:list", none, POST, outcome(200, expert=404, reviewer=404, resident=404)),
    Row("applications:workspace", on("draft"), GET, READ_OWN),
    Row("applications:workspace", on("submitted"), GET, READ_OWN),
    Row("applications:workspace", on("other"), GET, READ_OTHER),
    Row("applications:workspace", on("draft"), POST, outcome(405)),
    Row("applications:edit_section", DRAFT_1_1, GET, edit_own(200)),
    Row("applications:edit_section", DRAFT_1_1, POST, edit_own(200)),
    Row("applications:edit_section", on("submitted", section_id="1.1"), GET, frozen_own()),
    Row("applications:edit_section", on("other", section_id="1.1"), GET, EDIT_OTHER),
    # --- baseline data and results ---------------------------------------------------------
    Row("applications:baseline", on("draft"), GET, READ_OWN),
    Row("applications:baseline", on("draft"), POST, edit_own(400)),
    Row("applications:baseline", on("submitted"), POST, frozen_own()),
    Row("applications:baseline", on("other"), GET, READ_OTHER),
    Row("applications:baseline_workbook", on("draft"), GET, READ_OWN),
    Row("applications:baseline_workbook", on("other"), GET, READ_OTHER),
    Row("applications:baseline_clear", on("draft"), GET, NOT_GET),
    Row("applications:baseline_clear", on("draft"), POST, edit_own(302)),
    Row("applications:baseline_clear", on("submitted"), POST, frozen_own()),
    Row("applications:baseline_drivers", on("draft", year=year), GET, edit_own(200)),
    Row("applications:baseline_drivers", on("draft", year=year), POST, edit_own(400)),
    Row("applications:baseline_drivers", on("submitted", year=year), GET, frozen_own()),
    Row("applications:results", on("draft"), GET, READ_OWN),
    Row("applications:results", on("submitted"), GET, READ_OWN),
    Row("applications:results", on("other"), GET, READ_OTHER),
    Row("applications:results", on("draft"), POST, outcome(405)),
    # --- tasks and key projects ------------------------------------------------------------
    Row("applications:tasks", on("draft"), GET, READ_OWN),
    Row("applications:tasks", on("submitted"), GET, READ_OWN),
    Row("applications:tasks", on("other"), GET, READ_OTHER),
    Row("applications:tasks", on("draft"), POST, outcome(405)),
    Row("applications:task_add", on("draft"), GET, edit_own(200)),
    Row("applications:task_add", on("draft"), POST, edit_own(400)),
    Row("applications:task_add", on("submitted"), POST, frozen_own()),
    Row("applications:task_add", on("other"), GET, EDIT_OTHER),
    Row("applications:task_edit", on("draft", task_pk=task_of("draft")), GET, edit_own(200)),
    Row("applications:task_edit", on("draft", task_pk=task_of("draft")), POST, edit_own(400)),
    Row("applications:task_edit", SUBMITTED_TASK, GET, frozen_own()),
    Row("applications:task_edit", on("other", task_pk=task_of("other")), GET, EDIT_OTHER),
    Row("applications:task_remove", on("draft", task_pk=task_of("draft")), GET, edit_own(200)),
    # An empty POST names no version: refused as stale, back to the list, nothing removed.
    Row("applications:task_remove", on("draft", task_pk=task_of("draft")), POST, edit_own(302)),
    Row("applications:task_remove", SUBMITTED_TASK, POST, frozen_own()),
    # Progress is the creation unit's: its district and the bureau see it, may not record it.
    Row("applications:task_progress", UNIT_TASK, GET, SEEN_REFUSED | OWN_OK),
    Row("applications:task_progress", UNIT_TASK, POST, SEEN_REFUSED | {"applicant": 400}),
    Row("applications:task_progress", DRAFT_TASK, GET, outcome(404), "no creation unit"),
    # --- self-assessment and evidence ------------------------------------------------------
    Row("applications:assessment", on("draft"), GET, READ_OWN),
    Row("applications:assessment", on("other"), GET, READ_OTHER),
    Row("applications:assessment", on("draft"), POST, outcome(405)),
    Row("applications:assessment_save", on("draft", item_id="1"), GET, NOT_GET),
    Row("applications:assessment_save", on("draft", item_id="1"), POST, edit_own(400)),
    Row("applications:assessment_save", on("submitted", item_id="1"), POST, frozen_own()),
    Row("applications:evidence_upload", on("draft"), GET, NOT_GET),
    Row("applications:evidence_upload", on("draft"), POST, edit_own(400)),
    Row("applications:evidence_upload", on("submitted"), POST, frozen_own()),
    Row("applications:evidence_download", on("draft", code="E01"), GET, READ_OWN),
    Row("applications:evidence_download", on("submitted", code="E01"), GET, READ_OWN),
    Row("applications:evidence_download", on("other", code="E01"), GET, READ_OTHER),
    Row("applications:evidence_remove", on("draft", code="E03"), GET, NOT_GET),
    Row("applications:evidence_remove", on("submitted", code="E01"), POST, frozen_own()),
    Row("applications:evidence_remove", on("other", code="E03"), POST, EDIT_OTHER | GONE),
    # --- submission and the district's decision --------------------------------------------
    Row("applications:submission", on("draft"), GET, READ_OWN),
    Row("applications:submission", on("submitted"), GET, READ_OWN),
    Row("applications:submission", on("other"), GET, READ_OTHER),
    Row("applications:submission", on("draft"), POST, outcome(405)),
    Row("applications:submission_confirm", on("draft"), GET, edit_own(200)),
    Row("applications:submission_confirm", on("draft"), POST, edit_own(200)),
    Row("applications:submission_confirm", on("submitted"), GET, frozen_own()),
    Row("applications:submission_withdraw", on("submitted"), GET, SEEN_REFUSED | OWN_OK),
    Row("applications:submission_withdraw", on("submitted"), POST, SEEN_REFUSED | OWN_OK),
    Row("applications:submission_withdraw", on("draft"), GET, SEEN_REFUSED),
    Row("applications:submission_withdraw", on("recommended"), POST, SEEN_REFUSED),
    Row("applications:submission_detail", on("submitted", number=1), GET, READ_OWN),
    Row("applications:submission_detail", on("recommended", number=1), GET, READ_OWN),
    Row("applications:submission_detail", on("submitted", number=1), POST, outcome(405)),
    # GET only leads back to the snapshot; an empty POST shows the form's errors.
    Row("applications:district_decide", FIRST, GET, SEEN_REFUSED | {"officer": 302}),
    Row("applications:district_decide", FIRST, POST, SEEN_REFUSED | {"officer": 200}),
    Row("applications:district_decide", on("recommended", number=1), POST, SEEN_REFUSED),
    Row("applications:district_queue", none, GET, outcome(403, officer=200, other_officer=200)),
    Row("applications:district_queue", none, POST, outcome(405)),
    # The only row whose empty POST changes something: 田林's applicant removes E03 (last).
    Row("applications:evidence_remove", on("draft", code="E03"), POST, edit_own(302)),
    # --- the expert review -----------------------------------------------------------------
    Row("review:tasks", none, GET, EXPERTS),
    Row("review:profile", none, GET, EXPERTS),
    Row("review:profile", none, POST, EXPERTS),
    Row("review:expert_profile", lambda w: {"user_id": reviewer_id(w)}, GET, ADMIN_ONLY),
    Row("review:expert_profile", lambda w: {"user_id": reviewer_id(w)}, POST, ADMIN_ONLY),
    Row("review:workspace", on("assignment"), GET, ASSIGNED),
    # Accepts a POST and answers it as a GET (lowcarbon/web/review/ is not this area's).
    Row("review:workspace", on("assignment"), POST, ASSIGNED),
    Row("review:save_item", on("assignment", item_id="1"), GET, NOT_GET),
    Row("review:save_item", on("assignment", item_id="1"), POST, outcome(404, reviewer=400)),
    Row("review:revise", on("assignment", item_id="1"), GET, NOT_GET),
    Row("review:revise", on("assignment", item_id="1"), POST, outcome(404, reviewer=400)),
    Row("review:autosave_item", on("assignment", item_id="1"), GET, NOT_GET),
    Row("review:autosave_item", on("assignment", item_id="1"), POST, outcome(404, reviewer=400)),
    Row("review:save_sheet", on("assignment"), GET, NOT_GET),
    # An empty POST carries no version: refused as made from a stale page.
    Row("review:save_sheet", on("assignment"), POST, outcome(404, reviewer=400)),
    Row("review:start_from_self", on("assignment"), GET, NOT_GET),
    Row("review:start_from_self", on("assignment"), POST, outcome(404, reviewer=302)),
    Row("review:submit", on("assignment"), GET, NOT_GET),
    Row("review:submit", on("assignment"), POST, outcome(404, reviewer=400)),
    Row("review:declare_conflict", on("assignment"), GET, outcome(404, reviewer=200)),
    Row("review:declare_conflict", on("assignment"), POST, outcome(404, reviewer=200)),
    Row("review:reopen", on("assignment"), GET, NOT_GET),
    Row("review:reopen", on("assignment"), POST, outcome(404, admin=302)),
    Row("review:evidence", on("assignment", code="E01"), GET, ASSIGNED),
    # Nothing submitted yet: the sheet page sends them back with a message.
    Row("review:expert_sheet", on("assignment", fmt="xlsx"), GET, ASSIGNED_BACK),
    Row("review:panels", none, GET, ADMIN_ONLY),
    Row("review:panels", none, POST, ADMIN_ONLY),
    Row("review:panel", on("panel"), GET, ADMIN_ONLY),
    Row("review:panel", on("panel"), POST, ADMIN_ONLY),
    # The assigned expert sees the panel's scores only after submitting their own.
    Row("review:result", SCORED, GET, ADMIN_ONLY),
    Row("review:result", SCORED, POST, ADMIN_ONLY),
    Row("review:inspection", SCORED, GET, ASSIGNED),
    Row("review:inspection_record", SCORED_ITEM, GET, NOT_GET),
    Row("review:inspection_photo", lambda w: NO_PHOTO, GET, NOBODY),
    Row("review:inspection_photo_remove", lambda w: NO_PHOTO, POST, NOBODY),
    Row("review:settings", on("round_recommended"), GET, ADMIN_ONLY),
    Row("review:settings", on("round_recommended"), POST, ADMIN_ONLY),
    Row("review:ranking", on("round_recommended", kind="community"), GET, ADMIN_ONLY),
    Row("review:result_sheet", ROUND_SHEET, GET, ADMIN_ONLY),
    Row("review:publish", on("round_recommended"), GET, NOT_GET),
    Row("review:publish", on("round_recommended"), POST, outcome(404, admin=302)),
    # Nothing is published: the public list does not exist yet, for anyone.
    Row("review:public", on("round_recommended"), GET, UNPUBLISHED, "not a refusal"),
    Row("review:decide", on("recommended"), GET, NOT_GET),
    Row("review:decide", on("recommended"), POST, outcome(404, admin=302)),
    Row("review:decision", on("recommended"), GET, NOBODY),
    # --- generated documents ---------------------------------------------------------------
    Row("documents:list", on("draft"), GET, READ_OWN),
    Row("documents:list", on("other"), GET, READ_OTHER),
    Row("documents:list", on("draft"), POST, outcome(405)),
    Row("documents:request", on("draft"), GET, NOT_GET),
    # Whoever may read it may ask for it; an empty request names no source (400).
    Row("documents:request", on("draft"), POST, SEEN_REFUSED | READERS_ASK),
    Row("documents:status", on("draft"), GET, READ_OWN),
    Row("documents:status", on("other"), GET, READ_OTHER),
    Row("documents:download", on("draft", document_id=999_999, fmt="pdf"), GET, NOBODY, "no such"),
    Row("documents:templates", none, GET, ADMIN_ONLY),
    Row("documents:templates", none, POST, outcome(404, admin=400)),
    Row("documents:template_reset", none, GET, NOT_GET),
    Row("documents:template_reset", none, POST, outcome(404, admin=302)),
    Row("documents:template_download", lambda w: {"template_id": 999_999}, GET, NOBODY, "no such"),
    Row("documents:template_default", lambda w: DEFAULT_TEMPLATE, GET, ADMIN_ONLY),
    # --- the creation stage: 田林十二村社区's unit ---------------------------------------------
    Row("creation:todos", none, GET, outcome(200)),
    Row("creation:todos", none, POST, outcome(405, anonymous=405)),
    Row("creation:list", none, GET, outcome(200, expert=404, reviewer=404, resident=404)),
    Row("creation:unit", on("unit"), GET, READ_OWN),
    Row("creation:unit", on("unit"), POST, outcome(405, anonymous=405)),
    Row("creation:status", on("unit"), GET, NOT_GET),
    # The district and the bureau move it (an empty form: back to the unit, with the error).
    Row("creation:status", on("unit"), POST, SEEN_REFUSED | DISTRICT_AND_BUREAU),
    Row("creation:extend", UNIT_ITEM, GET, SEEN_REFUSED | {"admin": 200}),
    Row("creation:extend", UNIT_ITEM, POST, SEEN_REFUSED | {"admin": 200}),
    Row("creation:complete", UNIT_ITEM, GET, NOT_GET),
    Row("creation:complete", UNIT_ITEM, POST, SEEN_REFUSED | DISTRICT_AND_BUREAU),
    Row("creation:rectification_issue", on("unit"), GET, SEEN_REFUSED | ISSUERS_200),
    Row("creation:rectification_issue", on("unit"), POST, SEEN_REFUSED | ISSUERS_200),
    Row("creation:rectification", on("rectification"), GET, READ_OWN),
    Row("creation:rectification", on("rectification"), POST, outcome(405, anonymous=405)),
    Row("creation:rectification_answer", ANSWER_ITEM, GET, NOT_GET),
    Row("creation:rectification_answer", ANSWER_ITEM, POST, SEEN_REFUSED | {"applicant": 302}),
    Row("creation:rectification_submit", on("rectification"), GET, NOT_GET),
    Row(
        "creation:rectification_submit",
        on("rectification"),
        POST,
        SEEN_REFUSED | {"applicant": 302},
    ),
    Row("creation:rectification_close", on("rectification"), GET, SEEN_REFUSED | ISSUERS_200),
    Row("creation:rectification_close", on("rectification"), POST, SEEN_REFUSED | ISSUERS_200),
    Row("creation:rectification_return", on("rectification"), GET, SEEN_REFUSED | ISSUERS_200),
    Row("creation:rectification_return", on("rectification"), POST, SEEN_REFUSED | ISSUERS_200),
    Row("creation:rectification_file", on("rectification_file"), GET, READ_OWN),
    Row("creation:schedule", on("round_created"), GET, ADMIN_ONLY),
    Row("creation:schedule_edit", on("schedule_item"), GET, ADMIN_ONLY),
    Row("creation:schedule_edit", on("schedule_item"), POST, ADMIN_ONLY),
    # --- the records archive: 田林十二村社区's unit and its training record ----------------------
    Row("archive:unit", on("unit"), GET, READ_OWN),
    Row("archive:unit", on("unit"), POST, outcome(405, anonymous=405)),
    Row("archive:add", on("unit", category="training"), GET, SEEN_REFUSED | OWN_OK),
    Row("archive:add", on("unit", category="training"), POST, SEEN_REFUSED | OWN_OK),
    Row("archive:items", on("unit"), GET, READ_OWN),
    Row("archive:volunteers", on("unit"), GET, READ_OWN),
    Row("archive:volunteers", on("unit"), POST, SEEN_REFUSED | OWN_OK),
    Row("archive:record", ARCHIVE_RECORD, GET, READ_OWN),
    Row("archive:record", ARCHIVE_RECORD, POST, outcome(405, anonymous=405)),
    Row("archive:edit", ARCHIVE_RECORD, GET, SEEN_REFUSED | OWN_OK),
    Row("archive:edit", ARCHIVE_RECORD, POST, SEEN_REFUSED | OWN_OK),
    Row("archive:remove", ARCHIVE_RECORD, GET, SEEN_REFUSED | OWN_OK),
    Row("archive:remove", ARCHIVE_RECORD, POST, SEEN_REFUSED | OWN_OK),  # no reason: the form
    Row("archive:publish", ARCHIVE_RECORD, GET, NOT_GET),
    Row("archive:publish", ARCHIVE_RECORD, POST, SEEN_REFUSED | {"applicant": 302}),
    Row("archive:file", ARCHIVE_FILE, GET, READ_OWN),
    # The residents' page of published reports needs no account.
    Row("archive:public", on("unit"), GET, outcome(200, anonymous=200)),
    Row("archive:public", on("unit"), POST, outcome(405, anonymous=405)),
    # Filings: the unit's people start and file them; the district and the bureau review.
    Row("creation:filings", on("unit"), GET, READ_OWN),
    Row("creation:filings", on("unit"), POST, outcome(405, anonymous=405)),
    Row("creation:filing_start", on("unit"), GET, NOT_GET),
    # An empty form names no kind of filing: back to the list, with the error.
    Row("creation:filing_start", on("unit"), POST, SEEN_REFUSED | {"applicant": 302}),
    # A filed revision: frozen, so the unit's forms only say so; an empty review is refused.
    Row("creation:filing", filed_revision, GET, READ_OWN),
    Row("creation:filing", filed_revision, POST, outcome(405, anonymous=405)),
    *(
        Row(f"creation:filing_{name}", filed_revision, method, expected)
        for name in ("save", "activity", "submit", "delete")
        for method, expected in ((GET, NOT_GET), (POST, SEEN_REFUSED | {"applicant": 302}))
    ),
    Row("creation:filing_review", filed_revision, GET, NOT_GET),
    Row("creation:filing_review", filed_revision, POST, SEEN_REFUSED | DISTRICT_AND_BUREAU),
    Row("creation:filing_policy", on("round_created"), GET, ADMIN_ONLY),
    Row("creation:filing_policy", on("round_created"), POST, ADMIN_ONLY),
    # The overview and its workbook: the districts' officers (their units) and the bureau.
    Row("creation:overview", none, GET, outcome(404, officer=200, other_officer=200, admin=200)),
    Row("creation:overview", none, POST, outcome(405, anonymous=405)),
    Row(
        "creation:overview_export",
        none,
        GET,
        outcome(404, officer=200, other_officer=200, admin=200),
    ),
    Row("creation:overview_export", none, POST, outcome(405, anonymous=405)),
    # --- the self-evaluation report of 田林十二村社区's unit (final acceptance) -------------------
    Row("evaluation:report", on("unit", stage="final"), GET, READ_OWN),
    Row("evaluation:report", on("unit", stage="midterm"), GET, outcome(404),
        not_a_refusal="a community has no mid-term evaluation"),
    Row("evaluation:report", on("unit", stage="final"), POST, outcome(405, anonymous=405)),
    Row("evaluation:save_item", on("unit", stage="final", item_id="1"), GET, NOT_GET),
    Row("evaluation:save_item", on("unit", stage="final", item_id="1"), POST,
        SEEN_REFUSED | {"applicant": 400}),
    Row("evaluation:save_texts", on("unit", stage="final"), GET, NOT_GET),
    Row("evaluation:save_texts", on("unit", stage="final"), POST,
        SEEN_REFUSED | {"applicant": 400}),
    Row("evaluation:submit", on("unit", stage="final"), GET, NOT_GET),
    Row("evaluation:submit", on("unit", stage="final"), POST, SEEN_REFUSED | {"applicant": 400}),
    # A frozen report: read by the unit, its district and the bureau; pre-accepted by the district
    # (an empty form names no finding: the page again, with the errors).
    Row("evaluation:frozen", frozen_report, GET, READ_OWN),
    Row("evaluation:frozen", frozen_report, POST, outcome(405, anonymous=405)),
    Row("evaluation:frozen_file", frozen_file, GET, READ_OWN),
    Row("evaluation:pre_accept", frozen_report, GET, NOT_GET),
    Row("evaluation:pre_accept", frozen_report, POST, SEEN_REFUSED | {"officer": 400}),
    # The self-evaluation report as Word/PDF: the draft and the frozen report, read where the unit
    # is seen (an expert assigned to a frozen report too: tests/web/evaluation).
    Row("evaluation_documents:draft", on("unit", stage="final", fmt="docx"), GET, READ_OWN),
    Row("evaluation_documents:draft", on("unit", stage="final", fmt="docx"), POST, outcome(405)),
    Row("evaluation_documents:draft", on("unit", stage="midterm", fmt="docx"), GET, outcome(404),
        not_a_refusal="a community has no mid-term evaluation"),
    Row("evaluation_documents:frozen", lambda w: frozen_report(w) | {"fmt": "docx"}, GET,
        READ_OWN),
    Row("evaluation_documents:frozen", lambda w: frozen_report(w) | {"fmt": "docx"}, POST,
        outcome(405)),
    # The comparisons of 田林十二村社区's unit (no report yet: the application's score alone, the
    # tasks as tracked), seen where the unit is; the batch side by side for the districts and the
    # bureau (another district's officer sees the batch without the unit).
    Row("comparison:scores", on("unit", stage="final"), GET, READ_OWN),
    Row("comparison:scores", on("unit", stage="midterm"), GET, outcome(404),
        not_a_refusal="a community has no mid-term evaluation"),
    Row("comparison:scores", on("unit", stage="final"), POST, outcome(405, anonymous=405)),
    Row("comparison:tasks", on("unit"), GET, READ_OWN),
    Row("comparison:tasks", on("unit"), POST, outcome(405, anonymous=405)),
    Row("comparison:batches", none, GET, outcome(404, officer=200, other_officer=200, admin=200)),
    Row("comparison:batches", none, POST, outcome(405, anonymous=405)),
    Row("comparison:batch", COMPARED_BATCH, GET,
        outcome(404, officer=200, other_officer=200, admin=200)),
    Row("comparison:batch", COMPARED_BATCH, POST, outcome(405, anonymous=405)),
    Row("comparison:batch", on("round_created", "round_pk", kind="zone", stage="final"), GET,
        outcome(404, officer=200, other_officer=200, admin=200)),
    Row("comparison:batch", on("round_created", "round_pk", kind="community", stage="midterm"),
        GET, outcome(404), not_a_refusal="a community has no mid-term evaluation"),
    Row("comparison:batch_export", COMPARED_BATCH, GET,
        outcome(404, officer=200, other_officer=200, admin=200)),
    Row("comparison:batch_export", COMPARED_BATCH, POST, outcome(405, anonymous=405)),
    # 我的提醒: everyone signed in has their own (experts an empty list).
    Row("reminders:mine", none, GET, outcome(200)),
    Row("reminders:mine", none, POST, outcome(405, anonymous=405)),
    # --- acceptance outcomes and the naming: the bureau's; the named units are public -----------
    Row("acceptance:index", none, GET, ADMIN_ONLY),
    Row("acceptance:index", none, POST, outcome(405, anonymous=405)),
    Row("acceptance:named", none, GET, outcome(200, anonymous=200)),
    Row("acceptance:named", none, POST, outcome(405, anonymous=405)),
    Row("acceptance:round", ACCEPTANCE_PAGE, GET, ADMIN_ONLY),
    Row("acceptance:round", ACCEPTANCE_PAGE, POST, outcome(405, anonymous=405)),
    Row("acceptance:round", on("round_created", kind="community", stage="midterm"), GET,
        outcome(404), not_a_refusal="a community has no mid-term evaluation"),
    Row("acceptance:set_rule", ACCEPTANCE_PAGE, GET, NOT_GET),
    Row("acceptance:set_rule", ACCEPTANCE_PAGE, POST, outcome(404, admin=302)),
    Row("acceptance:publish", on("round_created", kind="community"), GET, NOT_GET),
    Row("acceptance:publish", on("round_created", kind="community"), POST,
        outcome(404, admin=302)),
    Row("acceptance:results", on("round_created", kind="community", stage="final", fmt="xlsx"),
        GET, ADMIN_ONLY),
    Row("acceptance:results", on("round_created", kind="community", stage="final", fmt="xlsx"),
        POST, outcome(405, anonymous=405)),
    Row("acceptance:decide", on("unit", stage="final"), GET, NOT_GET),
    Row("acceptance:decide", on("unit", stage="final"), POST, outcome(404, admin=302)),
    # No decision in the table's world: the opinion of one is read in tests/web/evaluation.
    Row("acceptance:opinion", lambda w: {"pk": 999999, "fmt": "docx"}, GET, outcome(404),
        not_a_refusal="no such decision"),
    Row("acceptance:opinion", lambda w: {"pk": 999999, "fmt": "docx"}, POST,
        outcome(405, anonymous=405)),
    # --- API tokens: the bureau (any organisation) and a unit's applicant staff (their own unit's)
    Row("api_tokens:list", none, GET,
        outcome(403, applicant=200, other_applicant=200, admin=200)),
    Row("api_tokens:list", none, POST, outcome(405, anonymous=405)),
    Row("api_tokens:new", none, GET, NOT_GET),
    Row("api_tokens:new", none, POST,
        outcome(403, applicant=400, other_applicant=400, admin=400)),
    Row("api_tokens:revoke", lambda w: {"pk": 999999}, GET, NOT_GET),
    Row("api_tokens:revoke", lambda w: {"pk": 999999}, POST,
        outcome(403, applicant=404, other_applicant=404, admin=404),
        not_a_refusal="no such token"),
    # --- the monthly energy and emission pages: a unit's where the unit is seen, a district's
    # by its officers and the bureau, the city's by the bureau; the index leads each to theirs
    # (外滩社区 has no unit in creation: nothing for its applicant).
    Row("monitoring_figures:index", none, GET,
        outcome(404, applicant=302, officer=302, other_officer=302, admin=302)),
    Row("monitoring_figures:index", none, POST, outcome(405, anonymous=405)),
    Row("monitoring_figures:unit", on("unit"), GET, READ_OWN),
    Row("monitoring_figures:unit", on("unit"), POST, outcome(405, anonymous=405)),
    Row("monitoring_figures:district", lambda w: {"code": district_code(w, "徐汇区")}, GET,
        outcome(404, officer=200, admin=200)),
    Row("monitoring_figures:district", lambda w: {"code": district_code(w, "黄浦区")}, GET,
        outcome(404, other_officer=200, admin=200)),
    Row("monitoring_figures:district", lambda w: {"code": "999999"}, GET, outcome(404),
        not_a_refusal="no such district"),
    Row("monitoring_figures:district", lambda w: {"code": district_code(w, "徐汇区")}, POST,
        outcome(405, anonymous=405)),
    Row("monitoring_figures:city", none, GET, outcome(403, admin=200)),
    Row("monitoring_figures:city", none, POST, outcome(405, anonymous=405)),
    # --- the monitoring system's coverage and the metered activity workbook (issue 17 §6): read
    # where the unit's figures are read; filed in the archive by the unit's own staff (the
    # matrix's unit has no meter: the action answers with its reason on the page).
    Row("monitoring_coverage:index", none, GET,
        outcome(404, applicant=200, other_applicant=200, officer=200, other_officer=200,
                admin=200)),
    Row("monitoring_coverage:index", none, POST, outcome(405, anonymous=405)),
    Row("monitoring_coverage:unit", on("unit"), GET, READ_OWN),
    Row("monitoring_coverage:unit", on("unit"), POST, outcome(405, anonymous=405)),
    Row("monitoring_coverage:xlsx", on("unit", year=2025), GET, READ_OWN),
    Row("monitoring_coverage:xlsx", on("unit", year=2025), POST, outcome(405, anonymous=405)),
    Row("monitoring_coverage:workbook", on("unit", year=2025), GET, READ_OWN),
    Row("monitoring_coverage:workbook", on("unit", year=2025), POST,
        outcome(405, anonymous=405)),
    Row("monitoring_coverage:archive", on("unit", year=2025), GET, NOT_GET),
    Row("monitoring_coverage:archive", on("unit", year=2025), POST,
        outcome(404, applicant=302, officer=403, admin=403)),
    # --- the household ledger and the selection (issue 17 §5): 田林十二村社区's households,
    # the resident's own (12号楼 3单元 502) and a neighbour's; the committee (the unit's
    # applicant) keeps them and runs the selection (2025, run, not published); officers and the
    # bureau see aggregates only; a resident nothing but their own household.
    Row("households:index", none, GET, outcome(302, expert=404, reviewer=404)),
    Row("households:index", none, POST, outcome(405, anonymous=405)),
    Row("households:overview", none, GET, outcome(404, officer=200, other_officer=200, admin=200)),
    Row("households:overview", none, POST, outcome(405, anonymous=405)),
    Row("households:community", committee_unit, GET, outcome(404, applicant=200)),
    Row("households:community", committee_unit, POST, outcome(405, anonymous=405)),
    Row("households:add", committee_unit, GET, outcome(404, applicant=200)),
    Row("households:add", committee_unit, POST, outcome(404, applicant=400)),
    Row("households:selection_run", committee_unit, GET, NOT_GET),
    # An empty form names no year: back to the households, with the error.
    Row("households:selection_run", committee_unit, POST, outcome(404, applicant=302)),
    Row("households:selection", committee_selection, GET, outcome(404, applicant=200)),
    Row("households:selection", committee_selection, POST, outcome(405, anonymous=405)),
    Row("households:selection_publish", committee_selection, GET, NOT_GET),
    # An empty form names no version: refused as stale, back to the result, nothing published.
    Row("households:selection_publish", committee_selection, POST, outcome(404, applicant=302)),
    Row("households:household", own_household, GET, outcome(404, applicant=200, resident=200)),
    Row("households:household", neighbour_household, GET, outcome(404, applicant=200)),
    Row("households:household", own_household, POST, outcome(405, anonymous=405)),
    Row("households:edit", own_household, GET, outcome(404, applicant=200, resident=403)),
    Row("households:edit", own_household, POST, outcome(404, applicant=400, resident=403)),
    Row("households:account", own_household, GET, outcome(404, applicant=200, resident=403)),
    Row("households:account", own_household, POST, outcome(404, applicant=400, resident=403)),
    Row("households:month_add", own_household, GET, outcome(404, applicant=200, resident=200)),
    Row("households:month_add", own_household, POST, outcome(404, applicant=400, resident=400)),
    Row("households:month_add", neighbour_household, GET, outcome(404, applicant=200)),
    Row("households:month_edit", own_month, GET, outcome(404, applicant=200, resident=200)),
    Row("households:month_edit", own_month, POST, outcome(404, applicant=400, resident=400)),
    # Meters feeding the ledger: the committee links and unlinks them, feeds the ledgers and
    # takes a meter's figure instead of a bill; the resident sees them but does none of it.
    # Empty forms name no meter, link or version: refused, back to the page with the error.
    Row("households:meter_link", own_household, GET, NOT_GET),
    Row("households:meter_link", own_household, POST, outcome(404, applicant=302, resident=403)),
    Row("households:meter_unlink", own_household, GET, NOT_GET),
    Row("households:meter_unlink", own_household, POST,
        outcome(404, applicant=302, resident=403)),
    Row("households:month_take_metered", own_month, GET, NOT_GET),
    Row("households:month_take_metered", own_month, POST,
        outcome(404, applicant=302, resident=403)),
    Row("households:feed", committee_unit, GET, NOT_GET),
    Row("households:feed", committee_unit, POST, outcome(404, applicant=302)),
    # --- the meter register and imports (issue 17): a unit's own staff keep them, its district
    # and the bureau read them, experts see nothing.
    Row("monitoring:units", none, GET,
        outcome(200, anonymous=LOGIN, expert=403, reviewer=403,
                resident=403)),
    Row("monitoring:units", none, POST, outcome(405, anonymous=405)),
    Row("monitoring:meters", unit_organisation, GET, READ_OWN),
    Row("monitoring:meters", unit_organisation, POST, outcome(405, anonymous=405)),
    Row("monitoring:meter_create", unit_organisation, GET, SEEN_REFUSED | OWN_OK),
    Row("monitoring:meter_create", unit_organisation, POST, SEEN_REFUSED | OWN_OK),
    Row("monitoring:meter_bulk", unit_organisation, GET, SEEN_REFUSED | OWN_OK),
    Row("monitoring:meter_bulk", unit_organisation, POST, SEEN_REFUSED | OWN_OK),
    Row("monitoring:meter_template", unit_organisation, GET, SEEN_REFUSED | OWN_OK),
    Row("monitoring:meter_template", unit_organisation, POST, outcome(405, anonymous=405)),
    Row("monitoring:meter", unit_meter, GET, READ_OWN),
    Row("monitoring:meter", unit_meter, POST, outcome(405, anonymous=405)),
    Row("monitoring:meter_edit", unit_meter, GET, SEEN_REFUSED | OWN_OK),
    Row("monitoring:meter_edit", unit_meter, POST, SEEN_REFUSED | OWN_OK),
    Row("monitoring:meter_event", unit_meter, GET, SEEN_REFUSED | OWN_OK),
    Row("monitoring:meter_event", unit_meter, POST, SEEN_REFUSED | OWN_OK),
    Row("monitoring:imports", unit_organisation, GET, READ_OWN),
    Row("monitoring:imports", unit_organisation, POST, outcome(405, anonymous=405)),
    Row("monitoring:import_new", unit_organisation, GET, SEEN_REFUSED | OWN_OK),
    Row("monitoring:import_new", unit_organisation, POST, SEEN_REFUSED | OWN_OK),
    Row("monitoring:import", unit_import, GET, READ_OWN),
    Row("monitoring:import", unit_import, POST, outcome(405, anonymous=405)),
    Row("monitoring:import_report", unit_import, GET, READ_OWN),
    Row("monitoring:import_report", unit_import, POST, outcome(405, anonymous=405)),
    # Corrections of stored readings: the unit's staff and the bureau correct (an empty form
    # is shown again with its errors), its district reads the record.
    Row("monitoring:correction_new", unit_meter, GET,
        outcome(404, applicant=200, officer=403, admin=200)),
    Row("monitoring:correction_new", unit_meter, POST,
        outcome(404, applicant=200, officer=403, admin=200)),
    Row("monitoring:corrections", unit_organisation, GET, READ_OWN),
    Row("monitoring:corrections", unit_organisation, POST, outcome(405, anonymous=405)),
]  # fmt: skip


# --- the data ----------------------------------------------------------------------------------


@pytest.fixture
def world(users: dict[str, User], admin_user: User, applicant: User, officer: User) -> World:
    return build_world(users, admin_user, applicant, officer)


def build_world(users: dict[str, User], admin_user: User, applicant: User, officer: User) -> World:
    """The objects of the table (the module's docstring), for this and other tests of every URL."""
    round_draft = make_round(admin_user, year=2097)
    round_submitted = make_round(admin_user, year=2098)
    round_recommended = make_round(admin_user, year=2099)
    _unit, other_applicant, other_officer = make_unit(admin_user, "黄浦区", "外滩社区")

    def filled(round_: Round, person: User) -> Application:
        created = do_create_application(
            round_,
            person.organisation,  # type: ignore[arg-type]
            "community",
            actor=person,
        )
        application = _fill(created, person)
        # The baseline data again through the real import, so it is stored as the workbook
        # upload stores it (review_support writes the numbers as strings).
        return do_import_accounting(
            application,
            load_accounting_file(EXAMPLES / "accounting.yaml"),
            expected_version=application.accounting_version,
            actor=person,
        )

    draft_application = filled(round_draft, applicant)
    submitted_application = filled(round_submitted, applicant)
    submission = do_submit(submitted_application, actor=applicant)
    submitted_application.refresh_from_db()
    recommended_app = filled(round_recommended, applicant)
    recommended_submission = do_submit(recommended_app, actor=applicant)
    recommended_app.refresh_from_db()
    do_district_decide(recommended_app, decision="recommended", comment="同意推荐。", actor=officer)
    recommended_app.refresh_from_db()
    other_application = filled(round_draft, other_applicant)
    reviewer = make_expert(admin_user, "reviewer", "周评审")
    panel = make_panel(admin_user, round_recommended, [reviewer])
    [assigned] = assign_all(admin_user, panel, recommended_app, [reviewer])
    round_created = make_round(admin_user, year=2096)
    selected, _ = recommended_application(round_created, applicant, officer)
    decide_and_publish(admin_user, round_created, [(selected, "selected")], "creation_reviewer")
    unit = unit_of(selected)
    # review_support writes the baseline data without the import: its task becomes a record.
    ApplicationTask.objects.create(
        application=selected,
        code="C01",
        name="既有住宅节能改造",
        domain="buildings",
        start_year=2025,
    )
    unit = do_change_unit_status(
        unit,
        target=LifecycleStatus.IN_CREATION,
        reason="实施方案已报送。",
        expected_version=unit.version,
        actor=officer,
    )
    order = do_issue_rectification(
        unit,
        items=[
            ItemInput("年度工作计划逾期。", "尽快报送。"),
            ItemInput("缺少监测数据。", "补报。"),
        ],
        deadline=timezone.localdate() + timedelta(days=30),
        expected_version=unit.version,
        actor=officer,
    )
    answered = do_answer_rectification_item(
        order.items.get(number=1),
        text="已报送。",
        files=[SimpleUploadedFile("计划.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)],
        expected_version=order.version,
        actor=applicant,
    )
    do_add_record(
        unit,
        RecordInput(
            category="training",
            title="低碳生活讲座",
            date=timezone.localdate(),
            place="社区活动中心",
            organiser="居委会",
            attendance=30,
            photos=[SimpleUploadedFile("讲座.png", b"\x89PNG\r\n\x1a\n" + b"\x01" * 32)],
        ),
        actor=applicant,
    )
    return World(
        users={
            "applicant": applicant,
            "other_applicant": other_applicant,
            "officer": officer,
            "other_officer": other_officer,
            "expert": users[Role.EXPERT],
            "reviewer": reviewer,
            "admin": admin_user,
            "resident": matrix_households(applicant),
        },
        round_draft=round_draft,
        round_recommended=round_recommended,
        draft=draft_application,
        submitted=submitted_application,
        recommended=recommended_app,
        other=other_application,
        submission=submission,
        recommended_submission=recommended_submission,
        panel=panel,
        assignment=assigned,
        year=int(draft_application.accounting["years"][0]),
        unit=unit,
        schedule_item=ScheduleItem.objects.get(round=round_created, code="final_plan"),
        round_created=round_created,
        rectification=order,
        rectification_file=answered.files.get(),
    )


class Refusals(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def refusals() -> Iterator[Refusals]:
    handler = Refusals()
    logger = logging.getLogger("lowcarbon.web.permissions")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


# --- the coverage of the table -----------------------------------------------------------------


def named_urls() -> set[str]:
    """Every URL name at the root and in the covered namespaces (the admin site is Django's)."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace is None or pattern.namespace in COVERED_NAMESPACES:
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_named_url_has_a_row() -> None:
    covered = {row.name for row in ROWS}
    missing = sorted(named_urls() - covered)
    assert not missing, f"URL names without a row in the permission matrix: {missing}"
    stale = sorted(covered - named_urls())
    assert not stale, f"rows for URL names that no longer exist: {stale}"


def test_every_row_names_every_role_and_a_known_answer() -> None:
    for row in ROWS:
        assert set(row.expected) == set(ROLES), row.name
        assert row.method in ("GET", "POST"), row
        for answer in row.expected.values():
            assert answer in (200, 302, 400, 403, 404, 405, LOGIN), (row.name, answer)


# --- the matrix --------------------------------------------------------------------------------


def _answer(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return int(response.status_code)


def test_permission_matrix(world: World, refusals: Refusals) -> None:
    # A server error is reported as a 500 in its row, not as the test's traceback.
    clients: dict[str, Client] = {"anonymous": Client(raise_request_exception=False)}
    for role, user in world.users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    wrong: list[str] = []
    for row in ROWS:
        url = reverse(row.name, kwargs=row.kwargs(world))
        for role in ROLES:
            client = clients[role]
            if row.name == "logout":
                # Signing out ends the session: use a fresh one.
                client = Client(raise_request_exception=False)
                if role != "anonymous":
                    client.force_login(world.users[role])
            refusals.records.clear()
            response = client.get(url) if row.method == "GET" else client.post(url, {})
            if response.streaming:  # read a download to its end: the client then closes it
                b"".join(response.streaming_content)
            found, expected = _answer(response), row.expected[role]
            if found != expected:
                wrong.append(f"{row.method} {url} ({row.name}) as {role}: {found}, not {expected}")
                continue
            refused = found in (403, 404) and not row.not_a_refusal
            logged = any(r.getMessage().startswith("permission denied") for r in refusals.records)
            if refused and not logged:
                wrong.append(f"{row.method} {url} ({row.name}) as {role}: {found} not logged")
    assert not wrong, "\n".join(wrong)


def test_a_refusal_names_who_what_and_where(world: World, refusals: Refusals) -> None:
    client = Client()
    client.force_login(world.users["other_applicant"])
    url = reverse("applications:workspace", kwargs={"pk": world.draft.pk})
    assert client.get(url).status_code == 404
    [record] = refusals.records
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert f"user={world.users['other_applicant'].username}" in message
    assert "role=applicant" in message
    assert f"what=view application {world.draft.pk}" in message
    assert f"path={url}" in message


# --- the admin site and the sign-in pages with data ---------------------------------------------
# Django's admin is a window for staff (administrators; ReadOnlyAdmin refuses every write).
# Everyone else is sent to its sign-in page; an administrator without model permissions gets
# the index and nothing of any model. Its refusals are Django's own, not the platform's
# permission log's. A guessed object (999999) does not exist.

ADMIN_LOGIN = "admin_login"  # a 302 to the admin site's sign-in page
NOT_STAFF = {"anonymous": ADMIN_LOGIN} | {role: ADMIN_LOGIN for role in ROLES if role != "admin"}
STAFF_SEES = NOT_STAFF | {"admin": 200}
STAFF_REFUSED = NOT_STAFF | {"admin": 403}
TO_INDEX = dict.fromkeys(ROLES, 302)  # the admin's logout sends non-staff to its index


@dataclass(frozen=True)
class SiteRow:
    name: str
    kwargs: Callable[[], dict[str, Any]]
    method: str
    expected: dict[str, int | str]
    data: dict[str, str] | None = None


def no_kwargs() -> dict[str, Any]:
    return {}


def guessed() -> dict[str, Any]:
    return {"object_id": "999999"}


def _model_rows() -> list[SiteRow]:
    rows: list[SiteRow] = []
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        rows += [
            SiteRow(f"{prefix}_changelist", no_kwargs, GET, STAFF_REFUSED),
            SiteRow(f"{prefix}_add", no_kwargs, GET, STAFF_REFUSED),
            SiteRow(f"{prefix}_add", no_kwargs, POST, STAFF_REFUSED),
            SiteRow(f"{prefix}_change", guessed, GET, STAFF_REFUSED),
            SiteRow(f"{prefix}_change", guessed, POST, STAFF_REFUSED),
            SiteRow(f"{prefix}_delete", guessed, GET, STAFF_REFUSED),
            SiteRow(f"{prefix}_delete", guessed, POST, STAFF_REFUSED),
            # No such object: back to the index before any permission is asked.
            SiteRow(f"{prefix}_history", guessed, GET, NOT_STAFF | {"admin": 302}),
        ]
    return rows


def _user_link() -> dict[str, Any]:
    kind = ContentType.objects.get_for_model(User)
    return {"content_type_id": kind.pk, "object_id": User.objects.get(username="admin").pk}


WRONG_PASSWORD = {"username": "nobody-here", "password": "wrong-password-1"}
PAUSED_AT_FIFTH = dict(zip(ROLES, [200, 200, 200, 200, 429, 429, 429, 429, 429], strict=True))
SITE_ROWS: list[SiteRow] = [
    SiteRow("admin:index", no_kwargs, GET, STAFF_SEES),
    SiteRow("admin:index", no_kwargs, POST, STAFF_SEES),
    SiteRow("admin:login", no_kwargs, GET, outcome(200, anonymous=200, admin=302)),
    SiteRow("admin:login", no_kwargs, POST, outcome(200, anonymous=200)),
    # One wrong password per role, in the order of ROLES: the fifth pauses the name (429).
    SiteRow("admin:login", no_kwargs, POST, PAUSED_AT_FIFTH, WRONG_PASSWORD),
    SiteRow("admin:logout", no_kwargs, GET, TO_INDEX | {"admin": 405}),
    SiteRow("admin:logout", no_kwargs, POST, TO_INDEX | {"admin": LOGIN}),
    SiteRow("admin:password_change", no_kwargs, GET, STAFF_SEES),
    SiteRow("admin:password_change", no_kwargs, POST, STAFF_SEES),
    SiteRow("admin:password_change_done", no_kwargs, GET, STAFF_SEES),
    SiteRow("admin:autocomplete", no_kwargs, GET, STAFF_REFUSED),  # asks for nothing it may see
    SiteRow("admin:jsi18n", no_kwargs, GET, STAFF_SEES),
    SiteRow("admin:view_on_site", _user_link, GET, NOT_STAFF | {"admin": 404}),
    SiteRow("admin:app_list", lambda: {"app_label": "accounts"}, GET, NOT_STAFF | {"admin": 404}),
    *_model_rows(),
    # The platform's own sign-in and reset pages with data: the name is still paused (one count
    # for both doors; signed-in people are sent on); without mail, no reset mail goes anywhere.
    SiteRow("login", no_kwargs, POST, outcome(302, anonymous=429), WRONG_PASSWORD),
    SiteRow("password_reset", no_kwargs, POST, outcome(200, anonymous=200), {"email": "a@b.cn"}),
]  # fmt: skip


def admin_named_urls() -> set[str]:
    names: set[str] = set()
    for pattern in admin.site.urls[0]:
        if isinstance(pattern, URLResolver):
            names |= {f"admin:{p.name}" for p in pattern.url_patterns if p.name}
        elif pattern.name:
            names.add(f"admin:{pattern.name}")
    return names


def test_every_admin_url_has_a_row() -> None:
    covered = {row.name for row in SITE_ROWS if row.name.startswith("admin:")}
    assert sorted(admin_named_urls() - covered) == []
    assert sorted(covered - admin_named_urls()) == []
    for row in SITE_ROWS:
        assert set(row.expected) == set(ROLES), row.name
    assert ROLES.index("other_officer") == 4  # the fifth wrong password of PAUSED_AT_FIFTH


def test_the_admin_site_and_the_sign_in_pages(world: World) -> None:
    admin_user = world.users["admin"]
    admin_user.email = "a@b.cn"
    admin_user.save()
    wrong: list[str] = []
    for row in SITE_ROWS:
        url = reverse(row.name, kwargs=row.kwargs())
        for role in ROLES:
            # A fresh client each time: some rows sign out, and the sign-in ones count failures.
            client = Client(raise_request_exception=False)
            if role != "anonymous":
                client.force_login(world.users[role])
            data = row.data or {}
            response = client.get(url) if row.method == GET else client.post(url, data)
            found: int | str = _answer(response)
            if response.status_code == 302 and response["Location"].startswith(
                reverse("admin:login")
            ):
                found = ADMIN_LOGIN
            if found != row.expected[role]:
                wrong.append(
                    f"{row.method} {url} ({row.name}) as {role}: {found}, not {row.expected[role]}"
                )
    assert not wrong, "\n".join(wrong)
    assert mail.outbox == []  # no mail is configured in the tests' settings
