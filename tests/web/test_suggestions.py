"""Suggestions from the structured data: the table against the rubrics, the example data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lowcarbon.core.rubric import ChecklistRule, CompositeRule
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.suggestions import (
    CONSTRAINT,
    SIGNAL_MAP,
    adopted,
    signals_for,
    suggestions_for,
)
from lowcarbon.web.rounds.models import Round

from .assessment_support import (
    example_accounting,
    make_application,
    make_round,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def current_round(admin_user: User) -> Round:
    return make_round(admin_user)


@pytest.fixture
def zone(admin_user: User, applicant: User) -> Application:
    # The zone example reports green power, which only this factor set can account for.
    round_ = make_round(admin_user, year=2098, factor_set_id="shanghai-2023-green-power")
    return make_application(round_, applicant, "zone")


def _with_data(application: Application, kind: str, **sections: object) -> Application:
    Application.objects.filter(pk=application.pk).update(
        accounting=example_accounting(kind), sections=sections
    )
    return Application.objects.select_related("round", "unit").get(pk=application.pk)


@pytest.mark.parametrize(("kind", "edition"), sorted(SIGNAL_MAP))
def test_every_mapped_item_and_criterion_exists_in_the_rubric(kind: str, edition: str) -> None:
    rubric = computing.rubric_of(kind, edition)
    for targets in SIGNAL_MAP[(kind, edition)].values():
        for target in targets:
            item = rubric.item(target.item)
            assert item is not None, target
            if target.criterion == CONSTRAINT:
                assert item.constraint is not None, target
                continue
            rules = (
                [part.rule for part in item.rule.parts]
                if isinstance(item.rule, CompositeRule)
                else [item.rule]
            )
            ids = {c.id for r in rules if isinstance(r, ChecklistRule) for c in r.criteria}
            assert target.criterion in ids, target


def test_every_signal_of_the_table_is_computed(zone: Application) -> None:
    signals = signals_for(zone)
    for table in SIGNAL_MAP.values():
        assert set(table) <= set(signals)


def test_the_zone_example_data_decides_items_1_1_3_1_and_4_1(zone: Application) -> None:
    application = _with_data(
        zone,
        "zone",
        boundary={
            "type": "Polygon",
            "coordinates": [[[121.4, 31.1], [121.5, 31.1], [121.4, 31.2], [121.4, 31.1]]],
        },
    )
    found = {
        (s.item, s.criterion): s
        for entries in suggestions_for(application).values()
        for s in entries
    }
    for key in [("1.1", "boundary"), ("1.1", "inventory"), ("1.1", "forecast")]:
        assert found[key].supports, found[key]
    assert "2023、2024、2025年清单数据完整" in found[("1.1", "inventory")].reason
    assert "上海市温室气体排放核算缺省因子（含沪环气候〔2023〕89号绿电）" in (
        found[("1.1", "inventory")].reason
    )
    assert found[("3.1", "staged_targets")].supports
    assert "分阶段目标" in found[("3.1", "staged_targets")].reason
    assert found[("3.1", "task_reductions")].supports
    assert "全部" in found[("3.1", "task_reductions")].reason
    # The example's task reductions, computed from their activities, fall short of the 2027 and
    # 2030 targets (gap 3516.96 tCO2 in 2027).
    consistency = found[("3.1", "consistency")]
    assert not consistency.supports
    assert "3,516.96" in consistency.reason
    # The example flags task Z04 as a near-zero-carbon demonstration project.
    near_zero = found[("4.1", CONSTRAINT)]
    assert near_zero.supports
    assert "创智中心近零碳排放示范楼宇" in near_zero.reason
    # An overall target exists: the data cannot say it is sound, so no suggestion.
    assert ("3.1", "overall_target") not in found


def test_without_data_everything_argues_against(zone: Application) -> None:
    found = {
        (s.item, s.criterion): s for entries in suggestions_for(zone).values() for s in entries
    }
    assert not found[("1.1", "boundary")].supports
    assert "尚未明确四至边界" in found[("1.1", "boundary")].reason
    assert not found[("1.1", "inventory")].supports
    assert "尚未录入基础数据" in found[("1.1", "inventory")].reason
    assert not found[("3.1", "overall_target")].supports
    assert not found[("4.1", CONSTRAINT)].supports


def test_a_main_task_without_a_reduction_is_named(zone: Application) -> None:
    data = example_accounting("zone")
    data["tasks"][0]["annual_reduction_tco2"] = "0"
    # … and no activity states how a reduction would arise (the example computes Z01's PV).
    data["reductions"] = [r for r in data["reductions"] if r["task"] != data["tasks"][0]["id"]]
    Application.objects.filter(pk=zone.pk).update(accounting=data)
    application = Application.objects.select_related("round", "unit").get(pk=zone.pk)
    signal = signals_for(application)["task_reductions"]
    assert not signal.holds
    assert data["tasks"][0]["name"] in signal.reason


def test_community_suggestions_only_argue_against_the_monitoring_system(
    current_round: Round, applicant: User
) -> None:
    community = make_application(current_round, applicant, "community")
    assert [s.criterion for s in suggestions_for(community)["B2"]] == ["system_built"]
    assert not suggestions_for(community)["B2"][0].supports
    application = _with_data(community, "community")
    assert suggestions_for(application) == {}


def test_adopting_fills_the_form_and_saves_nothing(zone: Application, applicant: User) -> None:
    application = _with_data(zone, "zone", near_zero_carbon_projects=["张江近零碳园区"])
    values = adopted({"ticked": ["consistency"]}, suggestions_for(application)["3.1"])
    assert values["ticked"] == ["staged_targets", "task_reductions"]
    client = signed_in(applicant)
    page = client.get(reverse("applications:assessment", args=[application.pk])).content.decode()
    assert "建议勾选：" in page
    assert "依据：" in page
    assert "采纳建议" in page
    assert "建议确认满足：" in page
    assert "张江近零碳园区" in page
    response = client.post(
        reverse("applications:assessment_save", args=[application.pk, "4.1"]),
        {"version": "1", "adopt": "1", "ticked": ["projects_proposed"]},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "已将第4.1项的建议填入表单" in text
    assert 'name="constraint_met" value="yes" checked' in text
    assert 'value="projects_proposed" checked' in text
    assert Application.objects.get(pk=zone.pk).answers == {}
