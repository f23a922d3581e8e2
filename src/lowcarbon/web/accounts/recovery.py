"""A forgotten password: reset by mail only where the platform can send mail.

Government intranets often have no mail server, and accounts are created without an address.
Without ``DJANGO_EMAIL_HOST`` the reset pages therefore accept nothing and say whom to ask
(``LOWCARBON_ACCOUNT_HELP``, or the platform's administrator); with it, Django's reset by mail
is offered, and its pages say whom to ask when no mail arrives.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

__all__ = ["account_context", "account_help", "mail_configured"]


def mail_configured() -> bool:
    return bool(settings.EMAIL_HOST)


def account_help() -> str:
    """Whom to ask about an account: the configured desk, or the platform's administrator."""
    return str(settings.LOWCARBON_ACCOUNT_HELP) or _(
        "the platform's administrator (the municipal bureau or the agency it commissioned)"
    )


def account_context() -> dict[str, Any]:
    return {"password_reset_by_mail": mail_configured(), "account_help": account_help()}
