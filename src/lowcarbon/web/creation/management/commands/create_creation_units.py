"""``manage.py create_creation_units [--year YEAR]``: make the creation units of rounds whose
decisions were published before publication made them (idempotent: a unit is made once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lowcarbon.web.creation.actions import do_create_units
from lowcarbon.web.review.models import Decision
from lowcarbon.web.rounds.models import Round


class Command(BaseCommand):
    help = (
        "Make the creation units of every round with published decisions (or of --year only); "
        "running it again makes none twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="only the round of this year")

    def handle(self, *args: Any, **options: Any) -> None:
        published = Decision.objects.filter(published_at__isnull=False).values("application__round")
        rounds = Round.objects.filter(pk__in=published).order_by("year")
        if options.get("year") is not None:
            rounds = rounds.filter(year=options["year"])
            if not rounds.exists():
                raise CommandError(
                    _("No round of {year} has published decisions.").format(year=options["year"])
                )
        for round_ in rounds:
            created = do_create_units(round_, actor=None)
            self.stdout.write(
                _("{year}: {count} creation units made.").format(
                    year=round_.year, count=len(created)
                )
            )
