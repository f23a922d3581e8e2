"""``manage.py audit_verify``: check the audit log's hash chain (lowcarbon.web.audit.chain).

Walks every event in id order. An intact log prints the number of events, the first and last
and the head hash, and exits 0; keep the head hash somewhere the database's owner cannot
change it, and give it back later with ``--head`` so that a removal of the newest events shows
too. A broken log names the first broken link — the event, what differs there (changed after
it was written, written outside the platform, events deleted before it, moved, back-dated) —
and exits 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.web.audit.chain import Break, Verification, verify
from lowcarbon.web.audit.models import AuditEvent

__all__ = ["Command", "describe_break"]


def _time(value: datetime | None) -> str:
    return "—" if value is None else timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _ids(low: int, high: int) -> str:
    return f"#{low}" if low == high else f"#{low}–#{high}"


def _events(batch: int = 2000) -> Iterator[AuditEvent]:
    """Every event in id order, a batch at a time (no cursor left open when the walk stops)."""
    after = 0
    while True:
        events = list(AuditEvent.objects.filter(pk__gt=after).order_by("id")[:batch])
        if not events:
            return
        yield from events
        after = events[-1].pk


def describe_break(broken: Break) -> list[str]:
    """What is wrong at the first broken link, one sentence per finding."""
    lines = []
    for kind in broken.kinds:
        if kind == "backdated":
            lines.append(
                _(
                    "Back-dated: its time {time} is earlier than that of the event before it "
                    "(#{previous}, {previous_time})."
                ).format(
                    time=_time(broken.created_at),
                    previous=broken.previous_id,
                    previous_time=_time(broken.previous_time),
                )
            )
        elif kind == "altered":
            lines.append(
                _(
                    "Altered: its content no longer matches its hash; the row was changed after "
                    "it was written."
                )
            )
        elif kind == "inserted":
            lines.append(
                _(
                    "Not written by the platform: neither its hash nor its link to the event "
                    "before it holds; the row was inserted or rewritten in the database."
                )
            )
        elif kind == "reordered":
            lines.append(
                _(
                    "Re-ordered: it was chained after event #{linked}, but now follows event "
                    "#{previous}; rows were moved."
                ).format(linked=broken.linked_id, previous=broken.previous_id or "—")
            )
        elif broken.missing is not None:
            lines.append(
                _(
                    "Deleted: the event it was chained to is missing; event(s) {ids} before it "
                    "were deleted."
                ).format(ids=_ids(*broken.missing))
            )
        elif broken.previous_id is None:
            lines.append(
                _(
                    "Deleted: it was chained to an earlier event, but it is the first event "
                    "left; the events before it were deleted."
                )
            )
        else:
            lines.append(
                _(
                    "Deleted: the event before it (#{previous}) is not the one it was chained "
                    "to; that event was deleted and another written in its place."
                ).format(previous=broken.previous_id)
            )
    return lines


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain: report the first broken link (exit status 1) or "
        "the number of events and the head hash of an intact log (exit status 0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            help="a head hash printed by an earlier run, which must still be in the chain",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        head: str | None = options.get("head")

        def find(digest: str) -> int | None:
            return AuditEvent.objects.filter(hash=digest).values_list("pk", flat=True).first()

        result = verify(_events(), find=find, head=head)
        if result.broken is not None:
            raise CommandError(self._broken(result, result.broken), returncode=1)
        if result.head_found is False:
            raise CommandError(
                _(
                    "The head hash given ({head}) is not in the audit log: the newest events "
                    "were deleted or the log was rewritten."
                ).format(head=head),
                returncode=1,
            )
        self.stdout.write(self._intact(result))

    def _broken(self, result: Verification, broken: Break) -> str:
        lines = [
            _(
                "The audit log is broken at event #{id} ({time}, {action}); {count} events "
                "checked up to it."
            ).format(
                id=broken.event_id,
                time=_time(broken.created_at),
                action=broken.action,
                count=result.count,
            )
        ]
        lines += [f"  - {line}" for line in describe_break(broken)]
        return "\n".join(lines)

    def _intact(self, result: Verification) -> str:
        if result.first is None or result.last is None:
            return _("The audit log is empty: nothing to verify.")
        return _(
            "The audit log is intact: {count} events, from #{first} ({first_time}) to #{last} "
            "({last_time}); head hash {head}."
        ).format(
            count=result.count,
            first=result.first[0],
            first_time=_time(result.first[1]),
            last=result.last[0],
            last_time=_time(result.last[1]),
            head=result.head,
        )
