"""API tests: the units, the organisations' tokens (made by the real actions) and a store of
readings of their own for every test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lowcarbon.core.metering import Carrier, Meter, MeterUse, ReadingKind
from lowcarbon.monitoring.store import Store
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.api.tokens import do_create_token
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind


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


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
