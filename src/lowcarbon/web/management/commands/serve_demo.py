"""``manage.py serve_demo``: the main job of ``make demo`` on the local machine.

Migrates the database (the embedded SQLite under ``var/`` with the demo settings: DEBUG off), loads
the demo once (``load_demo``; later runs reuse it), prints the address and the demo accounts, then
serves the site with Django's development server without the auto-reloader until Ctrl-C, with a
background worker in a thread of the same process that runs the queued jobs (document
generation; in production ``manage.py db_worker`` runs as its own service). The
passwords are kept in ``var/demo-accounts.json`` (readable by its owner only) so that every later
``make demo`` can print them again; they are for demonstrations only.
"""

from __future__ import annotations

import os
import threading
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lowcarbon.web.management.commands.load_demo import account_lines, read_accounts, unit_parts

__all__ = ["Command", "accounts_file"]

DEFAULT_ADDRESS = "127.0.0.1:8000"


def accounts_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-accounts.json"


class Command(BaseCommand):
    help = (
        "Migrate, load the demo once and serve it on this machine (default 127.0.0.1:8000) "
        "until Ctrl-C; prints the address and the demo accounts first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", nargs="?", default=DEFAULT_ADDRESS, help="[host:]port")

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "LOWCARBON_DEMO", False):
            # Django's development server is for a local demonstration only, never a deployment.
            raise CommandError(
                _("serve_demo runs with the demo settings only (lowcarbon.web.settings.demo).")
            )
        address: str = options["address"]
        host, _colon, port = address.rpartition(":")
        host = host or "127.0.0.1"
        call_command("migrate", interactive=False, verbosity=0)
        path = accounts_file()
        loaded = StringIO()
        call_command("load_demo", accounts_file=path, stdout=loaded)
        self.stdout.write(loaded.getvalue().splitlines()[0])
        self.stdout.write("")
        self.stdout.write(
            _("The demo platform: http://{host}:{port}/").format(host=host, port=port)
        )
        if path.exists():
            self.stdout.write(_("Demo accounts (these passwords are for demonstrations only):"))
            for line in account_lines(read_accounts(path)):
                self.stdout.write(line)
        else:
            self.stdout.write(
                _(
                    "The demo accounts' passwords were printed when the demo was first loaded "
                    "({path} is missing). To start afresh, delete {database} and run make demo "
                    "again."
                ).format(path=path, database=settings.DATABASES["default"]["NAME"])
            )
        self.stdout.write(_("The demo's applications:"))
        for unit in unit_parts():
            self.stdout.write(
                _("  {name} ({account}): {part}").format(
                    name=unit["name"], account=unit["account"], part=unit["part"]
                )
            )
        stop = self._start_worker()
        self.stdout.write(_("Press Ctrl-C to stop."))
        self.stdout.write("")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            stop()

    def _start_worker(self) -> Any:
        """Run the database queue's worker (``db_worker``'s loop) in a daemon thread, so that
        ``make demo`` generates documents without a second process; returns its stop function.

        The worker starts after a second: a server that stops at once (a test replaces it)
        never lets it touch the database."""
        from django_tasks import task_backends
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        if not isinstance(task_backends["default"], DatabaseBackend):
            return lambda: None  # jobs run where they are queued (immediate backend)
        worker = Worker(
            queue_names=["*"],
            interval=1.0,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"serve-demo-{os.getpid()}",
            excluded_queue_names=[],
        )
        stopped = threading.Event()

        def run() -> None:
            if not stopped.wait(1.0):
                worker.run()

        threading.Thread(target=run, name="lowcarbon-demo-worker", daemon=True).start()
        self.stdout.write(
            _("Background jobs (document generation) run in this process while it serves.")
        )

        def stop() -> None:
            stopped.set()
            worker.running = False

        return stop
