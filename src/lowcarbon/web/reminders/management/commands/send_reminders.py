"""``manage.py send_reminders [--now ISO]``: send the creation stage's reminders due now (or
at ``--now``, read in Asia/Shanghai when it names no offset). Each goes out once: run it as
often as you like (a timer every hour is plenty)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.reminders.actions import do_send_reminders


def parse_now(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            _(
                "--now: found '{found}', expected a date and time such as 2026-02-28T09:00 "
                "(Asia/Shanghai) or 2026-02-28T01:00+00:00."
            ).format(found=text)
        ) from None
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=SHANGHAI)


class Command(BaseCommand):
    help = (
        "Send the reminders and escalations of the creation stage that are due; none is sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="the instant to send for, ISO 8601 (Asia/Shanghai)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"]) if options.get("now") else timezone.now()
        report = do_send_reminders(now)
        self.stdout.write(
            _(
                "{reminders} reminders sent ({deliveries} in the platform, {mailed} by mail, "
                "{failed} mails failed)."
            ).format(
                reminders=report.reminders,
                deliveries=report.deliveries,
                mailed=report.mailed,
                failed=report.mail_failed,
            )
        )
