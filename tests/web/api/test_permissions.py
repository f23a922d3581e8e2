"""Every operation of the API × every kind of token × own and other organisation: the answer
each gets, in one table (issue 18, Tests). Nothing the web hides is reachable: a district's token
sees its district's units only, a unit's token its own, the bureau's all; a gateway's token
writes readings of its own unit and reads nothing else; published lists need no token.

The objects, made through the real actions: a round (2099) in which 田林十二村社区 (徐汇区) and
外滩社区 (黄浦区) were recommended, scored, selected and published (so both are in creation), a
meter of each, and a batch of readings 田林's gateway pushed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from .conftest import BATCH, World, bearer

pytestmark = pytest.mark.django_db

TOKENS = (
    "none",  # no Authorization header
    "public",  # read-public, of 田林
    "gateway",  # write-readings, of 田林
    "unit",  # read-unit, of 田林
    "other_unit",  # read-unit, of 外滩
    "district",  # read-district, of 徐汇区 (田林's)
    "other_district",  # read-district, of 黄浦区
    "city",  # read-city, of the municipal bureau
)
READERS = ("unit", "other_unit", "district", "other_district", "city")
TIANLIN = ("unit", "district", "city")  # whose token may read 田林's unit


def answers(default: int, **by_token: int) -> dict[str, int]:
    """``default`` for every token but those named; no token is 401 unless named."""
    return {t: by_token.get(t, 401 if t == "none" else default) for t in TOKENS}


def only(tokens: tuple[str, ...], allowed: int = 200, refused: int = 404) -> dict[str, int]:
    """``allowed`` for ``tokens``; 403 for tokens without a read scope; ``refused`` else."""
    found = {t: allowed if t in tokens else refused for t in READERS}
    return answers(403, **found)


PUBLIC = answers(200, none=200)


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # {unit} 田林's organisation, {other} 外滩's, {cu} 田林's creation unit
    expected: dict[str, int]
    body: dict[str, Any] | None = None


ROWS = [
    Row("GET", "/api/v1/", PUBLIC),
    Row("GET", "/api/v1/published/decisions", PUBLIC),
    Row("GET", "/api/v1/published/named-units", PUBLIC),
    Row("GET", "/api/v1/rounds", only(READERS)),
    Row("GET", "/api/v1/rounds/2099/schedule", only(("city",))),
    Row("GET", "/api/v1/rounds/1999/schedule", only((), refused=404)),
    Row("GET", "/api/v1/creation-units", only(READERS)),
    Row("GET", "/api/v1/creation-units/{cu}", only(TIANLIN)),
    Row("GET", "/api/v1/creation-units/{cu}/tasks", only(TIANLIN)),
    Row("GET", "/api/v1/creation-units/999999", only(())),
    Row("GET", "/api/v1/applications", only(("unit", "other_unit"), refused=403)),
    Row("GET", "/api/v1/units/{unit}/meters", only(TIANLIN)),
    Row("GET", "/api/v1/units/{unit}/monthly", only(TIANLIN)),
    Row("GET", "/api/v1/units/{other}/meters", only(("other_unit", "other_district", "city"))),
    Row("GET", "/api/v1/units/999999/meters", only(())),
    Row("GET", "/api/v1/units/{unit}/reading-batches/gw-1", {**only(TIANLIN), "gateway": 200}),
    Row("GET", "/api/v1/units/{other}/reading-batches/gw-1", {**only(()), "gateway": 404}),
    Row("POST", "/api/v1/units/{unit}/reading-batches", answers(403, gateway=200), BATCH),
    Row("POST", "/api/v1/units/{other}/reading-batches", answers(403), BATCH),
]  # fmt: skip


def _call(client: Client, world: World, row: Row, token: str) -> Any:
    path = row.path.format(**world.ids)
    headers = bearer(world.tokens[token]) if world.tokens[token] else {}
    if row.method == "POST":
        return client.post(
            path, data=json.dumps(row.body), content_type="application/json", **headers
        )
    return client.get(path, **headers)


def test_every_operation_has_a_row() -> None:
    from lowcarbon.web.api.api import api

    document = api.get_openapi_schema()
    operations = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    covered = {(row.method, row.path) for row in ROWS}
    generic = {
        (m, p.replace("{unit}", "{unit_id}").replace("{other}", "{unit_id}")
         .replace("{cu}", "{unit_id}").replace("999999", "{unit_id}").replace("2099", "{year}")
         .replace("1999", "{year}").replace("gw-1", "{batch_id}"))
        for m, p in covered
    }  # fmt: skip
    assert operations <= generic, sorted(operations - generic)
    for row in ROWS:
        assert set(row.expected) == set(TOKENS), row


def test_permission_table(api_world: World) -> None:
    client = Client()
    wrong = []
    for row in ROWS:
        for token in TOKENS:
            response = _call(client, api_world, row, token)
            if response.status_code != row.expected[token]:
                wrong.append(f"{row.method} {row.path} {token}: {response.status_code} "
                             f"(expected {row.expected[token]})")  # fmt: skip
            if response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json", (row, token)
    assert not wrong, "\n".join(wrong)


def test_lists_hold_what_the_token_may_see_only(api_world: World) -> None:
    client = Client()
    seen = {}
    for token in READERS:
        response = client.get("/api/v1/creation-units", **bearer(api_world.tokens[token]))
        seen[token] = sorted(item["unit"] for item in response.json()["items"])
    tianlin, waitan = api_world.names["unit"], api_world.names["other"]
    assert seen == {
        "unit": [tianlin],
        "other_unit": [waitan],
        "district": [tianlin],
        "other_district": [waitan],
        "city": sorted([tianlin, waitan]),
    }
    mine = client.get("/api/v1/applications", **bearer(api_world.tokens["unit"])).json()
    assert [a["unit"] for a in mine["items"]] == [tianlin]
    assessment = mine["items"][0]["self_assessment"]
    assert assessment is not None
    assert "expert" not in json.dumps(mine)  # no expert's score, name or review
    published = client.get("/api/v1/published/decisions").json()["items"]
    assert sorted(d["unit"] for d in published) == sorted([tianlin, waitan])
    assert set(published[0]) == {"round", "kind", "unit", "district", "published_at"}


def test_creation_unit_shows_status_dues_and_tasks(api_world: World) -> None:
    client = Client()
    token = bearer(api_world.tokens["district"])
    found = client.get(f"/api/v1/creation-units/{api_world.ids['cu']}", **token).json()
    assert found["unit_id"] == api_world.ids["unit"]
    assert found["status"] == "selected"
    assert found["dues"]
    assert all(d["due_at"].endswith("+08:00") for d in found["dues"])
    open_dues = [d["code"] for d in found["dues"] if d["state"] != "done"]
    assert found["next_due"]["code"] == open_dues[0]
    assert found["tasks"]["total"] == 3
    assert found["tasks"]["done"] == 0
    assert isinstance(found["tasks"]["planned_tco2"], str)
    path = f"/api/v1/creation-units/{api_world.ids['cu']}/tasks"
    tasks = client.get(path, **token).json()["items"]
    assert [t["name"] for t in tasks] == [
        "居民节能行为倡导",
        "社区低碳工作小组",
        "光伏屋顶示范项目",
    ]
    assert [t["key_project"] for t in tasks] == [False, False, True]
    assert tasks[0]["planned_reduction_tco2"] == "12.5"
    key_only = client.get(f"{path}?key_projects=true", **token).json()["items"]
    assert [t["name"] for t in key_only] == ["光伏屋顶示范项目"]


def test_pagination_by_cursor(api_world: World) -> None:
    client = Client()
    token = bearer(api_world.tokens["city"])
    first = client.get("/api/v1/creation-units?limit=1", **token).json()
    assert len(first["items"]) == 1
    assert first["next_cursor"]
    second = client.get(f"/api/v1/creation-units?limit=1&cursor={first['next_cursor']}", **token)
    page = second.json()
    assert len(page["items"]) == 1
    assert page["next_cursor"] is None
    assert page["items"][0]["id"] != first["items"][0]["id"]
    assert client.get("/api/v1/creation-units?limit=501", **token).status_code == 422
    filtered = client.get("/api/v1/creation-units?district=黄浦区&period=2099", **token).json()
    assert [i["unit"] for i in filtered["items"]] == [api_world.names["other"]]
    assert client.get("/api/v1/creation-units?period=2098", **token).json()["items"] == []
