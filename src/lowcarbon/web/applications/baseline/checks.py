"""Baseline data checked before it is saved: the rules' refusals and the accounting engine's
problems, in the engine's own words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.rules.activity.checks import check_accounting_data
from lowcarbon.rules.activity.reading import accounting_input_from_data
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Application


def _refusals(application: Application, actor: User) -> list[str]:
    """Why ``actor`` may not change the baseline data of ``application`` now (empty: may)."""
    if not permissions.is_own_unit(actor, application):
        return [_("You can only edit your own unit's applications.")]
    if not permissions.can_edit_application(actor, application):
        return [
            _("This application is {status}: its baseline data can no longer be changed.").format(
                status=application.get_status_display()
            )
        ]
    deadline = application.round.submission_deadline
    if timezone.localdate() > deadline:
        return [
            _(
                "The submission deadline ({deadline}) has passed: the baseline data can no "
                "longer be changed."
            ).format(deadline=deadline.isoformat())
        ]
    return []


def _engine_problems(
    application: Application, stored: Mapping[str, Any]
) -> tuple[list[str], AccountingResult | None]:
    """What stops the stored form from being computed under the application's factor set, and
    the result when nothing does: the check is the computation, kept for the pages."""
    issues = check_accounting_data(stored)
    if issues:
        return [
            f"{'.'.join(str(key) for key in issue.path)}: {issue.expected.render(_)}"
            for issue in issues
        ], None
    data = dataclasses.replace(
        accounting_input_from_data(stored), factor_set=application.factor_set_id
    )
    try:
        result = computing.compute(data)
    except LowcarbonError as error:
        return [
            _(
                "The data cannot be accounted under the factor set {set} of this round: {problem}"
            ).format(set=application.factor_set_id, problem=error.message.render(_))
        ], None
    return [], result
