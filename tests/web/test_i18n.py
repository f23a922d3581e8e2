"""Chinese first, English on request; template strings are in the catalogue."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lowcarbon.cli.messages import template_messages
from lowcarbon.web.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_chinese_by_default() -> None:
    content = Client().get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in content
    assert "上海市低碳示范创建平台" in content
    assert "同一用户名登录失败5次，或同一计算机地址登录失败20次后，登录将暂停15分钟" in content


def test_the_login_page_is_in_english_on_request() -> None:
    content = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in content
    assert "Shanghai low-carbon demonstration platform" in content


def test_the_workbench_speaks_both_languages(admin_user: User) -> None:
    client = Client()
    client.force_login(admin_user)
    assert "我的工作台" in client.get(reverse("home")).content.decode()
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My workbench" in english
    assert "Role: administrator" in english


def test_template_tags_become_message_ids() -> None:
    text = (
        '{% translate "Sign in" %}\n'
        "{% trans 'Rounds' as title %}\n"
        "{% blocktranslate trimmed with year=r.year %}\n  Round {{ year }}\n  of 100%\n"
        "{% endblocktranslate %}"
    )
    assert template_messages(text) == [
        (1, "Sign in"),
        (2, "Rounds"),
        (3, "Round %(year)s of 100%%"),
    ]
