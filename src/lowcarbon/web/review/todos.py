"""What waits for the bureau in the comprehensive assessment (its part of 我的待办): recommended
applications no expert is assigned to, rounds and kinds that have no panel yet, complete
aggregates without a decision, and discussions of diverging scores still open. Only rounds whose
decisions are not yet published count."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.applications.models import Application, ApplicationStatus
from lowcarbon.web.review.actions.decision import open_discussions
from lowcarbon.web.review.aggregate import ranking
from lowcarbon.web.review.models import ACTIVE_STATUSES, Assignment, Panel
from lowcarbon.web.rounds.models import Kind, Round, Stage

__all__ = ["Todo", "review_todos"]


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    detail: str = ""


def review_todos() -> list[Todo]:
    """The assessment's to-dos, each with how many and where it is done; empty ones left out."""
    todos: list[Todo] = []
    rounds = Round.objects.filter(published_at__isnull=True).order_by("-year")
    recommended = Application.objects.filter(
        round__in=rounds, status=ApplicationStatus.RECOMMENDED
    ).select_related("unit", "round")
    assigned = set(
        Assignment.objects.filter(
            panel__stage=Stage.SELECTION, status__in=ACTIVE_STATUSES
        ).values_list("application_id", flat=True)
    )
    waiting = [a for a in recommended if a.pk not in assigned]
    selection = Panel.objects.filter(round__in=rounds, stage=Stage.SELECTION)
    with_panel = set(selection.values_list("round_id", "kind"))
    no_panel = sorted(
        {
            (a.round.year, a.round_id, a.kind)
            for a in waiting
            if (a.round_id, a.kind) not in with_panel
        }
    )
    if no_panel:
        todos.append(
            Todo(
                str(_("Panels to form")),
                len(no_panel),
                reverse("review:panels"),
                "、".join(f"{year} {Kind(kind).label}" for year, _pk, kind in no_panel),
            )
        )
    if waiting:
        todos.append(
            Todo(
                str(_("Recommended applications to assign to experts")),
                len(waiting),
                reverse("review:panels"),
                "、".join(a.unit.name for a in waiting),
            )
        )
    undecided: list[tuple[Round, str, str]] = []
    discussions = []
    for round_ in rounds:
        for kind in round_.kinds:
            if (round_.pk, kind) not in with_panel:
                continue
            for entry in ranking(round_, kind):
                if entry.subject.result.complete and entry.subject.decision is None:
                    undecided.append((round_, kind, entry.subject.application.unit.name))
        discussions += open_discussions(round_)
    if undecided:
        first_round, first_kind, _name = undecided[0]
        todos.append(
            Todo(
                str(_("Complete aggregates to decide")),
                len(undecided),
                reverse("review:ranking", args=[first_round.pk, first_kind]),
                "、".join(name for _r, _k, name in undecided),
            )
        )
    if discussions:
        todos.append(
            Todo(
                str(_("Discussions of diverging scores still open")),
                len(discussions),
                reverse(
                    "review:result", args=[discussions[0].panel_id, discussions[0].application_id]
                ),
                "、".join(d.application.unit.name for d in discussions),
            )
        )
    return todos
