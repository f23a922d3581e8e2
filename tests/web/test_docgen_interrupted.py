"""A document job whose worker was stopped (kill -9, a crash, a restart) does not block its
document for ever (issue 11, finding 6).

Nothing is killed here: a job row is left as a stopped worker leaves it — running, at 30%,
its last sign of life some time ago — and the clock is the ``now`` the action is given. A job
silent for longer than LOWCARBON_DOCUMENT_JOB_STALE_SECONDS is marked failed ("生成中断") with
the reason, audited, and the document can be asked for again; one that is only slow is not.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.documents import tasks
from lowcarbon.web.documents.actions import DRAFT, do_mark_interrupted, do_request_document
from lowcarbon.web.documents.models import DocumentStatus, GeneratedDocument, Step
from lowcarbon.web.rounds.models import Round

from ..documents.test_pdf import slow_converter
from . import docgen_support as support
from .docgen_support import IMMEDIATE, client_for, events

pytestmark = pytest.mark.django_db

QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def current_round(admin_user: User) -> Round:
    return support.make_round(admin_user)


@pytest.fixture
def application(current_round: Round, applicant: User) -> Application:
    return support.make_application(current_round, applicant)


def left_running(document: GeneratedDocument, since: Any) -> GeneratedDocument:
    """The row as a worker killed while writing the Word file leaves it."""
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RUNNING,
        progress=30,
        step=Step.DOCX,
        started_at=since,
        heartbeat_at=since,
    )
    document.refresh_from_db()
    return document


@override_settings(TASKS=QUEUE_ONLY, LOWCARBON_DOCUMENT_JOB_STALE_SECONDS=120)
def test_a_job_left_running_is_interrupted_after_its_silence_and_asked_for_again(
    application: Application, applicant: User
) -> None:
    stopped = left_running(
        do_request_document(application, source=DRAFT, actor=applicant), timezone.now()
    )
    since = stopped.heartbeat_at
    # Two minutes less a second: a slow step, not a stopped worker. Still refused.
    with pytest.raises(ValidationError) as refused:
        do_request_document(
            application, source=DRAFT, actor=applicant, now=since + timedelta(seconds=119)
        )
    assert refused.value.code == "busy"
    stopped.refresh_from_db()
    assert stopped.status == DocumentStatus.RUNNING
    assert events("document_interrupted") == 0
    # Past two minutes: the stopped job is failed with the reason and a new one is queued.
    later = since + timedelta(seconds=121)
    again = do_request_document(application, source=DRAFT, actor=applicant, now=later)
    assert again.pk != stopped.pk
    assert again.status == DocumentStatus.QUEUED
    stopped.refresh_from_db()
    assert stopped.status == DocumentStatus.FAILED
    assert stopped.finished_at == later
    assert stopped.error.startswith("生成中断")
    assert "30%" in stopped.error
    assert timezone.localtime(since).strftime("%H:%M:%S") in stopped.error
    [event] = AuditEvent.objects.filter(action="document_interrupted")
    assert event.actor is None
    assert event.object_id == str(stopped.pk)
    assert event.before["status"] == "running"
    assert event.before["progress"] == 30
    assert event.after == {"status": "failed", "error": stopped.error}
    requested = AuditEvent.objects.filter(action="document_requested").latest("id")
    assert requested.object_id == str(again.pk)
    assert requested.after["replaces"] == [stopped.pk]


@override_settings(TASKS=QUEUE_ONLY)
def test_the_page_shows_a_stopped_job_as_interrupted_and_offers_it_again(
    application: Application, applicant: User
) -> None:
    stopped = left_running(
        do_request_document(application, source=DRAFT, actor=applicant),
        timezone.now() - timedelta(minutes=10),
    )
    client = client_for(applicant)
    status = client.get(reverse("documents:status", args=[application.pk])).json()
    [shown] = status["documents"]
    assert shown["id"] == stopped.pk
    assert shown["status"] == "failed"
    assert shown["active"] is False  # the page's poll stops waiting and reloads
    page = client.get(reverse("documents:list", args=[application.pk])).content.decode()
    assert "生成中断" in page
    assert "30%" in page
    assert events("document_interrupted") == 1  # marked once, whoever looked first
    response = client.post(
        reverse("documents:request", args=[application.pk]), {"source": DRAFT, "kind": "plan"}
    )
    assert response.status_code == 302
    assert GeneratedDocument.objects.filter(status=DocumentStatus.QUEUED).count() == 1


@override_settings(TASKS=QUEUE_ONLY, LOWCARBON_DOCUMENT_QUEUE_STALE_SECONDS=1800)
def test_a_job_no_worker_ever_takes_is_interrupted_after_the_queue_limit(
    application: Application, applicant: User
) -> None:
    waiting = do_request_document(application, source=DRAFT, actor=applicant)
    queued = GeneratedDocument.objects.filter(pk=waiting.pk)
    # A busy worker may leave a job waiting for minutes: that is not an interruption.
    assert do_mark_interrupted(queued, now=waiting.heartbeat_at + timedelta(minutes=29)) == []
    [marked] = do_mark_interrupted(queued, now=waiting.heartbeat_at + timedelta(minutes=31))
    assert marked.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == DocumentStatus.FAILED
    assert "manage.py db_worker" in waiting.error
    # A worker that comes late leaves the failed job alone.
    assert tasks.run_generation(waiting.pk) == "skipped"


def test_a_finished_job_is_never_interrupted(
    application: Application, applicant: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = IMMEDIATE
    support.no_pdf(monkeypatch, Path(str(settings.MEDIA_ROOT)))
    done = do_request_document(application, source=DRAFT, actor=applicant)
    assert done.status == DocumentStatus.DONE, done.error
    assert done.heartbeat_at >= done.started_at
    later = timezone.now() + timedelta(days=30)
    assert do_mark_interrupted(GeneratedDocument.objects.all(), now=later) == []


def test_a_worker_whose_job_was_interrupted_stops_and_leaves_it_alone(
    application: Application,
    applicant: User,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The worker was only slow (its conversion outlived the silence allowed) and the job was
    marked interrupted meanwhile: at its next sign of life it stops the converter and records
    nothing over the failure."""
    settings.TASKS = IMMEDIATE
    monkeypatch.setenv("LOWCARBON_SOFFICE", slow_converter(tmp_path, 30))
    monkeypatch.setattr("lowcarbon.documents.pdf.WAIT_INTERVAL", 0.05)
    real = tasks.convert_to_pdf

    def convert_after_a_long_silence(docx: Path, folder: Path, **kwargs: Any) -> Path:
        # What another request would do after the silence: mark the running job interrupted.
        do_mark_interrupted(
            GeneratedDocument.objects.all(), now=timezone.now() + timedelta(hours=1)
        )
        return real(docx, folder, **kwargs)

    monkeypatch.setattr(tasks, "convert_to_pdf", convert_after_a_long_silence)
    started = time.monotonic()
    document = do_request_document(application, source=DRAFT, actor=applicant)
    assert time.monotonic() - started < 20  # the 30-second conversion was stopped
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("生成中断")
    assert not document.pdf
    assert events("document_interrupted") == 1
    assert events("document_generated") == 0
    assert events("document_failed") == 0
