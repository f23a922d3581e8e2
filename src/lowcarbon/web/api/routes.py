"""The operations of ``/api/v1/``: published lists (no token), rounds and schedules, creation
units with their dues and tasks, the applicant's own applications, a unit's meters and monthly
figures, and reading batches pushed by gateways. Each answers from the web's own functions and
permissions, for whom the token reads as (:mod:`.scopes`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.params.functions import Query

from lowcarbon.web import permissions
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus, ScheduleItem
from lowcarbon.web.organisations.models import Organisation
from lowcarbon.web.rounds.models import Round

from .api import api
from .auth import Principal, TokenAuth, principal_of
from .common import PERIOD, PUBLIC_ERRORS, READ_SCOPES, TOKEN_ERRORS, period_of, require
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of_queryset
from .schemas import (
    ApiInfo,
    CreationUnitDetail,
    CreationUnitPage,
    DueOut,
    NamedUnitOut,
    NamedUnitPage,
    Problem,
    PublishedDecisionOut,
    PublishedDecisionPage,
    RoundOut,
    RoundPage,
    ScheduleItemOut,
    SchedulePage,
    TaskOut,
    TaskPage,
    TasksOut,
    local_time,
)
from .units import router as units_router

__all__: list[str] = []

# --- published lists (no token) ------------------------------------------------------------------
public = Router(tags=["published"])


@api.get("/", response={200: ApiInfo, 429: Problem}, tags=["meta"], summary="This API")
def info(request: HttpRequest) -> dict[str, str]:
    principal_of(request, required=False)
    return {
        "name": api.title,
        "version": api.version,
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
    }


@public.get(
    "/decisions",
    response={200: PublishedDecisionPage, **PUBLIC_ERRORS, 400: Problem},
    summary="Selected units of published rounds (公示)",
)
def published_decisions(
    request: HttpRequest,
    period: str | None = Query(None, pattern=PERIOD, description="a round: YYYY"),
    district: str | None = Query(None, max_length=50, description="district code or name"),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    from lowcarbon.web.review.models import Decision, DecisionOutcome

    principal_of(request, required=False)
    decisions = Decision.objects.filter(
        published_at__isnull=False, outcome=DecisionOutcome.SELECTED
    ).select_related("application__round", "application__unit__district")
    found = period_of(period)
    if found is not None:
        decisions = decisions.filter(application__round__year=found[0])
    if district:
        decisions = _in_district(decisions, "application__unit__district", district)
    items, after = page_of_queryset(decisions, cursor, limit)
    return {
        "items": [
            PublishedDecisionOut(
                round=d.application.round.year,
                kind=d.application.kind,
                unit=d.application.unit.name,
                district=_district_name(d.application.unit),
                published_at=local_time(d.published_at),
            )
            for d in items
        ],
        "next_cursor": after,
    }


@public.get(
    "/named-units",
    response={200: NamedUnitPage, **PUBLIC_ERRORS, 400: Problem},
    summary="Units named after their final acceptance (命名)",
)
def named_units(
    request: HttpRequest,
    period: str | None = Query(None, pattern=PERIOD, description="a round: YYYY"),
    district: str | None = Query(None, max_length=50, description="district code or name"),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision
    from lowcarbon.web.rounds.models import Stage

    principal_of(request, required=False)
    decisions = AcceptanceDecision.objects.filter(
        stage=Stage.FINAL, outcome="passed", published_at__isnull=False
    ).select_related("unit__application__round", "unit__application__unit__district")
    found = period_of(period)
    if found is not None:
        decisions = decisions.filter(unit__application__round__year=found[0])
    if district:
        decisions = _in_district(decisions, "unit__application__unit__district", district)
    items, after = page_of_queryset(decisions, cursor, limit)
    return {
        "items": [
            NamedUnitOut(
                round=d.unit.application.round.year,
                kind=d.unit.application.kind,
                unit=d.unit.application.unit.name,
                district=_district_name(d.unit.application.unit),
                named_at=local_time(d.published_at),
            )
            for d in items
        ],
        "next_cursor": after,
    }


def _in_district(queryset: QuerySet[Any], field: str, district: str) -> QuerySet[Any]:
    from django.db.models import Q

    return queryset.filter(Q(**{f"{field}__code": district}) | Q(**{f"{field}__name": district}))


def _district_name(unit: Organisation) -> str | None:
    return unit.district.name if unit.district is not None else None


# --- rounds ------------------------------------------------------------------------------------
rounds = Router(tags=["rounds"], auth=TokenAuth())


@rounds.get(
    "",
    response={200: RoundPage, **TOKEN_ERRORS, 400: Problem},
    summary="Rounds (批次) the token's organisation may see",
)
def round_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    who = require(request, *READ_SCOPES)
    items, after = page_of_queryset(permissions.visible_rounds(who.viewer), cursor, limit)
    return {"items": [_round(r) for r in items], "next_cursor": after}


def _round(round_: Round) -> RoundOut:
    return RoundOut(
        year=round_.year,
        status=round_.status,
        kinds=list(round_.kinds),
        submission_deadline=round_.submission_deadline,
        recommendation_deadline=round_.recommendation_deadline,
        review_deadline=round_.review_deadline,
        decisions_published_at=local_time(round_.published_at),
    )


@rounds.get(
    "/{year}/schedule",
    response={200: SchedulePage, **TOKEN_ERRORS, 400: Problem, 404: Problem},
    summary="The round's creation schedule (read-city: the bureau's page)",
)
def round_schedule(
    request: HttpRequest,
    year: int,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    who = require(request, *READ_SCOPES)
    round_ = permissions.visible_rounds(who.viewer).filter(year=year).first()
    if round_ is None or not permissions.can_manage_creation_schedule(who.viewer):
        permissions.log_denied(request, f"API schedule of round {year}")
        raise Http404
    items, after = page_of_queryset(ScheduleItem.objects.filter(round=round_), cursor, limit)
    return {
        "items": [
            ScheduleItemOut(
                code=item.code,
                key=item.key,
                label=item.label,
                year=item.year,
                kinds=list(item.kinds),
                opens_at=local_time(item.opens_at),
                due_at=local_time(item.due_at),
            )
            for item in items
        ],
        "next_cursor": after,
    }


# --- creation units ------------------------------------------------------------------------------
creation = Router(tags=["creation units"], auth=TokenAuth())


def _due(duty: Any) -> DueOut:
    return DueOut(
        code=duty.item.code,
        label=duty.item.label,
        due_at=local_time(duty.due_at),
        state=duty.state.value,
        extended=duty.extended,
        completed_at=local_time(duty.completion.completed_at) if duty.completion else None,
    )


def _number(value: Any) -> str | None:
    return None if value is None else str(value)


def _creation_unit(row: Any, dues: Iterable[Any] | None = None) -> dict[str, Any]:
    unit = row.unit
    organisation = unit.application.unit
    found = {
        "id": unit.pk,
        "unit_id": organisation.pk,
        "unit": organisation.name,
        "district": _district_name(organisation),
        "round": unit.application.round.year,
        "kind": unit.kind,
        "status": unit.status,
        "status_label": str(LifecycleStatus(unit.status).label),
        "next_due": _due(row.next_due) if row.next_due is not None else None,
        "overdue": row.overdue,
        "tasks": TasksOut(
            done=row.tasks.done,
            total=row.tasks.total,
            achieved_tco2=_number(row.tasks.achieved_tco2),
            planned_tco2=_number(row.tasks.planned_tco2),
        ),
    }
    if dues is not None:
        found["dues"] = [_due(d) for d in dues]
    return found


def _rows(viewer: Any, units: list[CreationUnit], now: datetime) -> list[Any]:
    """The overview's figures of ``units`` (creation.overview: next due, overdue, tasks)."""
    from lowcarbon.web.creation.duties import DutyState, duties_of
    from lowcarbon.web.creation.overview import OverviewRow, task_figures

    overdue = {u.pk: 0 for u in units}
    upcoming: dict[int, Any] = {}
    for duty in duties_of(units, now):
        if duty.state == DutyState.OVERDUE:
            overdue[duty.unit.pk] += 1
        if duty.state != DutyState.DONE and duty.unit.pk not in upcoming:
            upcoming[duty.unit.pk] = duty
    return [
        OverviewRow(
            unit=u,
            next_due=upcoming.get(u.pk),
            overdue=overdue[u.pk],
            open_rectifications=0,
            tasks=task_figures(u),
        )
        for u in units
    ]


@creation.get(
    "",
    response={200: CreationUnitPage, **TOKEN_ERRORS, 400: Problem},
    summary="Units in creation: status, next due date, overdue items, tasks",
)
def creation_units(
    request: HttpRequest,
    unit: int | None = Query(None, ge=1, description="the applicant unit's id"),
    district: str | None = Query(None, max_length=50, description="district code or name"),
    period: str | None = Query(None, pattern=PERIOD, description="a round: YYYY"),
    status: LifecycleStatus | None = None,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    from django.utils import timezone

    who = require(request, *READ_SCOPES)
    units = permissions.visible_creation_units(who.viewer).select_related("submission")
    if unit is not None:
        units = units.filter(application__unit_id=unit)
    if district:
        units = _in_district(units, "application__unit__district", district)
    found = period_of(period)
    if found is not None:
        units = units.filter(application__round__year=found[0])
    if status is not None:
        units = units.filter(status=status)
    items, after = page_of_queryset(units, cursor, limit)
    rows = _rows(who.viewer, items, timezone.now())
    return {"items": [_creation_unit(row) for row in rows], "next_cursor": after}


def _visible_creation_unit(request: HttpRequest, who: Principal, pk: int) -> CreationUnit:
    unit: CreationUnit | None = (
        permissions.visible_creation_units(who.viewer).select_related("submission").filter(pk=pk)
    ).first()
    if unit is None:
        permissions.log_denied(request, f"API creation unit {pk}")
        raise Http404
    return unit


@creation.get(
    "/{unit_id}",
    response={200: CreationUnitDetail, **TOKEN_ERRORS, 404: Problem},
    summary="One unit in creation with every due date of its schedule",
)
def creation_unit(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    from django.utils import timezone

    from lowcarbon.web.creation.duties import unit_duties

    who = require(request, *READ_SCOPES)
    unit = _visible_creation_unit(request, who, unit_id)
    now = timezone.now()
    (row,) = _rows(who.viewer, [unit], now)
    return _creation_unit(row, unit_duties(unit, now))


@creation.get(
    "/{unit_id}/tasks",
    response={200: TaskPage, **TOKEN_ERRORS, 400: Problem, 404: Problem},
    summary="The unit's tasks and key projects with their progress",
)
def creation_unit_tasks(
    request: HttpRequest,
    unit_id: int,
    key_projects: bool = Query(False, description="only the key projects"),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    from lowcarbon.web.applications.task_models import ApplicationTask
    from lowcarbon.web.applications.tasks import planned_reductions

    who = require(request, *READ_SCOPES)
    unit = _visible_creation_unit(request, who, unit_id)
    tasks = ApplicationTask.objects.filter(application=unit.application)
    if key_projects:
        tasks = tasks.filter(key_project=True)
    items, after = page_of_queryset(tasks, cursor, limit)
    planned = planned_reductions(unit.application) if items else {}
    return {
        "items": [
            TaskOut(
                code=t.code,
                name=t.name,
                domain=t.domain,
                key_project=t.key_project,
                near_zero=t.near_zero,
                start_year=t.start_year,
                end_year=t.end_year,
                status=t.status,
                percent_complete=t.percent_complete,
                planned_reduction_tco2=_number(planned.get(t.code)),
                achieved_reduction_tco2=_number(t.achieved_reduction_tco2),
            )
            for t in items
        ],
        "next_cursor": after,
    }


api.add_router("/published", public)
api.add_router("/rounds", rounds)
api.add_router("/creation-units", creation)
api.add_router("/", units_router)
