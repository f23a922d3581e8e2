"""Creation units made as a person makes them: recommended applications, scored by an expert,
decided and published through the real actions (publication makes the units)."""

from __future__ import annotations

from datetime import datetime

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.review.actions import do_decide, do_publish_decisions
from lowcarbon.web.rounds.models import Round

from ..review_support import assign_all, make_expert, make_panel
from ..test_review_actions import agree, submit


def shanghai(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


def decide_and_publish(
    admin: User, round_: Round, outcomes: list[tuple[Application, str]], expert_name: str
) -> None:
    """Score each application (the expert agrees with the applicant), decide and publish."""
    expert = make_expert(admin, expert_name)
    panel = make_panel(admin, round_, [expert], name=f"{expert_name}组")
    for application, outcome in outcomes:
        [assignment] = assign_all(admin, panel, application, [expert])
        agree(assignment)
        submit(assignment)
        do_decide(application, outcome=outcome, reasons="综合评估结果。", actor=admin)
    do_publish_decisions(round_, actor=admin)


def unit_of(application: Application) -> CreationUnit:
    return CreationUnit.objects.select_related("application", "application__round").get(
        application=application
    )
