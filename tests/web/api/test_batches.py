"""A gateway pushes reading batches: validated like a file import, idempotent on the batch id,
a changed batch under the same id is 409, its report read back, its readings in the unit's
monthly figures, every push audited."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from lowcarbon.web.api.models import ReadingBatch
from lowcarbon.web.audit.models import AuditEvent

from .conftest import bearer
from .test_skeleton import assert_problem

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 1, 0, 0)


def _batch(batch_id: str, values: list[float], meter: str = "TL-E1") -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "readings": [
            {
                "meter": meter,
                "time": (START + timedelta(minutes=15 * i)).isoformat() + "+08:00",
                "value": value,
            }
            for i, value in enumerate(values)
        ],
    }


def _push(client: Client, unit_id: int, token: str, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/units/{unit_id}/reading-batches",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(token),
    )


@pytest.fixture
def gateway(world: dict[str, Any], make_token: Any) -> str:
    return make_token(world["unit"], "write-readings", actor=world["applicant"])


def test_push_replay_conflict_and_report(
    client: Client, world: dict[str, Any], gateway: str
) -> None:
    unit = world["unit"].pk
    first = _push(client, unit, gateway, _batch("gw-2026-01-01", [1.5, 2.5, -1.0]))
    assert first.status_code == 201, first.content
    report = first.json()
    assert (report["readings"], report["added"], report["already_stored"]) == (3, 2, 0)
    assert report["rejected"] == 1
    (finding,) = report["findings"]
    assert finding["kind"] == "negative"
    assert finding["index"] == 3
    assert finding["time"].endswith("+08:00")
    assert finding["reason_zh"] != finding["reason_en"]
    assert report["received_at"].endswith("+08:00")

    replay = _push(client, unit, gateway, _batch("gw-2026-01-01", [1.5, 2.5, -1.0]))
    assert replay.status_code == 200
    assert replay.json() == report  # the first result, nothing imported again
    assert ReadingBatch.objects.count() == 1

    changed = _push(client, unit, gateway, _batch("gw-2026-01-01", [1.5, 9.0, -1.0]))
    assert_problem(changed, 409, "batch_conflict")

    read_back = client.get(f"/api/v1/units/{unit}/reading-batches/gw-2026-01-01", **bearer(gateway))
    assert read_back.status_code == 200
    assert read_back.json() == report

    actions = list(
        AuditEvent.objects.filter(object_type="api.ReadingBatch").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "api_reading_batch_pushed",
        "api_reading_batch_refused",
        "api_reading_batch_replayed",
    ]
    event = AuditEvent.objects.get(action="api_reading_batch_pushed")
    assert event.after["token"] == gateway.split("_")[1]


def test_a_new_batch_with_a_stored_value_changed_is_a_conflict_finding(
    client: Client, world: dict[str, Any], gateway: str
) -> None:
    unit = world["unit"].pk
    assert _push(client, unit, gateway, _batch("b1", [1.0, 2.0])).status_code == 201
    second = _push(client, unit, gateway, _batch("b2", [1.0, 7.0]))
    assert second.status_code == 201
    body = second.json()
    assert (body["added"], body["already_stored"]) == (0, 1)
    assert [f["kind"] for f in body["findings"]] == ["stored_conflict"]


def test_pushed_readings_appear_in_the_monthly_figures(
    client: Client, world: dict[str, Any], gateway: str, make_token: Any
) -> None:
    unit = world["unit"].pk
    assert _push(client, unit, gateway, _batch("b1", [1.0, 2.0, 3.0])).status_code == 201
    reader = make_token(world["xuhui"], "read-district")
    response = client.get(f"/api/v1/units/{unit}/monthly?period=2026-01", **bearer(reader))
    assert response.status_code == 200, response.content
    (figure,) = response.json()["items"]
    assert figure["meter"] == "TL-E1"
    assert figure["month"] == "2026-01"
    assert figure["measured"] == 3
    assert figure["consumption"] == "6.000" or float(figure["consumption"]) == 6.0
    assert isinstance(figure["consumption"], str)
    # The other unit's figures hold nothing of it.
    other = make_token(world["municipal"], "read-city")
    answer = client.get(f"/api/v1/units/{world['other'].pk}/monthly", **bearer(other))
    assert answer.json()["items"] == []


def test_a_gateway_pushes_to_its_own_unit_and_known_meters_only(
    client: Client, world: dict[str, Any], gateway: str, make_token: Any
) -> None:
    other = world["other"].pk
    assert_problem(_push(client, other, gateway, _batch("b1", [1.0])), 403, "other_unit")
    unknown = _push(client, world["unit"].pk, gateway, _batch("b2", [1.0], meter="WT-E1"))
    assert unknown.status_code == 201
    assert [f["kind"] for f in unknown.json()["findings"]] == ["unknown_meter"]
    reader = make_token(world["unit"], "read-unit", actor=world["applicant"])
    assert_problem(
        _push(client, world["unit"].pk, reader, _batch("b3", [1.0])), 403, "scope_missing"
    )


def test_batch_size_and_shape_are_checked(
    client: Client, world: dict[str, Any], gateway: str
) -> None:
    unit = world["unit"].pk
    too_many = _batch("big", [1.0] * 10_001)
    body = assert_problem(_push(client, unit, gateway, too_many), 422, "invalid")
    assert body["errors"][0]["field"] == "body.payload.readings"
    not_finite = {
        "batch_id": "x",
        "readings": [{"meter": "TL-E1", "time": "2026-01-01T00:00:00+08:00", "value": "NaN"}],
    }
    assert_problem(_push(client, unit, gateway, not_finite), 422, "invalid")
    broken = client.post(
        f"/api/v1/units/{unit}/reading-batches",
        data="{not json",
        content_type="application/json",
        **bearer(gateway),
    )
    assert broken.status_code in (400, 422)
    assert broken["Content-Type"] == "application/problem+json"
    assert_problem(
        client.get(f"/api/v1/units/{unit}/reading-batches/none-such", **bearer(gateway)),
        404,
        "not_found",
    )


def test_a_body_beyond_the_request_limit_is_413(
    client: Client, world: dict[str, Any], gateway: str, settings: Any
) -> None:
    # The platform refuses it by its declared length before any view reads it (web.uploads).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _push(client, world["unit"].pk, gateway, _batch("big", [1.0] * 100))
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "too_large"
    assert not ReadingBatch.objects.exists()


def test_a_gateway_needs_no_csrf_token(world: dict[str, Any], gateway: str) -> None:
    """A gateway has no session and no CSRF cookie: its token is its credential."""
    strict = Client(enforce_csrf_checks=True)
    response = _push(strict, world["unit"].pk, gateway, _batch("csrf-1", [1.0]))
    assert response.status_code == 201, response.content
