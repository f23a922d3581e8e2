"""``manage.py household_ledger_from_meters [--unit ID] [--month YYYY-MM]``: feed the household
ledgers from their linked meters (:mod:`lowcarbon.web.households.meters`), for every community
with a linked meter or for one; every finished month, or one. Idempotent: a run that finds
nothing new writes nothing, so a monthly cron (after the month's imports) may run it as often as
it likes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lowcarbon.web.households.meters import do_feed_from_meters
from lowcarbon.web.households.models import HouseholdMeter
from lowcarbon.web.organisations.models import Organisation

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> date:
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise CommandError(
            _("--month: found '{found}', expected a year and month such as 2026-03.").format(
                found=text[:20]
            )
        )
    return date(int(found.group(1)), int(found.group(2)), 1)


class Command(BaseCommand):
    help = "Feed the household ledgers from their linked meters (idempotent; monthly from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", type=int, help="the community's id (default: every one)")
        parser.add_argument("--month", help="one finished month, YYYY-MM (default: every one)")

    def handle(self, *args: Any, **options: Any) -> None:
        month = parse_month(options["month"]) if options.get("month") else None
        linked = Organisation.objects.filter(
            pk__in=HouseholdMeter.objects.values("household__unit_id")
        ).order_by("pk")
        if options.get("unit") is not None:
            linked = linked.filter(pk=options["unit"])
            if not linked.exists():
                raise CommandError(
                    _("--unit: found {found}, expected a community with a linked meter.").format(
                        found=options["unit"]
                    )
                )
        failed = False
        for unit in linked:
            try:
                report = do_feed_from_meters(unit, actor=None, month=month)
            except ValidationError as error:
                failed = True
                for problem in error.messages:
                    self.stderr.write(f"{unit.name}: {problem}")
                continue
            self.stdout.write(f"{unit.name}: {report.summary()}")
            for line in report.skipped:
                self.stdout.write(f"  {line}")
        if failed:
            raise CommandError(_("Some communities were not fed; see above."))
