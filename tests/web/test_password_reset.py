"""A forgotten password: reset by mail only where mail is configured; otherwise the pages say
whom to ask (issue 11, finding 11)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.models import User

pytestmark = pytest.mark.django_db

NO_MAIL = "本平台不发送邮件"
ADMINISTRATOR = "平台管理员"


def test_without_mail_the_reset_pages_accept_nothing_and_say_whom_to_ask(
    admin_user: User,
) -> None:
    admin_user.email = "admin@example.gov.cn"
    admin_user.save()
    client = Client()
    for response in (
        client.get(reverse("password_reset")),
        client.post(reverse("password_reset"), {"email": "admin@example.gov.cn"}),
        client.get(reverse("password_reset_done")),
    ):
        assert response.status_code == 200
        page = response.content.decode()
        assert NO_MAIL in page
        assert ADMINISTRATOR in page
        assert 'name="email"' not in page
    assert mail.outbox == []
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") not in login
    assert "忘记密码？请联系" in login


def test_the_desk_to_ask_can_be_named(settings: Any) -> None:
    settings.LOWCARBON_ACCOUNT_HELP = "市生态环境局信息中心（电话 021-23111111）"
    for url in (reverse("password_reset"), reverse("login")):
        assert "市生态环境局信息中心（电话 021-23111111）" in Client().get(url).content.decode()


def test_with_mail_the_reset_link_is_sent_to_the_accounts_address(
    settings: Any, admin_user: User, applicant: User
) -> None:
    settings.EMAIL_HOST = "smtp.example.gov.cn"
    admin_user.email = "admin@example.gov.cn"
    admin_user.save()
    client = Client()
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    form = client.get(reverse("password_reset")).content.decode()
    assert 'name="email"' in form
    response = client.post(reverse("password_reset"), {"email": "admin@example.gov.cn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [sent] = mail.outbox
    assert sent.to == ["admin@example.gov.cn"]
    assert "/accounts/reset/" in sent.body
    # The applicant has no address: nothing is sent, and the page says whom to ask.
    client.post(reverse("password_reset"), {"email": "applicant@example.gov.cn"})
    assert len(mail.outbox) == 1
    done = client.get(reverse("password_reset_done")).content.decode()
    assert ADMINISTRATOR in done
