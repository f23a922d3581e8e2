"""Sign-in guarded by django-axes: failures counted in the database, per account and per address.

Axes' authentication backend (first in ``AUTHENTICATION_BACKENDS``) refuses a locked-out
sign-in before any password is checked, whichever view asks Django to authenticate: the
platform's sign-in page and the admin site's alike. Its database handler keeps the counts in
``axes_accessattempt``, which every server process shares. This module adjusts it to the
platform:

* An **account** is paused after ``AXES_FAILURE_LIMIT`` failures (user names compared without
  case or surrounding spaces); an **address** after ``LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT``
  failures over any user names. The address limit is higher because an office may sign in
  from behind one address; guesses spread over many accounts from one address still stop.
* A successful sign-in forgets only that account's failures from that address: signing in to
  one's own account does not wipe the failures against others.
* Every sign-in, every counted failure and every lockout is an audit event
  (``accounts.actions``); attempts refused during a lockout are logged, not audited, so an
  attacker cannot grow the append-only audit log without bound.
* The lockout answer is the sign-in page in the user's language with status 429.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.attempts import get_cool_off_threshold  # type: ignore[import-untyped]
from axes.handlers.database import AxesDatabaseHandler  # type: ignore[import-untyped]
from axes.helpers import get_client_username, get_cool_off, get_failure_limit  # type: ignore[import-untyped]
from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lowcarbon.web.accounts.actions import (
    do_record_lockout,
    do_record_sign_in,
    do_record_sign_in_failure,
)
from lowcarbon.web.accounts.recovery import account_context

__all__ = [
    "SignInHandler",
    "failures",
    "limits",
    "locked_out_message",
    "locked_out_response",
    "username_of",
]

logger = logging.getLogger("lowcarbon.web.login")


def username_of(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The user name the counts are kept under (``AXES_USERNAME_CALLABLE``)."""
    source: Any = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "").strip().lower()[:150]


def _recent(request: HttpRequest) -> Any:
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def _total(attempts: Any) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def failures(request: HttpRequest, credentials: dict[str, Any] | None = None) -> tuple[int, int]:
    """Failures within the cool-off period: (for this account, from this address)."""
    recent = _recent(request)
    account = _total(recent.filter(username=get_client_username(request, credentials)))
    address = _total(recent.filter(ip_address=request.axes_ip_address))  # type: ignore[attr-defined]
    return account, address


class SignInHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """``AXES_HANDLER``: axes' database handler with the platform's two limits and audit."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # Axes compares this number with AXES_FAILURE_LIMIT: an address over its own limit
        # counts as an account at the limit.
        account, address = failures(request, credentials)
        if address >= settings.LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return max(account, int(get_failure_limit(request, credentials)))
        return account

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        count, _deleted = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return int(count)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        if request is None:
            return
        refused_while_locked = bool(request.axes_locked_out)
        super().user_login_failed(sender, credentials, request, **kwargs)
        username = get_client_username(request, credentials)
        if refused_while_locked:
            logger.warning(
                "sign-in refused during a lockout: user=%s ip=%s path=%s",
                username,
                request.axes_ip_address,
                request.path,
            )
            return
        account, address = failures(request, credentials)
        do_record_sign_in_failure(
            username=username,
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
            path=request.path,
            account_failures=account,
            address_failures=address,
        )
        if request.axes_locked_out:
            by = "account" if account >= get_failure_limit(request, credentials) else "address"
            logger.warning(
                "sign-in locked out by %s: user=%s ip=%s", by, username, request.axes_ip_address
            )
            do_record_lockout(
                username=username,
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                path=request.path,
                by=by,
                account_failures=account,
                address_failures=address,
            )

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        do_record_sign_in(user, path=getattr(request, "path", ""))


def limits() -> dict[str, int]:
    """The limits as the sign-in page states them."""
    cool_off = get_cool_off()
    return {
        "account": int(settings.AXES_FAILURE_LIMIT),
        "address": int(settings.LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else 0,
    }


def locked_out_message() -> str:
    return _(
        "Too many failed sign-in attempts for this user name or from this computer's address: "
        "sign-in is paused for {minutes} minutes. Ask the platform's administrator if you "
        "cannot wait."
    ).format(minutes=limits()["minutes"])


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the sign-in page with the reason, status 429."""
    context = {
        "form": AuthenticationForm(request),
        "locked_out": locked_out_message(),
        "limits": limits(),
        **account_context(),
        "next": request.POST.get("next", "") if request.method == "POST" else "",
    }
    return render(request, "registration/login.html", context, status=429)
