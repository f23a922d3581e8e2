"""Operations on one applicant unit: its applications (the applicant's own), its meter register,
its monthly energy and emissions, and the reading batches its gateways push."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from ninja import Router, Status
from ninja.params.functions import Query

from lowcarbon.core.metering import RawReading, ReadingFinding, Severity
from lowcarbon.monitoring.ingest import IngestResult, ingest_readings
from lowcarbon.monitoring.monthly import monthly
from lowcarbon.web import permissions
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.monitoring.stores import community_key, factor_set_of, monitoring_store
from lowcarbon.web.organisations.models import Organisation

from .auth import Principal, TokenAuth
from .common import PERIOD, READ_SCOPES, TOKEN_ERRORS, require
from .errors import ApiProblem, Text
from .models import ReadingBatch
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of_list, page_of_queryset
from .schemas import (
    ApplicationOut,
    ApplicationPage,
    BatchReportOut,
    MeterOut,
    MeterPage,
    MonthlyOut,
    MonthlyPage,
    Problem,
    ReadingBatchIn,
    SectionScoreOut,
    SelfAssessmentOut,
    local_time,
)
from .scopes import Scope

__all__ = ["router"]

router = Router(auth=TokenAuth())


# --- applications (read-unit) --------------------------------------------------------------------


def _self_assessment(application: Any) -> SelfAssessmentOut | None:
    from lowcarbon.core.errors import LowcarbonError
    from lowcarbon.web.applications.assessment import running_total

    try:
        total = running_total(application)
    except (LowcarbonError, LookupError, ValueError):
        return None
    return SelfAssessmentOut(
        complete=total.complete,
        unanswered=len(total.unanswered),
        main=str(total.result.main),
        bonus=str(total.result.bonus),
        sections=[
            SectionScoreOut(id=s.section.id, points=str(s.points), maximum=str(s.maximum))
            for s in total.result.sections
        ],
    )


@router.get(
    "/applications",
    response={200: ApplicationPage, **TOKEN_ERRORS, 400: Problem},
    tags=["applications"],
    summary="The unit's own applications: status and running self-assessment (read-unit)",
)
def applications(
    request: HttpRequest,
    period: str | None = Query(None, pattern=PERIOD, description="a round: YYYY"),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=100),
) -> dict[str, Any]:
    from lowcarbon.web.applications.models import ApplicationStatus

    who = require(request, Scope.READ_UNIT)
    found = permissions.visible_applications(who.viewer)
    if period:
        found = found.filter(round__year=int(period[:4]))
    items, after = page_of_queryset(found, cursor, limit)
    return {
        "items": [
            ApplicationOut(
                id=a.pk,
                unit_id=a.unit_id,
                unit=a.unit.name,
                round=a.round.year,
                kind=a.kind,
                status=a.status,
                status_label=str(ApplicationStatus(a.status).label),
                self_assessment=_self_assessment(a),
                updated_at=local_time(a.updated_at),
            )
            for a in items
        ],
        "next_cursor": after,
    }


# --- a unit's monitoring -------------------------------------------------------------------------


def _unit(request: HttpRequest, who: Principal, unit_id: int) -> Organisation:
    unit: Organisation | None = (
        permissions.visible_meter_units(who.viewer).filter(pk=unit_id).first()
    )
    if unit is None:
        permissions.log_denied(request, f"API unit {unit_id}")
        raise Http404
    return unit


@router.get(
    "/units/{unit_id}/meters",
    response={200: MeterPage, **TOKEN_ERRORS, 400: Problem, 404: Problem},
    tags=["monitoring"],
    summary="The unit's meter register",
)
def meters(
    request: HttpRequest,
    unit_id: int,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    who = require(request, *READ_SCOPES)
    unit = _unit(request, who, unit_id)
    key = community_key(unit)
    found = [m for m in monitoring_store().meters().values() if m.community == key]
    items, after = page_of_list(found, cursor, limit, key=lambda m: m.id)
    return {
        "items": [
            MeterOut(
                id=m.id,
                carrier=m.carrier.value,
                use=m.use.value,
                category=m.category.value,
                sector=m.sector.value,
                unit=m.unit,
                reading=m.reading.value,
                interval_minutes=m.interval_minutes,
                multiplier=str(m.multiplier),
                installed=m.installed,
                max_rate=None if m.max_rate is None else repr(m.max_rate),
                max_gap_intervals=m.max_gap_intervals,
            )
            for m in items
        ],
        "next_cursor": after,
    }


@router.get(
    "/units/{unit_id}/monthly",
    response={200: MonthlyPage, **TOKEN_ERRORS, 400: Problem, 404: Problem},
    tags=["monitoring"],
    summary="Monthly energy and emissions per meter and category",
)
def monthly_figures(
    request: HttpRequest,
    unit_id: int,
    period: str | None = Query(None, pattern=PERIOD, description="YYYY or YYYY-MM"),
    category: str | None = Query(None, max_length=50),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    who = require(request, *READ_SCOPES)
    unit = _unit(request, who, unit_id)
    report = monthly(
        monitoring_store(), set_id=factor_set_of(unit), communities=[community_key(unit)]
    )
    figures = [
        f
        for f in report.figures
        if (not period or f.month.startswith(period))
        and (not category or f.category.value == category)
    ]
    items, after = page_of_list(figures, cursor, limit, key=lambda f: f"{f.month}|{f.meter}")
    return {
        "factor_set": report.factor_set,
        "items": [
            MonthlyOut(
                meter=f.meter,
                month=f.month,
                category=f.category.value,
                sector=f.sector.value,
                unit=f.unit,
                rows=f.rows,
                measured=f.measured,
                estimated=f.estimated,
                flagged=f.flagged,
                completeness=str(f.completeness),
                consumption=str(f.consumption),
                tco2=None if f.tco2 is None else str(f.tco2),
            )
            for f in items
        ],
        "next_cursor": after,
    }


# --- reading batches (write-readings) ------------------------------------------------------------


def _digest(payload: ReadingBatchIn) -> str:
    """The batch's content, independent of key order and spacing: what a replay must repeat."""
    rows = [[r.meter, _local(r.time).isoformat(), repr(float(r.value))] for r in payload.readings]
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


def _local(moment: Any) -> Any:
    """A reading's time as the store keeps it: Asia/Shanghai wall time, without an offset."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(SHANGHAI).replace(tzinfo=None)


def _render(message: Any, language: str) -> str:
    with translation.override(language):
        return str(message.render(gettext))


def _finding(f: ReadingFinding) -> dict[str, Any]:
    return {
        "severity": f.severity.value,
        "kind": f.kind.value,
        "meter": f.meter,
        "index": f.row,
        "time": None if f.at is None else f.at.replace(tzinfo=SHANGHAI).isoformat(),
        "found": f.found,
        "reason_zh": _render(f.reason, "zh-hans"),
        "reason_en": _render(f.reason, "en"),
        "expected_zh": _render(f.expected, "zh-hans"),
        "expected_en": _render(f.expected, "en"),
    }


def _report(result: IngestResult, count: int) -> dict[str, Any]:
    ordered = sorted(result.findings, key=lambda f: (f.row or 0, f.meter, f.kind.value))
    return {
        "readings": count,
        "added": result.added,
        "already_stored": result.already_stored,
        "rejected": result.count(Severity.REJECTED),
        "flagged": result.count(Severity.FLAGGED),
        "findings": [_finding(f) for f in ordered],
    }


def _answer(batch: ReadingBatch) -> dict[str, Any]:
    return {
        "batch_id": batch.batch_id,
        "unit_id": batch.unit_id,
        "import_id": batch.import_id,
        "received_at": local_time(batch.received_at),
        **batch.report,
    }


def _audit(batch: ReadingBatch, who: Principal, action: str, digest: str) -> None:
    token = who.token
    assert token is not None
    record_event(
        actor=None,
        action=action,
        target=batch,
        after={
            "token": token.prefix,
            "token_name": token.name,
            "batch_id": batch.batch_id,
            "digest": digest,
            "import_id": batch.import_id,
            "added": batch.report.get("added"),
        },
        reason=f"API token {token.name} ({token.prefix})",
    )


def _conflict(batch_id: str) -> ApiProblem:
    return ApiProblem(
        409,
        Text(
            gettext_noop(
                "The batch {batch_id} was received before with other readings; a batch id "
                "names one content. Send new readings under a new batch id."
            ),
            {"batch_id": batch_id},
        ),
        code="batch_conflict",
    )


@router.post(
    "/units/{unit_id}/reading-batches",
    response={
        200: BatchReportOut,
        201: BatchReportOut,
        **TOKEN_ERRORS,
        400: Problem,
        404: Problem,
        409: Problem,
        413: Problem,
    },
    tags=["monitoring"],
    summary="Push a batch of meter readings (a gateway, write-readings)",
)
def push_batch(
    request: HttpRequest, unit_id: int, payload: ReadingBatchIn
) -> Status[dict[str, Any]]:
    who = require(request, Scope.WRITE_READINGS)
    assert who.token is not None
    if who.token.organisation_id != unit_id:
        permissions.log_denied(request, f"API push readings to unit {unit_id}")
        raise ApiProblem(
            403,
            Text(
                gettext_noop(
                    "A gateway token pushes readings to its own unit only; this token is of "
                    "unit {own}, not {unit}."
                ),
                {"own": who.token.organisation_id, "unit": unit_id},
            ),
            code="other_unit",
        )
    unit = Organisation.objects.get(pk=unit_id)
    digest = _digest(payload)
    known = ReadingBatch.objects.filter(unit=unit, batch_id=payload.batch_id).first()
    if known is not None:
        return _replay(known, who, digest)
    now = timezone.now()
    readings = [
        RawReading(index, r.meter, _local(r.time), float(r.value))
        for index, r in enumerate(payload.readings, start=1)
    ]
    with translation.override("zh-hans"):
        result = ingest_readings(
            monitoring_store(),
            readings,
            f"api-{payload.batch_id}",
            now=_local(now),
            translate=gettext,
            community=community_key(unit),
        )
    try:
        with transaction.atomic():
            batch = ReadingBatch.objects.create(
                unit=unit,
                batch_id=payload.batch_id,
                digest=digest,
                token=who.token,
                import_id=result.import_id,
                received_at=now,
                report=_report(result, len(readings)),
            )
            _audit(batch, who, "api_reading_batch_pushed", digest)
    except IntegrityError:  # the same batch id arrived at the same moment: answer as a replay
        return _replay(ReadingBatch.objects.get(unit=unit, batch_id=payload.batch_id), who, digest)
    return Status(201, _answer(batch))


def _replay(known: ReadingBatch, who: Principal, digest: str) -> Status[dict[str, Any]]:
    with transaction.atomic():
        same = known.digest == digest
        action = "api_reading_batch_replayed" if same else "api_reading_batch_refused"
        _audit(known, who, action, digest)
    if not same:
        raise _conflict(known.batch_id)
    return Status(200, _answer(known))


@router.get(
    "/units/{unit_id}/reading-batches/{batch_id}",
    response={200: BatchReportOut, **TOKEN_ERRORS, 404: Problem},
    tags=["monitoring"],
    summary="A pushed batch's validation report",
)
def batch_report(request: HttpRequest, unit_id: int, batch_id: str) -> dict[str, Any]:
    who = require(request, Scope.WRITE_READINGS, *READ_SCOPES)
    if who.has(Scope.WRITE_READINGS) and who.organisation_id == unit_id:
        unit = Organisation.objects.get(pk=unit_id)
    else:
        unit = _unit(request, who, unit_id)
    batch = ReadingBatch.objects.filter(unit=unit, batch_id=batch_id).first()
    if batch is None:
        raise Http404
    return _answer(batch)
