"""API tests: the units, the organisations' tokens (made by the real actions) and a store of
readings of their own for every test; ``api_world``: a round (2099) in which 田林十二村社区
(徐汇区) and 外滩社区 (黄浦区) were recommended, scored, selected and published (so both are in
creation; 田林 with three tasks, one a key project), a meter of each, a token of every kind and
a batch of readings 田林's gateway pushed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lowcarbon.core.metering import Carrier, Meter, MeterUse, ReadingKind
from lowcarbon.monitoring.store import Store
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.api.tokens import do_create_token
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.submission import do_district_decide, do_submit
from lowcarbon.web.applications.tasks import TaskValues, do_add_task
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind

from ..conftest import PASSWORD
from ..creation.support import decide_and_publish, unit_of
from ..review_support import _fill, make_round, recommended_application


@pytest.fixture(autouse=True)
def _own_store(settings: Any, tmp_path: Path) -> None:
    settings.LOWCARBON_MONITORING_DIR = tmp_path / "monitoring"
    settings.LOWCARBON_API_RATE_LIMIT = 1000


@pytest.fixture
def world(users: dict[str, User], admin_user: User, settings: Any) -> dict[str, Any]:
    """The unit (田林十二村社区, 徐汇区), another unit (外滩社区, 黄浦区), their bureaus."""
    unit = users[Role.APPLICANT].organisation
    huangpu = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name="黄浦区"
    )
    other = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name="外滩社区",
        parent=huangpu,
        district=huangpu.district,
        actor=admin_user,
    )
    xuhui = users[Role.DISTRICT_OFFICER].organisation
    municipal = admin_user.organisation
    store = Store(Path(settings.LOWCARBON_MONITORING_DIR))
    for owner, meter_id in ((unit, "TL-E1"), (other, "WT-E1")):
        store.register(
            Meter(
                id=meter_id,
                carrier=Carrier.ELECTRICITY,
                use=MeterUse.PUBLIC_LIGHTING,
                unit="kWh",
                reading=ReadingKind.INTERVAL_ENERGY,
                interval_minutes=15,
                community=str(owner.pk),
            )
        )
    return {
        "unit": unit,
        "other": other,
        "xuhui": xuhui,
        "huangpu": huangpu,
        "municipal": municipal,
        "admin": admin_user,
        "applicant": users[Role.APPLICANT],
    }


@pytest.fixture
def make_token(world: dict[str, Any]) -> Callable[..., str]:
    def make(
        organisation: Organisation,
        *scopes: str,
        days: int = 30,
        now: datetime | None = None,
        actor: User | None = None,
    ) -> str:
        _, secret = do_create_token(
            name=f"test {'+'.join(scopes)}",
            organisation=organisation,
            scopes=list(scopes),
            days=days,
            actor=actor or world["admin"],
            now=now or timezone.now(),
        )
        return secret

    return make


BATCH = {
    "batch_id": "gw-1",
    "readings": [
        {"meter": "TL-E1", "time": "2026-01-01T00:00:00+08:00", "value": 1.25},
        {"meter": "TL-E1", "time": "2026-01-01T00:15:00+08:00", "value": 2.5},
    ],
}


@dataclass
class World:
    ids: dict[str, int]
    tokens: dict[str, str]
    names: dict[str, str]


@pytest.fixture
def api_world(world: dict[str, Any], make_token: Any, admin_user: User) -> World:
    round_ = make_round(admin_user, year=2099)
    tianlin_person = world["applicant"]
    xuhui_officer = User.objects.get(username="officer")
    waitan_person = do_create_user(
        username="waitan",
        password=PASSWORD,
        role=Role.APPLICANT,
        organisation=world["other"],
        actor=admin_user,
    )
    huangpu_officer = do_create_user(
        username="huangpu",
        password=PASSWORD,
        role=Role.DISTRICT_OFFICER,
        organisation=world["huangpu"],
        actor=admin_user,
    )
    tianlin = _fill(
        do_create_application(round_, world["unit"], "community", actor=tianlin_person),
        tianlin_person,
    )
    for name, domain, key_project in (
        ("居民节能行为倡导", "behaviour", False),
        ("社区低碳工作小组", "governance", False),
        ("光伏屋顶示范项目", "demonstration", True),
    ):
        do_add_task(
            tianlin,
            TaskValues(
                name=name,
                domain=domain,
                start_year=2025,
                key_project=key_project,
                acts_on=("electricity/residential",),
                stated_reduction_tco2=Decimal("12.5"),
            ),
            actor=tianlin_person,
        )
        tianlin.refresh_from_db()
    do_submit(tianlin, actor=tianlin_person)
    tianlin.refresh_from_db()
    do_district_decide(tianlin, decision="recommended", comment="同意推荐。", actor=xuhui_officer)
    tianlin.refresh_from_db()
    waitan, _ = recommended_application(round_, waitan_person, huangpu_officer)
    decide_and_publish(admin_user, round_, [(tianlin, "selected"), (waitan, "selected")], "专家甲")
    tokens = {
        "none": "",
        "public": make_token(world["unit"], "read-public"),
        "gateway": make_token(world["unit"], "write-readings", actor=tianlin_person),
        "unit": make_token(world["unit"], "read-unit", actor=tianlin_person),
        "other_unit": make_token(world["other"], "read-unit"),
        "district": make_token(world["xuhui"], "read-district"),
        "other_district": make_token(world["huangpu"], "read-district"),
        "city": make_token(world["municipal"], "read-city"),
    }
    client = Client()
    pushed = client.post(
        f"/api/v1/units/{world['unit'].pk}/reading-batches",
        data=json.dumps(BATCH),
        content_type="application/json",
        **bearer(tokens["gateway"]),
    )
    assert pushed.status_code == 201, pushed.content
    return World(
        ids={"unit": world["unit"].pk, "other": world["other"].pk, "cu": unit_of(tianlin).pk},
        tokens=tokens,
        names={"unit": world["unit"].name, "other": world["other"].name},
    )


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
