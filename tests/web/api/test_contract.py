"""The contract test: schemathesis generates requests from /api/v1/openapi.json for every
operation and sends them over HTTP to the live test server with a valid token of the scope the
operation needs: valid requests (about random ids and about the real objects) and invalid ones.
No answer may be a server error (>= 500) or break the documented schema, status codes and media
types. Bounded: 100 examples per operation (well under a minute); the counts are printed."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..rows import data_models
from .conftest import World

# The live server answers from its own thread and connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _seed_restored_afterwards(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test ends with a flush that also deletes the rows the migrations seed (the bureau,
    the districts, their audit events). They are kept before and inserted again afterwards
    (into empty tables: PostgreSQL keeps audit events append-only), sequences reset, for the
    tests that run after this one in the same process."""
    with django_db_blocker.unblock():
        seeded = serializers.serialize(
            "json", [row for model in data_models() for row in model._base_manager.order_by("pk")]
        )
    yield
    with django_db_blocker.unblock(), transaction.atomic():
        for row in serializers.deserialize("json", seeded):
            row.save()
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), data_models()):
                cursor.execute(statement)


EXAMPLES = 100
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


class Tally:
    """Every request sent, by operation and status, and every failed check."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.failures: dict[str, list[str]] = {}
        self.by_operation: dict[str, Counter[int]] = {}

    def send(self, case: Any, label: str, token: str) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        response = case.call(headers=headers)
        self.calls[label] += 1
        self.statuses[response.status_code] += 1
        self.by_operation.setdefault(label, Counter())[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as failure:
            self.failures.setdefault(label, []).append(
                f"{response.status_code} {str(failure)[:400]}"
            )

    def runner(self, label: str, token: str) -> Callable[[Any], None]:
        def run(case: Any) -> None:
            self.send(case, label, token)

        return run


def _token_for(path: str, world: World) -> str:
    if path.endswith("/reading-batches") or "{batch_id}" in path:
        return world.tokens["gateway"]
    if path.endswith("/applications"):
        return world.tokens["unit"]
    return world.tokens["city"]


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server: Any, api_world: World, capsys: Any
) -> None:
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    real = {"unit_id": api_world.ids["unit"], "year": 2099, "batch_id": "gw-1"}
    tally = Tally()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        ids = real
        if operation.path.startswith("/api/v1/creation-units/"):
            ids = dict(real, unit_id=api_world.ids["cu"])
        names = {p for p in ids if "{" + p + "}" in operation.path}
        strategies = [
            operation.as_strategy(),  # valid requests, paths of random ids
            operation.as_strategy(GenerationMode.NEGATIVE),  # invalid requests
        ]
        if names:  # valid requests about the real objects
            strategies.append(operation.as_strategy(path_parameters={n: ids[n] for n in names}))
        run = given(case=st.one_of(strategies))(
            settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )(tally.runner(label, _token_for(operation.path, api_world)))
        )
        run()
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    figures = {
        "operations": len(operations),
        "requests": sum(tally.calls.values()),
        "by_status": dict(sorted(tally.statuses.items())),
        "server_errors": server_errors,
        "failed_checks": sum(len(v) for v in tally.failures.values()),
    }
    with capsys.disabled():
        print("\nschemathesis:", json.dumps(figures, ensure_ascii=False))
        for label, found in sorted(tally.by_operation.items()):
            print(f"  {label}: {dict(sorted(found.items()))}")
    assert len(operations) >= 13
    assert all(tally.calls[f"{o.method.upper()} {o.path}"] > 0 for o in operations)
    assert server_errors == 0
    assert not tally.failures, json.dumps(tally.failures, ensure_ascii=False, indent=1)[:6000]
