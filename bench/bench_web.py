"""Web load benchmark: the main pages under 20 concurrent users, on SQLite and on PostgreSQL,
beside a bare Django view on the same server as the ceiling.

Run with ``make bench-web`` (both databases) or ``python bench/bench_web.py [--postgres]
[--seconds 30] [--users 20] [--workers 4]``. For each database it prepares a throw-away
database (``migrate`` + ``load_demo``) and its static files (``collectstatic``), starts
gunicorn (sync workers, a free port on 127.0.0.1) with ``lowcarbon.web.settings.bench`` (DEBUG
off, production-like), and runs locust headless (``bench/web/locustfile.py``) once per page:
every simulated user signs in as a demo account and requests that page back to back. It
reports per page the median (p50) and 95th percentile (p95) response time, the requests per
second, and the throughput as a share of the ceiling (``/bench/ping/``: same server,
middleware and session, no template and no query of its own).

PostgreSQL: with ``--postgres`` and no ``DATABASE_URL``, the benchmark runs itself again under
``scripts/with-postgres`` (a throw-away server on 127.0.0.1:54329); with ``DATABASE_URL`` it
creates its own database on that server (``lowcarbon_bench_<pid>``, dropped afterwards) and
never touches the one named. SQLite: a file in a temporary folder, never ``var/``.

Load generator and server share the machine, so the figures are relative, not capacity
planning. This is a benchmark, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
LOCUSTFILE = REPO / "bench" / "web" / "locustfile.py"
PAGES = [
    ("home", "我的工作台  /"),
    ("list", "申报列表    /applications/"),
    ("workspace", "申报工作区  /applications/<id>/"),
    ("round", "批次        /rounds/<id>/"),
]
CEILING = ("ping", "ceiling     /bench/ping/")


@dataclass(frozen=True)
class Figures:
    requests: int
    failures: int
    p50: float
    p95: float
    rps: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with status {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/bench/ping/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds:.0f} s")


def run_locust(
    url: str, page: str, accounts: Path, folder: Path, users: int, seconds: int
) -> Figures:
    prefix = folder / page
    env = os.environ | {
        "LOWCARBON_BENCH_ACCOUNTS": str(accounts),
        "LOWCARBON_BENCH_PAGE": page,
        "LOWCARBON_BENCH_USERS": str(users),
        "LOWCARBON_BENCH_SECONDS": str(seconds),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        # The locustfile stops the run `seconds` after the last user signed in; this is a
        # safety net only.
        "--run-time",
        f"{seconds + 300}s",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with (folder / f"{page}.log").open("wb") as log:
        # Locust exits 1 when a request failed; the failures are reported in the table.
        subprocess.run(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    row = rows.get(page)
    if row is None:
        log_text = (folder / f"{page}.log").read_text("utf-8", errors="replace")
        raise SystemExit(f"locust measured nothing for {page}:\n{log_text[-2000:]}")
    return Figures(
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        p50=float(row["50%"]),
        p95=float(row["95%"]),
        rps=float(row["Requests/s"]),
    )


def bench_database(
    label: str, database_url: str | None, args: argparse.Namespace
) -> dict[str, Figures]:
    folder = Path(tempfile.mkdtemp(prefix=f"lowcarbon-bench-{label.lower()}-"))
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "lowcarbon.web.settings.bench"
    env["LOWCARBON_VAR_DIR"] = str(folder / "var")
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    accounts = folder / "accounts.json"
    print(f"{label}: preparing (collectstatic, migrate, load_demo) in {folder}", flush=True)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", "--accounts-file", str(accounts))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server_log = (folder / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lowcarbon.web.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    results: dict[str, Figures] = {}
    try:
        wait_until_up(url, server)
        for page, title in [*PAGES, CEILING]:
            print(f"{label}: {title.split()[-1]} for {args.seconds} s …", flush=True)
            results[page] = run_locust(url, page, accounts, folder, args.users, args.seconds)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def scratch_database(url: str) -> tuple[str, str]:
    """A new database on the server of ``url`` for the benchmark: ``(its url, its name)``."""
    import psycopg
    from psycopg import sql

    name = f"lowcarbon_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def table(results: dict[str, dict[str, Figures]], args: argparse.Namespace) -> str:
    labels = list(results)
    head = f"{'page':<34}" + "".join(f"  {label:^37}" for label in labels)
    sub = f"{'':<34}" + "".join(
        f"  {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} {'÷ceil':>6} {'fail':>6}" for _ in labels
    )
    lines = [
        f"Web pages under load: {args.users} concurrent users without think time, "
        f"{args.workers} gunicorn sync workers, {args.seconds} s per page, {os.cpu_count()} CPUs "
        "shared by server and load generator.",
        "req/s ÷ceil = the page's throughput as a share of the bare view's (/bench/ping/).",
        "",
        head,
        sub,
    ]
    for page, title in [*PAGES, CEILING]:
        cells = ""
        for label in labels:
            figures = results[label][page]
            ceiling = results[label]["ping"].rps
            share = figures.rps / ceiling if ceiling else 0.0
            cells += (
                f"  {figures.p50:>7.0f} {figures.p95:>7.0f} {figures.rps:>7.1f} "
                f"{share:>6.2f} {figures.failures:>6}"
            )
        lines.append(f"{_pad(title, 34)}{cells}")
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    used = sum(2 if "\u4e00" <= char <= "\u9fff" else 1 for char in text)
    return text + " " * max(width - used, 0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--seconds", type=int, default=30, help="measured per page (30)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args(argv)
    postgres_url = os.environ.get("DATABASE_URL") or os.environ.get("LOWCARBON_TEST_DATABASE_URL")
    if args.postgres and not postgres_url:
        # A throw-away PostgreSQL server for this run (installed with apt-get when missing).
        script = str(REPO / "scripts" / "with-postgres")
        os.execv(script, [script, sys.executable, __file__, *argv])
    results = {"SQLite": bench_database("SQLite", None, args)}
    if postgres_url:
        scratch_url, name = scratch_database(postgres_url)
        try:
            results["PostgreSQL"] = bench_database("PostgreSQL", scratch_url, args)
        finally:
            drop_database(postgres_url, name)
    print()
    print(table(results, args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
