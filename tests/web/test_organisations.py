"""The seed migration: the municipal bureau and the 16 districts, each with its bureau."""

from __future__ import annotations

import pytest

from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.models import District, Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

SHANGHAI = [
    "黄浦区",
    "徐汇区",
    "长宁区",
    "静安区",
    "普陀区",
    "虹口区",
    "杨浦区",
    "闵行区",
    "宝山区",
    "嘉定区",
    "浦东新区",
    "金山区",
    "松江区",
    "青浦区",
    "奉贤区",
    "崇明区",
]


def test_the_sixteen_districts_are_seeded() -> None:
    assert sorted(District.objects.values_list("name", flat=True)) == sorted(SHANGHAI)
    assert District.objects.values("code").distinct().count() == 16


def test_each_district_has_its_bureau_under_the_municipal_bureau() -> None:
    municipal = Organisation.objects.get(kind=OrganisationKind.MUNICIPAL_BUREAU)
    assert municipal.name == "上海市生态环境局"
    bureaus = Organisation.objects.filter(kind=OrganisationKind.DISTRICT_BUREAU)
    assert bureaus.count() == 16
    for bureau in bureaus:
        assert bureau.parent == municipal
        assert bureau.district is not None
        assert bureau.name == f"{bureau.district.name}生态环境局"


def test_every_seeded_organisation_has_an_audit_event() -> None:
    seeded = AuditEvent.objects.filter(action="organisation_seeded")
    assert seeded.count() == Organisation.objects.count() == 17
