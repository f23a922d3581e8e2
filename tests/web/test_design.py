"""The platform's visual design (docs/architecture.md, "Visual design"): TDesign's tokens in the
platform's own stylesheet, served locally, with readable colours; the shared status tags,
steps and empty states; messages styled by their level; Chinese label punctuation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.models import User
from lowcarbon.web.creation.duties import DutyState
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus
from lowcarbon.web.review.models import AssignmentStatus
from lowcarbon.web.templatetags.status_tags import lifecycle_steps, status_tone

SITE_CSS = (
    Path(__file__).resolve().parents[2] / "src/lowcarbon/web/static/lowcarbon/site.css"
).read_text(encoding="utf-8")


def token(name: str) -> tuple[float, float, float, float]:
    """The colour a ``--name`` custom property of site.css holds (following var() once)."""
    found = re.search(rf"--{re.escape(name)}:\s*([^;]+);", SITE_CSS)
    assert found, name
    value = found.group(1).strip()
    alias = re.fullmatch(r"var\(--([\w-]+)\)", value)
    if alias:
        return token(alias.group(1))
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return (*(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)), 1.0)  # type: ignore[return-value]
    rgba = re.fullmatch(r"rgba\(([\d.]+),\s*([\d.]+),\s*([\d.]+),\s*([\d.]+)\)", value)
    assert rgba, value
    red, green, blue, alpha = (float(part) for part in rgba.groups())
    return (red / 255, green / 255, blue / 255, alpha)


WHITE = (1.0, 1.0, 1.0, 1.0)


def contrast(foreground: tuple[float, ...], background: tuple[float, ...]) -> float:
    alpha = foreground[3]
    pairs = zip(foreground[:3], background[:3], strict=True)
    mixed = [f * alpha + b * (1 - alpha) for f, b in pairs]

    def luminance(rgb: list[float] | tuple[float, ...]) -> float:
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(mixed), luminance(background[:3])), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("td-text-color-primary", "td-bg-color-container"),
        ("td-text-color-secondary", "td-bg-color-container"),
        ("td-text-color-secondary", "td-bg-color-secondarycontainer"),  # table headers
        ("brand", "td-bg-color-container"),  # links
        ("brand", "td-brand-color-1"),  # primary tag
        ("success-text", "td-success-color-1"),
        ("warning-text", "td-warning-color-1"),
        ("error-text", "td-error-color-1"),
        ("error-text", "td-bg-color-container"),  # field errors
    ],
)
def test_text_colours_reach_wcag_aa(text: str, background: str) -> None:
    assert contrast(token(text), token(background)) >= 4.5


@pytest.mark.parametrize("background", ["brand", "td-brand-color-8", "error-text"])
def test_white_text_on_buttons_and_the_header_reaches_wcag_aa(background: str) -> None:
    assert contrast(WHITE, token(background)) >= 4.5


def test_the_design_uses_tdesign_tokens_and_no_remote_asset() -> None:
    assert re.search(r"--td-brand-color-7:\s*#0052d9;", SITE_CSS)
    assert re.search(r"--td-font-family:\s*\"PingFang SC\", \"Microsoft YaHei\"", SITE_CSS)
    assert "url(" not in SITE_CSS
    assert "@import" not in SITE_CSS


@pytest.mark.django_db
def test_the_sign_in_page_loads_the_local_stylesheet_and_uses_chinese_colons() -> None:
    page = Client().get(reverse("login")).content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/lowcarbon/site[^"]*\.css">', page)
    assert "http" not in page.split("<body>")[0]  # nothing loaded from another server
    assert '<label for="id_username">用户名：</label>' in page
    assert "用户名:" not in page
    assert 'class="skip-link" href="#main"' in page
    assert 'id="main"' in page


@pytest.mark.django_db
def test_the_navigation_marks_the_current_page(admin_user: User) -> None:
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("creation:overview")).content.decode()
    nav = page.split('<nav class="site-nav" aria-label="主导航">')[1].split("</nav>")[0]
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    assert current == [reverse("creation:overview")]


def test_messages_carry_their_level_as_a_class() -> None:
    page = render_to_string(
        "base.html",
        {
            "user": AnonymousUser(),
            "messages": [
                Message(constants.SUCCESS, "已保存。"),
                Message(constants.ERROR, "未保存：截止日期已过。"),
                Message(constants.WARNING, "请注意。"),
            ],
        },
    )
    assert '<li class="success">已保存。</li>' in page
    assert '<li class="error">未保存：截止日期已过。</li>' in page
    assert '<li class="warning">请注意。</li>' in page


def test_status_codes_get_a_tone() -> None:
    assert status_tone(AssignmentStatus.SUBMITTED) == "success"
    assert status_tone(AssignmentStatus.DECLINED_CONFLICT) == "error"
    assert status_tone(DutyState.OVERDUE) == "error"
    assert status_tone(DutyState.DUE) == "warning"
    assert status_tone("scoring") == "primary"
    assert status_tone("something new") == ""


def test_the_shared_includes_render_tags_steps_and_empty_states() -> None:
    tag = render_to_string("includes/status_tag.html", {"label": "逾期", "code": "overdue"})
    assert tag.strip() == '<span class="tag error">逾期</span>'
    chosen = render_to_string("includes/status_tag.html", {"label": "已提交", "tone": "success"})
    assert chosen.strip() == '<span class="tag success">已提交</span>'
    steps = render_to_string(
        "includes/steps.html",
        {"steps": [("申报", "done"), ("评审", "current"), ("创建", "")], "label": "创建进度"},
    )
    assert steps.strip() == (
        '<ol class="steps" aria-label="创建进度"><li class="done">申报</li>'
        '<li class="current" aria-current="step">评审</li><li>创建</li></ol>'
    )
    empty = render_to_string("includes/empty.html", {"text": "暂无整改通知。"})
    assert empty.strip() == '<p class="empty">暂无整改通知。</p>'


def test_a_units_lifecycle_reads_as_steps() -> None:
    zone = lifecycle_steps(LifecycleStatus.IN_CREATION, "zone")
    assert [state for _label, state in zone] == ["done", "done", "done", "current", "", ""]
    assert zone[4][0] == "中期评估"
    community = lifecycle_steps("rectification", "community")
    assert community[4] == ("预验收", "current")
    refused = lifecycle_steps("not_selected", "zone")
    assert refused[2] == ("未入选", "failed")
    assert [state for _label, state in refused][3:] == ["", "", ""]
    accepted = lifecycle_steps("accepted", "community")
    assert {state for _label, state in accepted} == {"done"}
    assert accepted[0] == ("申报", "done")


@pytest.mark.django_db
def test_the_creation_unit_page_shows_its_lifecycle_as_steps(demo: None) -> None:
    unit = CreationUnit.objects.get(application__unit__name="枫林湾社区")
    client = Client()
    client.force_login(User.objects.get(username="demo-fenglin"))
    page = client.get(reverse("creation:unit", args=[unit.pk])).content.decode()
    steps = page.split('<ol class="steps" aria-label="创建状态">')[1].split("</ol>")[0]
    assert steps.count("<li") == 6
    assert '<li class="done">预验收</li>' in steps


def test_a_status_tag_can_sit_inside_a_translated_sentence() -> None:
    page = Template(
        "{% load i18n status_tags %}{% status_tag label code as tag %}"
        "{% blocktranslate with status=tag %}Status: {{ status }}{% endblocktranslate %}"
    ).render(Context({"label": "草稿", "code": "draft"}))
    assert page == '状态：<span class="tag warning">草稿</span>'
